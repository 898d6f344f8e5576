import type { Config } from '../../config.js';
import { jobId } from '../../jobs/catalogue.js';
import { enqueue, type Queues } from '../../jobs/queues.js';
import type { Actor } from '../../lib/auth/actor.js';
import { chinaDay } from '../../lib/china-time.js';
import { AppError } from '../../lib/errors.js';
import type { Page } from '../../lib/http/pagination.js';
import type { Logger } from '../../lib/logger.js';
import { audit } from '../audit/audit.service.js';
import {
  applySystemAction,
  findMatchById,
  type Match,
  proposerOf,
  syncProfileStatus,
} from '../matches/matches.service.js';
import { notify, type Recipient } from '../notifications/notifications.service.js';
import { sendSms } from '../notifications/sms.js';
import { getOpeningById } from '../openings/for-other-modules.service.js';
import { releaseHeadcountSlot } from '../openings/headcount.service.js';
import { openingsDeps } from '../openings/openings.deps.js';
import { getOpeningsByIds } from '../openings/search-projection.service.js';
import { findOrganizationById } from '../orgs/orgs.service.js';
import { minimumWageFor, quotaRateFor } from '../reference/labour.js';
import { listPartnerships } from '../reference/reference.service.js';
import { getProfileForMatching } from '../worker-profiles/for-other-modules.service.js';
import {
  addDays,
  type CheckpointRecord,
  canRecord,
  checkpointState,
  dueAt,
  nextDueOn,
  openBy,
  parseSchedule,
  retentionOf,
  scheduleFor,
} from './follow-ups.js';
import {
  followUpScope,
  mayReadQuota,
  placementEndScope,
  placementScope,
  seesPaperEmployment,
} from './placements.policy.js';
import type { Placement } from './placements.repository.js';
import * as repo from './placements.repository.js';
import type { EndPlacementInput, FollowUpInput, ListPlacementsQuery } from './placements.schemas.js';
import { type QuotaPlacement, quotaCredit, quotaWeight } from './quota.js';
import { reportFieldsAtHire } from './report-fields.js';

export type { Placement } from './placements.repository.js';

export interface PlacementDeps {
  config: Config;
  logger: Logger;
  queues: Queues;
}

const notFound = () => new AppError('not_found', { detail: '安置记录不存在', detailEn: 'No such placement' });

const notifyCtx = (deps: PlacementDeps) => ({
  config: deps.config,
  logger: deps.logger,
  queues: deps.queues,
});

/** Notifications never undo what was recorded: a failure is logged (codes only) and retried by no one. */
export async function notifySafely(
  deps: PlacementDeps,
  fn: () => Promise<unknown>,
  what: string,
): Promise<void> {
  try {
    await fn();
  } catch (err) {
    deps.logger.warn({ what, err: (err as Error).message }, 'notification not sent');
  }
}

/** The job seeker's federation, the employer and the reviewer who proposed. */
function placementRecipients(p: Placement, proposer: string | null): Recipient[] {
  return [
    { organizationId: p.federationId, role: 'federation_staff' },
    { organizationId: p.employerId, role: 'employer' },
    ...(proposer ? [{ userId: proposer }] : []),
  ];
}

// ---- creation (from a hire in the review workflow) ----------------------------------------------

export async function scheduleFollowUps(deps: PlacementDeps, p: Placement): Promise<void> {
  const grace = deps.config.placements.followUpGraceDays;
  const now = Date.now();
  for (const c of p.checkpoints) {
    if (c.doneAt) continue;
    const due = dueAt(c.dueOn).getTime();
    const overdue = dueAt(addDays(c.dueOn, grace)).getTime();
    const payload = { placementId: p.id, checkpoint: c.code };
    await enqueue(deps.queues, 'placements.follow-up-due', payload, {
      jobId: jobId('follow-up-due', p.id, c.code),
      delay: Math.max(0, due - now),
    });
    await enqueue(deps.queues, 'placements.follow-up-overdue', payload, {
      jobId: jobId('follow-up-overdue', p.id, c.code),
      delay: Math.max(0, overdue - now),
    });
  }
}

/**
 * Records the placement a hire became (one per match: a retry returns the same one), schedules its
 * follow-ups and notifies the people concerned. The city's minimum wage is fixed at hire.
 */
export async function createPlacementFromHire(
  deps: PlacementDeps,
  match: Match,
  input: {
    contractStart: string;
    contractEnd: string;
    monthlyWage: number;
    socialInsurance: boolean;
    federationId: string;
    disabilityLevel: string;
    /** Null when the profile could not be read (erased meanwhile): the reports say "unknown". */
    disabilityCategory: string | null;
    originCode: string | null;
    headcountSlot: number;
    by: string;
  },
): Promise<Placement> {
  const opening = await getOpeningById(match.openingId);
  const regionCode = opening?.regionCode ?? match.openingRegionPath.at(-1)!;
  const minimum = await minimumWageFor(regionCode);
  const checkpoints = scheduleFor(
    input.contractStart,
    parseSchedule(deps.config.placements.followUpSchedule),
  );
  const now = new Date();
  const reportFields = reportFieldsAtHire({
    match,
    profile: { disabilityCategory: input.disabilityCategory, originCode: input.originCode },
    workplaceCode: regionCode,
    partnerships: await listPartnerships({ activeOn: chinaDay(now) }),
    contract: { ...input, minimumWageAtHire: minimum?.monthlyCny ?? null },
    now,
  });
  const { placement, created } = await repo.insertPlacement({
    matchId: match.id,
    profileId: match.profileId,
    openingId: match.openingId,
    employerId: match.employerId,
    federationId: input.federationId,
    profileRegionPath: match.profileRegionPath,
    openingRegionPath: match.openingRegionPath,
    regionCode,
    contractStart: input.contractStart,
    contractEnd: input.contractEnd,
    monthlyWage: input.monthlyWage,
    minimumWageAtHire: minimum?.monthlyCny ?? null,
    socialInsurance: input.socialInsurance,
    disabilityLevel: input.disabilityLevel,
    ...reportFields,
    quotaWeight: quotaWeight(input.disabilityLevel),
    headcountSlot: input.headcountSlot,
    transferBatchId: null,
    status: 'placed',
    endedOn: null,
    endReason: null,
    endNote: null,
    checkpoints,
    nextDueOn: nextDueOn(checkpoints),
    retention: { m3: null, m6: null, subsidyEvidence: false },
    createdBy: input.by,
  });
  if (created)
    await audit.record({
      action: 'placement.create',
      resource: { type: 'placement', id: placement.id },
      fields: ['contractStart', 'contractEnd', 'monthlyWage', 'socialInsurance'],
    });
  // Both keyed (follow-up job ids, the notification's event key): a re-run repeats nothing, and a
  // failure fails the job, which is retried.
  await scheduleFollowUps(deps, placement);
  await notify(
    { type: 'placement.created', data: { placementId: placement.id, openingId: placement.openingId } },
    placementRecipients(placement, proposerOf(match.history)),
    notifyCtx(deps),
  );
  return placement;
}

/**
 * The `placements.create-from-hire` job: the placement of a hired match, read again from the match
 * (its hire terms) and the person, then the match moves to `placed` through the matches' machine.
 * One placement per match (a unique index): a re-run, or the hire sweep's copy, creates nothing new.
 */
export async function placeHire(
  deps: PlacementDeps,
  matchId: string,
): Promise<{ placementId: string } | { skipped: string }> {
  const match = await findMatchById(matchId);
  if (!match) return { skipped: 'match gone' };
  if (match.placementId) return { skipped: 'placed already' };
  if (match.status !== 'hired') return { skipped: `match ${match.status}` };
  if (!match.hire) return { skipped: 'no hire terms' };
  const profile = await getProfileForMatching(deps, match.profileId);
  const placement = await createPlacementFromHire(deps, match, {
    contractStart: match.hire.contractStart,
    contractEnd: match.hire.contractEnd,
    monthlyWage: match.hire.monthlyWage,
    socialInsurance: match.hire.socialInsurance,
    federationId: profile?.registeringFederationId ?? 'unknown',
    disabilityLevel: profile?.disabilityLevel ?? '4',
    disabilityCategory: profile?.disabilityCategory ?? null,
    originCode: profile?.originCode ?? null,
    headcountSlot: match.hire.headcountSlot,
    by: [...match.history].reverse().find((h) => h.action === 'hire')?.by ?? 'system',
  });
  await applySystemAction(deps, match.id, 'place', 'system', { placementId: placement.id });
  return { placementId: placement.id };
}

// ---- reads -----------------------------------------------------------------------------------------

export async function presentPlacements(actor: Actor, list: readonly Placement[], config: Config) {
  const titles = new Map((await getOpeningsByIds(list.map((p) => p.openingId))).map((o) => [o.id, o.title]));
  const today = chinaDay(new Date());
  const grace = config.placements.followUpGraceDays;
  return list.map((p) => ({
    id: p.id,
    matchId: p.matchId,
    profileId: actor.orgType === 'employer' ? null : p.profileId,
    openingId: p.openingId,
    openingTitle: titles.get(p.openingId) ?? null,
    employerId: p.employerId,
    federationId: p.federationId,
    regionCode: p.regionCode,
    contractStart: p.contractStart,
    contractEnd: p.contractEnd,
    monthlyWage: p.monthlyWage,
    minimumWageAtHire: p.minimumWageAtHire,
    socialInsurance: p.socialInsurance,
    quotaWeight: p.quotaWeight,
    transferBatchId: p.transferBatchId,
    status: p.status,
    endedOn: p.endedOn,
    endReason: p.endReason,
    retention: p.retention,
    checkpoints: p.checkpoints.map((c) => presentCheckpoint(c, today, grace)),
    version: p.version,
    createdAt: p.createdAt.toISOString(),
    updatedAt: p.updatedAt.toISOString(),
  }));
}

function presentCheckpoint(c: CheckpointRecord, today: string, grace: number) {
  return {
    code: c.code,
    dueOn: c.dueOn,
    state: checkpointState(c, today, grace),
    doneAt: c.doneAt?.toISOString() ?? null,
    visitedOn: c.visitedOn,
    stillEmployed: c.stillEmployed,
    wagePaidOnTime: c.wagePaidOnTime,
    accommodationWorking: c.accommodationWorking,
    dormitory: c.dormitory,
    riskFlags: c.riskFlags,
    notes: c.notes,
  };
}

export async function listPlacementsFor(actor: Actor, q: ListPlacementsQuery): Promise<Page<Placement>> {
  const filter: Record<string, unknown> = {};
  if (q.status) filter.status = q.status;
  if (q.profileId) filter.profileId = q.profileId;
  if (q.openingId) filter.openingId = q.openingId;
  if (q.employerId) filter.employerId = q.employerId;
  if (q.transferBatchId) filter.transferBatchId = q.transferBatchId;
  return repo.listPlacements(filter, placementScope(actor), {
    sort: q.sort,
    cursor: q.cursor,
    limit: q.limit,
  });
}

export async function getPlacement(actor: Actor, id: string): Promise<Placement> {
  // A placement names its person: a refused read is audited like any other of personal data.
  return audit.foundOrDenied(
    await repo.findPlacement(id, placementScope(actor)),
    { action: 'placement.read', resource: { type: 'placement', id } },
    notFound,
  );
}

/** Placements by id within a scope (transfer batches use it). */
export async function placementsByIds(ids: readonly string[], scope: Record<string, unknown>) {
  return repo.findPlacementsByIds(ids, scope);
}

export async function setTransferBatch(ids: readonly string[], batchId: string | null) {
  return repo.setTransferBatch(ids, batchId);
}

// ---- follow-ups -----------------------------------------------------------------------------------

/** Open checkpoints of `actor`'s follow-up list for today: how many are due, and how many of them overdue. */
export async function followUpCounts(actor: Actor, config: Config, now = new Date()) {
  const today = chinaDay(now);
  let due = 0;
  let overdue = 0;
  for (const checkpoints of await repo.checkpointsDueBy(today, followUpScope(actor)))
    for (const c of checkpoints) {
      if (!openBy(c, today)) continue;
      if (checkpointState(c, today, config.placements.followUpGraceDays) === 'overdue') overdue++;
      else due++;
    }
  return { due, overdue };
}

export async function followUpTasks(actor: Actor, due: string, config: Config, limit = 200) {
  const grace = config.placements.followUpGraceDays;
  const today = chinaDay(new Date());
  const placements = await repo.placementsDueBy(due, followUpScope(actor), limit);
  const titles = new Map(
    (await getOpeningsByIds(placements.map((p) => p.openingId))).map((o) => [o.id, o.title]),
  );
  return placements.flatMap((p) =>
    p.checkpoints
      .filter((c) => openBy(c, due))
      .map((c) => ({
        placementId: p.id,
        profileId: p.profileId,
        openingId: p.openingId,
        openingTitle: titles.get(p.openingId) ?? null,
        employerId: p.employerId,
        checkpoint: c.code,
        dueOn: c.dueOn,
        state: checkpointState(c, today, grace),
      })),
  );
}

function conflictOn(p: Placement | null) {
  return new AppError('conflict', {
    detail: '安置记录正被同时修改，请重试',
    detailEn: 'The placement is being changed concurrently; try again',
    extra: { currentState: p?.status, currentVersion: p?.version },
  });
}

/**
 * Records one checkpoint's visit. At 3 and 6 months it sets retention (employed then or not), and
 * stable employment ≥ 3 months with wages paid on time becomes subsidy evidence; employed at the
 * 6-month checkpoint the placement (and its match) become `retained`.
 */
export async function recordFollowUp(
  actor: Actor,
  id: string,
  checkpoint: string,
  input: FollowUpInput,
  deps: PlacementDeps,
  now = new Date(),
): Promise<Placement> {
  const p = await repo.findPlacement(id, followUpScope(actor));
  if (!p) throw notFound();
  const index = p.checkpoints.findIndex((c) => c.code === checkpoint);
  if (index < 0)
    throw new AppError('not_found', { detail: '没有这个回访节点', detailEn: 'No such checkpoint' });
  const current = p.checkpoints[index]!;
  if (p.status === 'ended' || current.doneAt || !canRecord(current, chinaDay(now)))
    throw new AppError('illegal_transition', {
      detail: current.doneAt ? '该回访已登记' : p.status === 'ended' ? '安置已结束' : '该回访尚未到期',
      detailEn: current.doneAt
        ? 'This follow-up was recorded already'
        : p.status === 'ended'
          ? 'The placement has ended'
          : 'This follow-up is not due yet',
      extra: {
        currentState: checkpointState(current, chinaDay(now), deps.config.placements.followUpGraceDays),
      },
    });
  const done: CheckpointRecord = {
    ...current,
    doneAt: now,
    doneBy: actor.userId,
    visitedOn: input.visitedOn ?? chinaDay(now),
    stillEmployed: input.stillEmployed,
    wagePaidOnTime: input.wagePaidOnTime,
    accommodationWorking: input.accommodationWorking,
    dormitory: input.dormitory,
    riskFlags: input.riskFlags ?? [],
    notes: input.notes ?? null,
  };
  const checkpoints = p.checkpoints.map((c, i) => (i === index ? done : c));
  const retention = retentionOf(checkpoints);
  const retained = checkpoint === 'm6' && input.stillEmployed && p.status === 'placed';
  const updated = await repo.updatePlacementIfVersion(p.id, p.version, {
    checkpoints,
    nextDueOn: nextDueOn(checkpoints),
    retention,
    ...(retained ? { status: 'retained' } : {}),
  });
  if (!updated) throw conflictOn(await repo.findPlacementById(p.id));
  await audit.record({
    action: 'placement.follow_up',
    resource: { type: 'placement', id: p.id },
    fields: Object.keys(input),
    reason: checkpoint,
  });
  if (retained) await applySystemAction(deps, p.matchId, 'retain', actor.userId);
  return updated;
}

/** A reminder job fired: the checkpoint is open (due) or overdue; notify its federation once. */
export async function remindFollowUp(
  deps: PlacementDeps,
  placementId: string,
  checkpoint: string,
  kind: 'due' | 'overdue',
  at: Date,
): Promise<{ skipped: string } | { notified: number }> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const p = await repo.findPlacementById(placementId);
    if (!p) return { skipped: 'placement gone' };
    if (p.status === 'ended') return { skipped: 'placement ended' };
    const c = p.checkpoints.find((x) => x.code === checkpoint);
    if (!c) return { skipped: 'checkpoint not in the schedule' };
    if (c.doneAt) return { skipped: 'recorded already' };
    const field = kind === 'due' ? 'dueNotifiedAt' : 'overdueNotifiedAt';
    if (!c[field]) {
      const checkpoints = p.checkpoints.map((x) => (x.code === checkpoint ? { ...x, [field]: at } : x));
      const updated = await repo.updatePlacementIfVersion(p.id, p.version, { checkpoints });
      if (!updated) continue;
    }
    // notify() is idempotent per (event, placement, checkpoint): a retried job sends nothing twice.
    const res = await notify(
      {
        type: kind === 'due' ? 'follow_up.due' : 'follow_up.overdue',
        data: { placementId: p.id, checkpoint, dueOn: c.dueOn },
      },
      { organizationId: p.federationId, role: 'federation_staff' },
      notifyCtx(deps),
    );
    // The person is told of the visit too (once per checkpoint), on the due reminder only.
    if (kind === 'due')
      await notifySafely(
        deps,
        () =>
          sendSms(notifyCtx(deps), {
            template: 'follow_up',
            profileId: p.profileId,
            organizationId: p.federationId,
            eventKey: `follow-up/${p.id}/${checkpoint}`,
            vars: [c.dueOn],
          }),
        'sms.follow_up',
      );
    return { notified: res.notifications };
  }
  throw new Error('placement changed concurrently');
}

// ---- ending -----------------------------------------------------------------------------------

export async function endPlacement(
  actor: Actor,
  id: string,
  input: EndPlacementInput,
  deps: PlacementDeps,
): Promise<Placement> {
  const p = await repo.findPlacement(id, placementEndScope(actor));
  if (!p) throw notFound();
  if (p.status === 'ended')
    throw new AppError('illegal_transition', {
      detail: '安置已结束',
      detailEn: 'The placement has ended already',
      extra: { currentState: p.status, currentVersion: p.version },
    });
  const endedOn = input.endedOn ?? chinaDay(new Date());
  const updated = await repo.updatePlacementIfVersion(p.id, p.version, {
    status: 'ended',
    endedOn,
    endReason: input.reasonCode,
    endNote: input.note ?? null,
    nextDueOn: null,
  });
  if (!updated) throw conflictOn(await repo.findPlacementById(p.id));
  await audit.record({
    action: 'placement.end',
    resource: { type: 'placement', id: p.id },
    reason: input.reasonCode,
    fields: Object.keys(input),
  });
  // The place at the opening comes free only if the contract ended before it started.
  if (endedOn <= p.contractStart) await releaseHeadcountSlot(p.openingId, openingsDeps(deps));
  await applySystemAction(deps, p.matchId, 'end', actor.userId, { reasonCode: input.reasonCode });
  await syncProfileStatus(deps, p.profileId);
  await notifySafely(
    deps,
    () =>
      notify(
        {
          type: 'placement.ended',
          data: { placementId: p.id, openingId: p.openingId, reasonCode: input.reasonCode },
        },
        [
          { organizationId: p.federationId, role: 'federation_staff' },
          { organizationId: p.employerId, role: 'employer' },
        ],
        notifyCtx(deps),
      ),
    'placement.ended',
  );
  return updated;
}

// ---- quota ------------------------------------------------------------------------------------

function toQuota(p: Placement): QuotaPlacement {
  return {
    id: p.id,
    profileId: p.profileId,
    employerId: p.employerId,
    contractStart: p.contractStart,
    contractEnd: p.contractEnd,
    monthlyWage: p.monthlyWage,
    minimumWageAtHire: p.minimumWageAtHire,
    socialInsurance: p.socialInsurance,
    disabilityLevel: p.disabilityLevel,
    status: p.status,
    endedOn: p.endedOn,
  };
}

/**
 * The employer's quota credit today: qualifying placements weighted by level against staff ×
 * provincial rate. A person also counted by another employer at the same time is flagged as
 * possible paper employment (挂名就业) — shown to federations and admins, not to the employer.
 */
export async function employerQuota(actor: Actor, employerId: string, on = new Date()) {
  const employer = await findOrganizationById(employerId);
  const own = employer?.type === 'employer' ? await repo.placementsOfEmployer(employerId) : [];
  const fromJurisdiction =
    !!actor.jurisdictionCode && own.some((p) => p.profileRegionPath.includes(actor.jurisdictionCode!));
  if (employer?.type !== 'employer' || !mayReadQuota(actor, employer, fromJurisdiction))
    throw new AppError('not_found', { detail: '用人单位不存在', detailEn: 'No such employer' });
  const day = chinaDay(on);
  const elsewhere = new Map<string, QuotaPlacement[]>();
  for (const profileId of new Set(own.map((p) => p.profileId))) {
    const others = (await repo.placementsOfProfile(profileId)).filter((p) => p.employerId !== employerId);
    if (others.length) elsewhere.set(profileId, others.map(toQuota));
  }
  const rate = (await quotaRateFor(employer.locationCode ?? '440000')) ?? 1.5;
  const summary = quotaCredit({
    day,
    staffCount: employer.staffCount ?? null,
    ratePercent: rate,
    placements: own.map(toQuota),
    elsewhere,
  });
  const paper = seesPaperEmployment(actor);
  return {
    employerId,
    ...summary,
    paperEmploymentCount: paper ? summary.paperEmploymentCount : null,
    lines: summary.lines.map((l) => ({ ...l, paperEmployment: paper ? l.paperEmployment : null })),
  };
}

/** A person's placements, newest first (their own page shows them). */
export function placementsOfProfile(profileId: string): Promise<Placement[]> {
  return repo.placementsOfProfile(profileId);
}

/** For reports that join placements in an aggregation ($lookup needs the collection's name). */
export { PLACEMENT_COLLECTION } from './placements.repository.js';
