import { describe, expect, it } from 'vitest';
import {
  makeCertificateNumber,
  makeIdNumber,
  makePhone,
  withWrongCheckCharacter,
} from '../fixtures/identity.js';
import { findPersonalNumbers } from '../fixtures/leak-patterns.js';

const kinds = (text: string) => findPersonalNumbers(text).map((h) => h.kind);

describe('findPersonalNumbers (the leak scan)', () => {
  it('when a text holds a full ID number, a certificate number or a mobile number, then each is found by kind', () => {
    const id = makeIdNumber();
    const cert = makeCertificateNumber();
    const phone = makePhone();
    expect(kinds(JSON.stringify({ idNumber: id }))).toEqual(['id_number']);
    expect(kinds(`证号 ${cert} 已登记`)).toEqual(['certificate_number']);
    expect(kinds(`tel:${phone}`)).toEqual(['mobile_number']);
    expect(kinds(`+86${phone}`)).toEqual(['mobile_number']);
    expect(kinds(`${makeCertificateNumber({ reissue: 2 })}`)).toEqual(['certificate_number']);
  });

  it('when an 18-digit number has a wrong check character, then it is not an ID number', () => {
    expect(kinds(withWrongCheckCharacter(makeIdNumber()))).toEqual([]);
  });

  it('when digits are part of something longer or masked, then nothing is found', () => {
    const phone = makePhone();
    const id = makeIdNumber();
    expect(kinds(`65a1b2c3${phone}d4e5`)).toEqual([]);
    expect(kinds(`${Date.now()}`)).toEqual([]);
    expect(kinds(`${id}0000`)).toEqual([]);
    expect(kinds(`${id.slice(0, 4)}**********${id.slice(-4)}`)).toEqual([]);
    expect(kinds(`${phone.slice(0, 3)}****${phone.slice(-4)}`)).toEqual([]);
  });

  it('when a hit is reported, then only its first 4 and last 2 characters are shown', () => {
    const id = makeIdNumber();
    const [hit] = findPersonalNumbers(id);
    expect(hit!.masked).toBe(`${id.slice(0, 4)}${'*'.repeat(12)}${id.slice(-2)}`);
  });
});
