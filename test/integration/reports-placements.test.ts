import mongoose from 'mongoose';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chinaYear } from '../../src/lib/china-time.js';
import type { Opening } from '../../src/modules/openings/openings.service.js';
import type { Organization } from '../../src/modules/orgs/orgs.repository.js';
import { listPartnerships } from '../../src/modules/reference/reference.service.js';
import { sectionTable } from '../../src/modules/reports/placements-report.xlsx.js';
import { PLACEMENT_SECTIONS, type PlacementsReport } from '../../src/modules/reports/reports.schemas.js';
import type {
  DisabilityCategory,
  DisabilityLevel,
} from '../../src/modules/worker-profiles/identity-rules.js';
import type { WorkerProfile } from '../../src/modules/worker-profiles/worker-profiles.service.js';
import { bearer, makeOrg, makeUser, signIn, type TestActor } from '../fixtures/accounts.js';
import { startTestApp, type TestApp } from '../fixtures/app.js';
import { placementOfHire } from '../fixtures/jobs.js';
import { makeMatch, shareConsent } from '../fixtures/matches.js';
import { makeOpening } from '../fixtures/openings.js';
import { makeProfileOf } from '../fixtures/worker-profiles.js';
import { binaryBody, sheetRows } from '../fixtures/xlsx.js';

/**
 * The placement report on a small pipeline walked through the real API: matches approved,
 * proposed, hired (placements created by the review workflow) and followed up, then every section
 * counted exactly, per role and scope; the target set with If-Match; the XLSX export holding the
 * same numbers.
 *
 * The pipeline (all this year):
 * - 凉山 (513401) 四级肢体 level 2 → employer A (佛山), suggested 10 days ago, hired, retained 3 and 6 m
 * - 凉山 (513401) 一级视力 level 1 → employer A, suggested 40 days ago, hired on a 6-month contract
 *   (no quota credit), retained 3 m
 * - 甘孜 (513301) 肢体 level 3 → employer B (佛山), suggested today, hired
 * - 凉山: one suggestion only, one approved only, one proposed and declined
 */
let t: TestApp;
let liangshan: Organization;
let ganzi: Organization;
let foshanFed: Organization;
let wenzhouFed: Organization;
let employerA: Organization;
let employerB: Organization;
let lsStaff: TestActor;
let gzStaff: TestActor;
let fsStaff: TestActor;
let wzStaff: TestActor;
let reviewer: TestActor; // 佛山 reviewer: partnership scope 凉山
let employerUser: TestActor;
let admin: TestActor;
const YEAR = chinaYear();
const DAY = 86_400_000;

const as = async (org: Organization, roles: Parameters<typeof makeUser>[1]) =>
  signIn(t.config, await makeUser(org, roles), org);
const post = (a: TestActor, path: string, body?: Record<string, unknown>) =>
  request(t.app)
    .post(path)
    .set(bearer(a.token))
    .send(body ?? {});
const report = (a: TestActor, query: Record<string, string> = {}) =>
  request(t.app)
    .get('/api/v1/reports/placements')
    .query({ year: String(YEAR), ...query })
    .set(bearer(a.token));

function ok(res: request.Response, status = 200) {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  return res.body;
}

const person = (org: Organization, county: string, category: DisabilityCategory, level: DisabilityLevel) =>
  makeProfileOf(t.deps, org, county, category, level);

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** Suggested `daysAgo` days ago, then approved, proposed (with share consent), interested, hired. */
async function hireThrough(
  fed: Organization,
  profile: WorkerProfile,
  opening: Opening,
  daysAgo: number,
  contractMonths: number,
) {
  const m = await makeMatch(profile, opening, { suggestedAt: new Date(Date.now() - daysAgo * DAY) });
  ok(await post(reviewerFor(fed), `/api/v1/matches/${m.id}/approve`));
  await shareConsent(t.deps, fed, profile, opening);
  ok(await post(reviewerFor(fed), `/api/v1/matches/${m.id}/propose`));
  ok(await post(employerOf(opening), `/api/v1/matches/${m.id}/interested`));
  // Started 200 days ago, so every follow-up up to six months is due now.
  const start = Date.now() - 200 * DAY;
  const end = new Date(start);
  end.setUTCMonth(end.getUTCMonth() + contractMonths);
  ok(
    await post(employerOf(opening), `/api/v1/matches/${m.id}/hire`, {
      contractStart: day(start),
      contractEnd: day(end.getTime() + 2 * DAY),
      monthlyWage: 4200,
      socialInsurance: true,
    }),
  );
  return { match: m, placementId: await placementOfHire(t, m.id) };
}

let gzReviewer: TestActor;
let employerBUser: TestActor;
const reviewerFor = (fed: Organization) => (fed.id === ganzi.id ? gzReviewer : reviewer);
const employerOf = (opening: Opening) => (opening.employerId === employerB.id ? employerBUser : employerUser);

const visit = { stillEmployed: true, wagePaidOnTime: true, accommodationWorking: true, dormitory: true };
const followUp = (id: string, checkpoint: string) =>
  post(lsStaff, `/api/v1/placements/${id}/follow-ups/${checkpoint}`, visit);

let foshanLiangshan: string;
let guangdongGanzi: string;

beforeAll(async () => {
  t = await startTestApp({ RATE_LIMIT_PER_MINUTE: '100000' });
  liangshan = await makeOrg('recipient_federation', '513400');
  ganzi = await makeOrg('recipient_federation', '513300');
  foshanFed = await makeOrg('supporting_federation', '440600');
  wenzhouFed = await makeOrg('supporting_federation', '330300');
  employerA = await makeOrg('employer', '440600', { staffCount: 200 });
  employerB = await makeOrg('employer', '440600', { staffCount: 80 });
  lsStaff = await as(liangshan, ['federation_staff']);
  gzStaff = await as(ganzi, ['federation_staff']);
  fsStaff = await as(foshanFed, ['federation_staff']);
  wzStaff = await as(wenzhouFed, ['federation_staff']);
  reviewer = await as(foshanFed, ['reviewer']);
  gzReviewer = await as(ganzi, ['reviewer']);
  employerUser = await as(employerA, ['employer']);
  employerBUser = await as(employerB, ['employer']);
  admin = await as(await makeOrg('platform'), ['admin']);
  const partnerships = await listPartnerships();
  foshanLiangshan = partnerships.find(
    (p) => p.supportingCode === '440600' && p.receivingCode === '513400',
  )!.id;
  guangdongGanzi = partnerships.find(
    (p) => p.supportingCode === '440000' && p.receivingCode === '513300',
  )!.id;

  const openingA = await makeOpening(t.deps, employerA, 'open', { headcount: 5 });
  const openingB = await makeOpening(t.deps, employerB, 'open', { headcount: 5 });
  const p1 = await person(liangshan, '513401', '4', '2');
  const p2 = await person(liangshan, '513401', '1', '1');
  const p3 = await person(ganzi, '513301', '4', '3');
  const one = await hireThrough(liangshan, p1, openingA, 10, 13);
  const two = await hireThrough(liangshan, p2, openingA, 40, 6);
  await hireThrough(ganzi, p3, openingB, 0, 24);
  for (const c of ['m3', 'm6']) ok(await followUp(one.placementId, c));
  ok(await followUp(two.placementId, 'm3'));

  await makeMatch(await person(liangshan, '513401', '4', '3'), openingA);
  const approved = await makeMatch(await person(liangshan, '513401', '4', '3'), openingA);
  ok(await post(reviewer, `/api/v1/matches/${approved.id}/approve`));
  const declinedProfile = await person(liangshan, '513401', '4', '3');
  const declined = await makeMatch(declinedProfile, openingA);
  ok(await post(reviewer, `/api/v1/matches/${declined.id}/approve`));
  await shareConsent(t.deps, liangshan, declinedProfile, openingA);
  ok(await post(reviewer, `/api/v1/matches/${declined.id}/propose`));
  ok(
    await post(employerUser, `/api/v1/matches/${declined.id}/decline`, {
      reasonCode: 'requirements_not_met',
    }),
  );
}, 120_000);
afterAll(async () => {
  await t?.close();
});

const funnelOf = (body: { funnel: { stage: string; count: number }[] }) =>
  Object.fromEntries(body.funnel.map((f) => [f.stage, f.count]));
const rows = (
  list: { key: string; placements: number; retained3m: number; retained6m: number; quotaCredit: number }[],
) => list.map((r) => [r.key, r.placements, r.retained3m, r.retained6m, r.quotaCredit]);

describe('GET /api/v1/reports/placements', () => {
  it('when an admin asks, then every section counts the whole pipeline exactly', async () => {
    const body = ok(await report(admin));
    expect(body.summary).toMatchObject({ placed: 3, target: null, percentOfTarget: null });
    expect(funnelOf(body)).toEqual({
      suggested: 6,
      approved: 5,
      proposed: 4,
      hired: 3,
      retained3m: 2,
      retained6m: 1,
    });
    expect(rows(body.byPartnership)).toEqual([
      [foshanLiangshan, 2, 2, 1, 2],
      [guangdongGanzi, 1, 0, 0, 1],
    ]);
    expect(body.byPartnership[0].label).toBe('佛山市 — 凉山彝族自治州');
    expect(rows(body.byCounty)).toEqual([
      ['513401', 2, 2, 1, 2],
      ['513301', 1, 0, 0, 1],
    ]);
    expect(body.byCounty[0].label).toBe('西昌市');
    expect(rows(body.byCategoryLevel)).toEqual([
      ['1/1', 1, 1, 0, 0],
      ['4/2', 1, 1, 1, 2],
      ['4/3', 1, 0, 0, 1],
    ]);
    expect(rows(body.byEmployer)).toEqual([
      [employerA.id, 2, 2, 1, 2],
      [employerB.id, 1, 0, 0, 1],
    ]);
    expect(body.byEmployer[0].label).toBe(employerA.name);
    expect(body.timeToPlacement).toMatchObject({ placements: 3, unknown: 0, median: 10, p75: 40, p90: 40 });
    expect(body.timeToPlacement.histogram.filter((h: { count: number }) => h.count > 0)).toEqual([
      { key: '0-7', count: 1 },
      { key: '8-14', count: 1 },
      { key: '31-60', count: 1 },
    ]);
    expect(body.quotaCredit.total).toBe(3);
    expect(
      body.quotaCredit.byEmployer.map((r: { key: string; placements: number; credit: number }) => [
        r.key,
        r.placements,
        r.credit,
      ]),
    ).toEqual([
      [employerA.id, 1, 2],
      [employerB.id, 1, 1],
    ]);
  });

  it('when a recipient federation asks, then only the people of its jurisdiction are counted', async () => {
    const body = ok(await report(lsStaff));
    expect(body.summary.placed).toBe(2);
    expect(funnelOf(body)).toEqual({
      suggested: 5,
      approved: 4,
      proposed: 3,
      hired: 2,
      retained3m: 2,
      retained6m: 1,
    });
    expect(body.byCounty.map((r: { key: string }) => r.key)).toEqual(['513401']);
    const gz = ok(await report(gzStaff));
    expect(gz.summary.placed).toBe(1);
    expect(funnelOf(gz)).toMatchObject({ suggested: 1, approved: 1, proposed: 1, hired: 1 });
  });

  it('when a supporting federation asks, then it counts the hires at workplaces in its region; another city counts none', async () => {
    const fs = ok(await report(fsStaff));
    expect(fs.summary.placed).toBe(3);
    expect(fs.quotaCredit.total).toBe(3);
    const wz = ok(await report(wzStaff));
    expect(wz.summary.placed).toBe(0);
    expect(funnelOf(wz)).toEqual({
      suggested: 0,
      approved: 0,
      proposed: 0,
      hired: 0,
      retained3m: 0,
      retained6m: 0,
    });
    expect(wz.byEmployer).toEqual([]);
  });

  it('when a reviewer asks, then the people of its partnership scope are counted', async () => {
    expect(ok(await report(reviewer)).summary.placed).toBe(2);
  });

  it('when a federation names a region outside its jurisdiction, then nothing is counted there', async () => {
    const body = ok(await report(gzStaff, { region: '513400' }));
    expect(body.summary.placed).toBe(0);
    expect(ok(await report(admin, { region: '513400' })).summary.placed).toBe(2);
  });

  it('when another year is asked, then nothing of this year is counted', async () => {
    const body = ok(await report(admin, { year: String(YEAR - 1) }));
    expect(body.summary.placed).toBe(0);
    expect(funnelOf(body).suggested).toBe(0);
  });

  it('when an employer asks, then 403', async () => {
    expect((await report(employerUser)).status).toBe(403);
    const exp = await request(t.app)
      .get('/api/v1/reports/placements/export')
      .query({ year: String(YEAR), section: 'summary' })
      .set(bearer(employerUser.token));
    expect(exp.status).toBe(403);
  });
});

describe('placement targets', () => {
  const targetPath = `/api/v1/reports/placement-targets/${YEAR}`;
  it('when federation staff set their target with If-Match, then the report shows the percent of it', async () => {
    const first = ok(await request(t.app).get(targetPath).set(bearer(lsStaff.token)));
    expect(first).toEqual({ organizationId: liangshan.id, year: YEAR, target: null, version: 0 });
    const without = await request(t.app).put(targetPath).set(bearer(lsStaff.token)).send({ target: 4 });
    expect(without.status).toBe(428);
    const set = await request(t.app)
      .put(targetPath)
      .set(bearer(lsStaff.token))
      .set('If-Match', 'W/"0"')
      .send({ target: 4 });
    expect(ok(set)).toMatchObject({ target: 4, version: 1 });
    expect(set.headers.etag).toBe('W/"1"');
    const stale = await request(t.app)
      .put(targetPath)
      .set(bearer(lsStaff.token))
      .set('If-Match', 'W/"0"')
      .send({ target: 5 });
    expect(stale.status).toBe(412);
    expect(ok(await report(lsStaff)).summary).toMatchObject({ placed: 2, target: 4, percentOfTarget: 50 });
    // A supporting federation has no target of its own here.
    expect(ok(await report(fsStaff)).summary.target).toBeNull();
  });

  it('when federation staff name another organisation, then 400 mass_assignment; an admin sets any federation’s target', async () => {
    const foreign = await request(t.app)
      .put(targetPath)
      .set(bearer(gzStaff.token))
      .set('If-Match', 'W/"1"')
      .send({ target: 9, organizationId: liangshan.id });
    expect(foreign.status).toBe(400);
    expect(foreign.body.code).toBe('mass_assignment');
    const read = await request(t.app)
      .get(targetPath)
      .query({ organizationId: liangshan.id })
      .set(bearer(gzStaff.token));
    expect(read.status).toBe(404);
    ok(
      await request(t.app)
        .put(targetPath)
        .set(bearer(admin.token))
        .set('If-Match', 'W/"0"')
        .send({ target: 2, organizationId: ganzi.id }),
    );
    // The admin's report adds up the recipient federations' targets: 4 + 2 for 3 placed.
    expect(ok(await report(admin)).summary).toMatchObject({ placed: 3, target: 6, percentOfTarget: 50 });
    expect(ok(await report(admin, { region: '513300' })).summary).toMatchObject({ placed: 1, target: 2 });
    const notFed = await request(t.app)
      .put(targetPath)
      .set(bearer(admin.token))
      .set('If-Match', 'W/"0"')
      .send({ target: 2, organizationId: employerA.id });
    expect(notFed.status).toBe(404);
  });
});

async function xlsx(a: TestActor, section: string, lang = 'zh-CN') {
  const res = await request(t.app)
    .get('/api/v1/reports/placements/export')
    .query({ year: String(YEAR), section })
    .set(bearer(a.token))
    .set('Accept-Language', lang)
    .buffer(true)
    .parse(binaryBody);
  return sheetRows(res);
}

describe('GET /api/v1/reports/placements/export', () => {
  it('when a section is exported, then the workbook holds the same numbers as the report', async () => {
    const county = await xlsx(admin, 'byCounty');
    expect(county[1]).toEqual(['户籍县', '安置就业', '稳定 3 个月', '稳定 6 个月', '按比例就业计入']);
    expect(county[2]).toEqual(['西昌市', 2, 2, 1, 2]);
    expect(county[3]).toEqual(['康定市', 1, 0, 0, 1]);
    expect(county[4]).toEqual(['合计', 3, 2, 1, 3]);

    const funnel = await xlsx(lsStaff, 'funnel', 'en');
    expect(funnel[1]).toEqual(['Stage', 'Count']);
    expect(funnel.slice(2, 8)).toEqual([
      ['Suggested', 5],
      ['Approved', 4],
      ['Proposed', 3],
      ['Hired', 2],
      ['Retained 3 months', 2],
      ['Retained 6 months', 1],
    ]);

    const categories = await xlsx(admin, 'byCategoryLevel');
    expect(categories.map((r) => r[0])).toEqual(
      expect.arrayContaining(['视力残疾 · 一级', '肢体残疾 · 二级', '肢体残疾 · 三级']),
    );

    const summary = await xlsx(lsStaff, 'summary');
    expect(summary.slice(2, 5)).toEqual([
      ['本年安置就业', 2],
      ['年度目标', 4],
      ['完成目标百分比', 50],
    ]);
    const quota = await xlsx(admin, 'quotaCredit');
    expect(quota.find((r) => r[0] === '合计')).toEqual(['合计', 2, 3]);
  });

  it('when each section is exported alone, then its rows equal that section of the whole report', async () => {
    // An export runs only its own section's queries: a query left out shows here as a row that differs.
    expect.hasAssertions();
    for (const who of [admin, lsStaff]) {
      const whole = ok(await report(who)) as PlacementsReport;
      for (const section of PLACEMENT_SECTIONS) {
        const table = sectionTable(whole, section, 'en');
        const rows = await xlsx(who, section, 'en');
        expect(rows.slice(2, 2 + table.rows.length), `${section} for ${who.user.username}`).toEqual(
          table.rows,
        );
      }
    }
  });
});

describe('older placements', () => {
  it('when a placement predates the report fields, then it is still counted, as unknown', async () => {
    const now = new Date();
    await mongoose.connection.db!.collection('placements').insertOne({
      matchId: 'legacy-1',
      profileId: 'legacy-profile',
      openingId: 'legacy-opening',
      employerId: employerB.id,
      federationId: liangshan.id,
      profileRegionPath: ['510000', '513200', '513201'],
      openingRegionPath: ['440000', '440600'],
      regionCode: '440600',
      contractStart: day(Date.now() - 30 * DAY),
      contractEnd: day(Date.now() + 400 * DAY),
      monthlyWage: 4000,
      minimumWageAtHire: 1900,
      socialInsurance: true,
      disabilityLevel: '2',
      quotaWeight: 2,
      headcountSlot: 1,
      status: 'placed',
      checkpoints: [],
      retention: { m3: null, m6: null, subsidyEvidence: false },
      version: 1,
      createdBy: 'legacy',
      createdAt: now,
      updatedAt: now,
    });
    const body = ok(await report(admin));
    expect(body.summary.placed).toBe(4);
    expect(body.byCounty.find((r: { key: string }) => r.key === 'unknown')).toMatchObject({
      label: '未知',
      placements: 1,
      quotaCredit: 2,
    });
    expect(body.byCategoryLevel.find((r: { key: string }) => r.key === 'unknown/2')).toMatchObject({
      placements: 1,
    });
    expect(body.byPartnership.find((r: { key: string }) => r.key === 'none')).toMatchObject({
      placements: 1,
    });
    expect(body.timeToPlacement).toMatchObject({ placements: 3, unknown: 1 });
    expect(body.quotaCredit.total).toBe(5);
  });
});
