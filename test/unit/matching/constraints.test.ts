import { describe, expect, it } from 'vitest';
import { score } from '../../../src/modules/matching/score.js';
import type { MatchScore } from '../../../src/modules/matching/types.js';
import { aContext, anOpening, aProfile } from './factories.js';

const ctx = aContext();

function reasons(r: MatchScore, code: string) {
  return r.reasons.filter((x) => x.code === code);
}

describe('hard constraints', () => {
  it('when every constraint holds, then the pair is eligible and nothing excludes it', () => {
    const r = score(aProfile(), anOpening(), ctx);
    expect(r.eligible).toBe(true);
    expect(r.excludedBy).toEqual([]);
    expect(r.reasons.filter((x) => x.kind === 'exclusion')).toEqual([]);
  });

  it('when the opening is not open, then the pair is excluded with opening_not_open', () => {
    // The status in words, never the raw code.
    expect.hasAssertions();
    const words = { draft: '草稿', paused: '已暂停', closed: '已关闭', filled: '已招满' };
    for (const [status, zh] of Object.entries(words)) {
      const r = score(aProfile(), anOpening({ status }), ctx);
      expect(r.eligible).toBe(false);
      expect(r.score).toBe(0);
      expect(r.excludedBy).toEqual(['opening_not_open']);
      expect(reasons(r, 'opening_not_open')[0]?.zh).toContain(zh);
      expect(reasons(r, 'opening_not_open')[0]?.en).toContain(status);
    }
  });

  it('when the opening has no headcount left, then the pair is excluded with opening_full', () => {
    const r = score(aProfile(), anOpening({ headcount: 3, filled: 3 }), ctx);
    expect(r.excludedBy).toEqual(['opening_full']);
    expect(reasons(r, 'opening_full')[0]?.zh).toBe('岗位已招满（3/3）');
    expect(score(aProfile(), anOpening({ headcount: 3, filled: 2 }), ctx).eligible).toBe(true);
  });

  it('when the job seeker is not available, then the pair is excluded with profile_not_available', () => {
    expect.hasAssertions();
    for (const status of ['in_process', 'placed', 'inactive']) {
      expect(score(aProfile({ status }), anOpening(), ctx).excludedBy).toEqual(['profile_not_available']);
    }
  });

  it('when no consent to process sensitive data is recorded, then the pair is excluded', () => {
    const r = score(aProfile({ sensitiveDataConsent: false }), anOpening(), ctx);
    expect(r.excludedBy).toEqual(['no_sensitive_data_consent']);
    expect(reasons(r, 'no_sensitive_data_consent')[0]?.zh).toBe('尚未记录处理敏感个人信息的同意');
  });

  describe('working age (men 16–59, women 16–54 by default)', () => {
    const cases: [string, 'male' | 'female', boolean][] = [
      ['2009-06-30', 'male', true], // 16 today
      ['2009-07-01', 'male', false], // 16 tomorrow
      ['1965-07-01', 'male', true], // 59, turns 60 tomorrow
      ['1965-06-30', 'male', false], // 60 today
      ['1970-07-01', 'female', true], // 54
      ['1970-06-30', 'female', false], // 55 today
      ['1970-06-30', 'male', true], // 55 is working age for a man
      ['not-a-date', 'male', false],
    ];
    for (const [birthDate, sex, ok] of cases) {
      it(`when a ${sex} was born ${birthDate} (as of 2025-06-30), then eligible is ${ok}`, () => {
        const r = score(aProfile({ birthDate, sex }), anOpening(), ctx);
        expect(r.eligible).toBe(ok);
        if (!ok) expect(r.excludedBy).toEqual(['outside_working_age']);
      });
    }

    it('when born on 29 February, then the birthday counts from 1 March in common years', () => {
      const feb29 = aProfile({ birthDate: '2008-02-29' });
      expect(score(feb29, anOpening(), aContext({ asOf: '2024-02-28' })).eligible).toBe(false);
      expect(score(feb29, anOpening(), aContext({ asOf: '2024-02-29' })).eligible).toBe(true);
      const feb29b = aProfile({ birthDate: '2009-03-01' });
      expect(score(feb29b, anOpening(), aContext({ asOf: '2025-02-28' })).eligible).toBe(false);
      expect(score(feb29b, anOpening(), aContext({ asOf: '2025-03-01' })).eligible).toBe(true);
    });

    it('when the bounds are configured, then they apply and the reason states them', () => {
      const c = aContext({ workingAge: { maxMale: 64 } });
      expect(score(aProfile({ birthDate: '1962-01-01' }), anOpening(), c).eligible).toBe(true);
      const r = score(aProfile({ birthDate: '1962-01-01' }), anOpening(), ctx);
      expect(reasons(r, 'outside_working_age')[0]?.zh).toBe('63岁，不在劳动年龄段（16–59岁）');
    });
  });

  describe('destination', () => {
    it('when the person named no destination, then any city is acceptable', () => {
      expect(score(aProfile({ destinations: [] }), anOpening(), ctx).eligible).toBe(true);
    });

    it('when the person named only another province, then the pair is excluded and the reason names both', () => {
      const r = score(aProfile({ destinations: ['330000'] }), anOpening({ city: '440600' }), ctx);
      expect(r.excludedBy).toEqual(['destination_not_acceptable']);
      expect(reasons(r, 'destination_not_acceptable')[0]?.zh).toBe(
        '工作地佛山市不在求职者可接受的地区（浙江省）',
      );
    });

    it('when the person named the province or the city, then it is acceptable', () => {
      expect(score(aProfile({ destinations: ['440000'] }), anOpening(), ctx).eligible).toBe(true);
      expect(score(aProfile({ destinations: ['440600'] }), anOpening(), ctx).eligible).toBe(true);
      // A district or county code stands for its city.
      expect(score(aProfile({ destinations: ['440606'] }), anOpening(), ctx).eligible).toBe(true);
      expect(score(aProfile({ destinations: ['330300'] }), anOpening(), ctx).eligible).toBe(false);
    });
  });

  describe('wage expectation', () => {
    it('when the minimum expected is above the opening maximum, then the pair is excluded', () => {
      const r = score(aProfile({ minWage: 6001 }), anOpening({ wageMax: 6000 }), ctx);
      expect(r.excludedBy).toEqual(['wage_expectation_above_max']);
      expect(reasons(r, 'wage_expectation_above_max')[0]?.zh).toBe(
        '期望月薪不低于6001元，高于岗位最高月薪6000元',
      );
    });

    it('when the minimum expected equals the opening maximum, then it is acceptable', () => {
      expect(score(aProfile({ minWage: 6000 }), anOpening({ wageMax: 6000 }), ctx).eligible).toBe(true);
    });
  });

  describe('accommodations needed', () => {
    it('when a needed accommodation is not offered, then the pair is excluded, one reason per missing support', () => {
      const p = aProfile({ accommodationsNeeded: ['sign_language', 'step_free'] });
      const r = score(p, anOpening({ accommodationsOffered: ['step_free'] }), ctx);
      expect(r.excludedBy).toEqual(['accommodation_not_offered']);
      expect(reasons(r, 'accommodation_not_offered').map((x) => x.zh)).toEqual([
        '需要手语翻译或会手语的主管同事，但岗位未提供',
      ]);
      expect(reasons(r, 'accommodation_offered').map((x) => x.params.accommodation)).toEqual(['step_free']);
    });

    it('when every needed accommodation is offered (named by label or synonym), then it is acceptable', () => {
      const p = aProfile({ accommodationsNeeded: ['手语', '坡道'] });
      const r = score(p, anOpening({ accommodationsOffered: ['sign_language', 'step_free', 'buddy'] }), ctx);
      expect(r.eligible).toBe(true);
      expect(reasons(r, 'accommodation_offered')).toHaveLength(2);
    });
  });

  describe('job demands against functional limitations', () => {
    it('when a demand conflicts with a limitation and nothing mitigates it, then the pair is excluded', () => {
      const p = aProfile({ limitations: ['mobility_wheelchair'] });
      const r = score(p, anOpening({ demands: ['stairs'] }), ctx);
      expect(r.excludedBy).toEqual(['demand_conflict']);
      expect(reasons(r, 'demand_conflict')[0]?.zh).toBe(
        '岗位要求“需上下楼梯（无电梯）”，与“使用轮椅”冲突，岗位未提供可缓解的便利（提供无障碍通道（坡道、电梯）即可缓解）',
      );
    });

    it('when an offered accommodation mitigates the conflict, then it is acceptable and the reason says how', () => {
      const p = aProfile({ limitations: ['mobility_wheelchair'] });
      const r = score(p, anOpening({ demands: ['stairs'], accommodationsOffered: ['step_free'] }), ctx);
      expect(r.eligible).toBe(true);
      expect(reasons(r, 'conflict_mitigated')[0]?.zh).toBe(
        '岗位要求“需上下楼梯（无电梯）”，与“使用轮椅”冲突，岗位提供的无障碍通道（坡道、电梯）可以缓解',
      );
    });

    it('when a mitigation needs a set of accommodations, then every one of the set must be offered', () => {
      const p = aProfile({ limitations: ['cognitive_complex'] });
      const one = anOpening({ demands: ['multi_step'], accommodationsOffered: ['job_coach'] });
      const both = anOpening({
        demands: ['multi_step'],
        accommodationsOffered: ['job_coach', 'task_breakdown'],
      });
      expect(score(p, one, ctx).excludedBy).toEqual(['demand_conflict']);
      expect(score(p, both, ctx).eligible).toBe(true);
    });

    it('when the table offers alternatives, then any one fully offered set mitigates', () => {
      const p = aProfile({ limitations: ['vision_blind'] });
      expect(
        score(p, anOpening({ demands: ['reading_print'], accommodationsOffered: ['tactile_marking'] }), ctx)
          .eligible,
      ).toBe(true);
    });

    it('when nothing can mitigate a conflict, then offering every accommodation does not help', () => {
      const p = aProfile({ limitations: ['hearing_deaf'] });
      const all = ctx.vocabulary.accommodations.codes;
      const r = score(p, anOpening({ demands: ['phone_verbal'], accommodationsOffered: all }), ctx);
      expect(r.excludedBy).toEqual(['demand_conflict']);
      expect(reasons(r, 'demand_conflict')[0]?.zh).toBe(
        '岗位要求“需电话或口头沟通”，与“聋（手语或文字沟通）”冲突，且没有便利措施可以缓解',
      );
    });

    it('when a demand does not conflict with any limitation, then it does not matter', () => {
      const p = aProfile({ limitations: ['hearing_deaf'] });
      expect(score(p, anOpening({ demands: ['standing_long', 'fine_motor'] }), ctx).eligible).toBe(true);
    });
  });

  describe('acceptance: a deaf job seeker and a job needing hearing for safety', () => {
    const deaf = aProfile({ limitations: ['hearing_deaf'], accommodationsNeeded: ['sign_language'] });

    it('when the job offers nothing, then the pair is excluded, naming the conflict and the missing support', () => {
      const r = score(deaf, anOpening({ demands: ['hearing_safety'] }), ctx);
      expect(r.eligible).toBe(false);
      expect(r.excludedBy).toEqual(['accommodation_not_offered', 'demand_conflict']);
      expect(r.reasons.map((x) => x.zh)).toEqual(
        expect.arrayContaining([
          '需要手语翻译或会手语的主管同事，但岗位未提供',
          '岗位要求“安全需要听觉（叉车、警报等）”，与“聋（手语或文字沟通）”冲突，岗位未提供可缓解的便利（提供视觉或振动报警装置即可缓解）',
        ]),
      );
    });

    it('when the same job offers visual alarms and sign-language support, then it is eligible with both reasons shown', () => {
      const r = score(
        deaf,
        anOpening({ demands: ['hearing_safety'], accommodationsOffered: ['visual_alarms', 'sign_language'] }),
        ctx,
      );
      expect(r.eligible).toBe(true);
      const supports = r.reasons.filter((x) => x.kind === 'support');
      expect(supports.map((x) => x.zh)).toEqual([
        '岗位提供所需便利：手语翻译或会手语的主管同事',
        '岗位要求“安全需要听觉（叉车、警报等）”，与“聋（手语或文字沟通）”冲突，岗位提供的视觉或振动报警装置可以缓解',
      ]);
      expect(supports.map((x) => x.en)).toEqual([
        'The opening offers a needed support: sign-language interpreter or signing supervisor',
        'The job needs "hearing needed for safety (forklifts, alarms)", which conflicts with "deaf (sign language or text)"; the visual or vibrating alarms it offers mitigate this',
      ]);
    });
  });

  describe('accessible dormitory', () => {
    const needs = aProfile({ needsDormitory: true, needsAccessibleDormitory: true });

    it('when the person needs an accessible dormitory and the opening has none, then the pair is excluded', () => {
      const r = score(needs, anOpening({ dormitory: true, accessibleDormitory: false }), ctx);
      expect(r.excludedBy).toEqual(['accessible_dormitory_missing']);
      expect(reasons(r, 'accessible_dormitory_missing')[0]?.zh).toBe('需要无障碍宿舍，但岗位未提供');
    });

    it('when the opening has one, then it is acceptable and the reason says so', () => {
      const r = score(needs, anOpening({ accessibleDormitory: true }), ctx);
      expect(r.eligible).toBe(true);
      expect(reasons(r, 'accessible_dormitory_offered')[0]?.zh).toBe('岗位提供无障碍宿舍');
    });

    it('when the need is recorded as the accommodation code, then it is the same constraint, reported once', () => {
      const p = aProfile({ accommodationsNeeded: ['accessible_dorm'] });
      const r = score(p, anOpening(), ctx);
      expect(r.excludedBy).toEqual(['accessible_dormitory_missing']);
      expect(r.reasons.filter((x) => x.kind === 'exclusion')).toHaveLength(1);
      expect(score(p, anOpening({ accommodationsOffered: ['accessible_dorm'] }), ctx).eligible).toBe(true);
    });

    it('when the person needs an ordinary dormitory the opening lacks, then it is a note, not an exclusion', () => {
      const r = score(aProfile({ needsDormitory: true }), anOpening({ dormitory: false }), ctx);
      expect(r.eligible).toBe(true);
      expect(reasons(r, 'dormitory_not_offered')[0]).toMatchObject({
        kind: 'note',
        zh: '需要宿舍，但岗位未提供宿舍',
      });
    });
  });

  it('when several constraints fail, then every one is recorded in a fixed order and the score is 0', () => {
    const r = score(
      aProfile({
        status: 'placed',
        minWage: 9000,
        destinations: ['330000'],
        accommodationsNeeded: ['job_coach'],
      }),
      anOpening({ status: 'paused' }),
      ctx,
    );
    expect(r.excludedBy).toEqual([
      'opening_not_open',
      'profile_not_available',
      'destination_not_acceptable',
      'wage_expectation_above_max',
      'accommodation_not_offered',
    ]);
    expect(r.score).toBe(0);
    expect(r.components).toHaveLength(7);
  });
});

describe('a required skill or related training (no_required_skill)', () => {
  const opening = anOpening({ skillsRequired: [{ code: 'sewing', level: 2 }] });

  it('when the person has none of the required skills and no related training, then the pair is excluded and says why', () => {
    const r = score(aProfile({ skills: [{ code: 'massage', level: 3 }] }), opening, ctx);
    expect(r.eligible).toBe(false);
    expect(r.score).toBe(0);
    expect(r.excludedBy).toEqual(['no_required_skill']);
    expect(reasons(r, 'no_required_skill')[0]).toMatchObject({
      kind: 'exclusion',
      zh: '不具备岗位所需的任何技能（缝纫），也没有相关培训',
      en: 'Has none of the required skills (sewing) and no related training',
    });
  });

  it('when the person holds a required skill below its level, then the pair stays eligible', () => {
    const r = score(aProfile({ skills: [{ code: 'sewing', level: 1 }] }), opening, ctx);
    expect(r.eligible).toBe(true);
  });

  it('when the person has no required skill but related training, then the pair stays eligible', () => {
    const p = aProfile({ skills: [], training: [{ programme: 'P-sewing', underPartnership: false }] });
    expect(score(p, opening, ctx).eligible).toBe(true);
  });

  it('when the person has the opening’s preferred training only, then the pair stays eligible', () => {
    const p = aProfile({ skills: [], training: [{ programme: 'P-massage', underPartnership: true }] });
    expect(score(p, anOpening({ ...opening, preferredTraining: ['P-massage'] }), ctx).eligible).toBe(true);
  });

  it('when the opening requires no skill, then nobody is excluded for lacking one', () => {
    const r = score(aProfile({ skills: [] }), anOpening({ skillsRequired: [] }), ctx);
    expect(r.eligible).toBe(true);
  });
});
