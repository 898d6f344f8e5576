import { describe, expect, it } from 'vitest';
import {
  type RankedPair,
  reconcile,
  type StoredMatch,
  supersedeReason,
} from '../../../src/modules/matching/reconcile.js';
import type { MatchScore } from '../../../src/modules/matching/types.js';

const result = (score: number, eligible = true): MatchScore => ({
  algorithmVersion: 'v1',
  eligible,
  score,
  excludedBy: eligible ? [] : ['accommodation_not_offered'],
  components: [],
  reasons: eligible
    ? []
    : [
        {
          code: 'accommodation_not_offered.sign_language',
          kind: 'exclusion',
          about: 'accommodation_not_offered',
          params: {},
          zh: '需要手语支持，但岗位未提供',
          en: 'Needs sign-language support, which the opening does not offer',
        },
      ],
});

const pair = (profileId: string, score: number): RankedPair => ({
  profileId,
  openingId: 'o1',
  result: result(score),
});

const stored = (profileId: string, over: Partial<StoredMatch> = {}): StoredMatch => ({
  id: `m-${profileId}`,
  profileId,
  openingId: 'o1',
  status: 'suggested',
  version: 1,
  score: 50,
  algorithmVersion: 'v1',
  inOpeningTop: true,
  inProfileTop: false,
  ...over,
});

describe('reconcile an opening run', () => {
  it('when a pair is new, then it is inserted as a suggestion', () => {
    expect(reconcile([], [pair('p1', 80)])).toEqual([{ kind: 'insert', pair: pair('p1', 80) }]);
  });

  it('when a suggestion is unchanged, then nothing is written', () => {
    expect(reconcile([stored('p1', { score: 80 })], [pair('p1', 80)])).toEqual([]);
  });

  it('when a suggestion scores differently, then it is refreshed', () => {
    const ops = reconcile([stored('p1', { score: 70 })], [pair('p1', 80)]);
    expect(ops.map((o) => o.kind)).toEqual(['suggest']);
  });

  it('when a reviewed match is recomputed with a new score, then only the score is recorded beside it', () => {
    const ops = reconcile([stored('p1', { status: 'approved', score: 70 })], [pair('p1', 80)]);
    expect(ops.map((o) => o.kind)).toEqual(['record_score']);
  });

  it('when a reviewed match leaves the top-N, then it is left alone', () => {
    expect(reconcile([stored('p1', { status: 'proposed' })], [])).toEqual([]);
  });

  it('when a suggestion leaves the top-N, then it is superseded with why', () => {
    const rescored = new Map([['p1|o1', result(0, false)]]);
    const [op] = reconcile([stored('p1')], [], rescored);
    expect(op).toMatchObject({ kind: 'supersede', reason: { code: 'ineligible.accommodation_not_offered' } });
  });

  it('when a suggestion is merely outranked, then the reason says so', () => {
    const [op] = reconcile([stored('p1')], [], new Map([['p1|o1', result(40)]]));
    expect(op).toMatchObject({ kind: 'supersede', reason: { code: 'outranked' } });
  });

  it('when an old suggestion listed by both sides leaves the top-N, then it is superseded: no profile side is stored any more', () => {
    const ops = reconcile([stored('p1', { inProfileTop: true })], []);
    expect(ops.map((o) => o.kind)).toEqual(['supersede']);
  });

  it('when a superseded pair comes back into the top-N, then it is suggested again', () => {
    const ops = reconcile([stored('p1', { status: 'superseded', inOpeningTop: false })], [pair('p1', 60)]);
    expect(ops.map((o) => o.kind)).toEqual(['suggest']);
  });

  it('when an old suggestion was listed only by the profile side, then the opening run supersedes it', () => {
    const ops = reconcile([stored('p1', { inOpeningTop: false, inProfileTop: true })], []);
    expect(ops.map((o) => o.kind)).toEqual(['supersede']);
  });

  it('when an old profile-side suggestion is in the top-N, then it becomes the opening’s own', () => {
    const ops = reconcile(
      [stored('p1', { score: 80, inOpeningTop: false, inProfileTop: true })],
      [pair('p1', 80)],
    );
    expect(ops.map((o) => o.kind)).toEqual(['suggest']);
  });

  it('when a suggestion a person made (no machine mark) leaves the top-N, then it is left to its reviewers', () => {
    expect(reconcile([stored('p1', { inOpeningTop: false, inProfileTop: false })], [])).toEqual([]);
  });
});

describe('supersedeReason', () => {
  it('when no fresh score is known, then outranked', () => {
    expect(supersedeReason(undefined).code).toBe('outranked');
  });
});
