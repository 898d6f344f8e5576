import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Config } from '../../config.js';
import type { Queues } from '../../jobs/queues.js';
import type { Actor } from '../../lib/auth/actor.js';
import { AppError } from '../../lib/errors.js';
import type { Logger } from '../../lib/logger.js';
import { audit } from '../audit/audit.service.js';
import { findActiveMatchesOfProfile, type Match, reasonsWithText } from '../matches/matches.service.js';
import { notify } from '../notifications/notifications.service.js';
import { sendSms } from '../notifications/sms.js';
import { getOpeningsByIds } from '../openings/search-projection.service.js';
import { findOrganizationsByIds } from '../orgs/orgs.service.js';
import { nextDueOn } from '../placements/follow-ups.js';
import { placementsOfProfile } from '../placements/placements.service.js';
import { findRegion, getVocabulary } from '../reference/reference.service.js';
import {
  hasShareConsent,
  listConsentsOfPerson,
  recordShareConsent,
  withdrawConsentForPerson,
} from '../worker-profiles/consents.service.js';
import { maskCertificate, maskIdNumber, maskPhone } from '../worker-profiles/masking.js';
import {
  getProfileForWrite,
  getProfileOfPerson,
  type WorkerProfile,
} from '../worker-profiles/worker-profiles.service.js';
import type { AccessLink, ActedBy, SelfServiceAction } from './self-service.repository.js';
import * as repo from './self-service.repository.js';
import {
  ACCESS_LINK_DEFAULT_DAYS,
  type CORRECTION_TOPICS,
  type DECLINE_REASONS,
} from './self-service.schemas.js';

export interface SelfServiceDeps {
  config: Config;
  logger: Logger;
  queues: Queues;
  redis: Redis;
}

/** Wrong second factors before a link locks, and for how long. */
export const LINK_MAX_FAILURES = 5;
export const LINK_LOCK_MS = 15 * 60_000;
/** Wrong answers (any link, or unknown links) from one IP address before it is refused a while. */
export const IP_MAX_FAILURES = 20;
export const IP_WINDOW_MS = 15 * 60_000;
/** The person's session is short: a shared phone must not stay signed in. */
export const PERSON_SESSION_MS = 30 * 60_000;

/** The person behind a self-service session: one profile, through one link. */
export interface Person {
  profileId: string;
  linkId: string;
  organizationId: string;
}

const sha256 = (v: string) => createHash('sha256').update(v).digest('base64url');

function sameSecret(a: string, b: string): boolean {
  // Compared as hashes: equal lengths, and no early exit on the first differing character.
  return timingSafeEqual(createHash('sha256').update(a).digest(), createHash('sha256').update(b).digest());
}

function linkState(l: AccessLink, now: Date) {
  if (l.revokedAt) return 'revoked' as const;
  if (l.expiresAt.getTime() <= now.getTime()) return 'expired' as const;
  if (l.lockedUntil && l.lockedUntil.getTime() > now.getTime()) return 'locked' as const;
  return 'active' as const;
}

export function presentLink(l: AccessLink, now = new Date()) {
  return {
    id: l.id,
    profileId: l.profileId,
    createdBy: l.createdBy,
    createdAt: l.createdAt.toISOString(),
    expiresAt: l.expiresAt.toISOString(),
    revokedAt: l.revokedAt?.toISOString() ?? null,
    lockedUntil: l.lockedUntil && l.lockedUntil > now ? l.lockedUntil.toISOString() : null,
    lastOpenedAt: l.lastOpenedAt?.toISOString() ?? null,
    state: linkState(l, now),
  };
}

// ---- staff -------------------------------------------------------------------------------------

/**
 * A new personal link for a person of the caller's federation. The token is returned this once, in
 * the fragment of the URL (browsers never send a fragment to a server, so it reaches no access log).
 */
export async function issueLink(
  deps: SelfServiceDeps,
  actor: Actor,
  profileId: string,
  validDays: number,
  sendBySms = false,
) {
  const profile = await getProfileForWrite(deps, actor, profileId);
  const token = `txl_${randomBytes(32).toString('base64url')}`;
  const days = validDays || ACCESS_LINK_DEFAULT_DAYS;
  const link = await repo.insertLink({
    profileId,
    organizationId: actor.organizationId,
    createdBy: actor.userId,
    tokenHash: sha256(token),
    expiresAt: new Date(Date.now() + days * 86_400_000),
  });
  await audit.record({ action: 'access_link.issue', resource: { type: 'worker_profile', id: profileId } });
  const url = `${deps.config.http.publicUrl.replace(/\/$/, '')}/me#t=${token}`;
  let sms: 'not_requested' | 'queued' | 'no_phone' | 'sms_off' = 'not_requested';
  if (sendBySms) {
    if (!profile.identity.phone) sms = 'no_phone';
    else {
      const outcome = await sendSms(deps, {
        template: 'access_link',
        profileId,
        organizationId: actor.organizationId,
        eventKey: `access-link/${link.id}`,
        vars: [url],
      });
      sms = outcome.queued ? 'queued' : outcome.reason;
      if (outcome.queued)
        await audit.record({ action: 'access_link.sms', resource: { type: 'access_link', id: link.id } });
    }
  }
  return { link, url, sms };
}

export async function listLinksFor(deps: SelfServiceDeps, actor: Actor, profileId: string) {
  await getProfileForWrite(deps, actor, profileId);
  return repo.listLinks(profileId);
}

export async function revokeLinkFor(deps: SelfServiceDeps, actor: Actor, profileId: string, linkId: string) {
  await getProfileForWrite(deps, actor, profileId);
  const link = await repo.findLink(profileId, linkId);
  if (!link) throw new AppError('not_found', { detail: '链接不存在', detailEn: 'No such access link' });
  await repo.revokeLink(linkId, actor.userId, new Date());
  await audit.record({ action: 'access_link.revoke', resource: { type: 'access_link', id: linkId } });
}

/** What the person did on their own page, newest first: the profile's self-service history. */
export async function historyFor(deps: SelfServiceDeps, actor: Actor, profileId: string) {
  await getProfileForWrite(deps, actor, profileId);
  return repo.listActions(profileId);
}

export function presentAction(a: SelfServiceAction) {
  return {
    id: a.id,
    kind: a.kind,
    actedBy: a.actedBy,
    at: a.at.toISOString(),
    linkId: a.linkId,
    matchId: a.matchId,
    openingId: a.openingId,
    consentId: a.consentId,
    answer: a.answer,
    reasonCode: a.reasonCode,
    topic: a.topic,
  };
}

// ---- opening a link ------------------------------------------------------------------------------

const ipKey = (config: Config, ip: string) => `${config.redis.queuePrefix}:me:ipfail:${ip}`;

/** For tests: forget the wrong answers counted against an address. */
export async function clearIpFailures(deps: SelfServiceDeps, ip: string): Promise<void> {
  await deps.redis.del(ipKey(deps.config, ip));
}

async function ipRetryAfter(deps: SelfServiceDeps, ip: string): Promise<number> {
  try {
    const [count, ttl] = await Promise.all([
      deps.redis.get(ipKey(deps.config, ip)),
      deps.redis.pttl(ipKey(deps.config, ip)),
    ]);
    return Number(count ?? 0) >= IP_MAX_FAILURES ? Math.max(1, Math.ceil(ttl / 1000)) : 0;
  } catch (err) {
    // With Redis down the per-link lock (in MongoDB) still holds; the address limit waits.
    deps.logger.warn({ err }, 'person sign-in: address limit unavailable');
    return 0;
  }
}

async function countIpFailure(deps: SelfServiceDeps, ip: string): Promise<void> {
  try {
    const key = ipKey(deps.config, ip);
    const n = await deps.redis.incr(key);
    if (n === 1) await deps.redis.pexpire(key, IP_WINDOW_MS);
  } catch (err) {
    deps.logger.warn({ err }, 'person sign-in: address limit unavailable');
  }
}

const denied = (reason: string, resourceId?: string) =>
  audit.record({
    action: 'person_session.open',
    outcome: 'denied',
    reason,
    resource: { type: 'access_link', id: resourceId ?? null },
  });

function secondFactorMatches(p: WorkerProfile, input: { idLast4?: string; birthDate?: string }): boolean {
  if (input.idLast4 !== undefined)
    return sameSecret(input.idLast4.toUpperCase(), p.identity.idNumber.slice(-4).toUpperCase());
  if (input.birthDate !== undefined) return sameSecret(input.birthDate, p.birthDate);
  return false;
}

/**
 * Opens a short session for the person of a link, given a second factor they know. Wrong answers
 * count per link (the link locks after LINK_MAX_FAILURES) and per address (refused a while after
 * IP_MAX_FAILURES, whatever the link). Neither the token nor the answer is logged or audited.
 */
export async function openSession(
  deps: SelfServiceDeps,
  input: { token: string; idLast4?: string; birthDate?: string },
  ip: string,
) {
  const now = new Date();
  const wait = await ipRetryAfter(deps, ip);
  if (wait > 0) {
    await denied('address_limited');
    throw new AppError('rate_limited', { headers: { 'Retry-After': String(wait) } });
  }
  const link = await repo.findLinkByHash(sha256(input.token));
  const state = link ? linkState(link, now) : 'unknown';
  if (!link || state === 'revoked' || state === 'expired') {
    await countIpFailure(deps, ip);
    await denied(state === 'unknown' ? 'link_unknown' : `link_${state}`, link?.id);
    throw new AppError('link_invalid', {
      detail: '这个链接不能用了。请找残联工作人员要新的链接。',
      detailEn: 'This link cannot be used any more. Ask your federation for a new one.',
    });
  }
  if (state === 'locked') {
    await denied('link_locked', link.id);
    throw lockedError(link.lockedUntil!, now);
  }
  const profile = await getProfileOfPerson(deps, link.profileId);
  if (!profile) {
    await denied('profile_gone', link.id);
    throw new AppError('link_invalid');
  }
  if (!secondFactorMatches(profile, input)) {
    await countIpFailure(deps, ip);
    const after = await repo.recordFailure(link.id, now, LINK_MAX_FAILURES, LINK_LOCK_MS);
    await denied('wrong_second_factor', link.id);
    if (after.lockedUntil) throw lockedError(after.lockedUntil, now);
    throw new AppError('wrong_second_factor', {
      detail: '信息不对。请再试一次。',
      detailEn: 'That is not right. Please try again.',
      extra: { attemptsLeft: Math.max(0, LINK_MAX_FAILURES - after.failures) },
    });
  }
  await repo.recordOpened(link.id, now);
  await repo.purgeExpiredPersonSessions(now);
  const token = `txp_${randomBytes(32).toString('base64url')}`;
  const expiresAt = new Date(Math.min(now.getTime() + PERSON_SESSION_MS, link.expiresAt.getTime()));
  await repo.insertSession({
    sessionHash: sha256(token),
    profileId: link.profileId,
    linkId: link.id,
    expiresAt,
  });
  await audit.record({
    action: 'person_session.open',
    resource: { type: 'worker_profile', id: link.profileId },
    actor: personActor({ profileId: link.profileId, linkId: link.id, organizationId: link.organizationId }),
  });
  return { token, expiresAt };
}

function lockedError(until: Date, now: Date) {
  const seconds = Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 1000));
  return new AppError('link_locked', {
    detail: '错了太多次。请过一会儿再试，或者找残联工作人员。',
    detailEn: 'Too many wrong answers. Try again later, or ask your federation.',
    headers: { 'Retry-After': String(seconds) },
    extra: { lockedUntil: until.toISOString() },
  });
}

/** How the person appears in the audit trail: their link, their federation, the job seeker role. */
export function personActor(p: Person) {
  return { userId: `self:${p.linkId}`, organizationId: p.organizationId, roles: ['job_seeker'] };
}

/** The person of a session token, or why not (401). */
export async function resolvePerson(token: string): Promise<Person> {
  const session = await repo.findSession(sha256(token));
  if (!session) throw new AppError('unauthenticated');
  const now = new Date();
  if (session.expiresAt.getTime() <= now.getTime()) throw new AppError('session_expired');
  const link = await repo.findLinkById(session.linkId);
  if (!link || link.profileId !== session.profileId) throw new AppError('unauthenticated');
  const state = linkState(link, now);
  if (state === 'revoked' || state === 'expired') throw new AppError('link_invalid');
  return { profileId: link.profileId, linkId: link.id, organizationId: link.organizationId };
}

export async function closeSession(token: string): Promise<void> {
  await repo.deleteSession(sha256(token));
}

// ---- the person's page -------------------------------------------------------------------------

/** Match statuses the person sees: staff approved it, and it is not yet a placement. */
const SHOWN = new Set(['approved', 'proposed', 'interested', 'interviewing', 'hired']);

const STAGE_WORDS: Record<string, string> = {
  approved: '残联觉得这份工作适合你。',
  proposed: '残联已经把你推荐给这家单位。',
  interested: '这家单位想认识你。',
  interviewing: '这家单位要和你面谈。',
  hired: '这家单位要录用你。',
};

async function personProfile(deps: SelfServiceDeps, person: Person): Promise<WorkerProfile> {
  const profile = await getProfileOfPerson(deps, person.profileId);
  if (!profile) throw new AppError('link_invalid');
  return profile;
}

async function decidesWith(deps: SelfServiceDeps, profileId: string): Promise<ActedBy> {
  const active = (await listConsentsOfPerson(deps, profileId)).filter(
    (c) => c.purpose === 'sensitive_processing' && c.withdrawnAt === null,
  );
  const withSomeone = active.find((c) => c.givenBy !== 'self');
  return withSomeone?.givenBy ?? 'self';
}

async function labels(kind: Parameters<typeof getVocabulary>[0]) {
  return new Map((await getVocabulary(kind)).map((v) => [v.code, v.zh]));
}

async function visibleMatches(profileId: string): Promise<Match[]> {
  return (await findActiveMatchesOfProfile(profileId)).filter((m) => SHOWN.has(m.status));
}

/** Everything the person's page shows, in one answer. */
export async function personPage(deps: SelfServiceDeps, person: Person) {
  const profile = await personProfile(deps, person);
  const [consents, matches, placements, skillNames, trainingNames, accommodationNames, who, actions] =
    await Promise.all([
      listConsentsOfPerson(deps, person.profileId),
      visibleMatches(person.profileId),
      placementsOfProfile(person.profileId),
      labels('skill'),
      labels('training_programme'),
      labels('accommodation'),
      decidesWith(deps, person.profileId),
      repo.listActions(person.profileId),
    ]);
  const [openings, reasons] = await Promise.all([
    getOpeningsByIds([
      ...new Set([...matches.map((m) => m.openingId), ...placements.map((p) => p.openingId)]),
    ]),
    reasonsWithText(matches),
  ]);
  const openingById = new Map(openings.map((o) => [o.id, o]));
  const orgIds = new Set<string>([profile.registeringFederationId]);
  for (const c of consents) if (c.employerId) orgIds.add(c.employerId);
  for (const o of openings) orgIds.add(o.employerId);
  const orgs = new Map((await findOrganizationsByIds([...orgIds])).map((o) => [o.id, o.name]));
  const cities = new Map<string, string | null>();
  for (const o of openings)
    if (!cities.has(o.regionCode)) cities.set(o.regionCode, (await findRegion(o.regionCode))?.zh ?? null);
  const destinations = await Promise.all(
    profile.preferences.destinationCodes.map(async (c) => (await findRegion(c))?.zh ?? c),
  );

  await audit.record({
    action: 'worker_profile.read_by_self',
    resource: { type: 'worker_profile', id: person.profileId },
    actor: personActor(person),
  });
  const lastAnswer = (matchId: string) =>
    actions.find((a) => a.kind === 'proposal_answer' && a.matchId === matchId)?.answer ?? null;

  return {
    me: {
      name: profile.identity.name,
      idNumber: maskIdNumber(profile.identity.idNumber),
      certificateNumber: maskCertificate(profile.identity.certificateNumber),
      phone: profile.identity.phone ? maskPhone(profile.identity.phone) : null,
      skills: profile.skills.map((s) => ({
        code: s.code,
        text: skillNames.get(s.code) ?? s.code,
        level: s.level,
      })),
      training: profile.training.map((t) => ({
        code: t.programmeCode,
        text: trainingNames.get(t.programmeCode) ?? t.programmeCode,
        endDate: t.endDate,
      })),
      preferences: {
        cities: destinations,
        minimumWage: profile.preferences.minimumWage,
        needsDormitory: profile.preferences.needsDormitory ?? null,
      },
      decidesWith: who,
      federationName: orgs.get(profile.registeringFederationId) ?? null,
      linkExpiresAt: (await repo.findLinkById(person.linkId))!.expiresAt.toISOString(),
    },
    consents: consents.map((c) => {
      const employerName = c.employerId ? (orgs.get(c.employerId) ?? null) : null;
      return {
        id: c.id,
        purpose: c.purpose,
        words:
          c.purpose === 'sensitive_processing'
            ? '你同意残联保存你的残疾信息。\n残联用这些信息帮你找工作。'
            : `你同意把你的姓名和电话给“${employerName ?? '这家单位'}”。`,
        employerName,
        givenAt: c.givenAt.toISOString(),
        givenBy: c.givenBy,
        active: c.withdrawnAt === null,
        withdrawnAt: c.withdrawnAt?.toISOString() ?? null,
      };
    }),
    proposals: await Promise.all(
      matches
        .filter((m) => openingById.has(m.openingId))
        .map(async (m) => {
          const o = openingById.get(m.openingId)!;
          return {
            matchId: m.id,
            openingId: m.openingId,
            employerName: orgs.get(o.employerId) ?? null,
            title: o.title,
            city: cities.get(o.regionCode) ?? null,
            wageMin: o.wageMin,
            wageMax: o.wageMax,
            dormitory: { provided: o.dormitory.provided, accessible: o.dormitory.accessible },
            accommodations: o.accommodationsOffered.map((a) => accommodationNames.get(a) ?? a),
            why: (reasons.get(m.id) ?? [])
              .filter((r) => r.kind === 'plus' || r.kind === 'support')
              .map((r) => r.zh),
            stage: STAGE_WORDS[m.status] ?? '',
            myAnswer: lastAnswer(m.id) as 'want' | 'not_want' | null,
            shared: await hasShareConsent(person.profileId, m.employerId, m.openingId),
          };
        }),
    ),
    placements: placements
      .filter((p) => p.status !== 'ended')
      .map((p) => {
        const o = openingById.get(p.openingId);
        return {
          employerName: orgs.get(p.employerId) ?? null,
          title: o?.title ?? null,
          contractStart: p.contractStart,
          nextVisitOn: p.nextDueOn ?? nextDueOn(p.checkpoints),
        };
      }),
  };
}

/** Checks who says they act: a guardian or supporter must be on the person's record. */
function representativeFor(profile: WorkerProfile, actedBy: ActedBy) {
  if (actedBy === 'self') return undefined;
  if (!profile.guardian)
    throw new AppError('validation_failed', {
      detail: '档案里没有登记监护人或协助人',
      detailEn: 'No guardian or supporter is registered for this person',
      issues: [
        { path: 'body.actedBy', code: 'no_representative', message: 'no guardian or supporter on record' },
      ],
    });
  return { relation: actedBy, name: profile.guardian.name } as const;
}

async function act(
  person: Person,
  a: Omit<SelfServiceAction, 'id' | 'at' | 'profileId' | 'linkId'>,
  auditAction: string,
) {
  const action = await repo.insertAction({ ...a, profileId: person.profileId, linkId: person.linkId });
  await audit.record({
    action: auditAction,
    resource: { type: 'worker_profile', id: person.profileId },
    reason: a.actedBy === 'self' ? 'self' : `by_${a.actedBy}`,
    actor: personActor(person),
  });
  return action;
}

async function tellStaff(
  deps: SelfServiceDeps,
  profile: WorkerProfile,
  event: Parameters<typeof notify>[0],
): Promise<void> {
  await notify(event, { organizationId: profile.registeringFederationId, role: 'federation_staff' }, deps);
}

/** A request the person sends staff (a correction, help): recorded, audited, and staff told. */
const REQUESTS = {
  correction: {
    kind: 'correction_requested',
    audit: 'self_service.correction_request',
    event: 'person.correction_requested',
  },
  help: { kind: 'help_requested', audit: 'self_service.help_request', event: 'person.help_requested' },
} as const;

async function sendRequest(
  deps: SelfServiceDeps,
  person: Person,
  which: keyof typeof REQUESTS,
  input: { topic: string; actedBy: ActedBy },
) {
  const spec = REQUESTS[which];
  const profile = await personProfile(deps, person);
  representativeFor(profile, input.actedBy);
  const action = await act(
    person,
    blank({ kind: spec.kind, actedBy: input.actedBy, topic: input.topic }),
    spec.audit,
  );
  await tellStaff(deps, profile, {
    type: spec.event,
    data: { profileId: person.profileId, actionId: action.id, topic: input.topic },
  });
}

export function requestCorrection(
  deps: SelfServiceDeps,
  person: Person,
  input: { topic: (typeof CORRECTION_TOPICS)[number]; actedBy: ActedBy },
) {
  return sendRequest(deps, person, 'correction', input);
}

export function askForHelp(
  deps: SelfServiceDeps,
  person: Person,
  input: { topic: string; actedBy: ActedBy },
) {
  return sendRequest(deps, person, 'help', input);
}

/** The same withdrawal as staff record (the profile leaves matching at once for the processing consent). */
export async function withdrawOwnConsent(
  deps: SelfServiceDeps,
  person: Person,
  consentId: string,
  input: { actedBy: ActedBy },
) {
  const profile = await personProfile(deps, person);
  representativeFor(profile, input.actedBy);
  await withdrawConsentForPerson(deps, `self:${person.linkId}`, person.profileId, consentId, {
    reason: input.actedBy === 'self' ? 'person_request' : 'representative_request',
    channel: 'self',
  });
  await act(
    person,
    blank({ kind: 'consent_withdrawn', actedBy: input.actedBy, consentId }),
    'self_service.consent_withdraw',
  );
}

async function ownVisibleMatch(person: Person, matchId: string): Promise<Match> {
  const match = (await visibleMatches(person.profileId)).find((m) => m.id === matchId);
  return audit.foundOrDenied(
    match,
    { action: 'self_service.match', resource: { type: 'match', id: matchId }, actor: personActor(person) },
    () => new AppError('not_found', { detail: '没有这个岗位推荐', detailEn: 'No such proposal' }),
  );
}

export async function answerProposal(
  deps: SelfServiceDeps,
  person: Person,
  matchId: string,
  input: { answer: 'want' | 'not_want'; reasonCode?: (typeof DECLINE_REASONS)[number]; actedBy: ActedBy },
) {
  const profile = await personProfile(deps, person);
  representativeFor(profile, input.actedBy);
  const match = await ownVisibleMatch(person, matchId);
  const action = await act(
    person,
    blank({
      kind: 'proposal_answer',
      actedBy: input.actedBy,
      matchId,
      openingId: match.openingId,
      answer: input.answer,
      reasonCode: input.reasonCode ?? null,
    }),
    'self_service.proposal_answer',
  );
  await tellStaff(deps, profile, {
    type: 'person.answered',
    data: { profileId: person.profileId, actionId: action.id, matchId, answer: input.answer },
  });
}

/**
 * The person's consent to give name and phone to the employer of a proposal (PIPL Art. 23),
 * recorded through the same path as staff-recorded consent, with channel `self`.
 */
export async function grantShareConsent(
  deps: SelfServiceDeps,
  person: Person,
  matchId: string,
  input: { actedBy: ActedBy },
) {
  const profile = await personProfile(deps, person);
  const representative = representativeFor(profile, input.actedBy);
  const match = await ownVisibleMatch(person, matchId);
  const { consent } = await recordShareConsent(
    deps,
    { userId: `self:${person.linkId}`, organizationId: person.organizationId },
    person.profileId,
    match.employerId,
    match.openingId,
    {
      textVersion: 'share-self-1',
      channel: 'self',
      givenBy: input.actedBy,
      ...(representative ? { representative } : {}),
      assistedByStaff: false,
      dataCategories: ['identity', 'contact'],
    },
  );
  await act(
    person,
    blank({
      kind: 'share_consent',
      actedBy: input.actedBy,
      matchId,
      openingId: match.openingId,
      consentId: consent.id,
    }),
    'self_service.share_consent',
  );
}

function blank(
  a: Partial<Omit<SelfServiceAction, 'id' | 'at' | 'profileId' | 'linkId'>> & {
    kind: string;
    actedBy: ActedBy;
  },
): Omit<SelfServiceAction, 'id' | 'at' | 'profileId' | 'linkId'> {
  return {
    matchId: null,
    openingId: null,
    consentId: null,
    answer: null,
    reasonCode: null,
    topic: null,
    ...a,
  };
}
