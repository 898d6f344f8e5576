import type { Config } from '../../config.js';
import type { Queues } from '../../jobs/queues.js';
import { type Actor, hasRole } from '../../lib/auth/actor.js';
import { proposalsAwaitingAnswer, reviewQueueWaiting } from '../matches/matches.service.js';
import { failedDeliveryCount } from '../notifications/deliveries.service.js';
import { openingsNearlyFilled } from '../openings/openings.service.js';
import { followUpCounts } from '../placements/placements.service.js';
import { queueHealth } from '../system/system.service.js';
import { importsNeedingAttention } from '../worker-profiles/imports.service.js';
import { consentsToRecord } from '../worker-profiles/worker-profiles.service.js';
import type { MyWork, WorkItem, WorkItemCode } from './work.schemas.js';

export interface WorkDeps {
  config: Config;
  queues: Queues;
}

type Role = WorkItem['role'];

function item(
  role: Role,
  code: WorkItemCode,
  count: number,
  path: string,
  extra: Partial<Pick<WorkItem, 'oldestAt' | 'queues'>> = {},
): WorkItem {
  return { code, role, count, path, oldestAt: extra.oldestAt ?? null, queues: extra.queues ?? null };
}

/**
 * What needs doing today, per role of the caller: each count comes from the module owning the
 * list it links to, in that list's scope.
 */
export async function myWork(actor: Actor, deps: WorkDeps, now = new Date()): Promise<MyWork> {
  const items: WorkItem[] = [];
  const unavailable: MyWork['unavailable'] = [];

  if (hasRole(actor, 'reviewer')) {
    const waiting = await reviewQueueWaiting(actor);
    items.push(
      item('reviewer', 'review_waiting', waiting.count, '/review?sort=suggestedAt', {
        oldestAt: waiting.oldestSuggestedAt?.toISOString() ?? null,
      }),
    );
  }

  if (hasRole(actor, 'federation_staff')) {
    const [followUps, consents, imports] = await Promise.all([
      followUpCounts(actor, deps.config, now),
      consentsToRecord(actor),
      importsNeedingAttention(actor, now),
    ]);
    items.push(
      item('federation_staff', 'follow_ups_overdue', followUps.overdue, '/follow-ups'),
      item('federation_staff', 'follow_ups_due', followUps.due, '/follow-ups'),
      item('federation_staff', 'consents_to_record', consents, '/profiles?consent=missing'),
      item(
        'federation_staff',
        'imports_attention',
        imports.count,
        imports.latestId ? `/profiles/import?id=${imports.latestId}` : '/profiles/import',
      ),
    );
  }

  if (hasRole(actor, 'employer')) {
    const [proposals, nearlyFilled] = await Promise.all([
      proposalsAwaitingAnswer(actor),
      openingsNearlyFilled(actor),
    ]);
    items.push(
      item('employer', 'proposals_awaiting', proposals, '/proposals?status=proposed'),
      item('employer', 'openings_nearly_filled', nearlyFilled, '/openings?status=open'),
    );
  }

  if (hasRole(actor, 'admin')) {
    // Admins review too, over every partnership: suggestions for pairings no reviewer covers wait here.
    if (!hasRole(actor, 'reviewer')) {
      const waiting = await reviewQueueWaiting(actor);
      items.push(
        item('admin', 'review_waiting', waiting.count, '/review?sort=suggestedAt', {
          oldestAt: waiting.oldestSuggestedAt?.toISOString() ?? null,
        }),
      );
    }
    items.push(item('admin', 'deliveries_failed', await failedDeliveryCount(), '/admin/queue-dashboard'));
    try {
      const health = await queueHealth(deps.queues);
      const of = (k: 'failed' | 'waiting') =>
        health.filter((q) => q[k] > 0).map((q) => ({ queue: q.queue, count: q[k] }));
      const sum = (k: 'failed' | 'waiting') => health.reduce((n, q) => n + q[k], 0);
      items.push(
        item('admin', 'queue_jobs_failed', sum('failed'), '/admin/queue-dashboard', { queues: of('failed') }),
        item('admin', 'queue_jobs_waiting', sum('waiting'), '/admin/queue-dashboard', {
          queues: of('waiting'),
        }),
      );
    } catch {
      // Redis down: the page still shows every other count, and says which ones are missing.
      unavailable.push('queues');
    }
  }

  return { generatedAt: now.toISOString(), items, unavailable };
}
