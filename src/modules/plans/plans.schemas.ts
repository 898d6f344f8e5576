import { listQuerySchema, pageSchema } from '../../lib/http/pagination.js';
import { objectIdSchema } from '../../lib/ids.js';
import { z } from '../../lib/zod.js';
import { regionCodeSchema } from '../openings/openings.schemas.js';
import { PLAN_STATUSES } from './plans.repository.js';

/**
 * Request and response shapes of campaign plans. People and openings are chosen by filters, never
 * listed by the client: the job seekers are the available, consented, working-age people of the
 * origin; the openings the open ones with places left in the chosen cities.
 */

export const createPlanSchema = z
  .object({
    people: z
      .object({
        originCode: regionCodeSchema.openapi({
          description: 'Origin prefecture or county (四川) of the job seekers; status available is implied',
          example: '513400',
        }),
      })
      .strict(),
    openings: z
      .object({
        cityCodes: z.array(regionCodeSchema).min(1).max(50).optional().openapi({
          description:
            'Where the openings are (浙江/广东 cities or provinces); default: the supporting regions paired with the origin. Open with places left is implied',
        }),
      })
      .strict()
      .default({}),
    options: z
      .object({
        minScore: z
          .number()
          .min(0)
          .max(100)
          .default(0)
          .openapi({ description: 'Pairs below this score are never used' }),
        keepCountyGroups: z
          .boolean()
          .default(false)
          .openapi({ description: 'Prefer placing people from one county at the same employer' }),
        maxEmployersPerBatch: z.number().int().min(1).max(100).nullable().default(null).openapi({
          description: 'At most this many distinct employers per origin county (one transfer batch)',
        }),
        timeLimitSeconds: z
          .number()
          .int()
          .min(1)
          .max(300)
          .default(30)
          .openapi({ description: 'Solver time limit' }),
      })
      .strict()
      .default({ minScore: 0, keepCountyGroups: false, maxEmployersPerBatch: null, timeLimitSeconds: 30 }),
  })
  .strict();
export type CreatePlanInput = z.infer<typeof createPlanSchema>;

const pairSchema = z.object({ profileId: objectIdSchema, openingId: objectIdSchema }).strict();

export const acceptPlanSchema = z
  .object({
    assignments: z
      .union([z.literal('all'), z.array(pairSchema).min(1).max(5000)])
      .openapi({ description: '"all", or the (profile, opening) pairs of the plan to accept' }),
    note: z.string().trim().max(500).optional(),
  })
  .strict();
export type AcceptPlanInput = z.infer<typeof acceptPlanSchema>;

export const listPlansQuery = listQuerySchema(['createdAt'], '-createdAt');

const progressSchema = z.object({
  phase: z.enum(['queued', 'loading', 'scoring', 'solving', 'explaining', 'storing', 'done', 'failed']),
  percent: z.number(),
});

const requestSchema = z.object({
  originCode: z.string(),
  cityCodes: z.array(z.string()),
  minScore: z.number(),
  keepCountyGroups: z.boolean(),
  maxEmployersPerBatch: z.number().int().nullable(),
  timeLimitSeconds: z.number(),
});

export const planSummarySchema = z
  .object({
    id: z.string(),
    status: z.enum(PLAN_STATUSES),
    progress: progressSchema,
    request: requestSchema,
    requestedBy: z.object({ userId: z.string(), organizationId: z.string() }),
    error: z.string().nullable(),
    createdAt: z.string(),
    startedAt: z.string().nullable(),
    finishedAt: z.string().nullable(),
  })
  .openapi('PlanSummary');

export const planPageSchema = pageSchema(planSummarySchema);

const figuresSchema = z
  .object({
    totalScore: z.number(),
    groupBonus: z.number(),
    objective: z.number(),
    assigned: z.number().int(),
    slots: z.number().int(),
    fillRate: z.number(),
    meanScore: z.number().nullable(),
    openingsFull: z.number().int(),
    grouped: z.number().int(),
    maxEmployersPerCounty: z.number().int(),
    unassigned: z.record(z.string(), z.number().int()),
    wallMs: z.number(),
  })
  .openapi('PlanFigures');

const personSchema = z
  .object({
    profileId: z.string(),
    name: z
      .string()
      .nullable()
      .openapi({ description: 'Masked (surname kept); null when no longer visible' }),
    sex: z.string().nullable(),
    age: z.number().int().nullable(),
    originCode: z.string(),
  })
  .openapi('PlanPerson');

const topNoteSchema = z
  .object({
    openingId: z.string(),
    score: z.number(),
    reason: z.enum(['taken', 'no_slots', 'kept_with_group', 'employer_limit']),
    heldBy: z.array(z.object({ profileId: z.string(), score: z.number() })),
    forcingCost: z.number().nullable().openapi({
      description: 'Total score the plan would lose if this person took that opening instead',
    }),
    displaced: z
      .object({
        profileId: z.string(),
        score: z.number(),
        movesTo: z.object({ openingId: z.string(), score: z.number() }).nullable(),
      })
      .nullable(),
  })
  .openapi('PlanTopOpeningNote');

const componentSchema = z.object({ key: z.string(), weight: z.number(), points: z.number() });

export const planDetailSchema = planSummarySchema
  .extend({
    result: z
      .object({
        figures: figuresSchema,
        baselines: z.object({ greedy: figuresSchema, deferredAcceptance: figuresSchema }).nullable(),
        solver: z.object({
          used: z.string(),
          exact: z.boolean(),
          fallbackReason: z.string().nullable(),
          mipGap: z.number().nullable(),
          wallMs: z.number(),
        }),
        counts: z.object({
          people: z.number().int(),
          openings: z.number().int(),
          slots: z.number().int(),
          excludedInProcess: z.number().int(),
          candidatePairs: z.number().int(),
        }),
        timings: z.record(z.string(), z.number()),
        openings: z.array(
          z.object({
            openingId: z.string(),
            title: z.string().nullable(),
            employerId: z.string(),
            regionCode: z.string(),
            slots: z.number().int(),
            people: z.array(personSchema.extend({ score: z.number() })),
            totalScore: z.number(),
            fillRate: z.number(),
          }),
        ),
        assignments: z.array(
          z.object({
            person: personSchema,
            openingId: z.string(),
            score: z.number(),
            rank: z
              .number()
              .int()
              .openapi({ description: '1 when no eligible opening scores higher for the person' }),
            companions: z.number().int(),
            components: z
              .array(componentSchema)
              .openapi({ description: 'Why this opening: the score by component' }),
            top: topNoteSchema
              .nullable()
              .openapi({ description: 'Why not their top opening; null when they got it' }),
          }),
        ),
        unassigned: z.array(
          z.object({
            person: personSchema,
            reason: z.enum(['no_eligible_opening', 'below_minimum_score', 'outscored', 'employer_limit']),
            top: topNoteSchema.nullable(),
          }),
        ),
      })
      .nullable(),
    acceptances: z.array(
      z.object({
        id: z.string(),
        at: z.string(),
        by: z.string(),
        accepted: z.array(z.object({ profileId: z.string(), openingId: z.string(), matchId: z.string() })),
        skipped: z.array(z.object({ profileId: z.string(), openingId: z.string(), code: z.string() })),
      }),
    ),
  })
  .openapi('Plan');

export const SKIP_CODES = [
  'profile_gone',
  'profile_not_available',
  'profile_not_eligible',
  'in_process_elsewhere',
  'opening_not_open',
  'opening_full',
  'match_in_other_state',
  'concurrent_change',
] as const;
export type SkipCode = (typeof SKIP_CODES)[number];

export const acceptanceResultSchema = z
  .object({
    planId: z.string(),
    acceptanceId: z.string(),
    accepted: z.array(
      z.object({
        profileId: z.string(),
        openingId: z.string(),
        matchId: z.string(),
        outcome: z.enum(['approved', 'already_approved']),
      }),
    ),
    skipped: z.array(
      z.object({
        profileId: z.string(),
        openingId: z.string(),
        code: z.enum(SKIP_CODES),
        message: z.string(),
        messageEn: z.string(),
      }),
    ),
    placements: z
      .array(
        z.object({
          openingId: z.string(),
          employerId: z.string(),
          originCode: z.string(),
          profileIds: z.array(z.string()),
        }),
      )
      .openapi({
        description: 'Accepted people by opening and origin county: what a transfer batch is made from',
      }),
  })
  .openapi('PlanAcceptance');
