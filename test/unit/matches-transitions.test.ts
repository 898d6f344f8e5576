import { describe, expect, it } from 'vitest';
import type { Config } from '../../src/config.js';
import type { Queues } from '../../src/jobs/queues.js';
import type { Logger } from '../../src/lib/logger.js';
import {
  ACTIONS,
  decide,
  HUMAN_ACTIONS,
  type ReviewAction,
  SYSTEM_ACTIONS,
} from '../../src/modules/matches/machine.js';
import {
  consequencesOf,
  enqueueConsequences,
  type Match,
} from '../../src/modules/matches/matches.service.js';
import { MACHINE_STATES, MATCH_STATUSES, type MatchStatus } from '../../src/modules/matching/reconcile.js';

/**
 * The transition logic without a database or Redis: the machine's whole table, and which
 * consequence jobs each action enqueues, keyed by match id and version, through fake queues.
 */
const STATES: readonly MatchStatus[] = MATCH_STATUSES;
const EVERY_ACTION: ReviewAction[] = [...HUMAN_ACTIONS, ...SYSTEM_ACTIONS];

/** Queues whose `add` records the jobs (or fails, for Redis down). */
function fakeQueues(fail = false) {
  const added: { queue: string; name: string; data: unknown; jobId?: string }[] = [];
  const queues = new Proxy(
    {},
    {
      get: (_t, queue: string) => ({
        add: async (name: string, data: unknown, opts: { jobId?: string }) => {
          if (fail) throw new Error('connection refused');
          added.push({ queue, name, data, jobId: opts.jobId });
          return { id: opts.jobId };
        },
      }),
    },
  ) as Queues;
  return { queues, added };
}

function fakeLogger() {
  const warnings: string[] = [];
  const logger = { warn: (_o: unknown, msg: string) => warnings.push(msg) } as unknown as Logger;
  return { logger, warnings };
}

const match = { id: '64b7f0c2a1b2c3d4e5f60718', version: 7 } as Match;

describe('the state machine (decide) as a table', () => {
  it('when every action meets every state as the system, then it moves exactly from its listed states to its target', () => {
    expect.hasAssertions();
    for (const action of EVERY_ACTION)
      for (const state of STATES) {
        const d = decide(state, action);
        if (ACTIONS[action].from.includes(state)) expect(d).toEqual({ ok: true, to: ACTIONS[action].to });
        else expect(d).toMatchObject({ ok: false, code: 'illegal_transition', current: state });
      }
  });

  it('when the system places, retains and ends, then only hired → placed → retained and hired/placed/retained → ended are allowed', () => {
    expect(decide('hired', 'place')).toEqual({ ok: true, to: 'placed' });
    expect(decide('placed', 'place')).toMatchObject({ ok: false });
    expect(decide('placed', 'retain')).toEqual({ ok: true, to: 'retained' });
    expect(decide('hired', 'retain')).toMatchObject({ ok: false });
    for (const s of ['hired', 'placed', 'retained'] as const)
      expect(decide(s, 'end')).toEqual({ ok: true, to: 'ended' });
    expect(decide('interviewing', 'end')).toMatchObject({ ok: false });
  });

  it('when the matching runs suggest and supersede, then only a suggestion is superseded and only a suggestion or a superseded one is suggested (again)', () => {
    expect(decide('suggested', 'supersede')).toEqual({ ok: true, to: 'superseded' });
    expect(decide('superseded', 'suggest')).toEqual({ ok: true, to: 'suggested' });
    // The pure engine's reconcile reasons over the same states the machine lets the runs move.
    expect([...MACHINE_STATES].sort()).toEqual([...ACTIONS.suggest.from].sort());
    for (const s of ['approved', 'proposed', 'hired', 'rejected'] as const) {
      expect(decide(s, 'supersede')).toMatchObject({ ok: false });
      expect(decide(s, 'suggest')).toMatchObject({ ok: false });
    }
  });

  it('when a person takes a system action, then it is forbidden (no role may)', () => {
    expect.hasAssertions();
    for (const action of SYSTEM_ACTIONS)
      expect(decide('hired', action, ['admin'])).toEqual({ ok: false, code: 'forbidden' });
  });
});

describe('consequences of a transition', () => {
  it('when a match is hired, then its placement, the profile status sync and nothing else are enqueued, keyed by match id and version', async () => {
    const { queues, added } = fakeQueues();
    await enqueueConsequences({ config: {} as Config, logger: fakeLogger().logger, queues }, match, 'hire');
    expect(added).toEqual([
      {
        queue: 'review',
        name: 'placements.create-from-hire',
        data: { matchId: match.id, version: 7 },
        jobId: `placements.create-from-hire-${match.id}-7`,
      },
      {
        queue: 'review',
        name: 'matches.sync-profile-status',
        data: { matchId: match.id, version: 7 },
        jobId: `matches.sync-profile-status-${match.id}-7`,
      },
    ]);
  });

  it('when each action is taken, then a notification job follows exactly the actions that tell someone', () => {
    const notified = EVERY_ACTION.filter((a) => consequencesOf(a).includes('matches.notify-transition'));
    expect(notified.sort()).toEqual(
      [
        'approve',
        'auto_withdraw',
        'decline',
        'interested',
        'interview',
        'propose',
        'reject',
        'withdraw',
      ].sort(),
    );
    expect(EVERY_ACTION.filter((a) => consequencesOf(a).includes('placements.create-from-hire'))).toEqual([
      'hire',
    ]);
    expect(EVERY_ACTION.every((a) => consequencesOf(a).includes('matches.sync-profile-status'))).toBe(true);
  });

  it('when a proposal is made, then its notification job carries the action', async () => {
    const { queues, added } = fakeQueues();
    await enqueueConsequences(
      { config: {} as Config, logger: fakeLogger().logger, queues },
      match,
      'propose',
    );
    expect(added.map((a) => a.name)).toEqual(['matches.sync-profile-status', 'matches.notify-transition']);
    expect(added[1]!.data).toEqual({ matchId: match.id, version: 7, action: 'propose' });
  });

  it('when the queue is down, then the failure is logged and reported (the outbox mark stays), not thrown', async () => {
    const { queues } = fakeQueues(true);
    const { logger, warnings } = fakeLogger();
    await expect(enqueueConsequences({ config: {} as Config, logger, queues }, match, 'hire')).resolves.toBe(
      false,
    );
    expect(warnings).toEqual(['consequences not enqueued']);
  });
});
