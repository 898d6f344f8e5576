import type { Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Config } from '../config.js';
import type { Logger } from '../lib/logger.js';
import type { JobName, JobPayload } from './catalogue.js';
import type { Queues } from './queues.js';

/** What a processor may return: a small JSON summary, or a note that the job had nothing to do. */
export type ProcessorResult = Record<string, unknown> | { skipped: string } | undefined;

/** `token` is the job's lock token (for `job.moveToDelayed(ts, token)` + `DelayedError`). */
export type ProcessorFn<N extends JobName> = (
  payload: JobPayload<N>,
  job: Job,
  token?: string,
) => Promise<ProcessorResult>;

export type ProcessorRegistration = { [N in JobName]: { job: N; process: ProcessorFn<N> } }[JobName];

/** What a module's processors may use: the worker's identity, config, logger and queue producers. */
export interface WorkerContext {
  workerId: string;
  config: Config;
  logger: Logger;
  queues: Queues;
  /** The worker's own Redis connection (counters, windows); it waits for Redis like the workers. */
  redis: Redis;
  /** Registers work to begin once the worker runs (not while the processor map is only being built). */
  onStart?: (fn: () => void) => void;
  /** Registers a resource to release when the worker closes (after its jobs in hand finished). */
  onClose?: (fn: () => Promise<void>) => void;
}

/** A repeating job (BullMQ job scheduler): every `every` ms, or on a cron `pattern` in `tz`. */
export interface Schedule {
  id: string;
  job: JobName;
  every?: number;
  pattern?: string;
  tz?: string;
  payload: Record<string, unknown>;
}

/** What processors may use besides MongoDB: config, logger and queue producers. */
export type ProcessorDeps = Pick<WorkerContext, 'config' | 'logger' | 'queues'>;
