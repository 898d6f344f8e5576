import mongoose from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countMatches } from '../../src/modules/matches/matches.bulk.js';
import type { Organization } from '../../src/modules/orgs/orgs.repository.js';
import { withdrawConsent } from '../../src/modules/worker-profiles/consents.service.js';
import { makeOrg } from '../fixtures/accounts.js';
import { startTestApp, type TestApp } from '../fixtures/app.js';
import { makeOpening } from '../fixtures/openings.js';
import { spawnEntry, stopChild, waitFor } from '../fixtures/processes.js';
import { makeProfile, staffActor } from '../fixtures/worker-profiles.js';

/**
 * Two worker processes, each with its own in-memory snapshot. The MongoDB poll is set to an hour,
 * so only the Redis change log can keep the process that did not run a profile's job current:
 * openings are added until both processes have matched some, and each must have seen the change.
 */

let t: TestApp;
let liangshan: Organization;
let employer: Organization;
const workers: ReturnType<typeof spawnEntry>[] = [];

function startWorker() {
  const w = spawnEntry('workers/main.ts', {
    NODE_ENV: 'test',
    LOG_LEVEL: 'info',
    MONGODB_URI: t.config.mongo.uri,
    REDIS_URL: t.config.redis.url,
    QUEUE_PREFIX: t.config.redis.queuePrefix,
    WORKER_METRICS_PORT: '0',
    MATCHING_POLL_INTERVAL_MS: '3600000',
  });
  workers.push(w);
  return w;
}

beforeAll(async () => {
  t = await startTestApp();
  liangshan = await makeOrg('recipient_federation', '513400');
  employer = await makeOrg('employer', '440600');
  const [a, b] = [startWorker(), startWorker()];
  for (const w of [a, b])
    await waitFor(
      'a worker’s snapshot',
      () => w.output.join('').includes('matching snapshot loaded'),
      60_000,
      100,
    );
}, 90_000);
afterAll(async () => {
  for (const w of workers) await stopChild(w, 'SIGTERM');
  await t?.close();
});

/** The completed run of an opening's matching job: which worker ran it, and what it found. */
async function runOf(openingId: string): Promise<{ worker: string; ranked: number }> {
  return waitFor(
    `the matching run of opening ${openingId}`,
    async () => {
      const jobs = await t.runtime.queues.matching.getJobs(['completed'], 0, 1_000);
      const job = jobs.find((j) => j.name === 'matching.opening' && j.data.id === openingId);
      return job?.returnvalue as { worker: string; ranked: number } | undefined;
    },
    30_000,
    100,
  );
}

/** Opens openings until both workers have matched at least one; returns each opening's run. */
async function untilBothWorkersRan(): Promise<{ id: string; worker: string; ranked: number }[]> {
  const runs: { id: string; worker: string; ranked: number }[] = [];
  for (let i = 0; i < 30 && new Set(runs.map((r) => r.worker)).size < 2; i++) {
    const batch = await Promise.all([1, 2].map(() => makeOpening(t.deps, employer, 'open')));
    for (const o of batch) runs.push({ id: o.id, ...(await runOf(o.id)) });
  }
  return runs;
}

describe('when two worker processes run', () => {
  let profileId: string;

  it('when a profile is registered, then both workers’ snapshots hold it: every opening, whichever worker runs it, suggests it', async () => {
    const profile = await makeProfile(t.deps, liangshan, '513401');
    profileId = profile.id;
    await waitFor(
      'the profile’s own run',
      async () => {
        const jobs = await t.runtime.queues.matching.getJobs(['completed'], 0, 1_000);
        return jobs.some((j) => j.name === 'matching.profile' && j.data.id === profileId);
      },
      30_000,
      100,
    );
    const runs = await untilBothWorkersRan();
    expect(new Set(runs.map((r) => r.worker)).size).toBe(2);
    for (const r of runs) {
      expect(r.ranked, `opening ${r.id} run by ${r.worker}`).toBe(1);
      expect(await countMatches({ openingId: r.id, profileId, status: 'suggested' })).toBe(1);
    }
  }, 120_000);

  it('when its consent is withdrawn, then both workers drop it: no opening suggests it any more, new or old', async () => {
    const consent = await mongoose.connection
      .db!.collection('consents')
      .findOne({ profileId, purpose: 'sensitive_processing' });
    await withdrawConsent(t.deps, staffActor(liangshan), profileId, consent!._id.toHexString(), {
      reason: 'person_request',
      channel: 'in_person',
    });
    await waitFor(
      'the withdrawn person’s suggestions superseded',
      async () => (await countMatches({ profileId, status: 'suggested' })) === 0,
      30_000,
      100,
    );
    const runs = await untilBothWorkersRan();
    expect(new Set(runs.map((r) => r.worker)).size).toBe(2);
    for (const r of runs) expect(r.ranked, `opening ${r.id} run by ${r.worker}`).toBe(0);
    expect(await countMatches({ profileId, status: 'suggested' })).toBe(0);
  }, 120_000);
});
