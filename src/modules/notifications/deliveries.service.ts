import { enqueue } from '../../jobs/queues.js';
import { AppError } from '../../lib/errors.js';
import { audit } from '../audit/audit.service.js';
import {
  countDeliveries,
  type DeliveryChannel,
  type DeliveryRecord,
  type DeliveryState,
  findDelivery,
  listDeliveries as listDeliveryRecords,
  requeueFailedDelivery,
} from './deliveries.repository.js';
import { CHANNEL_JOB, deliveryJobId, type NotifyContext } from './notifications.service.js';

/** Deliveries as admins see them: listed, counted, a failed one retried. */

export function presentDelivery(d: DeliveryRecord) {
  return {
    id: d.id,
    channel: d.channel,
    type: d.type,
    state: d.state,
    organizationId: d.organizationId,
    notificationId: d.notificationId,
    userId: d.userId,
    webhookId: d.webhookId,
    profileId: d.profileId,
    attempts: d.attempts,
    generation: d.generation,
    interruptedSends: d.interruptedSends,
    lastError: d.lastError,
    lastAttemptAt: d.lastAttemptAt?.toISOString() ?? null,
    sentAt: d.sentAt?.toISOString() ?? null,
    version: d.version,
    createdAt: d.createdAt.toISOString(),
    updatedAt: d.updatedAt.toISOString(),
  };
}

export async function listDeliveries(q: {
  state?: DeliveryState;
  channel?: DeliveryChannel;
  organizationId?: string;
  cursor?: string;
  limit: number;
}) {
  const page = await listDeliveryRecords(q, q);
  return { items: page.items.map(presentDelivery), nextCursor: page.nextCursor, total: page.total };
}

/** Deliveries that failed for good (every attempt spent): each waits for an admin's retry. */
export async function failedDeliveryCount(): Promise<number> {
  return countDeliveries({ state: 'failed' });
}

/** A permanently failed delivery goes back to the queue under a new generation (a new send claim). */
export async function retryDelivery(ctx: Pick<NotifyContext, 'queues' | 'logger'>, id: string) {
  const current = await findDelivery(id);
  if (!current) throw new AppError('not_found', { detail: '投递记录不存在', detailEn: 'No such delivery' });
  if (current.state !== 'failed')
    throw new AppError('illegal_transition', {
      detail: '只有失败的投递可以重试',
      detailEn: 'Only a failed delivery can be retried',
      extra: { currentState: current.state },
    });
  const updated = await requeueFailedDelivery(id, current.version, new Date());
  if (!updated)
    throw new AppError('conflict', { detail: '投递记录已被他人修改', detailEn: 'Changed meanwhile' });
  await enqueue(ctx.queues, CHANNEL_JOB[updated.channel], { deliveryId: id } as never, {
    jobId: deliveryJobId(updated),
  });
  await audit.record({
    action: 'notification_delivery.retry',
    resource: { type: 'notification_delivery', id },
  });
  return presentDelivery(updated);
}
