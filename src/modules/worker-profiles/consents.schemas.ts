import { objectIdSchema } from '../../lib/ids.js';
import { z } from '../../lib/zod.js';

/**
 * Consents under PIPL: separate consent to process sensitive personal information (Art. 29) —
 * required before a profile takes part in matching — and consent to provide it to a named
 * employer for a named opening (Art. 23), required before that employer sees who the person is.
 */
export const CONSENT_PURPOSES = ['sensitive_processing', 'share_with_employer'] as const;
export type ConsentPurpose = (typeof CONSENT_PURPOSES)[number];

/**
 * How the consent was given; a paper form is the usual case in county federations. `self`: by the
 * person (or their guardian / supporter) on their own page, through a personal access link.
 */
export const CONSENT_CHANNELS = ['paper_form', 'in_person', 'phone', 'video', 'online', 'self'] as const;
/** What staff may record: never `self`, which only the person's own page writes. */
export const STAFF_CONSENT_CHANNELS = ['paper_form', 'in_person', 'phone', 'video', 'online'] as const;
/** Who gave it: the person, or a guardian / supporter for a person who consents through one. */
export const CONSENT_GIVERS = ['self', 'guardian', 'supporter'] as const;
export const REPRESENTATIVE_RELATIONS = ['guardian', 'supporter', 'family'] as const;
/** Data categories an employer is told about and may receive (Art. 23). */
export const SHARED_DATA_CATEGORIES = [
  'identity',
  'contact',
  'disability',
  'skills_training',
  'preferences',
] as const;
export const WITHDRAWAL_REASONS = [
  'person_request',
  'representative_request',
  'purpose_ended',
  'other',
] as const;

/** A person's name as staff type it: letters, the middle dot of transliterated names, spaces. */
export const personNameSchema = z
  .string()
  .trim()
  .min(1)
  .max(50)
  .superRefine((v, ctx) => {
    // An ID or phone number pasted into a name field must not be stored as a name.
    if (/\d/.test(v))
      ctx.addIssue({
        code: 'custom',
        message: 'a name may not contain digits',
        params: { code: 'name_digits' },
      });
    else if (!/^[\p{L}\p{M}·•・.\s'’-]+$/u.test(v))
      ctx.addIssue({
        code: 'custom',
        message: 'a name may contain letters, spaces, · and - only',
        params: { code: 'name_characters' },
      });
  })
  .openapi({ example: '王芳' });

const textVersionSchema = z
  .string()
  .regex(/^[A-Za-z0-9._-]{1,40}$/, 'a consent text version such as pi-2024.1')
  .openapi({ description: 'Version of the consent text the person was shown', example: 'pi-2024.1' });

const givenAtSchema = z.iso
  .datetime({ offset: true })
  .refine((v) => new Date(v).getTime() <= Date.now() + 5 * 60_000, {
    message: 'must not be in the future',
    params: { code: 'date_in_future' },
  })
  .refine((v) => new Date(v).getUTCFullYear() >= 2000, {
    message: 'must not be before 2000',
    params: { code: 'date_too_early' },
  })
  .openapi({ description: 'When the consent was given (default: now)' });

export const representativeSchema = z
  .object({
    relation: z.enum(REPRESENTATIVE_RELATIONS),
    name: personNameSchema,
  })
  .strict();

const consentFields = {
  textVersion: textVersionSchema,
  channel: z.enum(STAFF_CONSENT_CHANNELS),
  givenAt: givenAtSchema.optional(),
  givenBy: z.enum(CONSENT_GIVERS).default('self'),
  representative: representativeSchema.optional(),
  assistedByStaff: z
    .boolean()
    .default(false)
    .openapi({ description: 'A staff member read or explained the text to the person' }),
};

function representativeRule(v: { givenBy: string; representative?: unknown }, ctx: z.RefinementCtx): void {
  if (v.givenBy !== 'self' && !v.representative)
    ctx.addIssue({
      code: 'custom',
      path: ['representative'],
      message: 'required when a guardian or supporter gives the consent',
      params: { code: 'representative_required' },
    });
  if (v.givenBy === 'self' && v.representative)
    ctx.addIssue({
      code: 'custom',
      path: ['representative'],
      message: 'only when a guardian or supporter gives the consent',
      params: { code: 'representative_not_applicable' },
    });
}

/** Consent to process sensitive personal information (PIPL Art. 29). */
export const processingConsentInputSchema = z
  .object(consentFields)
  .strict()
  .superRefine(representativeRule)
  .openapi('ProcessingConsentInput');
export type ProcessingConsentInput = z.infer<typeof processingConsentInputSchema>;

export const consentCreateSchema = z
  .discriminatedUnion('purpose', [
    z
      .object({ purpose: z.literal('sensitive_processing'), ...consentFields })
      .strict()
      .superRefine(representativeRule),
    z
      .object({
        purpose: z.literal('share_with_employer'),
        ...consentFields,
        employerId: objectIdSchema,
        openingId: objectIdSchema,
        dataCategories: z
          .array(z.enum(SHARED_DATA_CATEGORIES))
          .min(1)
          .max(SHARED_DATA_CATEGORIES.length)
          .refine((l) => new Set(l).size === l.length, {
            message: 'each category once',
            params: { code: 'duplicate_item' },
          }),
      })
      .strict()
      .superRefine(representativeRule),
  ])
  .openapi('ConsentCreate');
export type ConsentCreateInput = z.infer<typeof consentCreateSchema>;

export const consentWithdrawSchema = z
  .object({
    reason: z.enum(WITHDRAWAL_REASONS),
    channel: z.enum(STAFF_CONSENT_CHANNELS),
  })
  .strict()
  .openapi('ConsentWithdraw');
export type ConsentWithdrawInput = z.infer<typeof consentWithdrawSchema>;

export const consentSchema = z
  .object({
    id: z.string(),
    profileId: z.string(),
    purpose: z.enum(CONSENT_PURPOSES),
    employerId: z.string().nullable(),
    openingId: z.string().nullable(),
    dataCategories: z.array(z.enum(SHARED_DATA_CATEGORIES)),
    textVersion: z.string(),
    channel: z.enum(CONSENT_CHANNELS),
    givenAt: z.iso.datetime(),
    givenBy: z.enum(CONSENT_GIVERS),
    representative: z
      .object({ relation: z.enum(REPRESENTATIVE_RELATIONS), name: z.string().openapi({ example: '王*' }) })
      .nullable(),
    assistedByStaff: z.boolean(),
    recordedBy: z.string(),
    recordedByOrganizationId: z.string(),
    recordedAt: z.iso.datetime(),
    active: z.boolean(),
    withdrawnAt: z.iso.datetime().nullable(),
    withdrawalReason: z.enum(WITHDRAWAL_REASONS).nullable(),
  })
  .openapi('Consent');

export const consentListSchema = z.object({ items: z.array(consentSchema) }).openapi('ConsentList');

export const consentParams = z.object({ id: objectIdSchema, consentId: objectIdSchema }).strict();
