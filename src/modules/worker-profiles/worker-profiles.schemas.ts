import { chinaDay } from '../../lib/china-time.js';
import { listQuerySchema, pageSchema } from '../../lib/http/pagination.js';
import { objectIdSchema } from '../../lib/ids.js';
import { z } from '../../lib/zod.js';
import { VOCABULARY_EXAMPLES, type VocabularyKind } from '../reference/reference.seed.js';
import {
  personNameSchema,
  processingConsentInputSchema,
  REPRESENTATIVE_RELATIONS,
} from './consents.schemas.js';
import {
  certificateNumberSchema,
  disabilityCategorySchema,
  disabilityLevelSchema,
  identityConsistency,
  idNumberSchema,
  phoneSchema,
  sexSchema,
} from './identity.js';
import { DEACTIVATION_REASONS, PROFILE_STATUSES, STATUS_ACTION_NAMES } from './status.js';

/** A stable vocabulary code (`electronic_assembly`, `2`, `cmn`); whether it is known is checked against reference data. */
export const vocabularyCodeSchema = z.string().regex(/^[A-Za-z0-9_]{1,40}$/, 'must be a vocabulary code');

/**
 * A code of one vocabulary: the API document shows a real code of it as the example and names the
 * vocabulary in `x-vocabulary` (a test checks every example against its vocabulary).
 */
export function vocabCode(kind: VocabularyKind) {
  return vocabularyCodeSchema.openapi({
    description: `${kind} code`,
    example: VOCABULARY_EXAMPLES[kind],
    'x-vocabulary': kind,
  });
}

export const regionCodeSchema = z
  .string()
  .regex(/^\d{6}$/, 'must be a 6-digit GB/T 2260 code')
  .openapi({ example: '513431' });

const isoDateSchema = z.iso.date().openapi({ example: '2024-03-01' });

function uniqueBy<T>(key: (item: T) => string) {
  return (items: T[], ctx: z.RefinementCtx) => {
    const seen = new Set<string>();
    items.forEach((item, i) => {
      const k = key(item);
      if (seen.has(k))
        ctx.addIssue({
          code: 'custom',
          path: [i],
          message: 'listed twice',
          params: { code: 'duplicate_item' },
        });
      seen.add(k);
    });
  };
}

const codeList = (max: number, kind: VocabularyKind) =>
  z
    .array(vocabCode(kind))
    .max(max)
    .superRefine(uniqueBy((c) => c));

export const skillSchema = z
  .object({
    code: vocabCode('skill'),
    level: vocabCode('skill_level')
      .default('1')
      .openapi({ description: 'skill_level code: 1 入门, 2 熟练, 3 精通或持证' }),
  })
  .strict();

export const experienceSchema = z
  .object({
    occupationGroup: vocabCode('occupation_group').optional(),
    skill: vocabCode('skill').optional(),
    months: z.number().int().min(1).max(720),
    endedYear: z.number().int().min(1950).max(2100).optional(),
    employerName: z.string().trim().min(1).max(100).optional(),
    description: z.string().trim().min(1).max(300).optional(),
  })
  .strict();

export const preferencesSchema = z
  .object({
    /** 广东 / 浙江 provinces or cities the person would move to; empty = anywhere. */
    destinationCodes: z
      .array(regionCodeSchema)
      .max(30)
      .default([])
      .superRefine(uniqueBy((c) => c)),
    minimumWage: z
      .number()
      .int()
      .min(0)
      .max(100_000)
      .nullable()
      .default(null)
      .openapi({ description: 'CNY per month' }),
    jobTypes: codeList(10, 'occupation_group').default([]).openapi({ description: 'occupation_group codes' }),
    needsDormitory: z.boolean().default(false),
    needsAccessibleDormitory: z.boolean().default(false),
    willingToTravelWithGroup: z.boolean().nullable().default(null),
  })
  .strict()
  .superRefine((p, ctx) => {
    if (p.needsAccessibleDormitory && !p.needsDormitory)
      ctx.addIssue({
        code: 'custom',
        path: ['needsDormitory'],
        message: 'an accessible dormitory is a dormitory: set needsDormitory too',
        params: { code: 'accessible_dormitory_needs_dormitory' },
      });
  });
export type Preferences = z.infer<typeof preferencesSchema>;

export const guardianSchema = z
  .object({
    relation: z.enum(REPRESENTATIVE_RELATIONS),
    name: personNameSchema,
    phone: phoneSchema.optional(),
  })
  .strict();

/** Fields of a profile that are not identity numbers; shared by create, update and import. */
const profileDetailFields = {
  originCode: regionCodeSchema.openapi({
    description: '户籍所在地: a 四川 prefecture or county within the registering federation’s jurisdiction',
  }),
  functionalLimitations: codeList(30, 'limitation').default([]),
  assistiveDevices: codeList(20, 'assistive_device').default([]),
  accommodationsNeeded: codeList(30, 'accommodation').default([]),
  skills: z
    .array(skillSchema)
    .max(30)
    .default([])
    .superRefine(uniqueBy((s) => s.code)),
  education: vocabCode('education').nullable().default(null),
  languages: codeList(10, 'language').default([]),
  experience: z.array(experienceSchema).max(20).default([]),
  preferences: preferencesSchema.default({
    destinationCodes: [],
    minimumWage: null,
    jobTypes: [],
    needsDormitory: false,
    needsAccessibleDormitory: false,
    willingToTravelWithGroup: null,
  }),
  guardian: guardianSchema.nullable().default(null),
};

export const createProfileSchema = z
  .object({
    name: personNameSchema,
    idNumber: idNumberSchema,
    certificateNumber: certificateNumberSchema,
    phone: phoneSchema.nullable().default(null),
    /** Declared values are only checked against the ID number; the stored ones are derived from it. */
    sex: sexSchema.optional(),
    birthDate: isoDateSchema.optional(),
    disabilityCategory: disabilityCategorySchema,
    disabilityLevel: disabilityLevelSchema,
    ...profileDetailFields,
    processingConsent: processingConsentInputSchema.optional().openapi({
      description: 'Record the consent to process sensitive data (PIPL Art. 29) together with the profile',
    }),
  })
  .strict()
  .superRefine(identityConsistency())
  .openapi('WorkerProfileCreate');
export type CreateProfileInput = z.infer<typeof createProfileSchema>;

/** Each top-level field given replaces the stored value; null clears an optional one. */
export const updateProfileSchema = z
  .object({
    name: personNameSchema.optional(),
    idNumber: idNumberSchema.optional(),
    certificateNumber: certificateNumberSchema.optional(),
    phone: phoneSchema.nullable().optional(),
    sex: sexSchema.optional(),
    birthDate: isoDateSchema.optional(),
    disabilityCategory: disabilityCategorySchema.optional(),
    disabilityLevel: disabilityLevelSchema.optional(),
    originCode: profileDetailFields.originCode.optional(),
    functionalLimitations: codeList(30, 'limitation').optional(),
    assistiveDevices: codeList(20, 'assistive_device').optional(),
    accommodationsNeeded: codeList(30, 'accommodation').optional(),
    skills: z
      .array(skillSchema)
      .max(30)
      .superRefine(uniqueBy((s) => s.code))
      .optional(),
    education: vocabCode('education').nullable().optional(),
    languages: codeList(10, 'language').optional(),
    experience: z.array(experienceSchema).max(20).optional(),
    preferences: preferencesSchema.optional(),
    guardian: guardianSchema.nullable().optional(),
  })
  .strict()
  .refine((b) => Object.keys(b).length > 0, {
    message: 'nothing to change',
    params: { code: 'empty_update' },
  })
  .openapi('WorkerProfileUpdate');
export type UpdateProfileInput = z.infer<typeof updateProfileSchema>;

export const statusActionSchema = z
  .object({
    action: z.enum(STATUS_ACTION_NAMES as [string, ...string[]]).openapi({
      description:
        'start_process, return_to_pool, place, end_placement, deactivate (reason required), reactivate',
    }),
    reason: z.enum(DEACTIVATION_REASONS).optional(),
  })
  .strict()
  .openapi('WorkerProfileStatusAction');

export const REVEALABLE_FIELDS = [
  'name',
  'idNumber',
  'certificateNumber',
  'phone',
  'guardian.name',
  'guardian.phone',
] as const;
export type RevealableField = (typeof REVEALABLE_FIELDS)[number];
export const REVEAL_REASONS = [
  'contact_person',
  'verify_identity',
  'prepare_transfer',
  'placement_follow_up',
  'data_subject_request',
  'official_report',
] as const;

export const revealSchema = z
  .object({
    reason: z.enum(REVEAL_REASONS),
    fields: z
      .array(z.enum(REVEALABLE_FIELDS))
      .min(1)
      .max(REVEALABLE_FIELDS.length)
      .refine((l) => new Set(l).size === l.length, {
        message: 'each field once',
        params: { code: 'duplicate_item' },
      })
      .optional()
      .openapi({ description: 'Default: all of them' }),
  })
  .strict()
  .openapi('WorkerProfileReveal');

export const revealedSchema = z
  .object({
    id: z.string(),
    name: z.string().optional(),
    idNumber: z.string().optional(),
    certificateNumber: z.string().optional(),
    phone: z.string().nullable().optional(),
    guardian: z
      .object({ name: z.string().optional(), phone: z.string().nullable().optional() })
      .nullable()
      .optional(),
  })
  .openapi('WorkerProfileRevealed');

export const ERASURE_REASONS = [
  'consent_withdrawn',
  'data_subject_request',
  'purpose_achieved',
  'retention_expired',
  'registered_in_error',
  'deceased',
] as const;
export const eraseSchema = z
  .object({ reason: z.enum(ERASURE_REASONS) })
  .strict()
  .openapi('WorkerProfileErase');

export const CERTIFICATE_LEVELS = ['completion', 'level5', 'level4', 'level3', 'level2', 'level1'] as const;

export const trainingInputSchema = z
  .object({
    programmeCode: vocabCode('training_programme'),
    providerName: z.string().trim().min(2).max(100),
    providerOrganizationId: objectIdSchema.optional(),
    startDate: isoDateSchema,
    endDate: isoDateSchema,
    hours: z.number().int().min(1).max(5_000),
    certificateNumber: z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9/-]{3,40}$/, '3–40 letters, digits, / or -')
      .optional(),
    certificateLevel: z.enum(CERTIFICATE_LEVELS).optional().openapi({
      description: 'completion (结业) or 国家职业资格 level5 (初级工) … level1 (高级技师)',
    }),
  })
  .strict()
  .superRefine((t, ctx) => {
    if (t.endDate < t.startDate)
      ctx.addIssue({
        code: 'custom',
        path: ['endDate'],
        message: 'must not be before startDate',
        params: { code: 'end_before_start' },
      });
    if (t.endDate > chinaDay())
      ctx.addIssue({
        code: 'custom',
        path: ['endDate'],
        message: 'a training record is for training completed: not in the future',
        params: { code: 'date_in_future' },
      });
  })
  .openapi('TrainingRecordInput');
export type TrainingInput = z.infer<typeof trainingInputSchema>;

export const trainingRecordSchema = z
  .object({
    id: z.string(),
    programmeCode: z.string(),
    providerName: z.string().nullable(),
    providerOrganizationId: z.string().nullable(),
    startDate: z.string().nullable(),
    endDate: z.string().nullable(),
    hours: z.number().int().nullable(),
    certificateNumber: z.string().nullable().openapi({ description: 'Masked' }),
    certificateLevel: z.enum(CERTIFICATE_LEVELS).nullable(),
    addedByOrganizationId: z.string(),
    underPartnership: z.boolean(),
    source: z.enum(['api', 'import']),
    addedAt: z.iso.datetime(),
  })
  .openapi('TrainingRecord');

const reasonSchema = z.object({ code: z.string(), message: z.string(), messageEn: z.string() });

export const workerProfileSchema = z
  .object({
    id: z.string(),
    version: z.number().int(),
    status: z.enum(PROFILE_STATUSES),
    statusReason: z.string().nullable(),
    statusChangedAt: z.iso.datetime(),
    masked: z.literal(true),
    name: z.string().openapi({ example: '张*' }),
    idNumber: z.string().openapi({ example: '5134**********1234' }),
    certificateNumber: z.string(),
    phone: z.string().nullable().openapi({ example: '138****5678' }),
    sex: sexSchema,
    birthDate: z.string().nullable().openapi({ description: 'Null for reviewers, who see the age only' }),
    age: z.number().int(),
    originCode: z.string(),
    registeringFederationId: z.string(),
    disabilityCategory: disabilityCategorySchema,
    disabilityLevel: disabilityLevelSchema,
    functionalLimitations: z.array(z.string()),
    assistiveDevices: z.array(z.string()),
    accommodationsNeeded: z.array(z.string()),
    skills: z.array(z.object({ code: z.string(), level: z.string() })),
    education: z.string().nullable(),
    languages: z.array(z.string()),
    experience: z.array(experienceSchema),
    preferences: z.object({
      destinationCodes: z.array(z.string()),
      minimumWage: z.number().int().nullable(),
      jobTypes: z.array(z.string()),
      needsDormitory: z.boolean(),
      needsAccessibleDormitory: z.boolean(),
      willingToTravelWithGroup: z.boolean().nullable(),
    }),
    guardian: z
      .object({ relation: z.enum(REPRESENTATIVE_RELATIONS), name: z.string(), phone: z.string().nullable() })
      .nullable(),
    training: z.array(trainingRecordSchema),
    consent: z.object({ processing: z.boolean(), since: z.iso.datetime().nullable() }),
    matching: z.object({
      eligible: z.boolean(),
      reasons: z.array(reasonSchema).openapi({ description: 'Why the profile is excluded from matching' }),
    }),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .openapi('WorkerProfile');

export const workerProfilePageSchema = pageSchema(workerProfileSchema).openapi('WorkerProfilePage');

const filterFields = {
  status: z.enum(PROFILE_STATUSES).optional(),
  region: regionCodeSchema.optional().openapi({ description: 'Origin region, or any region inside it' }),
  skill: vocabCode('skill').optional(),
  updatedSince: z.iso.datetime({ offset: true }).optional(),
  consent: z.enum(['missing']).optional().openapi({
    description:
      '`missing`: people whose processing consent is missing or withdrawn (inactive people left out unless `status` names them)',
  }),
};

export const listProfilesQuery = listQuerySchema(['updatedAt', 'createdAt'] as const, '-updatedAt')
  .extend(filterFields)
  .strict();
export type ListProfilesQuery = z.infer<typeof listProfilesQuery>;

export const exportProfilesQuery = z.object(filterFields).strict();
export type ExportProfilesQuery = z.infer<typeof exportProfilesQuery>;
