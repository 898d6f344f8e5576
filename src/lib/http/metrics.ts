import type { Queue } from 'bullmq';
import client from 'prom-client';

/** Only what the gauge reads: any named queues will do, so this file needs nothing from src/jobs. */
type CountedQueues = Readonly<Record<string, Pick<Queue, 'getJobCounts'>>>;

export interface HttpMetrics {
  registry: client.Registry;
  httpDuration: client.Histogram<'method' | 'route' | 'status'>;
}

/** One registry per app instance, so tests that build several apps do not collide. */
export function createHttpMetrics(queues?: CountedQueues): HttpMetrics {
  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry, prefix: 'tongxin_api_' });
  const httpDuration = new client.Histogram({
    name: 'tongxin_http_request_duration_seconds',
    help: 'HTTP request duration by route pattern and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  if (queues) registerQueueDepth(registry, queues, 'tongxin_queue_jobs');
  return { registry, httpDuration };
}

/** Queue depths read from Redis at scrape time; a Redis outage leaves the gauge empty, not stale. */
export function registerQueueDepth(registry: client.Registry, queues: CountedQueues, name: string): void {
  new client.Gauge({
    name,
    help: 'Jobs per queue and state',
    labelNames: ['queue', 'state'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      for (const [queueName, queue] of Object.entries(queues)) {
        try {
          const counts = await queue.getJobCounts(
            'waiting',
            'active',
            'delayed',
            'failed',
            'completed',
            'prioritized',
          );
          for (const [state, n] of Object.entries(counts)) this.set({ queue: queueName, state }, n);
        } catch {
          // Redis unavailable: report nothing rather than fail the whole scrape.
        }
      }
    },
  });
}
