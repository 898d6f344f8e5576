/**
 * `npm run bench:plan` (second part): the plan job end to end on a realistic single-prefecture
 * campaign — 1,000 job seekers of 凉山 (the matching demo generator's people, re-homed to 凉山's
 * counties; most accept 佛山 or 广东) and 100 open openings in 佛山 (the generator's openings,
 * moved to 佛山), in a MongoDB database of its own.
 *
 * Measured: the `plans.compute` job as the worker runs it (`runPlan`: load people and openings
 * from MongoDB, count places already spoken for, score every pair with the matching kernel, plan,
 * explain, store the result), median of BENCH_ROUNDS runs, with its phases; once more with
 * same-county groups and at most 3 employers per county (the MIP, BENCH_MIP_SECONDS limit).
 *
 * Env: BENCH_PEOPLE (1000), BENCH_OPENINGS (100), BENCH_ROUNDS (3), BENCH_MIP_SECONDS (10).
 * One JSON line per figure (scripts/lib/bench.ts).
 */
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import mongoose from 'mongoose';
import { loadConfig } from '../src/config.js';
import { regionPath } from '../src/lib/auth/scope.js';
import { connectMongo, disconnectMongo, syncIndexes } from '../src/lib/db/index.js';
import { createLogger } from '../src/lib/logger.js';
import { insertOpening } from '../src/modules/openings/openings.repository.js';
import { insertOrganization, type Organization } from '../src/modules/orgs/orgs.repository.js';
import { findPlan, insertPlan, type PlanRequest } from '../src/modules/plans/plans.repository.js';
import { runPlan } from '../src/modules/plans/plans.service.js';
import { ensureReferenceData } from '../src/modules/reference/reference.service.js';
import { insertConsents } from '../src/modules/worker-profiles/consents.repository.js';
import { cryptoOf } from '../src/modules/worker-profiles/worker-profiles.service.js';
import { makeCreditCode } from '../test/fixtures/accounts.js';
import { report } from './lib/bench.js';
import { insertDemoProfiles } from './lib/demo-profiles.js';
import { generateOpenings } from './lib/generate/openings.js';

const PEOPLE = Number(process.env.BENCH_PEOPLE ?? 1000);
const OPENINGS = Number(process.env.BENCH_OPENINGS ?? 100);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const MIP_SECONDS = Number(process.env.BENCH_MIP_SECONDS ?? 10);
const BENCH = `plan-job-${PEOPLE >= 1000 ? `${PEOPLE / 1000}k` : PEOPLE}`;

const PREFECTURE = '513400';
const COUNTIES = [
  '513401',
  '513422',
  '513423',
  '513424',
  '513426',
  '513427',
  '513428',
  '513429',
  '513430',
  '513431',
];
const CITY = '440600';
const SLOTS_PER_100_OPENINGS = 300;

const name = `bench_plan_${Date.now().toString(36)}_${randomBytes(2).toString('hex')}`;
const mongoUrl = new URL(process.env.MONGODB_URI ?? 'mongodb://127.0.0.1:27017');
mongoUrl.pathname = `/${name}`;
const config = loadConfig({ ...process.env, MONGODB_URI: mongoUrl.toString(), QUEUE_PREFIX: name });
const logger = createLogger('warn');

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function setUp(): Promise<void> {
  const t0 = performance.now();
  // A campaign's people: 凉山 counties; four in five accept 佛山 (by city or by province).
  await insertDemoProfiles(config, PEOPLE, 11, (p, i) => ({
    ...p,
    originCounty: COUNTIES[i % COUNTIES.length]!,
    destinations: i % 5 === 4 ? p.destinations : i % 2 === 0 ? [CITY] : ['440000'],
  }));
  // Matching reads the consent records too, not only the profile's flag: record them as staff would.
  const ids = await mongoose.connection
    .db!.collection('worker_profiles')
    .find({ 'consent.processing': true }, { projection: { _id: 1 } })
    .toArray();
  const crypto = cryptoOf({ config });
  const now = new Date();
  for (let i = 0; i < ids.length; i += 1000)
    await insertConsents(
      crypto,
      ids.slice(i, i + 1000).map((d) => ({
        profileId: d._id.toHexString(),
        purpose: 'sensitive_processing' as const,
        employerId: null,
        openingId: null,
        dataCategories: [],
        textVersion: 'pi-2024.1',
        channel: 'paper_form' as const,
        givenAt: now,
        givenBy: 'self' as const,
        representative: null,
        assistedByStaff: false,
        recordedBy: 'bench',
        recordedByOrganizationId: 'bench',
        recordedAt: now,
      })),
    );
  const generated = generateOpenings(OPENINGS, 7);
  // One prefecture's campaign: about 300 places in all (the generator's headcounts are larger).
  const generatedSlots = generated.reduce((s, g) => s + g.content.headcount, 0);
  const scale = (SLOTS_PER_100_OPENINGS * OPENINGS) / 100 / generatedSlots;
  const employers = new Map<string, Organization>();
  for (const g of generated)
    if (!employers.has(g.employerKey))
      employers.set(
        g.employerKey,
        await insertOrganization({
          type: 'employer',
          name: `示例企业 ${employers.size + 1} 有限公司（基准测试）`,
          creditCode: makeCreditCode(CITY),
          locationCode: CITY,
          industryCode: 'C39',
          staffCount: 300,
        }),
      );
  const published = new Date(Date.now() - 86_400_000);
  let slots = 0;
  for (const g of generated) {
    const headcount = Math.max(1, Math.round(g.content.headcount * scale));
    slots += headcount;
    await insertOpening(
      { ...g.content, headcount, regionCode: CITY, employerId: employers.get(g.employerKey)!.id },
      {
        status: 'open',
        history: [{ from: 'draft', to: 'open', action: 'open', at: published, by: 'bench' }],
      },
    );
  }
  report({ bench: BENCH, metric: 'setup_ms', value: performance.now() - t0, unit: 'ms' });
  report({ bench: BENCH, metric: 'headcount_total', value: slots, unit: 'slots' });
}

async function job(request: PlanRequest) {
  const plan = await insertPlan({
    request,
    regionPath: regionPath(request.originCode),
    requestedBy: { userId: 'bench', organizationId: 'bench' },
  });
  const t = performance.now();
  await runPlan({ config, logger }, plan.id);
  const ms = performance.now() - t;
  const done = await findPlan(plan.id);
  if (done?.status !== 'done' || !done.result)
    throw new Error(`plan ${plan.id} ended ${done?.status}: ${done?.error}`);
  return { ms, result: done.result };
}

async function main() {
  await connectMongo(config.mongo.uri, logger);
  try {
    await syncIndexes();
    await ensureReferenceData();
    await setUp();
    const base: PlanRequest = {
      originCode: PREFECTURE,
      cityCodes: [CITY],
      minScore: 0,
      keepCountyGroups: false,
      maxEmployersPerBatch: null,
      timeLimitSeconds: 30,
    };
    // One warm-up: module loading and the HiGHS WebAssembly instantiation are one-off costs.
    await job(base);
    const runs = [];
    for (let i = 0; i < ROUNDS; i++) runs.push(await job(base));
    const r = runs.at(-1)!.result;
    const figures = r.figures as { totalScore: number; fillRate: number; assigned: number };
    const greedy = r.baselines!.greedy as { totalScore: number; fillRate: number };
    const figure = (metric: string, value: number, unit: string, baseline?: number) =>
      report({ bench: BENCH, metric, value, unit, ...(baseline === undefined ? {} : { baseline }) });
    figure('people', r.counts.people, 'people');
    figure('openings', r.counts.openings, 'openings');
    figure('slots', r.counts.slots, 'slots');
    figure('candidate_pairs', (r.candidates as { used: number }).used, 'pairs');
    figure('job_ms', median(runs.map((x) => x.ms)), 'ms');
    for (const phase of ['loadMs', 'scoreMs', 'solveMs', 'totalMs'])
      figure(`job_${phase.replace('Ms', '')}_ms`, median(runs.map((x) => x.result.timings[phase]!)), 'ms');
    figure('job_store_ms', median(runs.map((x) => x.ms - x.result.timings.totalMs!)), 'ms');
    figure('total_score', figures.totalScore, 'points', greedy.totalScore);
    figure('fill_rate', figures.fillRate, 'ratio', greedy.fillRate);
    figure('solver_exact', (r.solver as { exact: boolean }).exact ? 1 : 0, 'bool');

    const terms = await job({
      ...base,
      keepCountyGroups: true,
      maxEmployersPerBatch: 3,
      timeLimitSeconds: MIP_SECONDS,
    });
    const tf = terms.result.figures as { objective: number; fillRate: number; maxEmployersPerCounty: number };
    figure('job_groups_limit_ms', terms.ms, 'ms');
    figure('groups_limit_objective', tf.objective, 'points');
    figure('groups_limit_fill_rate', tf.fillRate, 'ratio');
    figure('groups_limit_max_employers_per_county', tf.maxEmployersPerCounty, 'employers');
    figure('groups_limit_mip_gap', (terms.result.solver as { mipGap: number | null }).mipGap ?? -1, 'ratio');
  } finally {
    await mongoose.connection.db?.dropDatabase().catch(() => undefined);
    await disconnectMongo();
  }
}

await main();
