import { describe, expect, it } from 'vitest';
import { DEMO_EMPLOYERS, DEMO_PASSWORD, DEMO_RECIPIENTS } from '../../scripts/lib/demo/seed-accounts.js';
import {
  hashPassword,
  needsRehash,
  passwordProblems,
  verifyPassword,
} from '../../src/modules/accounts/password.js';

describe('password strength', () => {
  it('when a password is long and mixed, then it passes', () => {
    expect(passwordProblems('Kangding-Road-17', { username: 'ganzi.staff' })).toEqual([]);
  });

  it('when a password is short, then too_short', () => {
    expect(passwordProblems('Ab1!xyz')).toContain('too_short');
  });

  it('when a password uses fewer than three kinds of character, then too_few_kinds', () => {
    expect(passwordProblems('abcdefghijkl1')).toContain('too_few_kinds');
    expect(passwordProblems('abcdefghijkLMN')).toContain('too_few_kinds');
  });

  it('when a password contains the username, then contains_username (any case)', () => {
    expect(passwordProblems('Ganzi.Staff-2024', { username: 'ganzi.staff' })).toContain('contains_username');
  });

  it('when a password is a common word dressed up, then common', () => {
    expect(passwordProblems('Password123!')).toContain('common');
    expect(passwordProblems('P@ssw0rd-Admin')).not.toContain('common'); // 'psswrdadmin' is not a listed word
    expect(passwordProblems('Aa1Aa1Aa1Aa1')).toContain('common'); // three distinct characters
  });

  it('when a password is longer than 128 characters, then too_long', () => {
    expect(passwordProblems(`Aa1-${'x'.repeat(130)}`)).toContain('too_long');
  });

  it('when the demo password is checked for every demo username, then it passes', () => {
    expect.hasAssertions();
    const usernames = [
      'demo.admin',
      ...DEMO_RECIPIENTS.map((r) => `${r.login}.staff`),
      ...DEMO_EMPLOYERS.map((e) => e.login),
    ];
    for (const username of usernames)
      expect(passwordProblems(DEMO_PASSWORD, { username }), username).toEqual([]);
  });
});

describe('password hashing', () => {
  it('when a password is hashed, then argon2id with the configured cost verifies it and nothing else', async () => {
    const hash = await hashPassword('Kangding-Road-17');
    expect(hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(await verifyPassword(hash, 'Kangding-Road-17')).toBe(true);
    expect(await verifyPassword(hash, 'kangding-road-17')).toBe(false);
    expect(needsRehash(hash)).toBe(false);
  });

  it('when a hash was made with weaker parameters or is garbage, then it needs a rehash / never verifies', async () => {
    expect(
      needsRehash('$argon2id$v=19$m=4096,t=3,p=1$c29tZXNhbHQ$iWh06vD8Fy27wf9npn6FXWiCX4K6pW6Ue1Bnzz07Z8A'),
    ).toBe(true);
    expect(await verifyPassword('not-a-hash', 'x')).toBe(false);
  });
});
