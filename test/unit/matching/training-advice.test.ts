import { describe, expect, it } from 'vitest';
import { score } from '../../../src/modules/matching/score.js';
import { adviseTraining } from '../../../src/modules/matching/training-advice.js';
import { aContext, anOpening, aProfile } from './factories.js';

const ctx = aContext();

describe('training advice on a hand-made population', () => {
  it('when a course teaches a skill required by 3 openings with 10 places, then it unlocks exactly those', () => {
    // Six sewers from 昭觉; none holds massage.
    const people = Array.from({ length: 6 }, () => aProfile());
    const massage = [3, 3, 4].map((headcount) =>
      anOpening({ skillsRequired: [{ code: 'massage', level: 1 }], headcount }),
    );
    const sewing = anOpening({ headcount: 7 });
    const forklift = anOpening({ skillsRequired: [{ code: 'forklift', level: 1 }], headcount: 9 });
    const items = adviseTraining(people, [...massage, sewing, forklift], ['P-sewing', 'P-massage'], ctx);

    expect(items[0]).toMatchObject({ programme: 'P-massage', people: 6, places: 10 });
    expect(items[0]!.openings.map((o) => o.id).sort()).toEqual(massage.map((o) => o.id).sort());
    // They already sew: the sewing course unlocks nothing.
    expect(items[1]).toMatchObject({ programme: 'P-sewing', people: 0, places: 0, openings: [] });
  });

  it('when a full opening or one the people cannot take needs the skill, then its places are not counted', () => {
    const people = Array.from({ length: 3 }, () => aProfile({ limitations: ['hearing_deaf'] }));
    const open = anOpening({ skillsRequired: [{ code: 'massage', level: 1 }], headcount: 5, filled: 2 });
    const noisy = anOpening({ skillsRequired: [{ code: 'massage', level: 1 }], demands: ['hearing_safety'] });
    const [item] = adviseTraining(people, [open, noisy], ['P-massage'], ctx);
    expect(item).toMatchObject({ people: 3, places: 3 });
    expect(item!.openings.map((o) => o.id)).toEqual([open.id]);
  });
});

describe('training advice and the top N', () => {
  it('when a course lifts eligible people to the score of the N-th suggestion, then their opening counts', () => {
    // Eligible already (they sew, a little), but below the bar the opening's suggestions set.
    const people = Array.from({ length: 5 }, () => aProfile({ skills: [{ code: 'sewing', level: 1 }] }));
    const opening = anOpening({ preferredTraining: ['P-sewing'], headcount: 4 });
    const bar = score(
      aProfile({
        training: [{ programme: 'P-sewing', underPartnership: true }],
        skills: [{ code: 'sewing', level: 1 }],
      }),
      opening,
      ctx,
    ).score;
    const [without] = adviseTraining(people, [opening], ['P-sewing'], ctx);
    expect(without).toMatchObject({ people: 0, places: 0 });
    const [withBar] = adviseTraining(people, [opening], ['P-sewing'], ctx, [bar]);
    expect(withBar).toMatchObject({ people: 5, places: 4 });
  });
});
