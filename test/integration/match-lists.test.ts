import mongoose from 'mongoose';
import request from 'supertest';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Organization } from '../../src/modules/orgs/orgs.repository.js';
import { bearer, makeOrg, makeUser, signIn, type TestActor } from '../fixtures/accounts.js';
import { startTestApp, type TestApp } from '../fixtures/app.js';
import { makeMatch } from '../fixtures/matches.js';
import { makeOpening } from '../fixtures/openings.js';
import { makeProfile } from '../fixtures/worker-profiles.js';

/**
 * Match lists without counting the collection: a count reads every match (on the local server,
 * the whole collection), so the lists of an opening and of a person never count, and the review
 * queue counts only on its first page (the console keeps that page's count while it appends).
 */
let t: TestApp;
let reviewer: TestActor;
let staff: TestActor;
let openingId: string;
let profileId: string;
const counts: string[] = [];

beforeAll(async () => {
  t = await startTestApp({ RATE_LIMIT_PER_MINUTE: '100000' });
  const liangshan = await makeOrg('recipient_federation', '513400');
  const employer: Organization = await makeOrg('employer', '440600');
  reviewer = await signIn(t.config, await makeUser(liangshan, ['reviewer']), liangshan);
  staff = await signIn(t.config, await makeUser(liangshan, ['federation_staff']), liangshan);
  const opening = await makeOpening(t.deps, employer, 'open');
  openingId = opening.id;
  // Three people suggested for the opening; the last of them for two more openings too.
  let last = await makeProfile(t.deps, liangshan, '513401');
  for (let i = 0; i < 3; i++) {
    if (i > 0) last = await makeProfile(t.deps, liangshan, '513401');
    await makeMatch(last, opening, { score: 60 + i });
  }
  profileId = last.id;
  for (let i = 0; i < 2; i++) await makeMatch(last, await makeOpening(t.deps, employer, 'open'));
  // Every countDocuments this process sends to MongoDB, by collection.
  mongoose.set('debug', (collection: string, method: string) => {
    if (method === 'countDocuments') counts.push(collection);
  });
});
afterEach(() => {
  counts.length = 0;
});
afterAll(async () => {
  mongoose.set('debug', false);
  await t?.close();
});

const get = (a: TestActor, path: string) => request(t.app).get(path).set(bearer(a.token)).expect(200);

describe('when match lists are read', () => {
  it('then an opening’s list never counts: its size when one page holds it, null when more pages follow', async () => {
    const whole = await get(reviewer, `/api/v1/openings/${openingId}/matches?limit=5`);
    expect(whole.body).toMatchObject({ total: 3, nextCursor: null });
    const first = await get(reviewer, `/api/v1/openings/${openingId}/matches?limit=2`);
    expect(first.body.items).toHaveLength(2);
    expect(first.body.total).toBeNull();
    const rest = await get(
      reviewer,
      `/api/v1/openings/${openingId}/matches?limit=2&cursor=${first.body.nextCursor}`,
    );
    expect(rest.body).toMatchObject({ total: null, nextCursor: null });
    expect(rest.body.items).toHaveLength(1);
    expect(counts.filter((c) => c === 'matches')).toEqual([]);
  });

  it('then a person’s list never counts either', async () => {
    const first = await get(staff, `/api/v1/worker-profiles/${profileId}/matches?limit=2`);
    expect(first.body.items).toHaveLength(2);
    expect(first.body.total).toBeNull();
    const whole = await get(staff, `/api/v1/worker-profiles/${profileId}/matches`);
    expect(whole.body.total).toBe(3);
    expect(counts.filter((c) => c === 'matches')).toEqual([]);
  });

  it('then the review queue counts on its first page only', async () => {
    const first = await get(reviewer, '/api/v1/review/queue?limit=2');
    expect(first.body.total).toBe(5);
    expect(counts.filter((c) => c === 'matches')).toHaveLength(1);
    const next = await get(reviewer, `/api/v1/review/queue?limit=2&cursor=${first.body.nextCursor}`);
    expect(next.body.items).toHaveLength(2);
    expect(next.body.total).toBeNull();
    expect(counts.filter((c) => c === 'matches')).toHaveLength(1);
  });
});
