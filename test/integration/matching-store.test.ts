import mongoose from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorkerConnection } from '../../src/lib/redis.js';
import { insertMatchDocuments } from '../../src/modules/matches/matches.bulk.js';
import { runChunk, runOpening, runProfile } from '../../src/modules/matches/suggestions.runs.js';
import { MatchingState } from '../../src/modules/matches/suggestions.state.js';
import { openingsDeps } from '../../src/modules/openings/openings.deps.js';
import { transitionOpening, updateOpening } from '../../src/modules/openings/openings.service.js';
import type { Organization } from '../../src/modules/orgs/orgs.repository.js';
import { withdrawConsent } from '../../src/modules/worker-profiles/consents.service.js';
import { updateProfile } from '../../src/modules/worker-profiles/worker-profiles.service.js';
import { makeOrg } from '../fixtures/accounts.js';
import { startTestApp, type TestApp } from '../fixtures/app.js';
import { employerActor, makeOpening } from '../fixtures/openings.js';
import { makeProfile, staffActor } from '../fixtures/worker-profiles.js';

/**
 * Only each opening's top-N is stored; a profile's run works out which openings' stored top-N the
 * person enters or leaves and runs only those. Whatever the order of changes, once they settle the
 * stored suggestions must be exactly what the opening side alone computes from scratch.
 */

const TOP = 3;
let t: TestApp;
let liangshan: Organization;
let employer: Organization;
let redis: ReturnType<typeof createWorkerConnection>;
let state: MatchingState;
const profiles: { id: string; version: number }[] = [];
const openings: { id: string; version: number }[] = [];

const deps = () => ({ config: t.config, logger: t.deps.logger, queues: t.runtime.queues });
const matches = () => mongoose.connection.db!.collection('matches');

beforeAll(async () => {
  t = await startTestApp({ MATCHING_TOP_N: String(TOP), MATCHING_POLL_INTERVAL_MS: '3600000' });
  redis = createWorkerConnection(t.config.redis.url);
  liangshan = await makeOrg('recipient_federation', '513400');
  employer = await makeOrg('employer', '440600');
  for (let i = 0; i < 18; i++) {
    const p = await makeProfile(t.deps, liangshan, i % 2 ? '513401' : '513422', {
      skills: [{ code: 'electronic_assembly', level: String(1 + (i % 3)) }],
      preferences: {
        destinationCodes: ['440600'],
        minimumWage: 3000 + ((i * 7) % 10) * 200,
        jobTypes: ['6'],
        needsDormitory: i % 4 === 0,
        needsAccessibleDormitory: false,
        willingToTravelWithGroup: i % 5 !== 0,
      },
    });
    profiles.push({ id: p.id, version: p.version });
  }
  for (let i = 0; i < 5; i++) {
    const o = await makeOpening(t.deps, employer, 'open', {
      skills: [{ code: 'electronic_assembly', level: String(1 + (i % 3)) }],
      wageMin: 3600 + i * 300,
      wageMax: 4800 + i * 300,
    });
    openings.push({ id: o.id, version: o.version });
  }
  state = new MatchingState({ config: t.config, logger: t.deps.logger, redis });
  await state.start();
  for (const o of openings) await runOpening(state, deps(), o.id);
}, 60_000);
afterAll(async () => {
  await state?.close();
  redis?.disconnect();
  await t?.close();
});

/** The stored suggestions (none made by a person here), as `profile|opening` with their scores. */
async function storedSuggestions(): Promise<Map<string, number>> {
  const docs = await matches()
    .find({ status: 'suggested' }, { projection: { profileId: 1, openingId: 1, score: 1 } })
    .toArray();
  return new Map(docs.map((d) => [`${d.profileId}|${d.openingId}`, d.score as number]));
}

/** Every open opening's top-N computed afresh by a new worker state loaded from MongoDB. */
async function recomputed(): Promise<Map<string, number>> {
  const fresh = new MatchingState({ config: t.config, logger: t.deps.logger, redis });
  try {
    await fresh.start();
    const ctx = await fresh.context();
    const out = new Map<string, number>();
    for (const o of fresh.openings())
      for (const r of fresh.snapshot.topN(o, ctx, TOP)) out.set(`${r.profileId}|${o.id}`, r.score);
    return out;
  } finally {
    await fresh.close();
  }
}

async function expectSettled(step: string) {
  const [stored, fresh] = await Promise.all([storedSuggestions(), recomputed()]);
  expect(fresh.size, `${step}: the population gives each opening a top-N`).toBeGreaterThan(0);
  expect(Object.fromEntries(stored), step).toEqual(Object.fromEntries(fresh));
}

async function editProfile(i: number, patch: Parameters<typeof updateProfile>[4]) {
  const p = profiles[i]!;
  const updated = await updateProfile(t.deps, staffActor(liangshan), p.id, p.version, patch);
  p.version = updated.version;
  await runProfile(state, deps(), p.id);
}

describe('when only openings’ top-N are stored and profiles change', () => {
  it('then after every change the stored suggestions equal a fresh opening-side recompute', async () => {
    await expectSettled('after the openings’ first runs');

    // People improve and worsen: they enter and leave openings' top-N.
    for (const [i, level, wage] of [
      [1, '3', 3000],
      [4, '3', 3000],
      [7, '1', 5600],
      [0, '3', 3200],
      [2, '1', 5800],
    ] as const) {
      await editProfile(i, {
        skills: [{ code: 'electronic_assembly', level }],
        preferences: {
          destinationCodes: ['440600'],
          minimumWage: wage,
          jobTypes: ['6'],
          needsDormitory: false,
          needsAccessibleDormitory: false,
          willingToTravelWithGroup: true,
        },
      });
      await expectSettled(`after profile ${i} changed`);
    }

    // A person in some top-N withdraws consent: superseded at once with the reason, places refilled.
    const listed = [...(await storedSuggestions()).keys()].map((k) => k.split('|')[0]!);
    const gone = profiles.find((p) => listed.includes(p.id))!;
    const consent = await mongoose.connection
      .db!.collection('consents')
      .findOne({ profileId: gone.id, purpose: 'sensitive_processing' });
    await withdrawConsent(t.deps, staffActor(liangshan), gone.id, consent!._id.toHexString(), {
      reason: 'person_request',
      channel: 'in_person',
    });
    await runProfile(state, deps(), gone.id);
    const left = await matches().find({ profileId: gone.id }).toArray();
    expect(left.length).toBeGreaterThan(0);
    for (const m of left) {
      expect(m.status).toBe('superseded');
      expect(m.supersededReason?.code).toBe('ineligible.no_sensitive_data_consent');
    }
    await expectSettled('after a consent was withdrawn');

    // An opening is paused, edited and opened again.
    const actor = employerActor(employer);
    const svc = openingsDeps(t.deps);
    const o = openings[2]!;
    let opening = await transitionOpening(actor, o.id, 'pause', undefined, svc);
    await runOpening(state, deps(), o.id);
    await expectSettled('after an opening was paused');
    opening = await updateOpening(
      actor,
      o.id,
      opening.version,
      { skills: [{ code: 'electronic_assembly', level: '1' }], wageMin: 3000, wageMax: 6000 },
      svc,
    );
    opening = await transitionOpening(actor, o.id, 'open', undefined, svc);
    await runOpening(state, deps(), o.id);
    await expectSettled('after an opening was edited and opened again');

    // A newcomer better than everyone.
    const p = await makeProfile(t.deps, liangshan, '513401', {
      skills: [{ code: 'electronic_assembly', level: '3' }],
    });
    profiles.push({ id: p.id, version: p.version });
    await runProfile(state, deps(), p.id);
    await expectSettled('after a new profile registered');
  }, 120_000);
});

describe('when a database holds suggestions stored for a profile’s top-N alone (before this rule)', () => {
  it('then a rematch supersedes those its openings do not list, and keeps those they do', async () => {
    const fresh = await recomputed();
    const listedPair = [...fresh.keys()][0]!.split('|');
    const opening = state.openings()[0]!;
    const outside = profiles.find((p) => !fresh.has(`${p.id}|${opening.id}`))!;
    await matches().deleteMany({ profileId: { $in: [outside.id, listedPair[0]] } });
    const old = (profileId: string, openingId: string) => ({
      profileId,
      openingId,
      employerId: employer.id,
      profileRegionPath: ['513400'],
      openingRegionPath: ['440600'],
      status: 'suggested',
      version: 1,
      score: 1,
      components: [],
      reasons: [],
      algorithmVersion: 'old',
      inOpeningTop: false,
      inProfileTop: true,
      suggestedAt: new Date(),
      history: [],
      createdAt: new Date(),
      updatedAt: new Date(),
    });
    await insertMatchDocuments([old(outside.id, opening.id), old(listedPair[0]!, listedPair[1]!)]);
    const ids = state
      .openings()
      .map((o) => o.id)
      .sort();
    await runChunk(state, deps(), { side: 'opening', from: ids[0]!, to: ids.at(-1)! });
    expect(await matches().findOne({ profileId: outside.id, openingId: opening.id })).toMatchObject({
      status: 'superseded',
      inProfileTop: false,
      supersededReason: { code: 'outranked' },
    });
    expect(await matches().findOne({ profileId: listedPair[0], openingId: listedPair[1] })).toMatchObject({
      status: 'suggested',
      inOpeningTop: true,
      inProfileTop: false,
    });
    await expectSettled('after the rematch');
  }, 60_000);
});
