import ExcelJS from 'exceljs';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Organization } from '../../src/modules/orgs/orgs.repository.js';
import type {
  DisabilityCategory,
  DisabilityLevel,
} from '../../src/modules/worker-profiles/identity-rules.js';
import { bearer, makeOrg, makeUser, signIn, type TestActor } from '../fixtures/accounts.js';
import { startTestApp, type TestApp } from '../fixtures/app.js';
import { makeProfileOf } from '../fixtures/worker-profiles.js';
import { binaryBody } from '../fixtures/xlsx.js';

/** The profiles report: counts by category, level and status, each caller over its own scope. */

let t: TestApp;
let ganzi: Organization; // 甘孜
let liangshan: Organization; // 凉山, paired with 佛山
const KANGDING = '513301';
const XICHANG = '513401';

async function actor(org: Organization, role: 'federation_staff' | 'reviewer' | 'admin'): Promise<TestActor> {
  return signIn(t.config, await makeUser(org, [role]), org);
}

const person = (org: Organization, county: string, category: DisabilityCategory, level: DisabilityLevel) =>
  makeProfileOf(t.deps, org, county, category, level);

const report = (who: TestActor, query: Record<string, string> = {}) =>
  request(t.app).get('/api/v1/reports/profiles').query(query).set(bearer(who.token));

beforeAll(async () => {
  t = await startTestApp({ RATE_LIMIT_PER_MINUTE: '100000' });
  ganzi = await makeOrg('recipient_federation', '513300');
  liangshan = await makeOrg('recipient_federation', '513400');
  await person(ganzi, KANGDING, '4', '3');
  await person(ganzi, KANGDING, '4', '3');
  await person(ganzi, KANGDING, '2', '1');
  await person(liangshan, XICHANG, '4', '2');
});
afterAll(async () => {
  await t?.close();
});

describe('GET /api/v1/reports/profiles', () => {
  it('when a federation asks, then it counts its own jurisdiction by category, level and status', async () => {
    const res = await report(await actor(ganzi, 'federation_staff'));
    expect(res.status).toBe(200);
    expect(res.body.total).toBe(3);
    expect(res.body.rows).toEqual([
      { disabilityCategory: '2', disabilityLevel: '1', status: 'available', count: 1 },
      { disabilityCategory: '4', disabilityLevel: '3', status: 'available', count: 2 },
    ]);
    expect(res.headers['cache-control']).toBe('no-store');
  });

  it('when a supporting federation asks, then it counts the receiving regions of its partnership only', async () => {
    const foshan = await makeOrg('supporting_federation', '440600');
    const res = await report(await actor(foshan, 'federation_staff'));
    expect(res.status).toBe(200);
    expect(res.body.total).toBe(1);
    expect(res.body.rows[0]).toMatchObject({ disabilityCategory: '4', disabilityLevel: '2' });
  });

  it('when an admin filters by region and status, then only those are counted', async () => {
    const admin = await actor(await makeOrg('platform'), 'admin');
    expect((await report(admin)).body.total).toBeGreaterThanOrEqual(4);
    expect((await report(admin, { region: '513300' })).body.total).toBe(3);
    expect((await report(admin, { region: '513300', status: 'placed' })).body.total).toBe(0);
  });

  it('when a federation names a region outside its jurisdiction, then nothing is counted there', async () => {
    const res = await report(await actor(ganzi, 'federation_staff'), { region: '513400' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ total: 0, rows: [] });
  });

  it('when an employer asks, then 403', async () => {
    const employer = await signIn(
      t.config,
      await makeUser(await makeOrg('employer', '440600'), ['employer']),
      await makeOrg('employer', '440600'),
    );
    expect((await report(employer)).status).toBe(403);
  });
});

describe('GET /api/v1/reports/profiles/export', () => {
  it('when exported, then the workbook holds the console table: categories × statuses with totals', async () => {
    const res = await request(t.app)
      .get('/api/v1/reports/profiles/export')
      .set(bearer((await actor(ganzi, 'federation_staff')).token))
      .buffer(true)
      .parse(binaryBody);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/spreadsheetml/);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.body as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    expect(ws.getRow(2).values).toEqual([
      undefined,
      '残疾类别',
      '待就业',
      '推荐中',
      '已就业',
      '暂不参与',
      '合计',
    ]);
    const rows = ws.getSheetValues().filter(Boolean) as unknown[][];
    const limbs = rows.find((r) => r[1] === '肢体残疾');
    expect(limbs?.slice(2, 7)).toEqual([2, 0, 0, 0, 2]);
    const total = rows.find((r) => r[1] === '合计' && typeof r[6] === 'number');
    expect(total?.[6]).toBe(3);
  });
});
