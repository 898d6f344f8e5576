import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobId } from '../../src/jobs/catalogue.js';
import { enqueue } from '../../src/jobs/queues.js';
import { createEmbeddedSearch } from '../../src/lib/search/embedded.js';
import { openingsIndex } from '../../src/lib/search/indexes.js';
import { listOpeningVersions } from '../../src/modules/openings/for-other-modules.service.js';
import { openingsDeps } from '../../src/modules/openings/openings.deps.js';
import { insertOpening, type OpeningContent } from '../../src/modules/openings/openings.repository.js';
import { createOpeningSchema } from '../../src/modules/openings/openings.schemas.js';
import { updateOpening } from '../../src/modules/openings/openings.service.js';
import { REBUILDING, startSearchFollower } from '../../src/modules/search/search.follower.js';
import { searchSources } from '../../src/modules/search/search.sources.js';
import { bearer, makeOrg, makeUser, signIn, type TestActor } from '../fixtures/accounts.js';
import { startTestApp, type TestApp } from '../fixtures/app.js';
import { employerActor, makeOpening, openingBody } from '../fixtures/openings.js';
import { freePort, OwnRedis, spawnEntry, stopChild, waitFor } from '../fixtures/processes.js';

/**
 * The embedded engine follows MongoDB from the API process: rebuilt at start, then by the change
 * events published to Redis (the sweep is set to an hour here, so nothing in these tests waits
 * for it). After an outage of Redis, what changed meanwhile is compared with MongoDB; "the engine
 * stopped" means the API stopped: a new API rebuilds the index.
 */

const INTERVAL_MS = 1_000;
const NO_SWEEP = '3600000';
let redis: OwnRedis;
let t: TestApp;
let employer: TestActor;
let admin: TestActor;

beforeAll(async () => {
  redis = await OwnRedis.create();
  t = await startTestApp({
    REDIS_URL: redis.url,
    SEARCH_SWEEP_INTERVAL_MS: NO_SWEEP,
    RATE_LIMIT_PER_MINUTE: '100000',
  });
  const org = await makeOrg('employer', '440600');
  employer = await signIn(t.config, await makeUser(org, ['employer']), org);
  const platform = await makeOrg('platform');
  admin = await signIn(t.config, await makeUser(platform, ['admin']), platform);
});
afterAll(async () => {
  await t?.close();
  await redis?.stop();
});

/** MongoDB's `{id: version}` of every opening. */
async function mongoVersions(): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  let afterId: string | undefined;
  for (;;) {
    const page = await listOpeningVersions({ afterId, limit: 1000 });
    for (const o of page) out[o.id] = o.version;
    if (page.length < 1000) return out;
    afterId = page[page.length - 1]!.id;
  }
}

/** The embedded index's `{id: version}` for the same ids, and how many documents it holds. */
async function indexVersions(ids: string[]) {
  const index = t.runtime.search.index(openingsIndex);
  const docs = await index.get(ids);
  return { versions: Object.fromEntries(docs.map((d) => [d.id, d.version])), count: await index.count() };
}

/** Inserts an opening straight into MongoDB, as a script or the worker would, with no hint to this API. */
async function insertElsewhere(title: string) {
  return insertOpening({
    ...(createOpeningSchema.parse(openingBody({ title })) as OpeningContent),
    employerId: employer.org.id,
  });
}

async function searchTotal(q: string): Promise<number> {
  const res = await request(t.app)
    .get('/api/v1/search/openings')
    .query({ q, limit: '100' })
    .set(bearer(employer.token))
    .expect(200);
  return res.body.total as number;
}

describe('when another process changes an opening and publishes the change', () => {
  it('then search finds it from the change event, without waiting for a sweep', async () => {
    const sweeps = t.searchSync!.sweeps;
    const o = await insertElsewhere('事件送达岗位');
    // What publishChange does in that other process (its local listeners are not this API's).
    await enqueue(
      t.runtime.queues,
      'search.index-opening',
      { id: o.id, version: o.version, kind: 'created' },
      { jobId: jobId('search.index-opening', o.id, o.version) },
    );
    await waitFor('the opening in search', async () => (await searchTotal('事件送达岗位')) === 1, 10_000, 25);
    expect(t.searchSync!.sweeps).toBe(sweeps);
  });
});

describe('when Redis is down', () => {
  it('then 50 openings created and updated meanwhile, and 5 written elsewhere with no event, are in the index once it is back, as in MongoDB', async () => {
    await redis.stop();
    const api = () => request(t.app);
    const created: { id: string; version: number }[] = [];
    for (let i = 0; i < 50; i++) {
      const res = await api()
        .post('/api/v1/openings')
        .set(bearer(employer.token))
        .send(openingBody({ title: `断线期间岗位 ${i}` }));
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      created.push(res.body);
    }
    for (const [i, o] of created.entries()) {
      const res = await api()
        .patch(`/api/v1/openings/${o.id}`)
        .set(bearer(employer.token))
        .set('If-Match', `W/"${o.version}"`)
        .send({ wageMax: 6000 + i });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
    }
    // Written by another process (a script, the worker) while no event could be published.
    for (let i = 0; i < 5; i++) await insertElsewhere(`他处写入 ${i}`);
    // The API's own changes are in the index at once, Redis or not.
    await waitFor(
      'the local changes in search',
      async () => (await searchTotal('断线期间岗位')) === 50,
      10_000,
      25,
    );
    expect(await searchTotal('他处写入')).toBe(0);
    const sweeps = t.searchSync!.sweeps;
    await redis.start();

    // The subscription is back: what changed while it was down is compared with MongoDB.
    await waitFor(
      'the writes made elsewhere in search',
      async () => (await searchTotal('他处写入')) === 5,
      30_000,
      100,
    );
    expect(t.searchSync!.sweeps).toBe(sweeps + 1);
    const mongo = await mongoVersions();
    const index = await indexVersions(Object.keys(mongo));
    expect(index.versions).toEqual(mongo);
    expect(index.count).toBe(Object.keys(mongo).length);
    expect(Object.keys(mongo).length).toBeGreaterThanOrEqual(56);
  }, 120_000);
});

describe('when the API starts', () => {
  it('then the engine reports itself not ready until the index is rebuilt from MongoDB', async () => {
    const engine = createEmbeddedSearch(`${t.config.search.indexPrefix}_probe`);
    const follower = startSearchFollower({
      engine,
      sources: searchSources(),
      sweepIntervalMs: 60_000,
      logger: t.deps.logger,
    });
    await expect(engine.health()).rejects.toThrow(REBUILDING);
    await expect(engine.index(openingsIndex).search({ q: '电子' })).rejects.toThrow(REBUILDING);
    await follower.ready;
    await expect(engine.health()).resolves.toBeUndefined();
    const mongo = await mongoVersions();
    expect(await engine.index(openingsIndex).count()).toBe(Object.keys(mongo).length);
    await follower.close();
    await engine.close();
  });

  it('then after the API (the embedded engine) was stopped, a new one rebuilds the index as MongoDB holds it', async () => {
    const port = await freePort();
    const env = {
      NODE_ENV: 'test',
      LOG_LEVEL: 'warn',
      PORT: String(port),
      HOST: '127.0.0.1',
      MONGODB_URI: t.config.mongo.uri,
      REDIS_URL: redis.url,
      QUEUE_PREFIX: t.config.redis.queuePrefix,
      SEARCH_INDEX_PREFIX: t.config.search.indexPrefix,
      SEARCH_SYNC_INTERVAL_MS: String(INTERVAL_MS),
      METRICS_PORT: '0',
    };
    const base = `http://127.0.0.1:${port}`;
    const ready = () =>
      waitFor('API ready', async () => (await fetch(`${base}/readyz`)).status === 200, 60_000, 200);

    let api = spawnEntry('src/server.ts', env);
    try {
      await ready();
    } finally {
      await stopChild(api);
    }
    // While no API (and so no engine) runs: 50 changes, through the service as a worker would make them.
    const svc = openingsDeps(t.deps);
    const actor = employerActor(employer.org);
    const changed: string[] = [];
    for (let i = 0; i < 25; i++) {
      const o = await makeOpening(t.deps, employer.org, 'open', { title: `停机期间岗位 ${i}` });
      const u = await updateOpening(actor, o.id, o.version, { headcount: 7 + i }, svc);
      changed.push(u.id);
    }
    api = spawnEntry('src/server.ts', env);
    try {
      await ready();
      const mongo = await mongoVersions();
      const seen: Record<string, number> = {};
      for (let page = 1; ; page++) {
        const res = await fetch(`${base}/api/v1/search/openings?limit=100&page=${page}`, {
          headers: bearer(admin.token),
        });
        expect(res.status).toBe(200);
        const body = (await res.json()) as { items: { id: string; version: number }[]; totalPages: number };
        for (const i of body.items) seen[i.id] = i.version;
        if (page >= body.totalPages) break;
      }
      expect(seen).toEqual(mongo);
      for (const id of changed) expect(seen[id]).toBe(mongo[id]);
    } finally {
      await stopChild(api);
    }
  }, 180_000);
});
