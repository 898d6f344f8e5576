import type { Config } from '../../config.js';
import { JOBS, jobId } from '../../jobs/catalogue.js';
import type { ProcessorRegistration, Schedule, WorkerContext } from '../../jobs/processor.js';
import { enqueue } from '../../jobs/queues.js';
import { laggingDeliveries } from './deliveries.repository.js';
import { processDelivery } from './delivery.js';
import { digestDay, sendDigest } from './digest.service.js';
import type { EventType } from './events.js';
import { laggingCollapseTargets, purgeItems } from './items.repository.js';
import { channelJob, collapse, deliveryJobId, enqueueDeliveries } from './notifications.service.js';
import { usersWithDigest } from './preferences.repository.js';

/** Deliveries untouched this long while pending are checked by the sweeper. */
const LAG_MS = 2 * 60_000;
/** Collapsed and digested items are kept this long (the digest reads the recent ones). */
const ITEM_RETENTION_MS = 30 * 24 * 3600_000;

export function notificationSchedules(config: Config): Schedule[] {
  return [
    {
      id: 'notify-digest',
      job: 'notify.digest',
      pattern: config.notifications.digestCron,
      tz: config.notifications.digestTz,
      payload: { reason: 'schedule' },
    },
    { id: 'notify-sweep', job: 'notify.sweep', every: 60_000, payload: { reason: 'schedule' } },
  ];
}

export function notificationProcessors(ctx: WorkerContext): ProcessorRegistration[] {
  return [
    {
      job: 'notify.collapse',
      // The batch id is the job's own: a re-run (retry, stalled job) completes the same batch.
      process: async (p, job) => collapse(ctx, p.target, p.type as EventType, `${job.id}-${job.timestamp}`),
    },
    {
      job: 'notify.digest',
      process: async () => {
        const day = digestDay(new Date(), ctx.config.notifications.digestTz);
        let after: string | null = null;
        let users = 0;
        for (;;) {
          const page = await usersWithDigest(after, 500);
          for (const userId of page)
            await enqueue(
              ctx.queues,
              'notify.digest-user',
              { userId, day },
              { jobId: jobId('notify-digest', userId, day) },
            );
          users += page.length;
          if (page.length < 500) break;
          after = page.at(-1)!;
        }
        return { day, users };
      },
    },
    {
      job: 'notify.digest-user',
      process: async (p) => sendDigest(ctx, p.userId, p.day) as never,
    },
    {
      job: 'notify.sweep',
      process: async () => {
        const now = Date.now();
        const lagging = await laggingDeliveries(new Date(now - LAG_MS), 1000);
        const lost = [];
        for (const d of lagging) {
          const spec = JOBS[channelJob(d.channel)];
          const queue = ctx.queues[spec.queue];
          const id = deliveryJobId(d);
          const state = await queue.getJobState(id);
          if (state === 'unknown') lost.push(d);
          else if (state === 'completed' || state === 'failed') {
            // Finished without recording an outcome (killed between the two): run it again.
            await queue.remove(id).catch(() => undefined);
            lost.push(d);
          }
        }
        const requeued = await enqueueDeliveries(ctx, lost);
        const window = ctx.config.notifications.collapseWindowMs;
        const targets = await laggingCollapseTargets(new Date(now - window - LAG_MS), 1000);
        for (const t of targets)
          await enqueue(
            ctx.queues,
            'notify.collapse',
            { target: t.target, type: t.type },
            { deduplication: { id: jobId('collapse', t.target, t.type), keepLastIfActive: true } },
          );
        const purged = await purgeItems(new Date(now - ITEM_RETENTION_MS));
        return { checked: lagging.length, requeued, collapses: targets.length, purged };
      },
    },
    { job: 'notify.email', process: async (p, job, token) => processDelivery(ctx, p.deliveryId, job, token) },
    {
      job: 'notify.webhook',
      process: async (p, job, token) => processDelivery(ctx, p.deliveryId, job, token),
    },
    { job: 'notify.wecom', process: async (p, job, token) => processDelivery(ctx, p.deliveryId, job, token) },
    { job: 'notify.sms', process: async (p, job, token) => processDelivery(ctx, p.deliveryId, job, token) },
  ];
}
