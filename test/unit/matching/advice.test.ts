import { describe, expect, it } from 'vitest';
import { adviseOpening, masked } from '../../../src/modules/matching/advice.js';
import { score } from '../../../src/modules/matching/score.js';
import { ProfileSnapshot } from '../../../src/modules/matching/snapshot.js';
import type { MatchOpening, MatchProfile } from '../../../src/modules/matching/types.js';
import { defaultVocabulary } from '../../../src/modules/matching/vocabulary.js';
import { aContext, anOpening, aProfile } from './factories.js';

const ctx = aContext();

function snapshotOf(profiles: MatchProfile[]): ProfileSnapshot {
  const s = new ProfileSnapshot(defaultVocabulary(), 8);
  for (const p of profiles) s.upsert(p);
  return s;
}

const times = (n: number, over: Partial<MatchProfile>) => Array.from({ length: n }, () => aProfile(over));

const gainOf = (r: ReturnType<typeof adviseOpening>, code: string) =>
  r.items.find((i) => i.change.code === code)?.gained;

describe('accommodation advice on hand-made populations', () => {
  const noisyFactory = anOpening({ demands: ['hearing_safety', 'stairs'] });

  it('when an accommodation mitigates a demand for 7 people, then it is reported as +7', () => {
    const s = snapshotOf([...times(7, { limitations: ['hearing_deaf'] }), ...times(4, {})]);
    const r = adviseOpening(s, noisyFactory, ctx, { threshold: 0, pairedOnly: true });
    expect(r.current.eligible).toBe(4);
    expect(gainOf(r, 'visual_alarms')).toBe(7);
    expect(r.items[0]?.change).toEqual({ kind: 'accommodation', code: 'visual_alarms' });
    // Dropping the demand itself reaches the same 7.
    expect(gainOf(r, 'hearing_safety')).toBe(7);
  });

  it('when no one needs an accommodation, then it is reported as +0', () => {
    const s = snapshotOf([...times(7, { limitations: ['hearing_deaf'] }), ...times(4, {})]);
    const r = adviseOpening(s, noisyFactory, ctx, { threshold: 0, pairedOnly: true });
    expect(gainOf(r, 'screen_reader')).toBe(0);
    expect(gainOf(r, 'step_free')).toBe(0);
  });

  it('when two accommodations reach overlapping people, then the bundle counts the union, not the sum', () => {
    const s = snapshotOf([
      // Deaf and wheelchair users: each needs both changes.
      ...times(3, { limitations: ['hearing_deaf', 'mobility_wheelchair'] }),
      ...times(6, { limitations: ['hearing_deaf'] }),
      ...times(5, { limitations: ['mobility_wheelchair'] }),
    ]);
    const r = adviseOpening(s, noisyFactory, ctx, { threshold: 0, pairedOnly: true });
    expect(gainOf(r, 'visual_alarms')).toBe(6);
    expect(gainOf(r, 'step_free')).toBe(5);
    const pair = r.bundles.find((b) => b.changes.length === 2);
    expect(pair?.changes.map((c) => c.code).sort()).toEqual(['step_free', 'visual_alarms']);
    // 6 + 5 alone, plus the 3 who needed both: 14, which is neither 6 + 5 nor 6 + 5 + 3 + 3.
    expect(pair?.gained).toBe(14);
  });

  it('when two accommodations serve the same people, then a bundle of both counts them once', () => {
    const s = snapshotOf([
      ...times(5, { limitations: ['vision_blind'] }),
      ...times(6, { limitations: ['hearing_deaf'] }),
    ]);
    const opening = anOpening({ demands: ['hearing_safety', 'reading_print'] });
    const r = adviseOpening(s, opening, ctx, { threshold: 0, pairedOnly: true });
    // Screen reader and tactile marking are alternatives for the same five people.
    expect(gainOf(r, 'screen_reader')).toBe(5);
    expect(gainOf(r, 'tactile_marking')).toBe(5);
    expect(r.bundles[0]?.changes.map((c) => c.code)).toEqual(['visual_alarms', 'screen_reader']);
    expect(r.bundles[0]?.gained).toBe(11);
    // A third change would add no one: no bundle of three is offered.
    expect(r.bundles).toHaveLength(1);
  });

  it('when the threshold is above some of the people gained, then only those at or above it are counted', () => {
    const s = snapshotOf([
      ...times(5, { limitations: ['hearing_deaf'] }),
      ...times(6, { limitations: ['hearing_deaf'], skills: [{ code: 'sewing', level: 1 }] }),
    ]);
    const opening = noisyFactory;
    const high = score(aProfile(), { ...opening, demands: [] }, ctx).score;
    const r = adviseOpening(s, opening, ctx, { threshold: high, pairedOnly: true });
    const item = r.items.find((i) => i.change.code === 'visual_alarms');
    expect(item?.gained).toBe(11);
    expect(item?.gainedAbove).toBe(5);
  });

  it('when people come from an area not paired with the city, then the partnership scope leaves them out', () => {
    const s = snapshotOf([
      ...times(7, { limitations: ['hearing_deaf'] }),
      ...times(9, { limitations: ['hearing_deaf'], originCounty: '511321' }),
    ]);
    expect(
      gainOf(adviseOpening(s, noisyFactory, ctx, { threshold: 0, pairedOnly: true }), 'visual_alarms'),
    ).toBe(7);
    expect(
      gainOf(adviseOpening(s, noisyFactory, ctx, { threshold: 0, pairedOnly: false }), 'visual_alarms'),
    ).toBe(16);
  });

  it('when counts are from 1 to 4, then they are masked, and 0 and 5 are not', () => {
    expect(masked(0)).toEqual({ count: 0, fewerThan: null });
    for (const n of [1, 2, 3, 4]) expect(masked(n)).toEqual({ count: null, fewerThan: 5 });
    expect(masked(5)).toEqual({ count: 5, fewerThan: null });
  });

  it('when compared with rescoring everyone through score() per change, then every count agrees', async () => {
    expect.hasAssertions();
    const { generateMatchingData } = await import('../../../scripts/lib/generate/matching-data.js');
    const { createMatchContext } = await import('../../../src/modules/matching/context.js');
    const data = generateMatchingData({ profiles: 800, openings: 6, seed: 21 });
    const context = createMatchContext({ ...data.context, vocabulary: defaultVocabulary() });
    const s = snapshotOf(data.profiles);
    for (const o of data.openings) {
      const opening: MatchOpening = { ...o, status: 'open', filled: 0 };
      const r = adviseOpening(s, opening, context, { threshold: 40, pairedOnly: false });
      const eligibleUnder = (variant: MatchOpening) =>
        new Set(data.profiles.filter((p) => score(p, variant, context).eligible).map((p) => p.id));
      const before = eligibleUnder(opening);
      for (const item of r.items.slice(0, 3)) {
        const variant =
          item.change.kind === 'accommodation'
            ? { ...opening, accommodationsOffered: [...opening.accommodationsOffered, item.change.code] }
            : { ...opening, demands: opening.demands.filter((d) => d !== item.change.code) };
        const gained = [...eligibleUnder(variant)].filter((id) => !before.has(id));
        expect(item.gained).toBe(gained.length);
      }
    }
  }, 30_000);
});
