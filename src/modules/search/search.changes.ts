import { QueueEvents } from 'bullmq';
import { JOBS, type JobName, jobId } from '../../jobs/catalogue.js';
import { CHANGE_SUBSCRIBERS, type ChangedEntity } from '../../jobs/changes.js';
import type { Logger } from '../../lib/logger.js';
import { createWorkerConnection } from '../../lib/redis.js';

/**
 * The change events every process already publishes (src/jobs/changes.ts), read back by the API
 * that holds the embedded engine: each change adds a job `search.index-*` keyed by entity, id and
 * version to the `search` queue, and BullMQ records every add in the queue's event stream. Reading
 * that stream (QueueEvents) tells this process which documents changed anywhere — the worker,
 * scripts, another API — without polling MongoDB. The jobs themselves are still completed as
 * skipped by the worker.
 *
 * The stream is read from a position, so a short disconnection loses nothing; but while Redis is
 * down publishers skip publishing (the document is its own outbox), so when the connection comes
 * back the follower is told (`onGap`) and compares what changed since the loss with MongoDB.
 */
export interface ChangeNotice {
  readonly entity: ChangedEntity;
  readonly id: string;
  readonly version: number;
}

export interface ChangeHandlers {
  onChange(change: ChangeNotice): void;
  /** Events published since `lostAt` (epoch ms) may be missing: the connection was lost then and is back. */
  onGap(lostAt: number): void;
}

export interface ChangeSubscription {
  close(): Promise<void>;
}

/** Queue job names of the search subscribers, by the entity they follow. */
const SEARCH_JOBS = new Map<string, ChangedEntity>(
  (Object.entries(CHANGE_SUBSCRIBERS) as [ChangedEntity, JobName[]][]).flatMap(([entity, jobs]) =>
    jobs.filter((job) => JOBS[job].queue === 'search').map((job) => [job, entity] as const),
  ),
);

/** `{id, version}` of a change job's id (`jobId(job, id, version)`), or null for any other job. */
export function parseChangeJobId(name: string, id: string): { id: string; version: number } | null {
  const prefix = `${jobId(name)}-`;
  if (!id.startsWith(prefix)) return null;
  const rest = id.slice(prefix.length);
  const dash = rest.lastIndexOf('-');
  const version = Number(rest.slice(dash + 1));
  if (dash <= 0 || !Number.isSafeInteger(version)) return null;
  return { id: rest.slice(0, dash), version };
}

/**
 * Reads the search queue's events from `since` (epoch ms; earlier events are covered by the
 * caller's own read of MongoDB) until closed.
 */
export function subscribeSearchChanges(
  opts: { redisUrl: string; queuePrefix: string; since: number; logger: Logger },
  handlers: ChangeHandlers,
): ChangeSubscription {
  const connection = createWorkerConnection(opts.redisUrl);
  let lostAt: number | null = null;
  let closed = false;
  connection.on('error', () => {
    // Reported by the follower's gap handling; the connection retries by itself.
  });
  connection.on('close', () => {
    if (!closed) lostAt ??= Date.now();
  });
  connection.on('ready', () => {
    if (lostAt === null || closed) return;
    const at = lostAt;
    lostAt = null;
    handlers.onGap(at);
  });
  const events = new QueueEvents('search', {
    connection,
    prefix: opts.queuePrefix,
    // Stream ids start with the time in ms; Redis' clock and ours are the same machine's or
    // close, and the caller's overlap covers a difference.
    lastEventId: `${Math.max(0, Math.floor(opts.since))}-0`,
    blockingTimeout: 2_000,
  });
  events.on('error', (err) => opts.logger.debug({ err: err.message }, 'search change events unreadable'));
  events.on('added', ({ jobId: id, name }) => {
    const entity = SEARCH_JOBS.get(name);
    const parsed = entity ? parseChangeJobId(name, id) : null;
    if (entity && parsed) handlers.onChange({ entity, ...parsed });
  });
  return {
    async close() {
      closed = true;
      await events.close().catch(() => undefined);
      connection.disconnect();
    },
  };
}
