import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { generateMatchingData } from '../../../scripts/lib/generate/matching-data.js';
import { createMatchContext } from '../../../src/modules/matching/context.js';
import {
  type ReasonCore,
  reasonText,
  supersededText,
  withText as textOf,
  toStoredReason,
} from '../../../src/modules/matching/reasons.js';
import { supersedeReason } from '../../../src/modules/matching/reconcile.js';
import { score } from '../../../src/modules/matching/score.js';
import { aContext, anOpening, aProfile } from './factories.js';

/**
 * Matches store reasons as codes and parameters; readers render the sentences from the catalogue.
 * Rendering what was stored must give exactly the sentence scoring gave, for every code.
 */
describe('reasons stored as codes and parameters', () => {
  it('when a stored reason is rendered, then it reads as the sentences scoring gave before reasons were stored as codes', () => {
    const data = generateMatchingData({ seed: 7, profiles: 250, openings: 40 });
    const ctx = createMatchContext(data.context);
    const codes = new Set<string>();
    const digest = createHash('sha256');
    let n = 0;
    let withText = 0;
    for (const p of data.profiles)
      for (const o of data.openings)
        for (const r of score(p, o, ctx).reasons) {
          // As MongoDB hands it back: a JSON round trip of what is stored.
          const stored = JSON.parse(JSON.stringify(toStoredReason(r))) as ReasonCore & { zh?: string };
          if (stored.zh !== undefined) withText++;
          const text = reasonText(stored, ctx);
          digest.update(`${r.code}\t${text.zh}\t${text.en}\n`);
          codes.add(r.code);
          n++;
        }
    expect(withText).toBe(0);
    // The sentences of the same pairs as scoring rendered them when matches stored the text.
    expect({ n, digest: digest.digest('hex') }).toEqual({
      n: 62_442,
      digest: '4bb0f770eea23634bb12a748852def44800e69a06191a200494390e17c3b9b32',
    });
    expect(codes.size).toBeGreaterThanOrEqual(28);
  });

  it('when a document stored its sentences (written before), then they are shown as stored', () => {
    const ctx = aContext();
    const old = {
      code: 'partnership_pair',
      kind: 'plus' as const,
      about: 'partnership' as const,
      params: { city: '440600', area: '513400' },
      zh: '旧的句子',
      en: 'an older sentence',
    };
    expect(textOf(old, ctx)).toMatchObject({ zh: '旧的句子', en: 'an older sentence' });
    const { zh: _zh, en: _en, ...codesOnly } = old;
    expect(textOf(codesOnly, ctx)).toMatchObject({
      zh: '对口帮扶：佛山市—凉山州',
      en: 'Partnership pair: Foshan – Liangshan',
    });
    expect(supersededText({ code: 'outranked', zh: '旧', en: 'old' }, ctx)).toEqual({ zh: '旧', en: 'old' });
  });

  it('when a suggestion is superseded by an exclusion, then its sentence is rendered from the stored code and parameters', () => {
    const ctx = aContext();
    const result = score(aProfile({ minWage: 7000 }), anOpening(), ctx);
    const reason = supersedeReason(result);
    expect(reason.code).toBe('ineligible.wage_expectation_above_max');
    const stored = { code: reason.code, params: reason.params };
    const exclusion = result.reasons.find((r) => r.kind === 'exclusion')!;
    expect(supersededText(stored, ctx)).toEqual({ zh: exclusion.zh, en: exclusion.en });
    expect(supersededText({ code: 'outranked' }, ctx).en).toBe('No longer among the top suggestions');
    // Whole-anchor reasons carry no parameters: the catalogue's own sentence.
    expect(supersededText({ code: 'ineligible.opening_not_open', params: {} }, ctx).en).toBe(
      'The opening is not open (paused, closed or a draft)',
    );
  });
});
