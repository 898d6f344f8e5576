import type { VocabularyEntry } from './reference.seed.js';

export interface Suggestion {
  code: string;
  zh: string;
  en: string;
  initials: string;
  synonyms: string[];
  /** What the query matched: the label, a synonym, pinyin, initials or the English label. */
  matched: string;
}

/**
 * Ranks vocabulary entries for a typed prefix: exact label or synonym first, then prefixes of
 * label, synonym, pinyin, initials or English, then substrings. Staff type Chinese, pinyin
 * initials (dzzp → 电子装配) or English; all three work.
 */
export function suggest(entries: readonly VocabularyEntry[], query: string, limit = 10): Suggestion[] {
  const q = query.trim().toLowerCase().replace(/\s+/g, '');
  if (!q) return entries.slice(0, limit).map((e) => toSuggestion(e, e.zh));
  const ranked: { e: VocabularyEntry; rank: number; matched: string }[] = [];
  for (const e of entries) {
    const options: [string, string][] = [
      [e.zh, e.zh],
      ...e.synonyms.map((s): [string, string] => [s.toLowerCase(), s]),
      [e.pinyin, e.pinyin],
      [e.initials, e.initials],
      [e.en.toLowerCase().replace(/\s+/g, ''), e.en],
      [e.code.toLowerCase(), e.code],
    ];
    let best: { rank: number; matched: string } | undefined;
    for (const [text, shown] of options) {
      if (!text) continue;
      const rank = text === q ? 0 : text.startsWith(q) ? 1 : text.includes(q) ? 2 : undefined;
      if (rank !== undefined && (!best || rank < best.rank)) best = { rank, matched: shown };
    }
    if (best) ranked.push({ e, ...best });
  }
  ranked.sort((a, b) => a.rank - b.rank || a.e.order - b.e.order);
  return ranked.slice(0, limit).map((r) => toSuggestion(r.e, r.matched));
}

function toSuggestion(e: VocabularyEntry, matched: string): Suggestion {
  return { code: e.code, zh: e.zh, en: e.en, initials: e.initials, synonyms: e.synonyms, matched };
}
