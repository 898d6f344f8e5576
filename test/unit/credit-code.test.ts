import { describe, expect, it } from 'vitest';
import {
  creditCodeCheckChar,
  creditCodeProblem,
  isValidCreditCode,
  normaliseCreditCode,
} from '../../src/modules/orgs/credit-code.js';
import { createOrganizationSchema } from '../../src/modules/orgs/orgs.schemas.js';

// Codes printed on public business licences of well-known companies (independent test vectors).
const PUBLISHED = ['91440300708461136T', '91330100799655058B', '914403001922038216', '9144030071526726XG'];

describe('unified social credit code (GB 32100-2015)', () => {
  it('when a published code is checked, then it is valid', () => {
    expect.hasAssertions();
    for (const code of PUBLISHED) expect(creditCodeProblem(code), code).toBeUndefined();
  });

  it('when the check character is changed, then the code is refused as a check failure', () => {
    expect(creditCodeProblem('91440300708461136U')).toBe('check');
    expect(creditCodeProblem('914403001922038217')).toBe('check');
  });

  it('when two body characters are swapped, then the check character catches it', () => {
    expect(isValidCreditCode('91440300780461136T')).toBe(false);
  });

  it.each(['I', 'O', 'S', 'V', 'Z'])(
    'when the code contains %s, then it is refused as a bad character',
    (ch) => {
      const code = `9144030070846113${ch}T`;
      expect(creditCodeProblem(code)).toBe('character');
      expect(creditCodeCheckChar(code.slice(0, 17))).toBeUndefined();
    },
  );

  it('when the length is wrong, then it is refused as such', () => {
    expect(creditCodeProblem('91440300708461136')).toBe('length');
    expect(creditCodeProblem('91440300708461136TT')).toBe('length');
  });

  it('when the check sum is 0 mod 31, then the check character is 0', () => {
    // (31 − 0) mod 31 = 0: the edge of the formula.
    expect(creditCodeCheckChar('00000000000000000')).toBe('0');
  });

  it('when a code is typed in lower case with spaces, then it is normalised before checking', () => {
    expect(normaliseCreditCode(' 9144 0300 7084 6113 6t ')).toBe('91440300708461136T');
    const parsed = createOrganizationSchema.safeParse({
      type: 'employer',
      name: '示例公司',
      creditCode: '91440300708461136t',
      locationCode: '440300',
      industryCode: 'C39',
      staffCount: 10,
    });
    expect(parsed.success).toBe(true);
  });

  it('when an employer body has a bad code, then the issue names creditCode', () => {
    const parsed = createOrganizationSchema.safeParse({
      type: 'employer',
      name: '示例公司',
      creditCode: '91440300708461136U',
      locationCode: '440300',
      industryCode: 'C39',
      staffCount: 10,
    });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((i) => i.path.join('.'))).toEqual(['creditCode']);
  });
});
