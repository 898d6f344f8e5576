/**
 * `npm run bench:reports`: how long each report endpoint takes on the 100k-profile demo data, for
 * each role that may read it.
 *
 * - A database of its own (`bench_reports` by default) holds 100k demo profiles
 *   (scripts/lib/demo-profiles.ts), demo openings, and a year's pipeline written as the matching
 *   jobs and the review workflow would leave it: tens of thousands of suggestions, a few thousand
 *   approved and proposed, ~2.5k hires with placements (report fields as at hire, follow-up
 *   retention) and a target per recipient federation. Seeded once: a later run finds the marker in
 *   `bench_meta` and reuses the data (`--fresh` drops it first, `--drop` drops it at the end).
 *   `--only placements.export` times only the endpoints whose name starts with that.
 * - The API runs as its own process (src/server.ts); each endpoint × role is called `--iterations`
 *   times one after another (after one unmeasured call), and p50/p95/max are printed.
 * - The child process is stopped on exit, on SIGINT and on SIGTERM.
 *
 * Add a report by adding a line to ENDPOINTS.
 * Prints one JSON line per figure: {"bench","metric","value","unit",...}.
 */
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import { parseArgs } from 'node:util';
import mongoose, { Types } from 'mongoose';
import { loadConfig } from '../src/config.js';
import type { Actor } from '../src/lib/auth/actor.js';
import { regionPath } from '../src/lib/auth/scope.js';
import { chinaYear } from '../src/lib/china-time.js';
import { connectMongo, disconnectMongo, syncIndexes } from '../src/lib/db/index.js';
import { createLogger } from '../src/lib/logger.js';
import { issueSession } from '../src/modules/accounts/accounts.service.js';
import { hashPassword } from '../src/modules/accounts/password.js';
import { insertUser } from '../src/modules/accounts/users.repository.js';
import { insertMatchDocuments } from '../src/modules/matches/matches.bulk.js';
import { insertOrganization, type Organization } from '../src/modules/orgs/orgs.repository.js';
import { PLACEMENT_COLLECTION } from '../src/modules/placements/placements.repository.js';
import { quotaWeight } from '../src/modules/placements/quota.js';
import { partnershipOf, quotaConditionsMet } from '../src/modules/placements/report-fields.js';
import { ensureReferenceData, listPartnerships } from '../src/modules/reference/reference.service.js';
import { computeFairnessSnapshot } from '../src/modules/reports/fairness.service.js';
import { setTargetIfVersion } from '../src/modules/reports/placements-report.repository.js';
import { PLACEMENT_SECTIONS } from '../src/modules/reports/reports.schemas.js';
import { PROFILE_COLLECTION } from '../src/modules/worker-profiles/worker-profiles.repository.js';
import { freePort, spawnEntry, stopChild, waitFor } from '../test/fixtures/processes.js';
import { report, stopChildrenOnExit } from './lib/bench.js';
import { insertDemoOpenings } from './lib/demo-openings.js';
import { insertDemoProfiles } from './lib/demo-profiles.js';

const YEAR = chinaYear();

/** The endpoints timed, each as every role listed. Another report: one more line here. */
const ENDPOINTS: { name: string; path: string; query?: Record<string, string>; roles: Role[] }[] = [
  {
    name: 'profiles',
    path: '/api/v1/reports/profiles',
    roles: ['admin', 'recipient', 'supporting', 'reviewer'],
  },
  { name: 'profiles.export', path: '/api/v1/reports/profiles/export', roles: ['admin', 'recipient'] },
  {
    name: 'placements',
    path: '/api/v1/reports/placements',
    query: { year: String(YEAR) },
    roles: ['admin', 'recipient', 'supporting', 'reviewer'],
  },
  ...PLACEMENT_SECTIONS.map((section) => ({
    name: `placements.export.${section}`,
    path: '/api/v1/reports/placements/export',
    query: { year: String(YEAR), section },
    roles: ['admin', 'recipient'] as Role[],
  })),
  // Read from the worker's snapshot, which main() computes (and times) before the API starts.
  {
    name: 'fairness',
    path: '/api/v1/reports/fairness',
    roles: ['admin', 'recipient', 'supporting', 'reviewer'],
  },
  { name: 'fairness.export', path: '/api/v1/reports/fairness/export', roles: ['admin', 'recipient'] },
];

type Role = 'admin' | 'recipient' | 'supporting' | 'reviewer';

const { values: args } = parseArgs({
  options: {
    profiles: { type: 'string', default: '100000' },
    openings: { type: 'string', default: '2000' },
    suggestions: { type: 'string', default: '40000' },
    approved: { type: 'string', default: '6000' },
    proposed: { type: 'string', default: '4000' },
    placements: { type: 'string', default: '2500' },
    iterations: { type: 'string', default: '5' },
    database: { type: 'string', default: 'bench_reports' },
    fresh: { type: 'boolean', default: false },
    drop: { type: 'boolean', default: false },
    /** Time only the endpoints whose name starts with this (`placements.export`, `fairness`). */
    only: { type: 'string', default: '' },
  },
});
const N = {
  profiles: Number(args.profiles),
  openings: Number(args.openings),
  suggestions: Number(args.suggestions),
  approved: Number(args.approved),
  proposed: Number(args.proposed),
  placements: Number(args.placements),
};
const ITERATIONS = Number(args.iterations);
const DB = args.database!;

const mongoUrl = new URL(process.env.MONGODB_URI ?? 'mongodb://127.0.0.1:27017/tongxin');
mongoUrl.pathname = `/${DB}`;
const prefix = `${DB}_${randomBytes(2).toString('hex')}`;
const env = {
  NODE_ENV: 'test',
  LOG_LEVEL: 'warn',
  MONGODB_URI: mongoUrl.toString(),
  REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
  QUEUE_PREFIX: prefix,
  SEARCH_INDEX_PREFIX: prefix,
  RATE_LIMIT_PER_MINUTE: '100000000',
  METRICS_PORT: '0',
  // The search follower's sweep (a range on updatedAt) reads the whole profiles collection on a
  // server without index range scans: once the index is built, let it rest so it does not compete
  // with the reports.
  SEARCH_SWEEP_INTERVAL_MS: '3600000',
};
const config = loadConfig(env);
const logger = createLogger('warn');

/** A small deterministic generator, so the pipeline is the same on every seeding. */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const DAY = 86_400_000;
const iso = (d: Date) => d.toISOString().slice(0, 10);

/** The year's pipeline, written as the matching jobs and the review workflow leave it. */
async function seedPipeline(federations: Map<string, Organization>) {
  const rand = rng(20260);
  const pick = <T>(a: readonly T[]) => a[Math.floor(rand() * a.length)]!;
  const people = await mongoose.connection
    .collection(PROFILE_COLLECTION)
    .find(
      {},
      {
        projection: { originCode: 1, disabilityCategory: 1, disabilityLevel: 1, registeringFederationId: 1 },
      },
    )
    .toArray();
  const openings = await mongoose.connection
    .collection('openings')
    .find({ status: 'open' }, { projection: { employerId: 1, regionCode: 1, regionPath: 1 } })
    .toArray();
  const partnerships = await listPartnerships();
  const yearStart = Date.UTC(YEAR, 0, 1);
  const span = Math.max(DAY, Math.min(Date.now(), Date.UTC(YEAR + 1, 0, 1)) - yearStart - 30 * DAY);
  const seen = new Set<string>();
  const matches: Record<string, unknown>[] = [];
  const placements: Record<string, unknown>[] = [];
  for (let i = 0; matches.length < N.suggestions && i < N.suggestions * 3; i++) {
    const p = pick(people);
    const o = pick(openings);
    const pair = `${p._id}/${o._id}`;
    if (seen.has(pair)) continue;
    seen.add(pair);
    const k = matches.length;
    const suggestedAt = new Date(yearStart + Math.floor(rand() * span));
    const history: Record<string, unknown>[] = [];
    let status = 'suggested';
    let at = suggestedAt.getTime();
    const step = (action: string, from: string, to: string, days: number) => {
      at += Math.ceil(days * DAY);
      history.push({ from, to, action, at: new Date(Math.min(at, Date.now())), by: 'bench' });
      status = to;
    };
    if (k < N.approved) step('approve', 'suggested', 'approved', 1 + rand() * 6);
    else if (k < N.approved * 2) step('reject', 'suggested', 'rejected', 1 + rand() * 6);
    if (k < N.proposed) step('propose', 'approved', 'proposed', 1 + rand() * 5);
    if (k < N.placements) {
      step('interested', 'proposed', 'interested', 1 + rand() * 5);
      step('hire', 'interested', 'hired', 3 + rand() * 40);
      step('place', 'hired', 'placed', 0);
    } else if (k < N.proposed) step('decline', 'proposed', 'declined', 2 + rand() * 10);
    const matchId = new Types.ObjectId();
    const profileRegionPath = regionPath(p.originCode as string);
    matches.push({
      _id: matchId,
      profileId: String(p._id),
      openingId: String(o._id),
      employerId: o.employerId,
      profileRegionPath,
      openingRegionPath: o.regionPath,
      // Report-only dims, as the matching jobs write them (the fairness report groups by them).
      profileCategory: p.disabilityCategory,
      profileLevel: p.disabilityLevel,
      status,
      version: 1 + history.length,
      score: Math.round(50 + rand() * 50),
      components: [],
      reasons: [],
      algorithmVersion: 'bench-1',
      inOpeningTop: true,
      inProfileTop: true,
      suggestedAt,
      history,
      createdAt: suggestedAt,
      updatedAt: suggestedAt,
    });
    if (k >= N.placements) continue;
    const hiredAt = history.find((h) => h.action === 'hire')!.at as Date;
    const contractStart = iso(new Date(hiredAt.getTime() + 7 * DAY));
    const contractEnd = iso(new Date(hiredAt.getTime() + (rand() < 0.85 ? 372 : 180) * DAY));
    const monthlyWage = 3000 + Math.round(rand() * 3000);
    const minimumWageAtHire = 1900;
    const socialInsurance = rand() < 0.95;
    const monthsIn = (Date.now() - new Date(contractStart).getTime()) / (30.5 * DAY);
    const m3 = monthsIn >= 3 ? rand() < 0.85 : null;
    const m6 = monthsIn >= 6 && m3 ? rand() < 0.8 : monthsIn >= 6 ? false : null;
    const ended = m3 === false || m6 === false;
    const level = p.disabilityLevel as string;
    placements.push({
      matchId: String(matchId),
      profileId: String(p._id),
      openingId: String(o._id),
      employerId: o.employerId,
      federationId: p.registeringFederationId ?? federations.values().next().value?.id,
      profileRegionPath,
      openingRegionPath: o.regionPath,
      regionCode: o.regionCode,
      contractStart,
      contractEnd,
      monthlyWage,
      minimumWageAtHire,
      socialInsurance,
      disabilityLevel: level,
      disabilityCategory: p.disabilityCategory,
      originCounty: p.originCode,
      partnershipId: partnershipOf(p.originCode as string, o.regionCode as string, partnerships),
      suggestedAt,
      approvedAt: history.find((h) => h.action === 'approve')?.at ?? null,
      proposedAt: history.find((h) => h.action === 'propose')?.at ?? null,
      hiredAt,
      daysToHire: Math.floor((hiredAt.getTime() - suggestedAt.getTime()) / DAY),
      quotaEligible: quotaConditionsMet({
        contractStart,
        contractEnd,
        monthlyWage,
        minimumWageAtHire,
        socialInsurance,
      }),
      quotaWeight: quotaWeight(level),
      headcountSlot: 1,
      transferBatchId: null,
      status: m6 ? 'retained' : ended ? 'ended' : 'placed',
      endedOn: ended ? iso(new Date()) : null,
      endReason: ended ? 'person_declined' : null,
      endNote: null,
      checkpoints: [],
      nextDueOn: null,
      retention: { m3, m6, subsidyEvidence: m3 === true },
      version: 1,
      createdBy: 'bench',
      createdAt: hiredAt,
      updatedAt: hiredAt,
    });
  }
  for (let i = 0; i < matches.length; i += 2_000) await insertMatchDocuments(matches.slice(i, i + 2_000));
  for (let i = 0; i < placements.length; i += 1_000)
    await mongoose.connection.collection(PLACEMENT_COLLECTION).insertMany(placements.slice(i, i + 1_000));
  const target = Math.ceil((placements.length * 1.2) / Math.max(1, federations.size));
  for (const fed of federations.values()) await setTargetIfVersion(fed.id, YEAR, 0, target, 'bench');
  return { matches: matches.length, placements: placements.length };
}

async function seed() {
  const meta = mongoose.connection.collection<{ _id: string; [k: string]: unknown }>('bench_meta');
  const existing = await meta.findOne({ _id: 'reports' });
  if (existing && existing.year === YEAR) {
    report({ bench: 'reports', metric: 'setup.reused', value: 1, unit: 'bool' });
    return existing as unknown as { federationIds: Record<string, string> };
  }
  if (existing) await mongoose.connection.db!.dropDatabase();
  await syncIndexes();
  await ensureReferenceData();
  const t0 = performance.now();
  const { inserted, federations } = await insertDemoProfiles(config, N.profiles);
  report({ bench: 'reports', metric: 'setup.profiles_inserted', value: inserted, unit: 'docs' });
  report({ bench: 'reports', metric: 'setup.profiles_insert', value: performance.now() - t0, unit: 'ms' });
  const t1 = performance.now();
  await insertDemoOpenings(N.openings);
  const pipeline = await seedPipeline(federations);
  report({ bench: 'reports', metric: 'setup.matches_inserted', value: pipeline.matches, unit: 'docs' });
  report({ bench: 'reports', metric: 'setup.placements_inserted', value: pipeline.placements, unit: 'docs' });
  report({ bench: 'reports', metric: 'setup.pipeline_insert', value: performance.now() - t1, unit: 'ms' });
  const doc = {
    year: YEAR,
    federationIds: Object.fromEntries([...federations].map(([code, org]) => [code, org.id])),
    ...N,
  };
  await meta.insertOne({ _id: 'reports', ...doc });
  return doc;
}

async function tokens(federationIds: Record<string, string>): Promise<Record<Role, string>> {
  const passwordHash = await hashPassword(`Bench-${randomBytes(8).toString('hex')}-1a`);
  const user = async (organizationId: string, roles: Actor['roles']) =>
    (
      await issueSession(
        config,
        await insertUser({
          username: `bench.${randomBytes(4).toString('hex')}`,
          displayName: 'bench',
          organizationId,
          roles,
          language: 'zh-CN',
          passwordHash,
        }),
      )
    ).token;
  // One platform and one federation per jurisdiction: a run reusing the data finds the previous run's.
  const org = async (type: 'platform' | 'supporting_federation', code?: string) => {
    const existing = await mongoose.connection
      .collection('organizations')
      .findOne(code ? { type, jurisdictionCode: code } : { type });
    return existing
      ? { id: String(existing._id) }
      : insertOrganization({
          type,
          name: `${type}（基准测试 ${randomBytes(2).toString('hex')}）`,
          ...(code ? { jurisdictionCode: code } : {}),
        });
  };
  const foshan = await org('supporting_federation', '440600');
  const liangshan = federationIds['513400'] ?? Object.values(federationIds)[0]!;
  return {
    admin: await user((await org('platform')).id, ['admin']),
    recipient: await user(liangshan, ['federation_staff']),
    supporting: await user(foshan.id, ['federation_staff']),
    reviewer: await user(foshan.id, ['reviewer']),
  };
}

/** A GET read to the end; no client-side timeout (fetch gives up after 300 s without headers). */
function get(url: string, token: string): Promise<number> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers: { authorization: `Bearer ${token}` } }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', reject);
      })
      .on('error', reject);
  });
}

const quantile = (sorted: number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;

let api: ReturnType<typeof spawnEntry> | undefined;
async function cleanUp() {
  if (api) await stopChild(api).catch(() => undefined);
  api = undefined;
}
stopChildrenOnExit();

async function main() {
  const { loadavg, cpus } = await import('node:os');
  report({
    bench: 'reports',
    metric: 'machine.load1_at_start',
    value: loadavg()[0]!,
    unit: `of ${cpus().length} cpus`,
  });
  await connectMongo(config.mongo.uri, logger);
  if (args.fresh) await mongoose.connection.db!.dropDatabase();
  const { federationIds } = await seed();
  const tok = await tokens(federationIds);
  // The fairness report reads the snapshot the worker computes every 30 min: one run, timed.
  const snap = await computeFairnessSnapshot();
  report({
    bench: 'reports',
    metric: 'fairness.snapshot_run',
    value: snap.durationMs,
    unit: `ms (${snap.rows} rows)`,
  });

  const port = await freePort();
  api = spawnEntry('src/server.ts', { ...env, PORT: String(port), HOST: '127.0.0.1' });
  const base = `http://127.0.0.1:${port}`;
  const t0 = performance.now();
  await waitFor(
    'the API ready',
    async () => (await fetch(`${base}/readyz`).catch(() => null))?.status === 200,
    900_000,
    250,
  );
  report({ bench: 'reports', metric: 'api.ready_after_start', value: performance.now() - t0, unit: 'ms' });

  for (const e of ENDPOINTS.filter((x) => x.name.startsWith(args.only)))
    for (const role of e.roles) {
      const url = `${base}${e.path}${e.query ? `?${new URLSearchParams(e.query)}` : ''}`;
      const call = async () => {
        const status = await get(url, tok[role]);
        if (status !== 200) throw new Error(`${e.name} as ${role}: ${status}`);
      };
      await call();
      const times: number[] = [];
      for (let i = 0; i < ITERATIONS; i++) {
        const s = performance.now();
        await call();
        times.push(performance.now() - s);
      }
      times.sort((a, b) => a - b);
      process.stderr.write(`${e.name} as ${role}: p50 ${quantile(times, 0.5).toFixed(0)} ms\n`);
      for (const [metric, value] of [
        ['p50', quantile(times, 0.5)],
        ['p95', quantile(times, 0.95)],
        ['max', times.at(-1)!],
      ] as const)
        report({ bench: 'reports', metric: `${e.name}.${role}.${metric}`, value, unit: 'ms' });
    }
}

try {
  await main();
} finally {
  await cleanUp();
  if (args.drop) await mongoose.connection.db?.dropDatabase();
  await disconnectMongo().catch(() => undefined);
}
