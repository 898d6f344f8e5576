import { describe, expect, it } from 'vitest';
import { generateMatchingData } from '../../../scripts/lib/generate/matching-data.js';
import rawVocabulary from '../../../src/data/vocabularies.json' with { type: 'json' };
import {
  compileVocabulary,
  defaultVocabulary,
  type RawVocabulary,
} from '../../../src/modules/matching/vocabulary.js';

const raw = rawVocabulary as RawVocabulary;

describe('matching vocabulary', () => {
  it('when the seed vocabulary is compiled, then every mitigation-table pair is a conflict and nothing else is', () => {
    const v = defaultVocabulary();
    expect(v.conflicts).toHaveLength(raw.mitigations.length);
    for (const m of raw.mitigations) expect(v.conflict(m.limitation, m.demand)?.anyOf).toEqual(m.anyOf);
    let pairs = 0;
    for (const l of v.limitations.codes) {
      for (const d of v.demands.codes) if (v.conflict(l, d)) pairs++;
    }
    expect(pairs).toBe(raw.mitigations.length);
    expect(v.conflict('hearing_deaf', 'standing_long')).toBeUndefined();
  });

  it('when free text is a label or a synonym, then it resolves to the code; unknown text stays as written', () => {
    const v = defaultVocabulary();
    expect(v.skills.canonical('平车工')).toBe('sewing');
    expect(v.skills.canonical(' 缝纫 ')).toBe('sewing');
    expect(v.skills.canonical('CNC')).toBe('cnc');
    expect(v.skills.canonical('cnc')).toBe('cnc');
    expect(v.accommodations.canonical('手语')).toBe('sign_language');
    expect(v.limitations.canonical('聋哑')).toBe('hearing_deaf');
    expect(v.skills.canonical('无人机驾驶')).toBe('无人机驾驶');
    expect(v.skills.label('sewing')).toEqual({ zh: '缝纫', en: 'sewing' });
    expect(v.skillLevelLabel(2)).toEqual({ zh: '熟练', en: 'skilled' });
  });

  it('when the table names an unknown code or a synonym is ambiguous, then compiling fails loudly', () => {
    const badCode = {
      ...raw,
      mitigations: [{ limitation: 'hearing_deaf', demand: 'hearing_safety', anyOf: [['visual_alarm']] }],
    };
    expect(() => compileVocabulary(badCode)).toThrow(/unknown accommodation visual_alarm/);
    const ambiguous = {
      ...raw,
      skills: [...raw.skills, { code: 'tailoring', zh: '裁缝', en: 'tailoring', synonyms: ['平车工'] }],
    };
    expect(() => compileVocabulary(ambiguous)).toThrow(/平车工/);
  });
});

describe('demo data generator', () => {
  it('when called twice with the same seed, then the data is identical; another seed differs', () => {
    const a = generateMatchingData({ seed: 5, profiles: 300, openings: 20 });
    const b = generateMatchingData({ seed: 5, profiles: 300, openings: 20 });
    expect(b.profiles).toEqual(a.profiles);
    expect(b.openings).toEqual(a.openings);
    expect(b.context).toEqual(a.context);
    expect(generateMatchingData({ seed: 6, profiles: 300, openings: 20 }).profiles).not.toEqual(a.profiles);
  });

  it('when generated, then proportions are plausible and limitations follow the category', () => {
    const { profiles, disability, openings } = generateMatchingData({
      seed: 1,
      profiles: 5000,
      openings: 200,
    });
    const share = (f: (p: (typeof profiles)[number]) => boolean) =>
      profiles.filter(f).length / profiles.length;
    expect(share((p) => p.status === 'available')).toBeGreaterThan(0.8);
    expect(share((p) => p.sensitiveDataConsent)).toBeGreaterThan(0.9);
    expect(share((p) => p.skills.length === 0)).toBeGreaterThan(0.15);
    // Long tail: the most common skill is far more common than the tenth.
    const counts = new Map<string, number>();
    for (const p of profiles) for (const s of p.skills) counts.set(s.code, (counts.get(s.code) ?? 0) + 1);
    const sorted = [...counts.values()].sort((x, y) => y - x);
    expect(sorted[0]!).toBeGreaterThan(4 * sorted[9]!);
    for (const p of profiles) {
      const { category } = disability.get(p.id)!;
      const typical = (rawVocabulary.typicalLimitationsByCategory as Record<string, string[]>)[category]!;
      if (category !== '7') {
        const own = p.limitations.filter((l) => l !== 'stamina' && l !== 'literacy');
        for (const l of own) expect(typical).toContain(l);
      }
    }
    const hearing = profiles.filter((p) => disability.get(p.id)!.category === '2');
    expect(hearing.filter((p) => p.limitations.some((l) => l.startsWith('hearing'))).length).toBe(
      hearing.length,
    );
    expect(openings.filter((o) => o.status === 'open').length / openings.length).toBeGreaterThan(0.8);
  });
});
