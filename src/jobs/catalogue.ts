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
  imports: {
    description: 'Spreadsheet imports of worker profiles (one file per job)',
    concurrency: 2,
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

export const JOBS = {
  'system.heartbeat': {
    queue: 'system',
    payload: z
      .object({ reason: z.enum(['schedule', 'manual', 'test']), token: z.string().max(64).optional() })
      .strict(),
  },
  /** Imports one uploaded roster; the file itself stays encrypted in MongoDB, never in Redis. */
  'worker_profiles.import': {
    queue: 'imports',
    payload: z.object({ importId: z.string().regex(/^[0-9a-f]{24}$/) }).strict(),
    // A file that failed three times will fail again; its import record says why.
    options: { attempts: 3, backoff: { type: 'exponential', delay: 2_000 } },
  },
} as const satisfies Record<string, { queue: QueueName; payload: z.ZodType; options?: DefaultJobOptions }>;

export type JobName = keyof typeof JOBS;
export type JobPayload<N extends JobName> = z.infer<(typeof JOBS)[N]['payload']>;

export const JOB_NAMES = Object.keys(JOBS) as JobName[];

/** BullMQ keys use `:` as separator, so custom job ids must not contain one. */
export function jobId(...parts: (string | number)[]): string {
  return parts.map((p) => String(p).replaceAll(':', '_')).join('-');
}
