import { describe, expect, it } from 'vitest';
import type { Actor } from '../../src/lib/auth/actor.js';
import { compileFilter } from '../../src/lib/search/filter-eval.js';
import { FORBIDDEN_PROFILE_FIELDS, workerProfilesIndex } from '../../src/lib/search/indexes.js';
import { normalizeFilter, prepareDocuments } from '../../src/lib/search/request.js';
import { profileSearchRequest } from '../../src/modules/search/search.query.js';
import { searchProfilesQuery } from '../../src/modules/search/search.schemas.js';
import {
  profileReadScope,
  profileSearchScope,
  profileVisibleTo,
} from '../../src/modules/worker-profiles/worker-profiles.policy.js';
import {
  type ProfileSearchContext,
  type SearchableProfile,
  toSearchDocument,
} from '../../src/modules/worker-profiles/worker-profiles.search.js';
import { prng } from '../fixtures/search-documents.js';

const ctx: ProfileSearchContext = {
  regionName: (code) =>
    (
      ({
        '510000': '四川省',
        '513400': '凉山彝族自治州',
        '513431': '昭觉县',
        '440000': '广东省',
        '440600': '佛山市',
      }) as Record<string, string>
    )[code],
  label: (kind, code) =>
    (
      ({
        'skill.sewing': { zh: '缝纫', en: 'sewing' },
        'training_programme.tp_sewing': { zh: '缝纫工培训', en: 'sewing course' },
        'limitation.standing': { zh: '久站困难', en: 'standing' },
        'accommodation.seated_workstation': { zh: '坐姿工位', en: 'seated workstation' },
      }) as Record<string, { zh: string; en: string }>
    )[`${kind}.${code}`],
};

function profile(over: Partial<SearchableProfile> = {}): SearchableProfile {
  return {
    id: '665f1c2e9b1d8a0012345678',
    version: 3,
    status: 'available',
    originCode: '513431',
    regionPath: ['510000', '513400', '513431'],
    registeringFederationId: 'fed1',
    disabilityCategory: '4',
    disabilityLevel: '3',
    functionalLimitations: ['standing'],
    accommodationsNeeded: ['seated_workstation'],
    skills: [{ code: 'sewing', level: '2' }],
    training: [{ programmeCode: 'tp_sewing' }],
    preferences: { destinationCodes: ['440600'], needsAccessibleDormitory: false, minimumWage: 3500 },
    erased: false,
    updatedAt: new Date('2026-05-01T00:00:00Z'),
    ...over,
  };
}

describe('toSearchDocument(profile)', () => {
  it('when projected, then only codes, their labels and the scope regions are there, and the index accepts it', () => {
    const doc = toSearchDocument(profile(), ctx)!;
    expect(doc).toMatchObject({
      jurisdictionCodes: ['510000', '513400', '513431'],
      originRegionNames: ['四川省', '凉山彝族自治州', '昭觉县'],
      skillCodes: ['sewing'],
      skillLabels: ['缝纫', 'sewing'],
      trainingLabels: ['缝纫工培训', 'sewing course'],
      limitationLabels: ['久站困难', 'standing'],
      destinationCodes: ['440000', '440600'],
      destinationNames: ['广东省', '佛山市'],
      minimumWage: 3500,
      version: 3,
    });
    expect(() => prepareDocuments(workerProfilesIndex, [doc])).not.toThrow();
    for (const key of Object.keys(doc))
      expect(FORBIDDEN_PROFILE_FIELDS.map((f) => f.toLowerCase())).not.toContain(key.toLowerCase());
  });

  it('when the profile was erased, then it has no document (the index drops it)', () => {
    expect(toSearchDocument(profile({ erased: true }), ctx)).toBeNull();
  });
});

/** Just enough of MongoDB's matching for the scope filters of the profiles module. */
function mongoMatches(filter: Record<string, unknown>, doc: { regionPath: string[] }): boolean {
  return Object.entries(filter).every(([key, cond]) => {
    if (key === '$or') return (cond as Record<string, unknown>[]).some((f) => mongoMatches(f, doc));
    if (key === '_id') return false;
    if (key !== 'regionPath') throw new Error(`unexpected ${key}`);
    const c = cond as { $in: string[] } | string;
    return typeof c === 'string' ? doc.regionPath.includes(c) : doc.regionPath.some((r) => c.$in.includes(r));
  });
}

describe('worker profiles read scope, three ways', () => {
  it('when evaluated for random callers and profiles, then MongoDB filter, search filter and predicate agree', () => {
    expect.hasAssertions();
    const rand = prng(23);
    const pick = <T>(list: readonly T[]) => list[Math.floor(rand() * list.length)]!;
    const PATHS = [
      ['510000', '513400', '513431'],
      ['510000', '513400', '513401'],
      ['510000', '513300', '513301'],
      ['510000', '511300', '511321'],
    ];
    for (let i = 0; i < 2_000; i++) {
      const roles = [pick(['federation_staff', 'reviewer', 'admin', 'employer'] as const)];
      if (rand() < 0.2) roles.push('reviewer');
      const actor: Actor = {
        userId: 'u',
        organizationId: 'o',
        orgType: pick(['recipient_federation', 'supporting_federation', 'platform', 'employer'] as const),
        roles,
        jurisdictionCode: pick(['513400', '513431', '513300', '440600', undefined]),
        partnershipScope: pick([[], ['513400'], ['511321', '513300'], undefined]),
      };
      const doc = { regionPath: pick(PATHS), erased: false };
      const expected = mongoMatches(profileReadScope(actor), doc);
      const search = profileSearchScope(actor);
      const byEngine =
        typeof search === 'boolean'
          ? search
          : compileFilter(normalizeFilter(search, new Set(['jurisdictionCodes'])) as never)({
              id: 'x',
              jurisdictionCodes: doc.regionPath,
            });
      expect(byEngine, JSON.stringify({ actor, doc })).toBe(expected);
      expect(profileVisibleTo(actor, doc)).toBe(expected);
      expect(profileVisibleTo(actor, { ...doc, erased: true })).toBe(false);
    }
  });

  it('when parameters are given, then each is one more condition ANDed to the scope', () => {
    const q = searchProfilesQuery.parse({
      skill: 'sewing',
      category: '2,4',
      accessibleDormitory: 'true',
      wageTo: '4000',
      facets: 'region,level',
      sort: '-minimumWage',
    });
    const scope = { field: 'jurisdictionCodes', op: 'in', value: ['513400'] } as const;
    const request = profileSearchRequest(q, scope)!;
    expect(request.filter).toEqual({
      and: [
        scope,
        { field: 'skillCodes', op: 'in', value: ['sewing'] },
        { field: 'disabilityCategory', op: 'in', value: ['2', '4'] },
        { field: 'needsAccessibleDormitory', op: 'eq', value: true },
        { field: 'minimumWage', op: 'lte', value: 4000 },
      ],
    });
    expect(request.facets).toEqual(['originRegionCodes', 'disabilityLevel']);
    expect(request.sort).toEqual([{ field: 'minimumWage', direction: 'desc' }]);
    expect(profileSearchRequest(q, false)).toBeNull();
  });
});
