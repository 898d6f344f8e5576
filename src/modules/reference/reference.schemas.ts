import { REGION_CODE } from '../../lib/regions.js';
import { z } from '../../lib/zod.js';
import { VOCABULARY_KINDS } from './reference.seed.js';

const regionCode = z.string().regex(REGION_CODE, '6-digit GB/T 2260 code');
const isoDate = z.iso.date();

export const regionSchema = z
  .object({
    code: z.string(),
    level: z.enum(['province', 'prefecture', 'county']),
    parentCode: z.string().nullable(),
    zh: z.string(),
    pinyin: z.string(),
    initials: z.string(),
  })
  .openapi('Region');

export const regionListQuery = z
  .object({
    parent: regionCode.optional(),
    level: z.enum(['province', 'prefecture', 'county']).optional(),
    q: z.string().max(50).optional(),
  })
  .strict();

export const regionParams = z.object({ code: regionCode }).strict();

export const vocabularyKind = z.enum(VOCABULARY_KINDS);

export const vocabularyEntrySchema = z
  .object({
    code: z.string(),
    zh: z.string(),
    en: z.string(),
    synonyms: z.array(z.string()),
    initials: z.string(),
    attributes: z.record(z.string(), z.unknown()),
  })
  .openapi('VocabularyEntry');

export const vocabularyParams = z.object({ kind: vocabularyKind }).strict();

export const mitigationSchema = z
  .object({ limitation: z.string(), demand: z.string(), anyOf: z.array(z.array(z.string())) })
  .openapi('Mitigation');

export const skillSuggestQuery = z
  .object({
    q: z.string().max(50).default(''),
    limit: z.coerce.number().int().min(1).max(50).default(10),
  })
  .strict();

export const skillSuggestionSchema = z
  .object({
    code: z.string(),
    zh: z.string(),
    en: z.string(),
    initials: z.string(),
    synonyms: z.array(z.string()),
    matched: z.string(),
  })
  .openapi('SkillSuggestion');

export const partnershipSchema = z
  .object({
    id: z.string(),
    supportingCode: z.string(),
    receivingCode: z.string(),
    from: z.string(),
    to: z.string().nullable(),
    note: z.string().optional(),
    version: z.number().int(),
    updatedAt: z.string().optional(),
  })
  .openapi('Partnership');

export const partnershipCreate = z
  .object({
    supportingCode: regionCode,
    receivingCode: regionCode,
    from: isoDate,
    to: isoDate.nullable().default(null),
    note: z.string().max(500).optional(),
  })
  .strict()
  .openapi('PartnershipCreate');

export const partnershipPatch = z
  .object({
    supportingCode: regionCode.optional(),
    receivingCode: regionCode.optional(),
    from: isoDate.optional(),
    to: isoDate.nullable().optional(),
    note: z.string().max(500).optional(),
  })
  .strict()
  .refine((v) => Object.keys(v).length > 0, 'at least one field')
  .openapi('PartnershipPatch');

export const partnershipListQuery = z
  .object({ code: regionCode.optional(), activeOn: isoDate.optional() })
  .strict();

export const idParams = z.object({ id: z.string().regex(/^[0-9a-f]{24}$/, 'an id') }).strict();
