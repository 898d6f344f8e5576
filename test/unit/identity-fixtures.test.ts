import { describe, expect, it } from 'vitest';
import {
  ageOn,
  crossCheckIdentity,
  parseCertificateNumber,
  parseIdNumber,
  parsePhone,
} from '../../src/modules/worker-profiles/identity.js';
import {
  makeBirthDate,
  makeCertificateNumber,
  makeIdentity,
  makeIdNumber,
  makePhone,
  seededRandom,
  withWrongCheckCharacter,
} from '../fixtures/identity.js';

describe('identity factories', () => {
  it('when generating identities, then every number is valid and the parts agree', () => {
    expect.hasAssertions();
    const random = seededRandom('identities');
    const on = new Date('2026-06-01T00:00:00Z');
    for (let i = 0; i < 500; i++) {
      const who = makeIdentity({ random, on });
      const id = parseIdNumber(who.idNumber);
      expect(id.ok && id.value).toMatchObject({
        addressCode: who.addressCode,
        birthDate: who.birthDate,
        sex: who.sex,
      });
      expect(parseCertificateNumber(who.certificateNumber).ok).toBe(true);
      expect(parsePhone(who.phone)).toEqual({ ok: true, value: who.phone });
      expect(crossCheckIdentity(who)).toEqual([]);
      const age = ageOn(who.birthDate, on);
      expect(age).toBeGreaterThanOrEqual(18);
      expect(age).toBeLessThanOrEqual(50);
    }
  });

  it('when given parts, then the ID number encodes them', () => {
    const id = makeIdNumber({ addressCode: '511300', birthDate: '1990-02-28', sex: 'female' });
    expect(id.slice(0, 14)).toBe('51130019900228');
    expect(parseIdNumber(id)).toMatchObject({ ok: true, value: { sex: 'female' } });
    expect(() => makeIdNumber({ addressCode: '5113' })).toThrow(RangeError);
  });

  it('when asked for a certificate, then its digits and reissue mark are the ones given', () => {
    const id = makeIdNumber();
    const cert = makeCertificateNumber({ idNumber: id, category: '6', level: '3', reissue: 2 });
    expect(cert).toBe(`${id}63B2`);
    expect(parseCertificateNumber(cert)).toMatchObject({
      ok: true,
      value: { category: '6', level: '3', reissue: 2 },
    });
  });

  it('when asked for a birth date in an age range, then the age on that day is inside it', () => {
    expect.hasAssertions();
    const random = seededRandom('ages');
    const on = new Date('2026-02-28T12:00:00Z');
    for (let i = 0; i < 300; i++) {
      const age = ageOn(makeBirthDate({ minAge: 16, maxAge: 59, on, random }), on);
      expect(age).toBeGreaterThanOrEqual(16);
      expect(age).toBeLessThanOrEqual(59);
    }
  });

  it('when seeded, then the sequence repeats; a wrong check character is always wrong', () => {
    const a = seededRandom(7);
    const b = seededRandom(7);
    expect([makeIdNumber({ random: a }), makePhone({ random: a })]).toEqual([
      makeIdNumber({ random: b }),
      makePhone({ random: b }),
    ]);
    const random = seededRandom('wrong');
    for (let i = 0; i < 100; i++) {
      const id = makeIdNumber({ random });
      const wrong = withWrongCheckCharacter(id);
      expect(wrong).not.toBe(id);
      expect(parseIdNumber(wrong)).toMatchObject({ ok: false, error: { code: 'id_number_check_character' } });
    }
    expect(makePhone({ prefix: '139' })).toMatch(/^139\d{8}$/);
    expect(() => makePhone({ prefix: '12' })).toThrow(RangeError);
  });
});
