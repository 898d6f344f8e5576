import type { Config } from '../../config.js';
import { type ChangeKind, publishChange } from '../../jobs/changes.js';
import type { Queues } from '../../jobs/queues.js';
import type { Actor } from '../../lib/auth/actor.js';
import type { ScopeFilter } from '../../lib/auth/scope.js';
import { AppError, type ProblemIssue } from '../../lib/errors.js';
import type { Page } from '../../lib/http/pagination.js';
import type { Logger } from '../../lib/logger.js';
import type { OpeningSearchDocument } from '../../lib/search/indexes.js';
import { audit } from '../audit/audit.service.js';
import { findOrganizationById, findOrganizationsByIds } from '../orgs/orgs.service.js';
import {
  assertRegion,
  findVocabularyEntry,
  getVocabulary,
  listPartnerships,
  listRegions,
  PROVINCES,
  unknownCodeIssue,
  type VocabularyKind,
} from '../reference/reference.service.js';
import {
  needsPairing,
  openingReadGrants,
  openingReadScope,
  openingSearchScope,
  openingVisibleTo,
  openingWriteScope,
  pairedSupportingCodes,
} from './openings.policy.js';
import {
  changeStatusIfVersion,
  countOpeningsInScope,
  findOpeningById,
  findOpeningInScope,
  findOpenings,
  givePlaceBack,
  insertOpening,
  listOpeningsInScope,
  type Opening,
  type OpeningContent,
  type OpeningQuery,
  streamOpenings,
  takePlace,
  updateOpeningIfVersion,
} from './openings.repository.js';
import { EXCLUSION_DETAIL, exclusionFieldIssues, openingRuleIssues } from './openings.rules.js';
import {
  CONTENT_FIELDS,
  type CreateOpeningInput,
  type ListOpeningsQuery,
  type OpeningFilter,
  type UpdateOpeningInput,
} from './openings.schemas.js';
import { type OpeningSearchContext, toSearchDocument } from './openings.search.js';
import {
  allowedActions,
  type EmployerAction,
  isEditable,
  nextStatus,
  type OpeningStatus,
  statusForHires,
} from './openings.status.js';

export type { Opening, OpeningContent } from './openings.repository.js';
export type { OpeningStatus } from './openings.status.js';

/** What the service needs besides the database: change publication and the wage floor. */
export interface OpeningsDeps {
  queues: Queues;
  logger: Logger;
  wageFloorCny: number;
}

export function openingsDeps(deps: {
  queues: Queues;
  logger: Logger;
  config: Pick<Config, 'openings'>;
}): OpeningsDeps {
  return { queues: deps.queues, logger: deps.logger, wageFloorCny: deps.config.openings.wageFloorCny };
}

const notFound = () => new AppError('not_found', { detail: '岗位不存在', detailEn: 'No such opening' });

function invalid(issues: ProblemIssue[], detail?: { zh: string; en: string }): AppError {
  const paths = issues.map((i) => i.path).join(', ');
  return new AppError('validation_failed', {
    detail: detail ? `${paths}：${detail.zh}` : `字段 ${paths} 不符合要求`,
    detailEn: detail ? `${paths}: ${detail.en}` : `Invalid field(s): ${paths}`,
    issues,
  });
}

function illegal(current: OpeningStatus, action: EmployerAction | 'update'): AppError {
  return new AppError('illegal_transition', {
    detail: `岗位当前状态为 ${current}，不能执行 ${action}`,
    detailEn: `The opening is ${current}; ${action} is not allowed`,
    extra: { currentState: current, action, allowedActions: allowedActions(current) },
  });
}

const stale = (currentVersion: number) => new AppError('precondition_failed', { extra: { currentVersion } });

// ---- validation against reference data ------------------------------------------------------

const CODE_FIELDS: [keyof OpeningContent, VocabularyKind][] = [
  ['preferredTraining', 'training_programme'],
  ['jobDemands', 'job_demand'],
  ['accommodationsOffered', 'accommodation'],
  ['suitableFor', 'disability_category'],
];

/** Every unknown code and region of the fields `input` sets, each named (all at once). */
async function referenceIssues(input: Partial<OpeningContent>): Promise<ProblemIssue[]> {
  const issues: ProblemIssue[] = [];
  const check = async (kind: VocabularyKind, path: string, code: string) => {
    if (!(await findVocabularyEntry(kind, code))) issues.push(unknownCodeIssue(kind, path, code));
  };
  if (input.regionCode !== undefined) {
    try {
      await assertRegion('body.regionCode', input.regionCode, {
        within: [PROVINCES.guangdong, PROVINCES.zhejiang],
        levels: ['prefecture', 'county'],
        message: '工作地点应为广东或浙江的市或县',
        messageEn: 'the workplace must be a city or county of 广东 or 浙江',
      });
    } catch (err) {
      if (!(err instanceof AppError) || !err.options.issues) throw err;
      issues.push(...err.options.issues);
    }
  }
  if (input.occupationGroup !== undefined)
    await check('occupation_group', 'body.occupationGroup', input.occupationGroup);
  for (const [i, s] of (input.skills ?? []).entries()) {
    await check('skill', `body.skills.${i}.code`, s.code);
    await check('skill_level', `body.skills.${i}.level`, s.level);
  }
  for (const [field, kind] of CODE_FIELDS)
    for (const [i, c] of ((input[field] as string[] | undefined) ?? []).entries())
      await check(kind, `body.${field}.${i}`, c);
  return issues;
}

function refuseExclusions(body: Record<string, unknown>): void {
  const issues = exclusionFieldIssues(body);
  if (issues.length) throw invalid(issues, EXCLUSION_DETAIL);
}

function contentOf(input: Partial<CreateOpeningInput>): Partial<OpeningContent> {
  const out: Record<string, unknown> = {};
  for (const f of CONTENT_FIELDS) if (input[f] !== undefined) out[f] = input[f];
  return out as Partial<OpeningContent>;
}

async function validateContent(
  merged: OpeningContent,
  changes: Partial<OpeningContent>,
  opts: { wageFloorCny: number; filled: number; partial: boolean },
): Promise<void> {
  const issues = [
    ...(await referenceIssues(changes)),
    ...openingRuleIssues(merged, {
      wageFloorCny: opts.wageFloorCny,
      filled: opts.filled,
      changed: opts.partial ? new Set(Object.keys(changes)) : undefined,
    }),
  ];
  if (issues.some((i) => i.code === 'exclusion_not_allowed')) throw invalid(issues, EXCLUSION_DETAIL);
  if (issues.length) throw invalid(issues);
}

/** The same checks as a create, for content that does not come from a request (demo data, imports). */
export async function assertValidOpeningContent(
  content: OpeningContent,
  wageFloorCny: number,
): Promise<void> {
  await validateContent(content, content, { wageFloorCny, filled: 0, partial: false });
}

// ---- presentation ------------------------------------------------------------------------------

export function presentOpening(o: Opening, employerName: string | null = null) {
  return {
    id: o.id,
    employerId: o.employerId,
    employerName,
    title: o.title,
    description: o.description,
    occupationGroup: o.occupationGroup,
    regionCode: o.regionCode,
    address: o.address,
    skills: o.skills.map((s) => ({ code: s.code, level: s.level })),
    preferredTraining: o.preferredTraining,
    headcount: o.headcount,
    filled: o.filled,
    wageMin: o.wageMin,
    wageMax: o.wageMax,
    hours: {
      hoursPerDay: o.hours.hoursPerDay,
      daysPerWeek: o.hours.daysPerWeek,
      shifts: o.hours.shifts,
      note: o.hours.note ?? null,
    },
    jobDemands: o.jobDemands,
    accommodationsOffered: o.accommodationsOffered,
    dormitory: {
      provided: o.dormitory.provided,
      accessible: o.dormitory.accessible,
      costPerMonthCny: o.dormitory.costPerMonthCny,
    },
    canteen: o.canteen,
    travelSubsidyCny: o.travelSubsidyCny,
    contract: {
      termMonths: o.contract.termMonths,
      socialInsurance: o.contract.socialInsurance,
      housingFund: o.contract.housingFund,
    },
    accommodationContact: {
      name: o.accommodationContact.name,
      phone: o.accommodationContact.phone,
      email: o.accommodationContact.email ?? null,
    },
    startDate: o.startDate,
    suitableFor: o.suitableFor,
    status: o.status,
    statusChangedAt: o.statusChangedAt.toISOString(),
    allowedActions: allowedActions(o.status),
    version: o.version,
    createdAt: o.createdAt.toISOString(),
    updatedAt: o.updatedAt.toISOString(),
  };
}

export type PresentedOpening = ReturnType<typeof presentOpening>;

/** Employer names for a page of openings, one lookup per distinct employer. */
export async function employerNames(openings: readonly Opening[]): Promise<Map<string, string>> {
  const orgs = await findOrganizationsByIds(openings.map((o) => o.employerId));
  return new Map(orgs.map((o) => [o.id, o.name]));
}

export async function presentOpenings(openings: readonly Opening[]): Promise<PresentedOpening[]> {
  const names = await employerNames(openings);
  return openings.map((o) => presentOpening(o, names.get(o.employerId) ?? null));
}

// ---- scope ---------------------------------------------------------------------------------------

async function pairedOf(actor: Actor, now: Date): Promise<string[]> {
  if (!needsPairing(actor)) return [];
  return pairedSupportingCodes(actor.jurisdictionCode!, await listPartnerships(), now);
}

/** The read scope of `actor`, with the partnerships it depends on loaded when needed. */
export async function readScopeOf(actor: Actor, now = new Date()): Promise<ScopeFilter> {
  return openingReadScope(actor, await pairedOf(actor, now));
}

/** The same read scope as a filter over the `openings` search index (true: all, false: none). */
export async function searchScopeOf(actor: Actor, now = new Date()) {
  return openingSearchScope(actor, await pairedOf(actor, now));
}

/**
 * Which of `ids` `actor` may read now, according to MongoDB: the check of a search page, whose
 * engine-side scope filter may have used a document that lags behind. The openings are read by
 * id (one `$in`) and judged by the same grants as every list (`openingVisibleTo`).
 */
export async function visibleOpeningIds(actor: Actor, ids: readonly string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const grants = openingReadGrants(actor, await pairedOf(actor, new Date()));
  const found = await getOpeningsByIds(ids);
  return new Set(found.filter((o) => openingVisibleTo(grants, o)).map((o) => o.id));
}

// ---- commands ------------------------------------------------------------------------------------

async function published(deps: OpeningsDeps, o: Opening, kind: ChangeKind): Promise<void> {
  await publishChange(deps.queues, deps.logger, { entity: 'opening', id: o.id, version: o.version, kind });
}

async function resolveEmployer(actor: Actor, input: CreateOpeningInput): Promise<string> {
  if (!actor.roles.includes('admin')) return actor.organizationId;
  const issue = (message: string) =>
    invalid([{ path: 'body.employerId', code: 'invalid_employer', message }]);
  if (!input.employerId) throw issue('required when an admin posts on behalf of an employer');
  const org = await findOrganizationById(input.employerId);
  if (org?.type !== 'employer') throw issue('not an employer organisation');
  return org.id;
}

export async function createOpening(
  actor: Actor,
  input: CreateOpeningInput,
  deps: OpeningsDeps,
): Promise<Opening> {
  refuseExclusions(input);
  const employerId = await resolveEmployer(actor, input);
  const content = contentOf(input) as OpeningContent;
  await validateContent(content, content, { wageFloorCny: deps.wageFloorCny, filled: 0, partial: false });
  const opening = await insertOpening({ ...content, employerId, createdBy: actor.userId });
  await audit.record({
    action: 'opening.create',
    resource: { type: 'opening', id: opening.id },
    fields: Object.keys(input),
  });
  await published(deps, opening, 'created');
  return opening;
}

export async function getOpening(actor: Actor, id: string): Promise<Opening> {
  const opening = await findOpeningInScope(id, await readScopeOf(actor));
  if (!opening) throw notFound();
  return opening;
}

function toQuery(q: OpeningFilter): OpeningQuery {
  return {
    status: q.status,
    region: q.region,
    skill: q.skill,
    updatedSince: q.updatedSince ? new Date(q.updatedSince) : undefined,
    employerId: q.employer,
  };
}

export async function listOpenings(actor: Actor, q: ListOpeningsQuery): Promise<Page<Opening>> {
  return listOpeningsInScope(toQuery(q), await readScopeOf(actor), {
    sort: q.sort,
    cursor: q.cursor,
    limit: q.limit,
  });
}

/** Every opening of the caller's scope matching `q`, in pages (for the export). */
export async function* openingsInScope(
  actor: Actor,
  q: OpeningFilter & { sort: string },
  pageSize = 500,
): AsyncGenerator<Opening[]> {
  const scope = await readScopeOf(actor);
  let cursor: string | undefined;
  do {
    const page = await listOpeningsInScope(toQuery(q), scope, { sort: q.sort, cursor, limit: pageSize });
    yield page.items;
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
}

/** The caller's own open openings with one place of the headcount left (a full one is `filled`). */
export async function openingsNearlyFilled(actor: Actor): Promise<number> {
  return countOpeningsInScope({ status: 'open', placesLeftAtMost: 1 }, openingWriteScope(actor));
}

export async function countOpeningsInScopeOf(actor: Actor, q: OpeningFilter): Promise<number> {
  return countOpeningsInScope(toQuery(q), await readScopeOf(actor));
}

export async function updateOpening(
  actor: Actor,
  id: string,
  version: number,
  input: UpdateOpeningInput,
  deps: OpeningsDeps,
): Promise<Opening> {
  refuseExclusions(input);
  const scope = openingWriteScope(actor);
  const current = await findOpeningInScope(id, scope);
  if (!current) throw notFound();
  if (!isEditable(current.status)) throw illegal(current.status, 'update');
  // Stale before invalid: validating against a version the client never saw would mislead.
  if (current.version !== version) throw stale(current.version);
  const changes = contentOf(input as Partial<CreateOpeningInput>);
  await validateContent({ ...current, ...changes }, changes, {
    wageFloorCny: deps.wageFloorCny,
    filled: current.filled,
    partial: true,
  });
  const updated = await updateOpeningIfVersion(id, version, scope, changes);
  if (!updated) {
    const fresh = await findOpeningInScope(id, scope);
    if (!fresh) throw notFound();
    throw stale(fresh.version);
  }
  await audit.record({
    action: 'opening.update',
    resource: { type: 'opening', id },
    fields: Object.keys(input),
  });
  await published(deps, updated, 'updated');
  // A raised headcount reopens a filled opening; the hires decide, not the patch.
  if (changes.headcount !== undefined) return (await markFilledIfFull(id, deps)) ?? updated;
  return updated;
}

/**
 * An employer action (`open`, `pause`, `close`). With `expectedVersion` (If-Match) a stale version
 * is a 412; without, the action applies to whatever the opening is now, and of concurrent callers
 * exactly one wins — the others see the new state and get 409 when it no longer allows the action.
 */
export async function transitionOpening(
  actor: Actor,
  id: string,
  action: EmployerAction,
  expectedVersion: number | undefined,
  deps: OpeningsDeps,
): Promise<Opening> {
  const scope = openingWriteScope(actor);
  for (let attempt = 0; attempt < 5; attempt++) {
    const current = await findOpeningInScope(id, scope);
    if (!current) throw notFound();
    if (expectedVersion !== undefined && current.version !== expectedVersion) throw stale(current.version);
    const to = nextStatus(current.status, action);
    if (!to) throw illegal(current.status, action);
    // Publishing or resuming a full opening would offer places that do not exist.
    if (to === 'open' && current.filled >= current.headcount) throw illegal(current.status, action);
    const updated = await changeStatusIfVersion(id, current.version, scope, {
      from: current.status,
      to,
      action,
      at: new Date(),
      by: actor.userId,
    });
    if (updated) {
      await audit.record({
        action: `opening.${action}`,
        resource: { type: 'opening', id },
        fields: ['status'],
      });
      await published(deps, updated, 'status');
      return updated;
    }
    // Someone else changed it meanwhile: judge the action again against what is there now.
  }
  const fresh = await findOpeningInScope(id, scope);
  throw new AppError('conflict', {
    detail: '岗位正被同时修改，请重试',
    detailEn: 'The opening is being changed concurrently; try again',
    extra: { currentState: fresh?.status, currentVersion: fresh?.version },
  });
}

// ---- hires against the headcount (used by the review workflow) ----------------------------------

/**
 * Takes one place of the opening's headcount for a hire: the place number (`filled` after it), or
 * undefined when every place is taken (or the opening is gone). Exact under concurrency (one
 * conditional `$inc`). Moves the opening to `filled` when it was the last place.
 */
export async function claimHeadcountSlot(openingId: string, deps: OpeningsDeps): Promise<number | undefined> {
  const taken = await takePlace(openingId);
  if (!taken) return undefined;
  await published(deps, taken, 'updated');
  await markFilledIfFull(openingId, deps);
  return taken.filled;
}

/** Gives a place back (a hire undone) and reopens the opening when it was filled. */
export async function releaseHeadcountSlot(openingId: string, deps: OpeningsDeps): Promise<void> {
  const freed = await givePlaceBack(openingId);
  if (freed) await published(deps, freed, 'updated');
  await markFilledIfFull(openingId, deps);
}

/**
 * Follows the hires with the status: open/paused → filled when full, filled → open when a place
 * came free. Idempotent; safe to call from any process at any time. A lost race (the opening moved
 * meanwhile: another hire, an employer action) is judged again on what is there now. Returns the
 * opening as it is afterwards (null when it is gone).
 */
export async function markFilledIfFull(openingId: string, deps: OpeningsDeps): Promise<Opening | null> {
  for (let attempt = 0; attempt < 8; attempt++) {
    const current = await findOpeningById(openingId);
    if (!current) return null;
    const status = statusForHires(current.status, current.filled, current.headcount);
    if (status === current.status) return current;
    const updated = await changeStatusIfVersion(
      openingId,
      current.version,
      {},
      {
        from: current.status,
        to: status,
        action: status === 'filled' ? 'fill' : 'reopen',
        at: new Date(),
        by: 'system',
      },
    );
    if (updated) {
      await published(deps, updated, 'status');
      return updated;
    }
  }
  return findOpeningById(openingId);
}

// ---- reads for other modules (matching, indexing, sweeps) ----------------------------------------

/** What matching reads of an opening. `suitableFor` is left out on purpose: it never excludes. */
export interface OpeningForMatching {
  id: string;
  version: number;
  employerId: string;
  status: OpeningStatus;
  regionCode: string;
  regionPath: string[];
  occupationGroup: string;
  skills: { code: string; level: string }[];
  preferredTraining: string[];
  headcount: number;
  filled: number;
  wageMin: number;
  wageMax: number;
  shifts: string[];
  jobDemands: string[];
  accommodationsOffered: string[];
  dormitory: { provided: boolean; accessible: boolean };
  contractTermMonths: number;
  socialInsurance: boolean;
  startDate: string;
  updatedAt: Date;
}

function toMatchable(o: Opening): OpeningForMatching {
  return {
    id: o.id,
    version: o.version,
    employerId: o.employerId,
    status: o.status,
    regionCode: o.regionCode,
    regionPath: o.regionPath,
    occupationGroup: o.occupationGroup,
    skills: o.skills.map((s) => ({ code: s.code, level: s.level })),
    preferredTraining: o.preferredTraining,
    headcount: o.headcount,
    filled: o.filled,
    wageMin: o.wageMin,
    wageMax: o.wageMax,
    shifts: o.hours.shifts,
    jobDemands: o.jobDemands,
    accommodationsOffered: o.accommodationsOffered,
    dormitory: { provided: o.dormitory.provided, accessible: o.dormitory.accessible },
    contractTermMonths: o.contract.termMonths,
    socialInsurance: o.contract.socialInsurance,
    startDate: o.startDate,
    updatedAt: o.updatedAt,
  };
}

/**
 * Candidate openings for matching, narrowed by indexed fields: open ones with places left,
 * optionally located in `regions` (any level), requiring any of `skills`, or among `ids`. Pages in
 * `_id` order: pass the last id as `afterId` for the next page. Unscoped (workers only).
 */
export async function getOpeningsForMatching(
  filter: {
    regions?: readonly string[];
    skills?: readonly string[];
    ids?: readonly string[];
    afterId?: string;
    limit?: number;
  } = {},
): Promise<OpeningForMatching[]> {
  const found = await findOpenings(
    {
      status: 'open',
      regions: filter.regions,
      skills: filter.skills,
      ids: filter.ids,
      afterId: filter.afterId,
    },
    filter.limit ?? 500,
  );
  // `open` already implies places left (markFilledIfFull keeps them in step); checked again so a
  // lagging recount can never offer a full opening.
  return found.filter((o) => o.filled < o.headcount).map(toMatchable);
}

/** One opening as matching reads it, whatever its status (null when it does not exist). */
export async function getOpeningForMatching(id: string): Promise<OpeningForMatching | null> {
  const o = await findOpeningById(id);
  return o ? toMatchable(o) : null;
}

/** Unscoped read for workers and other services that apply their own policy. */
export async function getOpeningById(id: string): Promise<Opening | null> {
  return findOpeningById(id);
}

/** `{id, version}` of every opening (or of `ids`) in `_id` order, for sweepers and reindexing. */
export async function listOpeningVersions(
  opts: { afterId?: string; updatedSince?: Date; ids?: readonly string[]; limit?: number } = {},
): Promise<{ id: string; version: number; status: OpeningStatus }[]> {
  const found = await findOpenings(
    { afterId: opts.afterId, updatedSince: opts.updatedSince, ids: opts.ids },
    opts.limit ?? 1000,
    {
      version: 1,
      status: 1,
    },
  );
  return found.map((o) => ({ id: o.id, version: o.version, status: o.status }));
}

// ---- the search projection (indexing; see src/modules/search) ------------------------------------

/** Labels for `toSearchDocument`: reference data (cached) and the employers of this batch. */
async function searchContext(openings: readonly Opening[]): Promise<OpeningSearchContext> {
  const [names, regions, skills, accommodations] = await Promise.all([
    employerNames(openings),
    listRegions({}),
    getVocabulary('skill'),
    getVocabulary('accommodation'),
  ]);
  const regionNames = new Map(regions.map((r) => [r.code, r.zh]));
  const vocab = new Map([...skills, ...accommodations].map((v) => [`${v.kind}.${v.code}`, v]));
  return {
    employerName: (id) => names.get(id) ?? null,
    regionName: (code) => regionNames.get(code),
    label: (kind, code) => vocab.get(`${kind}.${code}`),
  };
}

/** The search documents of `openings`. */
export async function openingSearchDocuments(openings: readonly Opening[]): Promise<OpeningSearchDocument[]> {
  if (openings.length === 0) return [];
  const ctx = await searchContext(openings);
  return openings.map((o) => toSearchDocument(o, ctx));
}

/**
 * Openings by id, unscoped (workers and indexing), in `_id` order; missing ids are left out. One
 * `_id: {$in: …}` query (index lookups on `_id`).
 */
export async function getOpeningsByIds(ids: readonly string[]): Promise<Opening[]> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return [];
  return findOpenings({ ids: unique }, unique.length);
}

/** Openings changed at or after `since` (all when undefined), in `_id` order, `batchSize` at a time. */
export function openingsChangedSince(since: Date | undefined, batchSize: number): AsyncGenerator<Opening[]> {
  return streamOpenings({ updatedSince: since }, batchSize);
}

/** How many openings exist (every one is indexed, drafts included). */
export async function countAllOpenings(): Promise<number> {
  return countOpeningsInScope({}, {});
}
