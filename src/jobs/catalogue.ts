import type { DefaultJobOptions } from 'bullmq';
import type { Config } from '../config.js';
import { z } from '../lib/zod.js';

/** A queue's rate limit (BullMQ limiter: at most `max` jobs per `duration` ms across all workers). */
export type QueueLimiter = (config: Config) => { max: number; duration: number };

const objectId = z.string().regex(/^[0-9a-f]{24}$/);

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
  notify: {
    description: 'Notifications: burst collapsing, daily digests, the delivery sweeper',
    concurrency: 4,
  },
  // One queue per external channel, so each has its own BullMQ rate limit.
  'notify-email': {
    description: 'Notification emails over SMTP, one job per (notification, email)',
    concurrency: 16,
    concurrencyOf: (c: Config) => c.notifications.emailConcurrency,
    limiter: (c: Config) => ({ max: c.notifications.emailPerSecond, duration: 1_000 }),
  },
  'notify-webhook': {
    description: 'Signed JSON webhooks of organisations, one job per (event, webhook)',
    concurrency: 16,
    limiter: (c: Config) => ({ max: c.notifications.webhookPerSecond, duration: 1_000 }),
  },
  'notify-wecom': {
    description: 'WeCom (企业微信) group-robot messages, one job per (event, robot)',
    concurrency: 4,
    limiter: (c: Config) => ({ max: c.notifications.webhookPerSecond, duration: 1_000 }),
  },
  'notify-sms': {
    description: 'Text messages to job seekers (Tencent Cloud SMS), one job per (event, person, template)',
    concurrency: 4,
  },
  review: {
    description:
      "Matches and placements: a transition's consequences, placements from hires, the hire sweep, withdrawals, follow-up reminders",
    concurrency: 4,
  },
  search: {
    description: 'Search index upkeep with Meilisearch: one job per change, and the sweep',
    concurrency: 4,
  },
  plans: {
    description: 'Campaign placement plans: load, score and solve one plan per job (CPU-bound)',
    concurrency: 1,
  },
  // One at a time: a report snapshot reads every profile and match; the database is shared.
  reports: {
    description: 'Report snapshots: the fairness report computed in the background for everyone',
    concurrency: 1,
  },
  // Scoring is synchronous CPU work on the process's in-memory snapshot: more than two at a time
  // only interleaves their database round trips.
  matching: {
    description: 'Matching: top-N suggestions per changed opening or profile, rematch chunks, notices',
    concurrency: 2,
  },
} as const satisfies Record<
  string,
  {
    description: string;
    concurrency: number;
    limiter?: QueueLimiter;
    /** Set by configuration instead of min(concurrency, WORKER_CONCURRENCY). */
    concurrencyOf?: (config: Config) => number;
  }
>;

export type QueueName = keyof typeof QUEUES;

/** Retries with exponential backoff, set once for every queue (DESIGN §7.8). */
export const DEFAULT_JOB_OPTIONS: DefaultJobOptions = {
  attempts: 8,
  backoff: { type: 'exponential', delay: 1_000 },
  removeOnComplete: { age: 24 * 3600, count: 10_000 },
  // Failed jobs are kept for inspection (the queue dashboard and /metrics show them).
  removeOnFail: { age: 14 * 24 * 3600 },
};

/** What a change did (src/jobs/changes.ts); carried by every change subscriber's payload. */
export const CHANGE_KINDS = ['created', 'updated', 'deleted', 'consent', 'status', 'erased'] as const;

/** `{ id, version, kind }`: the payload of every job subscribed to changes (CHANGE_SUBSCRIBERS). */
export const changePayload = z
  .object({
    id: objectId,
    version: z.number().int().min(1),
    kind: z.enum(CHANGE_KINDS),
  })
  .strict();

export const JOBS = {
  'system.heartbeat': {
    queue: 'system',
    payload: z
      .object({ reason: z.enum(['schedule', 'manual', 'test']), token: z.string().max(64).optional() })
      .strict(),
  },
  /** Brings one opening's search document up to date (re-reads MongoDB; Meilisearch mode). */
  'search.index-opening': { queue: 'search', payload: changePayload },
  /** The same for one worker profile (an erased one is removed from the index). */
  'search.index-worker-profile': { queue: 'search', payload: changePayload },
  /**
   * Compares MongoDB with the search engine and writes whatever lags: documents changed since the
   * last sweep (with an overlap), or all of them when `full` or when the counts differ.
   */
  'search.sweep': {
    queue: 'search',
    payload: z.object({ full: z.boolean().default(false) }).strict(),
  },
  /** Turns the pending collapsible events of one target (user or webhook) into one notification. */
  'notify.collapse': {
    queue: 'notify',
    payload: z
      .object({ target: z.string().regex(/^[uw]\/[0-9a-f]{24}$/), type: z.string().regex(/^[a-z_.]+$/) })
      .strict(),
  },
  /** Daily, from the job scheduler: one `notify.digest-user` per user who chose the digest. */
  'notify.digest': {
    queue: 'notify',
    payload: z.object({ reason: z.enum(['schedule', 'manual', 'test']) }).strict(),
  },
  'notify.digest-user': {
    queue: 'notify',
    payload: z.object({ userId: objectId, day: z.iso.date() }).strict(),
  },
  /** Re-enqueues deliveries and collapses that lag behind (Redis was down when they were written). */
  'notify.sweep': {
    queue: 'notify',
    payload: z.object({ reason: z.enum(['schedule', 'manual', 'test']) }).strict(),
  },
  'notify.email': { queue: 'notify-email', payload: z.object({ deliveryId: objectId }).strict() },
  'notify.webhook': {
    queue: 'notify-webhook',
    payload: z.object({ deliveryId: objectId }).strict(),
    // Receivers are down for longer than SMTP relays: about 17 minutes of retries in all.
    options: { attempts: 10, backoff: { type: 'exponential', delay: 1_000 } },
  },
  'notify.wecom': {
    queue: 'notify-wecom',
    payload: z.object({ deliveryId: objectId }).strict(),
    options: { attempts: 10, backoff: { type: 'exponential', delay: 1_000 } },
  },
  'notify.sms': {
    queue: 'notify-sms',
    payload: z.object({ deliveryId: objectId }).strict(),
    // Provider outages pass; a message that could not go out within about an hour fails visibly.
    options: { attempts: 12, backoff: { type: 'exponential', delay: 1_000 } },
  },
  /**
   * Recomputes one opening's top-N suggestions (or supersedes them when it left `open`). Enqueued
   * on every change of the opening, keyed by id and version, debounced per opening
   * (MATCHING_DEBOUNCE_MS in src/jobs/changes.ts): a burst of edits is one run.
   */
  'matching.opening': { queue: 'matching', payload: changePayload },
  /** The same for one worker profile: its top-N openings, or its suggestions superseded. */
  'matching.profile': { queue: 'matching', payload: changePayload },
  /**
   * Notifies the reviewers in scope of new suggestions (collapsed per reviewer into one notice). On
   * the notify queue: a notice may take seconds, and on the matching queue it held a slot that the
   * next opening's or profile's run was waiting for.
   */
  'matching.notify': {
    queue: 'notify',
    payload: z.object({ matchIds: z.array(objectId).min(1).max(500) }).strict(),
  },
  /** `npm run rematch`: the parent of a flow, completed when every chunk is. */
  'matching.rematch': {
    queue: 'matching',
    payload: z.object({ runId: z.string().regex(/^[A-Za-z0-9_-]{1,40}$/) }).strict(),
  },
  /** One chunk of a rematch: the openings (or profiles) whose ids lie in [from, to]. */
  'matching.rematch-chunk': {
    queue: 'matching',
    payload: z
      .object({
        runId: z.string().regex(/^[A-Za-z0-9_-]{1,40}$/),
        side: z.enum(['opening', 'profile']),
        from: objectId,
        to: objectId,
      })
      .strict(),
  },
  /**
   * A transition's consequences (src/modules/matches): each keyed by match id and the version the
   * transition produced, each re-reading the match. Brings the person's lifecycle status in line.
   */
  'matches.sync-profile-status': {
    queue: 'review',
    payload: z.object({ matchId: objectId, version: z.number().int().min(1) }).strict(),
  },
  /** Notifies the people concerned by one transition (`action`); notify() is idempotent per event. */
  'matches.notify-transition': {
    queue: 'review',
    payload: z
      .object({
        matchId: objectId,
        version: z.number().int().min(1),
        action: z.string().regex(/^[a-z_]{1,20}$/),
      })
      .strict(),
  },
  /**
   * The matches' outbox: moves still marked `consequencesPending` (their jobs were never enqueued,
   * e.g. Redis was down) get their consequence jobs again, and hires without a placement their
   * placement job. Every MATCH_SWEEP_INTERVAL_SECONDS.
   */
  'matches.sweep': {
    queue: 'review',
    payload: z.object({ reason: z.enum(['schedule', 'manual', 'test']) }).strict(),
  },
  /**
   * Records the placement a hire became (one per match), schedules its follow-ups, notifies, then
   * moves the match to `placed` through the matches' state machine (src/modules/placements).
   */
  'placements.create-from-hire': {
    queue: 'review',
    payload: z.object({ matchId: objectId, version: z.number().int().min(1) }).strict(),
  },
  /** Withdraws the pending matches of a person whose consent was withdrawn or who was erased. */
  'review.profile-changed': { queue: 'review', payload: changePayload },
  /** Delayed until a follow-up checkpoint's day: reminds the job seeker's federation (once). */
  'placements.follow-up-due': {
    queue: 'review',
    payload: z.object({ placementId: objectId, checkpoint: z.string().regex(/^[dm]\d{1,3}$/) }).strict(),
  },
  /** Delayed until the checkpoint's grace period ended: reminds again when nothing was recorded. */
  'placements.follow-up-overdue': {
    queue: 'review',
    payload: z.object({ placementId: objectId, checkpoint: z.string().regex(/^[dm]\d{1,3}$/) }).strict(),
  },
  /** Imports one uploaded roster; the file itself stays encrypted in MongoDB, never in Redis. */
  'worker_profiles.import': {
    queue: 'imports',
    payload: z.object({ importId: z.string().regex(/^[0-9a-f]{24}$/) }).strict(),
    // A file that failed three times will fail again; its import record says why.
    options: { attempts: 3, backoff: { type: 'exponential', delay: 2_000 } },
  },
  /** Computes one campaign plan and stores it on the plan; a finished plan is left alone. */
  'plans.compute': {
    queue: 'plans',
    payload: z.object({ planId: objectId }).strict(),
    // The inputs are re-read on every attempt; a plan that failed three times is marked failed.
    options: { attempts: 3, backoff: { type: 'exponential', delay: 2_000 } },
  },
  /**
   * Computes the fairness report's counts for everyone, per county, stores them as a new run and
   * publishes it (src/modules/reports/fairness.snapshot.service.ts). Scheduled every
   * REPORTS_FAIRNESS_EVERY_MINUTES; a refresh and the worker's start enqueue it deduplicated.
   */
  'reports.fairness-snapshot': {
    queue: 'reports',
    payload: z.object({ reason: z.enum(['schedule', 'start', 'refresh', 'empty', 'test']) }).strict(),
    // Each attempt is a whole new run; a run that failed three times is retried at the next tick.
    options: { attempts: 3, backoff: { type: 'exponential', delay: 10_000 } },
  },
} as const satisfies Record<string, { queue: QueueName; payload: z.ZodType; options?: DefaultJobOptions }>;

export type JobName = keyof typeof JOBS;
export type JobPayload<N extends JobName> = z.infer<(typeof JOBS)[N]['payload']>;

export const JOB_NAMES = Object.keys(JOBS) as JobName[];

/** BullMQ keys use `:` as separator, so custom job ids must not contain one. */
export function jobId(...parts: (string | number)[]): string {
  return parts.map((p) => String(p).replaceAll(':', '_')).join('-');
}
