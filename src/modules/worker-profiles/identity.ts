/**
 * Identity numbers of worker profiles: pure validators, derivations and zod schemas.
 *
 * - Resident ID number (公民身份号码): GB 11643-1999.
 * - Second-generation disability certificate number (第二代残疾人证号): GB/T 26341-2010 categories
 *   and levels, number = holder's ID number + category digit + level digit [+ B<n> when reissued].
 * - Mainland mobile number (11 digits, 1[3-9]…).
 * - Working age of the national real-name employment system (men 16–59, women 16–54 by default).
 *
 * Every validator returns a result instead of throwing; a failure names one precise `code` and a
 * zh/en message. Messages never repeat the submitted value: they end up in responses and may end
 * up in logs, and these values are personal data (PIPL Art. 28, 51).
 */
import { keyedHash } from '../../lib/crypto/keyed-hash.js';
import { z } from '../../lib/zod.js';
import {
  type Checked,
  crossCheckIdentity,
  type DeclaredIdentity,
  DISABILITY_CATEGORIES,
  DISABILITY_LEVELS,
  type IdentityField,
  type IdentityIssue,
  MAX_INPUT_LENGTH,
  normalizeCertificateNumber,
  normalizeIdNumber,
  normalizePhone,
  parseCertificateNumber,
  parseIdNumber,
  parsePhone,
  SEXES,
} from './identity-rules.js';

export * from './identity-rules.js';

/**
 * Keyed hash (HMAC-SHA256 under `config.security.hashKey`) of a normalised ID number: unique across
 * the worker-profile collection, it stops two federations registering the same person without
 * storing or comparing the number itself. Throws on a value that is not a valid ID number, so
 * two spellings of one number can never hash differently.
 */
export function idNumberHash(idNumber: string, hashKey: string): string {
  const parsed = parseIdNumber(idNumber);
  if (!parsed.ok) throw new RangeError(`cannot hash an invalid ID number (${parsed.error.code})`);
  return keyedHash(hashKey, 'id-number', parsed.value.idNumber);
}

// ---------------------------------------------------------------------------------------------
// zod schemas for request bodies
// ---------------------------------------------------------------------------------------------

/**
 * A zod issue carrying the precise code and both languages in `params`, so the problem document
 * can show them; `message` is English like zod's own messages.
 */
function zodIssue(found: IdentityIssue<string>, path?: PropertyKey[]) {
  return {
    code: 'custom' as const,
    message: found.message.en,
    params: { code: found.code, zh: found.message.zh, en: found.message.en },
    ...(path ? { path } : {}),
  };
}

function validatedString<C extends string>(
  normalize: (v: string) => string,
  parse: (v: string) => Checked<unknown, C>,
) {
  return z
    .string()
    .overwrite((v) => (v.length > MAX_INPUT_LENGTH ? v : normalize(v)))
    .superRefine((value, ctx) => {
      const result = parse(value);
      if (!result.ok) ctx.addIssue(zodIssue(result.error));
    });
}

/** Resident ID number (GB 11643-1999); parses to the normalised number. */
export const idNumberSchema = validatedString(normalizeIdNumber, (v) => parseIdNumber(v)).openapi({
  description: '18-character resident ID number (GB 11643-1999); lowercase x and spaces are accepted',
  example: '11010519491231002X',
});

/** Second-generation disability certificate number; parses to the normalised number. */
export const certificateNumberSchema = validatedString(normalizeCertificateNumber, (v) =>
  parseCertificateNumber(v),
).openapi({
  description:
    'Second-generation disability certificate number: ID number + category digit 1–7 + level digit 1–4 (GB/T 26341-2010), optionally B<n> when reissued',
  example: '11010519491231002X21',
});

/** Mainland mobile number; parses to 11 digits without country code or separators. */
export const phoneSchema = validatedString(normalizePhone, parsePhone).openapi({
  description: 'Mainland mobile number, 11 digits starting 13–19; +86, spaces and dashes are accepted',
  example: '13800138000',
});

export const sexSchema = z.enum(SEXES).openapi({ description: 'Derived from the ID number (GB 11643-1999)' });
export const disabilityCategorySchema = z
  .enum(DISABILITY_CATEGORIES)
  .openapi({ description: 'GB/T 26341-2010: 1 视力 2 听力 3 言语 4 肢体 5 智力 6 精神 7 多重' });
export const disabilityLevelSchema = z
  .enum(DISABILITY_LEVELS)
  .openapi({ description: 'GB/T 26341-2010: 1 一级 (most severe) … 4 四级 (mildest)' });

/**
 * A `superRefine` callback adding `crossCheckIdentity` issues to an object schema, each on the
 * path of the field it concerns. `select` reads the identity fields out of a differently shaped
 * object; `paths` relocates them (e.g. `{ certificateNumber: ['disability', 'certificateNumber'] }`).
 *
 * @example profileBody.superRefine(identityConsistency())
 */
export function identityConsistency<T>(
  options: {
    select?: (value: T) => DeclaredIdentity;
    paths?: Partial<Record<IdentityField, PropertyKey[]>>;
  } = {},
): (value: T, ctx: z.RefinementCtx<T>) => void {
  return (value, ctx) => {
    const declared = options.select ? options.select(value) : (value as DeclaredIdentity);
    for (const found of crossCheckIdentity(declared))
      ctx.addIssue(zodIssue(found, options.paths?.[found.field] ?? [found.field]));
  };
}
