import mongoose, { Types } from 'mongoose';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Organization } from '../../src/modules/orgs/orgs.repository.js';
import { bearer, makeOrg, makeUser, signIn, type TestActor } from '../fixtures/accounts.js';
import { startTestApp, type TestApp } from '../fixtures/app.js';
import { makeMatch } from '../fixtures/matches.js';
import { makeOpening } from '../fixtures/openings.js';
import { makeProfile } from '../fixtures/worker-profiles.js';

/**
 * One match, one shape: the review queue, /matches/:id and the lists of an opening and of a job
 * seeker answer the same fields for the same caller; what the score knows of the person beyond
 * its reasons' text stays with those who may read the profile.
 */
let t: TestApp;
let liangshan: Organization;
let employer: Organization;
let reviewer: TestActor;
let fedStaff: TestActor;
let admin: TestActor;
let employerUser: TestActor;

beforeAll(async () => {
  t = await startTestApp({ RATE_LIMIT_PER_MINUTE: '100000' });
  liangshan = await makeOrg('recipient_federation', '513400');
  const foshanFed = await makeOrg('supporting_federation', '440600');
  employer = await makeOrg('employer', '440600');
  const as = async (org: Organization, roles: Parameters<typeof makeUser>[1]) =>
    signIn(t.config, await makeUser(org, roles), org);
  reviewer = await as(foshanFed, ['reviewer']);
  fedStaff = await as(liangshan, ['federation_staff']);
  admin = await as(await makeOrg('platform'), ['admin']);
  employerUser = await as(employer, ['employer']);
});
afterAll(async () => {
  await t?.close();
});

const get = (a: TestActor, path: string) => request(t.app).get(path).set(bearer(a.token));

function ok(res: request.Response) {
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
}

/** A match with what only the profile's readers may see: reasons' parameters and a kept rescore. */
async function detailedMatch(status: 'suggested' | 'proposed') {
  const profile = await makeProfile(t.deps, liangshan, '513401');
  const opening = await makeOpening(t.deps, employer, 'open');
  const m = await makeMatch(profile, opening, { status });
  await mongoose.connection.db!.collection('matches').updateOne(
    { _id: new Types.ObjectId(m.id) },
    {
      $set: {
        reasons: [
          {
            code: 'demand_conflict',
            kind: 'minus',
            about: 'demand_conflict',
            params: { limitation: 'standing_long', demand: 'standing' },
            zh: '久站受限',
            en: 'cannot stand long',
          },
        ],
        latestScore: { score: 64, algorithmVersion: 'test-2', eligible: false, at: new Date() },
      },
    },
  );
  return { m, profile, opening };
}

const keysOf = (o: Record<string, unknown>) => Object.keys(o).sort();

describe('match shape', () => {
  it('when the same caller reads one match through every route that returns it, then each answers the same fields', async () => {
    expect.hasAssertions();
    const { m, profile, opening } = await detailedMatch('suggested');
    for (const caller of [reviewer, fedStaff, admin]) {
      const one = ok(await get(caller, `/api/v1/matches/${m.id}`));
      const ofOpening = ok(await get(caller, `/api/v1/openings/${opening.id}/matches`)).items;
      const ofProfile = ok(await get(caller, `/api/v1/worker-profiles/${profile.id}/matches`)).items;
      expect(ofOpening).toHaveLength(1);
      expect(ofProfile).toHaveLength(1);
      expect(keysOf(ofOpening[0])).toEqual(keysOf(one));
      expect(ofOpening[0]).toEqual(one);
      expect(ofProfile[0]).toEqual(one);
      expect(one.reasons[0].params).toEqual({ limitation: 'standing_long', demand: 'standing' });
      expect(one.latestScore).toMatchObject({ score: 64, eligible: false });
    }
    for (const caller of [reviewer, admin]) {
      const queued = ok(await get(caller, `/api/v1/review/queue?openingId=${opening.id}`)).items;
      expect(queued).toHaveLength(1);
      expect(queued[0]).toEqual(ok(await get(caller, `/api/v1/matches/${m.id}`)));
    }
  });

  it('when the employer reads its proposed match, then it has the same fields with the person’s details withheld', async () => {
    const { m } = await detailedMatch('proposed');
    const own = ok(await get(employerUser, `/api/v1/matches/${m.id}`));
    const staffView = ok(await get(fedStaff, `/api/v1/matches/${m.id}`));
    expect(keysOf(own)).toEqual(keysOf(staffView));
    expect(own.reasons).toEqual([{ ...staffView.reasons[0], params: {} }]);
    expect(own.latestScore).toBeNull();
    expect(staffView.latestScore).not.toBeNull();
  });
});
