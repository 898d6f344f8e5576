import { listQuerySchema, pageSchema } from '../../lib/http/pagination.js';
import { objectIdSchema } from '../../lib/ids.js';
import { z } from '../../lib/zod.js';
import { MATCH_STATUSES } from '../matching/reconcile.js';
import { SEXES } from '../worker-profiles/identity-rules.js';

export const listPlacementsQuery = listQuerySchema(
  ['createdAt', 'contractStart'] as const,
  '-createdAt',
).extend({
  status: z.enum(['placed', 'retained', 'ended']).optional(),
  profileId: objectIdSchema.optional().openapi({ description: "One person's placements (the profile page)" }),
  openingId: objectIdSchema.optional(),
  employerId: objectIdSchema.optional(),
  transferBatchId: objectIdSchema.optional(),
});
export type ListPlacementsQuery = z.infer<typeof listPlacementsQuery>;

export const PLACEMENT_END_REASONS = [
  'resigned',
  'dismissed',
  'contract_ended',
  'health',
  'family',
  'accommodation_failed',
  'did_not_start',
  'other',
] as const;

export const endPlacementBody = z
  .object({
    endedOn: z.iso.date().optional(),
    reasonCode: z.enum(PLACEMENT_END_REASONS),
    note: z.string().trim().min(1).max(1000).optional(),
  })
  .strict()
  .refine((b) => b.reasonCode !== 'other' || !!b.note, {
    path: ['note'],
    message: 'say why when the reason is other',
  });
export type EndPlacementInput = z.infer<typeof endPlacementBody>;

export const RISK_FLAGS = [
  'wage_arrears',
  'accommodation_missing',
  'dormitory_problem',
  'health',
  'conflict_at_work',
  'homesick',
  'wants_to_leave',
  'safety',
] as const;

export const followUpBody = z
  .object({
    visitedOn: z.iso.date().optional(),
    stillEmployed: z.boolean(),
    wagePaidOnTime: z.boolean().nullable(),
    accommodationWorking: z.boolean().nullable(),
    dormitory: z.boolean().nullable(),
    riskFlags: z.array(z.enum(RISK_FLAGS)).max(RISK_FLAGS.length).optional(),
    notes: z.string().trim().min(1).max(2000).optional(),
  })
  .strict();
export type FollowUpInput = z.infer<typeof followUpBody>;

export const checkpointParams = z
  .object({ id: objectIdSchema, checkpoint: z.string().regex(/^[dm]\d{1,3}$/) })
  .strict();

export const followUpsQuery = z.object({
  /** Checkpoints due on or before this day (default: today in China). */
  due: z.iso.date().optional(),
  limit: z.coerce.number().int().min(1).max(500).default(200),
});

const checkpointSchema = z.object({
  code: z.string(),
  dueOn: z.string(),
  state: z.enum(['upcoming', 'due', 'overdue', 'done']),
  doneAt: z.string().nullable(),
  visitedOn: z.string().nullable(),
  stillEmployed: z.boolean().nullable(),
  wagePaidOnTime: z.boolean().nullable(),
  accommodationWorking: z.boolean().nullable(),
  dormitory: z.boolean().nullable(),
  riskFlags: z.array(z.string()),
  notes: z.string().nullable(),
});

export const placementSchema = z
  .object({
    id: z.string(),
    matchId: z.string(),
    profileId: z.string().nullable(),
    openingId: z.string(),
    openingTitle: z.string().nullable(),
    employerId: z.string(),
    federationId: z.string(),
    regionCode: z.string(),
    contractStart: z.string(),
    contractEnd: z.string(),
    monthlyWage: z.number(),
    minimumWageAtHire: z.number().nullable(),
    socialInsurance: z.boolean(),
    quotaWeight: z.number(),
    transferBatchId: z.string().nullable(),
    status: z.enum(['placed', 'retained', 'ended']),
    endedOn: z.string().nullable(),
    endReason: z.string().nullable(),
    retention: z.object({
      m3: z.boolean().nullable(),
      m6: z.boolean().nullable(),
      subsidyEvidence: z.boolean(),
    }),
    checkpoints: z.array(checkpointSchema),
    version: z.number().int(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('Placement');
export const placementPageSchema = pageSchema(placementSchema);

export const followUpTaskSchema = z.object({
  placementId: z.string(),
  profileId: z.string(),
  openingId: z.string(),
  openingTitle: z.string().nullable(),
  employerId: z.string(),
  checkpoint: z.string(),
  dueOn: z.string(),
  state: z.enum(['upcoming', 'due', 'overdue', 'done']),
});

export const quotaSchema = z
  .object({
    employerId: z.string(),
    day: z.string(),
    staffCount: z.number().nullable(),
    ratePercent: z.number(),
    required: z.number().nullable(),
    credited: z.number(),
    shortfall: z.number().nullable(),
    /** Null for the employer itself: the flag is for federations and admins. */
    paperEmploymentCount: z.number().nullable(),
    lines: z.array(
      z.object({
        placementId: z.string(),
        weight: z.number(),
        qualifies: z.boolean(),
        reasons: z.array(z.string()),
        paperEmployment: z.boolean().nullable(),
      }),
    ),
  })
  .openapi('QuotaCredit');

// ---- transfer batches ----------------------------------------------------------------------------

export const TRANSPORTS = ['chartered_bus', 'train', 'flight', 'other'] as const;
const person = z
  .object({
    name: z.string().trim().min(1).max(50),
    phone: z
      .string()
      .regex(/^[0-9+\- ]{5,20}$/)
      .optional(),
  })
  .strict();

/** A region of 四川 (where the people travel from). */
const sichuanCode = z.string().regex(/^51\d{4}$/);

const batchFields = {
  /** The origin county (四川). */
  originCode: sichuanCode,
  employerId: objectIdSchema,
  /** The destination city (浙江/广东). */
  destinationCode: z.string().regex(/^(33|44)\d{4}$/),
  travelDate: z.iso.date(),
  transport: z.enum(TRANSPORTS),
  escorts: z.array(person).max(20).default([]),
  groupLeader: person.nullable().default(null),
  /** Members: placements, or approved matches of people travelling before the hire is signed. */
  placementIds: z.array(objectIdSchema).max(500).default([]),
  matchIds: z.array(objectIdSchema).max(500).default([]),
  note: z.string().trim().max(1000).optional(),
};
export const createBatchBody = z.object(batchFields).strict();
export type CreateBatchInput = z.infer<typeof createBatchBody>;
export const updateBatchBody = z
  .object({
    destinationCode: batchFields.destinationCode.optional(),
    travelDate: batchFields.travelDate.optional(),
    transport: batchFields.transport.optional(),
    escorts: z.array(person).max(20).optional(),
    groupLeader: person.nullable().optional(),
    placementIds: z.array(objectIdSchema).max(500).optional(),
    matchIds: z.array(objectIdSchema).max(500).optional(),
    note: z.string().trim().max(1000).optional(),
  })
  .strict();
export type UpdateBatchInput = z.infer<typeof updateBatchBody>;

export const listBatchesQuery = listQuerySchema(['travelDate', 'createdAt'] as const, '-travelDate').extend({
  employerId: objectIdSchema.optional(),
  originCode: sichuanCode.optional(),
});
export type ListBatchesQuery = z.infer<typeof listBatchesQuery>;

/** A person as people lists show them: the name masked (surname kept), sex and age. */
const memberPersonSchema = z.object({
  name: z.string().openapi({ example: '张*' }),
  sex: z.enum(SEXES),
  age: z.number().int(),
});

export const batchSchema = z
  .object({
    id: z.string(),
    originCode: z.string(),
    employerId: z.string(),
    /** The employer's name (federation staff may not read employer organisations themselves). */
    employerName: z.string().nullable(),
    destinationCode: z.string(),
    travelDate: z.string(),
    transport: z.enum(TRANSPORTS),
    escorts: z.array(z.object({ name: z.string(), phone: z.string().nullable() })),
    groupLeader: z.object({ name: z.string(), phone: z.string().nullable() }).nullable(),
    members: z.array(
      z.object({
        matchId: z.string(),
        placementId: z.string().nullable(),
        profileId: z.string(),
        /**
         * The person as people lists show them (masked name), on one batch's own responses and only
         * for callers who may read the person (origin federation staff, admins); otherwise null.
         */
        person: memberPersonSchema.nullable(),
      }),
    ),
    note: z.string().nullable(),
    version: z.number().int(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('TransferBatch');
export const batchPageSchema = pageSchema(batchSchema);

export const batchCandidatesQuery = z
  .object({
    originCode: sichuanCode
      .optional()
      .openapi({ description: 'Only people from this origin county or prefecture (the batch’s)' }),
  })
  .strict();
export type BatchCandidatesQuery = z.infer<typeof batchCandidatesQuery>;

export const batchCandidatesSchema = z
  .object({
    items: z.array(
      z.object({
        matchId: z.string(),
        profileId: z.string(),
        placementId: z.string().nullable(),
        status: z.enum(MATCH_STATUSES),
        score: z.number(),
        person: memberPersonSchema,
      }),
    ),
  })
  .openapi('TransferBatchCandidates');
