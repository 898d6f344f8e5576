import mongoose, { Schema, Types } from 'mongoose';
import { isDuplicateKey, trustedFilter, withinScope } from '../../lib/db/index.js';
import { AppError } from '../../lib/errors.js';
import { ROLES, type Role } from '../../lib/http/route.js';
import { LANGUAGES, type Language } from './language.js';

export type { Language };

const userSchema = new Schema(
  {
    username: { type: String, required: true },
    displayName: { type: String, required: true },
    organizationId: { type: Schema.Types.ObjectId, required: true },
    roles: { type: [String], enum: ROLES, required: true },
    language: { type: String, enum: LANGUAGES, required: true, default: 'zh-CN' },
    passwordHash: { type: String, required: true },
    passwordChangedAt: { type: Date, required: true },
    disabled: { type: Boolean, required: true, default: false },
    failedLogins: { type: Number, required: true, default: 0 },
    lockedUntil: { type: Date, default: null },
    lastLoginAt: { type: Date, default: null },
    version: { type: Number, required: true, default: 1 },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'users', versionKey: false },
);
userSchema.index({ username: 1 }, { unique: true });
userSchema.index({ organizationId: 1, _id: 1 });
userSchema.index({ lockedUntil: 1 });

const UserModel = mongoose.model('User', userSchema);

/** A user as services see it: never the password hash (that stays in `Credentials`). */
export interface User {
  id: string;
  username: string;
  displayName: string;
  organizationId: string;
  roles: Role[];
  language: Language;
  disabled: boolean;
  failedLogins: number;
  lockedUntil: Date | null;
  lastLoginAt: Date | null;
  passwordChangedAt: Date;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

export interface Credentials {
  user: User;
  passwordHash: string;
}

type Doc = Record<string, unknown> & { _id: unknown };

function toUser(doc: Doc): User {
  const { _id, passwordHash: _hash, organizationId, ...rest } = doc;
  return { id: String(_id), organizationId: String(organizationId), ...rest } as User;
}

const oid = (id: string) => new Types.ObjectId(id);

export async function insertUser(
  data: Pick<User, 'username' | 'displayName' | 'organizationId' | 'roles' | 'language'> & {
    passwordHash: string;
  },
  now = new Date(),
): Promise<User> {
  try {
    const doc = await UserModel.create({
      ...data,
      organizationId: oid(data.organizationId),
      passwordChangedAt: now,
      version: 1,
      createdAt: now,
      updatedAt: now,
    });
    return toUser(doc.toObject() as Doc);
  } catch (err) {
    if (isDuplicateKey(err))
      throw new AppError('duplicate', { detail: '用户名已被使用', detailEn: 'The username is taken' });
    throw err;
  }
}

export async function findUserById(id: string): Promise<User | null> {
  if (!Types.ObjectId.isValid(id)) return null;
  const doc = await UserModel.findById(id).lean();
  return doc ? toUser(doc as Doc) : null;
}

export async function findUserByUsername(username: string): Promise<User | null> {
  const doc = await UserModel.findOne({ username }).lean();
  return doc ? toUser(doc as Doc) : null;
}

export async function findCredentials(username: string): Promise<Credentials | null> {
  const doc = await UserModel.findOne({ username }).lean();
  return doc ? { user: toUser(doc as Doc), passwordHash: doc.passwordHash } : null;
}

export async function findUserInScope(id: string, scope: Record<string, unknown>): Promise<User | null> {
  const doc = await UserModel.findOne(withinScope({ _id: oid(id) }, scope)).lean();
  return doc ? toUser(doc as Doc) : null;
}

export async function listUsersInScope(
  query: { organizationId?: string; role?: Role; locked?: boolean; after?: string },
  scope: Record<string, unknown>,
  limit: number,
  now = new Date(),
): Promise<{ items: User[]; hasMore: boolean }> {
  const filter: Record<string, unknown> = {};
  if (query.organizationId) filter.organizationId = oid(query.organizationId);
  if (query.role) filter.roles = query.role;
  if (query.locked === true) filter.lockedUntil = { $gt: now };
  if (query.after) filter._id = { $gt: oid(query.after) };
  const docs = await UserModel.find(withinScope(filter, scope))
    .sort({ _id: 1 })
    .limit(limit + 1)
    .lean();
  return { items: docs.slice(0, limit).map((d) => toUser(d as Doc)), hasMore: docs.length > limit };
}

/** Conditional on the version read; null when nothing matched (gone or changed meanwhile). */
export async function updateUserIfVersion(
  id: string,
  version: number,
  set: Partial<Pick<User, 'displayName' | 'roles' | 'language' | 'disabled'>>,
  now = new Date(),
): Promise<User | null> {
  const doc = await UserModel.findOneAndUpdate(
    { _id: oid(id), version },
    { $set: { ...set, updatedAt: now }, $inc: { version: 1 } },
    { returnDocument: 'after' },
  ).lean();
  return doc ? toUser(doc as Doc) : null;
}

export async function setPasswordHash(
  id: string,
  passwordHash: string,
  now = new Date(),
): Promise<User | null> {
  const doc = await UserModel.findOneAndUpdate(
    { _id: oid(id) },
    {
      $set: { passwordHash, passwordChangedAt: now, updatedAt: now, failedLogins: 0, lockedUntil: null },
      $inc: { version: 1 },
    },
    { returnDocument: 'after' },
  ).lean();
  return doc ? toUser(doc as Doc) : null;
}

/**
 * Counts one failed attempt atomically, so parallel guesses each count, and returns the new count.
 */
export async function incrementFailedLogins(id: string): Promise<number> {
  const doc = await UserModel.findOneAndUpdate(
    { _id: oid(id) },
    { $inc: { failedLogins: 1 } },
    { returnDocument: 'after', projection: { failedLogins: 1 } },
  ).lean();
  return doc?.failedLogins ?? 0;
}

/**
 * Counts a login attempt before its password is checked, unless the account is locked or its
 * failures have reached `maxFailures`: the count with this attempt, or null. Parallel guesses thus
 * get at most `maxFailures` password checks between them; a correct password resets the count.
 */
export async function reserveLoginAttempt(
  id: string,
  maxFailures: number,
  now: Date,
): Promise<number | null> {
  const doc = await UserModel.findOneAndUpdate(
    trustedFilter({
      _id: oid(id),
      failedLogins: { $lt: maxFailures },
      $or: [{ lockedUntil: null }, { lockedUntil: { $lte: now } }],
    }),
    { $inc: { failedLogins: 1 } },
    { returnDocument: 'after', projection: { failedLogins: 1 } },
  ).lean();
  return doc ? doc.failedLogins : null;
}

/** Starts a lock unless one is already running (the first of parallel failures sets it). */
export async function lockUser(id: string, until: Date, now = new Date()): Promise<boolean> {
  const res = await UserModel.updateOne(
    trustedFilter({ _id: oid(id), $or: [{ lockedUntil: null }, { lockedUntil: { $lte: now } }] }),
    { $set: { lockedUntil: until } },
  );
  return res.modifiedCount === 1;
}

/** Clears an expired lock, conditional on the value seen so a fresh lock is never wiped. */
export async function clearExpiredLock(id: string, seen: Date): Promise<void> {
  await UserModel.updateOne(
    { _id: oid(id), lockedUntil: seen },
    { $set: { failedLogins: 0, lockedUntil: null } },
  );
}

export async function recordSuccessfulLogin(id: string, now: Date, rehash?: string): Promise<void> {
  await UserModel.updateOne(
    { _id: oid(id) },
    {
      $set: {
        failedLogins: 0,
        lockedUntil: null,
        lastLoginAt: now,
        ...(rehash ? { passwordHash: rehash } : {}),
      },
    },
  );
}

export async function unlockUser(id: string): Promise<User | null> {
  const doc = await UserModel.findOneAndUpdate(
    { _id: oid(id) },
    { $set: { failedLogins: 0, lockedUntil: null, updatedAt: new Date() }, $inc: { version: 1 } },
    { returnDocument: 'after' },
  ).lean();
  return doc ? toUser(doc as Doc) : null;
}

export async function countUsersWithRole(role: Role): Promise<number> {
  return UserModel.countDocuments({ roles: role, disabled: false });
}

/**
 * Active (not disabled) users by id and/or by organisation and role, for services that resolve
 * recipients (notifications). Unscoped: the caller decides who may be addressed.
 */
export async function findActiveUsers(q: {
  ids?: string[];
  organizationId?: string;
  role?: Role;
}): Promise<User[]> {
  const filter: Record<string, unknown> = { disabled: false };
  if (q.ids) filter._id = { $in: q.ids.filter((id) => Types.ObjectId.isValid(id)).map(oid) };
  if (q.organizationId) filter.organizationId = oid(q.organizationId);
  if (q.role) filter.roles = q.role;
  const docs = await UserModel.find(trustedFilter(filter)).limit(10_000).lean();
  return docs.map((d) => toUser(d as Doc));
}
