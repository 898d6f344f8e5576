import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SEARCH_INDEXES } from '../../src/lib/search/indexes.js';
import { meiliKeyKind, meiliSettings } from '../../src/lib/search/meilisearch.js';
import { type IndexDefinition, indexUid, type SearchDocument } from '../../src/lib/search/port.js';
import { bearer, makeOrg, makeUser, signIn, type TestActor } from '../fixtures/accounts.js';
import { startTestApp, type TestApp } from '../fixtures/app.js';
import { type MeiliStub, startMeiliStub } from '../fixtures/meili-stub.js';
import { spawnEntry } from '../fixtures/processes.js';

/**
 * The API on the Meilisearch adapter, against a loopback stub that answers like Meilisearch
 * (fixtures/meili-stub.ts): what a missing or misconfigured index does to searches and readiness.
 */

const MASTER = 'stub-master-key-0123456789abcdef';
const WRITE = 'stub-write-key-0123456789abcdef';
const SEARCH = 'stub-search-key-0123456789abcdef';

let stub: MeiliStub;
let t: TestApp;
let admin: TestActor;

beforeAll(async () => {
  stub = await startMeiliStub({
    masterKey: MASTER,
    keys: [
      { key: WRITE, actions: ['*'] },
      { key: SEARCH, actions: ['search', 'settings.get'] },
    ],
  });
  t = await startTestApp({ MEILI_HOST: stub.host, MEILI_API_KEY: WRITE, MEILI_SEARCH_KEY: SEARCH });
  const org = await makeOrg('platform');
  admin = await signIn(t.config, await makeUser(org, ['admin']), org);
});
afterAll(async () => {
  await t?.close();
  await stub?.close();
});

const prefix = () => t.config.search.indexPrefix;
const search = () =>
  request(t.app).get('/api/v1/search/openings').query({ q: '缝纫' }).set(bearer(admin.token));

function createAll(): void {
  for (const d of Object.values(SEARCH_INDEXES) as IndexDefinition<SearchDocument>[])
    stub.indexes[indexUid(prefix(), d.name)] = meiliSettings(d) as Record<string, unknown>;
}

describe('a missing or misconfigured index (Meilisearch stub)', () => {
  it('when the indexes do not exist yet, then searches answer 503 with Retry-After and /readyz names search', async () => {
    const res = await search().expect(503);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body.code).toBe('service_unavailable');
    expect(res.headers['retry-after']).toBe('5');
    const ready = await request(t.app).get('/readyz').expect(503);
    expect(ready.body.down).toEqual(['search']);
    expect(ready.body.checks.search.error).toMatch(/not found/);
  });

  it('when an index has settings other than declared, then /readyz names search and the setting', async () => {
    createAll();
    const uid = indexUid(prefix(), 'openings');
    stub.indexes[uid] = { ...stub.indexes[uid], rankingRules: ['words'] };
    const ready = await request(t.app).get('/readyz').expect(503);
    expect(ready.body.down).toEqual(['search']);
    expect(ready.body.checks.search.error).toMatch(/rankingRules/);
  });

  it('when every index exists with its declared settings, then /readyz is ready and searches answer', async () => {
    createAll();
    await request(t.app).get('/readyz').expect(200);
    await search().expect(200);
  });
});

describe('the master key at start (Meilisearch stub)', () => {
  function setup(keys: Record<string, string>) {
    const child = spawnEntry('scripts/search-setup.ts', {
      NODE_ENV: 'production',
      FIELD_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'),
      HASH_KEY: 'h'.repeat(40),
      SESSION_SECRET: 's'.repeat(40),
      MEILI_HOST: stub.host,
      SEARCH_INDEX_PREFIX: 'setup_refused',
      ...keys,
    });
    return new Promise<{ code: number | null; output: string }>((resolve) =>
      child.once('exit', (code) => resolve({ code, output: child.output.join('') })),
    );
  }

  it('when search:setup is given the master key in production, then it exits 78 naming it and creates nothing', async () => {
    const both = await setup({ MEILI_API_KEY: MASTER, MEILI_SEARCH_KEY: MASTER });
    expect(both.code).toBe(78);
    expect(both.output).toMatch(/MEILI_SEARCH_KEY.*must differ/);
    const master = await setup({ MEILI_API_KEY: MASTER, MEILI_SEARCH_KEY: SEARCH });
    expect(master.code).toBe(78);
    expect(master.output).toMatch(/MEILI_API_KEY is Meilisearch's master key/);
    expect(Object.keys(stub.indexes).filter((uid) => uid.startsWith('setup_refused'))).toEqual([]);
  });
});

describe('npm run search:keys (Meilisearch stub)', () => {
  function keys(env: Record<string, string>) {
    const child = spawnEntry('scripts/search-keys.ts', {
      MEILI_HOST: stub.host,
      SEARCH_INDEX_PREFIX: 'tx',
      ...env,
    });
    return new Promise<{ code: number | null; output: string }>((resolve) =>
      child.once('exit', (code) => resolve({ code, output: child.output.join('') })),
    );
  }

  it('when run with the master key, then it creates a write and a search key for the prefix once and prints them as .env lines', async () => {
    const before = stub.keys.length;
    const first = await keys({ MEILI_MASTER_KEY: MASTER });
    expect(first.code).toBe(0);
    const write = /^MEILI_API_KEY=(\w+)$/m.exec(first.output)?.[1];
    const search = /^MEILI_SEARCH_KEY=(\w+)$/m.exec(first.output)?.[1];
    expect(write).toBeDefined();
    expect(search).toBeDefined();
    expect(write).not.toBe(search);
    expect(stub.keys.length).toBe(before + 2);
    const searchKey = stub.keys.find((k) => k.key === search)!;
    expect([...searchKey.actions].sort()).toEqual(['search', 'settings.get']);
    expect(searchKey.indexes).toEqual(['tx_*']);
    expect(stub.keys.find((k) => k.key === write)!.actions).toContain('documents.*');
    expect(await meiliKeyKind(stub.host, write!)).toBe('api_key');

    const again = await keys({ MEILI_MASTER_KEY: MASTER });
    expect(again.code).toBe(0);
    expect(again.output).toBe(first.output);
    expect(stub.keys.length).toBe(before + 2);
  });

  it('when given a key that is not the master key, then it exits 78 and creates nothing', async () => {
    const before = stub.keys.length;
    const res = await keys({ MEILI_MASTER_KEY: WRITE });
    expect(res.code).toBe(78);
    expect(res.output).toMatch(/not the master key/);
    expect(stub.keys.length).toBe(before);
  });
});
