import { describe, expect, it } from 'vitest';
import { generateMatchingData } from '../../../scripts/lib/generate/matching-data.js';
import { type ProfileSource, reportDimsOf, toMatchProfile } from '../../../src/modules/matching/adapters.js';
import { createMatchContext } from '../../../src/modules/matching/context.js';
import { explain } from '../../../src/modules/matching/explain.js';
import { score } from '../../../src/modules/matching/score.js';
import { ProfileSnapshot } from '../../../src/modules/matching/snapshot.js';
import { MATCH_PROFILE_FEATURES, type MatchProfile } from '../../../src/modules/matching/types.js';
import { aContext, anOpening, aProfile } from './factories.js';

const ctx = aContext();

describe('explain: the comparison chart', () => {
  it('when a deaf person meets a job needing hearing for safety that offers alarms and signing, then each requirement is shown met and why', () => {
    const p = aProfile({
      limitations: ['hearing_deaf'],
      accommodationsNeeded: ['sign_language'],
      minWage: 5000,
    });
    const o = anOpening({
      demands: ['hearing_safety'],
      accommodationsOffered: ['visual_alarms', 'sign_language'],
    });
    const e = explain(p, o, ctx);
    expect(e.eligible).toBe(true);
    expect(e.score).toBe(score(p, o, ctx).score);
    const row = (key: string) => e.rows.find((r) => r.key === key);
    expect(row('demand:hearing_safety')).toMatchObject({
      hard: true,
      met: true,
      requirement: { zh: '岗位要求：安全需要听觉（叉车、警报等）' },
      profile: { zh: '聋（手语或文字沟通）' },
      why: { zh: '有冲突，但岗位提供的视觉或振动报警装置可以缓解' },
    });
    expect(row('accommodation:sign_language')).toMatchObject({ hard: true, met: true });
    expect(row('skill:sewing')).toMatchObject({
      met: true,
      requirement: { zh: '技能：缝纫（熟练）' },
      profile: { zh: '缝纫（熟练）' },
    });
    expect(row('wage')).toMatchObject({ met: true, profile: { zh: '期望不低于5000元' } });
    expect(row('partnership')).toMatchObject({ met: true, why: { zh: '对口帮扶：佛山市—凉山州' } });
    expect(row('working_age')).toMatchObject({ met: true, profile: { zh: '30岁（男）' } });
  });

  it('when the same job offers nothing, then the chart shows which rows fail and what would mitigate', () => {
    const p = aProfile({ limitations: ['hearing_deaf'], accommodationsNeeded: ['sign_language'] });
    const e = explain(p, anOpening({ demands: ['hearing_safety'] }), ctx);
    expect(e.eligible).toBe(false);
    const failed = e.rows.filter((r) => r.met === false).map((r) => r.key);
    expect(failed).toEqual(['demand:hearing_safety', 'accommodation:sign_language']);
    expect(e.rows.find((r) => r.key === 'demand:hearing_safety')?.why.zh).toBe(
      '有冲突，岗位未提供可缓解的便利（提供视觉或振动报警装置即可缓解）',
    );
  });

  it('when a skill is held below the level, then the row is not met and gives the credit', () => {
    const e = explain(aProfile({ skills: [{ code: 'sewing', level: 1 }] }), anOpening(), ctx);
    expect(e.rows.find((r) => r.key === 'skill:sewing')).toMatchObject({
      met: false,
      hard: false,
      why: { zh: '低于要求，计50%' },
    });
  });
});

describe('fairness: disability category and level are not inputs of the score', () => {
  it('when listing the features the score reads, then none is a disability category, level or certificate', () => {
    expect.hasAssertions();
    for (const f of MATCH_PROFILE_FEATURES) expect(f).not.toMatch(/disab|categor|level|certif|残疾/i);
  });

  it('when category and level ride along on the input object, then the score, reasons and kernel results do not change', () => {
    expect.hasAssertions();
    const data = generateMatchingData({ seed: 7, profiles: 300, openings: 30 });
    const c = createMatchContext(data.context);
    const snapshot = new ProfileSnapshot(c.vocabulary);
    const withCategory = (p: MatchProfile, category: string, level: string) =>
      ({
        ...p,
        disabilityCategory: category,
        disabilityLevel: level,
        certificateNumber: 'x',
      }) as MatchProfile;
    for (const p of data.profiles.slice(0, 60)) {
      for (const o of data.openings.slice(0, 10)) {
        const plain = score(p, o, c);
        for (const category of ['1', '2', '3', '4', '5', '6', '7']) {
          expect(score(withCategory(p, category, category === '1' ? '1' : '4'), o, c)).toEqual(plain);
        }
      }
      snapshot.upsert(withCategory(p, '1', '1'));
      const co1 = data.openings.slice(0, 10).map((o) => snapshot.compile(o, c));
      const first = co1.map((co) => snapshot.evaluate(p.id, co));
      snapshot.upsert(withCategory(p, '6', '4'));
      const co2 = data.openings.slice(0, 10).map((o) => snapshot.compile(o, c));
      expect(co2.map((co) => snapshot.evaluate(p.id, co))).toEqual(first);
    }
  });

  it('when demo data is generated, then no profile carries a category or level (they are kept apart for reports)', () => {
    const data = generateMatchingData({ seed: 3, profiles: 200, openings: 5 });
    for (const p of data.profiles) {
      expect(Object.keys(p).sort()).toEqual([...MATCH_PROFILE_FEATURES].sort());
    }
    expect(data.disability.size).toBe(200);
  });

  it('when two profiles differ only in category and level, then the adapter gives the engine the same input, and the report dims apart from it', () => {
    const source = (
      category: string,
      level: string,
    ): ProfileSource & {
      disabilityCategory: string;
      disabilityLevel: string;
    } => ({
      id: 'p1',
      version: 3,
      status: 'available',
      sex: 'female',
      birthDate: '1994-02-03',
      originCode: '513401',
      regionPath: ['510000', '513400', '513401'],
      functionalLimitations: ['standing'],
      accommodationsNeeded: ['seated_workstation'],
      skills: [{ code: 'sewing', level: '2' }],
      training: [],
      experience: [],
      preferences: { destinationCodes: ['440600'], minimumWage: 3500 },
      exclusionReasons: [],
      disabilityCategory: category,
      disabilityLevel: level,
    });
    const physical = source('4', '3');
    const visual = source('1', '1');
    expect(toMatchProfile(visual)).toEqual(toMatchProfile(physical));
    expect(JSON.stringify(toMatchProfile(visual))).not.toMatch(/disab|categor/i);
    const o = anOpening({ accommodationsOffered: ['seated_workstation'] });
    expect(score(toMatchProfile(visual), o, ctx)).toEqual(score(toMatchProfile(physical), o, ctx));
    expect(reportDimsOf(physical)).toEqual({ profileCategory: '4', profileLevel: '3' });
    expect(reportDimsOf(visual)).toEqual({ profileCategory: '1', profileLevel: '1' });
  });
});
