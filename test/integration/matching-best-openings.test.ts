import mongoose, { Types } from 'mongoose';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changeLogKey } from '../../src/modules/matches/suggestions.state.js';
import type { Organization } from '../../src/modules/orgs/orgs.repository.js';
import { bearer, makeOrg, makeUser, signIn, type TestActor } from '../fixtures/accounts.js';
import { startTestApp, type TestApp } from '../fixtures/app.js';
import { makeMatch } from '../fixtures/matches.js';
import { makeOpening } from '../fixtures/openings.js';
import { waitFor } from '../fixtures/processes.js';
import { makeProfile } from '../fixtures/worker-profiles.js';

/**
 * A person's best openings are computed by the API when asked (matches no longer store the
 * profile side): every open opening with places left ranked by the kernel, from a read model the
 * API keeps current from its own changes and the matching change log, each with the stored match.
 */
let t: TestApp;
let liangshan: Organization;
let employer: Organization;
let staff: TestActor;
let ganziReviewer: TestActor;
let employerUser: TestActor;

const XICHANG = '513401';

beforeAll(async () => {
  t = await startTestApp({ RATE_LIMIT_PER_MINUTE: '100000' });
  liangshan = await makeOrg('recipient_federation', '513400');
  employer = await makeOrg('employer', '440600');
  const as = async (org: Organization, roles: Parameters<typeof makeUser>[1]) =>
    signIn(t.config, await makeUser(org, roles), org);
  staff = await as(liangshan, ['federation_staff']);
  ganziReviewer = await as(await makeOrg('recipient_federation', '513300'), ['reviewer']);
  employerUser = await as(employer, ['employer']);
});
afterAll(async () => {
  await t?.close();
});

const best = (who: TestActor, profileId: string, query = '') =>
  request(t.app).get(`/api/v1/worker-profiles/${profileId}/best-openings${query}`).set(bearer(who.token));

type Item = { openingId: string; score: number; match: { id: string; status: string } | null };
const ids = (body: { items: Item[] }) => body.items.map((i) => i.openingId);

describe('when a job seeker’s best openings are asked for', () => {
  it('then every open opening the person fits is ranked now, best first, with the stored match of the pair', async () => {
    const person = await makeProfile(t.deps, liangshan, XICHANG, {
      skills: [{ code: 'electronic_assembly', level: '3' }],
    });
    const fits = await makeOpening(t.deps, employer, 'open', {
      skills: [{ code: 'electronic_assembly', level: '2' }],
    });
    const alsoFits = await makeOpening(t.deps, employer, 'open', {
      skills: [{ code: 'electronic_assembly', level: '3' }],
    });
    const draft = await makeOpening(t.deps, employer, 'draft', {
      skills: [{ code: 'electronic_assembly', level: '2' }],
    });
    const stored = await makeMatch(person, alsoFits, { status: 'approved' });

    const res = await best(staff, person.id).expect(200);
    expect(res.body).toMatchObject({ profileId: person.id, eligible: true });
    expect(ids(res.body)).toEqual(expect.arrayContaining([fits.id, alsoFits.id]));
    expect(ids(res.body)).not.toContain(draft.id);
    const scores = res.body.items.map((i: Item) => i.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    const byId = new Map(res.body.items.map((i: Item) => [i.openingId, i]));
    expect(byId.get(alsoFits.id)).toMatchObject({ match: { id: stored.id, status: 'approved' } });
    expect(byId.get(fits.id)).toMatchObject({ match: null });
    // Reasons in both languages, rendered for the answer.
    const [first] = res.body.items;
    expect(first.reasons.length).toBeGreaterThan(0);
    expect(first.reasons[0]).toMatchObject({ zh: expect.any(String), en: expect.any(String) });
    expect((await best(staff, person.id, '?limit=1').expect(200)).body.items).toHaveLength(1);
  });

  it('then an opening closed here, or changed by another process and announced in the change log, leaves the list', async () => {
    const person = await makeProfile(t.deps, liangshan, XICHANG, {
      skills: [{ code: 'electronic_assembly', level: '3' }],
    });
    const closedHere = await makeOpening(t.deps, employer, 'open', {
      skills: [{ code: 'electronic_assembly', level: '2' }],
    });
    const closedElsewhere = await makeOpening(t.deps, employer, 'open', {
      skills: [{ code: 'electronic_assembly', level: '2' }],
    });
    expect(ids((await best(staff, person.id).expect(200)).body)).toEqual(
      expect.arrayContaining([closedHere.id, closedElsewhere.id]),
    );
    await request(t.app)
      .post(`/api/v1/openings/${closedHere.id}/close`)
      .set(bearer(employerUser.token))
      .expect(200);
    // Another process: MongoDB changed behind this one's back, then a matching run announces it.
    await mongoose.connection
      .db!.collection('openings')
      .updateOne(
        { _id: new Types.ObjectId(closedElsewhere.id) },
        { $set: { status: 'paused' }, $inc: { version: 1 } },
      );
    await t.runtime.redis.xadd(changeLogKey(t.config), '*', 'k', `o:${closedElsewhere.id}`);
    await waitFor(
      'both openings to leave the list',
      async () => {
        const list = ids((await best(staff, person.id).expect(200)).body);
        return !list.includes(closedHere.id) && !list.includes(closedElsewhere.id) ? true : undefined;
      },
      10_000,
      100,
    );
  });

  it('then a person who cannot be matched gets none, an employer 403 and a reader outside the scope 404', async () => {
    const person = await makeProfile(t.deps, liangshan, XICHANG);
    await mongoose.connection
      .db!.collection('worker_profiles')
      .updateOne(
        { _id: new Types.ObjectId(person.id) },
        { $set: { status: 'inactive' }, $inc: { version: 1 } },
      );
    const res = await best(staff, person.id).expect(200);
    expect(res.body).toMatchObject({ eligible: false, items: [] });
    await best(employerUser, person.id).expect(403);
    await best(ganziReviewer, person.id).expect(404);
    await best(staff, new Types.ObjectId().toHexString()).expect(404);
    // Answered and refused reads are audited, as the fit of one pair is.
    const audited = await mongoose.connection
      .db!.collection('audit')
      .find({ action: 'worker_profile.best_openings', resourceId: person.id })
      .sort({ _id: 1 })
      .toArray();
    expect(audited.map((a) => a.outcome)).toEqual(['success', 'denied']);
  });
});
