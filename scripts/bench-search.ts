/**
 * `npm run bench:search`: latency of the search endpoints at a fixed request rate, against the
 * same query sent straight to the engine.
 *
 * - A database of its own is filled with generated openings (the matching demo generator, via
 *   `generateOpenings`) — 10k by default — and worker profiles (below).
 * - The API runs as its own process (src/server.ts, the embedded engine rebuilt from MongoDB at
 *   start); autocannon sends GET /api/v1/search/openings at a fixed overall rate (open model: many
 *   connections, each mostly idle) and reports p50/p99.
 * - The baseline: the same search request (same words, filters, facets, scope filter) on an
 *   embedded engine built in this process from the same MongoDB data, called at the same fixed
 *   rate, latency measured from each call's scheduled time (so waiting counts).
 * - Also, per query: one request at a time (service time and throughput), and the MongoDB check
 *   of one page alone; GET /api/v1/auth/me shows what signing in costs on every request (a session,
 *   a user and an organisation read from MongoDB). Together they explain the overhead.
 * - 100k worker profiles too (the same generator's people, with fictitious identities encrypted as
 *   the profiles module stores them), searched through GET /api/v1/search/worker-profiles.
 *
 * - With MEILI_HOST (MEILI_API_KEY: a write key; MEILI_SEARCH_KEY for the API when set), the same
 *   queries again on Meilisearch in the same run: indexes of this run's prefix are filled from the
 *   same MongoDB data, a second API process searches them; figures are prefixed `meilisearch.`.
 *
 * Options: --openings N --profiles N --rate R --seconds S (defaults 10000, 100000, 200, 20);
 * --ready-only: only the API's time to ready after start and its RSS then (twice; with
 * --compare-dir DIR, alternating with the API of another checkout, figures prefixed `compare.`).
 * Prints one JSON line per figure: {"bench","metric","value","unit","baseline","ratio","node"}.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import mongoose from 'mongoose';
import { loadConfig } from '../src/config.js';
import type { Actor } from '../src/lib/auth/actor.js';
import { connectMongo, disconnectMongo, syncIndexes } from '../src/lib/db/index.js';
import { createLogger } from '../src/lib/logger.js';
import { createEmbeddedSearch } from '../src/lib/search/embedded.js';
import {
  createSearchEngine,
  type SearchDocument,
  type SearchIndex,
  type SearchRequest,
} from '../src/lib/search/index.js';
import { openingsIndex, workerProfilesIndex } from '../src/lib/search/indexes.js';
import { issueSession, resolveSession } from '../src/modules/accounts/accounts.service.js';
import { hashPassword } from '../src/modules/accounts/password.js';
import { insertUser } from '../src/modules/accounts/users.repository.js';
import { insertOpening } from '../src/modules/openings/openings.repository.js';
import { searchScopeOf, visibleOpeningIds } from '../src/modules/openings/openings.service.js';
import { insertOrganization, type Organization } from '../src/modules/orgs/orgs.repository.js';
import { ensureReferenceData } from '../src/modules/reference/reference.service.js';
import { openingSearchRequest, profileSearchRequest } from '../src/modules/search/search.query.js';
import { searchOpeningsQuery, searchProfilesQuery } from '../src/modules/search/search.schemas.js';
import { openingsSource, workerProfilesSource } from '../src/modules/search/search.sources.js';
import { catchUp, documentsOf, OVERLAP_MS } from '../src/modules/search/search.sync.js';
import { visibleProfileIds } from '../src/modules/worker-profiles/search-projection.service.js';
import { profileSearchScope } from '../src/modules/worker-profiles/worker-profiles.policy.js';
import { makeCreditCode } from '../test/fixtures/accounts.js';
import { freePort, spawnEntry, stopChild, waitFor } from '../test/fixtures/processes.js';
import { report, stopChildrenOnExit } from './lib/bench.js';
import { insertDemoProfiles } from './lib/demo-profiles.js';
import { generateOpenings } from './lib/generate/openings.js';

const { values: args } = parseArgs({
  options: {
    openings: { type: 'string', default: '10000' },
    profiles: { type: 'string', default: '100000' },
    rate: { type: 'string', default: '200' },
    seconds: { type: 'string', default: '20' },
    'ready-only': { type: 'boolean', default: false },
    'compare-dir': { type: 'string' },
  },
});
const OPENINGS = Number(args.openings);
const PROFILES = Number(args.profiles);
const RATE = Number(args.rate);
const SECONDS = Number(args.seconds);
/** Only the API's start: time to ready and its memory then (no load, no baseline engine). */
const READY_ONLY = args['ready-only'];
/** With --ready-only: another checkout (say, the commit before a change) started in turn with this one. */
const COMPARE_DIR = args['compare-dir'];
const P99_GOAL_MS = 50;

const name = `bench_search_${Date.now().toString(36)}_${randomBytes(2).toString('hex')}`;
const mongoUrl = new URL(process.env.MONGODB_URI ?? 'mongodb://127.0.0.1:27017/tongxin');
mongoUrl.pathname = `/${name}`;
const env = {
  NODE_ENV: 'test',
  LOG_LEVEL: 'warn',
  MONGODB_URI: mongoUrl.toString(),
  REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
  QUEUE_PREFIX: name,
  SEARCH_INDEX_PREFIX: name,
  RATE_LIMIT_PER_MINUTE: '100000000',
  METRICS_PORT: '0',
};
const config = loadConfig(env);
const logger = createLogger('warn');

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

/** Calls `fn` at `rate` per second for `seconds`; latency from each call's scheduled start. */
async function openLoop(fn: () => Promise<unknown>, rate: number, seconds: number) {
  const n = Math.round(rate * seconds);
  const gap = 1000 / rate;
  const times: number[] = [];
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    const due = t0 + i * gap;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    await fn();
    times.push(performance.now() - due);
  }
  times.sort((a, b) => a - b);
  return { p50: quantile(times, 0.5), p99: quantile(times, 0.99), requests: n };
}

/** `n` calls one after another (after one unmeasured). */
async function serialLoop(fn: () => Promise<unknown>, n: number) {
  await fn();
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return { p50: quantile(times, 0.5), p99: quantile(times, 0.99) };
}

/** At the fixed rate (open model: many connections, each mostly idle); `serial`: one request at a time, as fast as answered. */
async function http(url: string, token: string, seconds: number, serial = false) {
  const result = await autocannon({
    url,
    connections: serial ? 1 : Math.max(10, Math.round(RATE / 4)),
    ...(serial ? {} : { overallRate: RATE }),
    duration: seconds,
    timeout: 30,
    headers: { authorization: `Bearer ${token}` },
  });
  const bad = result.non2xx + result.errors + result.timeouts;
  if (bad) throw new Error(`${url}: ${bad} failed requests`);
  return {
    p50: result.latency.p50,
    p99: result.latency.p99,
    requests: result.requests.total,
    perSecond: result.requests.average,
  };
}

/** The API process left queue keys under this run's prefix. */
async function deleteRedisKeys(pattern: string): Promise<void> {
  const { Redis } = await import('ioredis');
  const redis = new Redis(env.REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 500);
      if (keys.length) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

/** The resident memory of a process (Linux), or null where /proc is not there. */
function apiRssMiB(pid: number | undefined): number | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = Number(/^VmRSS:\s+(\d+) kB/m.exec(status)?.[1]);
    return Number.isFinite(kb) ? Math.round(kb / 1024) : null;
  } catch {
    return null;
  }
}

/**
 * Waits until the API answers a signed-in probe quickly three times in a row: requests the load
 * generator abandoned at the end of a run are still being served, reading MongoDB.
 */
async function drained(base: string, token: string): Promise<void> {
  let fast = 0;
  await waitFor(
    'the API drained',
    async () => {
      const t0 = performance.now();
      await fetch(`${base}/api/v1/auth/me`, { headers: { authorization: `Bearer ${token}` } });
      fast = performance.now() - t0 < 25 ? fast + 1 : 0;
      return fast >= 3;
    },
    120_000,
    100,
  ).catch(() => undefined);
}

async function setUp() {
  await connectMongo(config.mongo.uri, logger);
  await syncIndexes();
  await ensureReferenceData();
  const passwordHash = await hashPassword(`Bench-${randomBytes(8).toString('hex')}-1a`);
  const user = async (org: Organization, roles: Actor['roles']) =>
    insertUser({
      username: `bench.${randomBytes(4).toString('hex')}`,
      displayName: 'bench',
      organizationId: org.id,
      roles,
      language: 'zh-CN',
      passwordHash,
    });
  const foshanFed = await insertOrganization({
    type: 'supporting_federation',
    name: '佛山市残联（基准测试）',
    jurisdictionCode: '440600',
  });
  // People first: the generator registers them with one federation per prefecture (凉山 among them).
  const t1 = performance.now();
  const { inserted, federations } = await insertDemoProfiles(config, PROFILES);
  report({ bench: 'search', metric: 'setup.profiles_inserted', value: inserted, unit: 'docs' });
  report({ bench: 'search', metric: 'setup.profiles_insert', value: performance.now() - t1, unit: 'ms' });
  const liangshanFed =
    federations.get('513400') ??
    (await insertOrganization({
      type: 'recipient_federation',
      name: '凉山州残联（基准测试）',
      jurisdictionCode: '513400',
    }));
  const reviewer = await user(foshanFed, ['reviewer']);
  const staff = await user(liangshanFed, ['federation_staff']);

  const generated = generateOpenings(OPENINGS);
  const employers = new Map<string, Organization>();
  for (const g of generated)
    if (!employers.has(g.employerKey))
      employers.set(
        g.employerKey,
        await insertOrganization({
          type: 'employer',
          name: `示例企业 ${employers.size + 1} 有限公司`,
          creditCode: makeCreditCode(g.content.regionCode),
          locationCode: g.content.regionCode,
          industryCode: 'C39',
          staffCount: 300,
        }),
      );
  const t0 = performance.now();
  const published = new Date(Date.now() - 86_400_000);
  for (let i = 0; i < generated.length; i += 32)
    await Promise.all(
      generated.slice(i, i + 32).map((g) =>
        insertOpening(
          { ...g.content, employerId: employers.get(g.employerKey)!.id },
          {
            status: g.status,
            history:
              g.status === 'draft'
                ? []
                : [{ from: 'draft', to: 'open', action: 'open', at: published, by: 'bench' }],
          },
        ),
      ),
    );
  report({ bench: 'search', metric: 'setup.openings_inserted', value: generated.length, unit: 'docs' });
  report({ bench: 'search', metric: 'setup.insert', value: performance.now() - t0, unit: 'ms' });
  const tokens = {
    reviewer: (await issueSession(config, reviewer)).token,
    staff: (await issueSession(config, staff)).token,
  };
  return { tokens };
}

/**
 * The same scenarios through an API process on `apiEnv`'s engine, against `raw` (that engine
 * called in this process). `tag` prefixes every figure (empty for the embedded engine).
 */
async function measure(
  tag: string,
  apiEnv: Record<string, string>,
  raw: { openings: SearchIndex<SearchDocument>; profiles: SearchIndex<SearchDocument> },
  tokens: { reviewer: string; staff: string },
  entry = 'src/server.ts',
): Promise<void> {
  const port = await freePort();
  const api = spawnEntry(entry, { ...apiEnv, PORT: String(port), HOST: '127.0.0.1' });
  const base = `http://127.0.0.1:${port}`;
  try {
    const t0 = performance.now();
    await waitFor(
      'the API ready (index built)',
      async () => (await fetch(`${base}/readyz`)).status === 200,
      900_000,
      250,
    );
    report({
      bench: 'search',
      metric: `${tag}api.ready_after_start`,
      value: performance.now() - t0,
      unit: 'ms',
    });
    const rss = apiRssMiB(api.pid);
    if (rss !== null)
      report({ bench: 'search', metric: `${tag}api.rss_when_ready`, value: rss, unit: 'MiB' });
    if (READY_ONLY) return;

    /** The engine request the endpoint makes for this caller and query (same scope filter). */
    type Build = (
      actor: Actor,
      query: Record<string, string>,
    ) => Promise<SearchRequest<SearchDocument> | null>;
    const openings: Build = async (actor, query) =>
      openingSearchRequest(searchOpeningsQuery.parse(query), await searchScopeOf(actor)) as never;
    const people: Build = async (actor, query) =>
      profileSearchRequest(searchProfilesQuery.parse(query), profileSearchScope(actor)) as never;
    const scenarios: {
      label: string;
      path: string;
      index: SearchIndex<SearchDocument>;
      build: Build;
      token: string;
      query: Record<string, string>;
    }[] = [
      {
        label: 'openings.reviewer_q_synonym_facets',
        path: 'openings',
        index: raw.openings,
        build: openings,
        token: tokens.reviewer,
        query: { q: '电子组装', status: 'open', facets: 'skill,region,accommodation', limit: '20' },
      },
      {
        label: 'openings.staff_browse_region_sorted',
        path: 'openings',
        index: raw.openings,
        build: openings,
        token: tokens.staff,
        query: { region: '440600', wageFrom: '4000', sort: '-publishedAt', facets: 'skill', limit: '20' },
      },
      {
        label: 'openings.staff_q_typo_latin',
        path: 'openings',
        index: raw.openings,
        build: openings,
        token: tokens.staff,
        query: { q: 'packagng', limit: '20' },
      },
      {
        label: 'profiles.staff_q_skill_facets',
        path: 'worker-profiles',
        index: raw.profiles,
        build: people,
        token: tokens.staff,
        query: { q: '缝纫', facets: 'category,skill,status', limit: '20' },
      },
      {
        label: 'profiles.reviewer_browse_facets',
        path: 'worker-profiles',
        index: raw.profiles,
        build: people,
        token: tokens.reviewer,
        query: { status: 'available', destination: '440000', facets: 'category,skill', limit: '20' },
      },
      {
        label: 'profiles.staff_q_two_words_sorted',
        path: 'worker-profiles',
        index: raw.profiles,
        build: people,
        token: tokens.staff,
        query: { q: '电子装配 东莞', status: 'available', sort: '-updatedAt', limit: '20' },
      },
    ];
    const urlOf = (s: (typeof scenarios)[number]) =>
      `${base}/api/v1/search/${s.path}?${new URLSearchParams(s.query)}`;
    // Warm both sides (JIT, caches) before measuring, one request at a time: a warm-up at the
    // fixed rate would leave requests in flight that load the next measurement.
    for (const s of scenarios) await http(urlOf(s), s.token, 2, true);
    for (const s of scenarios) {
      const { actor } = await resolveSession(config, s.token);
      const request = await s.build(actor, s.query);
      if (!request) throw new Error(`${s.label}: nothing in scope`);
      const engineRun = await openLoop(() => s.index.search(request), RATE, SECONDS);
      // The MongoDB check of one page, alone, as the endpoint makes it (one read per hit).
      const page = (await s.index.search(request)).hits.map((h) => h.document.id);
      const check = s.path === 'openings' ? visibleOpeningIds : visibleProfileIds;
      const recheck = await serialLoop(() => check(actor, page), 20);
      const url = urlOf(s);
      const hits = (await (await fetch(url, { headers: { authorization: `Bearer ${s.token}` } })).json()) as {
        total: number;
      };
      const serial = await http(url, s.token, Math.max(3, SECONDS / 4), true);
      const viaHttp = await http(url, s.token, SECONDS);
      await drained(base, tokens.staff);
      const figure = (metric: string, value: number, unit: string, baseline?: number) =>
        report({ bench: 'search', metric: `${tag}${s.label}.${metric}`, value, unit, baseline });
      figure('hits', hits.total, 'docs');
      figure('engine.p50', engineRun.p50, 'ms');
      figure('engine.p99', engineRun.p99, 'ms', P99_GOAL_MS);
      figure('http.p50', viaHttp.p50, 'ms', engineRun.p50);
      figure('http.p99', viaHttp.p99, 'ms', P99_GOAL_MS);
      figure('overhead.p50', viaHttp.p50 - engineRun.p50, 'ms', 2);
      figure('http_serial.p50', serial.p50, 'ms');
      figure('http_serial.throughput', serial.perSecond, 'req/s');
      figure('mongodb_check_of_page.p50', recheck.p50, 'ms');
    }
    const meSerial = await http(`${base}/api/v1/auth/me`, tokens.staff, Math.max(3, SECONDS / 4), true);
    report({ bench: 'search', metric: `${tag}auth_me.http_serial.p50`, value: meSerial.p50, unit: 'ms' });
    const me = await http(`${base}/api/v1/auth/me`, tokens.staff, SECONDS);
    await drained(base, tokens.staff);
    report({ bench: 'search', metric: `${tag}auth_me.http.p50`, value: me.p50, unit: 'ms' });
    report({ bench: 'search', metric: `${tag}auth_me.http.p99`, value: me.p99, unit: 'ms' });
  } catch (err) {
    console.error(
      `API exit ${api.exitCode} ${api.signalCode}; output (last lines):\n`,
      api.output.join('').split('\n').slice(-30).join('\n'),
    );
    throw err;
  } finally {
    await stopChild(api);
  }
}

async function main() {
  // Fixed-rate latencies depend on what else the machine runs: say how loaded it was.
  const { loadavg, cpus } = await import('node:os');
  report({
    bench: 'search',
    metric: 'machine.load1_at_start',
    value: loadavg()[0]!,
    unit: `of ${cpus().length} cpus`,
  });
  const { tokens } = await setUp();

  // The baseline engine, built here from the same MongoDB data.
  const engine = createEmbeddedSearch(`${name}_raw`);
  const raw = {
    openings: engine.index(openingsIndex) as SearchIndex<SearchDocument>,
    profiles: engine.index(workerProfilesIndex) as SearchIndex<SearchDocument>,
  };
  if (READY_ONLY) {
    try {
      for (let round = 0; round < 2; round++) {
        await measure('', env, raw, tokens);
        if (COMPARE_DIR) await measure('compare.', env, raw, tokens, `${COMPARE_DIR}/src/server.ts`);
      }
    } finally {
      await cleanUp();
    }
    return;
  }
  await raw.openings.reindex(documentsOf(openingsSource) as AsyncIterable<SearchDocument[]>);
  await raw.profiles.reindex(documentsOf(workerProfilesSource) as AsyncIterable<SearchDocument[]>);
  // What one poll of the embedded engine's follower costs at this size (nothing changed: a
  // comparison only). On MongoDB an index range scan; on a server without one, a collection read.
  for (const [label, index, source] of [
    ['openings', raw.openings, openingsSource],
    ['profiles', raw.profiles, workerProfilesSource],
  ] as const) {
    const t0 = performance.now();
    const since = new Date(Date.now() - OVERLAP_MS);
    await catchUp(index, source as never, since, { concurrentWriters: false });
    report({ bench: 'search', metric: `${label}.follower_poll`, value: performance.now() - t0, unit: 'ms' });
  }

  try {
    await measure('', env, raw, tokens);
    // With MEILI_HOST, the same queries on Meilisearch: indexes of this run's prefix, filled here
    // with the write key from the same MongoDB data; the API searches with MEILI_SEARCH_KEY.
    if (process.env.MEILI_HOST) {
      const meiliEnv = {
        ...env,
        MEILI_HOST: process.env.MEILI_HOST,
        MEILI_API_KEY: process.env.MEILI_API_KEY ?? '',
        ...(process.env.MEILI_SEARCH_KEY ? { MEILI_SEARCH_KEY: process.env.MEILI_SEARCH_KEY } : {}),
      };
      const meili = createSearchEngine(loadConfig(meiliEnv), 'worker');
      const meiliRaw = {
        openings: meili.index(openingsIndex) as SearchIndex<SearchDocument>,
        profiles: meili.index(workerProfilesIndex) as SearchIndex<SearchDocument>,
      };
      try {
        const t0 = performance.now();
        await meiliRaw.openings.reindex(documentsOf(openingsSource) as AsyncIterable<SearchDocument[]>);
        await meiliRaw.profiles.reindex(documentsOf(workerProfilesSource) as AsyncIterable<SearchDocument[]>);
        report({
          bench: 'search',
          metric: 'meilisearch.setup.reindex',
          value: performance.now() - t0,
          unit: 'ms',
        });
        await measure('meilisearch.', meiliEnv, meiliRaw, tokens);
      } finally {
        await meiliRaw.openings.drop().catch(() => undefined);
        await meiliRaw.profiles.drop().catch(() => undefined);
        await meili.close();
      }
    }
  } finally {
    await cleanUp();
  }

  async function cleanUp() {
    report({
      bench: 'search',
      metric: 'machine.load1_at_end',
      value: loadavg()[0]!,
      unit: `of ${cpus().length} cpus`,
    });
    await engine.close();
    await mongoose.connection.db?.dropDatabase().catch(() => undefined);
    await disconnectMongo();
    await deleteRedisKeys(`${name}:*`);
  }
}

// Interrupted: the API process goes too.
stopChildrenOnExit();
main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
