import { idNumberCheckCharacter } from '../../../src/modules/worker-profiles/identity-rules.js';

/**
 * Identity numbers of the demo story, valid for the app's validators and held by no real person.
 *
 * A resident ID number (GB 11643-1999) starts with the GB/T 2260 code of the holder's county of
 * first registration. The demo numbers start with `5199`: 四川 (51), which the validator checks,
 * followed by prefecture code 99, which GB/T 2260 has never assigned (Sichuan's prefecture-level
 * codes stop at 34), so no resident ID number ever issued begins with 5199. The next two digits
 * number the person's real origin prefecture in the story (01 凉山 … 08 达州), then the birth
 * date, a sequence number unique in the story (its last digit odd for men, even for women, as the
 * standard says) and the check character computed by the production rule. The certificate
 * number is that ID number plus category and level digits, as on a second-generation certificate.
 *
 * Phone numbers use the 199-0000 block with the story's sequence number; they are fictitious but,
 * unlike the ID numbers, not provably unassigned, so no demo message is ever sent to them (the
 * demo has no SMS channel).
 */
export const FICTITIOUS_ID_PREFIX = '5199';

export function demoIdNumber(input: {
  prefectureIndex: number;
  birthDate: string;
  sex: 'male' | 'female';
  /** 0 … 499, unique within the story. */
  sequence: number;
}): string {
  if (input.sequence < 0 || input.sequence > 499) throw new RangeError('sequence must be 0 … 499');
  const address = `${FICTITIOUS_ID_PREFIX}${String(input.prefectureIndex).padStart(2, '0')}`;
  const seq = String(input.sequence * 2 + (input.sex === 'male' ? 1 : 0)).padStart(3, '0');
  const first17 = `${address}${input.birthDate.replaceAll('-', '')}${seq}`;
  return first17 + idNumberCheckCharacter(first17);
}

export function demoCertificateNumber(idNumber: string, category: string, level: string): string {
  return `${idNumber}${category}${level}`;
}

export function demoPhone(sequence: number): string {
  return `1990000${String(sequence).padStart(4, '0')}`;
}
