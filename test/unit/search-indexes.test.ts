import { describe, expect, it } from 'vitest';
import {
  FORBIDDEN_PROFILE_FIELDS,
  openingsIndex,
  synonymsFromVocabulary,
  workerProfilesIndex,
} from '../../src/lib/search/indexes.js';
import { meiliSettings, settingsDiff } from '../../src/lib/search/meilisearch.js';
import { checkDefinition } from '../../src/lib/search/request.js';

describe('search index declarations', () => {
  it('when declared, then both indexes pass the adapters’ checks', () => {
    expect(() => checkDefinition(openingsIndex)).not.toThrow();
    expect(() => checkDefinition(workerProfilesIndex)).not.toThrow();
  });

  it('when worker profiles are declared, then no identifying field exists', () => {
    expect.hasAssertions();
    const fields = Object.keys(workerProfilesIndex.fields).map((f) => f.toLowerCase());
    for (const forbidden of FORBIDDEN_PROFILE_FIELDS) expect(fields).not.toContain(forbidden.toLowerCase());
    for (const f of fields) expect(f).not.toMatch(/name$|phone|idnumber|certificate|address|birth/);
  });

  it('when the vocabulary lists synonyms, then each term of a group finds the others', () => {
    const syn = synonymsFromVocabulary([
      { zh: '电子装配', en: 'electronics assembly', synonyms: ['电子组装'] },
    ]);
    expect(syn.电子组装).toEqual(['电子装配', 'electronics assembly']);
    expect(syn.电子装配).toEqual(['electronics assembly', '电子组装']);
    expect(openingsIndex.synonyms.电子组装).toContain('电子装配');
  });

  it('when Meilisearch already has the declared settings, then nothing is re-applied', () => {
    const desired = meiliSettings(openingsIndex);
    // What Meilisearch returns: sets in its own order, synonyms keyed as stored, extra defaults.
    const current = {
      ...desired,
      filterableAttributes: [...(desired.filterableAttributes ?? [])].reverse(),
      sortableAttributes: [...(desired.sortableAttributes ?? [])].sort(),
      typoTolerance: { ...desired.typoTolerance, disableOnWords: [], disableOnAttributes: [] },
      stopWords: [],
      faceting: { sortFacetValuesBy: { '*': 'count' as const }, maxValuesPerFacet: 100 },
    };
    expect(settingsDiff(desired, current)).toEqual({});
    expect(Object.keys(settingsDiff(desired, { ...current, rankingRules: ['words'] }))).toEqual([
      'rankingRules',
    ]);
    expect(desired.localizedAttributes).toEqual([
      { attributePatterns: [...openingsIndex.localizedAttributes, '_han'], locales: ['cmn'] },
    ]);
    expect(desired.searchableAttributes).toContain('_pinyin');
    expect(desired.searchableAttributes).toContain('_han');
  });
});
