import { describe, expect, it } from 'vitest';
import {
  allowedActions,
  isEditable,
  nextStatus,
  OPENING_STATUSES,
  type OpeningAction,
  type OpeningStatus,
  statusForHires,
} from '../../src/modules/openings/openings.status.js';

const ACTIONS: OpeningAction[] = ['open', 'pause', 'close', 'fill', 'reopen'];

/** The whole table, written out: every (status, action) pair not listed here is illegal. */
const LEGAL: Record<string, OpeningStatus> = {
  'draft open': 'open',
  'draft close': 'closed',
  'open pause': 'paused',
  'open close': 'closed',
  'open fill': 'filled',
  'paused open': 'open',
  'paused close': 'closed',
  'paused fill': 'filled',
  'filled close': 'closed',
  'filled reopen': 'open',
};

describe('opening status machine', () => {
  for (const status of OPENING_STATUSES)
    for (const action of ACTIONS) {
      const expected = LEGAL[`${status} ${action}`];
      it(`when a ${status} opening gets ${action}, then ${expected ?? 'it is refused'}`, () => {
        expect(nextStatus(status, action)).toBe(expected);
      });
    }

  it('when an opening is closed, then nothing moves it and it can no longer be edited', () => {
    expect(ACTIONS.map((a) => nextStatus('closed', a))).toEqual(ACTIONS.map(() => undefined));
    expect(isEditable('closed')).toBe(false);
    expect(OPENING_STATUSES.filter(isEditable)).toEqual(['draft', 'open', 'paused', 'filled']);
  });

  it('when clients ask what they may do, then only employer actions are offered', () => {
    expect(allowedActions('draft')).toEqual(['open', 'close']);
    expect(allowedActions('open')).toEqual(['pause', 'close']);
    expect(allowedActions('paused')).toEqual(['open', 'close']);
    expect(allowedActions('filled')).toEqual(['close']);
    expect(allowedActions('closed')).toEqual([]);
  });

  it('when hires reach the headcount, then open and paused openings become filled', () => {
    expect(statusForHires('open', 3, 3)).toBe('filled');
    expect(statusForHires('paused', 3, 3)).toBe('filled');
    expect(statusForHires('open', 2, 3)).toBe('open');
  });

  it('when a place comes free, then a filled opening reopens; drafts and closed ones never move', () => {
    expect(statusForHires('filled', 2, 3)).toBe('open');
    expect(statusForHires('filled', 3, 3)).toBe('filled');
    expect(statusForHires('draft', 5, 3)).toBe('draft');
    expect(statusForHires('closed', 5, 3)).toBe('closed');
    expect(statusForHires('closed', 0, 3)).toBe('closed');
  });
});
