import { randomUUID } from 'node:crypto';
import type { Actor } from '../../lib/auth/actor.js';
import { AppError } from '../../lib/errors.js';
import { audit } from '../audit/audit.service.js';
import {
  approveMatches,
  countPendingMatchesOfOpening,
  findActiveMatchesOfProfile,
  type MatchesDeps,
} from '../matches/matches.service.js';
import type { ComponentScore } from '../matching/engine.js';
import { getOpeningForMatching, type OpeningForMatching } from '../openings/for-other-modules.service.js';
import { getProfileForMatching } from '../worker-profiles/for-other-modules.service.js';
import type { ProfileDeps } from '../worker-profiles/worker-profiles.service.js';
import { planScope } from './plans.policy.js';
import {
  findPlan,
  insertAcceptance,
  releaseAcceptanceLease,
  type StoredPlanResult,
  takeAcceptanceLease,
} from './plans.repository.js';
import type { AcceptPlanInput, SkipCode } from './plans.schemas.js';

/**
 * Accepting a plan, whole or in part: each chosen person is checked again now (the plan may be
 * hours old), the ones still free are approved through an injected `approve`, and the acceptance
 * is recorded. A person is never approved at two openings: acceptances of the same person are
 * serialised by a lease on the person (plans.repository.ts), and the check under that lease sees
 * any match under way.
 */

/** One pair to approve, with what the match needs if it has to be created. */
export interface ApprovalRequest {
  planId: string;
  profileId: string;
  openingId: string;
  employerId: string;
  profileRegionPath: string[];
  openingRegionPath: string[];
  score: number;
  components: ComponentScore[];
  algorithmVersion: string;
}

export type ApprovalResult =
  | { outcome: 'approved' | 'already_approved'; matchId: string }
  | { outcome: 'skipped'; code: 'match_in_other_state' | 'concurrent_change'; matchId: string | null };

/**
 * Moves the chosen matches to approved, one result per pair in the same order. The review module's
 * bulk approve (state machine, notifications) is meant to be plugged in here.
 */
export type ApproveFn = (actor: Actor, pairs: readonly ApprovalRequest[]) => Promise<ApprovalResult[]>;

/**
 * Approval through the review workflow's bulk approve (its state machine, history and notices): a
 * pair without a match gets a suggestion first. Its skip reasons are mapped onto the plan's codes;
 * the person was already checked under the person's lease, so a skip here means someone acted on
 * the match (or the person) in between.
 */
export function approveThroughReview(deps: MatchesDeps): ApproveFn {
  return async (actor, pairs) => {
    const { results } = await approveMatches(
      actor,
      pairs.map((p) => ({ profileId: p.profileId, openingId: p.openingId, score: p.score })),
      deps,
      { note: pairs[0] ? `plan ${pairs[0].planId}` : undefined },
    );
    return results.map((r): ApprovalResult => {
      if (r.outcome !== 'skipped' && r.matchId) return { outcome: r.outcome, matchId: r.matchId };
      const code = r.reason?.startsWith('match_') ? 'match_in_other_state' : 'concurrent_change';
      return { outcome: 'skipped', code, matchId: r.matchId };
    });
  };
}

export interface AcceptanceDeps extends Pick<ProfileDeps, 'config'> {
  approve: ApproveFn;
}

export const SKIP_MESSAGES: Record<SkipCode, [string, string]> = {
  profile_gone: ['此人的档案已不存在或已注销', 'The person’s profile no longer exists'],
  profile_not_available: [
    '此人已不是“待就业”状态（可能已在其他岗位办理或已就业）',
    'The person is no longer available (in process or placed elsewhere since the plan was computed)',
  ],
  profile_not_eligible: [
    '此人目前不符合匹配条件（如撤回了同意或超出劳动年龄）',
    'The person is no longer eligible for matching (consent withdrawn, working age)',
  ],
  in_process_elsewhere: [
    '此人已在其他岗位的流程中，未重复安排',
    'The person is already in process for another opening; not assigned twice',
  ],
  opening_not_open: ['岗位已不再招聘', 'The opening is no longer open'],
  opening_full: ['岗位已无空缺名额', 'The opening has no places left'],
  match_in_other_state: [
    '该匹配已由审核人员处理（如已拒绝），未改变',
    'A reviewer already decided on this match (e.g. rejected it); left unchanged',
  ],
  concurrent_change: ['他人正在同时处理此人，请稍后重试', 'Someone else is acting on this person; try again'],
};

export interface AcceptanceOutcome {
  planId: string;
  acceptanceId: string;
  accepted: {
    profileId: string;
    openingId: string;
    matchId: string;
    outcome: 'approved' | 'already_approved';
  }[];
  skipped: { profileId: string; openingId: string; code: SkipCode; message: string; messageEn: string }[];
  placements: { openingId: string; employerId: string; originCode: string; profileIds: string[] }[];
}

type Assignment = StoredPlanResult['assignments'][number];

/** The plan's assignments named by the selection; a pair not in the plan is a 400, naming its index. */
export function selectAssignments(
  result: StoredPlanResult,
  selection: AcceptPlanInput['assignments'],
): Assignment[] {
  if (selection === 'all') return result.assignments;
  const byPair = new Map(result.assignments.map((a) => [`${a.profileId}/${a.openingId}`, a]));
  const chosen = new Map<string, Assignment>();
  const issues: { path: string; code: string; message: string }[] = [];
  selection.forEach((s, i) => {
    const a = byPair.get(`${s.profileId}/${s.openingId}`);
    if (!a)
      issues.push({ path: `assignments.${i}`, code: 'not_in_plan', message: 'this pair is not in the plan' });
    else chosen.set(s.profileId, a);
  });
  if (issues.length)
    throw new AppError('validation_failed', {
      detail: '所选的安排不在此方案中',
      detailEn: 'Some chosen assignments are not in this plan',
      issues: issues.slice(0, 50),
    });
  return [...chosen.values()];
}

const LOCK_STALE_MS = 60_000;

/** Takes the person's acceptance lease, waiting a little (about 3 s) for another acceptance to finish. */
async function lockPerson(profileId: string, token: string): Promise<boolean> {
  for (let wait = 0; wait < 40; wait++) {
    if (await takeAcceptanceLease(profileId, token, LOCK_STALE_MS)) return true;
    await new Promise((r) => setTimeout(r, 50 + Math.random() * 50));
  }
  return false;
}

async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const runner = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, runner));
  return out;
}

export async function acceptPlan(
  actor: Actor,
  planId: string,
  input: AcceptPlanInput,
  deps: AcceptanceDeps,
): Promise<AcceptanceOutcome> {
  const plan = await findPlan(planId, planScope(actor));
  if (!plan) throw new AppError('not_found', { detail: '方案不存在', detailEn: 'No such plan' });
  if (plan.status !== 'done' || !plan.result)
    throw new AppError('illegal_transition', {
      detail: '方案尚未计算完成，不能采纳',
      detailEn: 'The plan is not computed yet',
      extra: { currentState: plan.status },
    });
  const chosen = selectAssignments(plan.result, input.assignments);
  const skipped: AcceptanceOutcome['skipped'] = [];
  const skip = (a: Assignment, code: SkipCode) =>
    skipped.push({
      profileId: a.profileId,
      openingId: a.openingId,
      code,
      message: SKIP_MESSAGES[code][0],
      messageEn: SKIP_MESSAGES[code][1],
    });

  // Leases in id order: two acceptances naming the same people never wait on each other in a cycle.
  const ordered = [...chosen].sort((x, y) => (x.profileId < y.profileId ? -1 : 1));
  const token = `${actor.userId}/${randomUUID()}`;
  const held: string[] = [];
  try {
    const locked: Assignment[] = [];
    for (const a of ordered) {
      if (await lockPerson(a.profileId, token)) {
        held.push(a.profileId);
        locked.push(a);
      } else skip(a, 'concurrent_change');
    }

    const openings = new Map<string, Promise<{ opening: OpeningForMatching | null; pending: number }>>();
    const openingOf = (id: string) => {
      let p = openings.get(id);
      if (!p) {
        p = Promise.all([getOpeningForMatching(id), countPendingMatchesOfOpening(id)]).then(
          ([opening, pending]) => ({ opening, pending }),
        );
        openings.set(id, p);
      }
      return p;
    };

    // Checked now, under the person's lease: status, eligibility and matches under way elsewhere.
    const checked = await mapLimit(locked, 4, async (a) => {
      const [profile, active, o] = await Promise.all([
        getProfileForMatching(deps, a.profileId),
        findActiveMatchesOfProfile(a.profileId),
        openingOf(a.openingId),
      ]);
      // Already under way at this very opening (an earlier acceptance): the approval reports it as
      // already approved; the person's status has moved to in process because of it.
      const again = active.some((m) => m.openingId === a.openingId);
      let code: SkipCode | null = null;
      if (!profile) code = 'profile_gone';
      else if (active.some((m) => m.openingId !== a.openingId)) code = 'in_process_elsewhere';
      else if (again) code = null;
      else if (profile.status !== 'available') code = 'profile_not_available';
      else if (!profile.eligible) code = 'profile_not_eligible';
      else if (o.opening?.status !== 'open') code = 'opening_not_open';
      return { a, profile, opening: o.opening, pending: o.pending, code, again };
    });

    // Places: the opening's headcount less hires, matches under way and what this call takes.
    const taken = new Map<string, number>();
    const toApprove: { a: Assignment; request: ApprovalRequest }[] = [];
    for (const c of checked) {
      if (c.code) {
        skip(c.a, c.code);
        continue;
      }
      const opening = c.opening!;
      if (!c.again) {
        const used = opening.filled + c.pending + (taken.get(opening.id) ?? 0);
        if (used >= opening.headcount) {
          skip(c.a, 'opening_full');
          continue;
        }
        taken.set(opening.id, (taken.get(opening.id) ?? 0) + 1);
      }
      toApprove.push({
        a: c.a,
        request: {
          planId,
          profileId: c.a.profileId,
          openingId: opening.id,
          employerId: opening.employerId,
          profileRegionPath: c.profile!.regionPath,
          openingRegionPath: opening.regionPath,
          score: c.a.score,
          components: c.a.components,
          algorithmVersion: c.a.algorithmVersion,
        },
      });
    }

    const results = toApprove.length
      ? await deps.approve(
          actor,
          toApprove.map((x) => x.request),
        )
      : [];
    const accepted: AcceptanceOutcome['accepted'] = [];
    const employerOf = new Map<string, string>();
    results.forEach((r, i) => {
      const { a, request } = toApprove[i]!;
      if (r.outcome === 'skipped') skip(a, r.code);
      else {
        accepted.push({
          profileId: a.profileId,
          openingId: a.openingId,
          matchId: r.matchId,
          outcome: r.outcome,
        });
        employerOf.set(a.openingId, request.employerId);
      }
    });

    const record = await insertAcceptance({
      planId,
      at: new Date(),
      by: actor.userId,
      accepted: accepted.map((x) => ({ ...x })),
      skipped: skipped.map(({ profileId, openingId, code }) => ({ profileId, openingId, code })),
    });
    await audit.record({
      action: 'plan.accept',
      resource: { type: 'plan', id: planId },
      outcome: accepted.length ? 'success' : 'failure',
    });

    const originOf = new Map(chosen.map((a) => [a.profileId, a.originCode]));
    const groups = new Map<string, AcceptanceOutcome['placements'][number]>();
    for (const x of accepted) {
      const originCode = originOf.get(x.profileId)!;
      const key = `${x.openingId}/${originCode}`;
      let g = groups.get(key);
      if (!g) {
        g = { openingId: x.openingId, employerId: employerOf.get(x.openingId)!, originCode, profileIds: [] };
        groups.set(key, g);
      }
      g.profileIds.push(x.profileId);
    }
    return { planId, acceptanceId: record.id, accepted, skipped, placements: [...groups.values()] };
  } finally {
    await Promise.all(held.map((profileId) => releaseAcceptanceLease(profileId, token)));
  }
}
