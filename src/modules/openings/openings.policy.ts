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
import { isWithin } from '../reference/regions.js';
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
 * What a caller may read (pure). `pairedSupportingCodes` are the supporting regions paired with a
 * recipient federation's jurisdiction (see `pairedSupportingCodes`); other callers ignore it.
 */
export function openingReadScope(actor: Actor, pairedSupportingCodes: readonly string[] = []): ScopeFilter {
  if (actor.roles.includes('admin')) return EVERYTHING;
  const grants: ScopeFilter[] = [];
  if (actor.roles.includes('employer')) grants.push(ownOrganizationScope(actor, 'employerId'));
  if (actor.roles.includes('reviewer')) grants.push(published());
  if (actor.roles.includes('federation_staff')) {
    if (actor.orgType === 'supporting_federation' && actor.jurisdictionCode)
      grants.push({ ...published(), regionPath: actor.jurisdictionCode });
    if (actor.orgType === 'recipient_federation' && pairedSupportingCodes.length)
      grants.push({ ...published(), regionPath: { $in: [...pairedSupportingCodes] } });
  }
  return grants.length ? anyOf(...grants) : NOTHING;
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
