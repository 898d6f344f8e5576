import { type Job, Queue } from 'bullmq';
import mongoose from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobId } from '../../src/jobs/catalogue.js';
import { enqueue } from '../../src/jobs/queues.js';
import { createEmbeddedSearch } from '../../src/lib/search/embedded.js';
import { createSearchEngine, type SearchEngine } from '../../src/lib/search/index.js';
import { openingsIndex, workerProfilesIndex } from '../../src/lib/search/indexes.js';
import { listOpeningVersions } from '../../src/modules/openings/for-other-modules.service.js';
import { openingsDeps } from '../../src/modules/openings/openings.deps.js';
import { transitionOpening, updateOpening } from '../../src/modules/openings/openings.service.js';
import type { Organization } from '../../src/modules/orgs/orgs.repository.js';
import { searchProcessors, searchSweepSchedule } from '../../src/modules/search/search.processors.js';
import { openingsSource } from '../../src/modules/search/search.sources.js';
import { rebuildIndex } from '../../src/modules/search/search.sync.js';
import { eraseProfile } from '../../src/modules/worker-profiles/erasure.service.js';
import { startWorkerHost, type WorkerHost } from '../../workers/host.js';
import { allProcessors } from '../../workers/processors.js';
import { makeOrg } from '../fixtures/accounts.js';
import { startTestApp, type TestApp, testConfig } from '../fixtures/app.js';
import { employerActor, makeOpening } from '../fixtures/openings.js';
import { OwnRedis, waitFor } from '../fixtures/processes.js';
import { makeProfile, staffActor } from '../fixtures/worker-profiles.js';

/**
 * The Meilisearch way of keeping the index in step: the API publishes a job per change, the worker
 * re-reads MongoDB and writes, and a scheduled sweep writes whatever lags. Runs against
 * Meilisearch when MEILI_HOST is set; otherwise an embedded engine shared with an in-process worker
 * stands in for it (the same port and contract), so the jobs and sweeps are exercised either way.
 */

const INTERVAL_MS = 1_500;
let redis: OwnRedis;
let t: TestApp;
let engine: SearchEngine;
let host: WorkerHost;
let employer: Organization;
const sweepsDone: Job[] = [];

beforeAll(async () => {
  redis = await OwnRedis.create();
  t = await startTestApp({ REDIS_URL: redis.url, SEARCH_SYNC_INTERVAL_MS: String(INTERVAL_MS) });
  engine = process.env.MEILI_HOST
    ? createSearchEngine(
        testConfig(t.config.search.indexPrefix, {
          MEILI_HOST: process.env.MEILI_HOST,
          MEILI_API_KEY: process.env.MEILI_API_KEY ?? '',
          SEARCH_INDEX_PREFIX: `${t.config.search.indexPrefix}_q`,
        }),
        'worker',
      )
    : createEmbeddedSearch(`${t.config.search.indexPrefix}_q`);
  host = await startWorkerHost(
    t.config,
    t.deps.logger,
    (ctx) => [
      ...allProcessors(ctx).filter((r) => !r.job.startsWith('search.')),
      ...searchProcessors(ctx, { engine }),
    ],
    [searchSweepSchedule(t.config)],
  );
  for (const w of host.workers)
    w.on('completed', (job) => {
      if (job.name === 'search.sweep') sweepsDone.push(job);
    });
  employer = await makeOrg('employer', '440600');
});
afterAll(async () => {
  await host?.close();
  await engine?.index(openingsIndex).drop();
  await engine?.index(workerProfilesIndex).drop();
  await engine?.close();
  await t?.close();
  await redis?.stop();
});

const index = () => engine.index(openingsIndex);

async function mongoVersions(): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const o of await listOpeningVersions({ limit: 10_000 })) out[o.id] = o.version;
  return out;
}

async function indexVersions(ids: string[]): Promise<Record<string, number>> {
  return Object.fromEntries((await index().get(ids)).map((d) => [d.id, d.version]));
}

async function indexEqualsMongo(): Promise<boolean> {
  const mongo = await mongoVersions();
  const stored = await indexVersions(Object.keys(mongo));
  return (
    JSON.stringify(stored) === JSON.stringify(mongo) && (await index().count()) === Object.keys(mongo).length
  );
}

/** Resolves after a sweep that started after `since` has completed. */
function sweepStartedAfter(since: number): Promise<Job> {
  return waitFor(
    'a sweep started after the restart',
    () => sweepsDone.find((j) => (j.processedOn ?? 0) >= since),
    60_000,
    50,
  );
}

describe('change jobs', () => {
  it('when an opening is created and changed, then its jobs bring the index to its latest version', async () => {
    const o = await makeOpening(t.deps, employer, 'open', { title: '队列索引岗位' });
    const updated = await updateOpening(
      employerActor(employer),
      o.id,
      o.version,
      { headcount: 9 },
      openingsDeps(t.deps),
    );
    await waitFor(
      'the index at the latest version',
      async () => (await indexVersions([o.id]))[o.id] === updated.version,
    );
    const [doc] = await index().get([o.id]);
    expect(doc?.status).toBe('open');
    expect(doc?.headcountOpen).toBe(9);
  });

  it('when a job names a version already indexed (a duplicate, or one overtaken), then it is skipped', async () => {
    const o = await makeOpening(t.deps, employer, 'open');
    await waitFor('indexed', async () => (await indexVersions([o.id]))[o.id] === o.version);
    const id = jobId('search.index-opening', o.id, 1, 'again');
    await enqueue(
      t.runtime.queues,
      'search.index-opening',
      { id: o.id, version: 1, kind: 'created' },
      { jobId: id },
    );
    const queue = new Queue('search', { connection: { url: redis.url }, prefix: t.config.redis.queuePrefix });
    try {
      const job = await waitFor('the job done', async () => {
        const j = await queue.getJob(id);
        return j?.finishedOn ? j : undefined;
      });
      expect(job.returnvalue).toEqual({ skipped: `version ${o.version} is already indexed` });
    } finally {
      await queue.close();
    }
  });

  it('when one opening changes quickly several times, then concurrent jobs leave its newest version in the index', async () => {
    let o = await makeOpening(t.deps, employer, 'draft');
    const actor = employerActor(employer);
    const svc = openingsDeps(t.deps);
    for (let i = 0; i < 6; i++) o = await updateOpening(actor, o.id, o.version, { headcount: 10 + i }, svc);
    o = await transitionOpening(actor, o.id, 'open', undefined, svc);
    await waitFor(
      'the newest version indexed',
      async () => (await indexVersions([o.id]))[o.id] === o.version,
    );
    // And it stays there: no late job for an older version overwrites it.
    await new Promise((r) => setTimeout(r, 1_000));
    expect((await indexVersions([o.id]))[o.id]).toBe(o.version);
  });
});

describe('worker profile jobs', () => {
  it('when a profile is registered, then its job indexes it; when it is erased, then its job removes it', async () => {
    const fed = await makeOrg('recipient_federation', '513300');
    const p = await makeProfile(t.deps, fed, '513301');
    const profiles = engine.index(workerProfilesIndex);
    await waitFor('the profile indexed', async () => (await profiles.get([p.id]))[0]?.version === p.version);
    await eraseProfile(t.deps, staffActor(fed), p.id, 'data_subject_request');
    await waitFor('the profile removed', async () => (await profiles.get([p.id])).length === 0);
  });
});

describe('the sweep', () => {
  it('when Redis was down while 50 openings were created and updated, then the first sweep after it returns makes the index equal MongoDB', async () => {
    await waitFor('the index in step before the outage', indexEqualsMongo, 60_000, 200);
    await redis.stop();
    const actor = employerActor(employer);
    const svc = openingsDeps(t.deps);
    for (let i = 0; i < 50; i++) {
      // Publishing fails quietly (Redis is down); the writes stand.
      const o = await makeOpening(t.deps, employer, 'draft', { title: `断线岗位 ${i}` });
      await updateOpening(actor, o.id, o.version, { wageMax: 6000 + i }, svc);
    }
    expect(await indexEqualsMongo()).toBe(false);
    const restarted = Date.now();
    await redis.start();
    await sweepStartedAfter(restarted);
    expect(await indexEqualsMongo()).toBe(true);
  }, 120_000);

  it('when the index lost documents (wiped, restored from an old copy), then a sweep that finds the counts differ rewrites them all', async () => {
    await waitFor('in step', indexEqualsMongo, 60_000, 200);
    await index().deleteAll();
    // Counts are compared every COUNT_CHECK_EVERY_MS: pretend the last comparison is old. A sweep
    // already running may save its own (recent) time after this, so keep making it look old until
    // a sweep that started after the wipe has finished with a full rewrite. (Checking only sweeps
    // started since the latest reset missed a slow full sweep under load: once it had rewritten
    // the index, later sweeps found the counts equal and never rewrote again.)
    const since = Date.now();
    await waitFor(
      'a sweep that found the counts differ',
      async () => {
        if (sweepsDone.some((j) => (j.processedOn ?? 0) >= since && j.returnvalue?.results?.[0]?.full))
          return true;
        await mongoose.connection.db!.collection('search_state').updateOne(
          { _id: index().uid as never },
          {
            $set: { countedAt: new Date(0) },
          },
        );
        return false;
      },
      60_000,
      250,
    );
    await waitFor('in step again', indexEqualsMongo, 30_000, 200);
  }, 120_000);

  it('when rebuilt from MongoDB (npm run search:reindex) while openings change, then the index ends equal to MongoDB', async () => {
    const writes = (async () => {
      for (let i = 0; i < 10; i++)
        await makeOpening(t.deps, employer, 'open', { title: `重建期间岗位 ${i}` });
    })();
    const [result] = await Promise.all([rebuildIndex(index(), openingsSource, 20), writes]);
    expect(result.documents).toBeGreaterThanOrEqual(50);
    await waitFor('in step after the rebuild', indexEqualsMongo, 30_000, 200);
  }, 120_000);
});
