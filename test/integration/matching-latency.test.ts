import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JOBS } from '../../src/jobs/catalogue.js';
import { MatchingState } from '../../src/modules/matches/suggestions.state.js';
import { makeOrg } from '../fixtures/accounts.js';
import { startTestApp, type TestApp } from '../fixtures/app.js';
import { makeProfile } from '../fixtures/worker-profiles.js';

/**
 * What a new opening's first suggestions wait for (issue 17 item 13), as order rather than time:
 * a run's catch-up is never queued behind a whole snapshot poll, and the reviewers' notices never
 * hold the matching queue's slots. The figures are measured by scripts/bench-suggestion-latency.ts.
 */

let t: TestApp;
let state: MatchingState;

beforeAll(async () => {
  t = await startTestApp();
  state = new MatchingState({ config: t.config, logger: t.deps.logger, redis: t.runtime.redis });
  await state.ready;
});
afterAll(async () => {
  await state?.close();
  await t?.close();
});

describe('when the snapshot poll finds many profiles behind', () => {
  it('then a run’s catch-up queued during the poll finishes before the poll has re-read them all', async () => {
    const org = await makeOrg('recipient_federation', '513400');
    // Written without runs (no worker here): the poll is what finds them.
    for (let i = 0; i < 64; i++) await makeProfile(t.deps, org, '513401');
    const order: string[] = [];
    let refreshed = 0;
    let started!: () => void;
    const firstRefresh = new Promise<void>((r) => {
      started = r;
    });
    const refresh = state.refreshProfile.bind(state);
    state.refreshProfile = async (id) => {
      refreshed++;
      started();
      return refresh(id);
    };
    const poll = state.poll().then((n) => {
      order.push('poll');
      return n;
    });
    await firstRefresh;
    const catchUp = state.catchUp().then(() => order.push(`catch-up after ${refreshed} re-reads`));
    const [stale] = await Promise.all([poll, catchUp]);
    expect(stale).toBe(64);
    expect(order).toEqual(['catch-up after 16 re-reads', 'poll']);
  });
});

describe('when suggestions are written', () => {
  it('then their notice job waits on a queue of its own, never in a slot a matching run needs', () => {
    expect(JOBS['matching.notify'].queue).not.toBe(JOBS['matching.opening'].queue);
    expect(JOBS['matching.notify'].queue).not.toBe(JOBS['matching.profile'].queue);
  });
});
