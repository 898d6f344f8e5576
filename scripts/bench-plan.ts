/**
 * `npm run bench:plan`: campaign planning on generated congested markets (test/fixtures/
 * plan-market.ts: a few openings everybody wants, long-tail person quality, skewed headcounts),
 * one JSON line per figure (scripts/lib/bench.ts).
 *
 * - plan-10k: 10,000 people × 1,000 openings, Σ headcount 3,000.
 * - plan-1k: 1,000 people × 100 openings, Σ headcount 300 (one prefecture's campaign).
 *
 * Per market: candidate generation (every pair scored through the callback, top K per person ∪
 * top M per opening), the exact plan (min-cost flow) against HiGHS on the same LP, greedy and
 * deferred acceptance in the same run, explanations, the group bonus and employer limit, and at
 * 1k the loss from pruning candidates (exact plan on all eligible pairs). Times are wall-clock
 * milliseconds; `*_cpu_ms` are this process's CPU time (the machine may be shared).
 *
 * Env: BENCH_SIZES (default "10k,1k"), BENCH_SEED (default 1), BENCH_MIP_SECONDS (default 30, as planCampaign).
 */
import { performance } from 'node:perf_hooks';
import { candidatesFromScorer } from '../src/modules/plans/candidates.js';
import type { Market } from '../src/modules/plans/market.js';
import { type PlanOptions, type PlanResult, planCampaign } from '../src/modules/plans/plan.js';
import { congestedMarket } from '../test/fixtures/plan-market.js';
import { report } from './lib/bench.js';

const SIZES: Record<string, { people: number; openings: number; slots: number }> = {
  '10k': { people: 10_000, openings: 1_000, slots: 3_000 },
  '1k': { people: 1_000, openings: 100, slots: 300 },
};
const sizes = (process.env.BENCH_SIZES ?? '10k,1k').split(',');
const seed = Number(process.env.BENCH_SEED ?? 1);
const mipSeconds = Number(process.env.BENCH_MIP_SECONDS ?? 30);

async function timed<T>(f: () => Promise<T> | T): Promise<{ value: T; ms: number; cpuMs: number }> {
  const cpu = process.cpuUsage();
  const t = performance.now();
  const value = await f();
  const ms = performance.now() - t;
  const used = process.cpuUsage(cpu);
  return { value, ms, cpuMs: (used.user + used.system) / 1000 };
}

for (const size of sizes) {
  const spec = SIZES[size];
  if (!spec) throw new Error(`unknown size ${size}`);
  const bench = `plan-${size}`;
  const figure = (metric: string, value: number, unit: string, baseline?: number) =>
    report({ bench, metric, value, unit, ...(baseline === undefined ? {} : { baseline }) });

  const g = congestedMarket({
    people: spec.people,
    openings: spec.openings,
    totalHeadcount: spec.slots,
    seed,
  });
  let eligible = 0;
  const counted = (p: number, o: number) => {
    const s = g.score(p, o);
    if (s !== null) eligible++;
    return s;
  };
  // K = 20 per person; M = 5 per slot (at least 20) per opening.
  const selection = {
    topPerPerson: 20,
    topPerOpening: (o: number) => Math.max(20, 5 * g.openings[o]!.headcount),
  };
  const gen = await timed(() => candidatesFromScorer(spec.people, spec.openings, counted, selection));
  const market: Market = { people: g.people, openings: g.openings, candidates: gen.value };
  figure('generate_candidates_ms', gen.ms, 'ms');
  figure('candidate_pairs', gen.value.length, 'pairs', eligible);

  // Warm the HiGHS runtime so its one-off WebAssembly instantiation is not charged to a solve.
  await planCampaign({ people: [], openings: [], candidates: [] }, { solver: 'highs' });

  const quiet: PlanOptions = { baselines: false, explain: false };
  const flow = await timed(() => planCampaign(market, { ...quiet, solver: 'flow' }));
  // A generous limit: the LP's time is the figure wanted, not a fallback.
  const highs = await timed(() => planCampaign(market, { ...quiet, solver: 'highs', timeLimitSeconds: 300 }));
  const h = highs.value.solver.highs!;
  figure('exact_solve_ms', flow.value.solver.wallMs, 'ms', highs.value.solver.wallMs);
  figure('exact_solve_cpu_ms', flow.cpuMs, 'ms', highs.cpuMs);
  figure('flow_phases', flow.value.solver.flow!.phases, 'phases');
  figure('highs_lp_ms', h.wallMs, 'ms');
  figure('highs_lp_simplex_iterations', h.iterations ?? -1, 'iterations');
  figure('highs_lp_objective', h.objective ?? -1, 'points', flow.value.figures.totalScore);
  figure('highs_lp_integral', h.integral ? 1 : 0, 'bool');
  figure('highs_lp_max_fractionality', h.maxFractionality ?? -1, 'x');

  // The whole plan as the API will run it: exact (auto), baselines, explanations.
  const full = await timed(() => planCampaign(market));
  const r: PlanResult = full.value;
  const greedy = r.baselines!.greedy;
  const da = r.baselines!.deferredAcceptance;
  figure('plan_ms', full.ms, 'ms');
  figure('total_score', r.figures.totalScore, 'points', greedy.totalScore);
  figure('total_score_vs_deferred_acceptance', r.figures.totalScore, 'points', da.totalScore);
  figure('fill_rate', r.figures.fillRate, 'ratio', greedy.fillRate);
  figure('fill_rate_vs_deferred_acceptance', r.figures.fillRate, 'ratio', da.fillRate);
  figure('openings_full', r.figures.openingsFull, 'openings', greedy.openingsFull);
  figure('greedy_ms', greedy.wallMs, 'ms');
  figure('deferred_acceptance_ms', da.wallMs, 'ms');
  figure('explain_ms', r.explainMs, 'ms');
  const notTop = r.assignments.filter((a) => a.top !== null);
  figure('assigned_not_in_top_opening', notTop.length, 'people', r.figures.assigned);
  figure(
    'mean_forcing_cost',
    notTop.reduce((sum, a) => sum + (a.top!.forcingCost ?? 0), 0) / Math.max(1, notTop.length),
    'points',
  );
  if (size === '1k') figure('job_ms', gen.ms + full.ms, 'ms');

  // Same-county groups (3 points per person placed with a county mate at the same employer):
  // the objective reached, against the score-only plan's objective counted with the bonus.
  const bonus = 3;
  const bonusOptions: PlanOptions = { ...quiet, groupBonus: { points: bonus }, timeLimitSeconds: mipSeconds };
  const withBonus = await timed(() => planCampaign(market, bonusOptions));
  const fastBonus = await timed(() => planCampaign(market, { ...bonusOptions, solver: 'flow' }));
  const wb = withBonus.value;
  const plain = flow.value.figures;
  figure('group_bonus_objective', wb.figures.objective, 'points', plain.totalScore + bonus * plain.grouped);
  figure(
    'group_bonus_fast_objective',
    fastBonus.value.figures.objective,
    'points',
    plain.totalScore + bonus * plain.grouped,
  );
  figure('group_bonus_grouped_people', wb.figures.grouped, 'people', plain.grouped);
  figure('group_bonus_total_score', wb.figures.totalScore, 'points', plain.totalScore);
  figure('group_bonus_ms', withBonus.ms, 'ms');
  figure('group_bonus_fast_ms', fastBonus.ms, 'ms');
  figure('group_bonus_used_mip', wb.solver.used === 'highs-mip' ? 1 : 0, 'bool');
  figure('group_bonus_mip_gap', wb.solver.highs?.mipGap ?? -1, 'ratio');

  // At most `limit` distinct employers per origin county, against greedy under the same limit.
  const limit = size === '10k' ? 20 : 3;
  const limitOptions: PlanOptions = {
    explain: false,
    maxEmployersPerBatch: limit,
    timeLimitSeconds: mipSeconds,
  };
  const limited = await timed(() => planCampaign(market, limitOptions));
  const fastLimited = await timed(() => planCampaign(market, { ...limitOptions, solver: 'flow' }));
  const lg = limited.value.baselines!.greedy;
  figure('employer_limit', limit, 'employers');
  figure('employer_limit_total_score', limited.value.figures.totalScore, 'points', lg.totalScore);
  figure('employer_limit_fast_total_score', fastLimited.value.figures.totalScore, 'points', lg.totalScore);
  figure('employer_limit_fill_rate', limited.value.figures.fillRate, 'ratio', lg.fillRate);
  figure('employer_limit_ms', limited.ms, 'ms');
  figure('employer_limit_fast_ms', fastLimited.ms, 'ms');
  figure('employer_limit_used_mip', limited.value.solver.used === 'highs-mip' ? 1 : 0, 'bool');
  figure('employer_limit_mip_gap', limited.value.solver.highs?.mipGap ?? -1, 'ratio');

  if (size === '1k') {
    // What pruning to K + M candidates costs: the exact plan over every eligible pair.
    const all = candidatesFromScorer(spec.people, spec.openings, g.score, {
      topPerPerson: spec.openings,
      topPerOpening: spec.people,
    });
    const unpruned = await planCampaign({ ...market, candidates: all }, { ...quiet, solver: 'flow' });
    figure('pruned_total_score', r.figures.totalScore, 'points', unpruned.figures.totalScore);
  }
}
