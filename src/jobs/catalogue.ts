import type { DefaultJobOptions } from 'bullmq';
import { z } from '../lib/zod.js';

/**
 * The job catalogue (DESIGN §7.6): every queue and every job, defined once. Payloads are ids and
 * small values, never documents or personal data — job data sits in Redis in clear text.
 * Processors live in each module's `<domain>.processors.ts` and are wired in `workers/`.
 */
export const QUEUES = {
  system: {
    description: 'Housekeeping: heartbeats and sweeps',
    concurrency: 1,
  },
  search: {
    description: 'Search index upkeep with Meilisearch: one job per change, and the sweep',
    concurrency: 4,
  },
} as const satisfies Record<string, { description: string; concurrency: number }>;

export type QueueName = keyof typeof QUEUES;

/** Retries with exponential backoff, set once for every queue (DESIGN §7.8). */
export const DEFAULT_JOB_OPTIONS: DefaultJobOptions = {
  attempts: 8,
  backoff: { type: 'exponential', delay: 1_000 },
  removeOnComplete: { age: 24 * 3600, count: 10_000 },
  // Failed jobs are kept for inspection (the queue dashboard and /metrics show them).
  removeOnFail: { age: 14 * 24 * 3600 },
};

/** What a change did (src/jobs/changes.ts); carried by every change subscriber's payload. */
export const CHANGE_KINDS = ['created', 'updated', 'deleted', 'consent', 'status', 'erased'] as const;

/** `{ id, version, kind }`: the payload of every job subscribed to changes (CHANGE_SUBSCRIBERS). */
export const changePayload = z
  .object({
    id: z.string().regex(/^[0-9a-f]{24}$/),
    version: z.number().int().min(1),
    kind: z.enum(CHANGE_KINDS),
  })
  .strict();

export const JOBS = {
  'system.claims-sweep': {
    queue: 'system',
    payload: z
      .object({
        olderThanHours: z
          .number()
          .int()
          .min(1)
          .max(24 * 30)
          .default(24),
      })
      .strict(),
  },
  'system.heartbeat': {
    queue: 'system',
    payload: z
      .object({ reason: z.enum(['schedule', 'manual', 'test']), token: z.string().max(64).optional() })
      .strict(),
  },
  /** Brings one opening's search document up to date (re-reads MongoDB; Meilisearch mode). */
  'search.index-opening': { queue: 'search', payload: changePayload },
  /**
   * Compares MongoDB with the search engine and writes whatever lags: documents changed since the
   * last sweep (with an overlap), or all of them when `full` or when the counts differ.
   */
  'search.sweep': {
    queue: 'search',
    payload: z.object({ full: z.boolean().default(false) }).strict(),
    // The next sweep comes within one interval anyway; retrying a failed one would only pile up.
    options: { attempts: 1 },
  },
} as const satisfies Record<string, { queue: QueueName; payload: z.ZodType; options?: DefaultJobOptions }>;

export type JobName = keyof typeof JOBS;
export type JobPayload<N extends JobName> = z.infer<(typeof JOBS)[N]['payload']>;

export const JOB_NAMES = Object.keys(JOBS) as JobName[];

/** BullMQ keys use `:` as separator, so custom job ids must not contain one. */
export function jobId(...parts: (string | number)[]): string {
  return parts.map((p) => String(p).replaceAll(':', '_')).join('-');
}
