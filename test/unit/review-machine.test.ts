import { describe, expect, it } from 'vitest';
import {
  ACTIONS,
  allowedActions,
  decide,
  HUMAN_ACTIONS,
  needsNote,
  PRE_HIRE,
  parseCodeList,
  reasonLabel,
} from '../../src/modules/matches/machine.js';
import { profileStatusFor } from '../../src/modules/matches/profile-status.js';

describe('review state machine', () => {
  it('when a reviewer approves a suggestion, then it becomes approved', () => {
    expect(decide('suggested', 'approve', ['reviewer'])).toEqual({ ok: true, to: 'approved' });
  });

  it('when a suggestion is proposed without review, then it is an illegal transition naming the state', () => {
    const d = decide('suggested', 'propose', ['reviewer']);
    expect(d).toEqual({
      ok: false,
      code: 'illegal_transition',
      current: 'suggested',
      allowed: ['approve', 'reject', 'withdraw'],
    });
  });

  it('when an admin or employer tries to propose, then it is forbidden (reviewers only, PIPL Art. 24)', () => {
    expect(decide('approved', 'propose', ['admin'])).toEqual({ ok: false, code: 'forbidden' });
    expect(decide('approved', 'propose', ['employer'])).toEqual({ ok: false, code: 'forbidden' });
    expect(decide('approved', 'propose', ['reviewer'])).toEqual({ ok: true, to: 'proposed' });
  });

  it('when the workflow is walked, then each step leads to the next (DESIGN §2)', () => {
    expect.hasAssertions();
    const path: [string, Parameters<typeof decide>[1], string[], string][] = [
      ['suggested', 'approve', ['reviewer'], 'approved'],
      ['approved', 'propose', ['reviewer'], 'proposed'],
      ['proposed', 'interested', ['employer'], 'interested'],
      ['interested', 'interview', ['employer'], 'interviewing'],
      ['interviewing', 'interview', ['reviewer'], 'interviewing'],
      ['interviewing', 'hire', ['employer'], 'hired'],
      ['hired', 'place', [], 'placed'],
      ['placed', 'retain', [], 'retained'],
      ['retained', 'end', [], 'ended'],
    ];
    for (const [from, action, roles, to] of path)
      expect(decide(from as never, action, roles.length ? (roles as never) : undefined)).toEqual({
        ok: true,
        to,
      });
  });

  it('when an employer acts on a match it was not proposed, then the transition is illegal', () => {
    expect(decide('suggested', 'interested', ['employer'])).toMatchObject({
      ok: false,
      code: 'illegal_transition',
    });
    expect(decide('approved', 'decline', ['employer'])).toMatchObject({
      ok: false,
      code: 'illegal_transition',
    });
  });

  it('when a match is past the hire, then it can no longer be withdrawn', () => {
    expect.hasAssertions();
    for (const s of PRE_HIRE)
      expect(decide(s, 'withdraw', ['federation_staff'])).toEqual({ ok: true, to: 'withdrawn' });
    for (const s of ['hired', 'placed', 'retained', 'ended', 'rejected', 'declined', 'withdrawn'] as const)
      expect(decide(s, 'withdraw', ['federation_staff'])).toMatchObject({
        ok: false,
        code: 'illegal_transition',
      });
  });

  it('when the system acts, then no role is needed but the states still are', () => {
    expect(decide('proposed', 'auto_withdraw')).toEqual({ ok: true, to: 'withdrawn' });
    expect(decide('placed', 'auto_withdraw')).toMatchObject({ ok: false, code: 'illegal_transition' });
    expect(decide('proposed', 'auto_withdraw', ['admin'])).toEqual({ ok: false, code: 'forbidden' });
  });

  it('when actions are offered, then only those of the caller’s roles from the state are listed', () => {
    expect(allowedActions('proposed', ['employer'])).toEqual(['interested', 'decline']);
    expect(allowedActions('proposed', ['reviewer'])).toEqual(['withdraw']);
    expect(allowedActions('interested')).toEqual(['decline', 'interview', 'hire', 'withdraw']);
  });

  it('when every human action is listed, then each has roles and at least one state to start from', () => {
    expect.hasAssertions();
    for (const a of HUMAN_ACTIONS) {
      expect(ACTIONS[a].roles.length).toBeGreaterThan(0);
      expect(ACTIONS[a].from.length).toBeGreaterThan(0);
    }
  });

  it('when reasons are configured, then codes parse and known ones carry zh/en labels; other needs a note', () => {
    expect(parseCodeList(' skills_mismatch, other ,')).toEqual(['skills_mismatch', 'other']);
    expect(reasonLabel('unwilling_to_travel')).toEqual({
      code: 'unwilling_to_travel',
      zh: '本人不愿外出',
      en: 'the person does not want to travel',
    });
    expect(reasonLabel('custom_code')).toEqual({ code: 'custom_code', zh: 'custom_code', en: 'custom_code' });
    expect(needsNote('other')).toBe(true);
    expect(needsNote('health')).toBe(false);
  });

  it('when a person’s matches are summed up, then employed wins over in process over available', () => {
    expect(profileStatusFor(['approved', 'placed'])).toBe('placed');
    expect(profileStatusFor(['suggested', 'proposed'])).toBe('in_process');
    expect(profileStatusFor(['suggested', 'rejected', 'ended'])).toBe('available');
  });
});
