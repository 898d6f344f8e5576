import mongoose from 'mongoose';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createQueues } from '../../src/jobs/queues.js';
import { createProducerConnection } from '../../src/lib/redis.js';
import { matchesSchedules } from '../../src/modules/matches/matches.processors.js';
import { transition } from '../../src/modules/matches/matches.service.js';
import type { Organization } from '../../src/modules/orgs/orgs.repository.js';
import { startWorkerHost, type WorkerHost } from '../../workers/host.js';
import { allProcessors } from '../../workers/processors.js';
import { bearer, makeOrg, makeUser, signIn, type TestActor } from '../fixtures/accounts.js';
import { startTestApp, type TestApp } from '../fixtures/app.js';
import { makeMatch } from '../fixtures/matches.js';
import { employerActor, makeOpening } from '../fixtures/openings.js';
import { waitFor } from '../fixtures/processes.js';
import { makeProfile } from '../fixtures/worker-profiles.js';

/**
 * The match is its own outbox. A move made while Redis is unreachable stands, marked as not yet
 * enqueued; the sweep enqueues its consequences once a worker runs. And a hired match without a
 * placement is found again too. The hire answers with the match `hired`
 * while no worker runs; its placement job is then lost (as with the worker and Redis data that held
 * it); a worker started afterwards finds the hire by the sweep and places it exactly once.
 */
let t: TestApp;
let host: WorkerHost | undefined;
let liangshan: Organization;
let employer: Organization;
let employerUser: TestActor;

beforeAll(async () => {
  t = await startTestApp({ RATE_LIMIT_PER_MINUTE: '100000' });
  liangshan = await makeOrg('recipient_federation', '513400');
  employer = await makeOrg('employer', '440600', { staffCount: 50 });
  employerUser = await signIn(t.config, await makeUser(employer, ['employer']), employer);
});
afterAll(async () => {
  await host?.close();
  await t?.close();
});

const placementsOf = (matchId: string) =>
  mongoose.connection.db!.collection('placements').countDocuments({ matchId });

describe('the hire sweep', () => {
  it('when the placement job is lost before any worker ran it, then a worker started later places the hire exactly once by the sweep', async () => {
    const profile = await makeProfile(t.deps, liangshan, '513401');
    const opening = await makeOpening(t.deps, employer, 'open', { headcount: 2 });
    const m = await makeMatch(profile, opening, { status: 'interviewing' });

    const res = await request(t.app)
      .post(`/api/v1/matches/${m.id}/hire`)
      .set(bearer(employerUser.token))
      .send({
        contractStart: '2026-03-01',
        contractEnd: '2027-02-28',
        monthlyWage: 3200,
        socialInsurance: true,
      });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ status: 'hired', placementId: null });
    expect(await placementsOf(m.id)).toBe(0);

    // No worker ran: the placement job waits. It is lost now, as a crash with its Redis data would lose it.
    const waiting = await t.runtime.queues.review.getJobs(['waiting'], 0, 100);
    const job = waiting.find((j) => j.name === 'placements.create-from-hire' && j.data.matchId === m.id);
    expect(job).toBeDefined();
    await job!.remove();

    // The sweep every 5 s, taking any hire without a placement at once (not after two minutes).
    const config = {
      ...t.config,
      review: { ...t.config.review, sweepEveryMs: 5_000, sweepAfterMs: 0 },
    };
    host = await startWorkerHost(config, t.deps.logger, allProcessors, matchesSchedules(config));
    const placed = await waitFor(
      'the sweep to place the hire',
      async () => {
        const r = await request(t.app).get(`/api/v1/matches/${m.id}`).set(bearer(employerUser.token));
        return r.body.status === 'placed' ? r.body : undefined;
      },
      30_000,
      200,
    );
    expect(placed.placementId).toEqual(expect.any(String));
    // Another sweep tick passes: nothing new is created, and the match was placed once.
    await new Promise((r) => setTimeout(r, 6_000));
    expect(await placementsOf(m.id)).toBe(1);
    const after = (await request(t.app).get(`/api/v1/matches/${m.id}`).set(bearer(employerUser.token))).body;
    expect(after.history.filter((h: { action: string }) => h.action === 'place')).toHaveLength(1);
    expect(after.placementId).toBe(placed.placementId);
  }, 60_000);

  it('when a move is made while Redis is unreachable, then it stands marked, and the sweep later sends its notification and clears the mark', async () => {
    await makeUser(liangshan, ['federation_staff']); // who is told of the employer's interest
    const profile = await makeProfile(t.deps, liangshan, '513401');
    const opening = await makeOpening(t.deps, employer, 'open', { headcount: 2 });
    const m = await makeMatch(profile, opening, { status: 'proposed' });
    // The API's producer as it is when Redis is down: a real connection to a port nobody listens on.
    const deadRedis = createProducerConnection('redis://127.0.0.1:1');
    deadRedis.on('error', () => {});
    const deadQueues = createQueues(deadRedis, t.config.redis.queuePrefix);
    try {
      const moved = await transition(
        employerActor(employer),
        m.id,
        'interested',
        {},
        { ...t.deps, queues: deadQueues },
      );
      expect(moved.status).toBe('interested');
    } finally {
      await Promise.all(Object.values(deadQueues).map((q) => q.close().catch(() => {})));
      deadRedis.disconnect();
    }
    const stored = () =>
      mongoose.connection.db!.collection('matches').findOne({ _id: new mongoose.Types.ObjectId(m.id) });
    expect((await stored())?.consequencesPending).toBe(true);
    const notices = () =>
      mongoose.connection.db!.collection('notification_items').countDocuments({ 'data.matchId': m.id });
    const inbox = () =>
      mongoose.connection.db!.collection('notifications').countDocuments({ 'data.matchId': m.id });
    expect((await notices()) + (await inbox())).toBe(0);

    // The worker of the first test is still running, with its sweep every 5 s.
    expect(host).toBeDefined();
    await waitFor(
      'the sweep to clear the mark',
      async () => ((await stored())?.consequencesPending ? undefined : true),
      30_000,
      200,
    );
    await waitFor(
      'the interest notice',
      async () => ((await notices()) + (await inbox()) > 0 ? true : undefined),
      30_000,
      200,
    );
  }, 60_000);
});
