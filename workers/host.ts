import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { hostname } from 'node:os';
import { DelayedError, type Job, Queue, UnrecoverableError, Worker } from 'bullmq';
import client from 'prom-client';
import type { Config } from '../src/config.js';
import { DEFAULT_JOB_OPTIONS, JOBS, type JobName, QUEUES, type QueueName } from '../src/jobs/catalogue.js';
import type { ProcessorRegistration, Schedule, WorkerContext } from '../src/jobs/processor.js';
import type { Queues } from '../src/jobs/queues.js';
import { registerQueueDepth } from '../src/lib/http/metrics.js';
import type { Logger } from '../src/lib/logger.js';
import { createWorkerConnection } from '../src/lib/redis.js';
import { buildProcessorMap } from './registry.js';

export interface WorkerHost {
  id: string;
  queues: Queues;
  workers: Worker[];
  metrics: client.Registry;
  close(): Promise<void>;
}

/** Repeating jobs every worker process makes sure exist (upsert: idempotent across replicas). */
const SCHEDULES: Schedule[] = [
  { id: 'heartbeat', job: 'system.heartbeat', every: 60_000, payload: { reason: 'schedule' } },
];

/** Repeating jobs of earlier releases, removed at start so they stop firing (queue, scheduler id). */
const RETIRED_SCHEDULES: { queue: QueueName; id: string }[] = [{ queue: 'system', id: 'claims-sweep' }];

export async function startWorkerHost(
  config: Config,
  logger: Logger,
  makeRegistrations: (ctx: WorkerContext) => ProcessorRegistration[],
  moduleSchedules: Schedule[] = [],
): Promise<WorkerHost> {
  const id = `${hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`;
  const prefix = config.redis.queuePrefix;

  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry, prefix: 'tongxin_worker_' });
  const duration = new client.Histogram({
    name: 'tongxin_job_duration_seconds',
    help: 'Job processing time by queue, job and outcome',
    labelNames: ['queue', 'job', 'outcome'] as const,
    buckets: [0.01, 0.05, 0.1, 0.5, 1, 5, 30, 120],
    registers: [registry],
  });
  const failures = new client.Counter({
    name: 'tongxin_job_failures_total',
    help: 'Failed job attempts by queue and job',
    labelNames: ['queue', 'job'] as const,
    registers: [registry],
  });

  // One connection for queue writes (schedules), one per worker for blocking reads.
  const queueConnection = createWorkerConnection(config.redis.url);
  queueConnection.on('error', (err) => logger.warn({ err: err.message }, 'redis (worker queues) error'));
  const queues = Object.fromEntries(
    (Object.keys(QUEUES) as QueueName[]).map((name) => [
      name,
      new Queue(name, { connection: queueConnection, prefix, defaultJobOptions: DEFAULT_JOB_OPTIONS }),
    ]),
  ) as Queues;
  registerQueueDepth(registry, queues, 'tongxin_queue_jobs');
  // Built once the queues exist: processors publish changes and enqueue through them.
  let processors: ReturnType<typeof buildProcessorMap>;
  const closers: (() => Promise<void>)[] = [];
  const starters: (() => void)[] = [];
  try {
    processors = buildProcessorMap(
      makeRegistrations({
        workerId: id,
        config,
        logger,
        queues,
        redis: queueConnection,
        onStart: (fn) => starters.push(fn),
        onClose: (fn) => closers.push(fn),
      }),
    );
  } catch (err) {
    queueConnection.disconnect();
    throw err;
  }

  const dispatch = async (job: Job, token?: string) => {
    const reg = processors.get(job.name as JobName);
    if (!reg) throw new UnrecoverableError(`unknown job "${job.name}"`);
    const parsed = JOBS[reg.job].payload.safeParse(job.data);
    // A payload that does not match the catalogue will never succeed: fail it permanently.
    if (!parsed.success)
      throw new UnrecoverableError(`invalid payload for ${job.name}: ${parsed.error.message}`);
    const end = duration.startTimer({ queue: job.queueName, job: job.name });
    try {
      const result = await (reg.process as (p: unknown, j: Job, t?: string) => Promise<unknown>)(
        parsed.data,
        job,
        token,
      );
      end({ outcome: result && typeof result === 'object' && 'skipped' in result ? 'skipped' : 'completed' });
      return result;
    } catch (err) {
      // A job moved to delayed (rate window, busy claim) has not failed.
      if (err instanceof DelayedError) {
        end({ outcome: 'delayed' });
        throw err;
      }
      end({ outcome: 'failed' });
      failures.inc({ queue: job.queueName, job: job.name });
      throw err;
    }
  };

  const workers = (Object.entries(QUEUES) as [QueueName, (typeof QUEUES)[QueueName]][]).map(
    ([name, spec]) => {
      const connection = createWorkerConnection(config.redis.url);
      connection.on('error', (err) => logger.warn({ err: err.message, queue: name }, 'redis (worker) error'));
      const limiter = 'limiter' in spec ? spec.limiter(config) : undefined;
      const worker = new Worker(name, dispatch, {
        connection,
        prefix,
        concurrency:
          'concurrencyOf' in spec
            ? spec.concurrencyOf(config)
            : Math.min(spec.concurrency, config.worker.concurrency),
        // Jobs held by a process that died are handed to another after about this long.
        lockDuration: config.worker.lockDurationMs,
        stalledInterval: config.worker.lockDurationMs,
        maxStalledCount: 3,
        ...(limiter ? { limiter } : {}),
      });
      worker.on('failed', (job, err) =>
        logger.warn(
          { queue: name, job: job?.name, jobId: job?.id, attempt: job?.attemptsMade, err: err.message },
          'job failed',
        ),
      );
      worker.on('error', (err) => logger.warn({ queue: name, err: err.message }, 'worker error'));
      return worker;
    },
  );

  for (const start of starters) start();

  for (const r of RETIRED_SCHEDULES)
    await queues[r.queue]
      .removeJobScheduler(r.id)
      .catch((err) =>
        logger.warn({ err: err.message, schedule: r.id }, 'could not remove a retired schedule'),
      );

  for (const s of [...SCHEDULES, ...moduleSchedules]) {
    const queue = queues[JOBS[s.job].queue];
    const repeat = s.pattern ? { pattern: s.pattern, tz: s.tz } : { every: s.every };
    await queue
      .upsertJobScheduler(s.id, repeat, { name: s.job, data: s.payload })
      .catch((err) =>
        logger.warn(
          { err: err.message, schedule: s.id },
          'could not upsert schedule; will retry at next start',
        ),
      );
  }

  let metricsServer: Server | undefined;
  if (config.worker.metricsPort) {
    metricsServer = createServer(async (req, res) => {
      if (req.url !== '/metrics') return res.writeHead(404).end();
      res.setHeader('content-type', registry.contentType);
      res.end(await registry.metrics());
    });
    metricsServer.on('error', (err) => logger.warn({ err: err.message }, 'worker metrics port unavailable'));
    metricsServer.listen(config.worker.metricsPort, '127.0.0.1');
  }

  logger.info({ workerId: id, queues: Object.keys(QUEUES) }, 'worker started');
  return {
    id,
    queues,
    workers,
    metrics: registry,
    async close() {
      // Workers first: they finish the jobs in hand before their connections go.
      await Promise.all(workers.map((w) => w.close()));
      await Promise.all(closers.map((fn) => fn().catch(() => undefined)));
      await Promise.all(Object.values(queues).map((q) => q.close()));
      queueConnection.disconnect();
      metricsServer?.close();
    },
  };
}
