import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { checkSearchKey, MasterKeyError } from '../../src/lib/search/index.js';
import { openingsIndex } from '../../src/lib/search/indexes.js';
import { createMeilisearch, meiliKeyKind, meiliSettings } from '../../src/lib/search/meilisearch.js';
import { SearchUnavailableError } from '../../src/lib/search/port.js';
import { type MeiliStub, startMeiliStub } from '../fixtures/meili-stub.js';

/** The Meilisearch adapter's error mapping and key checks, against a stub that answers like it. */

const MASTER = 'stub-master-key-0123456789abcdef';
const WRITE = 'stub-write-key-0123456789abcdef';
const SEARCH_ONLY = 'stub-search-key-0123456789abcdef';

let stub: MeiliStub;
beforeAll(async () => {
  stub = await startMeiliStub({
    masterKey: MASTER,
    keys: [
      { key: WRITE, actions: ['*'] },
      { key: SEARCH_ONLY, actions: ['search'] },
    ],
  });
});
afterAll(async () => {
  await stub.close();
});

describe('a missing index', () => {
  it('when the index does not exist, then search, get and count reject as unavailable', async () => {
    const index = createMeilisearch(stub.host, WRITE, 'missing').index(openingsIndex);
    await expect(index.search({ q: '缝纫' })).rejects.toBeInstanceOf(SearchUnavailableError);
    await expect(index.get(['a'])).rejects.toBeInstanceOf(SearchUnavailableError);
    await expect(index.count()).rejects.toBeInstanceOf(SearchUnavailableError);
    await expect(index.check()).rejects.toThrow(/not found/);
  });

  it('when the key may only search, then the check still tells a missing index from a present one', async () => {
    const index = createMeilisearch(stub.host, SEARCH_ONLY, 'searchonly').index(openingsIndex);
    await expect(index.check()).rejects.toBeInstanceOf(SearchUnavailableError);
    stub.indexes[index.uid] = { ...meiliSettings(openingsIndex), rankingRules: ['words'] };
    await expect(index.check()).resolves.toBeUndefined();
  });
});

describe('the master key', () => {
  const production = (keys: Record<string, string>) =>
    loadConfig({
      NODE_ENV: 'production',
      FIELD_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'),
      HASH_KEY: 'h'.repeat(40),
      SESSION_SECRET: 's'.repeat(40),
      MEILI_HOST: stub.host,
      ...keys,
    });

  it('when a key lists /keys but is not among them, then it is the master key; listed or refused keys are API keys', async () => {
    expect(await meiliKeyKind(stub.host, MASTER)).toBe('master');
    expect(await meiliKeyKind(stub.host, WRITE)).toBe('api_key');
    expect(await meiliKeyKind(stub.host, SEARCH_ONLY)).toBe('api_key');
  });

  it('when production is given the master key for the worker or the API, then the start is refused naming the variable', async () => {
    await expect(
      checkSearchKey(production({ MEILI_API_KEY: MASTER, MEILI_SEARCH_KEY: SEARCH_ONLY }), 'worker'),
    ).rejects.toThrow(MasterKeyError);
    await expect(
      checkSearchKey(production({ MEILI_API_KEY: WRITE, MEILI_SEARCH_KEY: MASTER }), 'api'),
    ).rejects.toThrow(/MEILI_SEARCH_KEY is Meilisearch's master key/);
    const fine = production({ MEILI_API_KEY: WRITE, MEILI_SEARCH_KEY: SEARCH_ONLY });
    expect(await checkSearchKey(fine, 'worker')).toBeNull();
    expect(await checkSearchKey(fine, 'api')).toBeNull();
  });

  it('when not in production, then the master key is only warned about', async () => {
    const dev = loadConfig({ MEILI_HOST: stub.host, MEILI_API_KEY: MASTER });
    expect(await checkSearchKey(dev, 'api')).toMatch(/MEILI_API_KEY is Meilisearch's master key/);
  });
});

describe('transport', () => {
  it('when searches follow one another, then none waits for a delayed ACK and `_pinyin` is not asked for', async () => {
    const hitStub = await startMeiliStub({
      masterKey: MASTER,
      keys: [{ key: WRITE, actions: ['*'] }],
      indexes: { transport_openings: meiliSettings(openingsIndex) as Record<string, unknown> },
      hits: Array.from({ length: 5 }, (_, i) => ({
        id: `o${i}`,
        title: '缝纫工',
        description: '平车'.repeat(300),
      })),
    });
    try {
      const index = createMeilisearch(hitStub.host, WRITE, 'transport').index(openingsIndex);
      await index.search({ q: '缝纫', hitsPerPage: 5 });
      const times: number[] = [];
      for (let i = 0; i < 15; i++) {
        const started = performance.now();
        await index.search({ q: '缝纫', hitsPerPage: 5 });
        times.push(performance.now() - started);
      }
      times.sort((a, b) => a - b);
      // A kept-alive connection waits about 40 ms per search here (the stub sends like actix-web).
      expect(times[7]).toBeLessThan(20);
      const asked = hitStub.searches.at(-1)?.attributesToRetrieve as string[];
      expect(asked).toContain('title');
      expect(asked).not.toContain('_pinyin');
    } finally {
      await hitStub.close();
    }
  });
});

describe('query normalisation', () => {
  it('when the query is typed full-width, then Meilisearch receives it NFKC-normalised', async () => {
    const index = createMeilisearch(stub.host, WRITE, 'nfkc').index(openingsIndex);
    stub.indexes[index.uid] = meiliSettings(openingsIndex) as Record<string, unknown>;
    await index.search({ q: 'ＣＮＣ　操作工 ３号' });
    expect(stub.searches.at(-1)?.q).toBe('CNC 操作工 3号');
  });
});
