import { describe, expect, it } from 'vitest';
import { generateMatchingData, Random } from '../../../scripts/lib/generate/matching-data.js';
import { createMatchContext, type MatchContext } from '../../../src/modules/matching/context.js';
import { score } from '../../../src/modules/matching/score.js';
import { exclusionOf, ProfileSnapshot, ranksBefore } from '../../../src/modules/matching/snapshot.js';
import { topOpeningsFor } from '../../../src/modules/matching/top-openings.js';
import type { MatchOpening, MatchProfile, SkillLevel } from '../../../src/modules/matching/types.js';
import { defaultVocabulary } from '../../../src/modules/matching/vocabulary.js';
import { aContext, anOpening, aProfile } from './factories.js';

const vocab = defaultVocabulary();

/** Adversarial inputs: synonyms, unknown codes, boundary ages and wages, ties, every status. */
function randomWorld(seed: number, nProfiles: number, nOpenings: number) {
  const rnd = new Random(seed);
  const some = <T>(items: readonly T[], max: number): T[] => {
    const n = rnd.int(0, max);
    return Array.from({ length: n }, () => rnd.pick(items));
  };
  const skillTerms = [...vocab.skills.codes, '平车工', '质检', '电脑操作', '新技能甲', '新技能乙'];
  const limitationTerms = [...vocab.limitations.codes, '轮椅', '聋哑', '未知限制'];
  const accTerms = [...vocab.accommodations.codes, '手语', '坡道', '自定义便利'];
  const demandTerms = [...vocab.demands.codes, '搬运', '计件'];
  const destCodes = ['440000', '330000', '510000', '440600', '330300', '441900', '440606', 'bad'];
  const cities = ['440600', '330300', '441900', '440606', '330500'];
  const counties = ['513431', '513401', '511321', '511302', '510822', '511600'];
  const programmes = ['P-a', 'P-b', 'P-c', 'P-d'];
  const level = () => rnd.int(1, 3) as SkillLevel;
  const date = () => {
    const y = rnd.int(1955, 2012);
    const m = rnd.int(1, 12);
    const d = m === 2 && y % 4 === 0 && rnd.chance(0.3) ? 29 : rnd.int(1, 28);
    return rnd.chance(0.01) ? 'garbage' : `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
  };

  const profiles: MatchProfile[] = Array.from({ length: nProfiles }, (_, i) => ({
    // Ids in shuffled order so ties are broken by id, not by insertion order.
    id: `p-${((i * 7919) % nProfiles).toString().padStart(5, '0')}`,
    status: rnd.weighted([
      ['available', 85],
      ['placed', 10],
      ['inactive', 5],
    ] as const),
    sensitiveDataConsent: rnd.chance(0.95),
    birthDate: date(),
    sex: rnd.chance(0.5) ? 'male' : 'female',
    originCounty: rnd.pick(counties),
    limitations: some(limitationTerms, 2),
    accommodationsNeeded: some(accTerms, rnd.chance(0.5) ? 0 : 2),
    needsDormitory: rnd.chance(0.7),
    needsAccessibleDormitory: rnd.chance(0.1),
    destinations: some(destCodes, 3),
    minWage: rnd.chance(0.4) ? null : rnd.chance(0.1) ? 4333.3 : rnd.int(8, 32) * 250,
    skills: some(skillTerms, 4).map((code) => ({ code, level: level() })),
    training: some(programmes, 2).map((programme) => ({ programme, underPartnership: rnd.chance(0.5) })),
    experience: some([...skillTerms, null], 3).map((skill) => ({
      skill,
      months: rnd.chance(0.1) ? 7.5 : rnd.int(0, 60),
    })),
  }));

  const openings: MatchOpening[] = Array.from({ length: nOpenings }, (_, i) => {
    const wageMin = rnd.int(20, 70) * 100;
    const headcount = rnd.int(1, 5);
    return {
      id: `o-${i}`,
      status: rnd.chance(0.9) ? 'open' : rnd.pick(['paused', 'draft', 'closed', 'filled']),
      headcount,
      filled: rnd.chance(0.1) ? headcount : rnd.int(0, headcount - 1),
      employerId: `e-${rnd.int(0, 3)}`,
      city: rnd.pick(cities),
      skillsRequired: some(skillTerms, 3).map((code) => ({ code, level: level() })),
      preferredTraining: some(programmes, 1),
      wageMin,
      wageMax: wageMin + rnd.int(0, 30) * 100,
      demands: some(demandTerms, 4),
      accommodationsOffered: some(accTerms, 10),
      dormitory: rnd.chance(0.8),
      accessibleDormitory: rnd.chance(0.3),
    };
  });

  const contexts: MatchContext[] = [0, 1, 2].map((k) =>
    createMatchContext({
      asOf: ['2025-06-30', '2024-02-29', '2023-03-01'][k]!,
      weights:
        k === 0
          ? undefined
          : {
              skills: rnd.int(0, 50),
              training: rnd.int(0, 20),
              partnership: rnd.int(0, 20),
              wage: rnd.int(0, 20),
              destination: rnd.int(0, 20),
              peers: rnd.int(1, 20),
              experience: rnd.int(0, 20) / 3,
            },
      workingAge: k === 2 ? { min: 18, maxMale: 64, maxFemale: 59 } : undefined,
      params:
        k === 2
          ? { experienceSaturationMonths: 36, peerSaturation: 5, destinationProvinceCredit: 0.33 }
          : undefined,
      partnerships: [
        { supportingCity: '440600', receivingArea: '513400' },
        { supportingCity: '330300', receivingArea: '511321' },
        { supportingCity: '330500', receivingArea: '511600' },
        { supportingCity: '441900', receivingArea: '510822' },
      ].filter(() => rnd.chance(0.8)),
      peerCounts: {
        'e-0': { '513431': rnd.int(0, 4), '511321': 1 },
        'e-2': { '510822': rnd.int(1, 7) },
      },
      programmes: {
        'P-a': { zh: 'A', en: 'A', skills: ['sewing', '质检'] },
        'P-b': { zh: 'B', en: 'B', skills: ['新技能甲'] },
        'P-c': { zh: 'C', en: 'C' },
      },
    }),
  );
  return { profiles, openings, contexts };
}

function referenceTop(profiles: MatchProfile[], opening: MatchOpening, ctx: MatchContext, n: number) {
  return profiles
    .map((p) => ({ profileId: p.id, r: score(p, opening, ctx) }))
    .filter((x) => x.r.eligible)
    .sort((a, b) => (ranksBefore(a.r.score, a.profileId, b.r.score, b.profileId) ? -1 : 1))
    .slice(0, n)
    .map((x) => ({ profileId: x.profileId, score: x.r.score }));
}

// Each property test scores tens of thousands of pairs through the reference score(): generous
// time limits, because the machines running CI are shared.
describe('the columnar kernel gives the same results as score()', { timeout: 120_000 }, () => {
  for (const seed of [1, 2, 3]) {
    it(`when random pairs are scored both ways (seed ${seed}), then eligibility, first exclusion and score are identical`, () => {
      const { profiles, openings, contexts } = randomWorld(seed, 400, 60);
      let compared = 0;
      let eligible = 0;
      for (const ctx of contexts) {
        const snapshot = new ProfileSnapshot(ctx.vocabulary, 32);
        for (const p of profiles) snapshot.upsert(p);
        for (const o of openings) {
          const co = snapshot.compile(o, ctx);
          for (const p of profiles) {
            const ref = score(p, o, ctx);
            const k = snapshot.evaluate(p.id, co);
            if (k === undefined) {
              // Only unavailable or non-consenting profiles are left out of the snapshot.
              expect(
                ref.excludedBy.includes('profile_not_available') ||
                  ref.excludedBy.includes('no_sensitive_data_consent'),
              ).toBe(true);
              continue;
            }
            compared++;
            if (ref.eligible) {
              eligible++;
              expect(k, `${p.id} × ${o.id}`).toBe(ref.score);
            } else {
              expect(exclusionOf(k), `${p.id} × ${o.id}`).toBe(ref.excludedBy[0]);
            }
          }
        }
      }
      expect(compared).toBeGreaterThan(50_000);
      expect(eligible).toBeGreaterThan(1_000);
    });
  }

  it('when every stored profile is scanned, then each row holds the same result as evaluate', () => {
    expect.hasAssertions();
    const { profiles, openings, contexts } = randomWorld(9, 300, 20);
    const ctx = contexts[1]!;
    const snapshot = new ProfileSnapshot(ctx.vocabulary);
    for (const p of profiles) snapshot.upsert(p);
    const capacity = snapshot.stats().capacity;
    const out = new Float64Array(capacity);
    const coded = new Float64Array(capacity);
    const rowOf = new Map<string, number>();
    for (let r = 0; r < capacity; r++) {
      const id = snapshot.idOfRow(r);
      if (id !== undefined) rowOf.set(id, r);
    }
    for (const o of openings) {
      const co = snapshot.compile(o, ctx);
      expect(snapshot.scanAll(co, out)).toBe(snapshot.size);
      snapshot.scanAll(co, coded, true);
      for (const id of snapshot.profileIds()) {
        const k = snapshot.evaluate(id, co)!;
        const row = rowOf.get(id)!;
        expect(coded[row]).toBe(k);
        expect(out[row]).toBe(k >= 0 ? k : -1);
      }
    }
  });

  it('when the top N is asked for, then it equals scoring everyone with score() and sorting by score then id', () => {
    expect.hasAssertions();
    const { profiles, openings, contexts } = randomWorld(4, 500, 40);
    for (const ctx of contexts) {
      const snapshot = new ProfileSnapshot(ctx.vocabulary);
      for (const p of profiles) snapshot.upsert(p);
      for (const o of openings) {
        for (const n of [1, 5, 20]) {
          expect(snapshot.topN(o, ctx, n)).toEqual(referenceTop(profiles, o, ctx, n));
        }
      }
    }
  });

  it('when realistic demo data is used, then topN and topOpeningsFor agree with score()', () => {
    expect.hasAssertions();
    const data = generateMatchingData({ seed: 11, profiles: 1500, openings: 40 });
    const ctx = createMatchContext(data.context);
    const snapshot = new ProfileSnapshot(ctx.vocabulary);
    for (const p of data.profiles) snapshot.upsert(p);
    for (const o of data.openings)
      expect(snapshot.topN(o, ctx, 10)).toEqual(referenceTop(data.profiles, o, ctx, 10));
    for (const p of data.profiles.slice(0, 100)) {
      const expected = data.openings
        .map((o) => ({ openingId: o.id, r: score(p, o, ctx) }))
        .filter((x) => x.r.eligible)
        .sort((a, b) => (ranksBefore(a.r.score, a.openingId, b.r.score, b.openingId) ? -1 : 1))
        .slice(0, 5)
        .map((x) => ({ openingId: x.openingId, score: x.r.score }));
      expect(topOpeningsFor(p, data.openings, ctx, 5)).toEqual(expected);
    }
  });
});

describe('the snapshot', { timeout: 60_000 }, () => {
  const ctx = aContext();

  it('when a profile is upserted, changed and removed, then the top N follows', () => {
    const s = new ProfileSnapshot(ctx.vocabulary);
    const o = anOpening();
    const p = aProfile({ id: 'a' });
    expect(s.upsert(p)).toBe('inserted');
    expect(s.topN(o, ctx, 5)).toEqual([{ profileId: 'a', score: 70 }]);
    expect(s.upsert({ ...p, skills: [{ code: 'sewing', level: 1 }] })).toBe('updated');
    expect(s.topN(o, ctx, 5)).toEqual([{ profileId: 'a', score: 52.5 }]);
    expect(s.upsert({ ...p, destinations: ['330000'] })).toBe('updated');
    expect(s.topN(o, ctx, 5)).toEqual([]);
    expect(s.upsert(p)).toBe('updated');
    expect(s.remove('a')).toBe(true);
    expect(s.topN(o, ctx, 5)).toEqual([]);
    expect(s.size).toBe(0);
    expect(s.remove('a')).toBe(false);
  });

  it('when consent is withdrawn or the person is placed, then the upsert removes the profile', () => {
    const s = new ProfileSnapshot(ctx.vocabulary);
    const p = aProfile({ id: 'b' });
    s.upsert(p);
    expect(s.upsert({ ...p, sensitiveDataConsent: false })).toBe('removed');
    expect(s.has('b')).toBe(false);
    expect(s.upsert({ ...p, status: 'placed' })).toBe('absent');
  });

  it('when changes arrive out of order, then an older version never overwrites a newer one', () => {
    const s = new ProfileSnapshot(ctx.vocabulary);
    const p = aProfile({ id: 'c', version: 3 });
    s.upsert(p);
    expect(s.upsert({ ...p, version: 2, skills: [] })).toBe('stale');
    expect(s.topN(anOpening(), ctx, 1)[0]?.score).toBe(70);
    s.remove('c', 5);
    expect(s.upsert({ ...p, version: 4 })).toBe('stale');
    expect(s.has('c')).toBe(false);
    expect(s.upsert({ ...p, version: 6 })).toBe('inserted');
  });

  it('when profiles bring new codes, then older compiled openings are refused and topN stays right', () => {
    const s = new ProfileSnapshot(ctx.vocabulary, 32);
    const o = anOpening({ skillsRequired: [{ code: '技能-40', level: 1 }] });
    s.upsert(aProfile({ id: 'x0' }));
    const co = s.compile(o, ctx);
    // Forty unknown skills widen every row's skill words several times over.
    const many = Array.from({ length: 40 }, (_, i) =>
      aProfile({ id: `x${i + 1}`, skills: [{ code: `技能-${i + 1}`, level: 1 }] }),
    );
    for (const p of many) s.upsert(p);
    expect(() => s.evaluate('x0', co)).toThrow(/stale/);
    // Only x40 holds the required skill: the others are excluded (no_required_skill).
    expect(s.topN(o, ctx, 3).map((r) => r.profileId)).toEqual(['x40']);
    for (const p of [aProfile({ id: 'x0' }), ...many]) {
      const ref = score(p, o, ctx);
      const k = s.evaluate(p.id, s.compile(o, ctx))!;
      if (ref.eligible) expect(k).toBe(ref.score);
      else expect(exclusionOf(k)).toBe(ref.excludedBy[0]);
    }
  });

  it('when many updates and removals churn the snapshot, then it still agrees with score()', () => {
    expect.hasAssertions();
    const { profiles, openings, contexts } = randomWorld(5, 300, 10);
    const c = contexts[0]!;
    const s = new ProfileSnapshot(c.vocabulary, 32);
    const rnd = new Random(99);
    const current = new Map<string, MatchProfile>();
    for (let step = 0; step < 3000; step++) {
      const p = rnd.pick(profiles);
      if (rnd.chance(0.2)) {
        s.remove(p.id);
        current.delete(p.id);
      } else {
        const changed = { ...p, skills: p.skills.slice(0, rnd.int(0, p.skills.length)) };
        s.upsert(changed);
        current.set(p.id, changed);
      }
    }
    const live = [...current.values()];
    for (const o of openings) expect(s.topN(o, c, 10)).toEqual(referenceTop(live, o, c, 10));
  });

  it('when any profile changes after compiling, then the compiled opening is refused as stale', () => {
    const s = new ProfileSnapshot(ctx.vocabulary);
    s.upsert(aProfile({ id: 'y0' }));
    const co = s.compile(anOpening(), ctx);
    expect(s.evaluate('y0', co)).toBe(70);
    s.upsert(aProfile({ id: 'y1', accommodationsNeeded: ['tactile_marking'] }));
    expect(() => s.scanAll(co, new Float64Array(64))).toThrow(/stale/);
    s.remove('y1');
    expect(() => s.evaluate('y0', co)).toThrow(/stale/);
  });

  it('when free-text needs outnumber the 64 mask bits and limitations are unknown terms, then results still match score()', () => {
    expect.hasAssertions();
    const s = new ProfileSnapshot(ctx.vocabulary, 32);
    const people = Array.from({ length: 80 }, (_, i) =>
      aProfile({
        id: `z${String(i).padStart(2, '0')}`,
        accommodationsNeeded: [`便利-${i}`, ...(i % 3 === 0 ? ['sign_language'] : [])],
        limitations: [`未知限制-${i}`, ...(i % 4 === 0 ? ['hearing_deaf'] : [])],
      }),
    );
    for (const p of people) s.upsert(p);
    const openings = [
      anOpening({ accommodationsOffered: ['便利-70', '便利-71', '便利-3', 'sign_language'] }),
      anOpening({ accommodationsOffered: ['便利-75', '便利-8'], demands: ['phone_verbal'] }),
      anOpening({ accommodationsOffered: Array.from({ length: 80 }, (_, i) => `便利-${i}`) }),
    ];
    for (const o of openings) {
      expect(s.topN(o, ctx, 100)).toEqual(referenceTop(people, o, ctx, 100));
      const co = s.compile(o, ctx);
      for (const p of people) {
        const ref = score(p, o, ctx);
        const k = s.evaluate(p.id, co)!;
        expect(ref.eligible ? k : exclusionOf(k)).toBe(ref.eligible ? ref.score : ref.excludedBy[0]);
      }
    }
  });

  it('when the context uses another vocabulary, then compile refuses', () => {
    const s = new ProfileSnapshot(ctx.vocabulary);
    const other = createMatchContext({ asOf: '2025-01-01', vocabulary: { ...vocab } });
    expect(() => s.compile(anOpening(), other)).toThrow(/vocabulary/);
  });
});
