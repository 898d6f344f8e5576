import { pinyin } from 'pinyin-pro';
import type { HighlightedText } from './port.js';

/**
 * Text handling of the embedded engine (and the pinyin field both adapters index). Pure.
 * Chinese has no spaces: ICU's dictionary word break (`Intl.Segmenter('zh')`) splits it into words;
 * Latin text splits on word boundaries the same way.
 */
const segmenter = new Intl.Segmenter('zh', { granularity: 'word' });

const HAN = /\p{Script=Han}/u;

export function hasHan(text: string): boolean {
  return HAN.test(text);
}

/** Case, width and accents folded: `Ｅｌｅｃｔｒóｎｉｃｓ` → `electronics`. */
export function normalizeTerm(term: string): string {
  return term
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase();
}

/**
 * Short strings recur across documents (vocabulary labels, region names) and ICU segmentation is
 * the costliest step of indexing, so their words are remembered. Bounded: cleared when full.
 */
const CACHE_LIMIT = 50_000;
const CACHEABLE_LENGTH = 64;
const tokenCache = new Map<string, readonly string[]>();
const pinyinCache = new Map<string, readonly string[]>();

function remember<T>(cache: Map<string, T>, key: string, compute: (key: string) => T): T {
  if (key.length > CACHEABLE_LENGTH) return compute(key);
  let value = cache.get(key);
  if (value === undefined) {
    value = compute(key);
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(key, value);
  }
  return value;
}

function segmentWords(text: string): readonly string[] {
  const out: string[] = [];
  for (const s of segmenter.segment(text)) if (s.isWordLike) out.push(normalizeTerm(s.segment));
  return out;
}

/** Normalized words of `text`, punctuation and spaces dropped. */
export function tokenize(text: string): string[] {
  // Lines are segmented one by one: array fields arrive joined by newlines, and each element is
  // a label that recurs.
  if (text.includes('\n'))
    return text.split('\n').flatMap((line) => remember(tokenCache, line, segmentWords));
  return [...remember(tokenCache, text, segmentWords)];
}

/** Words with their position in `text`, for highlighting. */
function words(text: string): { start: number; end: number; term: string }[] {
  const out: { start: number; end: number; term: string }[] = [];
  for (const s of segmenter.segment(text))
    if (s.isWordLike)
      out.push({ start: s.index, end: s.index + s.segment.length, term: normalizeTerm(s.segment) });
  return out;
}

const HAN_CHAR = /^\p{Script=Han}$/u;

/**
 * A query that is one Chinese character (鞋) means that character in any word (制鞋, 鞋业, 皮鞋):
 * a user typing one character has not typed a word yet. Both adapters then also search a hidden
 * field holding each Chinese character of the document's Chinese text once (hanCharsText).
 */
export function isOneHanChar(q: string): boolean {
  return HAN_CHAR.test(q.trim());
}

/** The words of a `hanCharsText`: its characters, without segmenting (each is a word already). */
export function hanCharsTerms(text: string): string[] {
  return text ? text.split(' ').map(normalizeTerm) : [];
}

/** Each distinct Chinese character of `values`, space-separated: `制鞋工` → `制 鞋 工`. */
export function hanCharsText(values: readonly string[]): string {
  const seen = new Set<string>();
  for (const v of values) for (const ch of v) if (HAN_CHAR.test(ch)) seen.add(ch);
  return [...seen].join(' ');
}
const PINYIN_OPTIONS = { toneType: 'none', type: 'array', v: true } as const;

/**
 * Pinyin terms of the Chinese in `values`, so staff typing pinyin (no IME at hand) or initials
 * still find a label: each word's pinyin, each pair of adjacent one-character words' (dongguan,
 * though ICU splits 东莞 into 东|莞), and each value's whole pinyin and initials (dianzizhuangpei,
 * dzzp).
 * Readings are taken in the context of the whole value, so 东莞 reads dong guan, not dong wan.
 * Returns '' when there is no Chinese.
 */
export function pinyinText(values: readonly string[]): string {
  const terms = new Set<string>();
  for (const value of values) for (const t of remember(pinyinCache, value, pinyinTerms)) terms.add(t);
  // One term per line: the tokenizer segments line by line and remembers recurring lines.
  return [...terms].join('\n');
}

function pinyinTerms(value: string): readonly string[] {
  const han = [...value].filter((c) => HAN_CHAR.test(c));
  if (han.length === 0) return [];
  const syllables = pinyin(han.join(''), PINYIN_OPTIONS).map((s) => s.replace(/[^a-z]/g, ''));
  // One syllable per character is what pinyin-pro returns for Han text; anything else is skipped.
  if (syllables.length !== han.length) return [];
  const terms = new Set<string>();
  const words: { pinyin: string; chars: number }[] = [];
  let at = 0;
  for (const w of tokenize(value)) {
    const n = [...w].filter((c) => HAN_CHAR.test(c)).length;
    if (n === 0) continue;
    words.push({ pinyin: syllables.slice(at, at + n).join(''), chars: n });
    at += n;
  }
  words.forEach((w, i) => {
    terms.add(w.pinyin);
    // Single characters next to each other are usually a word ICU does not know (东|莞 → dongguan).
    const prev = words[i - 1];
    if (prev && prev.chars === 1 && w.chars === 1) terms.add(prev.pinyin + w.pinyin);
  });
  terms.add(syllables.join(''));
  terms.add(syllables.map((s) => s.charAt(0)).join(''));
  terms.delete('');
  return [...terms];
}

/** Synonym rules as token sequences; see {@link synonymSlots}. */
export interface SynonymRule {
  readonly from: readonly string[];
  readonly to: readonly (readonly string[])[];
}

export function compileSynonyms(synonyms: Readonly<Record<string, readonly string[]>>): SynonymRule[] {
  const rules: SynonymRule[] = [];
  for (const [key, values] of Object.entries(synonyms)) {
    const from = tokenize(key);
    if (from.length === 0) continue;
    const to = values.map(tokenize).filter((t) => t.length > 0);
    if (to.length) rules.push({ from, to });
  }
  // Longer phrases first, so 电子元件装配 is rewritten before a shorter key inside it.
  return rules.sort((a, b) => b.from.length - a.from.length);
}

const MAX_ALTERNATIVES = 16;

/** One position of a query: the words as typed, or any synonym of them (each a run of words). */
export type QuerySlot = readonly (readonly string[])[];

/**
 * The query as slots, all of which must match: wherever a synonym key occurs as a run of words,
 * that run becomes one slot matched by the run itself or by any of its synonyms (longest key
 * first), like Meilisearch's query-time synonyms. Matching works on words, so 电子组装 (电子|组|装)
 * in any query also matches 电子装配. Words shared by all alternatives are searched once.
 */
export function synonymSlots(terms: readonly string[], rules: readonly SynonymRule[]): QuerySlot[] {
  const slots: QuerySlot[] = [];
  let i = 0;
  while (i < terms.length) {
    const at = i;
    const rule = rules.find(
      (r) => at + r.from.length <= terms.length && r.from.every((t, j) => terms[at + j] === t),
    );
    if (rule) {
      slots.push([rule.from, ...rule.to.slice(0, MAX_ALTERNATIVES)]);
      i += rule.from.length;
    } else {
      slots.push([[terms[i]!]]);
      i += 1;
    }
  }
  return slots;
}

/** `text` split into marked and unmarked runs: words whose normalized form is in `terms` are marked. */
export function highlight(text: string, terms: ReadonlySet<string>): HighlightedText {
  const out: { text: string; match: boolean }[] = [];
  let at = 0;
  const push = (t: string, match: boolean) => {
    if (!t) return;
    const last = out[out.length - 1];
    if (last && last.match === match) last.text += t;
    else out.push({ text: t, match });
  };
  for (const w of words(text)) {
    if (!terms.has(w.term)) continue;
    push(text.slice(at, w.start), false);
    push(text.slice(w.start, w.end), true);
    at = w.end;
  }
  push(text.slice(at), false);
  return out;
}

/** Parses Meilisearch's `_formatted` text with the given private-use marks into segments. */
export function segmentsFromMarked(marked: string, pre: string, post: string): HighlightedText {
  const out: { text: string; match: boolean }[] = [];
  let match = false;
  let buf = '';
  for (const ch of marked) {
    if (ch === pre || ch === post) {
      if (buf) out.push({ text: buf, match });
      buf = '';
      match = ch === pre;
    } else buf += ch;
  }
  if (buf) out.push({ text: buf, match });
  return out;
}
