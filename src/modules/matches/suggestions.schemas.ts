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
