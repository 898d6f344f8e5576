import { describe, expect, it } from 'vitest';
import {
  compileSynonyms,
  highlight,
  pinyinText,
  segmentsFromMarked,
  synonymSlots,
  tokenize,
} from '../../src/lib/search/text.js';

describe('search text handling', () => {
  it('when text mixes Chinese, Latin, width and accents, then words come out normalized', () => {
    expect(tokenize('招聘电子装配工，Ｅｌｅｃｔｒóｎｉｃｓ assembly!')).toEqual([
      '招聘',
      '电子',
      '装配',
      '工',
      'electronics',
      'assembly',
    ]);
  });

  it('when a synonym key occurs as a run of words, then that run may match any of its synonyms', () => {
    const rules = compileSynonyms({ 电子组装: ['电子装配'], 'electronics assembly': ['电子装配'] });
    expect(synonymSlots(tokenize('广州 电子组装'), rules)).toEqual([
      [['广州']],
      [
        ['电子', '组', '装'],
        ['电子', '装配'],
      ],
    ]);
    expect(synonymSlots(tokenize('Electronics Assembly'), rules)).toEqual([
      [
        ['electronics', 'assembly'],
        ['电子', '装配'],
      ],
    ]);
    expect(synonymSlots(tokenize('电子'), rules)).toEqual([[['电子']]]);
  });

  it('when labels are Chinese, then their pinyin and initials are indexed', () => {
    const terms = pinyinText(['电子装配', 'soldering', '东莞市']).split('\n');
    expect(terms).toEqual(
      expect.arrayContaining(['dianzi', 'zhuangpei', 'dianzizhuangpei', 'dzzp', 'dongguan', 'dongguanshi']),
    );
    expect(pinyinText(['soldering'])).toBe('');
  });

  it('when a value is highlighted, then the segments rebuild the text and mark matched words', () => {
    const segs = highlight('电子装配工（东莞）', new Set(['电子', '装配']));
    expect(segs.map((s) => s.text).join('')).toBe('电子装配工（东莞）');
    expect(segs.filter((s) => s.match).map((s) => s.text)).toEqual(['电子装配']);
  });

  it('when Meilisearch marks a value, then the marks become segments', () => {
    expect(segmentsFromMarked('a\uE000b\uE001c', '\uE000', '\uE001')).toEqual([
      { text: 'a', match: false },
      { text: 'b', match: true },
      { text: 'c', match: false },
    ]);
  });
});
