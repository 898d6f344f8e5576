import mongoose from 'mongoose';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../src/lib/http/route.js';
import { isEmbedded } from '../../src/lib/search/index.js';
import { type OpeningSearchDocument, openingsIndex } from '../../src/lib/search/indexes.js';
import { PUBLISHED_STATUSES } from '../../src/modules/openings/openings.status.js';
import type { Organization } from '../../src/modules/orgs/orgs.repository.js';
import { bearer, makeOrg, makeUser, signIn, type TestActor } from '../fixtures/accounts.js';
import { startTestApp, type TestApp } from '../fixtures/app.js';
import { makeOpening, openingBody } from '../fixtures/openings.js';
import { waitFor } from '../fixtures/processes.js';

let t: TestApp;
let admin: TestActor;
let foshanA: TestActor; // 佛山 employer
let foshanB: TestActor; // another 佛山 employer
let wenzhouEmp: TestActor;
let reviewer: TestActor;
let foshanStaff: TestActor; // supporting federation 佛山
let liangshanStaff: TestActor; // recipient 凉山, paired with 佛山

async function actor(type: Organization['type'], region: string | undefined, role: Role): Promise<TestActor> {
  const org = await makeOrg(type, region);
  return signIn(t.config, await makeUser(org, [role]), org);
}

const wenzhou = { regionCode: '330300', address: '温州市示例工业区' };

beforeAll(async () => {
  // No timed poll during this file: what the index holds comes from the rebuild, the API's own
  // changes (re-read at once) and explicit catch-ups (`syncNow`).
  t = await startTestApp({ RATE_LIMIT_PER_MINUTE: '100000', SEARCH_SWEEP_INTERVAL_MS: '3600000' });
  admin = await actor('platform', undefined, 'admin');
  foshanA = await actor('employer', '440600', 'employer');
  foshanB = await actor('employer', '440600', 'employer');
  wenzhouEmp = await actor('employer', '330300', 'employer');
  reviewer = await actor('supporting_federation', '440600', 'reviewer');
  foshanStaff = await signIn(t.config, await makeUser(reviewer.org, ['federation_staff']), reviewer.org);
  liangshanStaff = await actor('recipient_federation', '513400', 'federation_staff');

  // A small world: each employer has openings in every status, with different skills.
  const sewing = {
    title: '缝纫工',
    description: '服装厂平车岗位，坐姿作业。',
    skills: [{ code: 'sewing', level: '1' }],
    occupationGroup: '6',
  };
  const packaging = {
    title: '包装工',
    description: '成品包装与装箱。',
    skills: [{ code: 'packaging', level: '1' }],
    accommodationsOffered: ['job_coach'],
    dormitory: { provided: false, accessible: false, costPerMonthCny: 0 },
    wageMin: 3000,
    wageMax: 3600,
  };
  for (const status of ['draft', 'open', 'paused', 'closed'] as const) {
    await makeOpening(t.deps, foshanA.org, status);
    await makeOpening(t.deps, foshanA.org, status, sewing);
    await makeOpening(t.deps, foshanB.org, status, packaging);
    await makeOpening(t.deps, wenzhouEmp.org, status, wenzhou);
  }
  await t.searchSync!.syncNow();
});
afterAll(async () => {
  await t?.close();
});

const search = (who: TestActor, query: Record<string, string> = {}) =>
  request(t.app).get('/api/v1/search/openings').query(query).set(bearer(who.token));
const ids = (res: { body: { items: { id: string }[] } }) => res.body.items.map((i) => i.id).sort();
const raw = () => mongoose.connection.db!.collection('openings');

/** Every opening id `who` may read according to MongoDB (through the list endpoint). */
async function listedIds(who: TestActor, query: Record<string, string> = {}): Promise<string[]> {
  const res = await request(t.app)
    .get('/api/v1/openings')
    .query({ limit: '200', ...query })
    .set(bearer(who.token))
    .expect(200);
  return res.body.items.map((i: { id: string }) => i.id).sort();
}

describe('words', () => {
  it('when searching 电子组装, then openings tagged 电子装配 are found (synonym)', async () => {
    const res = await search(admin, { q: '电子组装', limit: '100' }).expect(200);
    expect(res.body.total).toBeGreaterThan(0);
    const skills = res.body.items.map((i: { skills: string[] }) => i.skills);
    for (const s of skills) expect(s).toContain('electronic_assembly');
    // Every electronics opening, none of the others.
    const docs = await raw().find({ 'skills.code': 'electronic_assembly' }).toArray();
    expect(ids(res)).toEqual(docs.map((d) => String(d._id)).sort());
  });

  it('when a Latin skill word has a typo, then the opening is still found', async () => {
    const res = await search(admin, { q: 'elektronics', limit: '100' }).expect(200);
    const docs = await raw().find({ 'skills.code': 'electronic_assembly' }).toArray();
    expect(ids(res)).toEqual(docs.map((d) => String(d._id)).sort());
    const packing = await search(admin, { q: 'packagng' }).expect(200);
    expect(packing.body.items.length).toBeGreaterThan(0);
    for (const i of packing.body.items) expect(i.skills).toContain('packaging');
  });

  it('when words match, then the title and skill labels come back with the matches marked', async () => {
    const res = await search(admin, { q: '缝纫' }).expect(200);
    const hit = res.body.items[0];
    const marked = (values: { text: string; match: boolean }[][]) =>
      values
        .flat()
        .filter((s) => s.match)
        .map((s) => s.text);
    expect(marked(hit.highlights.title).join()).toContain('缝纫');
    expect(marked(hit.highlights.skillLabels)).toContain('缝纫');
  });
});

describe('freshness', () => {
  it('when an employer posts and publishes an opening through the API, then search finds it without waiting for a sweep', async () => {
    const sweeps = t.searchSync!.sweeps;
    const created = await request(t.app)
      .post('/api/v1/openings')
      .set(bearer(foshanA.token))
      .send(openingBody({ title: '即时可搜的岗位' }))
      .expect(201);
    await request(t.app)
      .post(`/api/v1/openings/${created.body.id}/open`)
      .set(bearer(foshanA.token))
      .expect(200);
    const found = await waitFor(
      'the new opening in search',
      async () => {
        const res = await search(reviewer, { q: '即时可搜的岗位' }).expect(200);
        return res.body.items.length ? res.body.items : undefined;
      },
      10_000,
      20,
    );
    expect(found.map((i: { id: string }) => i.id)).toEqual([created.body.id]);
    expect(found[0].status).toBe('open');
    expect(t.searchSync!.sweeps).toBe(sweeps);
  });
});

describe('scope', () => {
  it('when an employer searches, then only its own openings, drafts included — never another employer’s draft', async () => {
    const res = await search(foshanB, { limit: '100' }).expect(200);
    expect(ids(res)).toEqual(await listedIds(foshanB));
    expect(res.body.items.every((i: { employerId: string }) => i.employerId === foshanB.org.id)).toBe(true);
    expect(res.body.items.some((i: { status: string }) => i.status === 'draft')).toBe(true);
    // Asking for another employer's openings by name finds nothing.
    const other = await search(foshanB, { employer: foshanA.org.id, status: 'draft' }).expect(200);
    expect(other.body.total).toBe(0);
    expect(other.body.items).toEqual([]);
  });

  it('when others search, then exactly what the openings list shows them: published ones in their scope', async () => {
    for (const who of [admin, reviewer, foshanStaff, liangshanStaff]) {
      const res = await search(who, { limit: '100' }).expect(200);
      expect(ids(res)).toEqual(await listedIds(who));
      if (who !== admin)
        for (const i of res.body.items) expect(PUBLISHED_STATUSES).toContain(i.status as never);
    }
    // 凉山 is paired with 佛山: no 温州 opening.
    const ls = await search(liangshanStaff, { limit: '100' }).expect(200);
    expect(ls.body.items.every((i: { regionCodes: string[] }) => i.regionCodes.includes('440600'))).toBe(
      true,
    );
  });

  it('when the index lags a change that hides an opening, then MongoDB’s check drops it from the page', async () => {
    const opening = await makeOpening(t.deps, foshanA.org, 'open', { title: '质检员 迟到的索引' });
    await t.searchSync!.syncNow();
    const before = await search(foshanStaff, { q: '迟到的索引' }).expect(200);
    expect(ids(before)).toEqual([opening.id]);
    // Moved to 温州 behind the index's back (no version or updatedAt change, so no sync follows).
    await raw().updateOne(
      { _id: new mongoose.Types.ObjectId(opening.id) },
      { $set: { regionCode: '330300', regionPath: ['330000', '330300'] } },
    );
    const after = await search(foshanStaff, { q: '迟到的索引' }).expect(200);
    expect(after.body.items).toEqual([]);
    // As a real write would: a new version, which the index then follows.
    await raw().updateOne(
      { _id: new mongoose.Types.ObjectId(opening.id) },
      { $set: { updatedAt: new Date() }, $inc: { version: 1 } },
    );
    await t.searchSync!.syncNow();
    const synced = await search(admin, { q: '迟到的索引' }).expect(200);
    expect(synced.body.items[0].regionCodes).toEqual(['330000', '330300']);
  });
});

describe('filters and facets', () => {
  it('when facets are asked, then each count equals MongoDB’s count for the same filter', async () => {
    const res = await search(foshanA, {
      facets: 'status,skill,dormitory,region',
      limit: '0',
    }).expect(200);
    const own = { employerId: foshanA.org.id };
    for (const status of ['draft', 'open', 'paused', 'closed'])
      expect(res.body.facets.status[status] ?? 0).toBe(await raw().countDocuments({ ...own, status }));
    for (const skill of ['electronic_assembly', 'sewing'])
      expect(res.body.facets.skill[skill]).toBe(await raw().countDocuments({ ...own, 'skills.code': skill }));
    expect(res.body.facets.region['440600']).toBe(
      await raw().countDocuments({ ...own, regionPath: '440600' }),
    );
    expect(res.body.total).toBe(await raw().countDocuments(own));
    expect(res.body.items).toEqual([]);

    // With filters, for a reviewer (published openings of every employer).
    const filtered = await search(reviewer, {
      facets: 'skill,accommodation',
      status: 'open,paused',
      wageFrom: '3500',
      limit: '0',
    }).expect(200);
    const where = { status: { $in: ['open', 'paused'] }, wageMax: { $gte: 3500 } };
    expect(filtered.body.total).toBe(await raw().countDocuments(where));
    expect(filtered.body.facets.skill.packaging).toBe(
      await raw().countDocuments({ ...where, 'skills.code': 'packaging' }),
    );
    expect(filtered.body.facets.accommodation.job_coach).toBe(
      await raw().countDocuments({ ...where, accommodationsOffered: 'job_coach' }),
    );
  });

  it('when filtering by accommodation, region, category and wage, then every hit satisfies all of them', async () => {
    const res = await search(admin, {
      accommodation: 'seated_workstation,visual_alarms',
      region: '440000',
      category: '6',
      wageTo: '5000',
      limit: '100',
    }).expect(200);
    const expected = await raw()
      .find({
        accommodationsOffered: { $all: ['seated_workstation', 'visual_alarms'] },
        regionPath: '440000',
        occupationGroup: '6',
        wageMin: { $lte: 5000 },
      })
      .toArray();
    expect(ids(res)).toEqual(expected.map((d) => String(d._id)).sort());
  });

  it('when sorted by wage, then the hits come in that order, and pages do not overlap', async () => {
    const first = await search(admin, { sort: '-wageMax', limit: '5', page: '1' }).expect(200);
    const second = await search(admin, { sort: '-wageMax', limit: '5', page: '2' }).expect(200);
    const wages = [...first.body.items, ...second.body.items].map((i: { wageMax: number }) => i.wageMax);
    expect(wages).toEqual([...wages].sort((a, b) => b - a));
    expect(ids(first).filter((id) => ids(second).includes(id))).toEqual([]);
    expect(first.body.totalPages).toBe(Math.ceil(first.body.total / 5));
  });
});

describe('refusals', () => {
  it('when q is longer than the engine takes, then 400 naming query.q', async () => {
    const res = await search(admin, { q: '电'.repeat(501) }).expect(400);
    expect(res.body.code).toBe('validation_failed');
    expect(res.body.issues.map((i: { path: string }) => i.path)).toEqual(['query.q']);
  });

  it('when the page is beyond the engine’s limit or a filter value is malformed, then 400 naming it', async () => {
    const page = await search(admin, { page: '10001' }).expect(400);
    expect(page.body.issues[0].path).toBe('query.page');
    const limit = await search(admin, { limit: '101' }).expect(400);
    expect(limit.body.issues[0].path).toBe('query.limit');
    const status = await search(admin, { status: 'open,gone' }).expect(400);
    expect(status.body.issues[0].path).toMatch(/^query\.status/);
    const facet = await search(admin, { facets: 'wageMin' }).expect(400);
    expect(facet.body.issues[0].path).toMatch(/^query\.facets/);
  });

  it('when hostile text is typed, then it is searched as words and the scope still holds', async () => {
    const hostile = ['" OR status = "draft', 'employerId = x OR 1=1', '\\" AND NOT status', 'draft)'];
    // The words around the syntax still find something: the scope check below is never vacuous.
    const found = await search(foshanB, { q: '"包装\\" (装箱', limit: '100' }).expect(200);
    expect(found.body.items.length).toBeGreaterThan(0);
    for (const q of [...hostile, '"缝纫\\" (服装']) {
      const res = await search(foshanB, { q, limit: '100' }).expect(200);
      for (const i of res.body.items) expect(i.employerId, q).toBe(foshanB.org.id);
    }
    for (const i of found.body.items) expect(i.employerId).toBe(foshanB.org.id);
  });

  it('when the engine cannot answer, then a fast 503 problem+json, and results once it is back', async () => {
    const engine = t.runtime.search;
    if (!isEmbedded(engine)) throw new Error('this file runs with the embedded engine');
    engine.setNotReady('stopped by the test');
    try {
      const started = Date.now();
      const res = await search(admin, { q: '缝纫' }).expect(503);
      expect(Date.now() - started).toBeLessThan(2_000);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(res.body.code).toBe('service_unavailable');
      expect(res.headers['retry-after']).toBe('5');
      expect(res.body.items).toBeUndefined();
      const ready = await request(t.app).get('/readyz').expect(503);
      expect(ready.body.down).toEqual(['search']);
    } finally {
      engine.setNotReady(null);
    }
    await search(admin, { q: '缝纫' }).expect(200);
  });
});

describe('the stored documents', () => {
  it('when openings are indexed, then no address or contact (name, phone) is stored', async () => {
    const index = t.runtime.search.index(openingsIndex);
    const all = await raw().find({}).toArray();
    const docs: OpeningSearchDocument[] = await index.get(all.map((d) => String(d._id)));
    expect(docs.length).toBe(all.length);
    const text = JSON.stringify(docs);
    for (const d of all) {
      expect(text).not.toContain(d.address);
      expect(text).not.toContain(d.accommodationContact.phone);
      expect(text).not.toContain(d.accommodationContact.name);
    }
    for (const d of docs) expect(Object.keys(d)).not.toContain('address');
  });
});
