import mongoose from 'mongoose';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FICTITIOUS_ID_PREFIX } from '../../scripts/lib/demo/ids.js';
import { type LoadSummary, loadDemoStory } from '../../scripts/lib/demo/load.js';
import { demoPeople } from '../../scripts/lib/demo/people.js';
import { DEMO_PASSWORD } from '../../scripts/lib/demo/seed-accounts.js';
import { chinaYear } from '../../src/lib/china-time.js';
import { parseIdNumber } from '../../src/modules/worker-profiles/identity-rules.js';
import { startWorkerHost, type WorkerHost } from '../../workers/host.js';
import { allProcessors } from '../../workers/processors.js';
import { startTestApp, type TestApp } from '../fixtures/app.js';

/**
 * The demo story `npm run up` loads, loaded here through the same loader (a smaller cast) with
 * the worker in process, then read through the API as the demo logins see it.
 */

const PEOPLE = 120;
let t: TestApp;
let host: WorkerHost | undefined;
let first: LoadSummary;
const tokens = new Map<string, string>();

async function as(username: string, path: string) {
  let token = tokens.get(username);
  if (!token) {
    const res = await request(t.app).post('/api/v1/auth/login').send({ username, password: DEMO_PASSWORD });
    expect(res.status, `login ${username}`).toBe(200);
    token = res.body.token as string;
    tokens.set(username, token);
  }
  const res = await request(t.app).get(path).set('Authorization', `Bearer ${token}`);
  expect(res.status, `${username} GET ${path}`).toBe(200);
  return res.body;
}

const counts = async () => {
  const db = mongoose.connection.db!;
  const names = [
    'worker_profiles',
    'openings',
    'matches',
    'placements',
    'consents',
    'organizations',
    'users',
  ];
  return Object.fromEntries(
    await Promise.all(names.map(async (n) => [n, await db.collection(n).countDocuments()])),
  );
};

beforeAll(async () => {
  t = await startTestApp({
    RATE_LIMIT_PER_MINUTE: '100000',
    LOGIN_RATE_LIMIT_PER_MINUTE: '100000',
    LOGIN_SLOWDOWN_MS: '5',
  });
  host = await startWorkerHost(t.config, t.deps.logger, allProcessors);
  first = await loadDemoStory(
    { config: t.config, logger: t.deps.logger, queues: t.runtime.queues, redis: t.runtime.redis },
    { people: PEOPLE, waitMs: 150_000 },
  );
}, 300_000);
afterAll(async () => {
  await host?.close();
  await t?.close();
});

describe('the demo story', () => {
  it('when the story is generated, then every ID number is valid for the app and under the unassigned 5199 prefix', () => {
    expect.hasAssertions();
    for (const p of demoPeople(400, 2026)) {
      expect(p.input.idNumber.startsWith(FICTITIOUS_ID_PREFIX)).toBe(true);
      expect(parseIdNumber(p.input.idNumber).ok).toBe(true);
    }
  });

  it('when the story is loaded, then people, openings, suggestions and a history exist without anything skipped', () => {
    expect(first.loaded).toBe(true);
    expect(first.skipped).toEqual([]);
    expect(first.people.created).toBe(PEOPLE);
    expect(first.openings.created).toBeGreaterThanOrEqual(40);
    expect(first.suggestions).toBeGreaterThan(0);
    expect(first.history).toMatchObject({
      approved: expect.any(Number),
      rejected: expect.any(Number),
      proposed: expect.any(Number),
      hired: expect.any(Number),
      followUps: expect.any(Number),
      placementsEnded: 1,
      transferBatches: 1,
      targets: 5,
      importedRows: expect.any(Number),
      rejectedRows: 2,
    });
    expect(first.history.importedRows).toBeGreaterThan(0);
  });

  it('when the 佛山 reviewer opens the review queue, then suggestions wait there', async () => {
    const page = await as('foshan.reviewer', '/api/v1/review/queue?sort=suggestedAt');
    expect(page.items.length).toBeGreaterThan(0);
    expect(page.items[0].status).toBe('suggested');
  });

  it('when the demo employers open their proposals, then some await an answer and some went further', async () => {
    const statuses: string[] = [];
    for (const login of [
      'foshan.employer1',
      'foshan.employer2',
      'foshan.employer3',
      'foshan.employer4',
      'foshan.employer5',
      'wenzhou.employer1',
      'wenzhou.employer2',
      'wenzhou.employer3',
    ])
      statuses.push(
        ...(await as(login, '/api/v1/employer/proposals')).items.map((p: { status: string }) => p.status),
      );
    expect(statuses).toContain('proposed');
    expect(statuses.some((s) => s !== 'proposed')).toBe(true);
  });

  it('when the 凉山 federation opens its follow-ups, then some are due and some overdue', async () => {
    const states: string[] = [];
    for (const login of ['liangshan.staff', 'nanchong.staff', 'aba.staff'])
      states.push(...(await as(login, '/api/v1/follow-ups')).items.map((f: { state: string }) => f.state));
    expect(states).toContain('due');
    expect(states).toContain('overdue');
  });

  it('when the federations open the placement report, then placements count against their target', async () => {
    const year = chinaYear();
    const report = await as('liangshan.staff', `/api/v1/reports/placements?year=${year}`);
    expect(report.summary.placed).toBeGreaterThan(0);
    expect(report.summary.target).toBe(80);
    expect(report.byPartnership.length).toBeGreaterThan(0);
  });

  it('when the admin opens the fairness report, then every category has a row and some were suggested', async () => {
    const report = await as('demo.admin', '/api/v1/reports/fairness');
    expect(report.categories.map((c: { disabilityCategory: string }) => c.disabilityCategory)).toEqual(
      expect.arrayContaining(['1', '2', '3', '4', '5', '6', '7']),
    );
    expect(report.categories.some((c: { suggested: number }) => c.suggested > 0)).toBe(true);
  });

  it('when a person over working age or without processing consent is looked up, then the reason is shown and nobody is matched', async () => {
    expect.hasAssertions();
    const reasons = new Set<string>();
    for (const login of [
      'liangshan.staff',
      'ganzi.staff',
      'aba.staff',
      'nanchong.staff',
      'guangyuan.staff',
      'guangan.staff',
      'leshan.staff',
      'dazhou.staff',
    ]) {
      const page = await as(login, '/api/v1/worker-profiles?limit=200');
      for (const p of page.items as {
        id: string;
        matching: { eligible: boolean; reasons: { code: string }[] };
      }[]) {
        const codes = p.matching.reasons.map((r) => r.code);
        if (!codes.includes('working_age_too_old') && !codes.includes('no_processing_consent')) continue;
        expect(p.matching.eligible).toBe(false);
        for (const c of codes) reasons.add(c);
        const matches = await as(login, `/api/v1/worker-profiles/${p.id}/matches`);
        expect(matches.items).toEqual([]);
      }
    }
    expect(reasons).toContain('working_age_too_old');
    expect(reasons).toContain('no_processing_consent');
  });

  it('when the story is loaded a second time, then nothing is added', async () => {
    const before = await counts();
    const again = await loadDemoStory(
      { config: t.config, logger: t.deps.logger, queues: t.runtime.queues, redis: t.runtime.redis },
      { people: PEOPLE },
    );
    expect(again.loaded).toBe(false);
    expect(await counts()).toEqual(before);
  });
});
