import { describe, expect, it } from 'vitest';
import { createEmbeddedSearch } from '../../src/lib/search/embedded.js';
import { type OpeningSearchDocument, openingsIndex } from '../../src/lib/search/indexes.js';
import { makeOpening, prng } from '../fixtures/search-documents.js';

describe('embedded search engine', () => {
  it('when writes arrive during a reindex, then the rebuilt index keeps them over the older snapshot', async () => {
    const engine = createEmbeddedSearch('t');
    const index = engine.index(openingsIndex);
    const rand = prng(3);
    const docs = Array.from({ length: 6 }, (_, i) => makeOpening(i, rand));
    await index.upsert(docs);
    const updated: OpeningSearchDocument = { ...docs[0]!, title: '焊锡工', version: 9 };
    async function* snapshot() {
      yield docs.slice(0, 3);
      // Meanwhile the indexer applies newer versions: op0 updated, op4 deleted.
      await index.upsert([updated]);
      await index.delete([docs[4]!.id]);
      yield docs.slice(3);
    }
    await index.reindex(snapshot());
    expect(await index.get([docs[0]!.id])).toEqual([updated]);
    expect(await index.get([docs[4]!.id])).toEqual([]);
    expect(await index.count()).toBe(5);
  });

  it('when two engines have different prefixes, then their indexes are separate', async () => {
    const a = createEmbeddedSearch('a').index(openingsIndex);
    const b = createEmbeddedSearch('b').index(openingsIndex);
    expect(a.uid).toBe('a_openings');
    await a.upsert([makeOpening(1, prng(1))]);
    expect(await b.count()).toBe(0);
  });
});
