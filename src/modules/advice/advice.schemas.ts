import { z } from '../../lib/zod.js';

const text = z.object({ zh: z.string(), en: z.string() });

/**
 * A count of people as shown to callers: exact from 5 up and at 0; from 1 to 4 it is
 * `{ count: null, fewerThan: 5 }` ("fewer than 5"), so that no person can be singled out.
 */
export const maskedCountSchema = z
  .object({
    count: z.number().int().min(0).nullable().openapi({ description: 'null when 1–4 people (masked)' }),
    fewerThan: z
      .literal(5)
      .nullable()
      .openapi({ description: '5 when the count is masked ("fewer than 5"), otherwise null' }),
  })
  .openapi('MaskedCount');

export const costBandSchema = z
  .object({
    minCny: z.number(),
    maxCny: z.number(),
    per: z.enum(['once', 'month']),
  })
  .openapi('AccommodationCostBand', {
    description:
      'A rough cost to the employer from the reference data (attributes.costBand): a band, not a quote',
  });

const changeSchema = z.object({
  kind: z.enum(['accommodation', 'demand']).openapi({
    description: 'accommodation: offer it; demand: drop this job demand (e.g. night shift → day shift only)',
  }),
  code: z.string(),
  label: text,
});

export const adviceItemSchema = z
  .object({
    ...changeSchema.shape,
    gained: maskedCountSchema.openapi({ description: 'People who would become eligible' }),
    gainedAtThreshold: maskedCountSchema.openapi({
      description: 'Of them, people scoring at least the threshold',
    }),
    costBand: costBandSchema.nullable(),
    serves: z.array(z.object({ code: z.string(), label: text })).openapi({
      description:
        'Limitations this change serves for this opening (limitation × demand → accommodation table)',
    }),
    text,
  })
  .openapi('AdviceItem');

export const adviceBundleSchema = z
  .object({
    changes: z.array(changeSchema),
    gained: maskedCountSchema,
    gainedAtThreshold: maskedCountSchema,
    text,
  })
  .openapi('AdviceBundle');

export const openingAdviceSchema = z
  .object({
    openingId: z.string().nullable().openapi({ description: 'null for a draft' }),
    threshold: z.number().openapi({
      description:
        'Score a person must reach to count in gainedAtThreshold: minScore when given, otherwise the score of the opening’s N-th best suggestion now (0 while it has fewer than N)',
    }),
    thresholdSource: z.enum(['minScore', 'suggestions']),
    current: z.object({ eligible: maskedCountSchema, atThreshold: maskedCountSchema }),
    items: z.array(adviceItemSchema).openapi({ description: 'Ranked by people gained' }),
    bundles: z.array(adviceBundleSchema).openapi({
      description:
        'The best two- and three-change bundles, chosen greedily (best single change, then the best addition, then the next): good, not guaranteed optimal',
    }),
    population: z.object({
      profiles: maskedCountSchema.openapi({ description: 'Job seekers held in memory for matching' }),
      scope: z.literal('partnership').openapi({
        description:
          'Counted: available, consenting, working-age people from areas paired with the opening’s city',
      }),
    }),
    summary: text,
  })
  .openapi('OpeningAdvice');

export const adviceQuery = z
  .object({
    minScore: z.coerce.number().min(0).max(100).optional().openapi({
      description:
        'Count gained people scoring at least this (default: the opening’s current suggestion threshold)',
    }),
  })
  .strict();

export const trainingAdviceQuery = z
  .object({
    origin: z
      .string()
      .regex(/^51(?!0000)\d{4}$/, 'a 四川 prefecture or county code')
      .openapi({ description: 'A 四川 prefecture or county (GB/T 2260): where the job seekers come from' }),
  })
  .strict();

export const trainingAdviceSchema = z
  .object({
    origin: z.object({ code: z.string(), name: text }),
    people: maskedCountSchema.openapi({
      description: 'Available, consenting job seekers of the origin held for matching',
    }),
    openings: z.number().int().openapi({ description: 'Open openings in the cities paired with the origin' }),
    items: z
      .array(
        z.object({
          programme: z.string(),
          label: text,
          skills: z.array(z.object({ code: z.string(), label: text })),
          people: maskedCountSchema.openapi({
            description:
              'People of the origin who would become eligible for, or enter the top N of, at least one more opening',
          }),
          places: z.number().int().openapi({
            description:
              'Open places of the openings unlocked (someone becomes eligible or enters the top N)',
          }),
          cities: z.array(
            z.object({ code: z.string(), name: text, openings: z.number().int(), places: z.number().int() }),
          ),
          text,
        }),
      )
      .openapi({ description: 'Ranked by places unlocked' }),
  })
  .openapi('TrainingAdvice');
