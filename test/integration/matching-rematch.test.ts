import mongoose from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertDemoOpenings } from '../../scripts/lib/demo-openings.js';
import { insertDemoProfiles } from '../../scripts/lib/demo-profiles.js';
import { createWorkerConnection } from '../../src/lib/redis.js';
import { duplicatePairs } from '../../src/modules/matches/matches.bulk.js';
import { rematchProgress, startRematch } from '../../src/modules/matches/rematch.js';
import { buildMatchContext } from '../../src/modules/matches/suggestions.state.js';
import { toMatchOpening, toMatchProfile } from '../../src/modules/matching/adapters.js';
import { ProfileSnapshot } from '../../src/modules/matching/snapshot.js';
import { defaultVocabulary } from '../../src/modules/matching/vocabulary.js';
import { getOpeningsForMatching } from '../../src/modules/openings/for-other-modules.service.js';
import { streamProfilesForMatching } from '../../src/modules/worker-profiles/for-other-modules.service.js';
import { startTestApp, type TestApp } from '../fixtures/app.js';
import { spawnEntry, stopChild, waitFor } from '../fixtures/processes.js';

/**
 * Acceptance: the worker is killed with SIGKILL in the middle of `rematch` and restarted; the run
 * completes, no pair is stored twice, and every opening's suggestions are exactly its top-N.
 */

let t: TestApp;
let worker: ReturnType<typeof spawnEntry> | undefined;
const connection = () => createWorkerConnection(t.config.redis.url);
let redis: ReturnType<typeof connection>;

function startWorker() {
  return spawnEntry('workers/main.ts', {
    NODE_ENV: 'test',
    LOG_LEVEL: 'info',
    MONGODB_URI: t.config.mongo.uri,
    REDIS_URL: t.config.redis.url,
    QUEUE_PREFIX: t.config.redis.queuePrefix,
    WORKER_METRICS_PORT: '0',
    // A killed worker's chunk goes back to the queue about this soon.
    WORKER_LOCK_DURATION_MS: '2000',
    MATCHING_TOP_N: '5',
  });
}

beforeAll(async () => {
  t = await startTestApp({ MATCHING_TOP_N: '5' });
  redis = connection();
  await insertDemoProfiles(t.config, 240, 3);
  await insertDemoOpenings(40, 3);
}, 120_000);
afterAll(async () => {
  if (worker) await stopChild(worker, 'SIGKILL');
  redis?.disconnect();
  await t?.close();
});

describe('when the worker is killed with SIGKILL during a rematch and restarted', () => {
  it('then the run completes, no match is duplicated, and each opening holds exactly its top-N', async () => {
    worker = startWorker();
    await waitFor(
      'the snapshot',
      () => worker!.output.join('').includes('matching snapshot loaded'),
      60_000,
      50,
    );
    const run = await startRematch(t.config, redis, { chunk: 2 });
    expect(run.chunks).toBeGreaterThan(10);

    await waitFor(
      'a few chunks done',
      async () => ((await rematchProgress(t.runtime.queues.matching, run.runId))?.done ?? 0) >= 3,
      60_000,
      20,
    );
    await stopChild(worker, 'SIGKILL');
    const atKill = (await rematchProgress(t.runtime.queues.matching, run.runId))!;
    expect(atKill.done).toBeLessThan(run.chunks);
    expect(atKill.state).not.toBe('completed');

    worker = startWorker();
    const end = await waitFor(
      'the run to complete',
      async () => {
        const p = await rematchProgress(t.runtime.queues.matching, run.runId);
        return p?.state === 'completed' ? p : undefined;
      },
      180_000,
      250,
    );
    expect(end).toMatchObject({ done: run.chunks, failed: 0 });

    // One document per pair (the unique index would refuse a second; counted anyway).
    const pairs = await duplicatePairs();
    expect(pairs).toEqual([]);

    // The opening side equals a fresh computation from MongoDB with the engine alone.
    const ctx = await buildMatchContext();
    const snapshot = new ProfileSnapshot(defaultVocabulary());
    for await (const p of streamProfilesForMatching(t.deps)) snapshot.upsert(toMatchProfile(p));
    const expected = new Set<string>();
    for (const o of await getOpeningsForMatching({ limit: 1_000 }))
      for (const r of snapshot.topN(toMatchOpening(o), ctx, 5)) expected.add(`${r.profileId}|${o.id}`);
    const stored = await mongoose.connection
      .db!.collection('matches')
      .find({ status: 'suggested', inOpeningTop: true }, { projection: { profileId: 1, openingId: 1 } })
      .toArray();
    expect(expected.size).toBeGreaterThan(20);
    expect(new Set(stored.map((m) => `${m.profileId}|${m.openingId}`))).toEqual(expected);
    expect(stored).toHaveLength(expected.size);
  }, 300_000);
});
