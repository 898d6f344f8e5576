import { isWithin, levelOf, provinceOf } from '../regions.js';
import type { Actor } from './actor.js';

/**
 * Pure scope builders (no I/O). Records that belong to a region carry the region's code and all
 * its ancestors in one array field (see `regionPath`), so a prefecture code in a scope matches the
 * prefecture's own records and those of its counties with one indexed equality/`$in`.
 */

export type RegionScope = { kind: 'all' } | { kind: 'regions'; codes: string[] } | { kind: 'none' };

/** A MongoDB filter built only from the actor. Repositories trust it (see `trustedFilter`). */
export type ScopeFilter = Record<string, unknown>;

/** Matches no document: `_id` is never in an empty list. */
export const NOTHING: ScopeFilter = Object.freeze({ _id: { $in: [] } });
export const EVERYTHING: ScopeFilter = Object.freeze({});

/** `513422` → `['510000', '513400', '513422']`: the code with its ancestors, for a `regionPath` field. */
export function regionPath(code: string): string[] {
  const level = levelOf(code);
  if (level === 'province') return [code];
  const prefecture = `${code.slice(0, 4)}00`;
  if (level === 'prefecture') return [provinceOf(code), code];
  return [provinceOf(code), prefecture, code];
}

/**
 * Where a federation's staff may see and edit records registered in a region: a county federation
 * its county, a prefecture federation its prefecture and counties. Admins see everything; roles
 * without a jurisdiction see nothing through this scope.
 */
export function jurisdictionScope(actor: Actor): RegionScope {
  if (actor.roles.includes('admin')) return { kind: 'all' };
  if (actor.orgType === 'recipient_federation' && actor.jurisdictionCode)
    return { kind: 'regions', codes: [actor.jurisdictionCode] };
  return { kind: 'none' };
}

/**
 * Receiving regions a reviewer (either side) or a supporting federation works on: the partnership
 * pairs of its supporting city, or a recipient federation's own jurisdiction.
 */
export function partnershipScope(actor: Actor): RegionScope {
  if (actor.roles.includes('admin')) return { kind: 'all' };
  const codes = actor.partnershipScope ?? [];
  return codes.length ? { kind: 'regions', codes: [...codes] } : { kind: 'none' };
}

/** The receiving regions paired with a supporting region (city, or a province covering its cities). */
export function partnershipCodesFor(
  supportingJurisdiction: string,
  partnerships: readonly { supportingCode: string; receivingCode: string; from?: unknown; to?: unknown }[],
  now: Date,
): string[] {
  const codes = new Set<string>();
  for (const p of partnerships) {
    if (!isWithin(p.supportingCode, supportingJurisdiction)) continue;
    if (!isActive(p, now)) continue;
    codes.add(p.receivingCode);
  }
  return [...codes].sort();
}

function toDate(value: unknown): Date | undefined {
  if (value === null || value === undefined || value === '') return undefined;
  const d = value instanceof Date ? value : new Date(String(value));
  return Number.isNaN(d.getTime()) ? undefined : d;
}

/** A partnership without an end is ongoing; one that has not started yet grants nothing. */
export function isActive(p: { from?: unknown; to?: unknown }, now: Date): boolean {
  const from = toDate(p.from);
  const to = toDate(p.to);
  if (from && now < from) return false;
  if (to && now > endOfDay(to)) return false;
  return true;
}

function endOfDay(d: Date): Date {
  return new Date(d.getTime() + 24 * 3600 * 1000 - 1);
}

/** Turns a region scope into a filter on a `regionPath`-style field. */
export function regionScopeFilter(scope: RegionScope, field = 'regionPath'): ScopeFilter {
  switch (scope.kind) {
    case 'all':
      return EVERYTHING;
    case 'none':
      return NOTHING;
    case 'regions':
      return scope.codes.length ? { [field]: { $in: [...scope.codes] } } : NOTHING;
  }
}

/** The same decision for one code in memory (a record already loaded, a value about to be written). */
export function inRegionScope(scope: RegionScope, code: string | undefined | null): boolean {
  if (scope.kind === 'all') return true;
  if (scope.kind === 'none' || !code) return false;
  return scope.codes.some((ancestor) => isWithin(code, ancestor));
}

/**
 * Employers see only their own organisation's records (openings, matches proposed to them).
 * Admins see all; everyone else sees nothing through this scope.
 */
export function ownOrganizationScope(actor: Actor, field = 'employerId'): ScopeFilter {
  if (actor.roles.includes('admin')) return EVERYTHING;
  if (actor.orgType === 'employer') return { [field]: actor.organizationId };
  return NOTHING;
}

/** Several scopes that each grant visibility: a record visible through any of them is visible. */
export function anyOf(...filters: ScopeFilter[]): ScopeFilter {
  if (filters.some((f) => Object.keys(f).length === 0)) return EVERYTHING;
  const useful = filters.filter((f) => f !== NOTHING);
  if (useful.length === 0) return NOTHING;
  if (useful.length === 1) return useful[0]!;
  return { $or: useful };
}
