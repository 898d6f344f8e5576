import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openingsIndex } from '../../src/lib/search/indexes.js';
import { createMeilisearch, meiliSettings } from '../../src/lib/search/meilisearch.js';
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
