import { Bitset } from './bitset.js';
import { compileFilter } from './filter-eval.js';
import type { SearchDocument, SearchScalar } from './port.js';
import type { NormalizedFilter } from './request.js';

/**
 * Filters of the embedded engine evaluated before any text is matched: for each filterable field
 * of codes (strings, booleans), one bitset of document slots per value, so `eq`/`in` and their
 * and/or/not are word-wide bit operations rather than a closure called per document. Numeric
 * ranges, number equality and fields with too many distinct values are tested per document — and
 * inside an `and`, only on the documents the indexed conditions let through.
 *
 * Keys reproduce filter-eval.ts's equality exactly: strings regardless of case, a number equal to
 * a string that spells it, a boolean equal to its spelling.
 */

/** Beyond this many distinct values a field is filtered by testing documents (bounded memory). */
const MAX_VALUES_PER_FIELD = 4_096;

interface Posting {
  readonly bits: Bitset;
  count: number;
}

function numberOf(v: string): number | undefined {
  return v.trim() !== '' && Number.isFinite(Number(v)) ? Number(v) : undefined;
}

function docKeys(v: SearchScalar, out: string[]): void {
  if (typeof v === 'string') {
    out.push(`s:${v.toLowerCase()}`);
    const n = numberOf(v);
    if (n !== undefined) out.push(`ns:${n}`);
  } else if (typeof v === 'number') out.push(`n:${v}`);
  else out.push(`s:${String(v)}`);
}

function filterKeys(v: SearchScalar): string[] {
  if (typeof v === 'string') {
    const n = numberOf(v);
    return n === undefined ? [`s:${v.toLowerCase()}`] : [`s:${v.toLowerCase()}`, `n:${n}`];
  }
  if (typeof v === 'number') return [`n:${v}`, `ns:${v}`];
  return [`s:${String(v)}`];
}

function keysOfDoc(doc: SearchDocument, field: string): string[] {
  const value = doc[field];
  const keys: string[] = [];
  if (value === null || value === undefined) return keys;
  if (Array.isArray(value)) for (const v of value as readonly SearchScalar[]) docKeys(v, keys);
  else docKeys(value as SearchScalar, keys);
  return [...new Set(keys)];
}

export class FilterIndex {
  /** field → value key → posting; null once the field has too many values (tested per document). */
  private readonly postings = new Map<string, Map<string, Posting> | null>();

  constructor(fields: readonly string[]) {
    for (const f of fields) this.postings.set(f, new Map());
  }

  add(slot: number, doc: SearchDocument): void {
    for (const [field, byKey] of this.postings) {
      if (!byKey) continue;
      for (const key of keysOfDoc(doc, field)) {
        let p = byKey.get(key);
        if (!p) {
          if (byKey.size >= MAX_VALUES_PER_FIELD) {
            this.postings.set(field, null);
            break;
          }
          p = { bits: new Bitset(slot + 1), count: 0 };
          byKey.set(key, p);
        }
        p.bits.add(slot);
        p.count += 1;
      }
    }
  }

  remove(slot: number, doc: SearchDocument): void {
    for (const [field, byKey] of this.postings) {
      if (!byKey) continue;
      for (const key of keysOfDoc(doc, field)) {
        const p = byKey.get(key);
        if (!p) continue;
        p.bits.remove(slot);
        p.count -= 1;
        if (p.count <= 0) byKey.delete(key);
      }
    }
  }

  private indexed(node: NormalizedFilter): boolean {
    if ('and' in node) return node.and.every((n) => this.indexed(n));
    if ('or' in node) return node.or.every((n) => this.indexed(n));
    if ('not' in node) return this.indexed(node.not);
    return (node.op === 'eq' || node.op === 'in') && !!this.postings.get(node.field);
  }

  /** The slots among `live` whose document satisfies `filter`. */
  evaluate(
    filter: NormalizedFilter,
    live: Bitset,
    docAt: (slot: number) => SearchDocument | undefined,
  ): Bitset {
    if ('and' in filter) {
      const cheap = filter.and.filter((n) => this.indexed(n));
      const rest = filter.and.filter((n) => !this.indexed(n));
      let acc: Bitset | null = null;
      for (const n of cheap) {
        const bits = this.evaluate(n, live, docAt);
        acc = acc ? acc.and(bits) : bits;
        if (acc.isEmpty()) return acc;
      }
      if (rest.length === 0) return acc ?? live.clone();
      if (!acc) acc = this.evaluate(rest.shift()!, live, docAt);
      // The rest is tested only on what the indexed conditions let through.
      const tests = rest.map((n) => compileFilter(n));
      const out = new Bitset(acc.words.length * 32);
      acc.forEach((slot) => {
        const doc = docAt(slot)!;
        for (const t of tests) if (!t(doc)) return;
        out.add(slot);
      });
      return out;
    }
    if ('or' in filter) {
      const out = new Bitset(live.words.length * 32);
      for (const n of filter.or) out.or(this.evaluate(n, live, docAt));
      return out;
    }
    if ('not' in filter) return live.clone().andNot(this.evaluate(filter.not, live, docAt));
    const byKey = this.postings.get(filter.field);
    if (byKey && (filter.op === 'eq' || filter.op === 'in')) {
      const out = new Bitset(live.words.length * 32);
      const values = filter.op === 'eq' ? [filter.value] : filter.value;
      for (const v of values)
        for (const key of filterKeys(v)) {
          const p = byKey.get(key);
          if (p) out.or(p.bits);
        }
      return out.and(live);
    }
    const test = compileFilter(filter);
    const out = new Bitset(live.words.length * 32);
    live.forEach((slot) => {
      if (test(docAt(slot)!)) out.add(slot);
    });
    return out;
  }
}
