import { listQuerySchema, pageSchema } from '../../lib/http/pagination.js';
import { objectIdSchema } from '../../lib/ids.js';
import { z } from '../../lib/zod.js';
import { VOCABULARY_EXAMPLES, type VocabularyKind } from '../reference/reference.seed.js';
import {
  CANTEEN,
  EXCLUSION_FIELDS,
  isCalendarDate,
  normaliseContactPhone,
  SHIFTS,
} from './openings.rules.js';
import { EMPLOYER_ACTIONS, OPENING_STATUSES } from './openings.status.js';

/**
 * Request and response shapes of openings. Codes (skills, demands, accommodations, training,
 * occupation group, categories) are checked against the reference vocabularies by the service,
 * which names each unknown one; cross-field rules are in `openings.rules.ts`.
 */

const code = z.string().trim().min(1).max(40);

/** A code of one vocabulary, with a real example of it (see `vocabCode` of profiles). */
const vocabCode = (kind: VocabularyKind) =>
  code.openapi({ description: `${kind} code`, example: VOCABULARY_EXAMPLES[kind], 'x-vocabulary': kind });

/** A list of vocabulary codes without repeats; a repeat is named by its index. */
function codeList(max: number, kind: VocabularyKind) {
  return z
    .array(vocabCode(kind))
    .max(max)
    .superRefine((codes, ctx) => {
      codes.forEach((c, i) => {
        if (codes.indexOf(c) !== i)
          ctx.addIssue({ code: 'custom', path: [i], message: `"${c}" is listed twice` });
      });
    });
}

export const regionCodeSchema = z
  .string()
  .regex(/^\d{6}$/, 'must be a 6-digit GB/T 2260 code')
  .openapi({ example: '440600' });

const dateSchema = z
  .string()
  .refine(isCalendarDate, 'must be a calendar date YYYY-MM-DD')
  .openapi({ example: '2026-03-01' });

const yuan = (max: number) => z.number().int('whole yuan').min(0).max(max);

export const skillRequirementSchema = z
  .object({
    code: vocabCode('skill'),
    level: vocabCode('skill_level').openapi({ description: 'skill_level code (1 入门, 2 熟练, 3 精通)' }),
  })
  .strict();

const skillsSchema = z
  .array(skillRequirementSchema)
  .max(20)
  .superRefine((skills, ctx) => {
    const codes = skills.map((s) => s.code);
    codes.forEach((c, i) => {
      if (codes.indexOf(c) !== i)
        ctx.addIssue({ code: 'custom', path: [i, 'code'], message: `"${c}" is listed twice` });
    });
  });

export const hoursSchema = z
  .object({
    hoursPerDay: z.number().min(1).max(12).multipleOf(0.5),
    daysPerWeek: z.number().int().min(1).max(7),
    shifts: z
      .array(z.enum(SHIFTS))
      .min(1)
      .max(SHIFTS.length)
      .refine((s) => new Set(s).size === s.length, 'a shift is listed twice'),
    note: z.string().trim().max(200).optional(),
  })
  .strict();

export const dormitorySchema = z
  .object({
    provided: z.boolean(),
    /** Step-free, with an accessible bathroom: what a wheelchair user needs to live there. */
    accessible: z.boolean().default(false),
    costPerMonthCny: yuan(5_000).default(0),
  })
  .strict();

export const contractSchema = z
  .object({
    termMonths: z.number().int().min(1).max(120),
    /** 五险 (pension, medical, unemployment, work injury, maternity) paid by the employer. */
    socialInsurance: z.boolean(),
    housingFund: z.boolean().default(false),
  })
  .strict();

/** The employer's own contact for accommodation requests (a business contact, not a job seeker). */
export const contactSchema = z
  .object({
    name: z.string().trim().min(2).max(40),
    phone: z
      .string()
      .max(40)
      .transform((v, ctx) => {
        const phone = normaliseContactPhone(v);
        if (!phone) {
          ctx.addIssue({
            code: 'custom',
            message: 'must be a mainland mobile number or a landline with area code (020-12345678)',
          });
          return z.NEVER;
        }
        return phone;
      })
      .openapi({ type: 'string', example: '0757-83001234' }),
    email: z.email().max(200).optional(),
  })
  .strict();

/** Named only to be refused with the law's reason (see EXCLUSION_FIELDS); never accepted. */
const exclusionFields = Object.fromEntries(
  EXCLUSION_FIELDS.map((f) => [
    f,
    z.unknown().optional().openapi({
      description:
        'Always refused (400, exclusion_not_allowed): an opening never excludes disability categories. Use suitableFor (information only).',
    }),
  ]),
) as Record<(typeof EXCLUSION_FIELDS)[number], z.ZodOptional<z.ZodUnknown>>;

const contentShape = {
  title: z.string().trim().min(2).max(80),
  description: z.string().trim().min(1).max(5_000),
  occupationGroup: vocabCode('occupation_group').openapi({
    description: '职业分类大典 (2015) major group, occupation_group code',
  }),
  regionCode: regionCodeSchema.openapi({ description: 'Where the work is: a 广东 or 浙江 region' }),
  address: z.string().trim().min(2).max(200),
  skills: skillsSchema,
  preferredTraining: codeList(10, 'training_programme').openapi({ description: 'training_programme codes' }),
  headcount: z.number().int().min(1).max(10_000),
  wageMin: yuan(200_000).openapi({ description: 'CNY per month, not below WAGE_FLOOR_CNY' }),
  wageMax: yuan(200_000).openapi({ description: 'CNY per month, not below wageMin' }),
  hours: hoursSchema,
  jobDemands: codeList(30, 'job_demand').openapi({ description: 'job_demand codes' }),
  accommodationsOffered: codeList(30, 'accommodation').openapi({ description: 'accommodation codes' }),
  dormitory: dormitorySchema,
  canteen: z.enum(CANTEEN),
  travelSubsidyCny: yuan(20_000).openapi({ description: 'travel from home to the workplace, CNY' }),
  contract: contractSchema,
  accommodationContact: contactSchema,
  startDate: dateSchema,
  suitableFor: codeList(7, 'disability_category').openapi({
    description:
      'disability_category codes the employer considers the work suitable for: information shown to staff, never used to exclude anyone',
  }),
};

export const createOpeningSchema = z
  .object({
    employerId: objectIdSchema
      .optional()
      .openapi({ description: 'Admins only (acting for an employer); employers post for their own' }),
    ...contentShape,
    skills: contentShape.skills.default([]),
    preferredTraining: contentShape.preferredTraining.default([]),
    jobDemands: contentShape.jobDemands.default([]),
    accommodationsOffered: contentShape.accommodationsOffered.default([]),
    travelSubsidyCny: contentShape.travelSubsidyCny.default(0),
    suitableFor: contentShape.suitableFor.default([]),
    ...exclusionFields,
  })
  .strict()
  .openapi('OpeningCreate');

export type CreateOpeningInput = z.infer<typeof createOpeningSchema>;

/** Every content field optional; nested objects (hours, dormitory, …) are replaced whole. */
export const updateOpeningSchema = z
  .object({
    ...Object.fromEntries(Object.entries(contentShape).map(([k, v]) => [k, v.optional()])),
    ...exclusionFields,
  } as { [K in keyof typeof contentShape]: z.ZodOptional<(typeof contentShape)[K]> } & typeof exclusionFields)
  .strict()
  .refine((b) => Object.keys(b).length > 0, 'nothing to change')
  .openapi('OpeningUpdate');

export type UpdateOpeningInput = z.infer<typeof updateOpeningSchema>;

/** The fields of the content (what create and update may set, besides `employerId`). */
export const CONTENT_FIELDS = Object.keys(contentShape) as (keyof typeof contentShape)[];

export const openingStatusSchema = z.enum(OPENING_STATUSES);

export const openingSchema = z
  .object({
    id: z.string(),
    employerId: z.string(),
    employerName: z.string().nullable(),
    title: z.string(),
    description: z.string(),
    occupationGroup: z.string(),
    regionCode: z.string(),
    address: z.string(),
    skills: z.array(z.object({ code: z.string(), level: z.string() })),
    preferredTraining: z.array(z.string()),
    headcount: z.number().int(),
    filled: z.number().int().openapi({ description: 'Hires recorded (derived; never set by clients)' }),
    wageMin: z.number().int(),
    wageMax: z.number().int(),
    hours: z.object({
      hoursPerDay: z.number(),
      daysPerWeek: z.number().int(),
      shifts: z.array(z.enum(SHIFTS)),
      note: z.string().nullable(),
    }),
    jobDemands: z.array(z.string()),
    accommodationsOffered: z.array(z.string()),
    dormitory: z.object({
      provided: z.boolean(),
      accessible: z.boolean(),
      costPerMonthCny: z.number().int(),
    }),
    canteen: z.enum(CANTEEN),
    travelSubsidyCny: z.number().int(),
    contract: z.object({
      termMonths: z.number().int(),
      socialInsurance: z.boolean(),
      housingFund: z.boolean(),
    }),
    accommodationContact: z.object({ name: z.string(), phone: z.string(), email: z.string().nullable() }),
    startDate: z.string(),
    suitableFor: z.array(z.string()),
    status: openingStatusSchema,
    statusChangedAt: z.iso.datetime(),
    allowedActions: z.array(z.enum(EMPLOYER_ACTIONS)),
    version: z.number().int(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .openapi('Opening');

export const openingPageSchema = pageSchema(openingSchema).openapi('OpeningPage');

export const SORTABLE = ['updatedAt', 'createdAt', 'startDate', 'wageMax', 'headcount'] as const;

const filterShape = {
  status: openingStatusSchema.optional(),
  region: regionCodeSchema.optional().openapi({ description: 'a region and everything inside it' }),
  skill: code.optional(),
  updatedSince: z.iso.datetime({ offset: true }).optional(),
  employer: objectIdSchema.optional(),
};

export const listOpeningsQuery = listQuerySchema(SORTABLE, '-updatedAt').extend(filterShape).strict();
export type ListOpeningsQuery = z.infer<typeof listOpeningsQuery>;

export const exportOpeningsQuery = z
  .object({ ...filterShape, sort: listQuerySchema(SORTABLE, '-updatedAt').shape.sort })
  .strict();
export type ExportOpeningsQuery = z.infer<typeof exportOpeningsQuery>;
export type OpeningFilter = z.infer<z.ZodObject<typeof filterShape>>;
