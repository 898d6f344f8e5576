import { describe, expect, it } from 'vitest';
import { employerShortName, smsVariables } from '../../src/modules/notifications/sms-templates.js';
import { classifyTencentCode } from '../../src/modules/notifications/sms-tencent.js';

describe('SMS templates', () => {
  it('when variables fit their template, then they are formatted in order', () => {
    expect(smsVariables('access_link', ['https://tongxin.example/me#t=txl_abc'])).toEqual([
      'https://tongxin.example/me#t=txl_abc',
    ]);
    expect(smsVariables('follow_up', ['2026-03-05'])).toEqual(['3月5日']);
    expect(smsVariables('proposal', ['佛山美的'])).toEqual(['佛山美的']);
  });

  it('when a variable carries an ID or phone number, free text or the wrong count, then it is refused', () => {
    expect(() => smsVariables('proposal', ['11010119900307451X'])).toThrow(/proposal/);
    expect(() => smsVariables('proposal', ['请致电13800138000'])).toThrow(/proposal/);
    expect(() => smsVariables('proposal', ['这是一段很长的自由文本不是单位简称'])).toThrow(/proposal/);
    expect(() => smsVariables('access_link', ['https://tongxin.example/me?id=110101199003074514'])).toThrow(
      /access_link/,
    );
    expect(() => smsVariables('access_link', ['javascript:alert(1)'])).toThrow(/access_link/);
    expect(() => smsVariables('follow_up', ['明天'])).toThrow(/follow_up/);
    expect(() => smsVariables('follow_up', ['2026-03-05', 'extra'] as never)).toThrow(/follow_up/);
  });

  it('when an employer has a long registered name, then its short name drops digits and the company suffix', () => {
    expect(employerShortName('佛山市顺德区美的电器制造有限公司')).toBe('佛山市顺德区美的电器制造');
    expect(employerShortName('同心2024科技有限公司')).toBe('同心科技');
    expect(employerShortName('')).toBe('用人单位');
  });

  it('when the provider answers a code, then rate limits wait, internal errors retry, the rest fail for good', () => {
    expect(classifyTencentCode('Ok', 'send success')).toBeUndefined();
    expect(classifyTencentCode('LimitExceeded.PhoneNumberThirtySecondLimit', '')!.opts).toEqual({
      retryAfterMs: 30_000,
    });
    expect(classifyTencentCode('InternalError.SendAndRecvFail', '')!.opts).toEqual({});
    expect(classifyTencentCode('InternalError.Timeout', '')!.opts).toEqual({ ambiguous: true });
    for (const code of [
      'AuthFailure.SignatureFailure',
      'FailedOperation.TemplateIncorrectOrUnapproved',
      'InvalidParameterValue.IncorrectPhoneNumber',
      'LimitExceeded.PhoneNumberDailyLimit',
      'FailedOperation.InsufficientBalanceInSmsPackage',
    ])
      expect(classifyTencentCode(code, '')!.opts).toEqual({ permanent: true });
  });
});
