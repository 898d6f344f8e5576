import { listQuerySchema, pageSchema } from '../../lib/http/pagination.js';
import { objectIdSchema } from '../../lib/ids.js';
import { z } from '../../lib/zod.js';
import { MATCH_STATUSES } from '../matching/reconcile.js';
import { COMPONENT_KEYS } from '../matching/types.js';
import { HUMAN_ACTIONS } from './machine.js';

const code = z.string().regex(/^[a-z0-9_]{1,40}$/, 'a reason code');
const note = z.string().trim().min(1).max(1000);
const isoDate = z.iso.date();

export const noteBody = z.object({ note: note.optional() }).strict();
export const reasonBody = z.object({ reasonCode: code, note: note.optional() }).strict();

export const INTERVIEW_MODES = ['on_site', 'video', 'by_federation'] as const;
export const interviewBody = z
  .object({
    at: z.iso.datetime({ offset: true }),
    /** On site, by video, or held by the federation on the employer's behalf. */
    mode: z.enum(INTERVIEW_MODES),
    note: note.optional(),
  })
  .strict();

export const hireBody = z
  .object({
    contractStart: isoDate,
    contractEnd: isoDate,
    monthlyWage: z.number().int().min(1).max(100_000),
    socialInsurance: z.boolean(),
    note: note.optional(),
  })
  .strict()
  .refine((b) => b.contractEnd > b.contractStart, {
    path: ['contractEnd'],
    message: 'must be after contractStart',
  });

export type HireInput = z.infer<typeof hireBody>;
export type InterviewInput = z.infer<typeof interviewBody>;

export const reviewQueueQuery = listQuerySchema(['score', 'suggestedAt'] as const, '-score').extend({
  openingId: objectIdSchema.optional(),
  /** A 四川 prefecture (or county) code: the person's origin. */
  prefecture: z
    .string()
    .regex(/^51\d{4}$/)
    .optional(),
  scoreMin: z.coerce.number().min(0).max(100).optional(),
  scoreMax: z.coerce.number().min(0).max(100).optional(),
  /** Only suggestions waiting at least this many days. */
  waitingDays: z.coerce.number().int().min(0).max(3650).optional(),
});
export type ReviewQueueQuery = z.infer<typeof reviewQueueQuery>;

export const proposalsQuery = listQuerySchema(['updatedAt'] as const, '-updatedAt').extend({
  openingId: objectIdSchema.optional(),
  status: z.enum(MATCH_STATUSES).optional(),
});
export type ProposalsQuery = z.infer<typeof proposalsQuery>;

export const componentSchema = z
  .object({
    key: z.enum(COMPONENT_KEYS),
    weight: z.number().openapi({ description: 'Points available (weights sum to 100)' }),
    value: z.number().openapi({ description: '0–1' }),
    points: z.number(),
  })
  .openapi('MatchComponent');

export const reasonSchema = z
  .object({
    code: z.string(),
    kind: z.enum(['exclusion', 'support', 'plus', 'minus', 'note']),
    about: z.string(),
    params: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).openapi({
      description:
        'What the text was made of; empty for a caller who reads the match outside the person’s read scope (its employer, a supporting federation at the workplace): the text is what they may read',
    }),
    zh: z.string(),
    en: z.string(),
  })
  .openapi('MatchReason');

const historyEntry = z.object({
  from: z.string(),
  to: z.string(),
  action: z.string(),
  at: z.string(),
  by: z.string(),
  reasonCode: z.string().nullable(),
  note: z.string().nullable(),
});
const interviewSchema = z
  .object({ at: z.string(), mode: z.string(), note: z.string().nullable() })
  .nullable();

/**
 * One match, the same shape on every route that returns one (the review queue, /matches/:id, the
 * lists of an opening and of a job seeker). What the score knows of the person beyond the text of
 * its reasons is for the people who may read the profile; others in the match's scope read those
 * fields empty or null (see each).
 */
export const matchSchema = z
  .object({
    id: objectIdSchema,
    profileId: objectIdSchema,
    openingId: objectIdSchema,
    openingTitle: z.string().nullable(),
    employerId: z.string(),
    status: z.enum(MATCH_STATUSES),
    version: z.number().int(),
    score: z.number(),
    components: z.array(componentSchema),
    reasons: z.array(reasonSchema),
    algorithmVersion: z.string(),
    latestScore: z
      .object({
        score: z.number(),
        algorithmVersion: z.string(),
        eligible: z.boolean(),
        at: z.iso.datetime(),
      })
      .nullable()
      .openapi({
        description:
          'A recomputed score beside a match a person acted on (its score is kept); null without one, and for a caller outside the person’s read scope',
      }),
    supersededReason: z.object({ code: z.string(), zh: z.string(), en: z.string() }).nullable().openapi({
      description:
        'Why the suggestion was superseded; null if never, and for a caller outside the person’s read scope',
    }),
    suggestedAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
    waitingDays: z.number().int(),
    interview: interviewSchema,
    placementId: z.string().nullable(),
    history: z.array(historyEntry),
    /** What the caller may do with the match now. */
    allowedActions: z.array(z.enum(HUMAN_ACTIONS)),
  })
  .openapi('Match');

export const matchPageSchema = z
  .object({
    items: z.array(matchSchema),
    nextCursor: z.string().nullable(),
    total: z.number().int().nullable().openapi({
      description:
        'How many matches the list holds. The review queue counts on its first page; the lists of an opening and of a job seeker give it when the first page holds the whole list. Otherwise null (more pages follow: nextCursor), since a count reads every match',
    }),
  })
  .openapi('MatchPage');

export const proposalSchema = z
  .object({
    id: z.string(),
    openingId: z.string(),
    openingTitle: z.string().nullable(),
    status: z.enum(MATCH_STATUSES),
    version: z.number().int(),
    proposedAt: z.string().nullable(),
    interview: interviewSchema,
    placementId: z.string().nullable(),
    allowedActions: z.array(z.enum(HUMAN_ACTIONS)),
    /** `pending_consent` until the person consents to share with this employer for this opening. */
    identityStatus: z.enum(['pending_consent', 'shared']),
    /** Name and phone only, once consented; never an ID or certificate number. */
    identity: z.object({ name: z.string(), phone: z.string().nullable() }).nullable(),
    profile: z.record(z.string(), z.unknown()).nullable(),
  })
  .openapi('Proposal');

export const proposalPageSchema = pageSchema(proposalSchema);

export const reasonListsSchema = z.object({
  reject: z.array(z.object({ code: z.string(), zh: z.string(), en: z.string() })),
  decline: z.array(z.object({ code: z.string(), zh: z.string(), en: z.string() })),
  withdraw: z.array(z.object({ code: z.string(), zh: z.string(), en: z.string() })),
  interviewModes: z.array(z.enum(INTERVIEW_MODES)),
});

export const approveItem = z.object({
  profileId: objectIdSchema,
  openingId: objectIdSchema,
  score: z.number().min(0).max(100).optional(),
});
export type ApproveItem = z.infer<typeof approveItem>;
