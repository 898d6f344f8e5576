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
