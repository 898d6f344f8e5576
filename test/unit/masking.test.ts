import { describe, expect, it } from 'vitest';
import {
  maskCertificate,
  maskIdNumber,
  maskName,
  maskPhone,
} from '../../src/modules/worker-profiles/masking.js';
import { makeCertificateNumber, makeIdNumber, makePhone, seededRandom } from '../fixtures/identity.js';

describe('maskName', () => {
  it.each([
    ['张三', '张*'],
    ['张三丰', '张**'],
    ['  李四  ', '李*'],
    ['欧阳娜娜', '欧阳**'],
    ['欧阳修', '欧阳*'],
    ['司马光', '司马*'],
    ['欧阳', '欧*'],
    ['扎西多吉', '扎***'],
    ['阿依古丽·买买提', '阿***·***'],
    ['𠮷野家', '𠮷**'],
    ['John Smith', 'J*** S****'],
    ['Mary-Jane Watson', 'M***-J*** W*****'],
    ['王', '*'],
    ['', ''],
  ])('when the name is %j, then it shows %j', (name, masked) => {
    expect(maskName(name)).toBe(masked);
  });

  it('when any name is masked, then everything after the surname is hidden', () => {
    expect.hasAssertions();
    for (const name of ['张三丰', '欧阳娜娜', 'John Smith']) {
      const masked = maskName(name);
      expect(masked).not.toContain(name.slice(-1));
    }
  });
});

describe('maskIdNumber', () => {
  it('when given an 18-character ID number, then the first 4 and last 4 stay', () => {
    expect(maskIdNumber('513300199001011234')).toBe('5133**********1234');
    expect(maskIdNumber('11010519491231002X')).toBe('1101**********002X');
  });

  it('when masking generated numbers, then the birth date never shows', () => {
    expect.hasAssertions();
    const random = seededRandom('mask-id');
    for (let i = 0; i < 50; i++) {
      const id = makeIdNumber({ random, birthDate: '1987-06-05' });
      const masked = maskIdNumber(id);
      expect(masked).toHaveLength(18);
      expect(masked.slice(4, 14)).toBe('*'.repeat(10));
    }
  });

  it('when the value is too short to keep both ends, then all of it is hidden', () => {
    expect(maskIdNumber('1234567')).toBe('*******');
    expect(maskIdNumber('')).toBe('');
  });
});

describe('maskPhone', () => {
  it('when given a mobile number, then the first 3 and last 4 digits stay', () => {
    expect(maskPhone('13812345678')).toBe('138****5678');
    const phone = makePhone({ random: seededRandom('mask-phone') });
    expect(maskPhone(phone)).toMatch(/^1[3-9]\d\*{4}\d{4}$/);
    expect(maskPhone('123')).toBe('***');
  });
});

describe('maskCertificate', () => {
  it('when given a certificate number, then its ID part is masked and category, level and reissue mark stay', () => {
    expect(maskCertificate('51330019900101123441')).toBe('5133**********123441');
    expect(maskCertificate('51330019900101123441B2')).toBe('5133**********123441B2');
    const cert = makeCertificateNumber({ category: '4', level: '2', random: seededRandom('mask-cert') });
    expect(maskCertificate(cert)).toMatch(/^\d{4}\*{10}[\dX]{4}42$/);
  });

  it('when the value is not shaped like a certificate number, then it is masked like an ID number', () => {
    expect(maskCertificate('not-a-certificate')).toBe('not-*********cate');
  });
});
