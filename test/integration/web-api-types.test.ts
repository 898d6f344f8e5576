import { readFileSync } from 'node:fs';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderWebApiTypes } from '../../scripts/lib/web-api-types.js';
import { startTestApp, type TestApp } from '../fixtures/app.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t.close();
});

describe('the console’s API types', () => {
  it('when compared with what /openapi.json gives, then web/src/api/schema.d.ts is up to date (npm run web:api-types)', async () => {
    const doc = (await request(t.app).get('/openapi.json').expect(200)).body;
    const committed = readFileSync(new URL('../../web/src/api/schema.d.ts', import.meta.url), 'utf8');
    expect(committed === (await renderWebApiTypes(doc)), 'run `npm run web:api-types`').toBe(true);
  });
});
