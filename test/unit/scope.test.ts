import { describe, expect, it } from 'vitest';
import type { Actor } from '../../src/lib/auth/actor.js';
import {
  anyOf,
  EVERYTHING,
  inRegionScope,
  isActive,
  jurisdictionScope,
  NOTHING,
  ownOrganizationScope,
  partnershipCodesFor,
  partnershipScope,
  regionPath,
  regionScopeFilter,
} from '../../src/lib/auth/scope.js';
import { buildActor } from '../../src/modules/accounts/actor.js';

const base = { userId: 'u1', organizationId: 'o1' };
const admin: Actor = { ...base, orgType: 'platform', roles: ['admin'] };
const ganziPrefecture: Actor = {
  ...base,
  orgType: 'recipient_federation',
  roles: ['federation_staff'],
  jurisdictionCode: '513300',
};
const zhaojueCounty: Actor = {
  ...base,
  orgType: 'recipient_federation',
  roles: ['federation_staff'],
  jurisdictionCode: '513431',
};
const employer: Actor = { ...base, orgType: 'employer', roles: ['employer'] };
const foshanReviewer: Actor = {
  ...base,
  orgType: 'supporting_federation',
  roles: ['reviewer'],
  jurisdictionCode: '440600',
  partnershipScope: ['513400'],
};

const partnerships = [
  { supportingCode: '440600', receivingCode: '513400', from: '2016-01-01', to: null }, // 佛山 → 凉山
  { supportingCode: '330300', receivingCode: '511300', from: '2016-01-01', to: null }, // 温州 → 南充
  { supportingCode: '330300', receivingCode: '513231', from: '2016-01-01', to: null }, // 温州 → 阿坝县
  { supportingCode: '330500', receivingCode: '511600', from: '2016-01-01', to: '2020-12-31' }, // 湖州 → 广安
];
const now = new Date('2025-06-01T00:00:00Z');

describe('regionPath', () => {
  it('when given a county, prefecture or province, then it lists the code with its ancestors', () => {
    expect(regionPath('513431')).toEqual(['510000', '513400', '513431']);
    expect(regionPath('513400')).toEqual(['510000', '513400']);
    expect(regionPath('510000')).toEqual(['510000']);
  });
});

describe('jurisdictionScope', () => {
  it('when a prefecture federation asks, then its prefecture (and so its counties) is the scope', () => {
    const scope = jurisdictionScope(ganziPrefecture);
    expect(scope).toEqual({ kind: 'regions', codes: ['513300'] });
    expect(inRegionScope(scope, '513300')).toBe(true);
    expect(inRegionScope(scope, '513321')).toBe(true); // a 甘孜 county
    expect(inRegionScope(scope, '513431')).toBe(false); // 昭觉, in 凉山
    expect(regionScopeFilter(scope)).toEqual({ regionPath: { $in: ['513300'] } });
  });

  it('when a county federation asks, then only its county', () => {
    const scope = jurisdictionScope(zhaojueCounty);
    expect(inRegionScope(scope, '513431')).toBe(true);
    expect(inRegionScope(scope, '513400')).toBe(false);
    expect(inRegionScope(scope, '513432')).toBe(false);
  });

  it('when an admin asks, then everything; an employer or a supporting reviewer, then nothing', () => {
    expect(regionScopeFilter(jurisdictionScope(admin))).toEqual(EVERYTHING);
    expect(regionScopeFilter(jurisdictionScope(employer))).toBe(NOTHING);
    expect(regionScopeFilter(jurisdictionScope(foshanReviewer))).toBe(NOTHING);
    expect(inRegionScope(jurisdictionScope(employer), '513400')).toBe(false);
  });
});

describe('partnership scope', () => {
  it('when a supporting city is given, then the receiving regions it is paired with, active ones only', () => {
    expect(partnershipCodesFor('330300', partnerships, now)).toEqual(['511300', '513231']);
    expect(partnershipCodesFor('330500', partnerships, now)).toEqual([]); // ended 2020
    expect(partnershipCodesFor('330500', partnerships, new Date('2019-01-01'))).toEqual(['511600']);
  });

  it('when the supporting federation is a province, then the pairs of all its cities', () => {
    expect(partnershipCodesFor('330000', partnerships, now)).toEqual(['511300', '513231']);
    expect(partnershipCodesFor('440000', partnerships, now)).toEqual(['513400']);
  });

  it('when a partnership has not started, then it grants nothing', () => {
    expect(isActive({ from: '2030-01-01', to: null }, now)).toBe(false);
    expect(isActive({ from: null, to: '2025-06-01' }, now)).toBe(true); // the last day counts
  });

  it('when a reviewer asks, then its partnership scope; with none, nothing', () => {
    expect(partnershipScope(foshanReviewer)).toEqual({ kind: 'regions', codes: ['513400'] });
    expect(partnershipScope({ ...foshanReviewer, partnershipScope: [] })).toEqual({ kind: 'none' });
    expect(partnershipScope(admin)).toEqual({ kind: 'all' });
  });
});

describe('ownOrganizationScope and anyOf', () => {
  it('when an employer asks, then only its organisation; others nothing; admins all', () => {
    expect(ownOrganizationScope(employer)).toEqual({ employerId: 'o1' });
    expect(ownOrganizationScope(ganziPrefecture)).toBe(NOTHING);
    expect(ownOrganizationScope(admin)).toEqual(EVERYTHING);
  });

  it('when scopes are combined, then nothing drops out and everything wins', () => {
    expect(anyOf(NOTHING, NOTHING)).toBe(NOTHING);
    expect(anyOf(NOTHING, { a: 1 })).toEqual({ a: 1 });
    expect(anyOf({ a: 1 }, { b: 2 })).toEqual({ $or: [{ a: 1 }, { b: 2 }] });
    expect(anyOf({ a: 1 }, EVERYTHING)).toEqual(EVERYTHING);
  });
});

describe('buildActor', () => {
  const org = (
    type: 'recipient_federation' | 'supporting_federation' | 'employer' | 'platform',
    code?: string,
  ) => ({
    id: 'o1',
    type,
    jurisdictionCode: code,
  });

  it('when a supporting-side reviewer signs in, then the partnership scope comes from its city', () => {
    const a = buildActor(
      { id: 'u1', roles: ['reviewer'] },
      org('supporting_federation', '330300'),
      partnerships,
      now,
    );
    expect(a.partnershipScope).toEqual(['511300', '513231']);
    expect(a.jurisdictionCode).toBe('330300');
  });

  it('when a recipient-side reviewer signs in, then its own jurisdiction is its partnership scope', () => {
    const a = buildActor(
      { id: 'u1', roles: ['reviewer'] },
      org('recipient_federation', '513400'),
      partnerships,
      now,
    );
    expect(a.partnershipScope).toEqual(['513400']);
  });

  it('when a stored role does not fit the organisation type, then it is dropped', () => {
    const a = buildActor({ id: 'u1', roles: ['employer', 'admin'] }, org('employer'), [], now);
    expect(a.roles).toEqual(['employer']);
  });
});
