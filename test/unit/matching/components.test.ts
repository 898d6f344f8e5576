import { describe, expect, it } from 'vitest';
import { ALGORITHM_VERSION, score } from '../../../src/modules/matching/score.js';
import type { ComponentKey, MatchScore } from '../../../src/modules/matching/types.js';
import { aContext, anOpening, aProfile } from './factories.js';

const ctx = aContext();

function component(r: MatchScore, key: ComponentKey) {
  const c = r.components.find((x) => x.key === key);
  if (!c) throw new Error(`no component ${key}`);
  return c;
}

function codes(r: MatchScore) {
  return r.reasons.map((x) => x.code);
}

describe('soft components', () => {
  it('when scored, then the components come in a fixed order and their points add up to the score', () => {
    const r = score(aProfile(), anOpening(), ctx);
    expect(r.algorithmVersion).toBe(ALGORITHM_VERSION);
    expect(r.components.map((c) => c.key)).toEqual([
      'skills',
      'training',
      'partnership',
      'wage',
      'destination',
      'peers',
      'experience',
    ]);
    // skills 35 + training 0 + partnership 15 + wage 10 + destination 10 + peers 0 + experience 0
    expect(r.score).toBe(70);
    const sum = r.components.reduce((a, c) => a + Math.round(c.points * 100), 0) / 100;
    expect(sum).toBe(r.score);
  });

  describe('skills', () => {
    it('when the person holds the skill at the required level or above, then full credit and a reason with the level', () => {
      const r = score(aProfile({ skills: [{ code: 'sewing', level: 3 }] }), anOpening(), ctx);
      expect(component(r, 'skills')).toMatchObject({ value: 1, points: 35 });
      expect(r.reasons.find((x) => x.code === 'skill_met')?.zh).toBe('具备所需技能：缝纫（精通或持证）');
    });

    it('when the level is below the requirement, then partial credit in proportion', () => {
      const r = score(aProfile({ skills: [{ code: 'sewing', level: 1 }] }), anOpening(), ctx);
      expect(component(r, 'skills')).toMatchObject({ value: 0.5, points: 17.5 });
      expect(r.reasons.find((x) => x.code === 'skill_below_level')?.zh).toBe(
        '具备技能：缝纫（入门），岗位要求熟练',
      );
    });

    it('when the skill is recorded under a synonym, then it counts as the skill', () => {
      const r = score(aProfile({ skills: [{ code: '平车工', level: 2 }] }), anOpening(), ctx);
      expect(component(r, 'skills').value).toBe(1);
      expect(r.reasons.find((x) => x.code === 'skill_met')?.zh).toBe('具备所需技能：缝纫（熟练）');
    });

    it('when one of two required skills is missing, then the credits are averaged and the missing one named', () => {
      const o = anOpening({
        skillsRequired: [
          { code: 'sewing', level: 2 },
          { code: 'qc_inspection', level: 1 },
        ],
      });
      const r = score(aProfile(), o, ctx);
      expect(component(r, 'skills').value).toBe(0.5);
      expect(r.reasons.find((x) => x.code === 'skill_missing')?.zh).toBe('缺少所需技能：质量检验（入门）');
    });

    it('when the opening requires no skill, then everyone gets full credit', () => {
      const r = score(aProfile({ skills: [] }), anOpening({ skillsRequired: [] }), ctx);
      expect(component(r, 'skills').value).toBe(1);
    });
  });

  describe('training', () => {
    const prefers = anOpening({ preferredTraining: ['P-sewing'] });

    it('when the preferred training was delivered under the partnership, then full credit', () => {
      const p = aProfile({ training: [{ programme: 'P-sewing', underPartnership: true }] });
      const r = score(p, prefers, ctx);
      expect(component(r, 'training')).toMatchObject({ value: 1, points: 10 });
      expect(r.reasons.find((x) => x.code === 'training_preferred')?.zh).toBe(
        '已完成岗位优先的培训：缝纫工培训班，对口帮扶培训',
      );
    });

    it('when the same training was delivered outside the partnership, then less credit', () => {
      const p = aProfile({ training: [{ programme: 'P-sewing', underPartnership: false }] });
      expect(component(score(p, prefers, ctx), 'training').value).toBe(0.6);
    });

    it('when a training teaches a required skill but is not the preferred one, then related credit', () => {
      const p = aProfile({ training: [{ programme: 'P-sewing', underPartnership: true }] });
      const r = score(p, anOpening(), ctx);
      expect(component(r, 'training').value).toBe(0.7);
      expect(r.reasons.find((x) => x.code === 'training_related')?.zh).toBe(
        '已完成相关培训：缝纫工培训班（涵盖缝纫，对口帮扶培训）',
      );
      const outside = aProfile({ training: [{ programme: 'P-sewing', underPartnership: false }] });
      expect(component(score(outside, anOpening(), ctx), 'training').value).toBeCloseTo(0.42, 10);
    });

    it('when the person lacks the preferred training, then no credit and the reason names it', () => {
      const r = score(
        aProfile({ training: [{ programme: 'P-massage', underPartnership: true }] }),
        prefers,
        ctx,
      );
      expect(component(r, 'training').value).toBe(0);
      expect(r.reasons.find((x) => x.code === 'training_missing')?.zh).toBe(
        '未完成岗位优先的培训：缝纫工培训班',
      );
    });

    it('when the opening neither prefers training nor requires a skill, then training cannot matter', () => {
      const r = score(aProfile(), anOpening({ skillsRequired: [] }), ctx);
      expect(component(r, 'training').value).toBe(1);
    });
  });

  describe('partnership pair', () => {
    it('when the person’s prefecture is paired with the opening’s city, then full credit and the pair named', () => {
      const r = score(aProfile({ originCounty: '513431' }), anOpening({ city: '440600' }), ctx);
      expect(component(r, 'partnership').value).toBe(1);
      expect(r.reasons.find((x) => x.code === 'partnership_pair')).toMatchObject({
        zh: '对口帮扶：佛山市—凉山州',
        en: 'Partnership pair: Foshan – Liangshan',
      });
    });

    it('when the pairing is at county level, then only that county counts', () => {
      const wenzhou = anOpening({ city: '330300' });
      const nanbu = score(aProfile({ originCounty: '511321' }), wenzhou, ctx);
      expect(component(nanbu, 'partnership').value).toBe(1);
      expect(nanbu.reasons.find((x) => x.code === 'partnership_pair')?.zh).toBe('对口帮扶：温州市—南部县');
      expect(component(score(aProfile({ originCounty: '511302' }), wenzhou, ctx), 'partnership').value).toBe(
        0,
      );
    });

    it('when there is no pairing, then no credit', () => {
      const r = score(aProfile({ originCounty: '511321' }), anOpening({ city: '440600' }), ctx);
      expect(component(r, 'partnership').value).toBe(0);
      expect(codes(r)).not.toContain('partnership_pair');
    });

    it('when there is no pairing, then the reason says the origin is not paired with the workplace’s city', () => {
      const r = score(aProfile({ originCounty: '511321' }), anOpening({ city: '440600' }), ctx);
      const reason = r.reasons.find((x) => x.code === 'partnership_not_paired');
      expect(reason).toMatchObject({ kind: 'minus', about: 'partnership' });
      expect(reason?.zh).toMatch(/^.+与工作地佛山市不是对口帮扶关系$/);
      expect(reason?.en).toMatch(/ is not paired with the workplace's city, Foshan$/);
    });
  });

  describe('wage against expectation', () => {
    it('when no expectation is recorded, then full credit', () => {
      expect(component(score(aProfile({ minWage: null }), anOpening(), ctx), 'wage').value).toBe(1);
    });

    it('when even the bottom of the range meets it, then full credit', () => {
      const r = score(aProfile({ minWage: 4000 }), anOpening(), ctx);
      expect(component(r, 'wage').value).toBe(1);
      expect(r.reasons.find((x) => x.code === 'wage_meets_expectation')?.zh).toBe(
        '岗位月薪4000–6000元，不低于期望的4000元',
      );
    });

    it('when only part of the range meets it, then half the credit for reaching it plus half the share of the range at or above it', () => {
      const r = score(aProfile({ minWage: 5500 }), anOpening(), ctx);
      expect(component(r, 'wage').value).toBe(0.625);
      const reason = r.reasons.find((x) => x.code === 'wage_partly_below_expectation');
      expect(reason?.zh).toBe('岗位月薪4000–6000元，期望的5500元在区间内：5500–6000元（区间的25%）达到期望');
      expect(reason?.en).toBe(
        'Pays ¥4000–6000 a month; the expected ¥5500 lies within the range: ¥5500–6000 (25% of the range) meets it',
      );
    });

    it('when the maximum equals the expectation, then the credit for reaching it and a reason that says only the top reaches it', () => {
      const r = score(aProfile({ minWage: 6000 }), anOpening(), ctx);
      expect(r.eligible).toBe(true);
      expect(component(r, 'wage').value).toBe(0.5);
      expect(component(r, 'wage').points).toBe(5);
      const reason = r.reasons.find((x) => x.code === 'wage_partly_below_expectation');
      expect(reason?.zh).toBe('岗位月薪4000–6000元，仅上限达到期望的6000元');
      expect(reason?.en).toBe(
        'Pays ¥4000–6000 a month; only the top of the range reaches the expected ¥6000',
      );
    });

    it('when the minimum equals the expectation, then full credit', () => {
      const r = score(aProfile({ minWage: 4000 }), anOpening(), ctx);
      expect(component(r, 'wage').value).toBe(1);
      expect(codes(r)).not.toContain('wage_partly_below_expectation');
    });

    it('when the maximum is below the expectation, then the pair is excluded and the component gives nothing', () => {
      const r = score(aProfile({ minWage: 6001 }), anOpening(), ctx);
      expect(r.eligible).toBe(false);
      expect(component(r, 'wage').value).toBe(0);
      expect(codes(r)).toContain('wage_expectation_above_max');
    });

    it('when the range is a single wage equal to the expectation, then full credit', () => {
      const r = score(aProfile({ minWage: 5000 }), anOpening({ wageMin: 5000, wageMax: 5000 }), ctx);
      expect(component(r, 'wage').value).toBe(1);
    });
  });

  describe('preferred destination', () => {
    it('when the person named the city, then full credit', () => {
      const r = score(aProfile({ destinations: ['440600'] }), anOpening(), ctx);
      expect(component(r, 'destination').value).toBe(1);
      expect(r.reasons.find((x) => x.code === 'destination_city')?.zh).toBe('工作地佛山市是求职者的意向城市');
    });

    it('when the person named only the province, then partial credit', () => {
      const r = score(aProfile({ destinations: ['440000'] }), anOpening(), ctx);
      expect(component(r, 'destination').value).toBe(0.6);
      expect(r.reasons.find((x) => x.code === 'destination_province')?.zh).toBe(
        '工作地在求职者的意向省份广东省',
      );
    });

    it('when the person accepts anywhere, then full credit', () => {
      expect(component(score(aProfile({ destinations: [] }), anOpening(), ctx), 'destination').value).toBe(1);
    });
  });

  describe('peers from the same county at the employer', () => {
    const withPeers = (n: number) => aContext({ peerCounts: { 'emp-1': { '513431': n } } });

    it('when nobody from the county is there, then no credit', () => {
      expect(component(score(aProfile(), anOpening(), withPeers(0)), 'peers').value).toBe(0);
    });

    it('when some are, then credit grows with them up to the saturation (3)', () => {
      expect(component(score(aProfile(), anOpening(), withPeers(1)), 'peers').value).toBeCloseTo(1 / 3, 12);
      expect(component(score(aProfile(), anOpening(), withPeers(3)), 'peers').value).toBe(1);
      const r = score(aProfile(), anOpening(), withPeers(5));
      expect(component(r, 'peers').value).toBe(1);
      expect(r.reasons.find((x) => x.code === 'peers_at_employer')?.zh).toBe(
        '同县（昭觉县）已有5人在该企业就业或已被推荐',
      );
    });

    it('when the peers are at another employer, then they do not count', () => {
      expect(
        component(score(aProfile(), anOpening({ employerId: 'emp-2' }), withPeers(3)), 'peers').value,
      ).toBe(0);
    });
  });

  describe('experience', () => {
    it('when the person has experience in a required skill, then it counts fully up to 24 months', () => {
      const r = score(aProfile({ experience: [{ skill: 'sewing', months: 12 }] }), anOpening(), ctx);
      expect(component(r, 'experience').value).toBe(0.5);
      expect(r.reasons.find((x) => x.code === 'experience_relevant')?.zh).toBe(
        '有相关工作经验：缝纫，共12个月',
      );
      const long = score(aProfile({ experience: [{ skill: '车缝', months: 40 }] }), anOpening(), ctx);
      expect(component(long, 'experience').value).toBe(1);
    });

    it('when the experience is in something else, then it counts at half', () => {
      const r = score(aProfile({ experience: [{ skill: 'cleaning', months: 24 }] }), anOpening(), ctx);
      expect(component(r, 'experience').value).toBe(0.5);
      expect(codes(r)).toContain('experience_other');
    });

    it('when there is none, then no credit', () => {
      expect(component(score(aProfile(), anOpening(), ctx), 'experience').value).toBe(0);
    });
  });

  describe('weights', () => {
    it('when weights are configured, then they are normalised to 100 points', () => {
      const c = aContext({
        weights: { skills: 1, training: 0, partnership: 0, wage: 0, destination: 0, peers: 0, experience: 0 },
      });
      const r = score(aProfile({ skills: [{ code: 'sewing', level: 1 }] }), anOpening(), c);
      expect(component(r, 'skills')).toMatchObject({ weight: 100, value: 0.5, points: 50 });
      expect(r.score).toBe(50);
    });

    it('when only some weights are given, then the others keep their defaults', () => {
      const c = aContext({ weights: { peers: 0 } });
      expect(component(score(aProfile(), anOpening(), c), 'skills').weight).toBeCloseTo((35 / 90) * 100, 10);
    });

    it('when a weight is negative or all are zero, then the context refuses it', () => {
      expect(() => aContext({ weights: { skills: -1 } })).toThrow(/skills/);
      expect(() =>
        aContext({
          weights: {
            skills: 0,
            training: 0,
            partnership: 0,
            wage: 0,
            destination: 0,
            peers: 0,
            experience: 0,
          },
        }),
      ).toThrow(/positive/);
    });
  });

  it('when the same inputs are scored twice, then the results are identical (pure and deterministic)', () => {
    const p = aProfile({ limitations: ['standing'], experience: [{ skill: 'sewing', months: 7 }] });
    const o = anOpening({ demands: ['standing_long'], accommodationsOffered: ['seated_workstation'] });
    expect(score(p, o, ctx)).toEqual(score(p, o, ctx));
  });

  it('when scored, then the inputs are not modified', () => {
    const p = aProfile({ accommodationsNeeded: ['accessible_dorm'] });
    const o = anOpening({ accessibleDormitory: true });
    const before = JSON.stringify([p, o]);
    score(p, o, ctx);
    expect(JSON.stringify([p, o])).toBe(before);
  });
});
