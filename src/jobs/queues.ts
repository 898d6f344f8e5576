import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { AppError } from '../lib/errors.js';
import type { Logger } from '../lib/logger.js';
import {
  DEFAULT_JOB_OPTIONS,
  JOBS,
  type JobName,
  type JobPayload,
  QUEUES,
  type QueueName,
} from './catalogue.js';

export interface EnqueueOptions {
  /** Deterministic id (entity + version or action): a duplicate enqueue is a no-op. */
  jobId?: string;
  delay?: number;
  priority?: number;
  /** BullMQ deduplication (debounce): adds with the same id while the job exists are absorbed. */
  deduplication?: { id: string; ttl?: number; keepLastIfActive?: boolean };
}

export type Queues = Record<QueueName, Queue>;

export function createQueues(connection: Redis, prefix: string, logger?: Logger): Queues {
  const entries = (Object.keys(QUEUES) as QueueName[]).map((name) => {
    const queue = new Queue(name, {
      connection,
      prefix,
      defaultJobOptions: DEFAULT_JOB_OPTIONS,
      skipWaitingForReady: true,
    });
    // Connection errors are reported once by the connection's own listener; without a listener
    // here they would be printed again for every queue.
    queue.on('error', (err) => logger?.debug({ queue: name, err: err.message }, 'queue error'));
    return [name, queue];
  });
  return Object.fromEntries(entries) as Queues;
}

export async function closeQueues(queues: Queues): Promise<void> {
  await Promise.all(Object.values(queues).map((q) => q.close()));
}

/**
 * The one typed way to put a job on a queue. The payload is validated here as well as in the
 * processor, so a bad payload is a programming error caught at the producer. With Redis down the
 * producer connection fails fast and the caller answers 503; the sweeper re-enqueues later.
 */
export async function enqueue<N extends JobName>(
  queues: Queues,
  name: N,
  payload: JobPayload<N>,
  options: EnqueueOptions = {},
): Promise<string | undefined> {
  const spec = JOBS[name];
  const data = spec.payload.parse(payload);
  if (options.jobId?.includes(':')) throw new Error(`job id must not contain ':' (${options.jobId})`);
  try {
    const job = await queues[spec.queue].add(name, data, {
      ...('options' in spec ? (spec.options as object) : {}),
      ...options,
    });
    return job.id;
  } catch (cause) {
    throw new AppError('service_unavailable', {
      detail: '任务队列暂时不可用，数据已保存，稍后将自动处理',
      detailEn: 'The job queue is unavailable; the change is saved and will be processed later',
      headers: { 'Retry-After': '5' },
      cause,
    });
  }
}
