import { ROLES } from '../../lib/http/route.js';
import { z } from '../../lib/zod.js';

/** Stable codes of the to-do items (the console words them; clients may rely on them). */
export const WORK_ITEM_CODES = [
  'review_waiting',
  'follow_ups_overdue',
  'follow_ups_due',
  'consents_to_record',
  'imports_attention',
  'proposals_awaiting',
  'openings_nearly_filled',
  'deliveries_failed',
  'queue_jobs_failed',
  'queue_jobs_waiting',
] as const;
export type WorkItemCode = (typeof WORK_ITEM_CODES)[number];

export const workItemSchema = z
  .object({
    code: z.enum(WORK_ITEM_CODES),
    /** The role of the caller this item belongs to. */
    role: z.enum(ROLES),
    count: z.number().int().min(0),
    /** The console page (with its query) that lists these items. */
    path: z.string(),
    /** review_waiting: when the oldest suggestion was made; otherwise null. */
    oldestAt: z.string().nullable(),
    /** Queue items: the queues that have any, with their count; otherwise null. */
    queues: z.array(z.object({ queue: z.string(), count: z.number().int().min(0) })).nullable(),
  })
  .openapi('WorkItem');
export type WorkItem = z.infer<typeof workItemSchema>;

export const myWorkSchema = z
  .object({
    generatedAt: z.string(),
    items: z.array(workItemSchema),
    /** Sources that could not be read just now (`queues` when Redis is down): their items are missing. */
    unavailable: z.array(z.enum(['queues'])),
  })
  .openapi('MyWork');
export type MyWork = z.infer<typeof myWorkSchema>;
