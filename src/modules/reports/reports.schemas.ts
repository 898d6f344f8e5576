import { objectIdSchema } from '../../lib/ids.js';
import { z } from '../../lib/zod.js';
import { DISABILITY_CATEGORIES, DISABILITY_LEVELS } from '../worker-profiles/identity-rules.js';
import { PROFILE_STATUSES } from '../worker-profiles/status.js';

export const profilesReportQuery = z
  .object({
    region: z
      .string()
      .regex(/^\d{6}$/, 'must be a 6-digit GB/T 2260 code')
      .optional()
      .openapi({ description: 'Only people whose origin lies in this region (within your scope)' }),
    status: z.enum(PROFILE_STATUSES).optional(),
  })
  .strict();
export type ProfilesReportQuery = z.infer<typeof profilesReportQuery>;

export const profilesReportSchema = z
  .object({
    rows: z
      .array(
        z.object({
          disabilityCategory: z.enum(DISABILITY_CATEGORIES),
          disabilityLevel: z.enum(DISABILITY_LEVELS),
          status: z.enum(PROFILE_STATUSES),
          count: z.number().int(),
        }),
      )
      .openapi({ description: 'One row per (category, level, status) with at least one person' }),
    total: z.number().int(),
    generatedAt: z.iso.datetime(),
  })
  .openapi('ProfilesReport');
export type ProfilesReport = z.infer<typeof profilesReportSchema>;

// ---- placements -----------------------------------------------------------------------------------

const yearSchema = z.coerce
  .number()
  .int()
  .min(2000)
  .max(2100)
  // The document states the bounds too (the `type` override would drop them), so clients and the
  // fuzzer see the years the API takes.
  .openapi({
    type: 'integer',
    minimum: 2000,
    maximum: 2100,
    description: 'Calendar year (China time)',
    example: 2026,
  });

export const PLACEMENT_SECTIONS = [
  'summary',
  'funnel',
  'byPartnership',
  'byCounty',
  'byCategoryLevel',
  'byEmployer',
  'timeToPlacement',
  'quotaCredit',
] as const;
export type PlacementSection = (typeof PLACEMENT_SECTIONS)[number];

export const placementsReportQuery = z
  .object({
    year: yearSchema,
    region: z
      .string()
      .regex(/^\d{6}$/, 'must be a 6-digit GB/T 2260 code')
      .optional()
      .openapi({ description: 'Only people whose origin lies in this region (within your scope)' }),
  })
  .strict();
export type PlacementsReportQuery = z.infer<typeof placementsReportQuery>;

export const placementsExportQuery = placementsReportQuery
  .extend({ section: z.enum(PLACEMENT_SECTIONS) })
  .strict();
export type PlacementsExportQuery = z.infer<typeof placementsExportQuery>;

export const FUNNEL_STAGES = [
  'suggested',
  'approved',
  'proposed',
  'hired',
  'retained3m',
  'retained6m',
] as const;

const rowSchema = z.object({
  key: z.string().openapi({
    description:
      'The group (partnership id, county code, category/level, employer id); `unknown` / `none` for placements without it',
  }),
  label: z.string(),
  labelEn: z.string(),
  placements: z.number().int(),
  retained3m: z.number().int(),
  retained6m: z.number().int(),
  quotaCredit: z
    .number()
    .openapi({ description: 'Quota weight credited on the credit day (level 一/二 count two)' }),
});

export const placementsReportSchema = z
  .object({
    year: z.number().int(),
    region: z.string().nullable(),
    generatedAt: z.iso.datetime(),
    summary: z.object({
      placed: z.number().int().openapi({ description: 'Placements hired in the year' }),
      target: z
        .number()
        .int()
        .nullable()
        .openapi({ description: 'Sum of the targets of the organisations in scope; null when none is set' }),
      percentOfTarget: z.number().nullable(),
      creditDay: z
        .string()
        .openapi({ description: 'The day quota credit is read on (today, or 31 Dec of a past year)' }),
    }),
    funnel: z.array(z.object({ stage: z.enum(FUNNEL_STAGES), count: z.number().int() })),
    byPartnership: z.array(rowSchema),
    byCounty: z.array(rowSchema),
    byCategoryLevel: z.array(rowSchema),
    byEmployer: z.array(rowSchema),
    timeToPlacement: z.object({
      placements: z.number().int().openapi({ description: 'Placements whose suggestion date is known' }),
      unknown: z.number().int(),
      median: z.number().int().nullable(),
      p75: z.number().int().nullable(),
      p90: z.number().int().nullable(),
      histogram: z.array(z.object({ key: z.string(), count: z.number().int() })),
    }),
    quotaCredit: z.object({
      total: z.number(),
      byEmployer: z.array(
        z.object({
          key: z.string(),
          label: z.string(),
          labelEn: z.string(),
          placements: z.number().int().openapi({ description: 'Placements credited' }),
          credit: z.number(),
        }),
      ),
    }),
  })
  .openapi('PlacementsReport');
export type PlacementsReport = z.infer<typeof placementsReportSchema>;
export type PlacementsReportRow = z.infer<typeof rowSchema>;

export const targetParams = z.object({ year: yearSchema }).strict();
export const targetQuery = z
  .object({
    organizationId: objectIdSchema
      .optional()
      .openapi({ description: 'Admins: the organisation (default: your own)' }),
  })
  .strict();
export const setTargetBody = z
  .object({
    target: z.number().int().min(0).max(1_000_000),
    organizationId: objectIdSchema
      .optional()
      .openapi({ description: 'Admins only: the federation whose target this is (default: your own)' }),
  })
  .strict();
export type SetTargetBody = z.infer<typeof setTargetBody>;

export const placementTargetSchema = z
  .object({
    organizationId: z.string(),
    year: z.number().int(),
    target: z.number().int().nullable(),
    version: z.number().int().openapi({ description: '0 while no target is set' }),
  })
  .openapi('PlacementTarget');
