/**
 * `npx tsx scripts/bench-match-lists.ts [-- --profiles 100000 --openings 5000 --per-opening 20 --iterations 30]`
 *
 * How long the match lists take with province-scale data, called in process through their
 * services (the route's work without HTTP): an opening's matches, a job seeker's matches, the review
 * queue's first and a later page, and a job seeker's best openings (computed on demand); plus one
 * count of the queue's filter (what a list pays when it counts the whole list).
 *
 * A LocalMongo of its own (memory backend, like the tests) holds `--profiles` demo profiles,
 * `--openings` demo openings and `--per-opening` stored matches for each open opening (the stored
 * side after the redesign: each opening's top suggestions, a few of them acted on), reasons as
 * codes and parameters. Each list is called `--iterations` times on different ids after one
 * unmeasured call; p50 and p95 are printed with the load average. The LocalMongo is stopped at
 * the end and on SIGINT/SIGTERM.
 */
import { randomBytes } from 'node:crypto';
import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import mongoose, { Types } from 'mongoose';
import { loadConfig } from '../src/config.js';
import type { Actor } from '../src/lib/auth/actor.js';
import { regionPath } from '../src/lib/auth/scope.js';
import { connectMongo, disconnectMongo, syncIndexes } from '../src/lib/db/index.js';
import { createLogger } from '../src/lib/logger.js';
import { createProducerConnection } from '../src/lib/redis.js';
import { insertMatchDocuments } from '../src/modules/matches/matches.bulk.js';
import { presentMatches, reviewQueue } from '../src/modules/matches/matches.service.js';
import { openOpenings } from '../src/modules/matches/open-openings.js';
import {
  bestOpeningsOf,
  listOpeningMatches,
  listProfileMatches,
} from '../src/modules/matches/suggestions.service.js';
import { ensureReferenceData } from '../src/modules/reference/reference.service.js';
import { PROFILE_COLLECTION } from '../src/modules/worker-profiles/worker-profiles.repository.js';
import { OwnLocalMongo } from '../test/fixtures/processes.js';
import { report } from './lib/bench.js';
import { insertDemoOpenings } from './lib/demo-openings.js';
import { insertDemoProfiles } from './lib/demo-profiles.js';

const { values: args } = parseArgs({
  options: {
    profiles: { type: 'string', default: '100000' },
    openings: { type: 'string', default: '5000' },
    'per-opening': { type: 'string', default: '20' },
    iterations: { type: 'string', default: '30' },
    heap: { type: 'string', default: '6g' },
  },
});
const N = {
  profiles: Number(args.profiles),
  openings: Number(args.openings),
  perOpening: Number(args['per-opening']),
  iterations: Number(args.iterations),
};
const BENCH = 'match-lists';
const load = () => ({ value: loadavg()[0]!, unit: `load1 of ${cpus().length} cpus` });

const db = await OwnLocalMongo.create({ store: 'memory', heap: args.heap });
for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.once(signal, () => {
    void db.destroy().finally(() => process.exit(130));
  });
const name = `bench_lists_${randomBytes(3).toString('hex')}`;
const url = new URL(db.url);
url.pathname = `/${name}`;
const config = loadConfig({
  NODE_ENV: 'test',
  LOG_LEVEL: 'warn',
  MONGODB_URI: url.toString(),
  REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
  QUEUE_PREFIX: name,
  SEARCH_INDEX_PREFIX: name,
});
const logger = createLogger('warn');
const redis = createProducerConnection(config.redis.url);

const STATUSES_ACTED = ['approved', 'rejected', 'proposed', 'interviewing', 'hired'] as const;
// A typical eligible pair's reasons as the runs store them now: codes and parameters only.
const REASONS = [
  { code: 'skill_met', kind: 'plus', about: 'skills', params: { skill: 'sewing', level: 2, required: 2 } },
  {
    code: 'partnership_pair',
    kind: 'plus',
    about: 'partnership',
    params: { city: '440600', area: '513400' },
  },
  {
    code: 'wage_meets_expectation',
    kind: 'plus',
    about: 'wage',
    params: { minWage: 3000, wageMin: 4000, wageMax: 6000 },
  },
  {
    code: 'destination_province',
    kind: 'plus',
    about: 'destination',
    params: { city: '440600', province: '440000' },
  },
  { code: 'experience_other', kind: 'plus', about: 'experience', params: { months: 14 } },
  { code: 'training_missing', kind: 'minus', about: 'training', params: { programmes: 'P-sewing' } },
];
const COMPONENTS = ['skills', 'training', 'partnership', 'wage', 'destination', 'peers', 'experience'].map(
  (key) => ({
    key,
    weight: 14.29,
    value: 0.5,
    points: 7.14,
  }),
);

function quantiles(times: number[]) {
  const s = [...times].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.max(0, Math.ceil(p * s.length) - 1))]!;
  return { p50: q(0.5), p95: q(0.95) };
}

async function timed(metric: string, calls: (() => Promise<unknown>)[]) {
  await calls[0]!();
  const times: number[] = [];
  for (const call of calls) {
    const s = performance.now();
    await call();
    times.push(performance.now() - s);
  }
  const { p50, p95 } = quantiles(times);
  const l = load();
  report({ bench: BENCH, metric: `${metric}.p50`, value: p50, unit: `ms (${l.unit} ${l.value.toFixed(2)})` });
  report({ bench: BENCH, metric: `${metric}.p95`, value: p95, unit: 'ms' });
}

async function main() {
  report({ bench: BENCH, metric: 'machine.load1_at_start', ...load() });
  await connectMongo(config.mongo.uri, logger);
  await syncIndexes();
  await ensureReferenceData();
  let t = performance.now();
  await insertDemoProfiles(config, N.profiles);
  report({
    bench: BENCH,
    metric: 'setup.profiles_insert',
    value: performance.now() - t,
    unit: `ms (${N.profiles})`,
  });
  t = performance.now();
  await insertDemoOpenings(N.openings);
  const profiles = await mongoose.connection
    .collection(PROFILE_COLLECTION)
    .find({}, { projection: { _id: 1, originCode: 1 } })
    .toArray();
  const openings = await mongoose.connection
    .collection('openings')
    .find({ status: 'open' }, { projection: { _id: 1, employerId: 1, regionPath: 1 } })
    .toArray();
  let seed = 7;
  const rand = () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    return seed / 2_147_483_648;
  };
  const docs: Record<string, unknown>[] = [];
  const now = Date.now();
  for (const o of openings) {
    const chosen = new Set<number>();
    while (chosen.size < Math.min(N.perOpening, profiles.length))
      chosen.add(Math.floor(rand() * profiles.length));
    for (const i of chosen) {
      const p = profiles[i]!;
      const acted = rand() < 0.05;
      const suggestedAt = new Date(now - Math.floor(rand() * 60) * 86_400_000);
      docs.push({
        profileId: String(p._id),
        openingId: String(o._id),
        employerId: o.employerId,
        profileRegionPath: regionPath(p.originCode as string),
        openingRegionPath: o.regionPath,
        profileCategory: 'physical',
        profileLevel: '3',
        status: acted ? STATUSES_ACTED[Math.floor(rand() * STATUSES_ACTED.length)] : 'suggested',
        version: 1,
        score: Math.round(4000 + rand() * 6000) / 100,
        components: COMPONENTS,
        reasons: REASONS,
        algorithmVersion: 'bench-1',
        inOpeningTop: true,
        inProfileTop: false,
        suggestedAt,
        history: [],
        createdAt: suggestedAt,
        updatedAt: suggestedAt,
      });
    }
  }
  for (let i = 0; i < docs.length; i += 2_000) await insertMatchDocuments(docs.slice(i, i + 2_000));
  report({ bench: BENCH, metric: 'setup.matches_inserted', value: docs.length, unit: 'docs' });
  report({ bench: BENCH, metric: 'setup.openings_and_matches', value: performance.now() - t, unit: 'ms' });

  const org = new Types.ObjectId().toHexString();
  const admin: Actor = { userId: 'bench', organizationId: org, orgType: 'platform', roles: ['admin'] };
  const staff: Actor = {
    userId: 'bench',
    organizationId: org,
    orgType: 'recipient_federation',
    roles: ['federation_staff'],
    jurisdictionCode: '513400',
    partnershipScope: ['513400'],
  };
  const reviewer: Actor = { ...staff, roles: ['reviewer'] };
  const pick = <T>(xs: readonly T[]) =>
    Array.from({ length: N.iterations }, () => xs[Math.floor(rand() * xs.length)]!);
  const q = { sort: '-score', limit: 20 } as const;
  const deps = { config, logger, redis };

  await timed(
    'opening_matches.admin',
    pick(openings).map((o) => () => listOpeningMatches(admin, String(o._id), q)),
  );
  const matched = [...new Set(docs.map((d) => d.profileId as string))];
  await timed(
    'profile_matches.admin',
    pick(matched).map((id) => () => listProfileMatches(deps, admin, id, q)),
  );
  const queue = async (actor: Actor, query: Record<string, unknown>) => {
    const page = await reviewQueue(actor, { sort: '-score', limit: 50, ...query } as never);
    return { ...page, items: await presentMatches(actor, page.items) };
  };
  await timed(
    'review_queue.first_page.reviewer',
    pick([0]).map(() => () => queue(reviewer, {})),
  );
  await timed(
    'review_queue.first_page.admin',
    pick([0]).map(() => () => queue(admin, {})),
  );
  const first = await reviewQueue(admin, { sort: '-score', limit: 50 } as never);
  await timed(
    'review_queue.next_page.admin',
    pick([0]).map(() => () => queue(admin, { cursor: first.nextCursor })),
  );
  await timed(
    'count.matches_suggested',
    pick([0]).map(
      () => () => mongoose.connection.collection('matches').countDocuments({ status: 'suggested' }),
    ),
  );
  t = performance.now();
  await openOpenings(deps).ready();
  report({
    bench: BENCH,
    metric: 'best_openings.read_model_load',
    value: performance.now() - t,
    unit: `ms (${openOpenings(deps).size} open)`,
  });
  await timed(
    'best_openings.staff',
    pick(profiles.filter((p) => String(p.originCode).startsWith('5134'))).map(
      (p) => () => bestOpeningsOf(deps, staff, String(p._id), { limit: 20 }),
    ),
  );
  const stats = await mongoose.connection.db!.command({ collStats: 'matches' }).catch(() => null);
  if (stats)
    report({
      bench: BENCH,
      metric: 'matches.avg_obj_size',
      value: Number(stats.avgObjSize ?? 0),
      unit: 'bytes',
    });
  report({ bench: BENCH, metric: 'machine.load1_at_end', ...load() });
}

try {
  await main();
} finally {
  openOpenings({ config, logger, redis }).close();
  redis.disconnect();
  await disconnectMongo().catch(() => undefined);
  await db.destroy();
}
