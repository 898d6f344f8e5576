import mongoose from 'mongoose';
import type { Logger } from '../logger.js';

/**
 * The one seam between the code and its database. The same code runs on MongoDB 7 (production)
 * and on the local substitute, mongo-java-server (development and tests; README "Local services").
 * What differs, and how the code stays within both:
 * - no transactions, change streams, collation or `$text` on the substitute: the code uses none;
 *   one-winner changes are single-document conditional updates, atomic on both;
 * - no TTL expiry on the substitute: expired sessions are deleted by the application
 *   (`purgeExpiredSessions`), never by an index;
 * - non-unique indexes are accepted but not used by the substitute: every index MongoDB needs is
 *   still declared on its schema and created by `syncIndexes`;
 * - a `$group` keyed on an array merges different arrays on the substitute: group keys are scalars;
 * - the substitute is a single server without retryable writes; they are off here too, so nothing
 *   relies on a driver retry (versions and job ids make a repeated write harmless instead).
 */

// Hardening (DESIGN §7.5): unknown filter keys throw instead of being silently dropped, and
// `sanitizeFilter` wraps any `$`-operator smuggled in through a value, so a request value can
// never widen a query.
mongoose.set('strictQuery', 'throw');
mongoose.set('sanitizeFilter', true);
// Indexes are created explicitly (syncIndexes at start-up), never lazily on first use.
mongoose.set('autoIndex', false);
mongoose.set('autoCreate', true);

export async function connectMongo(uri: string, logger: Logger): Promise<typeof mongoose> {
  const conn = mongoose.connection;
  conn.on('disconnected', () => logger.warn('mongodb disconnected'));
  conn.on('reconnected', () => logger.info('mongodb reconnected'));
  await mongoose.connect(uri, {
    serverSelectionTimeoutMS: 5_000,
    retryWrites: false,
    maxPoolSize: 20,
  });
  return mongoose;
}

/** MongoDB's code for a write a unique index refused (E11000). */
const DUPLICATE_KEY = 11000;

/** True when a unique index refused the write: the key is held already (by a racer, or a retry). */
export function isDuplicateKey(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === DUPLICATE_KEY;
}

/**
 * The write errors of an unordered bulk insert when every one is a duplicate key (those documents
 * are there already, the others were stored); null when any error is something else, or the error
 * lists none: then the caller rethrows.
 */
export function duplicateKeyWrites(err: unknown): { index: number }[] | null {
  const list = writeErrorsOf(err);
  return list.length && list.every(isDuplicateKey) ? list : null;
}

/** The per-document errors of a failed unordered bulk write (empty when it names none). */
export function writeErrorsOf(err: unknown): { index: number; code?: unknown; errmsg?: string }[] {
  type WriteError = { index: number; code?: unknown; errmsg?: string };
  // The driver's type allows one error object as well as a list.
  const raw = (err as { writeErrors?: WriteError | WriteError[] } | null)?.writeErrors;
  return Array.isArray(raw) ? raw : raw ? [raw] : [];
}

/** Creates the indexes every model declares; run at start-up by the API and by scripts. */
export async function syncIndexes(): Promise<void> {
  for (const model of Object.values(mongoose.models)) await model.syncIndexes();
}

export async function pingMongo(timeoutMs = 1_500): Promise<void> {
  const db = mongoose.connection.db;
  if (!db || mongoose.connection.readyState !== 1) throw new Error('not connected');
  await withTimeout(db.admin().command({ ping: 1 }), timeoutMs);
}

export async function disconnectMongo(): Promise<void> {
  // An intended disconnect is not worth a warning.
  mongoose.connection.removeAllListeners('disconnected');
  await mongoose.disconnect();
}

export function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    p.finally(() => clearTimeout(timer)),
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
    }),
  ]);
}

/**
 * Marks the operators of a filter built by our own code (a policy scope, a cursor bound) as
 * trusted, so `sanitizeFilter` keeps them. Never call it on anything derived from a request body
 * or query without validating every value first.
 */
export function trustedFilter(filter: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(filter)) {
    if ((key === '$and' || key === '$or' || key === '$nor') && Array.isArray(value))
      out[key] = value.map((f) => trustedFilter(f as Record<string, unknown>));
    else if (isOperatorObject(value)) out[key] = mongoose.trusted({ ...value });
    else out[key] = value;
  }
  return out;
}

function isOperatorObject(value: unknown): value is Record<string, unknown> {
  return (
    !!value &&
    typeof value === 'object' &&
    !Array.isArray(value) &&
    !(value instanceof Date) &&
    Object.keys(value).some((k) => k.startsWith('$'))
  );
}

/**
 * A query filter narrowed by a policy scope: `{ $and: [filter, scope] }`, so both hold whatever
 * keys they name (spreading them into one object would let a filter key, say `_id`, silently
 * replace the scope's condition on the same key). MongoDB's planner flattens the `$and` and uses
 * the indexes of both sides. An empty side is left out.
 */
export function withinScope(
  filter: Record<string, unknown>,
  scope: Record<string, unknown>,
): Record<string, unknown> {
  if (Object.keys(scope).length === 0) return trustedFilter(filter);
  if (Object.keys(filter).length === 0) return trustedFilter(scope);
  return trustedFilter({ $and: [filter, scope] });
}
