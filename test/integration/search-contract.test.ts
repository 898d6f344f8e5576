import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import {
  createSearchEngine,
  type SearchEngine,
  type SearchFilter,
  type SearchIndex,
  SearchInputError,
} from '../../src/lib/search/index.js';
import {
  FORBIDDEN_PROFILE_FIELDS,
  type OpeningSearchDocument,
  openingsIndex,
  type WorkerProfileSearchDocument,
  workerProfilesIndex,
} from '../../src/lib/search/indexes.js';
import { uniqueName } from '../fixtures/app.js';
import {
  ACCOMMODATIONS,
  DESTINATIONS,
  JOB_DEMANDS,
  makeOpening,
  makeProfile,
  OPENING_STATUSES,
  pick,
  pickSome,
  prng,
  SKILLS,
} from '../fixtures/search-documents.js';

/**
 * One contract for every configured search adapter: the embedded engine always, Meilisearch too
 * when MEILI_HOST is set (MEILI_API_KEY: a key that may write). The same documents, queries,
 * filters and facets must give the same ids; only the order of equally ranked hits may differ, so
 * results are compared as sets unless a sort is requested.
 */

type Field = keyof OpeningSearchDocument & string;
type Filter = SearchFilter<Field>;

const adapters: { name: string; env: Record<string, string> }[] = [{ name: 'embedded', env: {} }];
if (process.env.MEILI_HOST)
  adapters.push({
    name: 'meilisearch',
    env: { MEILI_HOST: process.env.MEILI_HOST, MEILI_API_KEY: process.env.MEILI_API_KEY ?? '' },
  });

/** Filter values a user might type to break out of a string literal. */
const HOSTILE = [
  '"',
  '\\',
  '\\"',
  'emp1\\',
  '" OR status = "open',
  'open" OR "1" = "1',
  "open' OR '1'='1",
  'status = open',
  'OR',
  'AND',
  'NOT',
  'TO',
  'IN',
  '=',
  '!=',
  '[',
  '(open)',
  'open\nOR status = open',
  '电子装配" OR skillCodes = "electronic_assembly',
  `${'\\"'.repeat(200)} OR ${'x'.repeat(590)}`,
];

/** Employer ids that are themselves hostile, stored in documents: an exact filter must find each. */
const HOSTILE_EMPLOYERS = ['emp"quoted', 'emp\\back\\slash\\', 'emp" OR status = "open', 'empAND OR NOT'];

function buildOpenings(): OpeningSearchDocument[] {
  const rand = prng(20260501);
  const docs: OpeningSearchDocument[] = [];
  for (let i = 0; i < 120; i++) docs.push(makeOpening(i, rand));
  HOSTILE_EMPLOYERS.forEach((employerId, j) => {
    docs.push(makeOpening(1000 + j, rand, { employerId, status: 'open' }));
  });
  // Fixed anchors so the text expectations below never depend on the draw.
  docs.push(
    makeOpening(2000, rand, {
      skillCodes: ['electronic_assembly'],
      skillLabels: ['电子装配', 'electronics assembly'],
      title: '电子装配工',
      description: '招聘电子装配岗位，工作地点东莞市。',
      regionCodes: ['440000', '441900'],
      regionNames: ['广东省', '东莞市'],
    }),
    makeOpening(2001, rand, {
      skillCodes: ['soldering'],
      skillLabels: ['焊锡', 'soldering'],
      title: '焊锡工',
      description: '招聘焊锡岗位，工作地点佛山市。',
    }),
    makeOpening(2002, rand, {
      skillCodes: ['packaging'],
      skillLabels: ['包装', 'packaging'],
      title: '缝纫机操作工',
      employerName: '同心示例服饰有限公司',
      description: '招聘岗位。',
    }),
    makeOpening(2003, rand, {
      title: '制鞋工',
      employerName: '浙南示例鞋业有限公司',
      description: '招聘制鞋岗位，皮鞋生产线。',
    }),
  );
  return docs;
}

const OPENINGS = buildOpenings();

// ---- the oracle: the contract's meaning, evaluated by brute force over the same documents -----

function valuesOf(doc: OpeningSearchDocument, field: Field): (string | number | boolean)[] {
  const v = doc[field];
  if (v === null || v === undefined) return [];
  return Array.isArray(v) ? [...v] : [v as string | number | boolean];
}

function same(a: string | number | boolean, b: string | number | boolean): boolean {
  return typeof a === 'string' && typeof b === 'string' ? a.toLowerCase() === b.toLowerCase() : a === b;
}

function holds(doc: OpeningSearchDocument, f: Filter): boolean {
  if ('and' in f) return f.and.every((g) => holds(doc, g));
  if ('or' in f) return f.or.some((g) => holds(doc, g));
  if ('not' in f) return !holds(doc, f.not);
  const vs = valuesOf(doc, f.field);
  const nums = vs.filter((v): v is number => typeof v === 'number');
  switch (f.op) {
    case 'eq':
      return vs.some((v) => same(v, f.value));
    case 'ne':
      return !vs.some((v) => same(v, f.value));
    case 'in':
      return vs.some((v) => f.value.some((w) => same(v, w)));
    case 'gt':
      return nums.some((n) => n > f.value);
    case 'gte':
      return nums.some((n) => n >= f.value);
    case 'lt':
      return nums.some((n) => n < f.value);
    case 'lte':
      return nums.some((n) => n <= f.value);
    case 'between':
      return nums.some((n) => n >= f.value[0] && n <= f.value[1]);
  }
}

function idsWhere(pred: (d: OpeningSearchDocument) => boolean, docs = OPENINGS): string[] {
  return docs
    .filter(pred)
    .map((d) => d.id)
    .sort();
}

function bruteFacets(docs: OpeningSearchDocument[], field: Field): Record<string, number> {
  const out: Record<string, number> = {};
  for (const d of docs) for (const v of new Set(valuesOf(d, field).map(String))) out[v] = (out[v] ?? 0) + 1;
  return out;
}

function randomCondition(rand: () => number): Filter {
  const r = rand();
  if (r < 0.15)
    return { field: 'status', op: 'eq', value: pick(rand, [...OPENING_STATUSES, pick(rand, HOSTILE)]) };
  if (r < 0.25) return { field: 'status', op: 'ne', value: pick(rand, OPENING_STATUSES) };
  if (r < 0.4)
    return {
      field: 'skillCodes',
      op: 'in',
      value: [
        ...pickSome(rand, SKILLS, 0, 3).map((s) => s.code),
        ...(rand() < 0.3 ? [pick(rand, HOSTILE)] : []),
      ],
    };
  if (r < 0.5) {
    const lo = 2_000 + Math.floor(rand() * 40) * 100;
    return { field: 'wageMin', op: 'between', value: [lo, lo + Math.floor(rand() * 20) * 100] };
  }
  if (r < 0.6)
    return {
      field: 'wageMax',
      op: pick(rand, ['gt', 'gte', 'lt', 'lte'] as const),
      value: 3_000 + Math.floor(rand() * 40) * 100,
    };
  if (r < 0.7) return { field: 'regionCodes', op: 'eq', value: pick(rand, DESTINATIONS).city[0] };
  if (r < 0.78) return { field: 'accommodationCodes', op: 'eq', value: pick(rand, ACCOMMODATIONS).code };
  if (r < 0.84) return { field: 'jobDemandCodes', op: 'ne', value: pick(rand, JOB_DEMANDS).code };
  if (r < 0.9)
    return {
      field: 'startDate',
      op: 'gte',
      value: Date.UTC(2026, 0, 1) + Math.floor(rand() * 120) * 86_400_000,
    };
  if (r < 0.95)
    return { field: 'employerId', op: 'eq', value: pick(rand, [...HOSTILE_EMPLOYERS, ...HOSTILE]) };
  return { field: 'occupationCode', op: 'in', value: ['6-12', '6-15', '6-20', pick(rand, HOSTILE)] };
}

function randomFilter(rand: () => number, depth = 0): Filter {
  const r = rand();
  if (depth >= 3 || r < 0.4) return randomCondition(rand);
  if (r < 0.7)
    return { and: Array.from({ length: 1 + Math.floor(rand() * 3) }, () => randomFilter(rand, depth + 1)) };
  if (r < 0.9)
    return { or: Array.from({ length: 1 + Math.floor(rand() * 3) }, () => randomFilter(rand, depth + 1)) };
  return { not: randomFilter(rand, depth + 1) };
}

async function allIds(
  index: SearchIndex<OpeningSearchDocument>,
  request: Parameters<typeof index.search>[0],
) {
  const ids: string[] = [];
  for (let page = 1; ; page++) {
    const res = await index.search({ ...request, page, hitsPerPage: 100 });
    ids.push(...res.hits.map((h) => h.document.id));
    if (page >= res.totalPages) return { ids: ids.sort(), totalHits: res.totalHits, facets: res.facets };
  }
}

describe.each(adapters)('search contract: $name', ({ env }) => {
  let engine: SearchEngine;
  let openings: SearchIndex<OpeningSearchDocument>;
  const toDrop: SearchIndex<OpeningSearchDocument>[] = [];

  beforeAll(async () => {
    const config = loadConfig({ NODE_ENV: 'test', SEARCH_INDEX_PREFIX: uniqueName('s'), ...env });
    engine = createSearchEngine(config, 'worker');
    openings = engine.index(openingsIndex);
    toDrop.push(openings);
    await openings.configure();
    await openings.upsert(OPENINGS);
  });

  afterAll(async () => {
    for (const i of toDrop) await i.drop().catch(() => undefined);
    await engine?.close();
  });

  /** A scratch index of the same declaration, for tests that write. */
  async function scratch(label: string): Promise<SearchIndex<OpeningSearchDocument>> {
    const index = engine.index<OpeningSearchDocument>({ ...openingsIndex, name: `openings_${label}` });
    toDrop.push(index);
    await index.configure();
    return index;
  }

  it('when settings are applied twice, then the index still answers and holds every document', async () => {
    await openings.configure();
    expect(await openings.count()).toBe(OPENINGS.length);
    await engine.health();
  });

  it('when documents are stored, then get returns them unchanged', async () => {
    const sample = OPENINGS.slice(0, 5);
    const got = await openings.get([...sample.map((d) => d.id), 'no_such_id']);
    expect(got.sort((a, b) => a.id.localeCompare(b.id))).toEqual(
      [...sample].sort((a, b) => a.id.localeCompare(b.id)),
    );
  });

  it('when there is no query or filter, then every document is a hit and totals add up', async () => {
    const res = await openings.search({ hitsPerPage: 7 });
    expect(res.totalHits).toBe(OPENINGS.length);
    expect(res.totalPages).toBe(Math.ceil(OPENINGS.length / 7));
    expect(res.hits).toHaveLength(7);
    expect((await allIds(openings, {})).ids).toEqual(idsWhere(() => true));
  });

  it('when searching a skill label, then exactly the openings with that skill are found', async () => {
    const expected = idsWhere((d) => d.skillCodes.includes('electronic_assembly'));
    expect(expected.length).toBeGreaterThan(1);
    expect((await allIds(openings, { q: '电子装配' })).ids).toEqual(expected);
  });

  it('when searching a synonym (电子组装), then openings tagged 电子装配 are found', async () => {
    const expected = idsWhere((d) => d.skillCodes.includes('electronic_assembly'));
    expect((await allIds(openings, { q: '电子组装' })).ids).toEqual(expected);
  });

  it('when a Latin skill word has a typo, then it is still found', async () => {
    expect((await allIds(openings, { q: 'electronics asembly' })).ids).toEqual(
      idsWhere((d) => d.skillCodes.includes('electronic_assembly')),
    );
    expect((await allIds(openings, { q: 'soldring' })).ids).toEqual(
      idsWhere((d) => d.skillCodes.includes('soldering')),
    );
  });

  it('when Latin words or digits are typed full-width, then they find what the half-width ones find', async () => {
    const expected = idsWhere((d) => d.skillCodes.includes('soldering'));
    expect(expected.length).toBeGreaterThan(1);
    expect((await allIds(openings, { q: 'ＳＯＬＤＥＲＩＮＧ' })).ids).toEqual(expected);
    expect((await allIds(openings, { q: 'ｄｚｚｐ' })).ids).toEqual(
      idsWhere((d) => d.skillCodes.includes('electronic_assembly')),
    );
  });

  it('when the last word is being typed, then it matches as a prefix', async () => {
    expect((await allIds(openings, { q: 'electronics assem' })).ids).toEqual(
      idsWhere((d) => d.skillCodes.includes('electronic_assembly')),
    );
  });

  it('when searching pinyin or initials of a label, then the Chinese label is found', async () => {
    const expected = idsWhere((d) => d.skillCodes.includes('electronic_assembly'));
    expect((await allIds(openings, { q: 'dianzizhuangpei' })).ids).toEqual(expected);
    expect((await allIds(openings, { q: 'dzzp' })).ids).toEqual(expected);
    expect((await allIds(openings, { q: 'dongguan' })).ids).toEqual(
      idsWhere((d) => d.regionCodes.includes('441900')),
    );
  });

  it('when searching the pinyin of an opening title or employer name, then it is found', async () => {
    const fengren = (await allIds(openings, { q: 'fengren' })).ids;
    expect(fengren).toContain('op2002');
    expect((await allIds(openings, { q: 'tongxinshili' })).ids).toEqual(['op2002']);
  });

  it('when hits rank equally, then the more recently published come first in both engines', async () => {
    const res = await openings.search({
      filter: { field: 'status', op: 'eq', value: 'open' },
      hitsPerPage: 100,
    });
    const published = res.hits.map((h) => h.document.publishedAt ?? -1);
    expect(published.length).toBeGreaterThan(10);
    expect(published).toEqual([...published].sort((a, b) => b - a));
  });

  it('when one Chinese character is typed, then every opening with it in any word is found', async () => {
    const withChar = (ch: string) =>
      idsWhere((d) =>
        openingsIndex.localizedAttributes.some((f) => valuesOf(d, f).some((v) => String(v).includes(ch))),
      );
    const shoe = withChar('鞋');
    expect(shoe).toContain('op2003');
    expect((await allIds(openings, { q: '鞋' })).ids).toEqual(shoe);
    expect((await allIds(openings, { q: '机' })).ids).toEqual(withChar('机'));
  });

  it('when a three-character word is typed, then openings holding it are found', async () => {
    expect((await allIds(openings, { q: '缝纫机' })).ids).toContain('op2002');
    expect((await allIds(openings, { q: '制鞋工' })).ids).toContain('op2003');
  });

  it('when words and a filter are combined, then both must hold', async () => {
    const filter: Filter = { field: 'status', op: 'in', value: ['open', 'paused'] };
    expect((await allIds(openings, { q: '电子装配', filter })).ids).toEqual(
      idsWhere((d) => d.skillCodes.includes('electronic_assembly') && holds(d, filter)),
    );
  });

  it('when a hit is highlighted, then the matched words are marked and the text is intact', async () => {
    const res = await openings.search({
      q: '电子装配',
      highlight: ['title', 'skillLabels'],
      hitsPerPage: 100,
    });
    const anchor = res.hits.find((h) => h.document.id === 'op2000');
    expect(anchor).toBeDefined();
    const title = anchor!.highlights.title![0]!;
    expect(title.map((s) => s.text).join('')).toBe('电子装配工');
    expect(
      title
        .filter((s) => s.match)
        .map((s) => s.text)
        .join(''),
    ).toBe('电子装配');
    expect(anchor!.highlights.skillLabels).toHaveLength(2);
  });

  it('when random filters are applied, then the hits equal a brute-force evaluation', async () => {
    const rand = prng(7);
    const sizes: number[] = [];
    for (let n = 0; n < 40; n++) {
      const filter = randomFilter(rand);
      const got = await allIds(openings, { filter, facets: ['status', 'skillCodes'] });
      const expected = idsWhere((d) => holds(d, filter));
      expect(got.ids, JSON.stringify(filter)).toEqual(expected);
      expect(got.totalHits).toBe(expected.length);
      sizes.push(expected.length);
      const matched = OPENINGS.filter((d) => holds(d, filter));
      expect(got.facets.status, JSON.stringify(filter)).toEqual(bruteFacets(matched, 'status'));
      expect(got.facets.skillCodes, JSON.stringify(filter)).toEqual(bruteFacets(matched, 'skillCodes'));
    }
    // The draw must exercise partial selections, not only "nothing" and "everything".
    expect(sizes.filter((n) => n > 0 && n < OPENINGS.length).length).toBeGreaterThan(20);
  });

  it('when facets are requested with words and a filter, then each count equals a brute-force count', async () => {
    const filter: Filter = { field: 'wageMin', op: 'gte', value: 3_000 };
    const res = await openings.search({
      q: '招聘',
      filter,
      facets: ['status', 'regionCodes', 'accommodationCodes', 'dormitory'],
      hitsPerPage: 0,
    });
    const matched = OPENINGS.filter((d) => holds(d, filter));
    expect(res.totalHits).toBe(matched.length);
    expect(res.hits).toHaveLength(0);
    for (const f of ['status', 'regionCodes', 'accommodationCodes', 'dormitory'] as const)
      expect(res.facets[f]).toEqual(bruteFacets(matched, f));
  });

  it('when a filter value is hostile, then it is one literal value and never syntax', async () => {
    expect.hasAssertions();
    for (const value of HOSTILE) {
      const eq = await openings.search({ filter: { field: 'status', op: 'eq', value }, hitsPerPage: 0 });
      expect(eq.totalHits, value).toBe(0);
      const ne = await openings.search({ filter: { field: 'employerId', op: 'ne', value }, hitsPerPage: 0 });
      expect(ne.totalHits, value).toBe(OPENINGS.length);
      const mixed = await allIds(openings, { filter: { field: 'status', op: 'in', value: [value, 'open'] } });
      expect(mixed.ids, value).toEqual(idsWhere((d) => d.status === 'open'));
      const q = await openings.search({ q: value.slice(0, 400), hitsPerPage: 5 });
      // Searched as words: at most the stored openings, and the page agrees with the count.
      expect(q.totalHits, value).toBeLessThanOrEqual(OPENINGS.length);
      expect(q.hits, value).toHaveLength(Math.min(q.totalHits, 5));
    }
    for (const employerId of HOSTILE_EMPLOYERS) {
      const res = await allIds(openings, { filter: { field: 'employerId', op: 'eq', value: employerId } });
      expect(res.ids, employerId).toEqual(idsWhere((d) => d.employerId === employerId));
      expect(res.ids).toHaveLength(1);
    }
  });

  it('when a filter string is at the length limit it is a value; beyond it the request is refused', async () => {
    const atLimit = '" OR \\'.repeat(200).slice(0, 1_000);
    expect(atLimit).toHaveLength(1_000);
    const res = await openings.search({ filter: { field: 'employerId', op: 'eq', value: atLimit } });
    expect(res.totalHits).toBe(0);
    await expect(
      openings.search({ filter: { field: 'employerId', op: 'eq', value: `${atLimit}x` } }),
    ).rejects.toBeInstanceOf(SearchInputError);
  });

  it('when a request names undeclared fields or bad pages, then it is refused before the engine', async () => {
    expect.hasAssertions();
    const bad: Parameters<typeof openings.search>[0][] = [
      { filter: { field: 'description', op: 'eq', value: 'x' } },
      { filter: { field: 'nope' as Field, op: 'eq', value: 'x' } },
      { filter: { field: 'wageMin', op: 'between', value: [5_000, 1_000] } },
      { filter: { field: 'wageMin', op: 'gte', value: Number.NaN } },
      { facets: ['title'] },
      { sort: [{ field: 'title', direction: 'asc' }] },
      { highlight: ['status'] },
      { hitsPerPage: 101 },
      { page: 0 },
      { q: 'x'.repeat(501) },
    ];
    for (const request of bad)
      await expect(openings.search(request), JSON.stringify(request)).rejects.toBeInstanceOf(
        SearchInputError,
      );
  });

  it('when `in` is empty, then nothing matches and facets are empty', async () => {
    const res = await openings.search({
      filter: { field: 'skillCodes', op: 'in', value: [] },
      facets: ['status'],
    });
    expect(res.totalHits).toBe(0);
    expect(res.facets).toEqual({ status: {} });
  });

  it('when more documents match than maxTotalHits, then totalHits is exact and pages stop at the limit', async () => {
    const limited = engine.index<OpeningSearchDocument>({
      ...openingsIndex,
      name: 'openings_capped',
      pagination: { maxTotalHits: 50 },
    });
    toDrop.push(limited);
    await limited.configure();
    await limited.upsert(OPENINGS);
    const res = await limited.search({ hitsPerPage: 20, page: 3 });
    expect(res.totalHits).toBe(OPENINGS.length);
    expect(res.totalPages).toBe(3);
    expect(res.hits).toHaveLength(10);
    const beyond = await limited.search({ hitsPerPage: 20, page: 4 });
    expect(beyond.hits).toEqual([]);
    expect(beyond.totalHits).toBe(OPENINGS.length);
  });

  it('when sorted, then hits follow the sort key across pages', async () => {
    for (const direction of ['asc', 'desc'] as const) {
      const keys: number[] = [];
      for (let page = 1; page <= 4; page++) {
        const res = await openings.search({ sort: [{ field: 'wageMin', direction }], page, hitsPerPage: 30 });
        keys.push(...res.hits.map((h) => h.document.wageMin!));
      }
      const expected = OPENINGS.map((d) => d.wageMin!).sort((a, b) => (direction === 'asc' ? a - b : b - a));
      expect(keys).toEqual(expected.slice(0, keys.length));
      expect(keys).toHaveLength(Math.min(120, OPENINGS.length));
    }
    const ordered: string[] = [];
    for (let page = 1; page <= 2; page++) {
      const res = await openings.search({
        sort: [{ field: 'publishedAt', direction: 'desc' }],
        page,
        hitsPerPage: 100,
      });
      ordered.push(...res.hits.map((h) => h.document.id));
    }
    expect(ordered).toEqual([...OPENINGS].sort((a, b) => b.publishedAt! - a.publishedAt!).map((d) => d.id));
  });

  it('when documents are upserted again, then they are replaced whole; deletes ignore unknown ids', async () => {
    const index = await scratch('writes');
    const docs = OPENINGS.slice(0, 10);
    await index.upsert(docs);
    const changed = {
      ...docs[0]!,
      title: '包装工',
      skillCodes: ['packaging'],
      skillLabels: ['包装', 'packaging'],
    };
    await index.upsert([changed]);
    expect(await index.get([changed.id])).toEqual([changed]);
    expect(
      (await allIds(index, { q: 'packaging', filter: { field: 'skillCodes', op: 'eq', value: 'packaging' } }))
        .ids,
    ).toContain(changed.id);
    await index.delete([docs[1]!.id, docs[2]!.id, 'never_there']);
    expect(await index.count()).toBe(8);
    expect(await index.get([docs[1]!.id])).toEqual([]);
    await index.deleteAll();
    expect(await index.count()).toBe(0);
  });

  it('when a document has an undeclared field or a bad id, then the whole batch is refused', async () => {
    const index = await scratch('refused');
    const leaky = { ...OPENINGS[0]!, phone: '13800000000' } as unknown as OpeningSearchDocument;
    await expect(index.upsert([OPENINGS[1]!, leaky])).rejects.toBeInstanceOf(SearchInputError);
    await expect(index.upsert([{ ...OPENINGS[2]!, id: 'a b"c' }])).rejects.toBeInstanceOf(SearchInputError);
    await expect(
      index.upsert([{ ...OPENINGS[3]!, wageMin: '3000' } as unknown as OpeningSearchDocument]),
    ).rejects.toBeInstanceOf(SearchInputError);
    expect(await index.count()).toBe(0);
  });

  it('when reindexed, then searches keep answering from the old data until the switch', async () => {
    const index = await scratch('reindex');
    const before = OPENINGS.slice(0, 20);
    const after = OPENINGS.slice(10, 40);
    await index.upsert(before);
    const seenDuring: number[] = [];
    async function* batches() {
      yield after.slice(0, 15);
      seenDuring.push((await index.search({ hitsPerPage: 0 })).totalHits);
      yield after.slice(15);
      seenDuring.push((await index.search({ hitsPerPage: 0 })).totalHits);
    }
    const res = await index.reindex(batches());
    expect(res.documents).toBe(after.length);
    expect(seenDuring).toEqual([before.length, before.length]);
    expect((await allIds(index, {})).ids).toEqual(idsWhere(() => true, after));
    expect(await index.count()).toBe(after.length);
  });

  it('when a worker profile carries an identifying field, then it is refused; stored ones are de-identified', async () => {
    const profiles: SearchIndex<WorkerProfileSearchDocument> = engine.index(workerProfilesIndex);
    await profiles.configure();
    try {
      const rand = prng(99);
      const docs = Array.from({ length: 30 }, (_, i) => makeProfile(i, rand));
      for (const field of FORBIDDEN_PROFILE_FIELDS) {
        const leaky = { ...docs[0]!, [field]: 'x' } as unknown as WorkerProfileSearchDocument;
        await expect(profiles.upsert([leaky]), field).rejects.toBeInstanceOf(SearchInputError);
      }
      await profiles.upsert(docs);
      const stored = await profiles.get(docs.map((d) => d.id));
      expect(stored).toHaveLength(docs.length);
      const declared = new Set(Object.keys(workerProfilesIndex.fields));
      for (const doc of stored) for (const key of Object.keys(doc)) expect(declared.has(key), key).toBe(true);
      const scope: SearchFilter<keyof WorkerProfileSearchDocument & string> = {
        and: [
          { field: 'jurisdictionCodes', op: 'eq', value: '513400' },
          { field: 'status', op: 'eq', value: 'available' },
        ],
      };
      const res = await profiles.search({ filter: scope, facets: ['disabilityCategory'], hitsPerPage: 100 });
      const expected = docs.filter((d) => d.jurisdictionCodes.includes('513400') && d.status === 'available');
      expect(res.hits.map((h) => h.document.id).sort()).toEqual(expected.map((d) => d.id).sort());
      const counts: Record<string, number> = {};
      for (const d of expected) counts[d.disabilityCategory] = (counts[d.disabilityCategory] ?? 0) + 1;
      expect(res.facets.disabilityCategory).toEqual(counts);
    } finally {
      await profiles.drop();
    }
  });
});
