import mongoose from 'mongoose';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertDemoProfiles } from '../../scripts/lib/demo-profiles.js';
import { connectMongo, disconnectMongo, syncIndexes } from '../../src/lib/db/index.js';
import { createLogger } from '../../src/lib/logger.js';
import type { Organization } from '../../src/modules/orgs/orgs.repository.js';
import { ensureReferenceData } from '../../src/modules/reference/reference.service.js';
import { bearer, makeUser, signIn } from '../fixtures/accounts.js';
import { testConfig, uniqueName } from '../fixtures/app.js';
import { freePort, spawnEntry, stopChild, waitFor } from '../fixtures/processes.js';
import { profileBody } from '../fixtures/worker-profiles.js';
import { figures } from './support.js';

/**
 * The search engine stopped. The embedded engine lives in the API process, so "stopped" is the
 * API killed (SIGKILL) and restarted: while it rebuilds the index from MongoDB, writes succeed,
 * search answers 503 at once, and the index converges to MongoDB afterwards.
 */
const PROFILES = 10_000;
const name = uniqueName('fsearch');
const config = testConfig(name, { SEARCH_SYNC_INTERVAL_MS: '1000' });
let api: ReturnType<typeof spawnEntry> | undefined;
let port: number;
let token: string;

function startApi() {
  return spawnEntry('src/server.ts', {
    NODE_ENV: 'test',
    LOG_LEVEL: 'warn',
    PORT: String(port),
    HOST: '127.0.0.1',
    MONGODB_URI: config.mongo.uri,
    REDIS_URL: config.redis.url,
    QUEUE_PREFIX: name,
    SEARCH_INDEX_PREFIX: name,
    SEARCH_SYNC_INTERVAL_MS: '1000',
    RATE_LIMIT_PER_MINUTE: '1000000',
  });
}

beforeAll(async () => {
  await connectMongo(config.mongo.uri, createLogger('warn'));
  await syncIndexes();
  await ensureReferenceData();
  const { federations } = await insertDemoProfiles(config, PROFILES);
  const fed = federations.get('513400') as Organization;
  token = (await signIn(config, await makeUser(fed, ['federation_staff']), fed)).token;
  port = await freePort();
}, 300_000);
afterAll(async () => {
  if (api) await stopChild(api, 'SIGKILL');
  await mongoose.connection.db?.dropDatabase().catch(() => undefined);
  await disconnectMongo();
});

describe('when the search engine is stopped (the API holding it killed and restarted)', () => {
  it('then writes succeed, search answers 503 fast while the index is rebuilt, and the index converges', async () => {
    const base = `http://127.0.0.1:${port}`;
    const total = async () =>
      (await request(base).get('/api/v1/search/worker-profiles?limit=0').set(bearer(token))).body
        .total as number;
    api = startApi();
    await waitFor(
      'the API ready',
      async () => (await request(base).get('/readyz')).status === 200,
      300_000,
      250,
    );
    const before = await total();

    await stopChild(api, 'SIGKILL');
    const killedAt = Date.now();
    api = startApi();
    await waitFor(
      'the API listening',
      async () => (await request(base).get('/healthz')).status === 200,
      120_000,
      50,
    );
    const listeningMs = Date.now() - killedAt;

    const writes: Record<string, number> = {};
    const searches: Record<string, number> = {};
    const searchMs: number[] = [];
    let written = 0;
    while ((await request(base).get('/readyz')).status !== 200) {
      const w = await request(base)
        .post('/api/v1/worker-profiles')
        .set(bearer(token))
        .send(profileBody('513431'));
      writes[w.status] = (writes[w.status] ?? 0) + 1;
      if (w.status === 201) written++;
      const t0 = Date.now();
      const s = await request(base).get('/api/v1/search/worker-profiles?q=缝纫').set(bearer(token));
      searchMs.push(Date.now() - t0);
      searches[s.status] = (searches[s.status] ?? 0) + 1;
    }
    const readyMs = Date.now() - killedAt;
    await waitFor('the index converged', async () => (await total()) === before + written, 60_000, 250);
    const convergedMs = Date.now() - killedAt;
    searchMs.sort((a, b) => a - b);
    figures('search-engine-restarted', {
      profiles: PROFILES,
      inScopeBefore: before,
      listeningMsAfterKill: listeningMs,
      readyMsAfterKill: readyMs,
      writesWhileRebuilding: JSON.stringify(writes),
      searchesWhileRebuilding: JSON.stringify(searches),
      search503MaxMs: searchMs.at(-1) ?? 0,
      indexConvergedMsAfterKill: convergedMs,
    });
    expect(Object.keys(writes)).toEqual(written ? ['201'] : []);
    // 503 while rebuilding (200 only for a search racing the moment it became ready); how fast
    // the 503 comes is reported above, not asserted (wall-clock on a shared machine).
    for (const status of Object.keys(searches)) expect(['503', '200']).toContain(status);
    expect(searches['503'] ?? 0).toBeGreaterThan(0);
  });
});
