import { listQuerySchema } from '../../lib/http/pagination.js';
import { objectIdSchema } from '../../lib/ids.js';
import { z } from '../../lib/zod.js';
import { MATCH_STATUSES } from '../matching/reconcile.js';
import { COMPONENT_KEYS } from '../matching/types.js';
import { componentSchema, reasonSchema } from './matches.schemas.js';

const text = z.object({ zh: z.string(), en: z.string() });

export const listMatchesQuery = listQuerySchema(['score', 'suggestedAt'], '-score').extend({
  status: z
    .enum(MATCH_STATUSES)
    .optional()
    .openapi({ description: 'One status; by default every match except superseded ones' }),
});
export type ListMatchesQuery = z.infer<typeof listMatchesQuery>;

/** What an explanation and a pair's fit share (not a named schema: each names its own). */
const comparisonSchema = z.object({
  profileId: objectIdSchema,
  openingId: objectIdSchema,
  algorithmVersion: z.string(),
  eligible: z.boolean(),
  score: z.number(),
  components: z.array(componentSchema),
  rows: z.array(
    z.object({
      key: z.string(),
      hard: z.boolean(),
      component: z.enum(COMPONENT_KEYS).nullable(),
      requirement: text,
      profile: text,
      met: z.boolean().nullable(),
      why: text,
    }),
  ),
  reasons: z.array(reasonSchema),
});

export const explanationSchema = comparisonSchema
  .extend({ matchId: objectIdSchema, status: z.enum(MATCH_STATUSES) })
  .openapi('MatchExplanation');

export const fitQuery = z.object({ openingId: objectIdSchema }).strict();

export const fitSchema = comparisonSchema
  .extend({
    matchId: objectIdSchema
      .nullable()
      .openapi({ description: 'The stored match of this pair, if matching ever stored one' }),
    status: z.enum(MATCH_STATUSES).nullable().openapi({ description: 'Its status; null without one' }),
    failures: z.array(reasonSchema).openapi({
      description:
        'Every hard constraint the pair fails, in the order they are checked (empty when the pair is eligible)',
    }),
  })
  .openapi('PairFit');

export const bestOpeningsQuery = z
  .object({
    limit: z.coerce
      .number()
      .int()
      .min(1)
      .max(100)
      .default(20)
      .openapi({ description: 'How many openings, best first' }),
  })
  .strict();
export type BestOpeningsQuery = z.infer<typeof bestOpeningsQuery>;

export const bestOpeningsSchema = z
  .object({
    profileId: objectIdSchema,
    computedAt: z.iso.datetime().openapi({ description: 'When the ranking was computed (now)' }),
    eligible: z.boolean().openapi({
      description:
        'Whether the person can be matched at all (consent, status, working age); no openings when not',
    }),
    openingsConsidered: z
      .number()
      .int()
      .openapi({ description: 'Open openings with places left that were ranked' }),
    items: z.array(
      z.object({
        openingId: objectIdSchema,
        openingTitle: z.string().nullable(),
        score: z.number(),
        components: z.array(componentSchema),
        reasons: z.array(reasonSchema),
        match: z
          .object({ id: objectIdSchema, status: z.enum(MATCH_STATUSES) })
          .nullable()
          .openapi({
            description: 'The match stored for this pair, if any (a suggestion or one a person acted on)',
          }),
      }),
    ),
  })
  .openapi('BestOpenings');
