import { ORG_TYPES } from '../../lib/auth/actor.js';
import { objectIdSchema } from '../../lib/ids.js';
import { z } from '../../lib/zod.js';
import { creditCodeProblem, normaliseCreditCode } from './credit-code.js';
import { regionRuleProblem } from './org-rules.js';

export const orgTypeSchema = z.enum(ORG_TYPES);

export const regionCodeSchema = z
  .string()
  .regex(/^\d{6}$/, 'must be a 6-digit GB/T 2260 code')
  .openapi({ example: '513400' });

const CREDIT_MESSAGES = {
  length: 'must have 18 characters',
  character: 'may use only 0-9 and A-Z without I, O, S, V, Z',
  check: 'the check character (GB 32100-2015) does not match',
} as const;

/** 统一社会信用代码, normalised to upper case without spaces, check character verified. */
export const creditCodeSchema = z
  .string()
  .max(40)
  .transform(normaliseCreditCode)
  .superRefine((code, ctx) => {
    const problem = creditCodeProblem(code);
    if (problem) ctx.addIssue({ code: 'custom', message: CREDIT_MESSAGES[problem], params: { problem } });
  })
  .openapi({ type: 'string', example: '91440606MA4W00001X' });

/** GB/T 4754-2017: a section letter, optionally with its 2–4 digit division/group/class code. */
export const industryCodeSchema = z
  .string()
  .regex(/^[A-T](\d{2}|\d{3}|\d{4})?$/, 'must be a GB/T 4754 code such as C or C39')
  .openapi({ example: 'C39' });

const name = z.string().trim().min(2).max(100);
const nameEn = z.string().trim().min(2).max(200);
const staffCount = z.number().int().min(1).max(10_000_000);

function regionFits(type: 'recipient_federation' | 'supporting_federation' | 'employer') {
  return (code: string, ctx: z.RefinementCtx) => {
    const problem = regionRuleProblem(type, code);
    if (problem) ctx.addIssue({ code: 'custom', message: problem.en });
  };
}

export const createOrganizationSchema = z
  .discriminatedUnion('type', [
    z
      .object({
        type: z.literal('recipient_federation'),
        name,
        nameEn: nameEn.optional(),
        jurisdictionCode: regionCodeSchema.superRefine(regionFits('recipient_federation')),
      })
      .strict(),
    z
      .object({
        type: z.literal('supporting_federation'),
        name,
        nameEn: nameEn.optional(),
        jurisdictionCode: regionCodeSchema.superRefine(regionFits('supporting_federation')),
      })
      .strict(),
    z
      .object({
        type: z.literal('employer'),
        name,
        nameEn: nameEn.optional(),
        creditCode: creditCodeSchema,
        locationCode: regionCodeSchema.superRefine(regionFits('employer')),
        industryCode: industryCodeSchema,
        staffCount,
      })
      .strict(),
    z.object({ type: z.literal('platform'), name, nameEn: nameEn.optional() }).strict(),
  ])
  .openapi('OrganizationCreate');

export type CreateOrganizationInput = z.infer<typeof createOrganizationSchema>;

/** Region rules depend on the stored type, so the service checks them; the shapes are checked here. */
export const updateOrganizationSchema = z
  .object({
    name: name.optional(),
    nameEn: nameEn.nullable().optional(),
    jurisdictionCode: regionCodeSchema.optional(),
    creditCode: creditCodeSchema.optional(),
    locationCode: regionCodeSchema.optional(),
    industryCode: industryCodeSchema.optional(),
    staffCount: staffCount.optional(),
  })
  .strict()
  .refine((b) => Object.keys(b).length > 0, 'nothing to change')
  .openapi('OrganizationUpdate');

export type UpdateOrganizationInput = z.infer<typeof updateOrganizationSchema>;

export const organizationSchema = z
  .object({
    id: z.string(),
    type: orgTypeSchema,
    name: z.string(),
    nameEn: z.string().nullable(),
    jurisdictionCode: z.string().nullable(),
    creditCode: z.string().nullable(),
    locationCode: z.string().nullable(),
    industryCode: z.string().nullable(),
    staffCount: z.number().int().nullable(),
    version: z.number().int(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .openapi('Organization');

export const organizationPageSchema = z
  .object({ items: z.array(organizationSchema), nextCursor: z.string().nullable() })
  .openapi('OrganizationPage');

export const listOrganizationsQuery = z
  .object({
    type: orgTypeSchema.optional(),
    jurisdictionCode: regionCodeSchema.optional(),
    cursor: objectIdSchema.optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
  })
  .strict();

export type ListOrganizationsQuery = z.infer<typeof listOrganizationsQuery>;
