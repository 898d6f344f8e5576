import { performance } from 'node:perf_hooks';
import { UnrecoverableError } from 'bullmq';
import type { ProcessorDeps, ProcessorResult } from '../../jobs/processor.js';
import { AppError } from '../../lib/errors.js';
import { activeMatchesByOrigin, countPendingMatchesOfOpening } from '../matches/matches.service.js';
import { buildMatchContext } from '../matches/suggestions.state.js';
import { toMatchOpening, toMatchProfile } from '../matching/adapters.js';
import {
  ALGORITHM_VERSION,
  type MatchOpening,
  type MatchProfile,
  ProfileSnapshot,
  score,
} from '../matching/engine.js';
import { getOpeningsForMatching, type OpeningForMatching } from '../openings/for-other-modules.service.js';
import {
  getProfilesForMatching,
  type ProfileForMatching,
} from '../worker-profiles/for-other-modules.service.js';
import { CandidateCollector } from './candidates.js';
import type { Market } from './market.js';
import { type PlanResult, planCampaign, type TopOpeningNote } from './plan.js';
import {
  findPlan,
  type Plan,
  type PlanProgress,
  type StoredPlanResult,
  setProgress,
  updatePlan,
} from './plans.repository.js';

/** Candidate lists: each person's 20 best openings ∪ each opening's best 5 per slot (≥ 20). */
const TOP_PER_PERSON = 20;
const PER_SLOT = 5;
/** Points per placed person with a county mate at the same employer (`keepCountyGroups`). */
const GROUP_BONUS_POINTS = 3;
const PAGE = 500;

export interface PlanJobDeps extends Pick<ProcessorDeps, 'config' | 'logger'> {}

/** Reports progress at most twice a second (each report is a write). */
function progressReporter(planId: string, onProgress?: (percent: number) => Promise<void>) {
  let last = 0;
  return async (progress: PlanProgress, force = false) => {
    const now = performance.now();
    if (!force && now - last < 500) return;
    last = now;
    await setProgress(planId, progress);
    await onProgress?.(progress.percent);
  };
}

async function loadPeople(deps: PlanJobDeps, origin: string): Promise<ProfileForMatching[]> {
  const out: ProfileForMatching[] = [];
  let after: string | undefined;
  // A page may come back short when some of it was not eligible, so only an empty page ends.
  for (;;) {
    const page = await getProfilesForMatching(deps, { regionCodes: [origin], after, limit: PAGE });
    if (page.length === 0) return out;
    out.push(...page);
    after = page.at(-1)!.id;
  }
}

async function loadOpenings(cities: readonly string[]): Promise<OpeningForMatching[]> {
  const out: OpeningForMatching[] = [];
  let afterId: string | undefined;
  for (;;) {
    const page = await getOpeningsForMatching({ regions: cities, afterId, limit: PAGE });
    if (page.length === 0) return out;
    out.push(...page);
    afterId = page.at(-1)!.id;
  }
}

/** Places left: headcount − hires − matches under way there (approved … interviewing). */
async function slotsLeft(openings: readonly OpeningForMatching[]): Promise<number[]> {
  const slots = new Array<number>(openings.length).fill(0);
  let next = 0;
  const runner = async () => {
    while (next < openings.length) {
      const i = next++;
      const o = openings[i]!;
      slots[i] = Math.max(0, o.headcount - o.filled - (await countPendingMatchesOfOpening(o.id)));
    }
  };
  await Promise.all([runner(), runner(), runner(), runner()]);
  return slots;
}

function noteIds(
  note: TopOpeningNote | null,
  people: readonly MatchProfile[],
  openings: readonly MatchOpening[],
) {
  if (!note) return null;
  return {
    openingId: openings[note.opening]!.id,
    score: note.score,
    reason: note.reason,
    heldBy: note.heldBy.map((h) => ({ profileId: people[h.person]!.id, score: h.score })),
    forcingCost: note.forcingCost,
    displaced: note.displaced
      ? {
          profileId: people[note.displaced.person]!.id,
          score: note.displaced.score,
          movesTo: note.displaced.movesTo
            ? { openingId: openings[note.displaced.movesTo.opening]!.id, score: note.displaced.movesTo.score }
            : null,
        }
      : null,
  };
}

export interface ComputedPlan {
  result: StoredPlanResult;
  plan: PlanResult;
}

/**
 * Loads, scores and plans (no write to the plan except progress). Exported for the benchmark,
 * which measures exactly what the job does.
 */
export async function computePlan(
  deps: PlanJobDeps,
  request: Plan['request'],
  report: (p: PlanProgress, force?: boolean) => Promise<void> = async () => undefined,
): Promise<ComputedPlan> {
  const t0 = performance.now();
  await report({ phase: 'loading', percent: 1 }, true);
  const [loaded, active, openingsLoaded, ctx] = await Promise.all([
    loadPeople(deps, request.originCode),
    activeMatchesByOrigin(request.originCode),
    loadOpenings(request.cityCodes),
    buildMatchContext(),
  ]);
  // Someone with a match under way is spoken for, whatever their profile status says yet.
  const people = loaded.filter((p) => !active.profiles.has(p.id)).map(toMatchProfile);
  const slotsAll = await slotsLeft(openingsLoaded);
  const keep = openingsLoaded.map((_, i) => slotsAll[i]! > 0);
  const openings = openingsLoaded.filter((_, i) => keep[i]).map(toMatchOpening);
  const slots = slotsAll.filter((_, i) => keep[i]);
  const tLoaded = performance.now();
  await report({ phase: 'scoring', percent: 20 }, true);

  const snapshot = new ProfileSnapshot(ctx.vocabulary, Math.max(32, people.length));
  const indexOf = new Map<string, number>();
  people.forEach((p, i) => {
    snapshot.upsert(p);
    indexOf.set(p.id, i);
  });
  const collector = new CandidateCollector(people.length, openings.length, {
    topPerPerson: TOP_PER_PERSON,
    topPerOpening: (o) => Math.max(20, PER_SLOT * slots[o]!),
    minScore: request.minScore,
  });
  const rowPerson: number[] = [];
  const out = new Float64Array(Math.max(32, people.length * 2));
  for (let o = 0; o < openings.length; o++) {
    const co = snapshot.compile(openings[o]!, ctx);
    const rows = snapshot.scanAll(co, out);
    // Rows are slots of the snapshot; holes (removed rows) read -1 like excluded ones.
    for (let r = 0, seen = 0; seen < rows && r < out.length; r++) {
      const id = snapshot.idOfRow(r);
      if (id === undefined) continue;
      seen++;
      if (out[r]! < 0) continue;
      let p = rowPerson[r];
      if (p === undefined) {
        p = indexOf.get(id)!;
        rowPerson[r] = p;
      }
      collector.add(p, o, out[r]!);
    }
    await report({ phase: 'scoring', percent: 20 + Math.round((40 * (o + 1)) / openings.length) });
  }
  const candidates = collector.result();
  const tScored = performance.now();
  await report({ phase: 'solving', percent: 60 }, true);

  const market: Market = {
    people: people.map((p) => ({ id: p.id, county: p.originCounty })),
    openings: openings.map((o, i) => ({ id: o.id, headcount: slots[i]!, employer: o.employerId })),
    candidates,
  };
  const plan = await planCampaign(market, {
    minScore: request.minScore,
    groupBonus: request.keepCountyGroups ? { points: GROUP_BONUS_POINTS } : null,
    maxEmployersPerBatch: request.maxEmployersPerBatch,
    timeLimitSeconds: request.timeLimitSeconds,
  });
  const tSolved = performance.now();
  await report({ phase: 'explaining', percent: 90 }, true);

  const regionOf = new Map(openingsLoaded.map((o) => [o.id, o.regionCode]));
  const result: StoredPlanResult = {
    figures: { ...plan.figures },
    baselines: plan.baselines ? { ...plan.baselines } : null,
    solver: {
      used: plan.solver.used,
      exact: plan.solver.exact,
      fallbackReason: plan.solver.fallbackReason,
      mipGap: plan.solver.highs?.mipGap ?? null,
      wallMs: plan.solver.wallMs,
    },
    candidates: { ...plan.candidates },
    openings: plan.openings.map((op) => ({
      openingId: op.id,
      employerId: openings[op.opening]!.employerId,
      regionCode: regionOf.get(op.id)!,
      slots: op.headcount,
      people: op.people.map((x) => ({ profileId: x.id, score: x.score })),
      totalScore: op.totalScore,
      fillRate: op.fillRate,
    })),
    // Why this opening: the reference score's components, for the few pairs the plan chose.
    assignments: plan.assignments.map((a) => {
      const p = people[a.person]!;
      const s = score(p, openings[a.opening]!, ctx);
      return {
        profileId: a.id,
        profileVersion: p.version ?? 0,
        originCode: p.originCounty,
        openingId: a.openingId,
        score: a.score,
        rank: a.rank,
        companions: a.companions,
        components: s.components,
        algorithmVersion: ALGORITHM_VERSION,
        top: noteIds(a.top, people, openings),
      };
    }),
    unassigned: plan.unassigned.map((u) => ({
      profileId: u.id,
      originCode: people[u.person]!.originCounty,
      reason: u.reason,
      top: noteIds(u.top, people, openings),
    })),
    counts: {
      people: people.length,
      openings: openings.length,
      slots: slots.reduce((a, b) => a + b, 0),
      excludedInProcess: loaded.length - people.length,
    },
    timings: {
      loadMs: Math.round(tLoaded - t0),
      scoreMs: Math.round(tScored - tLoaded),
      solveMs: Math.round(tSolved - tScored),
      totalMs: Math.round(performance.now() - t0),
    },
  };
  return { result, plan };
}

/**
 * The `plans.compute` job: computes a plan and stores the result. Idempotent — a plan already
 * done or failed is left alone, and nothing but progress is written before the end, so a retry
 * after a crash simply computes again. A planning input the planner refuses (AppError) fails at
 * once; other errors are retried, and the plan is marked failed on the last attempt.
 */
export async function runPlan(
  deps: PlanJobDeps,
  planId: string,
  job?: { attemptsMade: number; opts: { attempts?: number }; updateProgress(p: number): Promise<void> },
): Promise<ProcessorResult> {
  const plan = await findPlan(planId, undefined, false);
  if (!plan) return { skipped: 'no such plan' };
  if (plan.status === 'done' || plan.status === 'failed') return { skipped: `plan ${plan.status}` };
  await updatePlan(
    planId,
    ['queued', 'running'],
    {
      status: 'running',
      startedAt: plan.startedAt ?? new Date(),
      progress: { phase: 'loading', percent: 0 },
    },
    true,
  );
  try {
    const { result } = await computePlan(
      deps,
      plan.request,
      progressReporter(planId, job ? (p) => job.updateProgress(p) : undefined),
    );
    await updatePlan(planId, ['running'], {
      status: 'done',
      result,
      progress: { phase: 'done', percent: 100 },
      finishedAt: new Date(),
    });
    deps.logger.info(
      { planId, people: result.counts.people, openings: result.counts.openings, ms: result.timings.totalMs },
      'plan computed',
    );
    return { assigned: (result.figures as { assigned: number }).assigned, ms: result.timings.totalMs };
  } catch (err) {
    const permanent = err instanceof AppError;
    const last = !job || job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    if (permanent || last) {
      await updatePlan(planId, ['queued', 'running'], {
        status: 'failed',
        error: permanent ? err.code : 'internal',
        progress: { phase: 'failed', percent: 100 },
        finishedAt: new Date(),
      });
    }
    if (permanent) throw new UnrecoverableError(err.message);
    throw err;
  }
}
