/**
 * Failed-login bookkeeping (pure). Each wrong password adds one failure and, from the second on,
 * a growing delay before the answer; the `maxFailures`-th locks the account for `lockMs`, during
 * which every attempt is refused, right password or not. A success or an expired lock starts over.
 */
export interface LockoutPolicy {
  maxFailures: number;
  lockMs: number;
  slowdownMs: number;
}

export interface LoginState {
  failedLogins: number;
  lockedUntil: Date | null;
}

/** The longest a single failed attempt is held back. */
export const MAX_DELAY_MS = 4_000;

export function isLocked(state: LoginState, now: Date): boolean {
  return !!state.lockedUntil && state.lockedUntil.getTime() > now.getTime();
}

/** A lock that has run out: the counter restarts before this attempt is judged. */
export function lockExpired(state: LoginState, now: Date): boolean {
  return !!state.lockedUntil && state.lockedUntil.getTime() <= now.getTime();
}

/** After a wrong password brought the count to `failures`: lock now? until when? */
export function onFailure(
  failures: number,
  now: Date,
  policy: LockoutPolicy,
): { lockUntil: Date | null; delayMs: number } {
  const lockUntil = failures >= policy.maxFailures ? new Date(now.getTime() + policy.lockMs) : null;
  return { lockUntil, delayMs: failureDelayMs(failures, policy) };
}

/** 0 for the first failure (a typo), then slowdown × 1, 2, 4 … up to MAX_DELAY_MS. */
export function failureDelayMs(failures: number, policy: Pick<LockoutPolicy, 'slowdownMs'>): number {
  if (failures < 2 || policy.slowdownMs <= 0) return 0;
  return Math.min(MAX_DELAY_MS, policy.slowdownMs * 2 ** (failures - 2));
}

/** Seconds until the lock lifts, for `Retry-After`. */
export function retryAfterSeconds(state: LoginState, now: Date): number {
  if (!state.lockedUntil) return 0;
  return Math.max(1, Math.ceil((state.lockedUntil.getTime() - now.getTime()) / 1000));
}
