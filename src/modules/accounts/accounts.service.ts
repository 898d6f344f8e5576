import type { Config } from '../../config.js';
import type { Actor } from '../../lib/auth/actor.js';
import { invalidateSessions, sessionCache } from '../../lib/auth/session-cache.js';
import { extendContext } from '../../lib/context.js';
import { AppError, type ProblemIssue } from '../../lib/errors.js';
import { audit } from '../audit/audit.service.js';
import { ensureOrganization, findOrganizationById, type Organization } from '../orgs/orgs.service.js';
import { listPartnerships } from '../reference/reference.service.js';
import type {
  CreateUserInput,
  ListUsersQuery,
  LoginInput,
  UpdateMeInput,
  UpdateUserInput,
} from './accounts.schemas.js';
import { buildActor } from './actor.js';
import { isLocked, type LockoutPolicy, lockExpired, onFailure, retryAfterSeconds } from './lockout.js';
import {
  clearAccount,
  clearSource,
  lockSource,
  loginSource,
  reserveSourceAttempt,
  sourceLockedUntil,
} from './login-failures.repository.js';
import {
  hashPassword,
  needsRehash,
  PASSWORD_PROBLEM_TEXT,
  passwordProblems,
  verifyAgainstDummy,
  verifyPassword,
} from './password.js';
import { newSessionToken, sessionIdFor } from './session-token.js';
import {
  findSession,
  insertSession,
  purgeExpiredSessions,
  revokeSession,
  revokeUserSessions,
  type Session,
} from './sessions.repository.js';
import { rolesNotFitting, userScope } from './users.policy.js';
import {
  clearExpiredLock,
  countUsersWithRole,
  findCredentials,
  findUserById,
  findUserByUsername,
  findUserInScope,
  incrementFailedLogins,
  insertUser,
  listUsersInScope,
  lockUser,
  recordSuccessfulLogin,
  reserveLoginAttempt,
  setPasswordHash,
  type User,
  unlockUser as unlockUserRecord,
  updateUserIfVersion,
} from './users.repository.js';

export type { User } from './users.repository.js';
export { findActiveUsers, findUserById } from './users.repository.js';

type AuthConfig = Pick<Config, 'security'>;

/** Expired sessions are kept this long so their holder hears `session_expired`, then purged. */
const EXPIRED_SESSION_GRACE_MS = 7 * 24 * 3600 * 1000;

function lockoutPolicy(config: AuthConfig): LockoutPolicy & { accountMaxFailures: number } {
  const l = config.security.login;
  return {
    maxFailures: l.maxFailures,
    accountMaxFailures: l.accountMaxFailures,
    lockMs: l.lockMinutes * 60_000,
    slowdownMs: l.slowdownMs,
  };
}

const sleep = (ms: number) => (ms > 0 ? new Promise((r) => setTimeout(r, ms)) : Promise.resolve());

const invalidCredentials = () => new AppError('invalid_credentials');

function invalid(issues: ProblemIssue[]): AppError {
  return new AppError('validation_failed', {
    detail: `字段 ${issues.map((i) => i.path).join(', ')} 不符合要求`,
    detailEn: `Invalid field(s): ${issues.map((i) => i.path).join(', ')}`,
    issues,
  });
}

/** Refuses a weak password, naming the field and every reason. */
export function assertStrongPassword(password: string, username: string, field: string): void {
  const problems = passwordProblems(password, { username });
  if (problems.length)
    throw new AppError('validation_failed', {
      detail: `密码不符合要求：${problems.map((p) => PASSWORD_PROBLEM_TEXT[p].zh).join('；')}`,
      detailEn: `The password is too weak: ${problems.map((p) => PASSWORD_PROBLEM_TEXT[p].en).join('; ')}`,
      issues: problems.map((p) => ({
        path: field,
        code: `weak_password.${p}`,
        message: PASSWORD_PROBLEM_TEXT[p].en,
      })),
    });
}

export interface ResolvedSession {
  actor: Actor;
  session: Session;
  user: User;
  organization: Organization;
}

async function actorFor(user: User, org: Organization, now: Date): Promise<Actor> {
  // Partnerships matter only to supporting federations; everyone else is spared the lookup.
  const partnerships = org.type === 'supporting_federation' ? await listPartnerships() : [];
  return buildActor(user, org, partnerships, now);
}

/**
 * The session behind a bearer token, with its actor. User, roles and organisation come from MongoDB
 * or from the session cache, which every change to them empties in every API process at once
 * (session-cache.ts), so a role change, a disabled account or a moved jurisdiction applies at once.
 */
export async function resolveSession(
  config: AuthConfig,
  token: string,
  now = new Date(),
): Promise<ResolvedSession> {
  return resolveSessionById(sessionIdFor(token, config.security.sessionSecret), now);
}

/**
 * The same check from the stored session id (never the token, which the server does not keep):
 * for surfaces that cannot send a bearer token, such as the queue dashboard's cookie, so that a
 * sign-out, an expiry or a lost admin role ends their access at the next request too.
 */
export async function resolveSessionById(sessionId: string, now = new Date()): Promise<ResolvedSession> {
  const cache = sessionCache();
  const cached = cache?.get(sessionId, now.getTime()) as ResolvedSession | undefined;
  if (cached) {
    if (cached.session.expiresAt.getTime() <= now.getTime()) throw new AppError('session_expired');
    return cached;
  }
  const begunAt = cache?.begin() ?? 0;
  const session = await findSession(sessionId);
  if (!session || session.revokedAt) throw new AppError('unauthenticated');
  if (session.expiresAt.getTime() <= now.getTime()) throw new AppError('session_expired');
  const [user, organization] = await Promise.all([
    findUserById(session.userId),
    findOrganizationById(session.organizationId),
  ]);
  if (!user || user.disabled || !organization || user.organizationId !== organization.id)
    throw new AppError('unauthenticated');
  const resolved = { actor: await actorFor(user, organization, now), session, user, organization };
  cache?.set(sessionId, resolved, { userId: user.id, organizationId: organization.id }, begunAt);
  return resolved;
}

export function presentMe(r: {
  user: User;
  organization: Organization;
  actor: Actor;
  session: Pick<Session, 'expiresAt'>;
}) {
  return {
    user: {
      id: r.user.id,
      username: r.user.username,
      displayName: r.user.displayName,
      roles: r.actor.roles,
      language: r.user.language,
    },
    organization: {
      id: r.organization.id,
      type: r.organization.type,
      name: r.organization.name,
      jurisdictionCode: r.organization.jurisdictionCode ?? null,
    },
    scope: {
      jurisdictionCode: r.actor.jurisdictionCode ?? null,
      partnershipScope: r.actor.partnershipScope ?? null,
    },
    session: { expiresAt: r.session.expiresAt.toISOString() },
  };
}

/** Creates a session for a user (login, and test fixtures). Returns the token: shown once, never stored. */
export async function issueSession(
  config: AuthConfig,
  user: Pick<User, 'id' | 'organizationId'>,
  now = new Date(),
): Promise<{ token: string; session: Session }> {
  const token = newSessionToken();
  const session: Session = {
    id: sessionIdFor(token, config.security.sessionSecret),
    userId: user.id,
    organizationId: user.organizationId,
    createdAt: now,
    expiresAt: new Date(now.getTime() + config.security.sessionTtlMinutes * 60_000),
    revokedAt: null,
  };
  await insertSession(session);
  return { token, session };
}

/**
 * Locked, for a username as typed from an address or for an account: one answer whichever it is,
 * and whether the username exists or not (only `Retry-After` says how long).
 */
function lockedProblem(until: Date, at: Date): AppError {
  return new AppError('account_locked', {
    headers: { 'Retry-After': String(retryAfterSeconds({ failedLogins: 0, lockedUntil: until }, at)) },
  });
}

type Who = { userId: string; organizationId: string; roles: string[] } | Record<string, never>;
type LoginResource = { type: string; id: string } | undefined;

async function refuseIfLocked(
  u: { failedLogins: number; lockedUntil: Date | null },
  at: Date,
  resource: LoginResource,
  who: Who,
): Promise<void> {
  if (!isLocked(u, at)) return;
  await audit.record({ action: 'auth.login', outcome: 'denied', reason: 'locked', resource, actor: who });
  throw lockedProblem(u.lockedUntil!, at);
}

/**
 * Password login with lock-out per (username as typed, client address): `LOGIN_MAX_FAILURES`
 * wrong passwords lock that pair only, so a stranger elsewhere cannot lock staff out; an unknown
 * username is counted and locked the same way and costs a password check too, so answers and
 * timing do not tell whether it exists. All addresses together lock the account itself at the
 * much higher `LOGIN_ACCOUNT_MAX_FAILURES`. Every outcome is audited (with the address).
 */
export async function login(config: AuthConfig, input: LoginInput, ip?: string) {
  const now = new Date();
  const policy = lockoutPolicy(config);
  const creds = await findCredentials(input.username);
  const who: Who = creds
    ? { userId: creds.user.id, organizationId: creds.user.organizationId, roles: creds.user.roles }
    : {};
  const resource: LoginResource = creds ? { type: 'user', id: creds.user.id } : undefined;
  const source = loginSource(config.security.sessionSecret, input.username, ip, creds?.user.id ?? null);
  const at = new Date();
  // Counted before the password is checked (one conditional update), so parallel guesses from one
  // address cannot check more passwords than the limit allows; a success starts the pair over.
  const reserved = await reserveSourceAttempt(source, policy.maxFailures, policy.lockMs, at);
  if ('locked' in reserved) {
    let until = reserved.locked;
    if (!until) {
      // The attempts are used up by guesses still being checked: the pair locks now.
      until = new Date(at.getTime() + policy.lockMs);
      if (await lockSource(source, until, at))
        await audit.record({ action: 'auth.lockout', reason: 'too_many_failures', resource, actor: who });
    }
    await audit.record({ action: 'auth.login', outcome: 'denied', reason: 'locked', resource, actor: who });
    throw lockedProblem(until, at);
  }
  const failed = async () => {
    const { lockUntil, delayMs } = onFailure(reserved.failures, at, policy);
    if (lockUntil && (await lockSource(source, lockUntil, at)))
      await audit.record({ action: 'auth.lockout', reason: 'too_many_failures', resource, actor: who });
    await sleep(delayMs);
    return invalidCredentials();
  };
  if (!creds) {
    await verifyAgainstDummy(input.password);
    await audit.record({ action: 'auth.login', outcome: 'failure', reason: 'unknown_user', actor: {} });
    throw await failed();
  }
  let user = creds.user;
  if (lockExpired(user, at)) {
    await clearExpiredLock(user.id, user.lockedUntil!);
    user = { ...user, failedLogins: 0, lockedUntil: null };
  }
  await refuseIfLocked(user, at, resource, who);
  const accountFailures = await reserveLoginAttempt(user.id, policy.accountMaxFailures, at);
  if (accountFailures === null) {
    const until = new Date(at.getTime() + policy.lockMs);
    if (await lockUser(user.id, until, at))
      await audit.record({ action: 'auth.lockout', reason: 'account_ceiling', resource, actor: who });
    await refuseIfLocked((await findCredentials(input.username))?.user ?? user, at, resource, who);
    throw invalidCredentials();
  }
  if (!(await verifyPassword(creds.passwordHash, input.password))) {
    await audit.record({
      action: 'auth.login',
      outcome: 'failure',
      reason: 'wrong_password',
      resource,
      actor: who,
    });
    if (
      accountFailures >= policy.accountMaxFailures &&
      (await lockUser(user.id, new Date(at.getTime() + policy.lockMs), at))
    )
      await audit.record({ action: 'auth.lockout', reason: 'account_ceiling', resource, actor: who });
    throw await failed();
  }
  // A parallel guess may have locked the pair or the account while this password was being checked.
  const lockedMeanwhile = await sourceLockedUntil(source, new Date());
  if (lockedMeanwhile) {
    await audit.record({ action: 'auth.login', outcome: 'denied', reason: 'locked', resource, actor: who });
    throw lockedProblem(lockedMeanwhile, new Date());
  }
  const after = await findCredentials(input.username);
  if (after) await refuseIfLocked(after.user, new Date(), resource, who);
  if (user.disabled) {
    await audit.record({ action: 'auth.login', outcome: 'denied', reason: 'disabled', resource, actor: who });
    throw invalidCredentials();
  }
  const organization = await findOrganizationById(user.organizationId);
  if (!organization) throw invalidCredentials();

  const { token, session } = await issueSession(config, user, now);
  await clearSource(source, now);
  await recordSuccessfulLogin(
    user.id,
    now,
    needsRehash(creds.passwordHash) ? await hashPassword(input.password) : undefined,
  );
  extendContext({ userId: user.id, organizationId: user.organizationId, roles: user.roles });
  await audit.record({ action: 'auth.login', resource, actor: who });
  await purgeExpiredSessions(now, EXPIRED_SESSION_GRACE_MS);
  const actor = await actorFor(user, organization, now);
  return {
    token,
    tokenType: 'Bearer' as const,
    expiresAt: session.expiresAt.toISOString(),
    me: presentMe({ user, organization, actor, session }),
  };
}

export async function logout(sessionId: string): Promise<void> {
  await revokeSession(sessionId, 'logout');
  await invalidateSessions({ kind: 'session', id: sessionId });
  await audit.record({ action: 'auth.logout', resource: { type: 'session' } });
}

export async function updateMe(actor: Actor, input: UpdateMeInput): Promise<User> {
  const current = await findUserById(actor.userId);
  if (!current) throw new AppError('unauthenticated');
  const updated = await updateUserIfVersion(current.id, current.version, input);
  if (!updated) throw new AppError('conflict');
  await invalidateSessions({ kind: 'user', id: actor.userId });
  await audit.record({
    action: 'user.update',
    resource: { type: 'user', id: actor.userId },
    fields: Object.keys(input),
  });
  return updated;
}

/**
 * A wrong current password counts as a failed login (a stolen session must not become a free
 * password-guessing oracle); other sessions of the user are revoked after a change.
 */
export async function changePassword(
  config: AuthConfig,
  actor: Actor,
  sessionId: string,
  input: { currentPassword: string; newPassword: string },
): Promise<void> {
  const current = await findUserById(actor.userId);
  if (!current) throw new AppError('unauthenticated');
  const creds = await findCredentials(current.username);
  const resource = { type: 'user', id: actor.userId };
  if (!creds || !(await verifyPassword(creds.passwordHash, input.currentPassword))) {
    const now = new Date();
    const failures = await incrementFailedLogins(actor.userId);
    const { lockUntil, delayMs } = onFailure(failures, now, lockoutPolicy(config));
    await audit.record({
      action: 'auth.password_change',
      outcome: 'failure',
      reason: 'wrong_password',
      resource,
    });
    if (lockUntil && (await lockUser(actor.userId, lockUntil, now))) {
      await invalidateSessions({ kind: 'user', id: actor.userId });
      await audit.record({ action: 'auth.lockout', reason: 'too_many_failures', resource });
    }
    await sleep(delayMs);
    throw invalid([
      { path: 'body.currentPassword', code: 'wrong_password', message: 'the current password is wrong' },
    ]);
  }
  assertStrongPassword(input.newPassword, current.username, 'body.newPassword');
  await setPasswordHash(actor.userId, await hashPassword(input.newPassword));
  await revokeUserSessions(actor.userId, 'password_change', sessionId);
  await invalidateSessions({ kind: 'user', id: actor.userId });
  await audit.record({ action: 'auth.password_change', resource, fields: ['password'] });
}

// ---------------------------------------------------------------- admin: users

export function presentUser(u: User, now = new Date()) {
  return {
    id: u.id,
    username: u.username,
    displayName: u.displayName,
    organizationId: u.organizationId,
    roles: u.roles,
    language: u.language,
    disabled: u.disabled,
    locked: isLocked(u, now),
    lockedUntil: u.lockedUntil && isLocked(u, now) ? u.lockedUntil.toISOString() : null,
    failedLogins: u.failedLogins,
    lastLoginAt: u.lastLoginAt?.toISOString() ?? null,
    passwordChangedAt: u.passwordChangedAt.toISOString(),
    version: u.version,
    createdAt: u.createdAt.toISOString(),
    updatedAt: u.updatedAt.toISOString(),
  };
}

const userNotFound = () => new AppError('not_found', { detail: '用户不存在', detailEn: 'No such user' });

function rolesFit(org: Organization, roles: User['roles']): void {
  const bad = rolesNotFitting(org.type, roles);
  if (bad.length)
    throw invalid([
      {
        path: 'body.roles',
        code: 'role_not_allowed',
        message: `${bad.join(', ')} cannot be held in a ${org.type} organisation`,
      },
    ]);
}

export async function createUser(_actor: Actor, input: CreateUserInput): Promise<User> {
  const org = await findOrganizationById(input.organizationId);
  if (!org)
    throw invalid([
      { path: 'body.organizationId', code: 'unknown_organization', message: 'no such organisation' },
    ]);
  rolesFit(org, input.roles);
  assertStrongPassword(input.password, input.username, 'body.password');
  const user = await insertUser({
    username: input.username,
    displayName: input.displayName,
    organizationId: org.id,
    roles: input.roles,
    language: input.language,
    passwordHash: await hashPassword(input.password),
  });
  await audit.record({
    action: 'user.create',
    resource: { type: 'user', id: user.id },
    fields: Object.keys(input).filter((k) => k !== 'password'),
  });
  await audit.record({
    action: 'user.permission_change',
    resource: { type: 'user', id: user.id },
    fields: ['roles'],
  });
  return user;
}

export async function getUser(actor: Actor, id: string): Promise<User> {
  const user = await findUserInScope(id, userScope(actor));
  if (!user) throw userNotFound();
  return user;
}

export async function listUsers(actor: Actor, q: ListUsersQuery) {
  const { items, hasMore } = await listUsersInScope(
    { organizationId: q.organizationId, role: q.role, locked: q.locked, after: q.cursor },
    userScope(actor),
    q.limit,
  );
  return { items, nextCursor: hasMore ? (items.at(-1)?.id ?? null) : null };
}

/** Changing roles or disabling is a permission change; the last active admin cannot lose either. */
export async function updateUser(
  actor: Actor,
  id: string,
  version: number,
  input: UpdateUserInput,
): Promise<User> {
  const current = await getUser(actor, id);
  const org = await findOrganizationById(current.organizationId);
  if (!org) throw userNotFound();
  if (input.roles) rolesFit(org, input.roles);
  const losesAdmin =
    current.roles.includes('admin') &&
    !current.disabled &&
    ((input.roles && !input.roles.includes('admin')) || input.disabled === true);
  if (losesAdmin && (await countUsersWithRole('admin')) <= 1)
    throw new AppError('conflict', {
      detail: '不能停用或降级最后一位管理员',
      detailEn: 'The last active admin cannot be disabled or lose the admin role',
    });

  const updated = await updateUserIfVersion(id, version, input);
  if (!updated) {
    const fresh = await findUserById(id);
    if (fresh) throw new AppError('precondition_failed', { extra: { currentVersion: fresh.version } });
    throw userNotFound();
  }
  if (updated.disabled && !current.disabled) await revokeUserSessions(id, 'disabled');
  await invalidateSessions({ kind: 'user', id });

  const resource = { type: 'user', id };
  const permissionFields = Object.keys(input).filter((k) => k === 'roles' || k === 'disabled');
  const otherFields = Object.keys(input).filter((k) => k !== 'roles' && k !== 'disabled');
  if (permissionFields.length)
    await audit.record({ action: 'user.permission_change', resource, fields: permissionFields });
  if (otherFields.length) await audit.record({ action: 'user.update', resource, fields: otherFields });
  return updated;
}

/** Sets a new password chosen by an admin, clears any lock and ends every session of the user. */
export async function resetPassword(actor: Actor, id: string, password: string): Promise<User> {
  const current = await getUser(actor, id);
  assertStrongPassword(password, current.username, 'body.password');
  const updated = await setPasswordHash(id, await hashPassword(password));
  if (!updated) throw userNotFound();
  await clearAccount(id);
  await revokeUserSessions(id, 'password_reset');
  await invalidateSessions({ kind: 'user', id });
  await audit.record({ action: 'user.password_reset', resource: { type: 'user', id }, fields: ['password'] });
  return updated;
}

export async function unlockUser(actor: Actor, id: string): Promise<User> {
  const current = await getUser(actor, id);
  const updated = await unlockUserRecord(current.id);
  if (!updated) throw userNotFound();
  // Every address locked out of the account, too.
  await clearAccount(current.id);
  await invalidateSessions({ kind: 'user', id: current.id });
  await audit.record({
    action: 'user.unlock',
    resource: { type: 'user', id },
    fields: ['lockedUntil', 'failedLogins'],
  });
  return updated;
}

// ---------------------------------------------------------------- bootstrap

export const PLATFORM_ORG_NAME = '同心平台';

/**
 * The first admin and the platform organisation, for `npm run create-admin`. Idempotent: an
 * existing admin of that username is left as it is (its password is not reset).
 */
export async function ensureAdmin(input: {
  username: string;
  password: string;
  displayName: string;
  platformName?: string;
}): Promise<{ user: User; created: boolean }> {
  const username = input.username.trim().toLowerCase();
  const { org } = await ensureOrganization({
    type: 'platform',
    name: input.platformName ?? PLATFORM_ORG_NAME,
  });
  const existing = await findUserByUsername(username);
  if (existing) {
    if (!existing.roles.includes('admin') || existing.organizationId !== org.id)
      throw new AppError('conflict', {
        detail: `用户名 ${username} 已被非管理员账户使用`,
        detailEn: `The username ${username} belongs to an account that is not a platform admin`,
      });
    return { user: existing, created: false };
  }
  assertStrongPassword(input.password, username, 'password');
  const user = await insertUser({
    username,
    displayName: input.displayName,
    organizationId: org.id,
    roles: ['admin'],
    language: 'zh-CN',
    passwordHash: await hashPassword(input.password),
  });
  const system = { actor: {} };
  await audit.record({
    ...system,
    action: 'user.create',
    resource: { type: 'user', id: user.id },
    reason: 'bootstrap',
  });
  await audit.record({
    ...system,
    action: 'user.permission_change',
    resource: { type: 'user', id: user.id },
    fields: ['roles'],
  });
  return { user, created: true };
}
