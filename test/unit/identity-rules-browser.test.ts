import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as identity from '../../src/modules/worker-profiles/identity.js';
import * as rules from '../../src/modules/worker-profiles/identity-rules.js';

describe('identity rules shared with the console', () => {
  it('when the console bundles identity-rules.ts, then it imports only the China-time helper, which imports nothing (no node:crypto, no zod)', () => {
    const source = readFileSync('src/modules/worker-profiles/identity-rules.ts', 'utf8');
    const imports = [...source.matchAll(/^import .* from '([^']+)';$/gm)].map((m) => m[1]);
    expect(imports).toEqual(['../../lib/china-time.js']);
    expect(readFileSync('src/lib/china-time.ts', 'utf8')).not.toMatch(/^import /m);
  });

  it('when the API validates, then it uses the same functions the console runs', () => {
    expect(identity.parseIdNumber).toBe(rules.parseIdNumber);
    expect(identity.parseCertificateNumber).toBe(rules.parseCertificateNumber);
    expect(identity.crossCheckIdentity).toBe(rules.crossCheckIdentity);
  });

  it('when an issue code comes back from the API, then its Chinese message is found by code', () => {
    expect(rules.identityMessage('id_number_check_character')?.zh).toMatch(/校验码/);
    expect(rules.identityMessage('no_such_code')).toBeUndefined();
  });
});
