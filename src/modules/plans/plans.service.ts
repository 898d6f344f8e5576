import type { Config } from '../../config.js';
import { jobId } from '../../jobs/catalogue.js';
import type { Queues } from '../../jobs/queues.js';
import { enqueue } from '../../jobs/queues.js';
import type { Actor } from '../../lib/auth/actor.js';
import { regionPath } from '../../lib/auth/scope.js';
import { AppError } from '../../lib/errors.js';
import type { Logger } from '../../lib/logger.js';
import { audit } from '../audit/audit.service.js';
import { getOpeningsByIds } from '../openings/search-projection.service.js';
import { assertRegion, supportersOf } from '../reference/reference.service.js';
import { type ProfileDisplay, profileDisplays } from '../worker-profiles/search-projection.service.js';
import type { PlanFigures, UnassignedReason } from './plan.js';
import { mayPlanFor, planScope } from './plans.policy.js';
import * as repo from './plans.repository.js';
import type { CreatePlanInput } from './plans.schemas.js';

/**
 * Campaign placement plans (issue 10): what other modules use. The pure planning core (candidate
 * selection, `planCampaign`), and the service around it: a plan request (`createPlan`) is a
 * document in `plans` plus a `plans.compute` job (`runPlan`: load, score, plan, store); reads are
 * scoped by the plan's origin; `acceptPlan` approves chosen assignments through an injected
 * `approve` (the review module's bulk approve: `approveThroughReview`).
 */
export {
  CandidateCollector,
  type CandidateSelection,
  candidatesFromScorer,
  selectCandidates,
  selectCandidatesAsync,
} from './candidates.js';
export type { CandidatePair, Market, PlanOpening, PlanPerson } from './market.js';
export {
  type AssignmentExplanation,
  type OpeningPlan,
  type PlacedPerson,
  type PlanFigures,
  type PlanOptions,
  type PlanResult,
  planCampaign,
  type SolverName,
  type SolverReport,
  type TopOpeningNote,
  type TopOpeningReason,
  type UnassignedPerson,
  type UnassignedReason,
} from './plan.js';

// ---- the service: requests, the job, reads, acceptance ---------------------------------------------

export {
  type AcceptanceDeps,
  type AcceptanceOutcome,
  type ApprovalRequest,
  type ApprovalResult,
  type ApproveFn,
  acceptPlan,
  approveThroughReview,
} from './plans.acceptance.js';
export { computePlan, runPlan } from './plans.job.js';
export type { Plan, PlanStatus } from './plans.repository.js';

export interface PlansDeps {
  config: Config;
  logger: Logger;
  queues: Queues;
}

const PROVINCES = { zhejiang: '330000', guangdong: '440000', sichuan: '510000' } as const;

/**
 * Records a plan request and queues its job (keyed by the plan id, so a duplicate enqueue does
 * nothing). The origin must lie in the caller's scope (400 otherwise: the caller named it).
 */
export async function createPlan(deps: PlansDeps, actor: Actor, input: CreatePlanInput): Promise<repo.Plan> {
  const origin = input.people.originCode;
  await assertRegion('people.originCode', origin, {
    within: [PROVINCES.sichuan],
    levels: ['prefecture', 'county'],
    message: '人员来源应为四川的市（州）或县',
    messageEn: 'the origin must be a prefecture or county of 四川',
  });
  if (!mayPlanFor(actor, origin))
    throw new AppError('validation_failed', {
      detail: '人员来源不在您的结对范围内',
      detailEn: 'The origin is outside your partnership scope',
      issues: [
        { path: 'people.originCode', code: 'out_of_scope', message: 'outside your partnership scope' },
      ],
    });
  let cities = input.openings.cityCodes;
  if (cities) {
    for (const [i, c] of cities.entries())
      await assertRegion(`openings.cityCodes.${i}`, c, {
        within: [PROVINCES.zhejiang, PROVINCES.guangdong],
        levels: ['province', 'prefecture'],
        message: '岗位所在地应为浙江或广东的省或市',
        messageEn: 'openings must be in a province or city of 浙江 or 广东',
      });
  } else {
    cities = [...new Set((await supportersOf(origin)).map((p) => p.supportingCode))].sort();
    if (cities.length === 0)
      throw new AppError('validation_failed', {
        detail: '此地区目前没有结对城市，请指定岗位所在地',
        detailEn: 'No partnership is active for this origin; name the cities',
        issues: [
          { path: 'openings.cityCodes', code: 'required', message: 'no partnership city to default to' },
        ],
      });
  }
  const plan = await repo.insertPlan({
    request: {
      originCode: origin,
      cityCodes: [...new Set(cities)],
      minScore: input.options.minScore,
      keepCountyGroups: input.options.keepCountyGroups,
      maxEmployersPerBatch: input.options.maxEmployersPerBatch,
      timeLimitSeconds: input.options.timeLimitSeconds,
    },
    regionPath: regionPath(origin),
    requestedBy: { userId: actor.userId, organizationId: actor.organizationId },
  });
  try {
    await enqueue(
      deps.queues,
      'plans.compute',
      { planId: plan.id },
      { jobId: jobId('plans.compute', plan.id) },
    );
  } catch (err) {
    // Nothing would ever compute it: leave no queued plan behind; the caller asks again.
    await repo.deletePlan(plan.id);
    throw err;
  }
  await audit.record({ action: 'plan.create', resource: { type: 'plan', id: plan.id } });
  return plan;
}

export async function getPlan(actor: Actor, id: string): Promise<repo.Plan> {
  const plan = await repo.findPlan(id, planScope(actor));
  if (!plan) throw new AppError('not_found', { detail: '方案不存在', detailEn: 'No such plan' });
  return plan;
}

export async function listPlansFor(actor: Actor, page: { sort: string; cursor?: string; limit: number }) {
  return repo.listPlans(planScope(actor), page);
}

export function presentPlanSummary(plan: repo.Plan) {
  return {
    id: plan.id,
    status: plan.status,
    progress: plan.progress,
    request: plan.request,
    requestedBy: plan.requestedBy,
    error: plan.error,
    createdAt: plan.createdAt.toISOString(),
    startedAt: plan.startedAt?.toISOString() ?? null,
    finishedAt: plan.finishedAt?.toISOString() ?? null,
  };
}

type Note = NonNullable<repo.StoredPlanResult['assignments'][number]['top']>;

/**
 * The plan as the caller may see it: people by profile id with masked display fields (a person
 * the caller can no longer see — erased, moved out of scope — keeps only the id and origin).
 */
export async function presentPlan(deps: Pick<PlansDeps, 'config'>, actor: Actor, plan: repo.Plan) {
  const acceptances = await repo.listAcceptances(plan.id);
  const r = plan.result;
  const base = {
    ...presentPlanSummary(plan),
    acceptances: acceptances.map((a) => ({
      id: a.id,
      at: a.at.toISOString(),
      by: a.by,
      accepted: a.accepted.map(({ profileId, openingId, matchId }) => ({ profileId, openingId, matchId })),
      skipped: a.skipped,
    })),
  };
  if (!r) return { ...base, result: null };
  const ids = [...r.assignments.map((a) => a.profileId), ...r.unassigned.map((u) => u.profileId)];
  const [shown, openings] = await Promise.all([
    profileDisplays(deps, actor, plan.request.originCode, ids),
    getOpeningsByIds(r.openings.filter((o) => o.people.length > 0).map((o) => o.openingId)),
  ]);
  const titles = new Map(openings.map((o) => [o.id, o.title]));
  const origin = new Map([
    ...r.assignments.map((a) => [a.profileId, a.originCode] as const),
    ...r.unassigned.map((u) => [u.profileId, u.originCode] as const),
  ]);
  const person = (profileId: string) => {
    const d: ProfileDisplay | undefined = shown.get(profileId);
    return {
      profileId,
      name: d?.name ?? null,
      sex: d?.sex ?? null,
      age: d?.age ?? null,
      originCode: origin.get(profileId) ?? '',
    };
  };
  const figures = (f: Record<string, unknown>) => f as unknown as PlanFigures;
  const solver = r.solver as {
    used: string;
    exact: boolean;
    fallbackReason: string | null;
    mipGap: number | null;
    wallMs: number;
  };
  return {
    ...base,
    result: {
      figures: figures(r.figures),
      baselines: r.baselines
        ? {
            greedy: figures(r.baselines.greedy as Record<string, unknown>),
            deferredAcceptance: figures(r.baselines.deferredAcceptance as Record<string, unknown>),
          }
        : null,
      solver,
      counts: { ...r.counts, candidatePairs: (r.candidates as { used: number }).used },
      timings: r.timings,
      openings: r.openings.map((o) => ({
        openingId: o.openingId,
        title: titles.get(o.openingId) ?? null,
        employerId: o.employerId,
        regionCode: o.regionCode,
        slots: o.slots,
        people: o.people.map((p) => ({ ...person(p.profileId), score: p.score })),
        totalScore: o.totalScore,
        fillRate: o.fillRate,
      })),
      assignments: r.assignments.map((a) => ({
        person: person(a.profileId),
        openingId: a.openingId,
        score: a.score,
        rank: a.rank,
        companions: a.companions,
        components: a.components.map(({ key, weight, points }) => ({ key, weight, points })),
        top: (a.top as Note | null) ?? null,
      })),
      unassigned: r.unassigned.map((u) => ({
        person: person(u.profileId),
        reason: u.reason as UnassignedReason,
        top: (u.top as Note | null) ?? null,
      })),
    },
  };
}
