import { objectIdSchema } from '../../lib/ids.js';
import { z } from '../../lib/zod.js';

export const ACCESS_LINK_DEFAULT_DAYS = 14;
export const ACCESS_LINK_MAX_DAYS = 60;

/** The link token (`txl_` + 256 random bits) and the person's session token (`txp_` + 256 bits). */
export const LINK_TOKEN_PATTERN = /^txl_[A-Za-z0-9_-]{43}$/;
export const PERSON_TOKEN_PATTERN = /^txp_[A-Za-z0-9_-]{43}$/;

export const issueLinkSchema = z
  .object({
    validDays: z
      .number()
      .int()
      .min(1)
      .max(ACCESS_LINK_MAX_DAYS)
      .default(ACCESS_LINK_DEFAULT_DAYS)
      .openapi({ description: 'Days the link stays valid (default 14)' }),
    sendSms: z.boolean().optional().openapi({
      description: "Also send the link by text message to the person's own phone (SMS_PROVIDER)",
    }),
  })
  .strict()
  .openapi('AccessLinkIssue');

export const linkParams = z.object({ id: objectIdSchema, linkId: objectIdSchema }).strict();

export const accessLinkSchema = z
  .object({
    id: z.string(),
    profileId: z.string(),
    createdBy: z.string(),
    createdAt: z.iso.datetime(),
    expiresAt: z.iso.datetime(),
    revokedAt: z.iso.datetime().nullable(),
    lockedUntil: z.iso.datetime().nullable(),
    lastOpenedAt: z.iso.datetime().nullable(),
    state: z.enum(['active', 'expired', 'revoked', 'locked']),
  })
  .openapi('AccessLink');

export const issuedLinkSchema = accessLinkSchema
  .extend({
    url: z.string().openapi({
      description:
        'The personal link, shown this once (only its hash is kept). The token is in the fragment, which browsers never send to a server.',
    }),
    sms: z.enum(['not_requested', 'queued', 'no_phone', 'sms_off']).openapi({
      description:
        'The text message with the link: queued (its delivery is listed with the others), or why not',
    }),
  })
  .openapi('IssuedAccessLink');

export const accessLinkListSchema = z.object({ items: z.array(accessLinkSchema) }).openapi('AccessLinkList');

export const ACTED_BY = ['self', 'guardian', 'supporter'] as const;
const actedBy = z
  .enum(ACTED_BY)
  .default('self')
  .openapi({ description: 'Who is acting: the person, or their guardian / supporter with them' });

export const openSessionSchema = z
  .object({
    token: z.string().regex(LINK_TOKEN_PATTERN, 'not a personal link token'),
    // The last 4 characters of the ID number, or the birth date.
    idLast4: z
      .string()
      .regex(/^\d{3}[\dXx]$/)
      .optional(),
    birthDate: z.iso.date().optional(),
  })
  .strict()
  .refine((v) => (v.idLast4 === undefined) !== (v.birthDate === undefined), {
    message: 'give either idLast4 or birthDate',
    params: { code: 'one_second_factor' },
  })
  .openapi('PersonSessionOpen');

export const personSessionSchema = z
  .object({
    token: z.string().openapi({ description: 'Bearer token of the person’s session (txp_…)' }),
    expiresAt: z.iso.datetime(),
  })
  .openapi('PersonSession');

export const CORRECTION_TOPICS = [
  'name',
  'numbers',
  'phone',
  'skills',
  'training',
  'preferences',
  'other',
] as const;
export const correctionSchema = z
  .object({ topic: z.enum(CORRECTION_TOPICS), actedBy })
  .strict()
  .openapi('PersonCorrectionRequest');

export const personWithdrawSchema = z.object({ actedBy }).strict().openapi('PersonConsentWithdraw');

export const DECLINE_REASONS = ['too_far', 'wage_too_low', 'work_not_suitable', 'family', 'other'] as const;
export const answerSchema = z
  .object({
    answer: z.enum(['want', 'not_want']),
    reasonCode: z.enum(DECLINE_REASONS).optional(),
    actedBy,
  })
  .strict()
  .refine((v) => v.answer === 'not_want' || v.reasonCode === undefined, {
    path: ['reasonCode'],
    message: 'a reason only with not_want',
    params: { code: 'reason_not_applicable' },
  })
  .openapi('PersonProposalAnswer');

export const shareSchema = z.object({ actedBy }).strict().openapi('PersonShareConsent');
export const helpSchema = z
  .object({ topic: z.enum(['job', 'work', 'money', 'health', 'other']).default('other'), actedBy })
  .strict()
  .openapi('PersonHelpRequest');

export const consentIdParams = z.object({ consentId: objectIdSchema }).strict();
export const matchIdParams = z.object({ matchId: objectIdSchema }).strict();

const label = z.object({ code: z.string(), text: z.string() });

export const personOverviewSchema = z
  .object({
    name: z.string().openapi({ description: 'The person’s own name (they know it)' }),
    idNumber: z.string().openapi({ description: 'Masked' }),
    certificateNumber: z.string(),
    phone: z.string().nullable(),
    skills: z.array(label.extend({ level: z.string() })),
    training: z.array(label.extend({ endDate: z.string().nullable() })),
    preferences: z.object({
      cities: z.array(z.string()),
      minimumWage: z.number().nullable(),
      needsDormitory: z.boolean().nullable(),
    }),
    decidesWith: z
      .enum(['self', 'guardian', 'supporter'])
      .openapi({ description: 'From the consent records: who takes decisions with the person' }),
    federationName: z.string().nullable(),
    linkExpiresAt: z.iso.datetime(),
  })
  .openapi('PersonOverview');

export const personConsentSchema = z
  .object({
    id: z.string(),
    purpose: z.enum(['sensitive_processing', 'share_with_employer']),
    words: z.string().openapi({ description: 'What the consent means, in easy words' }),
    employerName: z.string().nullable(),
    givenAt: z.iso.datetime(),
    givenBy: z.enum(ACTED_BY),
    active: z.boolean(),
    withdrawnAt: z.iso.datetime().nullable(),
  })
  .openapi('PersonConsent');

export const personProposalSchema = z
  .object({
    matchId: z.string(),
    openingId: z.string(),
    employerName: z.string().nullable(),
    title: z.string(),
    city: z.string().nullable(),
    wageMin: z.number(),
    wageMax: z.number(),
    dormitory: z.object({ provided: z.boolean(), accessible: z.boolean() }),
    accommodations: z.array(z.string()),
    why: z.array(z.string()),
    stage: z.string().openapi({ description: 'Where it stands, in easy words' }),
    myAnswer: z.enum(['want', 'not_want']).nullable(),
    shared: z.boolean().openapi({ description: 'The person agreed to give name and phone to this employer' }),
  })
  .openapi('PersonProposal');

export const personPlacementSchema = z
  .object({
    employerName: z.string().nullable(),
    title: z.string().nullable(),
    contractStart: z.string(),
    nextVisitOn: z.string().nullable(),
  })
  .openapi('PersonPlacement');

export const personPageSchema = z
  .object({
    me: personOverviewSchema,
    consents: z.array(personConsentSchema),
    proposals: z.array(personProposalSchema),
    placements: z.array(personPlacementSchema),
  })
  .openapi('PersonPage');

export const selfServiceActionSchema = z
  .object({
    id: z.string(),
    kind: z.string(),
    actedBy: z.enum(ACTED_BY),
    at: z.iso.datetime(),
    linkId: z.string(),
    matchId: z.string().nullable(),
    openingId: z.string().nullable(),
    consentId: z.string().nullable(),
    answer: z.string().nullable(),
    reasonCode: z.string().nullable(),
    topic: z.string().nullable(),
  })
  .openapi('SelfServiceAction');

export const selfServiceActionListSchema = z
  .object({ items: z.array(selfServiceActionSchema) })
  .openapi('SelfServiceActionList');

export const actionDoneSchema = z
  .object({ done: z.literal(true), actedBy: z.enum(ACTED_BY) })
  .openapi('PersonActionDone');
