import { describe, expect, it } from 'vitest';
import { createEmbeddedSearch } from '../../src/lib/search/embedded.js';
import {
  type OpeningSearchDocument,
  openingsIndex,
  type WorkerProfileSearchDocument,
  workerProfilesIndex,
} from '../../src/lib/search/indexes.js';
import { SearchInputError, SearchUnavailableError } from '../../src/lib/search/port.js';
import { makeOpening, makeProfile, prng } from '../fixtures/search-documents.js';

describe('embedded search engine', () => {
  it('when a filter narrows a text search, then the hits are those of the unfiltered search that pass it, in the same order', async () => {
    expect.hasAssertions();
    const index = createEmbeddedSearch('g').index(workerProfilesIndex);
    const rand = prng(11);
    await index.upsert(Array.from({ length: 3_000 }, (_, i) => makeProfile(i, rand)));
    // Replaced documents too: their old words must not count.
    await index.upsert(Array.from({ length: 300 }, (_, i) => makeProfile(i * 7, rand, { version: 9 })));
    const scopes: [string, (d: WorkerProfileSearchDocument) => boolean, object][] = [
      [
        '513400',
        (d) => d.jurisdictionCodes.includes('513400'),
        { field: 'jurisdictionCodes', op: 'eq', value: '513400' },
      ],
      ['available', (d) => d.status === 'available', { field: 'status', op: 'eq', value: 'available' }],
    ];
    for (const q of ['电子装配', '缝纫 成都', 'feng', 'elctronics', '鞋'])
      for (const [label, passes, filter] of scopes) {
        const all = await index.search({ q, hitsPerPage: 100, page: 1 });
        const everything = (await index.search({ q, hitsPerPage: 100, page: 1 })).totalHits;
        const pages = Math.ceil(Math.min(everything, 10_000) / 100);
        const ranked = [...all.hits];
        for (let page = 2; page <= pages; page++)
          ranked.push(...(await index.search({ q, hitsPerPage: 100, page })).hits);
        const expected = ranked.filter((h) => passes(h.document)).map((h) => h.document.id);
        const got: string[] = [];
        for (let page = 1; got.length < expected.length || page === 1; page++) {
          const res = await index.search({ q, filter: filter as never, hitsPerPage: 100, page });
          got.push(...res.hits.map((h) => h.document.id));
          if (res.hits.length < 100) break;
        }
        expect(got, `${q} in ${label}`).toEqual(expected);
      }
  }, 30_000);

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

  it('when its owner has not filled it yet, then health and searches refuse while writes and reads by id work', async () => {
    const engine = createEmbeddedSearch('r', { notReady: 'still building' });
    const index = engine.index(openingsIndex);
    const doc = makeOpening(1, prng(5));
    await index.upsert([doc]);
    await expect(engine.health()).rejects.toThrow('still building');
    await expect(index.search({ q: '' })).rejects.toBeInstanceOf(SearchUnavailableError);
    expect(await index.get([doc.id])).toEqual([doc]);
    expect(await index.count()).toBe(1);
    engine.setNotReady(null);
    await expect(engine.health()).resolves.toBeUndefined();
    expect((await index.search({})).totalHits).toBe(1);
  });

  it('when closed, then every call fails as unavailable (nothing is silently recreated)', async () => {
    const engine = createEmbeddedSearch('c');
    const index = engine.index(openingsIndex);
    await index.upsert([makeOpening(1, prng(6))]);
    await engine.close();
    await expect(engine.health()).rejects.toThrow(/closed/);
    await expect(index.search({})).rejects.toBeInstanceOf(SearchUnavailableError);
    await expect(index.upsert([makeOpening(2, prng(6))])).rejects.toBeInstanceOf(SearchUnavailableError);
    await expect(index.count()).rejects.toBeInstanceOf(SearchUnavailableError);
  });

  it('when a request is refused, then the error names the part of the request at fault', async () => {
    const index = createEmbeddedSearch('f').index(openingsIndex);
    const fieldOf = (p: Promise<unknown>) =>
      p.then(
        () => 'accepted',
        (err: unknown) => (err instanceof SearchInputError ? err.field : String(err)),
      );
    expect(await fieldOf(index.search({ q: 'x'.repeat(501) }))).toBe('q');
    expect(await fieldOf(index.search({ page: 0 }))).toBe('page');
    expect(await fieldOf(index.search({ hitsPerPage: 101 }))).toBe('hitsPerPage');
    expect(await fieldOf(index.search({ facets: ['title'] }))).toBe('facets');
    expect(await fieldOf(index.search({ sort: [{ field: 'title' as never, direction: 'asc' }] }))).toBe(
      'sort',
    );
    expect(await fieldOf(index.search({ filter: { field: 'wageMin', op: 'between', value: [9, 1] } }))).toBe(
      'filter.wageMin',
    );
    expect(await fieldOf(index.search({ filter: { field: 'title' as never, op: 'eq', value: 'x' } }))).toBe(
      'filter',
    );
  });
});
