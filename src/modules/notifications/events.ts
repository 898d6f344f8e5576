import { objectIdSchema } from '../../lib/ids.js';
import { z } from '../../lib/zod.js';

/**
 * The event catalogue: every notification the service sends, its data and how it is keyed.
 *
 * Data are ids, codes and counts only — never a job seeker's name, ID number, phone or anything
 * else personal (PIPL). Each schema is strict, so a caller that tries to pass more is refused at
 * `notify()`. Texts are rendered from the template files at send (or read) time, in the
 * recipient's language, from these ids.
 */

const code = z.string().regex(/^[a-z0-9_]{1,40}$/);
const count = z.number().int().min(0).max(10_000_000);

const matchRef = z.object({ matchId: objectIdSchema, openingId: objectIdSchema }).strict();

/** The summary a burst of collapsible events becomes (one notification instead of hundreds). */
export const openingCountsSchema = z.array(z.object({ openingId: objectIdSchema, count }).strict()).max(20);

export const suggestionSummarySchema = z
  .object({
    count,
    openings: openingCountsSchema,
    /** Openings beyond the listed ones. */
    moreOpenings: count,
  })
  .strict();

export type SuggestionSummary = z.infer<typeof suggestionSummarySchema>;

export interface EventSpec<D extends z.ZodType = z.ZodType> {
  description: string;
  data: D;
  /** The idempotency key of one occurrence (the event type is prefixed): the same key, one notification. */
  key(data: z.infer<D>): string;
  /** Where the web console shows it (a path under PUBLIC_URL). */
  link(data: Record<string, unknown>): string;
  /** Bursts for one recipient within the collapse window become one notification with a summary. */
  collapse?: { summary: z.ZodType; summarize(items: z.infer<D>[]): Record<string, unknown> };
  /** Users who chose the daily digest get no immediate email for it (in-app only). */
  digest?: boolean;
}

function define<D extends z.ZodType>(spec: EventSpec<D>): EventSpec<D> {
  return spec;
}

/** Counts per opening, largest first, at most 10 listed. */
export function summarizeSuggestions(items: { openingId: string }[]): SuggestionSummary {
  const byOpening = new Map<string, number>();
  for (const i of items) byOpening.set(i.openingId, (byOpening.get(i.openingId) ?? 0) + 1);
  const sorted = [...byOpening.entries()]
    .map(([openingId, n]) => ({ openingId, count: n }))
    .sort((a, b) => b.count - a.count || a.openingId.localeCompare(b.openingId));
  return {
    count: items.length,
    openings: sorted.slice(0, 10),
    moreOpenings: Math.max(0, sorted.length - 10),
  };
}

export const EVENTS = {
  'match.suggested': define({
    description: 'A new suggested match in a reviewer’s scope (collapsed in bursts; digest-able)',
    data: matchRef,
    key: (d) => d.matchId,
    link: () => '/review/suggestions',
    collapse: {
      summary: suggestionSummarySchema,
      summarize: (items) => summarizeSuggestions(items),
    },
    digest: true,
  }),
  'match.approved': define({
    description: 'A reviewer approved a suggested match',
    data: matchRef,
    key: (d) => d.matchId,
    link: (d) => `/matches/${d.matchId}`,
  }),
  'match.rejected': define({
    description: 'A reviewer rejected a suggested match (with a reason code)',
    data: matchRef.extend({ reasonCode: code.optional() }).strict(),
    key: (d) => d.matchId,
    link: (d) => `/matches/${d.matchId}`,
  }),
  'match.withdrawn': define({
    description: 'A match was withdrawn (by the federation, or on a consent withdrawn or a profile erased)',
    data: matchRef.extend({ reasonCode: code.optional() }).strict(),
    key: (d) => d.matchId,
    link: (d) => `/matches/${d.matchId}`,
  }),
  'match.proposed': define({
    description: 'A match was proposed to an employer (anonymised until consent)',
    data: matchRef,
    key: (d) => d.matchId,
    link: (d) => `/matches/${d.matchId}`,
  }),
  'match.interested': define({
    description: 'The employer is interested in a proposed match',
    data: matchRef,
    key: (d) => d.matchId,
    link: (d) => `/matches/${d.matchId}`,
  }),
  'match.declined': define({
    description: 'The employer declined a proposed match (with a reason code)',
    data: matchRef.extend({ reasonCode: code.optional() }).strict(),
    key: (d) => d.matchId,
    link: (d) => `/matches/${d.matchId}`,
  }),
  'interview.scheduled': define({
    description: 'An interview was scheduled (a new time is a new event)',
    data: matchRef.extend({ at: z.iso.datetime() }).strict(),
    key: (d) => `${d.matchId}/${d.at}`,
    link: (d) => `/matches/${d.matchId}`,
  }),
  'placement.created': define({
    description: 'A hire became a placement',
    data: z.object({ placementId: objectIdSchema, openingId: objectIdSchema }).strict(),
    key: (d) => d.placementId,
    link: (d) => `/placements/${d.placementId}`,
  }),
  'placement.ended': define({
    description: 'A placement ended (with a reason code)',
    data: z.object({ placementId: objectIdSchema, openingId: objectIdSchema, reasonCode: code }).strict(),
    key: (d) => d.placementId,
    link: (d) => `/placements/${d.placementId}`,
  }),
  'follow_up.due': define({
    description: 'A follow-up checkpoint of a placement is due',
    data: z.object({ placementId: objectIdSchema, checkpoint: code, dueOn: z.iso.date() }).strict(),
    key: (d) => `${d.placementId}/${d.checkpoint}`,
    link: (d) => `/placements/${d.placementId}`,
  }),
  'follow_up.overdue': define({
    description: 'A follow-up checkpoint of a placement is overdue',
    data: z.object({ placementId: objectIdSchema, checkpoint: code, dueOn: z.iso.date() }).strict(),
    key: (d) => `${d.placementId}/${d.checkpoint}`,
    link: (d) => `/placements/${d.placementId}`,
  }),
  'import.finished': define({
    description: 'A spreadsheet import finished (counts only)',
    data: z.object({ importId: objectIdSchema, created: count, updated: count, failed: count }).strict(),
    key: (d) => d.importId,
    link: (d) => `/imports/${d.importId}`,
  }),
  'digest.daily': define({
    description: 'The daily digest of pending suggestions (sent by the digest job, not by modules)',
    data: z
      .object({
        day: z.iso.date(),
        count,
        oldestWaitingSince: z.iso.datetime().nullable(),
        openings: openingCountsSchema,
        moreOpenings: count,
      })
      .strict(),
    key: (d) => d.day,
    link: () => '/review/suggestions',
  }),
  'person.help_requested': define({
    description: 'A job seeker asked their federation for help from their own page',
    data: z.object({ profileId: objectIdSchema, actionId: objectIdSchema, topic: code }).strict(),
    key: (d) => d.actionId,
    link: (d) => `/profiles/${d.profileId}`,
  }),
  'person.correction_requested': define({
    description: 'A job seeker said something the federation holds about them is wrong',
    data: z.object({ profileId: objectIdSchema, actionId: objectIdSchema, topic: code }).strict(),
    key: (d) => d.actionId,
    link: (d) => `/profiles/${d.profileId}`,
  }),
  'person.answered': define({
    description: 'A job seeker said on their own page whether they want a proposed job',
    data: z
      .object({ profileId: objectIdSchema, actionId: objectIdSchema, matchId: objectIdSchema, answer: code })
      .strict(),
    key: (d) => d.actionId,
    link: (d) => `/profiles/${d.profileId}`,
  }),
  /** For tests and for checking a webhook from the console. */
  'system.test': define({
    description: 'A test notification (checks a channel end to end)',
    data: z.object({ token: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/) }).strict(),
    key: (d) => d.token,
    link: () => '/notifications',
  }),
} as const;

export type EventType = keyof typeof EVENTS;
export type EventData<T extends EventType> = z.infer<(typeof EVENTS)[T]['data']>;

export const EVENT_TYPES = Object.keys(EVENTS) as EventType[];

/** Events an organisation's webhook may subscribe to (the digest is personal). */
export const WEBHOOK_EVENT_TYPES = EVENT_TYPES.filter((t) => t !== 'digest.daily');

export const eventTypeSchema = z.enum(EVENT_TYPES as [EventType, ...EventType[]]);

export function isEventType(value: string): value is EventType {
  return value in EVENTS;
}

export interface NotifyEvent<T extends EventType = EventType> {
  type: T;
  data: EventData<T>;
}

/** The idempotency key of an event occurrence: type + the spec's key (no `:`; BullMQ ids reuse it). */
export function eventKey(event: NotifyEvent): string {
  const spec = EVENTS[event.type] as EventSpec;
  return `${event.type}/${spec.key(event.data)}`.replaceAll(':', '_');
}

/** Parses data against the event's schema: a programming error (thrown) when it does not fit. */
export function parseEvent<T extends EventType>(event: NotifyEvent<T>): NotifyEvent<T> {
  if (!isEventType(event.type)) throw new Error(`unknown notification event "${String(event.type)}"`);
  const spec = EVENTS[event.type] as EventSpec;
  const parsed = spec.data.safeParse(event.data);
  if (!parsed.success)
    throw new Error(`invalid data for notification event ${event.type}: ${parsed.error.message}`);
  return { type: event.type, data: parsed.data as EventData<T> };
}
