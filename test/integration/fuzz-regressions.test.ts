import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, makeOrg, makeUser, signIn, type TestActor } from '../fixtures/accounts.js';
import { startTestApp, type TestApp } from '../fixtures/app.js';

/**
 * Seeds of failures the API fuzz run (scripts/fuzz.ts) found, kept as plain regression tests so
 * they are checked on every run whatever the fuzzer happens to generate.
 */
let t: TestApp;
let staff: TestActor;
let doc: { paths: Record<string, Record<string, { responses: Record<string, unknown> }>> };

beforeAll(async () => {
  t = await startTestApp();
  const org = await makeOrg('recipient_federation', '513400');
  staff = await signIn(t.config, await makeUser(org, ['federation_staff']), org);
  doc = (await request(t.app).get('/openapi.json')).body;
});
afterAll(async () => {
  await t?.close();
});

describe('fuzz seeds', () => {
  it('when every filter of the profile search is 2,000 characters long, then Node answers 431 and the document declares it', async () => {
    // schemathesis, coverage phase: each comma list at its declared maximum passes Node's 16 KB
    // limit on the request line and headers; Node answers before the app, with an empty body.
    const long = '0'.repeat(2_000);
    const query: Record<string, string> = Object.fromEntries(
      ['skill', 'training', 'category', 'level', 'limitation', 'accommodation', 'status', 'facets'].map(
        (k) => [k, long],
      ),
    );
    query.q = '0'.repeat(1_000);
    const res = await request(t.app)
      .get('/api/v1/search/worker-profiles')
      .query(query)
      .set(bearer(staff.token));
    expect(res.status).toBe(431);
    expect(Object.keys(doc.paths['/api/v1/search/worker-profiles']!.get!.responses)).toContain('431');
  });

  it('when a route takes a query, then its documented answers include 431; without one, not', () => {
    expect.hasAssertions();
    for (const [p, ops] of Object.entries(doc.paths))
      for (const [method, op] of Object.entries(ops)) {
        const hasQuery = ((op as { parameters?: { in: string }[] }).parameters ?? []).some(
          (x) => x.in === 'query',
        );
        expect(Object.keys(op.responses).includes('431'), `${method} ${p}`).toBe(hasQuery);
      }
  });
});
