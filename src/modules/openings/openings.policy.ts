import type { Actor } from '../../lib/auth/actor.js';
import { definePolicy } from '../../lib/auth/policy.js';
import {
  anyOf,
  EVERYTHING,
  isActive,
  NOTHING,
  ownOrganizationScope,
  type ScopeFilter,
} from '../../lib/auth/scope.js';
import { ROLES } from '../../lib/http/route.js';
import { isWithin } from '../../lib/regions.js';
import type { SearchFilter } from '../../lib/search/port.js';
import { EXCLUSION_FIELDS } from './openings.rules.js';
import { CONTENT_FIELDS } from './openings.schemas.js';
import { PUBLISHED_STATUSES } from './openings.status.js';

/**
 * Openings. Employers create, edit and move their own organisation's openings; admins may act for
 * any employer (naming it with `employerId` at creation). Everyone else only reads:
 *
 * - reviewers (of either side) read every published opening: a match of a job seeker in their
 *   partnership scope may point at any employer (the partnership pair is a score component of
 *   matching, not a constraint), and an opening holds no job seeker's data;
 * - staff of a supporting federation (浙江/广东 city or province) read the published openings
 *   located in their jurisdiction: their city's employers, whose placements they follow up;
 * - staff of a recipient federation (四川) read the published openings located in the supporting
 *   regions paired with their jurisdiction: the work their partner cities offer their job seekers.
 *
 * Drafts are the employer's alone. Anything outside the scope answers 404.
 */
const CONTENT = CONTENT_FIELDS as readonly string[];

export const openingsPolicy = definePolicy({
  resource: 'openings',
  actions: {
    list: ROLES,
    read: ROLES,
    export: ROLES,
    create: ['admin', 'employer'],
    update: ['admin', 'employer'],
    open: ['admin', 'employer'],
    pause: ['admin', 'employer'],
    close: ['admin', 'employer'],
  },
  // `status`, `filled` and `version` are never writable (they change through actions and hires);
  // `employerId` only when an admin creates on an employer's behalf. The exclusion fields are let
  // through the guard so the service can refuse them with the law's reason (openings.rules.ts).
  writable: {
    create: {
      employer: [...CONTENT, ...EXCLUSION_FIELDS],
      admin: ['employerId', ...CONTENT, ...EXCLUSION_FIELDS],
    },
    update: {
      employer: [...CONTENT, ...EXCLUSION_FIELDS],
      admin: [...CONTENT, ...EXCLUSION_FIELDS],
    },
  },
});

const published = () => ({ status: { $in: [...PUBLISHED_STATUSES] } });

/** What a caller may change: their own organisation's openings (admins: all). */
export function openingWriteScope(actor: Actor): ScopeFilter {
  return ownOrganizationScope(actor, 'employerId');
}

/**
 * One reason a caller may read an opening: it belongs to the caller's organisation, or it is
 * published (optionally: and located in one of `regions`, at any level).
 */
export type OpeningGrant =
  | { readonly kind: 'own'; readonly employerId: string }
  | { readonly kind: 'published'; readonly regions?: string | readonly string[] };

/**
 * The read rules as data (pure), rendered both as a MongoDB filter (`openingReadScope`) and as a
 * search filter (`openingSearchScope`), so lists and search cannot disagree. `'all'` for admins;
 * an empty list grants nothing. `pairedSupportingCodes`: see `pairedSupportingCodes`.
 */
export function openingReadGrants(
  actor: Actor,
  pairedSupportingCodes: readonly string[] = [],
): OpeningGrant[] | 'all' {
  if (actor.roles.includes('admin')) return 'all';
  const grants: OpeningGrant[] = [];
  if (actor.roles.includes('employer') && actor.orgType === 'employer')
    grants.push({ kind: 'own', employerId: actor.organizationId });
  if (actor.roles.includes('reviewer')) grants.push({ kind: 'published' });
  if (actor.roles.includes('federation_staff')) {
    if (actor.orgType === 'supporting_federation' && actor.jurisdictionCode)
      grants.push({ kind: 'published', regions: actor.jurisdictionCode });
    if (actor.orgType === 'recipient_federation' && pairedSupportingCodes.length)
      grants.push({ kind: 'published', regions: [...pairedSupportingCodes] });
  }
  return grants;
}

/**
 * What a caller may read (pure). `pairedSupportingCodes` are the supporting regions paired with a
 * recipient federation's jurisdiction (see `pairedSupportingCodes`); other callers ignore it.
 */
export function openingReadScope(actor: Actor, pairedSupportingCodes: readonly string[] = []): ScopeFilter {
  const grants = openingReadGrants(actor, pairedSupportingCodes);
  if (grants === 'all') return EVERYTHING;
  const filters = grants.map((g): ScopeFilter => {
    if (g.kind === 'own') return { employerId: g.employerId };
    if (g.regions === undefined) return published();
    return {
      ...published(),
      regionPath: typeof g.regions === 'string' ? g.regions : { $in: [...g.regions] },
    };
  });
  return filters.length ? anyOf(...filters) : NOTHING;
}

/** The same rules for one opening already loaded from MongoDB. */
export function openingVisibleTo(
  grants: OpeningGrant[] | 'all',
  o: { readonly employerId: string; readonly status: string; readonly regionPath: readonly string[] },
): boolean {
  if (grants === 'all') return true;
  return grants.some((g) => {
    if (g.kind === 'own') return o.employerId === g.employerId;
    if (!(PUBLISHED_STATUSES as readonly string[]).includes(o.status)) return false;
    if (g.regions === undefined) return true;
    const regions = typeof g.regions === 'string' ? [g.regions] : g.regions;
    return o.regionPath.some((c) => regions.includes(c));
  });
}

type OpeningScopeField = 'employerId' | 'status' | 'regionCodes';

/**
 * The same rules as a search filter over the `openings` index (its `regionCodes` hold the
 * workplace with its ancestors, like `regionPath`): `true` = everything, `false` = nothing.
 */
export function openingSearchScope(
  actor: Actor,
  pairedSupportingCodes: readonly string[] = [],
): SearchFilter<OpeningScopeField> | boolean {
  const grants = openingReadGrants(actor, pairedSupportingCodes);
  if (grants === 'all') return true;
  const filters = grants.map((g): SearchFilter<OpeningScopeField> => {
    if (g.kind === 'own') return { field: 'employerId', op: 'eq', value: g.employerId };
    const status: SearchFilter<OpeningScopeField> = {
      field: 'status',
      op: 'in',
      value: [...PUBLISHED_STATUSES],
    };
    if (g.regions === undefined) return status;
    const region: SearchFilter<OpeningScopeField> =
      typeof g.regions === 'string'
        ? { field: 'regionCodes', op: 'eq', value: g.regions }
        : { field: 'regionCodes', op: 'in', value: [...g.regions] };
    return { and: [status, region] };
  });
  if (filters.length === 0) return false;
  return filters.length === 1 ? filters[0]! : { or: filters };
}

/**
 * Supporting regions (浙江/广东 city or province) paired with a 四川 jurisdiction by a partnership
 * active on `now`: pairs with the jurisdiction itself, an enclosing prefecture, or a county inside
 * it (a prefecture federation sees what its counties' partners offer).
 */
export function pairedSupportingCodes(
  jurisdiction: string,
  partnerships: readonly { supportingCode: string; receivingCode: string; from?: unknown; to?: unknown }[],
  now: Date,
): string[] {
  const codes = new Set<string>();
  for (const p of partnerships) {
    if (!isActive(p, now)) continue;
    if (isWithin(jurisdiction, p.receivingCode) || isWithin(p.receivingCode, jurisdiction))
      codes.add(p.supportingCode);
  }
  return [...codes].sort();
}

/** Whether the read scope depends on partnerships (recipient federation staff). */
export function needsPairing(actor: Actor): boolean {
  return (
    !actor.roles.includes('admin') &&
    actor.roles.includes('federation_staff') &&
    actor.orgType === 'recipient_federation' &&
    !!actor.jurisdictionCode
  );
}
