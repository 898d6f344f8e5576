import { describe, expect, it } from 'vitest';
import { chinaDay } from '../../src/lib/china-time.js';
import { buildOpenApiDocument } from '../../src/lib/http/openapi.js';
import { defineRoute } from '../../src/lib/http/route.js';
import { z } from '../../src/lib/zod.js';
import {
  ageOn,
  certificateNumberSchema,
  checkCertificateAgainstProfile,
  checkWorkingAge,
  crossCheckIdentity,
  DEFAULT_WORKING_AGE,
  disabilityCategorySchema,
  disabilityLevelSchema,
  type IdentityIssue,
  identityConsistency,
  idNumberCheckCharacter,
  idNumberSchema,
  isCalendarDate,
  parseCertificateNumber,
  parseIdNumber,
  parsePhone,
  phoneSchema,
  sexSchema,
} from '../../src/modules/worker-profiles/identity.js';
import {
  checkCharacterFor,
  makeIdNumber,
  seededRandom,
  withWrongCheckCharacter,
} from '../fixtures/identity.js';

/** Published GB 11643-1999 test vectors (DOMAIN.md). */
const VECTOR_F = '11010519491231002X';
const VECTOR_M = '440524188001010014';

const NOW = new Date('2026-06-01T04:00:00Z');

/** An ID number whose only fault (if any) is in the parts given: the checksum is always right. */
function withChecksum(first17: string): string {
  return first17 + checkCharacterFor(first17);
}

function errorOf<C extends string>(
  r: { ok: true } | { ok: false; error: IdentityIssue<C> },
): IdentityIssue<C> {
  if (r.ok) throw new Error('expected a failure');
  return r.error;
}

describe('parseIdNumber (GB 11643-1999)', () => {
  it('when given the published vectors, then both pass and birth date, sex and address code are derived', () => {
    const f = parseIdNumber(VECTOR_F, { now: NOW });
    expect(f).toEqual({
      ok: true,
      value: {
        idNumber: VECTOR_F,
        addressCode: '110105',
        birthDate: '1949-12-31',
        sex: 'female',
        sequence: '002',
      },
    });
    const m = parseIdNumber(VECTOR_M, { now: NOW });
    expect(m).toEqual({
      ok: true,
      value: {
        idNumber: VECTOR_M,
        addressCode: '440524',
        birthDate: '1880-01-01',
        sex: 'male',
        sequence: '001',
      },
    });
  });

  it('when computing check characters, then the weight table matches the vectors and the MOD 11-2 definition', () => {
    expect(idNumberCheckCharacter(VECTOR_F.slice(0, 17))).toBe('X');
    expect(idNumberCheckCharacter(VECTOR_M.slice(0, 17))).toBe('4');
    const random = seededRandom('check-chars');
    for (let i = 0; i < 2000; i++) {
      const first17 = Array.from({ length: 17 }, () => String(random(10))).join('');
      expect(idNumberCheckCharacter(first17)).toBe(checkCharacterFor(first17));
    }
    expect(() => idNumberCheckCharacter('1234')).toThrow(RangeError);
  });

  it('when the x is lowercase or the number has spaces or full-width characters, then it is normalised', () => {
    expect.hasAssertions();
    for (const input of [
      '11010519491231002x',
      ' 110105 19491231 002X ',
      '１１０１０５１９４９１２３１００２ｘ',
    ]) {
      const r = parseIdNumber(input, { now: NOW });
      expect(r.ok && r.value.idNumber).toBe(VECTOR_F);
    }
  });

  it('when the check character is wrong, then the error says so', () => {
    expect.hasAssertions();
    for (const wrong of ['110105194912310021', '440524188001010015', '44052418800101001X']) {
      expect(errorOf(parseIdNumber(wrong, { now: NOW })).code).toBe('id_number_check_character');
    }
    const random = seededRandom('wrong-check');
    for (let i = 0; i < 200; i++) {
      const id = makeIdNumber({ random });
      expect(parseIdNumber(id).ok).toBe(true);
      expect(errorOf(parseIdNumber(withWrongCheckCharacter(id))).code).toBe('id_number_check_character');
    }
  });

  it('when one digit is changed, then the checksum catches it', () => {
    expect.hasAssertions();
    for (let pos = 14; pos < 17; pos++) {
      const d = Number(VECTOR_M[pos]);
      const changed = `${VECTOR_M.slice(0, pos)}${(d + 1) % 10}${VECTOR_M.slice(pos + 1)}`;
      expect(errorOf(parseIdNumber(changed, { now: NOW })).code).toBe('id_number_check_character');
    }
  });

  it.each([
    ['February 30', '19900230'],
    ['February 29 in a common year', '20010229'],
    ['February 29 in 1900 (not a leap year)', '19000229'],
    ['April 31', '19900431'],
    ['month 13', '19901301'],
    ['month 00', '19900001'],
    ['day 00', '19900100'],
    ['day 32', '19900132'],
    ['year 1799', '17990101'],
  ])('when the birth date is %s, then the date is impossible', (_label, date) => {
    const id = withChecksum(`511300${date}123`);
    const error = errorOf(parseIdNumber(id, { now: NOW }));
    expect(error.code).toBe('id_number_date_impossible');
    expect(error.message.zh).toMatch(/出生日期/);
    expect(error.message.en).toMatch(/birth date/);
  });

  it('when the birth date is February 29 of a leap year, then it is accepted', () => {
    expect.hasAssertions();
    for (const date of ['20000229', '20040229', '19960229']) {
      const r = parseIdNumber(withChecksum(`511300${date}123`), { now: NOW });
      expect(r.ok).toBe(true);
    }
  });

  it('when the birth date is after today in China, then it is refused; today itself is fine', () => {
    expect(errorOf(parseIdNumber(withChecksum('51130020260602123'), { now: NOW })).code).toBe(
      'id_number_date_future',
    );
    expect(errorOf(parseIdNumber(withChecksum('51130021000101123'), { now: NOW })).code).toBe(
      'id_number_date_future',
    );
    expect(parseIdNumber(withChecksum('51130020260601123'), { now: NOW }).ok).toBe(true);
    // 17:00 UTC on 1 June is already 2 June in China.
    const lateUtc = new Date('2026-06-01T17:00:00Z');
    expect(chinaDay(lateUtc)).toBe('2026-06-02');
    expect(parseIdNumber(withChecksum('51130020260602123'), { now: lateUtc }).ok).toBe(true);
  });

  it.each([
    ['empty', '', 'id_number_empty'],
    ['only spaces', '   ', 'id_number_empty'],
    ['17 characters', VECTOR_M.slice(0, 17), 'id_number_length'],
    ['19 characters', `${VECTOR_M}0`, 'id_number_length'],
    ['a 15-digit first-generation number', '440524800101001', 'id_number_first_generation'],
    ['very long', '1'.repeat(10_000), 'id_number_length'],
    ['a letter in the digits', '4405241880010A0014', 'id_number_characters'],
    ['a letter other than X last', '11010519491231002A', 'id_number_characters'],
    ['X not in the last place', '1101051949123100X2', 'id_number_characters'],
    ['all letters', 'ABCDEFGHIJKLMNOPQR', 'id_number_characters'],
    ['punctuation', '110105-1949-1231-0', 'id_number_characters'],
    ['a province code 00', withChecksum('00010519491231002'), 'id_number_region'],
    ['a province code 99', withChecksum('99010519491231002'), 'id_number_region'],
  ])('when the number is %s, then the code is precise', (_label, input, code) => {
    expect(errorOf(parseIdNumber(input, { now: NOW })).code).toBe(code);
  });

  it('when a number fails, then its messages exist in both languages and never repeat it', () => {
    const wrong = '110105194912310021';
    const { message } = errorOf(parseIdNumber(wrong, { now: NOW }));
    expect(message.zh).toMatch(/校验码/);
    expect(message.en).toMatch(/check character/);
    expect(message.zh).not.toContain('1949');
    expect(message.en).not.toContain('1949');
  });

  it('when the sequence digit is odd or even, then the sex follows it', () => {
    expect.hasAssertions();
    const random = seededRandom('sex');
    for (let i = 0; i < 100; i++) {
      const sex = i % 2 ? 'male' : 'female';
      const r = parseIdNumber(makeIdNumber({ sex, random }));
      expect(r.ok && r.value.sex).toBe(sex);
    }
  });

  it('when checking calendar dates directly, then years before 100 are not shifted', () => {
    expect(isCalendarDate(4, 2, 29)).toBe(true);
    expect(isCalendarDate(1, 2, 29)).toBe(false);
    expect(isCalendarDate(2024, 2, 29)).toBe(true);
    expect(isCalendarDate(2023, 2, 29)).toBe(false);
  });
});

describe('parseCertificateNumber (GB/T 26341-2010, second generation)', () => {
  it('when the number is ID + category + level, then it parses into its parts', () => {
    const r = parseCertificateNumber(`${VECTOR_F}21`, { now: NOW });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value).toMatchObject({
      certificateNumber: `${VECTOR_F}21`,
      idNumber: VECTOR_F,
      category: '2',
      level: '1',
      reissue: null,
    });
    expect(r.value.holder).toMatchObject({ sex: 'female', birthDate: '1949-12-31' });
  });

  it('when the certificate was reissued, then B<n> is accepted and n is read', () => {
    expect.hasAssertions();
    const cases: [string, number][] = [
      [`${VECTOR_M}44B1`, 1],
      [`${VECTOR_M}44B2`, 2],
      [`${VECTOR_M}44B12`, 12],
      [`${VECTOR_M}44b3`, 3],
    ];
    for (const [input, n] of cases) {
      const r = parseCertificateNumber(input, { now: NOW });
      expect(r.ok && r.value.reissue).toBe(n);
      expect(r.ok && r.value.certificateNumber).toBe(input.toUpperCase());
    }
  });

  it('when the ID part has a lowercase x, then it is normalised', () => {
    const r = parseCertificateNumber('11010519491231002x73', { now: NOW });
    expect(r.ok && r.value.certificateNumber).toBe(`${VECTOR_F}73`);
  });

  it.each([
    ['empty', '', 'certificate_empty'],
    ['only the ID number', VECTOR_M, 'certificate_length'],
    ['19 characters', `${VECTOR_M}4`, 'certificate_length'],
    ['category digit 0', `${VECTOR_M}01`, 'certificate_category_digit'],
    ['category digit 8', `${VECTOR_M}81`, 'certificate_category_digit'],
    ['category digit 9', `${VECTOR_M}91`, 'certificate_category_digit'],
    ['a letter for the category', `${VECTOR_M}A1`, 'certificate_category_digit'],
    ['level digit 0', `${VECTOR_M}40`, 'certificate_level_digit'],
    ['level digit 5', `${VECTOR_M}45`, 'certificate_level_digit'],
    ['B without a number', `${VECTOR_M}44B`, 'certificate_reissue_suffix'],
    ['B0', `${VECTOR_M}44B0`, 'certificate_reissue_suffix'],
    ['B01', `${VECTOR_M}44B01`, 'certificate_reissue_suffix'],
    ['BX', `${VECTOR_M}44BX`, 'certificate_reissue_suffix'],
    ['C1', `${VECTOR_M}44C1`, 'certificate_reissue_suffix'],
    ['two suffixes', `${VECTOR_M}44B1B2`, 'certificate_reissue_suffix'],
    ['a 21st digit', `${VECTOR_M}441`, 'certificate_reissue_suffix'],
    ['a huge reissue number', `${VECTOR_M}44B${'9'.repeat(20)}`, 'certificate_reissue_suffix'],
  ])('when the certificate number has %s, then the code is precise', (_label, input, code) => {
    expect(errorOf(parseCertificateNumber(input, { now: NOW })).code).toBe(code);
  });

  it('when the ID part is invalid, then the error says so and names what is wrong with it', () => {
    const wrongCheck = errorOf(parseCertificateNumber('11010519491231002141', { now: NOW }));
    expect(wrongCheck.code).toBe('certificate_id_part');
    expect(wrongCheck.cause).toBe('id_number_check_character');
    expect(wrongCheck.message.zh).toMatch(/残疾人证号前 18 位.*校验码/);
    expect(wrongCheck.message.en).toMatch(/first 18 characters.*check character/);

    const feb30 = errorOf(parseCertificateNumber(`${withChecksum('51130019900230123')}41`, { now: NOW }));
    expect(feb30.code).toBe('certificate_id_part');
    expect(feb30.cause).toBe('id_number_date_impossible');
  });
});

describe('certificate against the profile', () => {
  const cert = (s: string) => {
    const r = parseCertificateNumber(s, { now: NOW });
    if (!r.ok) throw new Error(r.error.code);
    return r.value;
  };

  it('when ID, category and level agree, then there is nothing to report', () => {
    expect(
      checkCertificateAgainstProfile(cert(`${VECTOR_F}21B1`), {
        idNumber: '11010519491231002x',
        disabilityCategory: '2',
        disabilityLevel: '1',
      }),
    ).toEqual([]);
  });

  it('when the category digit disagrees with the declared category, then that field is named', () => {
    const issues = checkCertificateAgainstProfile(cert(`${VECTOR_F}21`), {
      idNumber: VECTOR_F,
      disabilityCategory: '1',
      disabilityLevel: '1',
    });
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ field: 'disabilityCategory', code: 'certificate_category_mismatch' });
    expect(issues[0]!.message.zh).toMatch(/第 19 位/);
  });

  it('when the level digit disagrees, then the level is named', () => {
    const issues = checkCertificateAgainstProfile(cert(`${VECTOR_F}24`), {
      idNumber: VECTOR_F,
      disabilityCategory: '2',
      disabilityLevel: '3',
    });
    expect(issues.map((i) => [i.field, i.code])).toEqual([['disabilityLevel', 'certificate_level_mismatch']]);
  });

  it('when the certificate belongs to another ID number and both digits disagree, then all three are reported', () => {
    const issues = checkCertificateAgainstProfile(cert(`${VECTOR_F}21`), {
      idNumber: VECTOR_M,
      disabilityCategory: '4',
      disabilityLevel: '4',
    });
    expect(issues.map((i) => i.code)).toEqual([
      'certificate_id_mismatch',
      'certificate_category_mismatch',
      'certificate_level_mismatch',
    ]);
    expect(issues[0]!.field).toBe('certificateNumber');
  });
});

describe('crossCheckIdentity', () => {
  it('when the declared sex or birth date disagrees with the ID number, then each is named', () => {
    const issues = crossCheckIdentity(
      { idNumber: VECTOR_F, sex: 'male', birthDate: '1949-12-30' },
      { now: NOW },
    );
    expect(issues.map((i) => [i.field, i.code])).toEqual([
      ['sex', 'sex_mismatch'],
      ['birthDate', 'birth_date_mismatch'],
    ]);
  });

  it('when the declared values agree (birth date even as a timestamp), then nothing is reported', () => {
    expect(
      crossCheckIdentity(
        {
          idNumber: VECTOR_F,
          sex: 'female',
          birthDate: '1949-12-31T00:00:00.000Z',
          certificateNumber: `${VECTOR_F}62`,
          disabilityCategory: '6',
          disabilityLevel: '2',
        },
        { now: NOW },
      ),
    ).toEqual([]);
  });

  it('when the ID number itself is invalid, then only its own schema reports it', () => {
    expect(
      crossCheckIdentity(
        { idNumber: '110105194912310021', sex: 'male', certificateNumber: `${VECTOR_F}21` },
        { now: NOW },
      ),
    ).toEqual([]);
  });
});

describe('parsePhone', () => {
  it.each([
    '13800138000',
    '+8613800138000',
    '+86 138 0013 8000',
    '138-0013-8000',
    '0086 13800138000',
    '8613800138000',
    '(+86) 138-0013-8000',
    '１３８００１３８０００',
    '138–0013–8000',
  ])('when given %s, then it normalises to 11 digits', (input) => {
    expect(parsePhone(input)).toEqual({ ok: true, value: '13800138000' });
  });

  it('when the second digit is 3 to 9, then each is a mobile number', () => {
    expect.hasAssertions();
    for (let d = 3; d <= 9; d++) expect(parsePhone(`1${d}012345678`).ok).toBe(true);
  });

  it.each([
    ['empty', '', 'phone_empty'],
    ['dashes only', ' - ', 'phone_empty'],
    ['a letter', '1380013800a', 'phone_characters'],
    ['another country code', '+1 415 555 2671', 'phone_characters'],
    ['10 digits', '1380013800', 'phone_length'],
    ['12 digits', '138001380001', 'phone_length'],
    ['second digit 2', '12800138000', 'phone_prefix'],
    ['second digit 1', '11800138000', 'phone_prefix'],
    ['a landline', '028-12345678', 'phone_prefix'],
    ['very long', '1'.repeat(1000), 'phone_length'],
  ])('when the number has %s, then the code is precise', (_label, input, code) => {
    expect(errorOf(parsePhone(input)).code).toBe(code);
  });
});

describe('checkWorkingAge', () => {
  const on = (iso: string) => new Date(`${iso}T12:00:00+08:00`);

  it('when a man turns 16, then he is of working age from that day', () => {
    expect(checkWorkingAge({ birthDate: '2000-06-15', sex: 'male' }, { on: on('2016-06-14') })).toMatchObject(
      {
        ok: false,
        age: 15,
        code: 'working_age_too_young',
        bound: 16,
      },
    );
    expect(checkWorkingAge({ birthDate: '2000-06-15', sex: 'male' }, { on: on('2016-06-15') })).toEqual({
      ok: true,
      age: 16,
    });
  });

  it('when a man is 59, then he is of working age; at 60 he is not', () => {
    expect(checkWorkingAge({ birthDate: '1960-03-10', sex: 'male' }, { on: on('2020-03-09') }).ok).toBe(true);
    const r = checkWorkingAge({ birthDate: '1960-03-10', sex: 'male' }, { on: on('2020-03-10') });
    expect(r).toMatchObject({ ok: false, age: 60, code: 'working_age_too_old', bound: 59 });
    expect(!r.ok && r.message.zh).toBe('超过男性就业年龄上限（59 周岁）');
  });

  it('when a woman is 54, then she is of working age; at 55 she is not', () => {
    expect(checkWorkingAge({ birthDate: '1970-01-01', sex: 'female' }, { on: on('2024-12-31') }).ok).toBe(
      true,
    );
    const r = checkWorkingAge({ birthDate: '1970-01-01', sex: 'female' }, { on: on('2025-01-01') });
    expect(r).toMatchObject({ ok: false, age: 55, code: 'working_age_too_old', bound: 54 });
    expect(!r.ok && r.message.en).toBe('Above the maximum working age for women (54)');
  });

  it('when bounds are configured, then they replace the defaults; impossible bounds throw', () => {
    const bounds = { minAge: 18, maxAgeMale: 62, maxAgeFemale: 57 };
    const person = { birthDate: '1964-05-01', sex: 'male' as const };
    expect(checkWorkingAge(person, { on: on('2025-05-01') }).ok).toBe(false);
    expect(checkWorkingAge(person, { on: on('2025-05-01'), bounds }).ok).toBe(true);
    expect(DEFAULT_WORKING_AGE).toEqual({ minAge: 16, maxAgeMale: 59, maxAgeFemale: 54 });
    expect(() =>
      checkWorkingAge(person, { bounds: { minAge: 60, maxAgeMale: 59, maxAgeFemale: 54 } }),
    ).toThrow(RangeError);
  });

  it('when born on 29 February, then the birthday of a common year is 1 March', () => {
    expect(ageOn('2000-02-29', on('2017-02-28'))).toBe(16);
    expect(ageOn('2000-02-29', on('2017-03-01'))).toBe(17);
    expect(ageOn('2004-02-29', on('2020-02-28'))).toBe(15);
    expect(ageOn('2004-02-29', on('2020-02-29'))).toBe(16);
  });

  it('when it is already the birthday in China but not yet in UTC, then China counts', () => {
    expect(ageOn('2000-06-15', new Date('2016-06-14T16:30:00Z'))).toBe(16);
    expect(ageOn('2000-06-15', new Date('2016-06-14T15:30:00Z'))).toBe(15);
  });
});

describe('zod schemas', () => {
  it('when parsing identity fields, then the output is the normalised value', () => {
    expect(idNumberSchema.parse(' 11010519491231002x')).toBe(VECTOR_F);
    expect(certificateNumberSchema.parse('11010519491231002x21b1')).toBe(`${VECTOR_F}21B1`);
    expect(phoneSchema.parse('+86 138-0013-8000')).toBe('13800138000');
    expect(sexSchema.parse('female')).toBe('female');
    expect(disabilityCategorySchema.safeParse('8').success).toBe(false);
    expect(disabilityLevelSchema.safeParse('5').success).toBe(false);
  });

  it('when a value is invalid, then the issue carries the precise code and both messages', () => {
    const r = idNumberSchema.safeParse('110105194912310021');
    expect(r.success).toBe(false);
    expect(r.error?.issues).toHaveLength(1);
    expect(r.error?.issues[0]).toMatchObject({
      code: 'custom',
      message: expect.stringMatching(/check character/),
      params: { code: 'id_number_check_character', zh: expect.stringMatching(/校验码/) },
    });
    expect(phoneSchema.safeParse(12345678901).success).toBe(false);
  });

  it('when a profile body disagrees with itself, then each disagreement is on its own path', () => {
    const body = z
      .object({
        idNumber: idNumberSchema,
        sex: sexSchema.optional(),
        certificateNumber: certificateNumberSchema,
        disabilityCategory: disabilityCategorySchema,
        disabilityLevel: disabilityLevelSchema,
      })
      .superRefine(identityConsistency());
    const ok = body.safeParse({
      idNumber: '11010519491231002x',
      certificateNumber: `${VECTOR_F}21`,
      disabilityCategory: '2',
      disabilityLevel: '1',
    });
    expect(ok.success).toBe(true);
    const bad = body.safeParse({
      idNumber: VECTOR_F,
      sex: 'male',
      certificateNumber: `${VECTOR_F}21`,
      disabilityCategory: '4',
      disabilityLevel: '1',
    });
    expect(
      bad.error?.issues.map((i) => [i.path.join('.'), (i as { params?: { code?: string } }).params?.code]),
    ).toEqual([
      ['sex', 'sex_mismatch'],
      ['disabilityCategory', 'certificate_category_mismatch'],
    ]);
  });

  it('when the identity fields sit elsewhere, then select and paths relocate them', () => {
    const body = z
      .object({
        idNumber: idNumberSchema,
        disability: z.object({
          certificateNumber: certificateNumberSchema,
          category: disabilityCategorySchema,
          level: disabilityLevelSchema,
        }),
      })
      .superRefine(
        identityConsistency({
          select: (v) => ({
            idNumber: v.idNumber,
            certificateNumber: v.disability.certificateNumber,
            disabilityCategory: v.disability.category,
            disabilityLevel: v.disability.level,
          }),
          paths: {
            certificateNumber: ['disability', 'certificateNumber'],
            disabilityLevel: ['disability', 'level'],
          },
        }),
      );
    const bad = body.safeParse({
      idNumber: VECTOR_M,
      disability: { certificateNumber: `${VECTOR_F}21`, category: '2', level: '3' },
    });
    expect(bad.error?.issues.map((i) => i.path.join('.'))).toEqual([
      'disability.certificateNumber',
      'disability.level',
    ]);
  });

  it('when used in a route, then the OpenAPI document builds', () => {
    const route = defineRoute({
      method: 'post',
      path: '/api/v1/example',
      operationId: 'example',
      summary: 'example',
      tags: ['example'],
      access: { public: true, why: 'test' },
      request: {
        body: z.object({
          idNumber: idNumberSchema,
          phone: phoneSchema,
          certificateNumber: certificateNumberSchema,
        }),
      },
      responses: { 204: { description: 'done' } },
      handler: () => {},
    });
    const doc = JSON.stringify(buildOpenApiDocument([route], '0'));
    expect(doc).toContain('GB 11643-1999');
  });
});
