import {
  crossCheckIdentity,
  identityMessage,
  parseCertificateNumber,
  parseIdNumber,
  parsePhone,
} from '../../../../src/modules/worker-profiles/identity-rules.js';
import type { Lang } from '../../i18n.js';

/**
 * The API's own identity rules (GB 11643-1999 ID numbers, GB/T 26341-2010 certificate numbers,
 * mobile numbers), run in the browser as the person types: the same functions, so a message
 * here is the message the API would send, in the same words.
 */
export interface IdentityDraft {
  idNumber: string;
  certificateNumber: string;
  phone: string;
  disabilityCategory: string;
  disabilityLevel: string;
}

export type IdentityErrors = Partial<Record<keyof IdentityDraft, string>>;

export function checkIdentity(d: IdentityDraft, lang: Lang, touched: Set<string>): IdentityErrors {
  const pick = (m: { zh: string; en: string }) => (lang === 'en' ? m.en : m.zh);
  const out: IdentityErrors = {};
  // An ID number is judged once it could be complete (18 characters) or the field was left.
  if (d.idNumber && (d.idNumber.replace(/\s/g, '').length >= 18 || touched.has('idNumber'))) {
    const r = parseIdNumber(d.idNumber);
    if (!r.ok) out.idNumber = pick(r.error.message);
  }
  if (
    d.certificateNumber &&
    (d.certificateNumber.replace(/\s/g, '').length >= 20 || touched.has('certificateNumber'))
  ) {
    const r = parseCertificateNumber(d.certificateNumber);
    if (!r.ok) out.certificateNumber = pick(r.error.message);
  }
  if (d.phone && touched.has('phone')) {
    const r = parsePhone(d.phone);
    if (!r.ok) out.phone = pick(r.error.message);
  }
  for (const issue of crossCheckIdentity({
    idNumber: d.idNumber || null,
    certificateNumber: d.certificateNumber || null,
    disabilityCategory: d.disabilityCategory || null,
    disabilityLevel: d.disabilityLevel || null,
  })) {
    const field = issue.field as keyof IdentityDraft;
    if (!out[field]) out[field] = pick(issue.message);
  }
  return out;
}

/** What the ID number tells (birth date, sex), shown as a hint once it is valid. */
export function idFacts(idNumber: string): { birthDate: string; sex: 'male' | 'female' } | null {
  const r = parseIdNumber(idNumber);
  return r.ok ? { birthDate: r.value.birthDate, sex: r.value.sex } : null;
}

/** Category and level the certificate number encodes (to fill the fields when still empty). */
export function certificateFacts(cert: string): { category: string; level: string } | null {
  const r = parseCertificateNumber(cert);
  return r.ok ? { category: r.value.category, level: r.value.level } : null;
}

/** An API issue code's message in the reader's language, when it is an identity rule. */
export function identityIssueText(code: string, lang: Lang): string | undefined {
  const m = identityMessage(code);
  return m ? (lang === 'en' ? m.en : m.zh) : undefined;
}
