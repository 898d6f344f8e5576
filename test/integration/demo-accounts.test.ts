import mongoose from 'mongoose';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEMO_COUNTY,
  DEMO_PASSWORD,
  DEMO_RECIPIENTS,
  formatDemoLogins,
  seedDemoAccounts,
} from '../../scripts/lib/demo/seed-accounts.js';
import { insertDemoProfiles } from '../../scripts/lib/demo-profiles.js';
import { isValidCreditCode } from '../../src/modules/orgs/credit-code.js';
import { bearer } from '../fixtures/accounts.js';
import { startTestApp, type TestApp } from '../fixtures/app.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ LOGIN_RATE_LIMIT_PER_MINUTE: '100' });
});
afterAll(async () => {
  await t?.close();
});

const count = (name: string) => mongoose.connection.db!.collection(name).countDocuments();

describe('demo accounts', () => {
  it('when generated profiles are seeded with the demo accounts (seed --demo --profiles N), then they reuse the demo federations', async () => {
    await seedDemoAccounts(t.config);
    const before = await count('organizations');
    const { inserted, federations } = await insertDemoProfiles(t.config, 300, 11);
    expect(inserted).toBe(300);
    const codes = new Set<string>(DEMO_RECIPIENTS.map((r) => r.code));
    const reused = [...federations.values()].filter((f) => codes.has(f.jurisdictionCode ?? ''));
    expect(reused.length).toBeGreaterThan(0);
    expect(await count('organizations')).toBe(before + federations.size - reused.length);
  });

  it('when seeded twice, then the second run changes nothing and returns the same logins', async () => {
    const first = await seedDemoAccounts(t.config);
    const counts = [await count('organizations'), await count('users')];
    const second = await seedDemoAccounts(t.config);
    expect([await count('organizations'), await count('users')]).toEqual(counts);
    expect(second).toEqual(first);
    const roles = new Set(first.flatMap((l) => l.roles));
    expect([...roles].sort()).toEqual(['admin', 'employer', 'federation_staff', 'reviewer']);
    expect(formatDemoLogins(first)).toContain('ganzi.staff');
  });

  it('when seeded, then there is one recipient federation per receiving prefecture and valid employer codes', async () => {
    const orgs = await mongoose.connection.db!.collection('organizations').find({}).toArray();
    const recipients = orgs.filter((o) => o.type === 'recipient_federation').map((o) => o.jurisdictionCode);
    expect(recipients.sort()).toEqual([...DEMO_RECIPIENTS.map((r) => r.code), DEMO_COUNTY.code].sort());
    const employers = orgs.filter((o) => o.type === 'employer');
    expect(employers.length).toBeGreaterThanOrEqual(4);
    for (const e of employers) {
      expect(isValidCreditCode(e.creditCode)).toBe(true);
      expect(['440600', '330300']).toContain(e.locationCode);
    }
  });

  it('when a demo user signs in with the documented password, then their scope is their jurisdiction', async () => {
    const res = await request(t.app)
      .post('/api/v1/auth/login')
      .send({ username: 'ganzi.staff', password: DEMO_PASSWORD })
      .expect(200);
    expect(res.body.me.scope.jurisdictionCode).toBe('513300');
    const admin = await request(t.app)
      .post('/api/v1/auth/login')
      .send({ username: 'demo.admin', password: DEMO_PASSWORD })
      .expect(200);
    await request(t.app).get('/api/v1/audit').set(bearer(admin.body.token)).expect(200);
  });

  it('when the environment is production, then demo accounts are refused', async () => {
    await expect(seedDemoAccounts({ isProduction: true })).rejects.toThrow(/never/);
  });
});
