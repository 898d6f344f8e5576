import mongoose, { Types } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runOpening } from '../../src/modules/matches/suggestions.runs.js';
import { MatchingState } from '../../src/modules/matches/suggestions.state.js';
import { makeOrg } from '../fixtures/accounts.js';
import { startTestApp, type TestApp } from '../fixtures/app.js';
import { makeMatch } from '../fixtures/matches.js';
import { makeOpening } from '../fixtures/openings.js';
import { makeProfile } from '../fixtures/worker-profiles.js';

/**
 * A match a person has acted on belongs to the workflow: a matching run records its new score
 * beside it (`latestScore`) without moving its version, so a hire or a review transition that read
 * the match a moment earlier is never refused because the machine passed by.
 */

let t: TestApp;
let state: MatchingState;

beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await state?.close();
  await t?.close();
});

describe('when a matching run rescores a match a person has acted on', () => {
  it('then the new score is recorded beside it and the match keeps its version', async () => {
    const liangshan = await makeOrg('recipient_federation', '513400');
    const employer = await makeOrg('employer', '440600');
    const profile = await makeProfile(t.deps, liangshan, '513401');
    const opening = await makeOpening(t.deps, employer, 'open');
    // Stored with a score and algorithm the run will not reproduce, so the run has news to record.
    const match = await makeMatch(profile, opening, { status: 'interested', score: 11 });
    // Loaded after the fixtures: without a worker, nothing announces them to a state loaded before.
    state = new MatchingState({ config: t.config, logger: t.deps.logger, redis: t.runtime.redis });
    expect((await runOpening(state, t.deps, opening.id)).ranked).toBe(1);
    const doc = await mongoose.connection
      .db!.collection('matches')
      .findOne({ _id: new Types.ObjectId(match.id) });
    expect(doc?.latestScore).toMatchObject({ algorithmVersion: expect.stringMatching(/^tongxin-match-/) });
    expect(doc?.status).toBe('interested');
    expect(doc?.score).toBe(11);
    expect(doc?.version).toBe(1);
  });
});
