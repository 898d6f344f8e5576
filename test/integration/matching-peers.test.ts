import mongoose from 'mongoose';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Organization } from '../../src/modules/orgs/orgs.repository.js';
import { startWorkerHost, type WorkerHost } from '../../workers/host.js';
import { allProcessors } from '../../workers/processors.js';
import { bearer, makeOrg, makeUser, signIn, type TestActor } from '../fixtures/accounts.js';
import { startTestApp, type TestApp } from '../fixtures/app.js';
import { placementOfHire } from '../fixtures/jobs.js';
import { shareConsent } from '../fixtures/matches.js';
import { makeOpening, openingBody } from '../fixtures/openings.js';
import { waitFor } from '../fixtures/processes.js';
import { makeProfile } from '../fixtures/worker-profiles.js';

/**
 * Stored suggestions end to end. Peers: people hired through the review workflow (placements
 * created) count as peers from their county at that employer, so the next suggestion of a person
 * from the same county at that employer scores the peers component, and says how many, while an
 * otherwise identical person from another county does not. Required skills: a person with none of
 * an opening's required skills and no related training is not suggested for it.
 */

let t: TestApp;
let host: WorkerHost;
let liangshan: Organization;
let employerOrg: Organization;
let reviewer: TestActor;
let employer: TestActor;

const XICHANG = '513401';
const MULI = '513422';

interface MatchView {
  id: string;
  profileId: string;
  score: number;
  status: string;
  components: { key: string; points: number }[];
  reasons: { code: string; about?: string; zh: string; en: string; params: Record<string, unknown> }[];
}

/**
 * A review action; tried again on a lost race: each step changes the person's status, whose
 * matching run rescores this match (bumping its version) while the next step is on its way.
 */
async function post(a: TestActor, path: string, body: Record<string, unknown> = {}) {
  for (let attempt = 0; ; attempt++) {
    const res = await request(t.app).post(path).set(bearer(a.token)).send(body);
    if (res.status !== 409 || res.body.code !== 'conflict' || attempt === 5) return res;
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function suggestionsOf(openingId: string, profileIds: string[]): Promise<MatchView[]> {
  return waitFor(
    'the opening’s suggestions',
    async () => {
      const res = await request(t.app)
        .get(`/api/v1/openings/${openingId}/matches`)
        .query({ limit: 100 })
        .set(bearer(reviewer.token))
        .expect(200);
      const items = res.body.items as MatchView[];
      const mine = profileIds.map((id) => items.find((m) => m.profileId === id));
      return mine.every((m) => m !== undefined) ? (mine as MatchView[]) : undefined;
    },
    20_000,
    200,
  );
}

const peersPoints = (m: MatchView) => m.components.find((c) => c.key === 'peers')?.points;

beforeAll(async () => {
  t = await startTestApp({ RATE_LIMIT_PER_MINUTE: '100000' });
  host = await startWorkerHost(t.config, t.deps.logger, allProcessors);
  liangshan = await makeOrg('recipient_federation', '513400');
  employerOrg = await makeOrg('employer', '440600');
  reviewer = await signIn(t.config, await makeUser(liangshan, ['reviewer']), liangshan);
  employer = await signIn(t.config, await makeUser(employerOrg, ['employer']), employerOrg);
});
afterAll(async () => {
  await host?.close();
  await t?.close();
});

describe('when three people from one county are hired and placed at an employer', () => {
  let fromXichang: MatchView;
  let fromMuli: MatchView;

  beforeAll(async () => {
    const first = await makeOpening(t.deps, employerOrg, 'open', { headcount: 5 });
    const hiredPeople = [];
    for (let i = 0; i < 3; i++) hiredPeople.push(await makeProfile(t.deps, liangshan, XICHANG));
    const suggested = await suggestionsOf(
      first.id,
      hiredPeople.map((p) => p.id),
    );
    for (const [i, m] of suggested.entries()) {
      expect((await post(reviewer, `/api/v1/matches/${m.id}/approve`)).status).toBe(200);
      await shareConsent(t.deps, liangshan, hiredPeople[i]!, first);
      expect((await post(reviewer, `/api/v1/matches/${m.id}/propose`)).status).toBe(200);
      expect((await post(employer, `/api/v1/matches/${m.id}/interested`)).status).toBe(200);
      const hired = await post(employer, `/api/v1/matches/${m.id}/hire`, {
        contractStart: '2026-03-01',
        contractEnd: '2027-02-28',
        monthlyWage: 4200,
        socialInsurance: true,
      });
      expect(hired.status, JSON.stringify(hired.body)).toBe(200);
      expect(hired.body.status).toBe('hired');
      // The placement is the hire's consequence job, which the running worker takes.
      await placementOfHire(t, m.id);
    }
    const placements = await mongoose.connection
      .db!.collection('placements')
      .countDocuments({ employerId: employerOrg.id });
    expect(placements).toBe(3);

    // A fourth person from the same county and a twin from another county of the same prefecture
    // (so the partnership is the same), then the employer's next opening.
    const fourth = await makeProfile(t.deps, liangshan, XICHANG);
    const twin = await makeProfile(t.deps, liangshan, MULI);
    const next = await request(t.app)
      .post('/api/v1/openings')
      .set(bearer(employer.token))
      .send(openingBody({ headcount: 5 }))
      .expect(201);
    await request(t.app)
      .post(`/api/v1/openings/${next.body.id}/open`)
      .set(bearer(employer.token))
      .expect(200);
    [fromXichang, fromMuli] = (await suggestionsOf(next.body.id, [fourth.id, twin.id])) as [
      MatchView,
      MatchView,
    ];
  });

  it('then a fourth person from that county scores the peers component and an identical person from another county does not', () => {
    expect(peersPoints(fromXichang)).toBeGreaterThan(0);
    expect(peersPoints(fromMuli)).toBe(0);
    expect(fromXichang.score).toBeGreaterThan(fromMuli.score);
    expect(fromXichang.score - fromMuli.score).toBeCloseTo(peersPoints(fromXichang)!, 1);
  });

  it('then the suggestion’s reason names the three peers from the county', () => {
    const reason = fromXichang.reasons.find((r) => r.code === 'peers_at_employer');
    expect(reason).toMatchObject({ about: 'peers', params: { county: XICHANG, count: 3 } });
    expect(reason!.zh).toContain('3人');
    expect(reason!.en).toContain('3 people');
    expect(fromMuli.reasons.map((r) => r.code)).not.toContain('peers_at_employer');
  });
});

describe('when an opening requires a skill that one person has and another has not (nor related training)', () => {
  it('then only the person with the skill is stored as a suggestion', async () => {
    const skilled = await makeProfile(t.deps, liangshan, XICHANG, {
      skills: [{ code: 'sewing', level: '1' }],
    });
    const unskilled = await makeProfile(t.deps, liangshan, XICHANG, {
      skills: [{ code: 'massage', level: '3' }],
    });
    const opening = await makeOpening(t.deps, employerOrg, 'open', {
      skills: [{ code: 'sewing', level: '2' }],
      preferredTraining: [],
    });
    await suggestionsOf(opening.id, [skilled.id]);
    const stored = await mongoose.connection
      .db!.collection('matches')
      .find({ openingId: opening.id })
      .toArray();
    expect(stored.map((m) => m.profileId)).toContain(skilled.id);
    expect(stored.map((m) => m.profileId)).not.toContain(unskilled.id);
  });
});
