import { describe, expect, it } from 'vitest';
import { isWithin, levelOf, parentOf, prefectureOf, provinceOf } from '../../src/lib/regions.js';
import { suggest } from '../../src/modules/reference/autocomplete.js';
import { buildReferenceSeed } from '../../src/modules/reference/reference.seed.js';

describe('GB/T 2260 hierarchy', () => {
  it('when codes are given, then their level and parents follow from the digits', () => {
    expect(levelOf('510000')).toBe('province');
    expect(levelOf('513400')).toBe('prefecture');
    expect(levelOf('513431')).toBe('county');
    expect(provinceOf('513431')).toBe('510000');
    expect(prefectureOf('513431')).toBe('513400');
    expect(parentOf('513400')).toBe('510000');
    expect(parentOf('510000')).toBeNull();
  });

  it('when a county lies in a prefecture, then isWithin is true, and false for a neighbour', () => {
    expect(isWithin('513431', '513400')).toBe(true); // 昭觉县 in 凉山
    expect(isWithin('513431', '510000')).toBe(true);
    expect(isWithin('513322', '513400')).toBe(false); // 泸定县 is in 甘孜, not 凉山
    expect(isWithin('513400', '513431')).toBe(false);
    expect(isWithin('513431', '513431')).toBe(true);
  });
});

describe('reference seed', () => {
  const seed = buildReferenceSeed();

  it('when built twice, then the version is the same (a re-seed changes nothing)', () => {
    expect(buildReferenceSeed().version).toBe(seed.version);
  });

  it('when regions are seeded, then every county has a seeded prefecture and every prefecture a province', () => {
    const codes = new Set(seed.regions.map((r) => r.code));
    for (const r of seed.regions) if (r.parentCode) expect(codes.has(r.parentCode), r.code).toBe(true);
    expect(new Set(seed.regions.map((r) => r.code)).size).toBe(seed.regions.length);
  });

  it('when partnerships are seeded, then each pairs a 浙江/广东 supporter with a seeded 四川 region', () => {
    expect.hasAssertions();
    const codes = new Set(seed.regions.map((r) => r.code));
    for (const p of seed.partnerships) {
      expect(['33', '44']).toContain(p.supportingCode.slice(0, 2));
      expect(p.receivingCode.slice(0, 2)).toBe('51');
      expect(codes.has(p.receivingCode), p.key).toBe(true);
      expect(codes.has(p.supportingCode), p.key).toBe(true);
    }
  });

  it('when disability categories are seeded, then the GB/T 26341 digits are 1 visual … 7 multiple', () => {
    const cats = seed.vocabularies.filter((v) => v.kind === 'disability_category');
    expect(cats.map((c) => [c.code, c.zh])).toEqual([
      ['1', '视力残疾'],
      ['2', '听力残疾'],
      ['3', '言语残疾'],
      ['4', '肢体残疾'],
      ['5', '智力残疾'],
      ['6', '精神残疾'],
      ['7', '多重残疾'],
    ]);
  });

  it('when mitigations are seeded, then each names a known limitation, demand and accommodations', () => {
    expect.hasAssertions();
    const known = (kind: string) =>
      new Set(seed.vocabularies.filter((v) => v.kind === kind).map((v) => v.code));
    const [lim, dem, acc] = [known('limitation'), known('job_demand'), known('accommodation')];
    for (const m of seed.mitigations) {
      expect(lim.has(m.limitation), m.limitation).toBe(true);
      expect(dem.has(m.demand), m.demand).toBe(true);
      for (const set of m.anyOf) for (const a of set) expect(acc.has(a), a).toBe(true);
    }
  });

  it('when training programmes link skills, then those skills exist', () => {
    expect.hasAssertions();
    const skills = new Set(seed.vocabularies.filter((v) => v.kind === 'skill').map((v) => v.code));
    for (const tp of seed.vocabularies.filter((v) => v.kind === 'training_programme'))
      for (const s of tp.attributes.skills as string[]) expect(skills.has(s), `${tp.code} → ${s}`).toBe(true);
  });
});

describe('skill autocomplete', () => {
  const skills = buildReferenceSeed().vocabularies.filter((v) => v.kind === 'skill');

  it('when a synonym is typed, then the canonical code comes back', () => {
    expect(suggest(skills, '电子组装')[0]).toMatchObject({
      code: 'electronic_assembly',
      matched: '电子组装',
    });
  });

  it('when pinyin initials are typed, then the skill is found', () => {
    expect(suggest(skills, 'dzzp').map((s) => s.code)).toContain('electronic_assembly');
  });

  it('when English is typed, then the skill is found by prefix', () => {
    expect(suggest(skills, 'sew')[0]?.code).toBe('sewing');
  });

  it('when nothing matches, then the list is empty', () => {
    expect(suggest(skills, '量子物理')).toEqual([]);
  });
});
