import { z } from '../../lib/zod.js';
import { DISABILITY_CATEGORIES, DISABILITY_LEVELS } from '../worker-profiles/identity-rules.js';

export const fairnessReportQuery = z
  .object({
    region: z
      .string()
      .regex(/^\d{6}$/, 'must be a 6-digit GB/T 2260 code')
      .optional()
      .openapi({ description: 'Only people whose origin lies in this region (within your scope)' }),
  })
  .strict();
export type FairnessReportQuery = z.infer<typeof fairnessReportQuery>;

const count = (description: string) => z.number().int().openapi({ description });
const rate = (description: string) => z.number().nullable().openapi({ description });

const measures = {
  registered: count('People registered (every status; erased never counted)'),
  available: count('People available for matching'),
  inProcess: count('People in process (a match under way)'),
  placed: count('People placed'),
  inactive: count('People not taking part for now'),
  suggested: count('People holding at least one current suggestion'),
  approved: count('People with a match a reviewer approved (at any time)'),
  proposed: count('People with a match proposed to an employer (at any time)'),
  hired: count('People with a match that reached a hire (at any time)'),
  suggestionRate: rate('suggested ÷ available (null when nobody is available)'),
  hireRate: rate('hired ÷ registered'),
  populationShare: rate('Share of the registered people'),
  availableShare: rate('Share of the available people'),
  suggestedShare: rate('Share of the people holding a suggestion'),
  hiredShare: rate('Share of the people hired'),
  suggestionRepresentation: rate('suggestedShare ÷ availableShare: 1 = suggested in proportion'),
  hireRepresentation: rate('hiredShare ÷ populationShare: 1 = hired in proportion'),
};

const category = z
  .enum([...DISABILITY_CATEGORIES, 'unknown'])
  .openapi({ description: '`unknown`: matches stored before the report dims (see reports:backfill)' });

export const fairnessReportSchema = z
  .object({
    categories: z.array(z.object({ disabilityCategory: category, ...measures })).openapi({
      description: 'One row per category of the vocabulary (and `unknown` when it holds someone)',
    }),
    levels: z
      .array(
        z.object({
          disabilityCategory: category,
          disabilityLevel: z.enum([...DISABILITY_LEVELS, 'unknown']),
          ...measures,
        }),
      )
      .openapi({ description: 'One row per (category, level) with someone counted' }),
    totals: z.object(measures),
    computedAt: z.iso.datetime().nullable().openapi({
      description:
        'When the snapshot these counts come from began reading (null: none yet, a first one is being computed and the counts are empty)',
    }),
    durationMs: z
      .number()
      .int()
      .nullable()
      .openapi({ description: 'How long that snapshot took to compute' }),
    generatedAt: z.iso.datetime(),
  })
  .openapi('FairnessReport');
export type FairnessReport = z.infer<typeof fairnessReportSchema>;

export const fairnessRunStateSchema = z
  .object({
    computedAt: z.iso.datetime().nullable().openapi({
      description: 'When the published snapshot began reading (null: none yet)',
    }),
    durationMs: z.number().int().nullable().openapi({ description: 'How long it took to compute' }),
    refresh: z.enum(['idle', 'queued', 'running']).openapi({
      description: 'A new snapshot: none asked for, waiting for the worker, or being computed',
    }),
  })
  .openapi('FairnessRunState');
export type FairnessRunState = z.infer<typeof fairnessRunStateSchema>;
