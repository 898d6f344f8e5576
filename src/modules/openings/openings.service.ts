import type { Actor } from '../../lib/auth/actor.js';
import type { ScopeFilter } from '../../lib/auth/scope.js';
import { AppError } from '../../lib/errors.js';
import type { Page } from '../../lib/http/pagination.js';
import { audit } from '../audit/audit.service.js';
import { findOrganizationById } from '../orgs/orgs.service.js';
import { listPartnerships } from '../reference/reference.service.js';
import { markFilledIfFull } from './headcount.service.js';
import { type OpeningsDeps, published } from './openings.deps.js';
import { illegal, invalid, notFound, stale } from './openings.errors.js';
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
  findOpeningInScope,
  insertOpening,
  listOpeningsInScope,
  type Opening,
  type OpeningContent,
  type OpeningQuery,
  updateOpeningIfVersion,
} from './openings.repository.js';
import type {
  CreateOpeningInput,
  ListOpeningsQuery,
  OpeningFilter,
  UpdateOpeningInput,
} from './openings.schemas.js';
import { type EmployerAction, isEditable, nextStatus } from './openings.status.js';
import { getOpeningsByIds } from './search-projection.service.js';
import { contentOf, refuseExclusions, validateContent } from './validation.service.js';

export type { Opening, OpeningContent } from './openings.repository.js';
export type { OpeningStatus } from './openings.status.js';

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
