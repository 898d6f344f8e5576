import ExcelJS from 'exceljs';
import mongoose from 'mongoose';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_OPENINGS, demoOpeningId, seedDemoOpenings } from '../../scripts/lib/demo/seed-openings.js';
import type { Role } from '../../src/lib/http/route.js';
import { getOpeningsForMatching } from '../../src/modules/openings/for-other-modules.service.js';
import { claimHeadcountSlot, releaseHeadcountSlot } from '../../src/modules/openings/headcount.service.js';
import { openingsDeps } from '../../src/modules/openings/openings.deps.js';
import { adoptHeadcountSlotClaims } from '../../src/modules/openings/openings.repository.js';
import type { Organization } from '../../src/modules/orgs/orgs.repository.js';
import { bearer, makeOrg, makeUser, signIn, type TestActor } from '../fixtures/accounts.js';
import { startTestApp, type TestApp } from '../fixtures/app.js';
import { makeOpening, openingBody } from '../fixtures/openings.js';
import { binaryBody } from '../fixtures/xlsx.js';

let t: TestApp;
let admin: TestActor;
let foshanA: TestActor; // 佛山 employer
let foshanB: TestActor; // another 佛山 employer
let wenzhouEmp: TestActor;
let foshanReviewer: TestActor;
let wenzhouReviewer: TestActor;
let foshanStaff: TestActor; // supporting federation 佛山
let wenzhouStaff: TestActor;
let liangshanStaff: TestActor; // recipient 凉山, paired with 佛山
let ganziStaff: TestActor; // recipient 甘孜, paired with 广东 (province)
let nanchongStaff: TestActor; // recipient 南充, paired with 温州 through 南部县

async function actor(type: Organization['type'], region: string | undefined, role: Role): Promise<TestActor> {
  const org = await makeOrg(type, region);
  return signIn(t.config, await makeUser(org, [role]), org);
}

beforeAll(async () => {
  t = await startTestApp({ RATE_LIMIT_PER_MINUTE: '100000' });
  admin = await actor('platform', undefined, 'admin');
  foshanA = await actor('employer', '440600', 'employer');
  foshanB = await actor('employer', '440600', 'employer');
  wenzhouEmp = await actor('employer', '330300', 'employer');
  // One federation per jurisdiction (its natural key): reviewer and staff share it.
  foshanReviewer = await actor('supporting_federation', '440600', 'reviewer');
  foshanStaff = await signIn(
    t.config,
    await makeUser(foshanReviewer.org, ['federation_staff']),
    foshanReviewer.org,
  );
  wenzhouReviewer = await actor('supporting_federation', '330300', 'reviewer');
  wenzhouStaff = await signIn(
    t.config,
    await makeUser(wenzhouReviewer.org, ['federation_staff']),
    wenzhouReviewer.org,
  );
  liangshanStaff = await actor('recipient_federation', '513400', 'federation_staff');
  ganziStaff = await actor('recipient_federation', '513300', 'federation_staff');
  nanchongStaff = await actor('recipient_federation', '511300', 'federation_staff');
});
afterAll(async () => {
  await t?.close();
});

const api = () => request(t.app);
const post = (path: string, body: unknown, who: TestActor) =>
  api()
    .post(path)
    .set(bearer(who.token))
    .send(body as object);
const get = (path: string, who: TestActor) => api().get(path).set(bearer(who.token));
const patch = (path: string, body: unknown, who: TestActor, ifMatch?: string) => {
  const r = api().patch(path).set(bearer(who.token));
  return (ifMatch ? r.set('If-Match', ifMatch) : r).send(body as object);
};
const issuePaths = (res: { body: { issues?: { path: string }[] } }) =>
  (res.body.issues ?? []).map((i) => i.path).sort();
const raw = () => mongoose.connection.db!.collection('openings');

describe('creating an opening', () => {
  it('when a vocabulary field holds an unknown code, then its message is in Chinese under zh-CN and in English under en', async () => {
    const body = openingBody({ jobDemands: ['fine_motor', 'telepathy'] });
    const zh = await post('/api/v1/openings', body, foshanA).expect(400);
    expect(zh.body.issues).toEqual([
      {
        path: 'body.jobDemands.1',
        code: 'unknown_code',
        message: '不是有效的岗位要求代码“telepathy”（job_demand）',
      },
    ]);
    const en = await post('/api/v1/openings', body, foshanA).set('Accept-Language', 'en').expect(400);
    expect(en.body.issues).toEqual([
      { path: 'body.jobDemands.1', code: 'unknown_code', message: 'unknown job_demand code "telepathy"' },
    ]);
  });

  it('when an employer posts a valid opening, then 201 as a draft of its own organisation, filled 0, version 1', async () => {
    const res = await post('/api/v1/openings', openingBody({ title: '电子元器件装配工' }), foshanA).expect(
      201,
    );
    expect(res.headers.etag).toBe('W/"1"');
    expect(res.headers.location).toBe(`/api/v1/openings/${res.body.id}`);
    expect(res.body).toMatchObject({
      employerId: foshanA.org.id,
      employerName: foshanA.org.name,
      status: 'draft',
      filled: 0,
      version: 1,
      suitableFor: ['2', '4'],
      allowedActions: ['open', 'close'],
      dormitory: { provided: true, accessible: true, costPerMonthCny: 0 },
      contract: { termMonths: 24, socialInsurance: true, housingFund: false },
    });
    const doc = await raw().findOne({ _id: new mongoose.Types.ObjectId(res.body.id) });
    expect(doc?.regionPath).toEqual(['440000', '440600']);
    const audit = await get(`/api/v1/audit?resourceId=${res.body.id}`, admin).expect(200);
    expect(audit.body.items[0]).toMatchObject({ action: 'opening.create' });
    expect(JSON.stringify(audit.body.items)).not.toContain('电子元器件装配工');
  });

  it.each([
    ['in 四川', { regionCode: '510100' }, ['body.regionCode']],
    ['a whole province', { regionCode: '440000' }, ['body.regionCode']],
    ['an unknown region', { regionCode: '449999' }, ['body.regionCode']],
    ['min above max', { wageMin: 6000, wageMax: 5000 }, ['body.wageMin']],
    ['a wage below the floor', { wageMin: 1500, wageMax: 3000 }, ['body.wageMin']],
    ['no headcount', { headcount: 0 }, ['body.headcount']],
    [
      'an accessible dormitory without a dormitory',
      {
        dormitory: { provided: false, accessible: true },
      },
      ['body.dormitory.accessible'],
    ],
    [
      'night shifts not declared as a demand',
      { hours: { hoursPerDay: 8, daysPerWeek: 5, shifts: ['night'] } },
      ['body.jobDemands'],
    ],
    [
      'a contact phone that is no phone',
      { accommodationContact: { name: '陈经理', phone: '12345' } },
      ['body.accommodationContact.phone'],
    ],
  ])('when the opening has %s, then 400 naming the field', async (_why, over, expected) => {
    const res = await post('/api/v1/openings', openingBody(over), foshanA).expect(400);
    expect(res.body.code).toBe('validation_failed');
    expect(issuePaths(res)).toEqual(expected);
  });

  it('when codes are unknown, then 400 naming every one of them at once', async () => {
    const res = await post(
      '/api/v1/openings',
      openingBody({
        occupationGroup: '9',
        skills: [
          { code: 'electronic_assembly', level: '9' },
          { code: 'rocket_science', level: '1' },
        ],
        preferredTraining: ['tp_unknown'],
        jobDemands: ['fine_motor', 'juggling'],
        accommodationsOffered: ['accessible_dorm', 'free_lunch'],
        suitableFor: ['8'],
      }),
      foshanA,
    ).expect(400);
    expect(issuePaths(res)).toEqual(
      [
        'body.occupationGroup',
        'body.skills.0.level',
        'body.skills.1.code',
        'body.preferredTraining.0',
        'body.jobDemands.1',
        'body.accommodationsOffered.1',
        'body.suitableFor.0',
      ].sort(),
    );
  });

  it('when an opening lists disability categories to exclude, then 400 citing the law and nothing is stored', async () => {
    const before = await raw().countDocuments();
    for (const field of ['excludedCategories', 'notSuitableFor']) {
      const res = await post('/api/v1/openings', openingBody({ [field]: ['5', '6'] }), foshanA).expect(400);
      expect(res.body.issues).toEqual([
        expect.objectContaining({ path: `body.${field}`, code: 'exclusion_not_allowed' }),
      ]);
      expect(res.body.detail).toMatch(/残疾人保障法/);
    }
    const text = await post(
      '/api/v1/openings',
      openingBody({ description: '流水线装配，聋哑人除外。' }),
      foshanA,
    ).expect(400);
    expect(text.body.issues).toEqual([
      expect.objectContaining({ path: 'body.description', code: 'exclusion_not_allowed' }),
    ]);
    expect(await raw().countDocuments()).toBe(before);
  });

  it('when an employer sets employerId, status, filled or version, then 400 mass_assignment naming them', async () => {
    const res = await post(
      '/api/v1/openings',
      openingBody({ employerId: foshanB.org.id, status: 'open', filled: 3, version: 9 }),
      foshanA,
    ).expect(400);
    expect(res.body.code).toBe('mass_assignment');
    expect(res.body.fields).toEqual(['employerId', 'status', 'filled', 'version']);
  });

  it('when an admin posts for an employer, then it belongs to that employer; without one or with a non-employer, 400', async () => {
    const ok = await post('/api/v1/openings', openingBody({ employerId: foshanB.org.id }), admin).expect(201);
    expect(ok.body.employerId).toBe(foshanB.org.id);
    const missing = await post('/api/v1/openings', openingBody(), admin).expect(400);
    expect(issuePaths(missing)).toEqual(['body.employerId']);
    const notEmployer = await post(
      '/api/v1/openings',
      openingBody({ employerId: liangshanStaff.org.id }),
      admin,
    ).expect(400);
    expect(issuePaths(notEmployer)).toEqual(['body.employerId']);
  });

  it('when openings are written, then no log line carries the contact phone', async () => {
    await post(
      '/api/v1/openings',
      openingBody({ accommodationContact: { name: '黄主任', phone: '13912345678' } }),
      foshanA,
    ).expect(201);
    expect(t.logs.lines.join('\n')).not.toContain('13912345678');
    expect(t.logs.lines.join('\n')).not.toContain('黄主任');
  });
});

describe('who sees which opening', () => {
  let draft: string;
  let foshanOpen: string;
  let wenzhouOpen: string;

  beforeAll(async () => {
    draft = (await makeOpening(t.deps, foshanA.org, 'draft')).id;
    foshanOpen = (await makeOpening(t.deps, foshanA.org, 'open')).id;
    wenzhouOpen = (
      await makeOpening(t.deps, wenzhouEmp.org, 'open', {
        regionCode: '330300',
        address: '温州市鹿城区示例工业区',
      })
    ).id;
  });

  const status = async (id: string, who: TestActor) => (await get(`/api/v1/openings/${id}`, who)).status;

  it('when a 佛山 employer reads another employer’s opening, then 404, as for one that does not exist', async () => {
    const res = await get(`/api/v1/openings/${foshanOpen}`, foshanB).expect(404);
    expect(res.body.code).toBe('not_found');
    expect(await status(draft, foshanB)).toBe(404);
    expect(await status(foshanOpen, foshanA)).toBe(200);
    expect(await status(draft, foshanA)).toBe(200);
  });

  it('when a draft is read by anyone but its employer and admins, then 404', async () => {
    for (const who of [foshanReviewer, foshanStaff, liangshanStaff, ganziStaff])
      expect(await status(draft, who)).toBe(404);
    expect(await status(draft, admin)).toBe(200);
  });

  it('when reviewers of either side read, then every published opening', async () => {
    expect.hasAssertions();
    for (const who of [foshanReviewer, wenzhouReviewer]) {
      expect(await status(foshanOpen, who)).toBe(200);
      expect(await status(wenzhouOpen, who)).toBe(200);
    }
  });

  it('when supporting federation staff read, then the published openings of their own city only', async () => {
    expect(await status(foshanOpen, foshanStaff)).toBe(200);
    expect(await status(wenzhouOpen, foshanStaff)).toBe(404);
    expect(await status(wenzhouOpen, wenzhouStaff)).toBe(200);
    expect(await status(foshanOpen, wenzhouStaff)).toBe(404);
  });

  it('when recipient federation staff read, then the published openings of their partner regions only', async () => {
    expect(await status(foshanOpen, liangshanStaff)).toBe(200); // 凉山 ↔ 佛山
    expect(await status(wenzhouOpen, liangshanStaff)).toBe(404);
    expect(await status(foshanOpen, ganziStaff)).toBe(200); // 甘孜 ↔ 广东
    expect(await status(wenzhouOpen, ganziStaff)).toBe(404);
    expect(await status(wenzhouOpen, nanchongStaff)).toBe(200); // 南充 (南部县) ↔ 温州
    expect(await status(foshanOpen, nanchongStaff)).toBe(404);
  });

  it('when recipient staff list openings, then only what they may read appears, and the total agrees', async () => {
    const res = await get('/api/v1/openings?limit=200', liangshanStaff).expect(200);
    const ids = res.body.items.map((o: { id: string }) => o.id);
    expect(ids).toContain(foshanOpen);
    expect(ids).not.toContain(wenzhouOpen);
    expect(ids).not.toContain(draft);
    expect(res.body.total).toBe(ids.length);
    for (const o of res.body.items) expect(o.status).not.toBe('draft');
  });

  it('when an employer filters by another employer, then it still sees nothing of it', async () => {
    const res = await get(`/api/v1/openings?employer=${foshanA.org.id}`, foshanB).expect(200);
    expect(res.body).toMatchObject({ items: [], total: 0, nextCursor: null });
  });
});

describe('listing openings', () => {
  let employer: TestActor;
  const ids: string[] = [];

  beforeAll(async () => {
    employer = await actor('employer', '440600', 'employer');
    const specs: [string, Record<string, unknown>][] = [
      ['open', { wageMin: 3000, wageMax: 4000, skills: [{ code: 'sewing', level: '2' }] }],
      ['open', { wageMin: 4000, wageMax: 6000 }],
      ['paused', { wageMin: 3500, wageMax: 4500 }],
      ['draft', { wageMin: 5000, wageMax: 7000, regionCode: '330300', address: '温州' }],
      ['closed', { wageMin: 3200, wageMax: 3800 }],
    ];
    for (const [status, over] of specs)
      ids.push((await makeOpening(t.deps, employer.org, status as 'open', over)).id);
  });

  const list = async (query: string, who = employer) =>
    (await get(`/api/v1/openings?employer=${employer.org.id}&${query}`, who).expect(200)).body;

  it('when pages of 2 are followed by cursor, then every opening comes once and the total counts all', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: { items: { id: string }[]; nextCursor: string | null; total: number } = await list(
        `limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      );
      expect(page.total).toBe(5);
      seen.push(...page.items.map((o) => o.id));
      cursor = page.nextCursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    expect([...seen].sort()).toEqual([...ids].sort());
  });

  it('when sorted by maximum wage, then in that order', async () => {
    const asc = await list('sort=wageMax');
    expect(asc.items.map((o: { wageMax: number }) => o.wageMax)).toEqual([3800, 4000, 4500, 6000, 7000]);
    const desc = await list('sort=-wageMax&limit=2');
    expect(desc.items.map((o: { wageMax: number }) => o.wageMax)).toEqual([7000, 6000]);
  });

  it('when filtered by status, region, skill or updatedSince, then only matches, with their total', async () => {
    expect((await list('status=open')).total).toBe(2);
    expect((await list('region=330300')).items.map((o: { id: string }) => o.id)).toEqual([ids[3]]);
    expect((await list('region=440000')).total).toBe(4);
    expect((await list('skill=sewing')).items.map((o: { id: string }) => o.id)).toEqual([ids[0]]);
    expect(
      (await list(`updatedSince=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`)).total,
    ).toBe(0);
    expect((await list('updatedSince=2020-01-01T00:00:00Z')).total).toBe(5);
  });

  it('when a query value is not allowed, then 400 naming it', async () => {
    const res = await get('/api/v1/openings?sort=employerId&status=hidden&cursor=xyz', employer).expect(400);
    expect(issuePaths(res)).toEqual(['query.sort', 'query.status']);
    const cursor = await get('/api/v1/openings?cursor=xyz', employer).expect(400);
    expect(issuePaths(cursor)).toEqual(['query.cursor']);
  });
});

describe('editing an opening', () => {
  it('when the employer patches with the current If-Match, then 200, version +1, and only the sent fields change', async () => {
    const o = await makeOpening(t.deps, foshanA.org, 'open');
    const res = await patch(
      `/api/v1/openings/${o.id}`,
      { wageMax: 6500, headcount: 8 },
      foshanA,
      'W/"2"',
    ).expect(200);
    expect(res.headers.etag).toBe('W/"3"');
    expect(res.body).toMatchObject({
      wageMax: 6500,
      headcount: 8,
      wageMin: o.wageMin,
      title: o.title,
      version: 3,
    });
  });

  it('when If-Match is stale or missing, then 412 / 428 and nothing is overwritten', async () => {
    const o = await makeOpening(t.deps, foshanA.org);
    const stale = await patch(`/api/v1/openings/${o.id}`, { title: '改过的标题' }, foshanA, 'W/"7"').expect(
      412,
    );
    expect(stale.body.currentVersion).toBe(1);
    await patch(`/api/v1/openings/${o.id}`, { title: '改过的标题' }, foshanA).expect(428);
    const now = await get(`/api/v1/openings/${o.id}`, foshanA).expect(200);
    expect(now.body).toMatchObject({ title: o.title, version: 1 });
  });

  it('when two PATCHes carry the same If-Match at once, then exactly one wins and the other gets 412', async () => {
    const o = await makeOpening(t.deps, foshanA.org);
    const results = await Promise.all(
      [5100, 5200, 5300, 5400].map((wageMax) =>
        patch(`/api/v1/openings/${o.id}`, { wageMax }, foshanA, 'W/"1"'),
      ),
    );
    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual([200, 412, 412, 412]);
    const winner = results.find((r) => r.status === 200)!;
    const stored = await get(`/api/v1/openings/${o.id}`, foshanA).expect(200);
    expect(stored.body).toMatchObject({ version: 2, wageMax: winner.body.wageMax });
  });

  it('when a patch lowers wageMax below the stored wageMin, then 400 naming body.wageMax', async () => {
    const o = await makeOpening(t.deps, foshanA.org);
    const res = await patch(`/api/v1/openings/${o.id}`, { wageMax: 3000 }, foshanA, 'W/"1"').expect(400);
    expect(issuePaths(res)).toEqual(['body.wageMax']);
  });

  it('when a patch names a category to exclude or a read-only field, then 400 and nothing changes', async () => {
    const o = await makeOpening(t.deps, foshanA.org);
    const ex = await patch(
      `/api/v1/openings/${o.id}`,
      { excludedCategories: ['5'] },
      foshanA,
      'W/"1"',
    ).expect(400);
    expect(ex.body.issues[0].code).toBe('exclusion_not_allowed');
    const ma = await patch(
      `/api/v1/openings/${o.id}`,
      { status: 'open', filled: 1 },
      foshanA,
      'W/"1"',
    ).expect(400);
    expect(ma.body).toMatchObject({ code: 'mass_assignment', fields: ['status', 'filled'] });
    const emp = await patch(
      `/api/v1/openings/${o.id}`,
      { employerId: foshanB.org.id },
      admin,
      'W/"1"',
    ).expect(400);
    expect(emp.body.fields).toEqual(['employerId']);
    expect((await get(`/api/v1/openings/${o.id}`, foshanA)).body.version).toBe(1);
  });

  it('when another employer patches, then 404; when the opening is closed, then 409 naming the state', async () => {
    const o = await makeOpening(t.deps, foshanA.org, 'closed');
    await patch(`/api/v1/openings/${o.id}`, { title: '别人的岗位' }, foshanB, 'W/"2"').expect(404);
    const closed = await patch(`/api/v1/openings/${o.id}`, { title: '重新开放' }, foshanA, 'W/"2"').expect(
      409,
    );
    expect(closed.body).toMatchObject({ code: 'illegal_transition', currentState: 'closed' });
  });
});

describe('the status of an opening', () => {
  const act = (id: string, action: string, who: TestActor = foshanA, ifMatch?: string) => {
    const r = api().post(`/api/v1/openings/${id}/${action}`).set(bearer(who.token));
    return ifMatch ? r.set('If-Match', ifMatch) : r;
  };

  it('when an employer walks draft → open → paused → open → closed, then each step answers 200 and illegal ones 409', async () => {
    const { id } = await makeOpening(t.deps, foshanA.org);
    await act(id, 'pause').expect(409);
    const opened = await act(id, 'open').expect(200);
    expect(opened.body).toMatchObject({ status: 'open', version: 2, allowedActions: ['pause', 'close'] });
    expect(opened.headers.etag).toBe('W/"2"');
    const again = await act(id, 'open').expect(409);
    expect(again.body).toMatchObject({ code: 'illegal_transition', currentState: 'open', action: 'open' });
    await act(id, 'pause').expect(200);
    const paused = await act(id, 'pause').expect(409);
    expect(paused.body.currentState).toBe('paused');
    await act(id, 'open').expect(200);
    const closed = await act(id, 'close').expect(200);
    expect(closed.body).toMatchObject({ status: 'closed', allowedActions: [] });
    const reopen = await act(id, 'open').expect(409);
    expect(reopen.body.currentState).toBe('closed');
    const doc = await raw().findOne({ _id: new mongoose.Types.ObjectId(id) });
    expect(doc?.statusHistory.map((h: { from: string; to: string }) => `${h.from}>${h.to}`)).toEqual([
      'draft>open',
      'open>paused',
      'paused>open',
      'open>closed',
    ]);
  });

  it('when an action carries a stale If-Match, then 412; when another employer acts, then 404', async () => {
    const { id } = await makeOpening(t.deps, foshanA.org);
    await act(id, 'open', foshanA, 'W/"5"').expect(412);
    await act(id, 'open', foshanB).expect(404);
    await act(id, 'open', foshanA, 'W/"1"').expect(200);
  });

  it('when five pause requests race, then exactly one wins and the others see the paused state', async () => {
    const { id } = await makeOpening(t.deps, foshanA.org, 'open');
    const results = await Promise.all(Array.from({ length: 5 }, () => act(id, 'pause')));
    expect(results.map((r) => r.status).sort()).toEqual([200, 409, 409, 409, 409]);
    for (const r of results.filter((x) => x.status === 409)) expect(r.body.currentState).toBe('paused');
    const doc = await raw().findOne({ _id: new mongoose.Types.ObjectId(id) });
    expect(doc?.statusHistory).toHaveLength(2);
    expect(doc?.version).toBe(3);
  });

  it('when hires reach the headcount, then the opening is filled; a released place reopens it', async () => {
    const svc = openingsDeps(t.deps);
    const { id } = await makeOpening(t.deps, foshanA.org, 'open', { headcount: 2 });
    const places = await Promise.all(Array.from({ length: 5 }, () => claimHeadcountSlot(id, svc)));
    expect(places.filter((s) => s !== undefined).sort()).toEqual([1, 2]);
    const full = await get(`/api/v1/openings/${id}`, foshanA).expect(200);
    expect(full.body).toMatchObject({ status: 'filled', filled: 2, allowedActions: ['close'] });
    expect((await act(id, 'open').expect(409)).body.currentState).toBe('filled');
    const lower = await patch(`/api/v1/openings/${id}`, { headcount: 1 }, foshanA, full.headers.etag).expect(
      400,
    );
    expect(issuePaths(lower)).toEqual(['body.headcount']);

    await releaseHeadcountSlot(id, svc);
    const freed = await get(`/api/v1/openings/${id}`, foshanA).expect(200);
    expect(freed.body).toMatchObject({ status: 'open', filled: 1 });

    // The last place again, then a raised headcount reopens it.
    expect(await claimHeadcountSlot(id, svc)).toBe(2);
    const refilled = await get(`/api/v1/openings/${id}`, foshanA).expect(200);
    expect(refilled.body.status).toBe('filled');
    const raised = await patch(
      `/api/v1/openings/${id}`,
      { headcount: 3 },
      foshanA,
      refilled.headers.etag,
    ).expect(200);
    expect(raised.body).toMatchObject({ status: 'open', headcount: 3, filled: 2 });
  });

  it('when hires were recorded as slot claims before the counter, then start-up derives filled from them once', async () => {
    const { id } = await makeOpening(t.deps, foshanA.org, 'open', { headcount: 4 });
    const claims = mongoose.connection.db!.collection<{ _id: string; at: Date }>('claims');
    await claims.insertMany([1, 2, 3].map((n) => ({ _id: `slot/opening-${id}/${n}`, at: new Date() })));
    expect(await adoptHeadcountSlotClaims()).toBe(1);
    const doc = await raw().findOne({ _id: new mongoose.Types.ObjectId(id) });
    expect(doc?.filled).toBe(3);
    expect(await claims.countDocuments({ _id: { $regex: `^slot/opening-${id}/` } })).toBe(0);
    // Idempotent: a second start finds nothing, and the counter goes on from there.
    expect(await adoptHeadcountSlotClaims()).toBe(0);
    expect(await claimHeadcountSlot(id, openingsDeps(t.deps))).toBe(4);
    expect(await claimHeadcountSlot(id, openingsDeps(t.deps))).toBeUndefined();
    expect((await get(`/api/v1/openings/${id}`, foshanA).expect(200)).body).toMatchObject({
      status: 'filled',
      filled: 4,
    });
  });
});

describe('openings for matching', () => {
  it('when matching asks for candidates, then open openings with places left, narrowed by region and skill, without suitableFor', async () => {
    const employer = await actor('employer', '330300', 'employer');
    const wz = { regionCode: '330300', address: '温州市示例工业区' };
    const open = await makeOpening(t.deps, employer.org, 'open', {
      ...wz,
      skills: [{ code: 'massage', level: '2' }],
    });
    const paused = await makeOpening(t.deps, employer.org, 'paused', {
      ...wz,
      skills: [{ code: 'massage', level: '2' }],
    });
    const found = await getOpeningsForMatching({ regions: ['330300'], skills: ['massage'] });
    const ids = found.map((o) => o.id);
    expect(ids).toContain(open.id);
    expect(ids).not.toContain(paused.id);
    expect(found.every((o) => o.status === 'open' && o.filled < o.headcount)).toBe(true);
    expect(found[0]).not.toHaveProperty('suitableFor');
    expect(await getOpeningsForMatching({ ids: [open.id], regions: ['440000'] })).toEqual([]);
  });
});

describe('exporting openings', () => {
  async function readXlsx(buffer: Buffer) {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(buffer as unknown as ArrayBuffer);
    const sheet = wb.worksheets[0]!;
    const rows: string[][] = [];
    sheet.eachRow((row) => rows.push((row.values as unknown[]).slice(1).map((v) => String(v ?? ''))));
    return rows;
  }

  const download = (who: TestActor, query = '') =>
    get(`/api/v1/openings/export${query}`, who).buffer(true).parse(binaryBody);

  it('when an employer exports, then an XLSX with Chinese headers and only its own openings', async () => {
    const employer = await actor('employer', '440600', 'employer');
    await makeOpening(t.deps, employer.org, 'open', { title: '导出测试岗位甲' });
    await makeOpening(t.deps, employer.org, 'draft', { title: '导出测试岗位乙' });
    await makeOpening(t.deps, foshanB.org, 'open', { title: '别人的导出岗位' });
    const res = await download(employer).expect(200);
    expect(res.headers['content-type']).toMatch(/spreadsheetml/);
    expect(res.headers['content-disposition']).toMatch(/attachment; filename="?openings-\d{8}\.xlsx/);
    const rows = await readXlsx(res.body);
    expect(rows[0]).toEqual(
      expect.arrayContaining(['岗位名称', '用人单位', '月薪下限（元）', '可提供的便利']),
    );
    const titles = rows.slice(1).map((r) => r[2]);
    expect(titles.sort()).toEqual(['导出测试岗位乙', '导出测试岗位甲']);
    expect(rows[1]).toEqual(
      expect.arrayContaining(['佛山市', '坐姿作业或可调节工位、视觉或振动报警装置、无障碍宿舍']),
    );
  });

  it('when an opening title starts like a formula, then the exported cell holds it as text behind an apostrophe, and numbers stay numbers', async () => {
    const employer = await actor('employer', '440600', 'employer');
    const title = '=HYPERLINK("http://127.0.0.1/","x")';
    await makeOpening(t.deps, employer.org, 'open', { title });
    const res = await download(employer).expect(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.body as unknown as ArrayBuffer);
    const sheet = wb.worksheets[0]!;
    const cells: unknown[] = [];
    sheet.eachRow((row) => {
      for (const v of (row.values as unknown[]).slice(1)) cells.push(v);
    });
    expect(cells).toContain(`'${title}`);
    expect(cells).not.toContain(title);
    expect(cells.some((v) => typeof v === 'object' && v !== null && 'formula' in v)).toBe(false);
    expect(cells.some((v) => typeof v === 'number')).toBe(true);
  });

  it('when supporting federation staff export with a filter, then only published openings of their city', async () => {
    const res = await download(foshanStaff, '?status=draft').expect(200);
    expect(await readXlsx(res.body)).toHaveLength(1); // the header only: drafts are not theirs to see
    const all = await readXlsx((await download(foshanStaff).expect(200)).body);
    expect(all.slice(1).every((r) => r[5] === '佛山市' && r[3] !== '草稿')).toBe(true);
    expect(all.length).toBeGreaterThan(1);
  });
});

describe('demo openings', () => {
  it('when seeded twice, then the demo employers get realistic openings once, some with accessible dormitories', async () => {
    const first = await seedDemoOpenings(t.config);
    expect(first).toEqual({ created: DEMO_OPENINGS.length, existing: 0 });
    const second = await seedDemoOpenings(t.config);
    expect(second).toEqual({ created: 0, existing: DEMO_OPENINGS.length });
    const ids = DEMO_OPENINGS.map((d) => new mongoose.Types.ObjectId(demoOpeningId(d.key)));
    const docs = await raw()
      .find({ _id: { $in: ids } })
      .toArray();
    expect(docs).toHaveLength(DEMO_OPENINGS.length);
    expect(new Set(docs.map((d) => d.regionCode))).toEqual(new Set(['440600', '330300']));
    expect(docs.filter((d) => d.dormitory.accessible).length).toBeGreaterThanOrEqual(3);
    expect(new Set(docs.map((d) => d.status))).toEqual(new Set(['open', 'paused', 'draft', 'closed']));
    expect(new Set(docs.map((d) => d.employerId)).size).toBe(5);
    const paused = docs.find((d) => d.status === 'paused');
    expect(paused?.statusHistory.map((h: { to: string }) => h.to)).toEqual(['open', 'paused']);
  });
});
