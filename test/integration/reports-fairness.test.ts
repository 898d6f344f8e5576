import mongoose from 'mongoose';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { approveMatches } from '../../src/modules/matches/matches.service.js';
import { backfillReportDims } from '../../src/modules/matches/report-dims.js';
import type { Opening } from '../../src/modules/openings/openings.service.js';
import type { Organization } from '../../src/modules/orgs/orgs.repository.js';
import {
  countFairnessRows,
  currentFairnessRun,
  publishFairnessRun,
} from '../../src/modules/reports/fairness.runs.repository.js';
import {
  computeFairnessSnapshot,
  FAIRNESS_SNAPSHOT_DEDUP,
} from '../../src/modules/reports/fairness.service.js';
import type {
  DisabilityCategory,
  DisabilityLevel,
} from '../../src/modules/worker-profiles/identity-rules.js';
import type { WorkerProfile } from '../../src/modules/worker-profiles/worker-profiles.service.js';
import { startWorkerHost, type WorkerHost } from '../../workers/host.js';
import { allProcessors } from '../../workers/processors.js';
import { bearer, makeOrg, makeUser, signIn, type TestActor } from '../fixtures/accounts.js';
import { startTestApp, type TestApp } from '../fixtures/app.js';
import { makeMatch, shareConsent } from '../fixtures/matches.js';
import { makeOpening, openingBody } from '../fixtures/openings.js';
import { waitFor } from '../fixtures/processes.js';
import { makeProfileOf, staffActor } from '../fixtures/worker-profiles.js';
import { binaryBody, sheetRows } from '../fixtures/xlsx.js';

/**
 * The fairness report end to end: people of several categories matched by the real matching jobs,
 * some approved, proposed and hired through the review API; exact counts and rates per category,
 * each caller over its own scope; the export equal to the JSON; old matches without the report
 * dims counted as unknown until the backfill. The report reads the snapshot the worker computes
 * (job `reports.fairness-snapshot`), asked for here through the refresh endpoint.
 */

let t: TestApp;
let host: WorkerHost | undefined;
let liangshan: Organization; // 凉山 recipient federation
let ganzi: Organization; // 甘孜 recipient federation
let foshanFed: Organization; // 佛山 supporting federation, paired with 凉山
let employer: Organization;
let lsStaff: TestActor;
let gzStaff: TestActor;
let foshanStaff: TestActor;
let reviewer: TestActor; // 佛山 reviewer: reviews 凉山's people
let employerUser: TestActor;
let admin: TestActor;

const XICHANG = '513401';
const KANGDING = '513301';
const elsewhere = {
  destinationCodes: ['330300'],
  minimumWage: 3500,
  jobTypes: [],
  needsDormitory: false,
  needsAccessibleDormitory: false,
  willingToTravelWithGroup: true,
};

const person = (
  org: Organization,
  county: string,
  category: DisabilityCategory,
  level: DisabilityLevel,
  over: Record<string, unknown> = {},
): Promise<WorkerProfile> => makeProfileOf(t.deps, org, county, category, level, over);

const post = (a: TestActor, path: string, body: Record<string, unknown> = {}) =>
  request(t.app).post(path).set(bearer(a.token)).send(body);
const fairness = (a: TestActor, query: Record<string, string> = {}) =>
  request(t.app).get('/api/v1/reports/fairness').query(query).set(bearer(a.token));

function ok(res: request.Response, status = 200) {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  return res.body;
}

/**
 * Asks for a snapshot through the API until one that began after this call is published: a
 * refresh while a run is under way joins that run (deduplicated), which may predate the changes.
 */
async function snapshot(): Promise<{ computedAt: string; durationMs: number }> {
  const since = Date.now();
  const state = await waitFor(
    'a fairness snapshot begun after the changes',
    async () => {
      const state = ok(await post(admin, '/api/v1/reports/fairness/refresh'), 202);
      return state.computedAt && Date.parse(state.computedAt) >= since ? state : undefined;
    },
    60_000,
    250,
  );
  // A run is readable once published; it deletes the rows it replaced just after.
  await idle();
  return state;
}

/** The snapshot job's queue is idle again (no run queued or under way). */
async function idle(): Promise<void> {
  await waitFor(
    'no fairness snapshot under way',
    async () =>
      (await t.runtime.queues.reports.getDeduplicationJobId(FAIRNESS_SNAPSHOT_DEDUP)) ? undefined : true,
    60_000,
    100,
  );
}

type Row = { disabilityCategory: string; disabilityLevel?: string; [k: string]: unknown };
const cat = (body: { categories: Row[] }, c: string) =>
  body.categories.find((r) => r.disabilityCategory === c);

let a1: WorkerProfile; // physical, level 2: approved, proposed, hired
let a2: WorkerProfile; // physical, level 2: approved
let a3: WorkerProfile; // physical, level 2: still suggested
let v1: WorkerProfile; // visual, level 1: approved then withdrawn
let v2: WorkerProfile; // visual, level 1: still suggested
let h1: WorkerProfile; // hearing, level 3: wants to work elsewhere, never suggested
let g1: WorkerProfile; // 甘孜, physical, level 2: suggested
let openingId: string;
const matchOf = new Map<string, string>();
let beforeAnySnapshot: { body: Record<string, unknown> & { totals: Row }; queued: string | null };

beforeAll(async () => {
  t = await startTestApp({ RATE_LIMIT_PER_MINUTE: '100000' });
  liangshan = await makeOrg('recipient_federation', '513400');
  ganzi = await makeOrg('recipient_federation', '513300');
  foshanFed = await makeOrg('supporting_federation', '440600');
  employer = await makeOrg('employer', '440600', { staffCount: 200 });
  const as = async (org: Organization, roles: Parameters<typeof makeUser>[1]) =>
    signIn(t.config, await makeUser(org, roles), org);
  lsStaff = await as(liangshan, ['federation_staff']);
  gzStaff = await as(ganzi, ['federation_staff']);
  foshanStaff = await as(foshanFed, ['federation_staff']);
  reviewer = await as(foshanFed, ['reviewer']);
  employerUser = await as(employer, ['employer']);
  admin = await as(await makeOrg('platform'), ['admin']);

  a1 = await person(liangshan, XICHANG, '4', '2');
  a2 = await person(liangshan, XICHANG, '4', '2');
  a3 = await person(liangshan, XICHANG, '4', '2');
  v1 = await person(liangshan, XICHANG, '1', '1');
  v2 = await person(liangshan, XICHANG, '1', '1');
  h1 = await person(liangshan, XICHANG, '2', '3', { preferences: elsewhere });
  g1 = await person(ganzi, KANGDING, '4', '2');

  // No worker yet, so no snapshot: the report answers empty and asks for one.
  beforeAnySnapshot = {
    body: ok(await fairness(lsStaff)),
    queued: await t.runtime.queues.reports.getDeduplicationJobId(FAIRNESS_SNAPSHOT_DEDUP),
  };
  // The real matching jobs: the worker host loads the snapshot and matches the opened opening.
  host = await startWorkerHost(t.config, t.deps.logger, allProcessors);
  const created = ok(await post(employerUser, '/api/v1/openings', openingBody({ headcount: 5 })), 201);
  openingId = created.id;
  ok(await post(employerUser, `/api/v1/openings/${openingId}/open`));
  const suggested = [a1, a2, a3, v1, v2, g1].map((p) => p.id).sort();
  await waitFor(
    'the opening’s suggestions',
    async () => {
      const docs = await mongoose.connection
        .db!.collection('matches')
        .find({ openingId, status: 'suggested' })
        .toArray();
      for (const d of docs) matchOf.set(d.profileId, String(d._id));
      const ids = docs.map((d) => d.profileId as string).sort();
      return JSON.stringify(ids) === JSON.stringify(suggested) ? ids : undefined;
    },
    30_000,
    200,
  );

  const opening = { id: openingId, employerId: employer.id } as Opening;
  const reasons = ok(await request(t.app).get('/api/v1/review/reasons').set(bearer(reviewer.token)));
  ok(await post(reviewer, `/api/v1/matches/${matchOf.get(a1.id)}/approve`));
  ok(await post(reviewer, `/api/v1/matches/${matchOf.get(a2.id)}/approve`));
  ok(await post(reviewer, `/api/v1/matches/${matchOf.get(v1.id)}/approve`));
  ok(
    await post(reviewer, `/api/v1/matches/${matchOf.get(v1.id)}/withdraw`, {
      reasonCode: reasons.withdraw[0].code,
    }),
  );
  await shareConsent(t.deps, liangshan, a1, opening);
  const m = matchOf.get(a1.id);
  ok(await post(reviewer, `/api/v1/matches/${m}/propose`));
  ok(await post(employerUser, `/api/v1/matches/${m}/interested`));
  ok(
    await post(employerUser, `/api/v1/matches/${m}/interview`, {
      at: '2026-02-20T02:00:00Z',
      mode: 'by_federation',
    }),
  );
  ok(
    await post(employerUser, `/api/v1/matches/${m}/hire`, {
      contractStart: '2026-03-01',
      contractEnd: '2027-02-28',
      monthlyWage: 4200,
      socialInsurance: true,
    }),
  );
  // The profile statuses follow the matches (in process, placed, back to available).
  await waitFor(
    'profile statuses in line with the matches',
    async () => {
      await snapshot();
      const body = ok(await fairness(lsStaff));
      const limbs = cat(body, '4')!;
      return limbs.placed === 1 && limbs.inProcess === 1 && cat(body, '1')!.available === 2
        ? body
        : undefined;
    },
    60_000,
    200,
  );
}, 180_000);

afterAll(async () => {
  await host?.close();
  await t?.close();
});

describe('when the matching jobs write suggestions', () => {
  it('then each match carries its person’s category and level (report-only dims)', async () => {
    const docs = await mongoose.connection.db!.collection('matches').find({ openingId }).toArray();
    expect(docs).toHaveLength(6);
    const want = new Map(
      [a1, a2, a3, v1, v2, g1].map((p) => [p.id, [p.disabilityCategory, p.disabilityLevel]]),
    );
    for (const d of docs) expect([d.profileCategory, d.profileLevel]).toEqual(want.get(d.profileId));
    expect(docs.map((d) => d.profileId)).not.toContain(h1.id);
  });
});

describe('GET /api/v1/reports/fairness', () => {
  it('when 凉山’s staff ask, then per category: registered, holders of a suggestion, milestones and rates are exact', async () => {
    const body = ok(await fairness(lsStaff));
    expect(body.categories.map((r: Row) => r.disabilityCategory)).toEqual([
      '1',
      '2',
      '3',
      '4',
      '5',
      '6',
      '7',
    ]);
    expect(cat(body, '4')).toMatchObject({
      registered: 3,
      available: 1,
      inProcess: 1,
      placed: 1,
      suggested: 1,
      approved: 2,
      proposed: 1,
      hired: 1,
      suggestionRate: 1,
      hireRate: 0.3333,
      populationShare: 0.5,
      // 1 of 2 holders, 1 of 4 available people.
      suggestionRepresentation: 2,
      // 1 of 1 hired, 3 of 6 registered.
      hireRepresentation: 2,
    });
    expect(cat(body, '1')).toMatchObject({
      registered: 2,
      available: 2,
      suggested: 1,
      approved: 1,
      proposed: 0,
      hired: 0,
      suggestionRate: 0.5,
      hireRate: 0,
      suggestionRepresentation: 1,
      hireRepresentation: 0,
    });
    expect(cat(body, '2')).toMatchObject({ registered: 1, available: 1, suggested: 0, suggestionRate: 0 });
    expect(cat(body, '3')).toMatchObject({ registered: 0, suggestionRate: null, hireRate: null });
    expect(body.totals).toMatchObject({
      registered: 6,
      available: 4,
      suggested: 2,
      approved: 3,
      proposed: 1,
      hired: 1,
      suggestionRate: 0.5,
      hireRate: 0.1667,
    });
    expect(body.levels.map((r: Row) => `${r.disabilityCategory}/${r.disabilityLevel}`)).toEqual([
      '1/1',
      '2/3',
      '4/2',
    ]);
  });

  it('when the supporting federation and its reviewer ask, then they count 凉山 (their partnership) exactly as 凉山 does', async () => {
    expect.hasAssertions();
    const mine = ok(await fairness(lsStaff));
    for (const who of [foshanStaff, reviewer]) {
      const theirs = ok(await fairness(who));
      expect(theirs.categories).toEqual(mine.categories);
      expect(theirs.totals).toEqual(mine.totals);
    }
  });

  it('when 甘孜 asks, then only its own person is counted; an admin counts both; a region narrows', async () => {
    const gz = ok(await fairness(gzStaff));
    expect(gz.totals).toMatchObject({ registered: 1, available: 1, suggested: 1, approved: 0, hired: 0 });
    expect(cat(gz, '4')).toMatchObject({ suggested: 1, suggestionRate: 1 });
    const all = ok(await fairness(admin));
    expect(all.totals).toMatchObject({ registered: 7, suggested: 3, hired: 1 });
    const onlyGanzi = ok(await fairness(admin, { region: '513300' }));
    expect(onlyGanzi.totals).toEqual(gz.totals);
    const outside = ok(await fairness(gzStaff, { region: '513400' }));
    expect(outside.totals).toMatchObject({ registered: 0, suggested: 0, hired: 0 });
  });

  it('when an employer asks, then 403', async () => {
    expect((await fairness(employerUser)).status).toBe(403);
    expect(
      (await request(t.app).get('/api/v1/reports/fairness/export').set(bearer(employerUser.token))).status,
    ).toBe(403);
  });
});

describe('the snapshot behind the report', () => {
  it('when no snapshot exists yet, then the report answers 200 with empty counts and computedAt null, and asks for one', () => {
    expect(beforeAnySnapshot.body.computedAt).toBeNull();
    expect(beforeAnySnapshot.body.durationMs).toBeNull();
    expect(beforeAnySnapshot.body.totals).toMatchObject({ registered: 0, suggested: 0, hired: 0 });
    expect(beforeAnySnapshot.queued).toBeTruthy();
  });

  it('when a snapshot is published, then the report says when it was computed and how long it took', async () => {
    const body = ok(await fairness(lsStaff));
    const run = await currentFairnessRun();
    expect(body.computedAt).toBe(run!.computedAt.toISOString());
    expect(body.durationMs).toBe(run!.durationMs);
    expect(body.durationMs).toBeGreaterThanOrEqual(0);
  });

  it('when refreshes come in a burst, then they make one run and each answers 202 with the state', async () => {
    await idle();
    const jobs = () =>
      t.runtime.queues.reports.getJobCountByTypes(
        'completed',
        'failed',
        'active',
        'waiting',
        'delayed',
        'prioritized',
      );
    const before = await jobs();
    const answers = await Promise.all(
      [lsStaff, admin, lsStaff, gzStaff, admin].map((a) => post(a, '/api/v1/reports/fairness/refresh')),
    );
    for (const res of answers) {
      expect(res.status, JSON.stringify(res.body)).toBe(202);
      expect(['queued', 'running', 'idle']).toContain(res.body.refresh);
      expect(res.body.computedAt).toEqual(expect.any(String));
    }
    expect(await jobs()).toBe(before + 1);
    await idle();
  });

  it('when a reviewer or an employer asks for a refresh, then 403', async () => {
    expect((await post(reviewer, '/api/v1/reports/fairness/refresh')).status).toBe(403);
    expect((await post(employerUser, '/api/v1/reports/fairness/refresh')).status).toBe(403);
  });

  it('when a second run is published, then it replaces the first’s rows (nothing counted twice)', async () => {
    await idle();
    const first = (await currentFairnessRun())!;
    const report = ok(await fairness(admin));
    expect(await countFairnessRows(first.runId)).toBe(first.rows);
    await snapshot();
    const second = (await currentFairnessRun())!;
    expect(second.runId).not.toBe(first.runId);
    expect(await countFairnessRows(first.runId)).toBe(0);
    expect(await countFairnessRows()).toBe(second.rows);
    const again = ok(await fairness(admin));
    expect(again.totals).toEqual(report.totals);
    expect(again.categories).toEqual(report.categories);
  });

  it('when a run crashes after writing part of its rows, then the report is unchanged, and the next run removes them', async () => {
    await idle();
    const current = (await currentFairnessRun())!;
    const before = ok(await fairness(lsStaff));
    const crashed = 'crashed-run';
    await mongoose.connection.db!.collection('report_fairness_rows').insertMany(
      [XICHANG, KANGDING].map((county) => ({
        runId: crashed,
        computedAt: new Date(),
        regionPath: ['510000', `${county.slice(0, 4)}00`, county],
        category: '4',
        level: '2',
        registered: { available: 50, in_process: 0, placed: 0, inactive: 0 },
        suggestedPeople: 40,
        approvedPeople: 0,
        proposedPeople: 0,
        hiredPeople: 9,
      })),
    );
    const during = ok(await fairness(lsStaff));
    expect(during.totals).toEqual(before.totals);
    expect(during.computedAt).toBe(before.computedAt);
    // A run that began before the published one never replaces it.
    expect(
      await publishFairnessRun({
        runId: crashed,
        computedAt: new Date(current.computedAt.getTime() - 1),
        durationMs: 1,
        rows: 2,
      }),
    ).toBe(false);
    expect((await currentFairnessRun())!.runId).toBe(current.runId);

    await snapshot();
    expect(await countFairnessRows(crashed)).toBe(0);
    expect(ok(await fairness(lsStaff)).totals).toEqual(before.totals);
  });

  it('when the snapshot is computed twice at once, then one run stays published and its rows alone remain', async () => {
    await idle();
    const before = ok(await fairness(admin));
    const outs = await Promise.all([computeFairnessSnapshot(), computeFairnessSnapshot()]);
    const run = (await currentFairnessRun())!;
    expect(outs.map((o) => o.runId)).toContain(run.runId);
    expect(await countFairnessRows()).toBe(run.rows);
    expect(ok(await fairness(admin)).totals).toEqual(before.totals);
  });
});

async function exported(who: TestActor, lang?: string): Promise<unknown[][]> {
  const req = request(t.app).get('/api/v1/reports/fairness/export').set(bearer(who.token));
  if (lang) req.set('Accept-Language', lang);
  return sheetRows(await req.buffer(true).parse(binaryBody));
}

describe('GET /api/v1/reports/fairness/export', () => {
  const FIELDS = [
    'registered',
    'available',
    'suggested',
    'suggestionRate',
    'approved',
    'proposed',
    'hired',
    'hireRate',
    'populationShare',
    'suggestionRepresentation',
    'hireRepresentation',
  ];
  const cells = (r: Record<string, unknown>) => FIELDS.map((f) => (r[f] === null ? '—' : r[f]));

  it('when exported, then each category row holds the JSON’s numbers under the vocabulary’s Chinese label', async () => {
    const json = ok(await fairness(lsStaff));
    const rows = await exported(lsStaff);
    expect(rows[1]?.slice(0, 3)).toEqual(['残疾类别', '残疾等级', '登记人数']);
    const limbs = rows.find((r) => r[0] === '肢体残疾' && r[1] === '全部等级');
    expect(limbs?.slice(2)).toEqual(cells(cat(json, '4')!));
    const speech = rows.find((r) => r[0] === '言语残疾' && r[1] === '全部等级');
    expect(speech?.slice(2)).toEqual(cells(cat(json, '3')!));
    const total = rows.find((r) => r[0] === '合计');
    expect(total?.slice(2)).toEqual(cells(json.totals));
    const level = rows.find((r) => r[0] === '肢体残疾' && r[1] !== '全部等级');
    expect(level?.slice(2)).toEqual(cells(json.levels.find((l: Row) => l.disabilityCategory === '4')));
  });

  it('when the reader asks for English, then the labels are English', async () => {
    const rows = await exported(lsStaff, 'en');
    expect(rows[1]?.slice(0, 3)).toEqual(['Disability category', 'Level', 'Registered']);
    expect(rows.some((r) => r[0] === 'Total')).toBe(true);
  });
});

describe('matches stored before the report dims', () => {
  it('when a match lacks the dims, then it counts as unknown until the backfill, which is idempotent', async () => {
    // No matching job from here on: the match below stays as stored.
    await host?.close();
    host = undefined;
    const g2 = await person(ganzi, KANGDING, '6', '4');
    const opening = await makeOpening(t.deps, employer, 'open', { headcount: 2 });
    const old = await makeMatch(g2, opening); // as the matching jobs wrote one before the dims
    // No worker any more: the snapshot job's function, called as the worker would.
    await computeFairnessSnapshot();
    const before = ok(await fairness(gzStaff));
    expect(cat(before, 'unknown')).toMatchObject({ suggested: 1, registered: 0 });
    expect(cat(before, '6')).toMatchObject({ registered: 1, suggested: 0 });

    const first = await backfillReportDims();
    expect(first).toMatchObject({ missing: 1, updated: 1, noProfile: 0, busy: 0 });
    const doc = await mongoose.connection.db!.collection('matches').findOne({ profileId: g2.id });
    expect(doc).toMatchObject({ profileCategory: '6', profileLevel: '4', version: old.version + 1 });
    await computeFairnessSnapshot();
    const after = ok(await fairness(gzStaff));
    expect(cat(after, 'unknown')).toBeUndefined();
    expect(cat(after, '6')).toMatchObject({ registered: 1, suggested: 1, suggestionRate: 1 });

    expect(await backfillReportDims()).toEqual({ missing: 0, updated: 0, noProfile: 0, busy: 0 });
  });
});

describe('suggestions a person makes (campaign plans)', () => {
  it('when a plan approves a pair that had no match, then the match it creates carries the dims too', async () => {
    const p = await person(liangshan, XICHANG, '5', '2');
    const opening = await makeOpening(t.deps, employer, 'open', { headcount: 2 });
    const actor = {
      ...staffActor(foshanFed, ['reviewer']),
      userId: reviewer.user.id,
      partnershipScope: ['513400'],
    };
    const out = await approveMatches(actor, [{ profileId: p.id, openingId: opening.id, score: 60 }], {
      config: t.config,
      logger: t.deps.logger,
      queues: t.runtime.queues,
    });
    expect(out.approved).toBe(1);
    const doc = await mongoose.connection.db!.collection('matches').findOne({ profileId: p.id });
    expect(doc).toMatchObject({ status: 'approved', profileCategory: '5', profileLevel: '2' });
  });
});
