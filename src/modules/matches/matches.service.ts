import type { Config } from '../../config.js';
import { jobId } from '../../jobs/catalogue.js';
import { enqueue, type Queues } from '../../jobs/queues.js';
import { type Actor, hasRole } from '../../lib/auth/actor.js';
import { inRegionScope, partnershipScope } from '../../lib/auth/scope.js';
import { AppError } from '../../lib/errors.js';
import type { Page } from '../../lib/http/pagination.js';
import type { Logger } from '../../lib/logger.js';
import { audit } from '../audit/audit.service.js';
import { supersededText, withText } from '../matching/reasons.js';
import type { MatchStatus } from '../matching/reconcile.js';
import { MACHINE_STATES } from '../matching/reconcile.js';
import type { Reason } from '../matching/types.js';
import { notify, type Recipient } from '../notifications/notifications.service.js';
import { employerShortName, sendSms } from '../notifications/sms.js';
import { getOpeningById } from '../openings/for-other-modules.service.js';
import { claimHeadcountSlot, releaseHeadcountSlot } from '../openings/headcount.service.js';
import { openingsDeps } from '../openings/openings.deps.js';
import { getOpeningsByIds } from '../openings/search-projection.service.js';
import { findOrganizationById } from '../orgs/orgs.service.js';
import { hasProcessingConsent, hasShareConsent } from '../worker-profiles/consents.service.js';
import {
  buildAnonymisedProfile,
  getProfileForMatching,
  shareableIdentity,
} from '../worker-profiles/for-other-modules.service.js';
import {
  ACTIONS,
  allowedActions,
  decide,
  EMPLOYED,
  EMPLOYER_VISIBLE,
  type HumanAction,
  IN_PROCESS,
  needsNote,
  PRE_HIRE,
  type ReviewAction,
  reasonLabel,
  type SystemAction,
} from './machine.js';
import { matchScope, queueScope } from './matches.policy.js';
import type { Match } from './matches.repository.js';
import * as repo from './matches.repository.js';
import {
  type ApproveItem,
  type HireInput,
  INTERVIEW_MODES,
  type InterviewInput,
  type ProposalsQuery,
  type ReviewQueueQuery,
} from './matches.schemas.js';
import { referenceContext } from './read-context.js';
import { readsMatchDetail } from './suggestions.policy.js';

// The reads other modules may make of matches (plans, self-service, placements): the repository
// stays private to this module.
export {
  ACTIVE_MATCH_STATUSES,
  activeMatchesByOrigin,
  countPendingMatchesOfOpening,
  findActiveMatchesOfProfile,
  findMatchById,
  type Match,
} from './matches.repository.js';
export { syncProfileStatus, syncProfileStatusOrThrow } from './profile-status.js';

/** What the workflow needs from its process. */
export interface MatchesDeps {
  config: Config;
  logger: Logger;
  queues: Queues;
}

type Body = { reasonCode?: string; note?: string } & Partial<HireInput> & Partial<InterviewInput>;

const notFound = () => new AppError('not_found', { detail: '匹配不存在', detailEn: 'No such match' });

const STATUS_ZH: Record<MatchStatus, string> = {
  suggested: '待审核',
  superseded: '已失效',
  approved: '已审核通过',
  rejected: '审核未通过',
  proposed: '已推荐',
  interested: '用人单位有意向',
  declined: '用人单位已婉拒',
  interviewing: '面试中',
  hired: '已录用',
  placed: '已安置',
  retained: '稳定就业',
  ended: '已结束',
  withdrawn: '已撤回',
};

function illegal(m: Pick<Match, 'status' | 'version'>, action: ReviewAction, roles?: readonly string[]) {
  return new AppError('illegal_transition', {
    detail: `匹配当前状态为「${STATUS_ZH[m.status]}」，不能${ACTIONS[action].zh}`,
    detailEn: `The match is ${m.status}: it cannot ${ACTIONS[action].en}`,
    extra: {
      currentState: m.status,
      currentVersion: m.version,
      allowedActions: allowedActions(m.status, roles as never),
    },
  });
}

function lostRace(m: Pick<Match, 'status' | 'version'> | null) {
  return new AppError('conflict', {
    detail: m ? `匹配已被他人处理，当前状态为「${STATUS_ZH[m.status]}」` : '匹配已被他人处理',
    detailEn: m ? `Someone else acted on the match first: it is now ${m.status}` : 'Someone else acted first',
    extra: { currentState: m?.status, currentVersion: m?.version },
  });
}

function badReason(field: string, allowed: readonly string[]) {
  return new AppError('validation_failed', {
    detail: `${field}：应为 ${allowed.join('、')} 之一`,
    detailEn: `${field}: must be one of ${allowed.join(', ')}`,
    issues: [{ path: `body.${field}`, code: 'invalid_reason', message: `one of ${allowed.join(', ')}` }],
  });
}

function checkReason(body: Body, allowed: readonly string[]) {
  if (!body.reasonCode || !allowed.includes(body.reasonCode)) throw badReason('reasonCode', allowed);
  if (needsNote(body.reasonCode) && !body.note)
    throw new AppError('validation_failed', {
      detail: 'note：选择“其他”时须说明原因',
      detailEn: 'note: say why when the reason is "other"',
      issues: [{ path: 'body.note', code: 'required', message: 'required with reason other' }],
    });
}

// ---- notifications --------------------------------------------------------------------------------

async function federationOf(deps: MatchesDeps, profileId: string): Promise<Recipient[]> {
  const p = await getProfileForMatching(deps, profileId);
  return p ? [{ organizationId: p.registeringFederationId, role: 'federation_staff' }] : [];
}

/** Who proposed the match (the reviewer to tell of the employer's answers and of the placement). */
export function proposerOf(history: Match['history']): string | null {
  return [...history].reverse().find((h) => h.action === 'propose')?.by ?? null;
}

const employerOf = (m: Match): Recipient => ({ organizationId: m.employerId, role: 'employer' });
const proposer = (m: Match): Recipient[] => {
  const by = proposerOf(m.history);
  return by ? [{ userId: by }] : [];
};

/** Actions whose transition tells someone (the others tell through their own records, e.g. a placement). */
const NOTIFIED: ReadonlySet<ReviewAction> = new Set([
  'approve',
  'reject',
  'propose',
  'interested',
  'decline',
  'interview',
  'withdraw',
  'auto_withdraw',
]);

/**
 * The notifications of one transition, run by the `matches.notify-transition` job on the match as
 * it is now: the transition's own history entry gives its reason and the state it left. A failure
 * throws, and the job is retried (notify() sends each event once).
 */
export async function notifyTransition(deps: MatchesDeps, matchId: string, action: ReviewAction) {
  const after = await repo.findMatchById(matchId);
  const entry = after && [...after.history].reverse().find((h) => h.action === action);
  if (!after || !entry || !NOTIFIED.has(action)) return { skipped: 'nothing to notify' };
  const before = { status: entry.from as MatchStatus };
  const ref = { matchId: after.id, openingId: after.openingId };
  const reasonCode = entry.reasonCode;
  const ctx = { config: deps.config, logger: deps.logger, queues: deps.queues };
  const send = async () => {
    switch (action) {
      case 'approve':
        return notify({ type: 'match.approved', data: ref }, await federationOf(deps, after.profileId), ctx);
      case 'reject':
        return notify(
          { type: 'match.rejected', data: { ...ref, ...(reasonCode ? { reasonCode } : {}) } },
          await federationOf(deps, after.profileId),
          ctx,
        );
      case 'propose':
        return notify({ type: 'match.proposed', data: ref }, employerOf(after), ctx);
      case 'interested':
        return notify(
          { type: 'match.interested', data: ref },
          [...proposer(after), ...(await federationOf(deps, after.profileId))],
          ctx,
        );
      case 'decline':
        return notify(
          { type: 'match.declined', data: { ...ref, ...(reasonCode ? { reasonCode } : {}) } },
          [...proposer(after), ...(await federationOf(deps, after.profileId))],
          ctx,
        );
      case 'interview':
        return notify(
          { type: 'interview.scheduled', data: { ...ref, at: after.interview!.at.toISOString() } },
          [employerOf(after), ...proposer(after), ...(await federationOf(deps, after.profileId))],
          ctx,
        );
      case 'withdraw':
      case 'auto_withdraw':
        return notify(
          { type: 'match.withdrawn', data: { ...ref, ...(reasonCode ? { reasonCode } : {}) } },
          [
            ...(await federationOf(deps, after.profileId)),
            ...(EMPLOYER_VISIBLE.includes(before.status) ? [employerOf(after)] : []),
          ],
          ctx,
        );
      default:
        return undefined;
    }
  };
  await send();
  if (action === 'propose') await smsProposal(deps, after);
  return { notified: action };
}

/** A proposed job reaches the person too: a text naming the employer (its short name only). */
async function smsProposal(deps: MatchesDeps, m: Match): Promise<void> {
  const [profile, employer] = await Promise.all([
    getProfileForMatching(deps, m.profileId),
    findOrganizationById(m.employerId),
  ]);
  if (!profile) return;
  await sendSms(
    { config: deps.config, logger: deps.logger, queues: deps.queues },
    {
      template: 'proposal',
      profileId: m.profileId,
      organizationId: profile.registeringFederationId,
      eventKey: `match/${m.id}`,
      vars: [employerShortName(employer?.name ?? '')],
    },
  );
}

// ---- the transition ---------------------------------------------------------------------------------

interface By {
  userId: string;
  /** Undefined: the system (automatic withdrawals). */
  roles?: readonly Actor['roles'][number][];
}

/**
 * Applies `action` to `match` as read at `match.version`: checks the machine, the action's own
 * preconditions (reason codes, share consent, a headcount place), makes the transition (one
 * winner: conditional on the version), then does what follows (placement, supersession, profile
 * status, notifications).
 */
async function perform(
  deps: MatchesDeps,
  match: Match,
  action: ReviewAction,
  by: By,
  body: Body,
  attempt = 0,
): Promise<Match> {
  const d = decide(match.status, action, by.roles);
  if (!d.ok) {
    if (d.code === 'forbidden') throw new AppError('forbidden');
    throw illegal(match, action, by.roles);
  }
  if (action === 'approve' && match.status === 'superseded' && match.supersededReason?.code !== 'outranked')
    throw illegal(match, action, by.roles);
  const cfg = deps.config.review;
  if (action === 'reject') checkReason(body, cfg.rejectReasons);
  if (action === 'decline') checkReason(body, cfg.declineReasons);
  if (action === 'withdraw') checkReason(body, cfg.withdrawReasons);
  if (action === 'propose' && !(await hasShareConsent(match.profileId, match.employerId, match.openingId)))
    throw new AppError('consent_required', {
      detail: '须先登记本人向该用人单位（就该岗位）提供个人信息的同意，才能推荐',
      detailEn: 'Record the person’s consent to share with this employer for this opening before proposing',
      extra: { currentState: match.status, currentVersion: match.version },
    });

  let slot: number | undefined;
  const odeps = openingsDeps(deps);
  if (action === 'hire') {
    slot = await claimHeadcountSlot(match.openingId, odeps);
    if (slot === undefined)
      throw new AppError('headcount_full', {
        detail: '该岗位的招聘人数已满',
        detailEn: 'Every place of this opening is taken',
        extra: { currentState: match.status, currentVersion: match.version },
      });
  }
  // The outbox mark, in the same write as the move: cleared once its jobs are enqueued.
  const set: Record<string, unknown> = { consequencesPending: true };
  if (action === 'interview') set.interview = { at: new Date(body.at!), mode: body.mode, note: body.note };
  // The hire's terms stay on the match: the placement job re-reads them (its payload holds ids only).
  if (action === 'hire')
    set.hire = {
      contractStart: body.contractStart,
      contractEnd: body.contractEnd,
      monthlyWage: body.monthlyWage,
      socialInsurance: body.socialInsurance,
      headcountSlot: slot,
    };
  const updated = await repo.claimTransition(
    match,
    d.to,
    {
      action,
      by: by.userId,
      ...(body.reasonCode ? { reasonCode: body.reasonCode } : {}),
      ...(body.note ? { note: body.note } : {}),
    },
    set,
  );
  if (!updated) {
    if (slot !== undefined) await releaseHeadcountSlot(match.openingId, odeps);
    const fresh = await repo.findMatchById(match.id);
    // The matching jobs rescore suggestions, bumping the version: a suggestion still in the same
    // machine state was only rescored, not decided by a person — judge it again as it is now.
    if (fresh && attempt < 3 && fresh.status === match.status && MACHINE_STATES.has(fresh.status))
      return perform(deps, fresh, action, by, body, attempt + 1);
    throw fresh && !ACTIONS[action].from.includes(fresh.status)
      ? illegal(fresh, action, by.roles)
      : lostRace(fresh);
  }
  await audit.record({
    action: `match.${action}`,
    resource: { type: 'match', id: match.id },
    ...(body.reasonCode ? { reason: body.reasonCode } : {}),
    fields: Object.keys(body),
  });
  await dispatchConsequences(deps, updated, action);
  return updated;
}

/** The consequence jobs of one transition, by action (pure: the service tests read it). */
export function consequencesOf(action: ReviewAction): ConsequenceJob[] {
  const jobs: ConsequenceJob[] = [];
  if (action === 'hire') jobs.push('placements.create-from-hire');
  jobs.push('matches.sync-profile-status');
  if (NOTIFIED.has(action)) jobs.push('matches.notify-transition');
  return jobs;
}
export type ConsequenceJob =
  | 'placements.create-from-hire'
  | 'matches.sync-profile-status'
  | 'matches.notify-transition';

/**
 * Enqueues what follows a transition, keyed by match id and the version it produced (a repeated
 * enqueue is one job); false when Redis refused. The transition stands either way.
 */
export async function enqueueConsequences(
  deps: MatchesDeps,
  m: Match,
  action: ReviewAction,
): Promise<boolean> {
  const key = { matchId: m.id, version: m.version };
  try {
    for (const job of consequencesOf(action)) {
      if (job === 'matches.notify-transition')
        await enqueue(deps.queues, job, { ...key, action }, { jobId: jobId(job, m.id, m.version) });
      else await enqueue(deps.queues, job, key, { jobId: jobId(job, m.id, m.version) });
    }
  } catch (err) {
    deps.logger.warn({ matchId: m.id, action, err: (err as Error).message }, 'consequences not enqueued');
    return false;
  }
  return true;
}

/** Enqueues a move's consequences and clears its outbox mark; the mark stays for the sweep if Redis refused. */
async function dispatchConsequences(deps: MatchesDeps, m: Match, action: ReviewAction): Promise<void> {
  if (await enqueueConsequences(deps, m, action)) await repo.clearConsequencesPending(m.id, m.version);
}

/** At headcount the opening is filled: its remaining suggestions can no longer lead anywhere. */
async function supersedeIfFilled(openingId: string): Promise<void> {
  const opening = await getOpeningById(openingId);
  if (opening?.status !== 'filled') return;
  const reason = { code: 'opening_filled' };
  for (const m of await repo.matchesOfOpening(openingId, 'suggested')) await repo.supersede(m, reason);
}

/**
 * A system transition following another record (a placement created, retained or ended), through
 * the same machine as every other. A match the machine does not let take `action` is left alone
 * (null); a lost race is read again. `place` links the placement and is a no-op once linked.
 */
export async function applySystemAction(
  deps: MatchesDeps,
  matchId: string,
  action: Extract<SystemAction, 'place' | 'retain' | 'end'>,
  by: string,
  extra: { reasonCode?: string; placementId?: string } = {},
): Promise<Match | null> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const m = await repo.findMatchById(matchId);
    if (!m) return null;
    if (action === 'place' && m.placementId) return m;
    const d = decide(m.status, action);
    if (!d.ok) return null;
    const updated = await repo.claimTransition(
      m,
      d.to,
      { action, by, ...(extra.reasonCode ? { reasonCode: extra.reasonCode } : {}) },
      { consequencesPending: true, ...(action === 'place' ? { placementId: extra.placementId } : {}) },
    );
    if (!updated) continue;
    await audit.record({
      action: `match.${action}`,
      resource: { type: 'match', id: m.id },
      ...(extra.reasonCode ? { reason: extra.reasonCode } : {}),
    });
    if (action === 'place') await supersedeIfFilled(m.openingId);
    await dispatchConsequences(deps, updated, action);
    return updated;
  }
  throw new Error(`match ${matchId} changed concurrently`);
}

/**
 * The matches' outbox sweep: moves still marked (their jobs were never enqueued) get them now, as
 * the last move in their history; and hires older than `after` that have no placement yet (their
 * placement job was lost, e.g. Redis lost it) get their placement job again, keyed by the sweep's
 * own moment so a job that failed for good is not mistaken for a pending one.
 */
export async function sweepMatches(
  deps: MatchesDeps,
  now = new Date(),
): Promise<{ resent: number; enqueued: number }> {
  const before = new Date(now.getTime() - deps.config.review.sweepAfterMs);
  const pending = await repo.withConsequencesPending(before);
  for (const m of pending) {
    const last = m.history.at(-1)?.action as ReviewAction | undefined;
    if (last && Object.hasOwn(ACTIONS, last)) await dispatchConsequences(deps, m, last);
  }
  // A hire just resent above has its placement job again already.
  const resent = new Set(pending.map((m) => m.id));
  const stale = (await repo.hiredWithoutPlacement(before)).filter((m) => !resent.has(m.id));
  for (const m of stale)
    await enqueue(
      deps.queues,
      'placements.create-from-hire',
      { matchId: m.id, version: m.version },
      { jobId: jobId('placements.create-from-hire', m.id, m.version, 'sweep', now.getTime()) },
    );
  return { resent: pending.length, enqueued: stale.length };
}

/**
 * A person's transition of a match through the API. The match must be in the caller's scope (404
 * otherwise); `expectedVersion` (If-Match) is optional — without it the transition is
 * conditional on the version just read, so of two people acting at once exactly one wins and the other gets 409 naming the state.
 */
export async function transition(
  actor: Actor,
  id: string,
  action: HumanAction,
  body: Body,
  deps: MatchesDeps,
  expectedVersion?: number,
): Promise<Match> {
  const match = await repo.findMatchInScope(id, matchScope(actor));
  if (!match) throw notFound();
  if (expectedVersion !== undefined && expectedVersion !== match.version)
    throw new AppError('precondition_failed', {
      extra: { currentState: match.status, currentVersion: match.version },
    });
  return perform(deps, match, action, { userId: actor.userId, roles: actor.roles }, body);
}

// ---- reads --------------------------------------------------------------------------------------

const DAY = 86_400_000;

/** Whether a match stores reasons as codes only (every match written since texts are rendered when read). */
function needsRendering(m: Match): boolean {
  return (
    m.reasons.some((r) => r.zh === undefined || r.en === undefined) ||
    (m.supersededReason !== undefined && m.supersededReason.zh === undefined)
  );
}

/** Each match's reasons with their sentences (rendered from codes, or as stored on older documents), by match id. */
export async function reasonsWithText(list: readonly Match[]): Promise<Map<string, Reason[]>> {
  const ctx = list.some(needsRendering) ? await referenceContext() : null;
  return new Map(list.map((m) => [m.id, m.reasons.map((r) => withText(r, ctx!))]));
}

/**
 * Matches as every route answers them (one shape, the `Match` schema). The suggestion details —
 * reasons' parameters, a rescore kept beside the match, why it was superseded — follow the lists'
 * read scope (readsMatchDetail): a caller who reads the match only through the review scope gets
 * them empty, as before the two shapes were one.
 */
export async function presentMatches(actor: Actor, list: readonly Match[], now = new Date()) {
  const [openings, ctx] = await Promise.all([
    getOpeningsByIds(list.map((m) => m.openingId)),
    // Names for the reasons' sentences, only when a match stores codes without text.
    list.some(needsRendering) ? referenceContext() : null,
  ]);
  const titles = new Map(openings.map((o) => [o.id, o.title]));
  return list.map((m) => {
    const detail = readsMatchDetail(actor, m);
    return {
      id: m.id,
      profileId: m.profileId,
      openingId: m.openingId,
      openingTitle: titles.get(m.openingId) ?? null,
      employerId: m.employerId,
      status: m.status,
      version: m.version,
      score: m.score,
      components: m.components.map(({ key, weight, value, points }) => ({ key, weight, value, points })),
      reasons: m.reasons.map((stored) => {
        const { code, kind, about, params, zh, en } = withText(stored, ctx!);
        return { code, kind, about, params: detail ? params : {}, zh, en };
      }),
      algorithmVersion: m.algorithmVersion,
      latestScore: detail && m.latestScore ? { ...m.latestScore, at: m.latestScore.at.toISOString() } : null,
      supersededReason:
        detail && m.supersededReason
          ? { code: m.supersededReason.code, ...supersededText(m.supersededReason, ctx!) }
          : null,
      suggestedAt: m.suggestedAt.toISOString(),
      updatedAt: m.updatedAt.toISOString(),
      waitingDays: Math.max(0, Math.floor((now.getTime() - m.suggestedAt.getTime()) / DAY)),
      interview: m.interview
        ? { at: m.interview.at.toISOString(), mode: m.interview.mode, note: m.interview.note ?? null }
        : null,
      placementId: m.placementId ?? null,
      history: m.history.map((h) => ({
        from: h.from,
        to: h.to,
        action: h.action,
        at: h.at.toISOString(),
        by: h.by,
        reasonCode: h.reasonCode ?? null,
        note: h.note ?? null,
      })),
      allowedActions: allowedActions(m.status, actor.roles),
    };
  });
}

export async function getMatch(actor: Actor, id: string): Promise<Match> {
  const m = await repo.findMatchInScope(id, matchScope(actor));
  if (!m) throw notFound();
  return m;
}

/** The match if `actor` may see it, else null (transfer batches check their members with it). */
export async function findMatchFor(actor: Actor, id: string): Promise<Match | null> {
  return repo.findMatchInScope(id, matchScope(actor));
}

/** One page of an opening's matches in `statuses` that `actor` may see (optionally of one origin), best first. */
export async function matchesOfOpeningFor(
  actor: Actor,
  openingId: string,
  statuses: readonly MatchStatus[],
  options: { originCode?: string; limit: number },
): Promise<Page<Match>> {
  return repo.listMatchesPage(
    {
      openingId,
      status: { $in: [...statuses] },
      ...(options.originCode ? { profileRegionPath: options.originCode } : {}),
    },
    matchScope(actor),
    { sort: '-score', limit: options.limit },
  );
}

/** What the review queue lists before any of its filters. */
const QUEUE_FILTER = { status: 'suggested' } as const;

/** The whole queue of `actor` (no filters): how many wait, and since when the oldest. */
export async function reviewQueueWaiting(actor: Actor) {
  return repo.countWithOldest({ ...QUEUE_FILTER }, queueScope(actor));
}

/** Proposals waiting for the employer's answer, in the scope the proposals list uses. */
export async function proposalsAwaitingAnswer(actor: Actor): Promise<number> {
  return repo.countMatchesInScope({ status: 'proposed' }, matchScope(actor));
}

/** Suggested matches in the reviewer's partnership scope, by score or by waiting time. */
export async function reviewQueue(
  actor: Actor,
  q: ReviewQueueQuery,
  now = new Date(),
): Promise<repo.MatchPage> {
  const filter: Record<string, unknown> = { ...QUEUE_FILTER };
  if (q.openingId) filter.openingId = q.openingId;
  if (q.prefecture) filter.profileRegionPath = q.prefecture;
  const and: Record<string, unknown>[] = [];
  if (q.scoreMin !== undefined) and.push({ score: { $gte: q.scoreMin } });
  if (q.scoreMax !== undefined) and.push({ score: { $lte: q.scoreMax } });
  if (q.waitingDays !== undefined)
    and.push({ suggestedAt: { $lte: new Date(now.getTime() - q.waitingDays * DAY) } });
  // Counted on the first page only: the console shows the first page's count while it appends pages.
  return repo.listMatchesPageCounting(
    and.length ? { ...filter, $and: and } : filter,
    queueScope(actor),
    { sort: q.sort, cursor: q.cursor, limit: q.limit },
    'first_page',
  );
}

export function reasonLists(config: Config) {
  return {
    reject: config.review.rejectReasons.map(reasonLabel),
    decline: config.review.declineReasons.map(reasonLabel),
    withdraw: config.review.withdrawReasons.map(reasonLabel),
    interviewModes: [...INTERVIEW_MODES],
  };
}

// ---- the employer's view ---------------------------------------------------------------------------

/**
 * One proposal as its employer sees it: the anonymised profile always; name and phone only once the
 * person consented to share with this employer for this opening (never an ID or certificate
 * number). Every disclosure of identity is audited.
 */
async function presentProposal(deps: MatchesDeps, m: Match, titles: Map<string, string>, actor: Actor) {
  const shared = await hasShareConsent(m.profileId, m.employerId, m.openingId);
  const identity = shared ? await shareableIdentity(deps, m.profileId) : null;
  if (identity)
    await audit.record({
      action: 'match.disclose',
      resource: { type: 'match', id: m.id },
      fields: identity.phone ? ['name', 'phone'] : ['name'],
      reason: 'share_consent',
    });
  const profile = await buildAnonymisedProfile(deps, m.profileId, m.id);
  return {
    id: m.id,
    openingId: m.openingId,
    openingTitle: titles.get(m.openingId) ?? null,
    status: m.status,
    version: m.version,
    proposedAt:
      [...m.history]
        .reverse()
        .find((h) => h.action === 'propose')
        ?.at.toISOString() ?? null,
    interview: m.interview
      ? { at: m.interview.at.toISOString(), mode: m.interview.mode, note: m.interview.note ?? null }
      : null,
    placementId: m.placementId ?? null,
    allowedActions: allowedActions(m.status, actor.roles),
    identityStatus: identity ? ('shared' as const) : ('pending_consent' as const),
    identity: identity ? { name: identity.name, phone: identity.phone } : null,
    profile: profile as Record<string, unknown> | null,
  };
}

export async function employerProposals(actor: Actor, q: ProposalsQuery, deps: MatchesDeps) {
  const filter: Record<string, unknown> = {};
  if (q.openingId) filter.openingId = q.openingId;
  if (q.status) filter.status = q.status;
  const page = await repo.listMatchesPage(filter, matchScope(actor), {
    sort: q.sort,
    cursor: q.cursor,
    limit: q.limit,
  });
  const titles = new Map(
    (await getOpeningsByIds(page.items.map((m) => m.openingId))).map((o) => [o.id, o.title]),
  );
  const items = [];
  for (const m of page.items) items.push(await presentProposal(deps, m, titles, actor));
  return { ...page, items };
}

export async function employerProposal(actor: Actor, id: string, deps: MatchesDeps) {
  const m = await getMatch(actor, id);
  const titles = new Map((await getOpeningsByIds([m.openingId])).map((o) => [o.id, o.title]));
  return presentProposal(deps, m, titles, actor);
}

// ---- for other modules -----------------------------------------------------------------------------

export interface ApproveOutcome {
  profileId: string;
  openingId: string;
  matchId: string | null;
  outcome: 'approved' | 'already_approved' | 'skipped';
  /** Why it was skipped (a code): already_placed, in_process_elsewhere, out_of_scope, … */
  reason?: string;
}

/**
 * Approves a set of (person, opening) pairs through the state machine, as `actor` (a reviewer or
 * an admin) — e.g. when a campaign plan is accepted. A pair without a match gets a suggestion first
 * (algorithm version `plan`). People already employed or in a process for another opening are
 * skipped with a reason, as are pairs outside the actor's scope and matches past review.
 */
export async function approveMatches(
  actor: Actor,
  items: readonly ApproveItem[],
  deps: MatchesDeps,
  options: { note?: string } = {},
): Promise<{ results: ApproveOutcome[]; approved: number; skipped: number }> {
  const results: ApproveOutcome[] = [];
  const skip = (item: ApproveItem, reason: string, matchId: string | null = null) =>
    results.push({
      profileId: item.profileId,
      openingId: item.openingId,
      matchId,
      outcome: 'skipped',
      reason,
    });
  for (const item of items) {
    const [profile, opening] = await Promise.all([
      getProfileForMatching(deps, item.profileId),
      getOpeningById(item.openingId),
    ]);
    if (!profile) {
      skip(item, 'profile_not_found');
      continue;
    }
    if (!opening) {
      skip(item, 'opening_not_found');
      continue;
    }
    if (!hasRole(actor, 'admin') && !inRegionScope(partnershipScope(actor), profile.originCode)) {
      skip(item, 'out_of_scope');
      continue;
    }
    const others = (await repo.matchesOfProfile(item.profileId, [...IN_PROCESS, ...EMPLOYED])).filter(
      (m) => m.openingId !== item.openingId,
    );
    if (profile.status === 'placed' || others.some((m) => EMPLOYED.includes(m.status))) {
      skip(item, 'already_placed');
      continue;
    }
    if (others.length) {
      skip(item, 'in_process_elsewhere');
      continue;
    }
    let match =
      (await repo.findMatchByPair(item.profileId, item.openingId)) ??
      (await repo.insertSuggestion({
        profileId: item.profileId,
        openingId: item.openingId,
        employerId: opening.employerId,
        profileRegionPath: profile.regionPath,
        openingRegionPath: opening.regionPath,
        profileCategory: profile.disabilityCategory,
        profileLevel: profile.disabilityLevel,
        score: item.score ?? 0,
        algorithmVersion: 'plan',
        by: actor.userId,
      })) ??
      (await repo.findMatchByPair(item.profileId, item.openingId));
    if (!match) {
      skip(item, 'match_not_created');
      continue;
    }
    if (match.status !== 'suggested' && match.status !== 'superseded') {
      if (match.status === 'approved' || IN_PROCESS.includes(match.status))
        results.push({ ...item, matchId: match.id, outcome: 'already_approved' });
      else skip(item, `match_${match.status}`, match.id);
      continue;
    }
    try {
      match = await perform(
        deps,
        match,
        'approve',
        { userId: actor.userId, roles: actor.roles },
        {
          ...(options.note ? { note: options.note } : {}),
        },
      );
      results.push({
        profileId: item.profileId,
        openingId: item.openingId,
        matchId: match.id,
        outcome: 'approved',
      });
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      skip(item, err.code, match.id);
    }
  }
  return {
    results,
    approved: results.filter((r) => r.outcome === 'approved').length,
    skipped: results.filter((r) => r.outcome === 'skipped').length,
  };
}

/**
 * After a `consent` or `erased` change of a profile: withdraws its matches before the hire when the
 * person no longer consents to processing (or was erased), and those reaching an employer whose
 * consent to share was withdrawn. Hires and placements stay (the person is employed).
 */
export async function withdrawAfterProfileChange(
  deps: MatchesDeps,
  profileId: string,
): Promise<{ withdrawn: number }> {
  let withdrawn = 0;
  for (let round = 0; round < 5; round++) {
    const live = await getProfileForMatching(deps, profileId);
    const processing = live ? await hasProcessingConsent(profileId) : false;
    // Suggestions (machine states) are the matching jobs' to supersede, with the exclusion as the
    // reason; only what a person acted on is withdrawn here.
    const pending = (await repo.matchesOfProfile(profileId, PRE_HIRE)).filter(
      (m) => !MACHINE_STATES.has(m.status),
    );
    let raced = false;
    for (const m of pending) {
      let reason: string | null = null;
      if (!live) reason = 'profile_erased';
      else if (!processing) reason = 'consent_withdrawn';
      else if (
        EMPLOYER_VISIBLE.includes(m.status) &&
        !(await hasShareConsent(profileId, m.employerId, m.openingId))
      )
        reason = 'share_consent_withdrawn';
      if (!reason) continue;
      try {
        await perform(deps, m, 'auto_withdraw', { userId: 'system' }, { reasonCode: reason });
        withdrawn++;
      } catch (err) {
        if (!(err instanceof AppError)) throw err;
        raced = true;
      }
    }
    if (!raced) break;
  }
  return { withdrawn };
}
