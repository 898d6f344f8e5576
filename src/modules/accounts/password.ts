import { type Algorithm, hash, parseOptions, verify } from '@node-rs/argon2';

/**
 * argon2id with the OWASP Password Storage Cheat Sheet's first recommendation (m=19 MiB, t=2,
 * p=1). The parameters travel inside each hash, so raising them later only needs a rehash at the
 * next successful login (`needsRehash`).
 */
export const ARGON2_OPTIONS = {
  algorithm: 2 as Algorithm, // Argon2id (a const enum, which isolatedModules cannot import)
  memoryCost: 19_456,
  timeCost: 2,
  parallelism: 1,
} as const;

export const PASSWORD_MIN_LENGTH = 10;
/** Hashing cost grows with input; nobody types more than this. */
export const PASSWORD_MAX_LENGTH = 128;

export type PasswordProblem = 'too_short' | 'too_long' | 'too_few_kinds' | 'contains_username' | 'common';

export const PASSWORD_PROBLEM_TEXT: Record<PasswordProblem, { zh: string; en: string }> = {
  too_short: {
    zh: `密码至少 ${PASSWORD_MIN_LENGTH} 个字符`,
    en: `at least ${PASSWORD_MIN_LENGTH} characters`,
  },
  too_long: { zh: `密码最多 ${PASSWORD_MAX_LENGTH} 个字符`, en: `at most ${PASSWORD_MAX_LENGTH} characters` },
  too_few_kinds: {
    zh: '密码须包含小写字母、大写字母、数字、其他字符中的至少三类',
    en: 'use at least three of: lower-case, upper-case, digits, other characters',
  },
  contains_username: { zh: '密码不能包含用户名', en: 'must not contain the username' },
  common: { zh: '密码过于常见', en: 'too common' },
};

/** Words that, with digits and symbols around them, make most guessed passwords. */
const COMMON_WORDS = new Set([
  'password',
  'passw',
  'passwd',
  'qwerty',
  'qwertyuiop',
  'asdfgh',
  'asdfghjkl',
  'zxcvbn',
  'abc',
  'abcd',
  'abcdef',
  'abcdefg',
  'admin',
  'administrator',
  'welcome',
  'letmein',
  'iloveyou',
  'woaini',
  'tongxin',
  'changeme',
  'test',
  'aaaaaa',
  'qazwsx',
]);

/**
 * Every reason a new password is refused (pure). Length first (NIST SP 800-63B), plus a mix of
 * character kinds because staff share terminals and choose short words otherwise.
 */
export function passwordProblems(password: string, context: { username?: string } = {}): PasswordProblem[] {
  const problems: PasswordProblem[] = [];
  const length = [...password].length;
  if (length < PASSWORD_MIN_LENGTH) problems.push('too_short');
  if (length > PASSWORD_MAX_LENGTH) problems.push('too_long');
  const kinds = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((re) => re.test(password)).length;
  if (kinds < 3) problems.push('too_few_kinds');
  const lower = password.toLowerCase();
  const username = context.username?.toLowerCase();
  if (username && username.length >= 3 && lower.includes(username)) problems.push('contains_username');
  const letters = lower.replace(/[^a-z]/g, '');
  const distinct = new Set(password).size;
  if (COMMON_WORDS.has(letters) || distinct <= 3) problems.push('common');
  return problems;
}

export function hashPassword(password: string): Promise<string> {
  return hash(password, ARGON2_OPTIONS);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  if ([...password].length > PASSWORD_MAX_LENGTH) return false;
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

let dummy: Promise<string> | undefined;

/**
 * Spends the same time as a real verification, so an unknown username cannot be told from a wrong
 * password by the response time.
 */
export async function verifyAgainstDummy(password: string): Promise<false> {
  dummy ??= hashPassword('dummy-password-never-matches-0');
  await verifyPassword(await dummy, password);
  return false;
}

export function needsRehash(passwordHash: string): boolean {
  try {
    const o = parseOptions(passwordHash);
    return (
      o.algorithm !== ARGON2_OPTIONS.algorithm ||
      o.memoryCost < ARGON2_OPTIONS.memoryCost ||
      o.timeCost < ARGON2_OPTIONS.timeCost
    );
  } catch {
    return true;
  }
}
