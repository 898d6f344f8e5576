import { describe, expect, it } from 'vitest';
import {
  failureDelayMs,
  isLocked,
  lockExpired,
  MAX_DELAY_MS,
  onFailure,
  retryAfterSeconds,
} from '../../src/modules/accounts/lockout.js';

const policy = { maxFailures: 5, lockMs: 15 * 60_000, slowdownMs: 250 };
const now = new Date('2025-03-01T08:00:00Z');

describe('lockout', () => {
  it('when failures stay below the maximum, then no lock', () => {
    expect.hasAssertions();
    for (let n = 1; n < 5; n++) expect(onFailure(n, now, policy).lockUntil).toBeNull();
  });

  it('when the fifth failure happens, then the account locks for the lock period', () => {
    expect(onFailure(5, now, policy).lockUntil).toEqual(new Date(now.getTime() + 15 * 60_000));
  });

  it('when the lock is in the future, then locked; when it has passed, then expired and not locked', () => {
    const locked = { failedLogins: 5, lockedUntil: new Date(now.getTime() + 1_000) };
    expect(isLocked(locked, now)).toBe(true);
    expect(lockExpired(locked, now)).toBe(false);
    const later = new Date(now.getTime() + 1_000);
    expect(isLocked(locked, later)).toBe(false);
    expect(lockExpired(locked, later)).toBe(true);
    expect(isLocked({ failedLogins: 0, lockedUntil: null }, now)).toBe(false);
  });

  it('when failures accumulate, then the delay is 0 for a typo and then doubles up to a cap', () => {
    expect([1, 2, 3, 4, 5].map((n) => failureDelayMs(n, policy))).toEqual([0, 250, 500, 1000, 2000]);
    expect(failureDelayMs(20, policy)).toBe(MAX_DELAY_MS);
    expect(failureDelayMs(4, { slowdownMs: 0 })).toBe(0);
  });

  it('when locked, then Retry-After counts whole seconds up, at least one', () => {
    expect(retryAfterSeconds({ failedLogins: 5, lockedUntil: new Date(now.getTime() + 1_500) }, now)).toBe(2);
    expect(retryAfterSeconds({ failedLogins: 5, lockedUntil: new Date(now.getTime() + 10) }, now)).toBe(1);
  });
});
