/**
 * `npm run bench:search-engine`: the embedded search engine alone (no HTTP, no MongoDB) on 10k
 * generated opening-like and 100k profile-like documents. Prints one JSON line per figure:
 * {"bench","metric","value","unit","baseline","ratio","node"}; `baseline` is the target
 * where one exists (p99 ≤ 50 ms for a search), `ratio` = value / baseline.
 *
 * Options: --openings N --profiles N --runs N (defaults 10000, 100000, 200).
 */
import { parseArgs } from 'node:util';
import { createEmbeddedSearch } from '../src/lib/search/embedded.js';
import {
  type OpeningSearchDocument,
  openingsIndex,
  type WorkerProfileSearchDocument,
  workerProfilesIndex,
} from '../src/lib/search/indexes.js';
import type { SearchDocument, SearchIndex, SearchRequest } from '../src/lib/search/port.js';
import { makeOpening, makeProfile, prng } from '../test/fixtures/search-documents.js';

const { values: args } = parseArgs({
  options: {
    openings: { type: 'string', default: '10000' },
    profiles: { type: 'string', default: '100000' },
    runs: { type: 'string', default: '200' },
  },
});
const OPENINGS = Number(args.openings);
const PROFILES = Number(args.profiles);
const RUNS = Number(args.runs);
const P99_TARGET_MS = 50;

function emit(metric: string, value: number, unit: string, baseline: number | null = null) {
  const rounded = Math.round(value * 100) / 100;
  console.log(
    JSON.stringify({
      bench: 'search-engine',
      metric,
      value: rounded,
      unit,
      baseline,
      ratio: baseline ? Math.round((value / baseline) * 1000) / 1000 : null,
      node: process.version,
    }),
  );
}

const gc = (globalThis as { gc?: () => void }).gc;
function heapMb(): number {
  gc?.();
  gc?.();
  return process.memoryUsage().heapUsed / 1_048_576;
}

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
}

async function build<D extends SearchDocument>(
  label: string,
  index: SearchIndex<D>,
  count: number,
  make: (i: number, rand: () => number) => D,
) {
  const rand = prng(42);
  const docs: D[] = [];
  for (let i = 0; i < count; i++) docs.push(make(i, rand));
  const heapBefore = heapMb();
  const t0 = performance.now();
  await index.configure();
  for (let i = 0; i < docs.length; i += 1_000) await index.upsert(docs.slice(i, i + 1_000));
  const ms = performance.now() - t0;
  docs.length = 0;
  const heapAfter = heapMb();
  emit(`${label}.build`, ms, 'ms');
  emit(`${label}.build_rate`, (count / ms) * 1000, 'docs/s');
  if (gc) emit(`${label}.heap`, heapAfter - heapBefore, 'MiB');
}

async function measure<D extends SearchDocument>(
  label: string,
  index: SearchIndex<D>,
  request: SearchRequest<D>,
) {
  for (let i = 0; i < 20; i++) await index.search(request);
  const times: number[] = [];
  let hits = 0;
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    const res = await index.search(request);
    times.push(performance.now() - t0);
    hits = res.totalHits;
  }
  times.sort((a, b) => a - b);
  emit(`${label}.p50`, quantile(times, 0.5), 'ms');
  emit(`${label}.p99`, quantile(times, 0.99), 'ms', P99_TARGET_MS);
  emit(`${label}.hits`, hits, 'docs');
}

async function main() {
  if (!gc) console.error('(run with --expose-gc for heap figures: npm run bench:search-engine does)');
  const engine = createEmbeddedSearch('bench');
  const openings = engine.index(openingsIndex);
  const profiles = engine.index(workerProfilesIndex);
  await build('openings', openings, OPENINGS, makeOpening);
  await build('profiles', profiles, PROFILES, makeProfile);
  emit('process.rss', process.memoryUsage().rss / 1_048_576, 'MiB');

  const openFacets = ['skillCodes', 'regionCodes', 'accommodationCodes', 'status'] as const;
  const openingQueries: [string, SearchRequest<OpeningSearchDocument>][] = [
    [
      'openings.q_skill_open_facets',
      { q: '电子装配', filter: { field: 'status', op: 'eq', value: 'open' }, facets: openFacets },
    ],
    [
      'openings.q_synonym',
      { q: '电子组装', filter: { field: 'status', op: 'eq', value: 'open' }, facets: openFacets },
    ],
    [
      'openings.q_typo_latin',
      { q: 'packagng', filter: { field: 'status', op: 'in', value: ['open', 'paused'] } },
    ],
    [
      'openings.browse_city_wage_sorted',
      {
        filter: {
          and: [
            { field: 'status', op: 'eq', value: 'open' },
            { field: 'regionCodes', op: 'eq', value: '441900' },
            { field: 'wageMin', op: 'gte', value: 4_000 },
          ],
        },
        facets: openFacets,
        sort: [{ field: 'publishedAt', direction: 'desc' }],
      },
    ],
    [
      'openings.employer_scope',
      {
        q: '包装',
        filter: {
          or: [
            { field: 'employerId', op: 'eq', value: 'emp1' },
            { field: 'status', op: 'eq', value: 'open' },
          ],
        },
        highlight: ['title', 'description'],
      },
    ],
  ];
  for (const [label, req] of openingQueries) await measure(label, openings, req);

  const scope = { field: 'jurisdictionCodes', op: 'eq', value: '513400' } as const;
  const profileFacets = ['disabilityCategory', 'skillCodes', 'status'] as const;
  const profileQueries: [string, SearchRequest<WorkerProfileSearchDocument>][] = [
    [
      'profiles.browse_scope_facets',
      { filter: { and: [scope, { field: 'status', op: 'eq', value: 'available' }] }, facets: profileFacets },
    ],
    ['profiles.q_skill_scope_facets', { q: '电子装配', filter: scope, facets: profileFacets }],
    [
      'profiles.q_two_words_sorted',
      {
        q: '缝纫 广州',
        filter: { and: [scope, { field: 'status', op: 'eq', value: 'available' }] },
        sort: [{ field: 'updatedAt', direction: 'desc' }],
      },
    ],
    ['profiles.q_pinyin_prefix', { q: 'feng', filter: scope }],
    ['profiles.q_rare_skill', { q: '手机维修', filter: scope, facets: profileFacets }],
  ];
  for (const [label, req] of profileQueries) await measure(label, profiles, req);
  await engine.close();
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
