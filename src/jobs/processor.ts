import type { Job } from 'bullmq';
import type { Config } from '../config.js';
import type { Logger } from '../lib/logger.js';
import type { JobName, JobPayload } from './catalogue.js';
import type { Queues } from './queues.js';

/** What a processor may return: a small JSON summary, or a note that the job had nothing to do. */
export type ProcessorResult = Record<string, unknown> | { skipped: string } | undefined;

export type ProcessorFn<N extends JobName> = (payload: JobPayload<N>, job: Job) => Promise<ProcessorResult>;

export type ProcessorRegistration = { [N in JobName]: { job: N; process: ProcessorFn<N> } }[JobName];

/** What processors may use besides MongoDB: the worker's config, logger and queue producers. */
export interface ProcessorDeps {
  config: Config;
  logger: Logger;
  queues: Queues;
}
