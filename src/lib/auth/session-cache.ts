import type { Redis } from 'ioredis';
import type { Logger } from '../logger.js';
import { createWorkerConnection } from '../redis.js';

/**
 * Resolved sessions (session, user, organisation, actor) kept in process for a few seconds, so a
 * request does not read three documents before it starts. What changes an actor drops the entries
 * at once in this process and, through Redis pub/sub, in every other API process.
 *
 * Fail safe: entries are served only while this process's subscription is confirmed. When the
 * subscriber loses Redis, the cache is emptied and bypassed (every request reads MongoDB) until it
 * has subscribed again, so an invalidation it could not hear never leaves a stale actor. A read
 * that was under way when any invalidation arrived is not stored (it may predate the change).
 */

export type Invalidation =
  | { kind: 'session'; id: string }
  | { kind: 'user'; id: string }
  | { kind: 'organization'; id: string }
  | { kind: 'all' };

interface Keys {
  userId: string;
  organizationId: string;
}

interface Entry<T> {
  value: T;
  keys: Keys;
  expiresAt: number;
}

export class SessionCache<T> {
  private readonly entries = new Map<string, Entry<T>>();
  /** Bumped by every invalidation: a read begun under an older epoch is not stored. */
  private epoch = 0;
  private live = false;

  constructor(
    readonly ttlMs: number,
    private readonly maxEntries = 10_000,
  ) {}

  /** True while invalidations from other processes are known to arrive. */
  get enabled(): boolean {
    return this.live && this.ttlMs > 0;
  }

  setLive(live: boolean): void {
    if (this.live !== live) this.clear();
    this.live = live;
  }

  get(sessionId: string, now = Date.now()): T | undefined {
    if (!this.enabled) return undefined;
    const e = this.entries.get(sessionId);
    if (!e) return undefined;
    if (e.expiresAt <= now) {
      this.entries.delete(sessionId);
      return undefined;
    }
    return e.value;
  }

  /** The epoch to hand back to `set` with what was read after this call. */
  begin(): number {
    return this.epoch;
  }

  set(sessionId: string, value: T, keys: Keys, begunAt: number, now = Date.now()): void {
    if (!this.enabled || begunAt !== this.epoch) return;
    if (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.set(sessionId, { value, keys, expiresAt: now + this.ttlMs });
  }

  apply(inv: Invalidation): void {
    this.epoch++;
    if (inv.kind === 'all') this.entries.clear();
    else if (inv.kind === 'session') this.entries.delete(inv.id);
    else {
      const field = inv.kind === 'user' ? 'userId' : 'organizationId';
      for (const [id, e] of this.entries) if (e.keys[field] === inv.id) this.entries.delete(id);
    }
  }

  clear(): void {
    this.epoch++;
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }
}

const INVALIDATION_KINDS = new Set(['session', 'user', 'organization', 'all']);

function parseInvalidation(message: string): Invalidation | null {
  try {
    const m = JSON.parse(message) as Invalidation;
    if (!INVALIDATION_KINDS.has(m.kind)) return null;
    if (m.kind !== 'all' && typeof m.id !== 'string') return null;
    return m;
  } catch {
    return null;
  }
}

/** The cache of this process; absent (every request reads MongoDB) unless the API started one. */
let active: { cache: SessionCache<unknown>; publisher: Redis; channel: string; logger: Logger } | undefined;

export function sessionCache(): SessionCache<unknown> | undefined {
  return active?.cache;
}

/**
 * Drops what `inv` names here at once, then tells the other processes. Call it after the change is
 * in MongoDB. A failed publish is logged: other processes then lack Redis too (and bypass their
 * caches) or hold the entry at most one TTL.
 */
export async function invalidateSessions(inv: Invalidation): Promise<void> {
  if (!active) return;
  const { cache, publisher, channel, logger } = active;
  cache.apply(inv);
  try {
    await publisher.publish(channel, JSON.stringify(inv));
  } catch (err) {
    logger.warn({ kind: inv.kind, err: (err as Error).message }, 'session invalidation not published');
  }
}

export interface SessionCacheHandle {
  cache: SessionCache<unknown>;
  /** Resolves once the first subscription is confirmed (the cache serves from then on). */
  subscribed: Promise<void>;
  close(): Promise<void>;
}

/**
 * Starts this process's cache: a subscriber connection of its own (a subscribed connection can do
 * nothing else) on `<prefix>:session-invalidations`; the producer connection publishes.
 */
export function startSessionCache(opts: {
  redisUrl: string;
  prefix: string;
  ttlMs: number;
  publisher: Redis;
  logger: Logger;
}): SessionCacheHandle {
  const cache = new SessionCache<unknown>(opts.ttlMs);
  const channel = `${opts.prefix}:session-invalidations`;
  const { logger } = opts;
  // Subscribed again by hand after each reconnect, so `live` follows the confirmed subscription.
  const sub = createWorkerConnection(opts.redisUrl, { autoResubscribe: false, lazyConnect: true });
  let closed = false;
  let firstSubscribed: () => void = () => undefined;
  const subscribed = new Promise<void>((r) => {
    firstSubscribed = r;
  });
  const down = () => {
    if (cache.enabled) logger.warn('session cache bypassed: invalidation subscription lost');
    cache.setLive(false);
  };
  sub.on('error', (err) => logger.warn({ err: err.message }, 'redis (session invalidations) error'));
  sub.on('close', down);
  sub.on('end', down);
  sub.on('reconnecting', down);
  sub.on('ready', () => {
    sub.subscribe(channel).then(
      () => {
        if (closed || sub.status !== 'ready') return;
        cache.setLive(true);
        firstSubscribed();
      },
      (err: Error) => {
        logger.warn({ err: err.message }, 'session invalidation subscription failed');
        sub.disconnect(true);
      },
    );
  });
  sub.on('message', (ch: string, message: string) => {
    if (ch !== channel) return;
    const inv = parseInvalidation(message);
    // Something we cannot read may have meant anything: drop everything.
    cache.apply(inv ?? { kind: 'all' });
  });
  if (opts.ttlMs > 0) sub.connect().catch(() => undefined);
  active = { cache, publisher: opts.publisher, channel, logger };
  return {
    cache,
    subscribed,
    async close() {
      closed = true;
      cache.setLive(false);
      if (active?.cache === cache) active = undefined;
      sub.disconnect();
    },
  };
}
