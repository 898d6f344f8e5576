import { describe, expect, it } from 'vitest';
import type { Actor } from '../../src/lib/auth/actor.js';
import { forbiddenFields } from '../../src/lib/auth/policy.js';
import { EVERYTHING, NOTHING } from '../../src/lib/auth/scope.js';
import {
  needsPairing,
  openingReadScope,
  openingsPolicy,
  openingWriteScope,
  pairedSupportingCodes,
} from '../../src/modules/openings/openings.policy.js';
import { PARTNERSHIP_SEED } from '../../src/modules/reference/data/partnerships.js';

const base = { userId: 'u1', organizationId: 'org1' };
const admin: Actor = { ...base, orgType: 'platform', roles: ['admin'] };
const employer: Actor = { ...base, orgType: 'employer', roles: ['employer'] };
const reviewer: Actor = {
  ...base,
  orgType: 'supporting_federation',
  roles: ['reviewer'],
  jurisdictionCode: '440600',
  partnershipScope: ['513400'],
};
const foshanStaff: Actor = { ...reviewer, roles: ['federation_staff'] };
const liangshanStaff: Actor = {
  ...base,
  orgType: 'recipient_federation',
  roles: ['federation_staff'],
  jurisdictionCode: '513400',
  partnershipScope: ['513400'],
};
const published = { status: { $in: ['open', 'paused', 'filled', 'closed'] } };
const now = new Date('2026-06-01');

describe('who reads which openings', () => {
  it('when an admin reads, then everything', () => {
    expect(openingReadScope(admin)).toBe(EVERYTHING);
    expect(openingWriteScope(admin)).toBe(EVERYTHING);
  });

  it('when an employer reads or writes, then only its own organisation’s openings, drafts included', () => {
    expect(openingReadScope(employer)).toEqual({ employerId: 'org1' });
    expect(openingWriteScope(employer)).toEqual({ employerId: 'org1' });
  });

  it('when a reviewer reads, then every published opening (never a draft) and nothing to write', () => {
    expect(openingReadScope(reviewer)).toEqual(published);
    expect(openingWriteScope(reviewer)).toBe(NOTHING);
  });

  it('when supporting federation staff read, then published openings located in their jurisdiction', () => {
    expect(openingReadScope(foshanStaff)).toEqual({ ...published, regionPath: '440600' });
  });

  it('when recipient federation staff read, then published openings in the paired supporting regions', () => {
    expect(openingReadScope(liangshanStaff, ['440600'])).toEqual({
      ...published,
      regionPath: { $in: ['440600'] },
    });
    expect(openingReadScope(liangshanStaff, [])).toBe(NOTHING);
    expect(needsPairing(liangshanStaff)).toBe(true);
    expect(needsPairing(foshanStaff)).toBe(false);
  });

  it('when a user is both staff and reviewer, then either grant suffices', () => {
    const both: Actor = { ...foshanStaff, roles: ['federation_staff', 'reviewer'] };
    expect(openingReadScope(both)).toEqual({ $or: [published, { ...published, regionPath: '440600' }] });
  });
});

describe('partner regions of a 四川 jurisdiction', () => {
  it('when 凉山 or one of its counties asks, then 佛山', () => {
    expect(pairedSupportingCodes('513400', PARTNERSHIP_SEED, now)).toEqual(['440600']);
    expect(pairedSupportingCodes('513431', PARTNERSHIP_SEED, now)).toEqual(['440600']);
  });

  it('when 甘孜 asks, then the whole of 广东 (paired at province level)', () => {
    expect(pairedSupportingCodes('513300', PARTNERSHIP_SEED, now)).toEqual(['440000']);
  });

  it('when 阿坝 asks, then every city paired with it or one of its counties', () => {
    expect(pairedSupportingCodes('513200', PARTNERSHIP_SEED, now)).toEqual([
      '330300',
      '330400',
      '330600',
      '330700',
    ]);
  });

  it('when a partnership has ended, then it no longer pairs', () => {
    const ended = [
      { supportingCode: '440600', receivingCode: '513400', from: '2016-01-01', to: '2020-12-31' },
    ];
    expect(pairedSupportingCodes('513400', ended, now)).toEqual([]);
  });
});

describe('fields each role may set', () => {
  const body = { title: 'x', employerId: 'e', status: 'open', filled: 3, version: 2 };

  it('when an employer creates, then employerId, status, filled and version are mass assignment', () => {
    expect(forbiddenFields(openingsPolicy, 'create', ['employer'], body)).toEqual([
      'employerId',
      'status',
      'filled',
      'version',
    ]);
  });

  it('when an admin creates for an employer, then employerId is allowed but status, filled, version are not', () => {
    expect(forbiddenFields(openingsPolicy, 'create', ['admin'], body)).toEqual([
      'status',
      'filled',
      'version',
    ]);
  });

  it('when anyone updates, then employerId is fixed', () => {
    expect(forbiddenFields(openingsPolicy, 'update', ['admin'], body)).toEqual([
      'employerId',
      'status',
      'filled',
      'version',
    ]);
  });
});
