import type { Redis } from 'ioredis';
import mongoose from 'mongoose';
import type { Config } from '../../../src/config.js';
import type { Queues } from '../../../src/jobs/queues.js';
import type { Actor } from '../../../src/lib/auth/actor.js';
import { chinaDay, chinaTime, chinaYear } from '../../../src/lib/china-time.js';
import { runWithContext } from '../../../src/lib/context.js';
import { AppError } from '../../../src/lib/errors.js';
import type { Logger } from '../../../src/lib/logger.js';
import { buildActor } from '../../../src/modules/accounts/actor.js';
import { hashPassword } from '../../../src/modules/accounts/password.js';
import { findUserByUsername, insertUser } from '../../../src/modules/accounts/users.repository.js';
import { reviewQueueQuery } from '../../../src/modules/matches/matches.schemas.js';
import type { Match } from '../../../src/modules/matches/matches.service.js';
import { reviewQueue, transition } from '../../../src/modules/matches/matches.service.js';
import { rematchProgress, startRematch } from '../../../src/modules/matches/rematch.js';
import { openingsDeps } from '../../../src/modules/openings/openings.deps.js';
import { createOpeningSchema } from '../../../src/modules/openings/openings.schemas.js';
import { createOpening, transitionOpening } from '../../../src/modules/openings/openings.service.js';
import { ensureOrganization, findOrganizationById } from '../../../src/modules/orgs/orgs.service.js';
import { createTransferBatch } from '../../../src/modules/placements/batches.js';
import { addDays, addMonths } from '../../../src/modules/placements/follow-ups.js';
import {
  createBatchBody,
  endPlacementBody,
  followUpBody,
} from '../../../src/modules/placements/placements.schemas.js';
import {
  endPlacement,
  getPlacement,
  type Placement,
  placeHire,
  recordFollowUp,
} from '../../../src/modules/placements/placements.service.js';
import { listPartnerships } from '../../../src/modules/reference/reference.service.js';
import { fairnessRunState, requestFairnessSnapshot } from '../../../src/modules/reports/fairness.service.js';
import { setPlacementTarget } from '../../../src/modules/reports/placements-report.service.js';
import { recordShareConsent } from '../../../src/modules/worker-profiles/consents.service.js';
import { createImport, getImport } from '../../../src/modules/worker-profiles/imports.service.js';
import { addTrainingRecord } from '../../../src/modules/worker-profiles/training.service.js';
import {
  createProfileSchema,
  trainingInputSchema,
} from '../../../src/modules/worker-profiles/worker-profiles.schemas.js';
import { createProfile } from '../../../src/modules/worker-profiles/worker-profiles.service.js';
import { demoOpenings, STORY_EMPLOYERS } from './openings.js';
import { demoPeople, demoRoster } from './people.js';
import { DEMO_EMPLOYERS, DEMO_PASSWORD, seedDemoAccounts } from './seed-accounts.js';
import { seedDemoOpenings } from './seed-openings.js';

/**
 * Loads the demo story through the services the routes call (never by writing matches or
 * placements): people and openings, then — once the worker has computed the suggestions — the
 * history reviewers, employers and federations make (approvals, rejections, proposals with share
 * consent, interest, interviews, hires, follow-ups, one ended placement, a transfer batch, yearly
 * targets), then a fairness snapshot by the worker. The API and its worker must be running on the
 * same database and queue prefix (the loader waits for the worker with a bound).
 *
 * Idempotent by a marker document (`demo_loads`, id `story`): a finished load of this version is
 * never repeated, so what users changed since stays as it is.
 *
 * Dates: services stamp their own records with the current time, so the history happens "today";
 * what must lie in the past is given as data the services accept — contract start dates 7 days to
 * 6 months ago (the follow-up schedule counts from them), interview dates, visit dates, the date a
 * placement ended.
 */

export const STORY_VERSION = 1;
export const STORY_PEOPLE = 400;
const MARKER = { collection: 'demo_loads', id: 'story' };

export interface DemoDeps {
  config: Config;
  logger: Logger;
  queues: Queues;
  /** A Redis connection for the rematch flow. */
  redis: Redis;
}

export interface LoadOptions {
  /** Job seekers in the story (400; tests load fewer through the same code). */
  people?: number;
  /** Longest wait for the worker (suggestions, fairness snapshot), ms. */
  waitMs?: number;
  now?: Date;
  progress?: (event: Record<string, unknown>) => void;
}

export interface LoadSummary {
  loaded: boolean;
  version: number;
  people: { created: number; existing: number; excluded: number; trainingRecords: number };
  openings: { created: number; existing: number };
  suggestions: number;
  history: Record<string, number>;
  skipped: string[];
  seconds: Record<string, number>;
  /** Employer logins the story adds to the demo accounts (same password). */
  logins: string[];
}

interface MarkerDoc {
  _id: string;
  version: number;
  people: number;
  phase: 'base' | 'complete';
  startedAt: Date;
  completedAt?: Date;
}

function markers() {
  return mongoose.connection.db!.collection<MarkerDoc>(MARKER.collection);
}

export async function demoMarker(): Promise<MarkerDoc | null> {
  return markers().findOne({ _id: MARKER.id });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Runs `fn` as `actor` would inside a request (the audit trail names who did it). */
function as<T>(actor: Actor, fn: () => Promise<T>): Promise<T> {
  return runWithContext(
    {
      requestId: `demo-story-${Date.now().toString(36)}`,
      userId: actor.userId,
      organizationId: actor.organizationId,
      roles: actor.roles,
    },
    fn,
  );
}

async function pool<T>(items: readonly T[], width: number, fn: (item: T, i: number) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(width, items.length) }, async () => {
      for (let i = next++; i < items.length; i = next++) await fn(items[i]!, i);
    }),
  );
}

export async function loadDemoStory(deps: DemoDeps, options: LoadOptions = {}): Promise<LoadSummary> {
  if (deps.config.isProduction) throw new Error('the demo story is never loaded in production');
  const now = options.now ?? new Date();
  const size = options.people ?? STORY_PEOPLE;
  const waitMs = options.waitMs ?? 150_000;
  const progress = options.progress ?? (() => undefined);
  const t0 = Date.now();
  const seconds: Record<string, number> = {};
  const lap = (name: string) => {
    seconds[name] = Math.round((Date.now() - t0) / 100) / 10;
    progress({ event: name, seconds: seconds[name] });
  };
  const summary: LoadSummary = {
    loaded: false,
    version: STORY_VERSION,
    people: { created: 0, existing: 0, excluded: 0, trainingRecords: 0 },
    openings: { created: 0, existing: 0 },
    suggestions: 0,
    history: {},
    skipped: [],
    seconds,
    logins: STORY_EMPLOYERS.map((e) => e.login),
  };
  const marker = await demoMarker();
  if (marker?.phase === 'complete') return summary;

  // ---- who acts -------------------------------------------------------------------------------
  await seedDemoAccounts(deps.config);
  await seedDemoOpenings(deps.config, now);
  const employerUsers = new Map<string, { region: string; hr: { name: string; phone: string } }>();
  for (const e of DEMO_EMPLOYERS)
    employerUsers.set(e.login, { region: e.region, hr: { name: '人事部', phone: '0757-83000000' } });
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  for (const e of STORY_EMPLOYERS) {
    const { org } = await ensureOrganization({
      type: 'employer',
      name: e.name,
      creditCode: e.creditCode,
      locationCode: e.region,
      industryCode: e.industry,
      staffCount: e.staff,
    });
    if (!(await findUserByUsername(e.login)))
      await insertUser({
        username: e.login,
        displayName: `${e.name}人事专员`,
        organizationId: org.id,
        roles: ['employer'],
        language: 'zh-CN',
        passwordHash,
      });
    employerUsers.set(e.login, { region: e.region, hr: e.hr });
  }
  const partnerships = await listPartnerships();
  const actors = new Map<string, Actor>();
  const actor = async (username: string): Promise<Actor> => {
    let a = actors.get(username);
    if (!a) {
      const user = await findUserByUsername(username);
      if (!user) throw new Error(`demo user ${username} missing`);
      const org = await findOrganizationById(user.organizationId);
      if (!org) throw new Error(`organisation of ${username} missing`);
      a = buildActor(user, org, partnerships, now);
      actors.set(username, a);
    }
    return a;
  };
  const deps3 = { config: deps.config, logger: deps.logger, queues: deps.queues };

  if (marker?.phase !== 'base') {
    await markers().updateOne(
      { _id: MARKER.id },
      { $setOnInsert: { version: STORY_VERSION, people: size, phase: 'base', startedAt: now } },
      { upsert: true },
    );
    // ---- openings (published: the worker matches them) --------------------------------------
    const openings = mongoose.connection.db!.collection('openings');
    for (const spec of demoOpenings(employerUsers)) {
      const employer = await actor(spec.employer);
      if (
        await openings.findOne({
          employerId: employer.organizationId,
          title: spec.content.title,
          address: spec.content.address,
        })
      ) {
        summary.openings.existing++;
        continue;
      }
      const input = createOpeningSchema.parse({
        ...spec.content,
        startDate: addDays(chinaDay(now), spec.startsIn),
      });
      await as(employer, async () => {
        const o = await createOpening(employer, input, openingsDeps(deps3));
        await transitionOpening(employer, o.id, 'open', o.version, openingsDeps(deps3));
      });
      summary.openings.created++;
    }
    lap('openings');

    // ---- people, with their training ------------------------------------------------------------
    const people = demoPeople(size, chinaYear(now));
    const supportingOf = new Map<string, string>(); // receiving county → supporting staff login
    for (const p of partnerships) {
      const login =
        p.supportingCode === '440600'
          ? 'foshan.staff'
          : p.supportingCode === '330300'
            ? 'wenzhou.staff'
            : null;
      if (login) supportingOf.set(p.receivingCode, login);
    }
    const providerNames: Record<string, string> = {
      '440600': '佛山市残疾人职业培训基地',
      '330300': '温州市残疾人就业培训中心',
    };
    await pool(people, 4, async (person) => {
      const staff = await actor(person.registeredBy);
      let id: string;
      try {
        const created = await as(staff, () =>
          createProfile(deps3, staff, createProfileSchema.parse(person.input)),
        );
        id = created.id;
        summary.people.created++;
        if (person.excluded) summary.people.excluded++;
      } catch (err) {
        if (err instanceof AppError && err.code === 'duplicate') {
          summary.people.existing++;
          return;
        }
        throw err;
      }
      for (const t of person.training) {
        const origin = person.input.originCode;
        const supportingLogin =
          supportingOf.get(origin) ?? supportingOf.get(`${origin.slice(0, 4)}00`) ?? null;
        const bySupporting = t.bySupportingSide && supportingLogin !== null;
        const by = bySupporting ? await actor(supportingLogin!) : staff;
        const start = addMonths(chinaDay(now), -t.monthsAgo);
        const input = trainingInputSchema.parse({
          programmeCode: t.programmeCode,
          providerName: bySupporting
            ? (providerNames[by.jurisdictionCode ?? ''] ?? '东部协作方培训中心')
            : '四川省残疾人职业技能培训中心（示例）',
          startDate: start,
          endDate: addDays(start, Math.ceil(t.hours / 8) + 2),
          hours: t.hours,
          ...(t.certified ? { certificateLevel: 'completion' } : {}),
        });
        await as(by, () => addTrainingRecord(deps3, by, id, input));
        summary.people.trainingRecords++;
      }
    });
    lap('people');
    await markers().updateOne({ _id: MARKER.id }, { $set: { phase: 'base' } });
  }

  // ---- the worker's suggestions -----------------------------------------------------------------
  const deadline = Date.now() + waitMs;
  const matches = mongoose.connection.db!.collection('matches');
  // One full pass by the worker, so openings seeded without a change event are matched too.
  const run = await startRematch(deps.config, deps.redis, {});
  for (;;) {
    const p = await rematchProgress(deps.queues.matching, run.runId);
    if (!p || p.state === 'completed' || p.state === 'failed') break;
    if (Date.now() > deadline) throw new Error('the worker did not compute the suggestions in time');
    await sleep(500);
  }
  let last = -1;
  for (;;) {
    const counts = await deps.queues.matching.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
    const busy = Object.values(counts).reduce((a, b) => a + b, 0);
    const suggested = await matches.countDocuments({ status: 'suggested' });
    if (busy === 0 && suggested > 0 && suggested === last) break;
    last = suggested;
    if (Date.now() > deadline) throw new Error('the worker did not compute the suggestions in time');
    await sleep(750);
  }
  summary.suggestions = last;
  lap('suggestions');

  // ---- the history --------------------------------------------------------------------------------
  await tellHistory(deps3, actor, now, size, summary);
  lap('history');

  // ---- a roster imported by 甘孜's federation: new people (no consent yet) and rejected rows --------
  const ganzi = await actor('ganzi.staff');
  const roster = await as(ganzi, () =>
    createImport(deps3, ganzi, Buffer.from(demoRoster(size, chinaYear(now)), 'utf8')),
  );
  for (;;) {
    const r = await getImport(ganzi, roster.id);
    if (r.status === 'completed' || r.status === 'failed') {
      summary.history.importedRows = r.imported;
      summary.history.rejectedRows = r.rejected;
      if (r.status === 'failed') summary.skipped.push(`roster import: ${r.error}`);
      break;
    }
    if (Date.now() > deadline + 30_000) {
      summary.skipped.push('roster import not processed in time');
      break;
    }
    await sleep(500);
  }
  lap('import');

  // ---- the fairness snapshot, by the worker -------------------------------------------------------
  const asked = Date.now();
  await requestFairnessSnapshot(deps.queues, 'refresh');
  for (;;) {
    const s = await fairnessRunState(deps.queues);
    if (s.computedAt && new Date(s.computedAt).getTime() >= asked - 1_000 && s.refresh === 'idle') break;
    if (Date.now() > deadline + 60_000) {
      summary.skipped.push('fairness snapshot not computed in time');
      break;
    }
    await sleep(500);
  }
  lap('fairness');
  await markers().updateOne(
    { _id: MARKER.id },
    { $set: { phase: 'complete', completedAt: new Date(), version: STORY_VERSION } },
  );
  summary.loaded = true;
  return summary;
}

type ActorOf = (username: string) => Promise<Actor>;
type Deps3 = { config: Config; logger: Logger; queues: Queues };

/** What happens to the suggestions each reviewer picks, in order (a share of the story's size). */
const FATES = [
  'hire',
  'hire',
  'reject',
  'proposed',
  'hire',
  'interviewing',
  'approved',
  'reject',
  'hire',
  'interested',
  'declined',
  'hire',
  'proposed',
  'reject',
  'approved',
  'withdrawn',
  'hire',
  'interviewing',
  'reject',
  'proposed',
  'interested',
  'approved',
] as const;

/** The share consent the person gives in person, with their federation's staff helping. */
const SHARE_CONSENT: Parameters<typeof recordShareConsent>[5] = {
  textVersion: 'share-2024.1',
  channel: 'in_person',
  givenBy: 'self',
  assistedByStaff: true,
  dataCategories: ['identity', 'contact', 'disability', 'skills_training', 'preferences'],
};

/** Contract starts of the hires, in months before the load day (0.25 ≈ 7 days). */
const STARTS = [0.25, 1, 3, 6, 1, 3, 6, 0.25, 3, 1, 6, 0.25];

async function tellHistory(deps: Deps3, actor: ActorOf, now: Date, size: number, summary: LoadSummary) {
  const today = chinaDay(now);
  const count = (k: string) => {
    summary.history[k] = (summary.history[k] ?? 0) + 1;
  };
  const attempt = async (what: string, fn: () => Promise<unknown>) => {
    try {
      await fn();
      return true;
    } catch (err) {
      summary.skipped.push(`${what}: ${err instanceof AppError ? err.code : (err as Error).message}`);
      return false;
    }
  };
  // Employer organisation → its demo login; federation organisation → its staff login.
  const loginOfOrg = new Map<string, string>();
  for (const e of [...DEMO_EMPLOYERS, ...STORY_EMPLOYERS])
    loginOfOrg.set((await actor(e.login)).organizationId, e.login);
  for (const login of [
    'liangshan',
    'ganzi',
    'aba',
    'nanchong',
    'guangyuan',
    'guangan',
    'leshan',
    'dazhou',
    'zhaojue',
  ])
    loginOfOrg.set((await actor(`${login}.staff`)).organizationId, `${login}.staff`);
  const { getProfileForMatching } = await import(
    '../../../src/modules/worker-profiles/for-other-modules.service.js'
  );
  const staffOf = async (m: Match) => {
    const p = await getProfileForMatching(deps, m.profileId);
    return actor(loginOfOrg.get(p!.registeringFederationId) ?? 'liangshan.staff');
  };

  const share = Math.max(0.35, size / 400);
  const hires: { match: Match; placementId: string; months: number }[] = [];
  let startIndex = 0;
  const usedProfiles = new Set<string>();
  const awaitingAnswer = new Set<string>(); // employer logins with a proposal left for them to answer
  for (const reviewerLogin of ['foshan.reviewer', 'wenzhou.reviewer']) {
    const reviewer = await actor(reviewerLogin);
    const queue = await as(reviewer, () =>
      reviewQueue(reviewer, reviewQueueQuery.parse({ limit: 200, sort: '-score' }), now),
    );
    const fates = FATES.slice(
      0,
      Math.max(8, Math.round((reviewerLogin === 'foshan.reviewer' ? 22 : 14) * share)),
    );
    const usedPerOpening = new Map<string, number>();
    let f = 0;
    for (const m of queue.items) {
      if (f >= fates.length) break;
      if (usedProfiles.has(m.profileId) || (usedPerOpening.get(m.openingId) ?? 0) >= 2) continue;
      const employerLogin = loginOfOrg.get(m.employerId);
      if (!employerLogin) continue;
      usedProfiles.add(m.profileId);
      usedPerOpening.set(m.openingId, (usedPerOpening.get(m.openingId) ?? 0) + 1);
      const fate = fates[f++]!;
      const employer = await actor(employerLogin);
      const staff = await staffOf(m);
      const act = (
        who: Actor,
        action: Parameters<typeof transition>[2],
        body: Record<string, unknown> = {},
      ) => as(who, () => transition(who, m.id, action, body as never, deps));
      if (fate === 'reject') {
        const reason = ['skills_mismatch', 'unwilling_to_travel', 'health'][f % 3]!;
        if (
          await attempt('reject', () =>
            act(reviewer, 'reject', { reasonCode: reason, note: '与本人电话沟通后确认' }),
          )
        )
          count('rejected');
        continue;
      }
      if (
        !(await attempt('approve', () =>
          act(reviewer, 'approve', { note: '技能与岗位要求相符，住宿条件合适' }),
        ))
      )
        continue;
      count('approved');
      if (fate === 'approved') continue;
      if (fate === 'withdrawn') {
        if (
          await attempt('withdraw', () =>
            act(staff, 'withdraw', { reasonCode: 'found_other_work', note: '本人已在县内就业' }),
          )
        )
          count('withdrawn');
        continue;
      }
      const consented = await attempt('share consent', () =>
        as(staff, () =>
          recordShareConsent(deps, staff, m.profileId, m.employerId, m.openingId, SHARE_CONSENT),
        ),
      );
      if (!consented) continue;
      count('shareConsents');
      if (
        !(await attempt('propose', () =>
          act(reviewer, 'propose', { note: '已征得本人同意向该单位提供信息' }),
        ))
      )
        continue;
      count('proposed');
      if (fate === 'proposed') {
        awaitingAnswer.add(employerLogin);
        continue;
      }
      if (fate === 'declined') {
        const reasonCode = deps.config.review.declineReasons[0]!;
        if (
          await attempt('decline', () =>
            act(employer, 'decline', { reasonCode, note: '岗位要求长时间站立，与本人情况不符' }),
          )
        )
          count('declined');
        continue;
      }
      if (!(await attempt('interested', () => act(employer, 'interested', { note: '希望安排视频面试' }))))
        continue;
      count('interested');
      if (fate === 'interested') continue;
      const months = STARTS[startIndex % STARTS.length]!;
      const start = months < 1 ? addDays(today, -7) : addMonths(today, -months);
      const interviewAt =
        fate === 'interviewing'
          ? new Date(now.getTime() + (2 + (f % 5)) * 86_400_000)
          : chinaTime(addDays(start, -12), '10:00');
      const mode = (['video', 'by_federation', 'on_site'] as const)[f % 3]!;
      if (
        !(await attempt('interview', () =>
          act(employer, 'interview', { at: interviewAt.toISOString(), mode }),
        ))
      )
        continue;
      count('interviews');
      if (fate === 'interviewing') continue;
      startIndex++;
      let placementId: string | null = null;
      const hired = await attempt('hire', async () => {
        const r = await act(employer, 'hire', {
          contractStart: start,
          contractEnd: addMonths(start, months >= 3 ? 24 : 12),
          monthlyWage: 4600 + (f % 6) * 200,
          socialInsurance: true,
          note: '已签订劳动合同并缴纳社保',
        });
        // The placement is the hire's consequence job; the loader runs it here rather than wait
        // for a worker (the worker's copy of the job then finds it placed and does nothing).
        const placed = await placeHire(deps, r.id);
        placementId = 'placementId' in placed ? placed.placementId : null;
      });
      if (hired && placementId) {
        count('hired');
        hires.push({ match: m, placementId, months });
      }
    }
  }

  // Every employer login `npm run up` prints starts on a proposal waiting for its answer.
  for (const e of DEMO_EMPLOYERS) {
    if (awaitingAnswer.has(e.login)) continue;
    const employerId = (await actor(e.login)).organizationId;
    for (const reviewerLogin of ['foshan.reviewer', 'wenzhou.reviewer']) {
      const reviewer = await actor(reviewerLogin);
      const queue = await as(reviewer, () =>
        reviewQueue(reviewer, reviewQueueQuery.parse({ limit: 200, sort: '-score' }), now),
      );
      const m = queue.items.find((x) => x.employerId === employerId && !usedProfiles.has(x.profileId));
      if (!m) continue;
      usedProfiles.add(m.profileId);
      const staff = await staffOf(m);
      const act = (who: Actor, action: Parameters<typeof transition>[2], body: Record<string, unknown>) =>
        as(who, () => transition(who, m.id, action, body as never, deps));
      const proposed =
        (await attempt('approve', () => act(reviewer, 'approve', { note: '技能与岗位要求相符' }))) &&
        (await attempt('share consent', () =>
          as(staff, () =>
            recordShareConsent(deps, staff, m.profileId, m.employerId, m.openingId, SHARE_CONSENT),
          ),
        )) &&
        (await attempt('propose', () =>
          act(reviewer, 'propose', { note: '已征得本人同意向该单位提供信息' }),
        ));
      if (proposed) {
        count('approved');
        count('shareConsents');
        count('proposed');
        awaitingAnswer.add(e.login);
        break;
      }
    }
  }

  // ---- follow-ups: done up to the last checkpoint due, one left overdue, one placement ended ------
  let leftOverdue = 0;
  let ended = 0;
  const endedPlacements = new Set<string>();
  let retainedSix = false;
  for (const h of hires) {
    const staff = await staffOf(h.match);
    const placement: Placement = await as(staff, () => getPlacement(staff, h.placementId));
    const due = placement.checkpoints.filter((c) => c.dueOn <= today);
    // The latest checkpoint due stays open (it is "due"); in one placement of a month or more,
    // the one before is left undone too (it is "overdue").
    // One six-month placement has every visit done, so the reports show retention at 6 months.
    const allDone = !retainedSix && h.months === 6;
    if (allDone) retainedSix = true;
    const toRecord = allDone ? due : due.slice(0, -1);
    if (!allDone && leftOverdue === 0 && toRecord.length > 0 && h.months >= 1) {
      toRecord.pop();
      leftOverdue++;
    }
    for (const [i, c] of toRecord.entries()) {
      const input = followUpBody.parse({
        visitedOn: addDays(c.dueOn, 2),
        stillEmployed: true,
        wagePaidOnTime: true,
        accommodationWorking: i !== 1,
        dormitory: true,
        ...(i === 1
          ? { riskFlags: ['homesick'], notes: '想家，已与家属视频沟通；工位需再调整' }
          : { notes: '工作稳定，工资按时发放' }),
      });
      if (
        await attempt('follow-up', () =>
          as(staff, () => recordFollowUp(staff, h.placementId, c.code, input, deps, now)),
        )
      )
        count('followUps');
    }
    if (ended === 0 && h.months === 3) {
      ended++;
      const input = endPlacementBody.parse({
        endedOn: addDays(today, -10),
        reasonCode: 'family',
        note: '家中老人生病，返乡照顾',
      });
      if (
        await attempt('end placement', () => as(staff, () => endPlacement(staff, h.placementId, input, deps)))
      ) {
        count('placementsEnded');
        endedPlacements.add(h.placementId);
      }
    }
  }

  // ---- a transfer batch with escorts: 凉山's people who started in 佛山 the same week ---------------
  const byEmployer = new Map<string, typeof hires>();
  // An ended placement cannot travel with a batch.
  for (const h of hires)
    if (h.match.profileRegionPath.includes('513400') && !endedPlacements.has(h.placementId))
      byEmployer.set(h.match.employerId, [...(byEmployer.get(h.match.employerId) ?? []), h]);
  const group = [...byEmployer.values()].sort((a, b) => b.length - a.length)[0];
  if (group?.length) {
    const liangshan = await actor('liangshan.staff');
    const first = group.map((h) => h.match).sort((a, b) => (a.id < b.id ? -1 : 1))[0]!;
    const start = (await as(liangshan, () => getPlacement(liangshan, group[0]!.placementId))).contractStart;
    const input = createBatchBody.parse({
      originCode: '513400',
      employerId: first.employerId,
      destinationCode: first.openingRegionPath.at(-1),
      travelDate: addDays(start, -2),
      transport: 'train',
      escorts: [
        { name: '吉克老师', phone: '0834-3200101' },
        { name: '王医生', phone: '0834-3200102' },
      ],
      groupLeader: { name: '阿说尔古', phone: '0834-3200103' },
      placementIds: group.map((h) => h.placementId),
      note: '西昌站集合，残联工作人员和随队医生护送到厂',
    });
    if (await attempt('transfer batch', () => as(liangshan, () => createTransferBatch(liangshan, input))))
      count('transferBatches');
  }

  // ---- yearly targets, so reports show progress --------------------------------------------------
  const year = Number(today.slice(0, 4));
  for (const [login, target] of [
    ['liangshan.staff', 80],
    ['nanchong.staff', 30],
    ['aba.staff', 30],
    ['foshan.staff', 60],
    ['wenzhou.staff', 40],
  ] as const) {
    const a = await actor(login);
    if (await attempt(`target ${login}`, () => as(a, () => setPlacementTarget(a, year, { target }, 0))))
      count('targets');
  }
}
