import type { SearchDocument, SearchScalar, SearchValue } from './port.js';
import type { NormalizedFilter } from './request.js';

/**
 * The embedded engine's filter and facet semantics, written to agree with Meilisearch's: a condition
 * on an array holds when any element satisfies it; missing or null satisfies nothing; string
 * equality ignores case; a number equals the string that spells it.
 */

function numberOf(v: SearchScalar): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  return undefined;
}

export type DocPredicate = (doc: SearchDocument) => boolean;

/**
 * Equality against a set of filter values, as Meilisearch compares: strings without regard to
 * case; a number equals a string that spells the same number.
 */
function equalsAny(values: readonly SearchScalar[]): (v: SearchScalar) => boolean {
  const exact = new Set<SearchScalar>(values);
  const lower = new Set<string>();
  // Lower-casing every value would dominate the cost; only strings of a matching length can
  // equal a value regardless of case.
  const lengths = new Set<number>();
  const anyNumbers = new Set<number>();
  const realNumbers = new Set<number>();
  for (const w of values) {
    const l = String(w).toLowerCase();
    lower.add(l);
    lengths.add(l.length);
    const n = numberOf(w);
    if (n !== undefined) anyNumbers.add(n);
    if (typeof w === 'number') realNumbers.add(w);
  }
  return (v) => {
    if (exact.has(v)) return true;
    if (typeof v === 'number') return anyNumbers.has(v);
    if (typeof v === 'string') {
      if (lengths.has(v.length) && lower.has(v.toLowerCase())) return true;
      if (realNumbers.size === 0) return false;
      const n = numberOf(v);
      return n !== undefined && realNumbers.has(n);
    }
    return lower.has(String(v));
  };
}

function numericTest(op: 'gt' | 'gte' | 'lt' | 'lte', x: number): (v: SearchScalar) => boolean {
  switch (op) {
    case 'gt':
      return (v) => typeof v === 'number' && v > x;
    case 'gte':
      return (v) => typeof v === 'number' && v >= x;
    case 'lt':
      return (v) => typeof v === 'number' && v < x;
    case 'lte':
      return (v) => typeof v === 'number' && v <= x;
  }
}

/**
 * The filter as one closure, built once per query: it runs for every document considered (every
 * posting of every query word, or every document of a browse), so values are prepared up front.
 */
export function compileFilter(filter: NormalizedFilter): DocPredicate {
  if ('and' in filter) {
    const parts = filter.and.map(compileFilter);
    return (doc) => {
      for (const p of parts) if (!p(doc)) return false;
      return true;
    };
  }
  if ('or' in filter) {
    const parts = filter.or.map(compileFilter);
    return (doc) => {
      for (const p of parts) if (p(doc)) return true;
      return false;
    };
  }
  if ('not' in filter) {
    const inner = compileFilter(filter.not);
    return (doc) => !inner(doc);
  }
  const field = filter.field;
  let test: (v: SearchScalar) => boolean;
  if (filter.op === 'eq') test = equalsAny([filter.value]);
  else if (filter.op === 'in') test = equalsAny(filter.value);
  else if (filter.op === 'between') {
    const [lo, hi] = filter.value;
    test = (v) => typeof v === 'number' && v >= lo && v <= hi;
  } else test = numericTest(filter.op, filter.value);
  return (doc) => {
    const v = doc[field];
    if (v === null || v === undefined) return false;
    if (Array.isArray(v)) {
      for (const e of v as readonly SearchScalar[]) if (test(e)) return true;
      return false;
    }
    return test(v as SearchScalar);
  };
}

/** Facet key of a value: numbers and booleans as they print; strings grouped regardless of case. */
function facetKey(v: SearchScalar): string {
  return typeof v === 'string' ? v.toLowerCase() : String(v);
}

/**
 * value → count per field over `docs`, each document counted once per distinct value. Strings that
 * differ only in case count together under the first spelling seen. Keeps the `max` most frequent.
 */
export function countFacets(
  docs: Iterable<SearchDocument>,
  fields: readonly string[],
  max: number,
): Record<string, Record<string, number>> {
  const counts = fields.map(() => new Map<string, { label: string; n: number }>());
  // Runs over every hit of a search: no allocation per document.
  const seen: string[] = [];
  for (const doc of docs) {
    for (let i = 0; i < fields.length; i++) {
      const map = counts[i]!;
      const value = doc[fields[i]!];
      if (value === null || value === undefined) continue;
      if (!Array.isArray(value)) {
        countOne(map, value as SearchScalar);
        continue;
      }
      seen.length = 0;
      for (const v of value as readonly SearchScalar[]) {
        const key = facetKey(v);
        if (seen.includes(key)) continue;
        seen.push(key);
        countOne(map, v, key);
      }
    }
  }
  const out: Record<string, Record<string, number>> = {};
  fields.forEach((field, i) => {
    const entries = [...counts[i]!.values()]
      .sort((a, b) => b.n - a.n || (a.label < b.label ? -1 : a.label > b.label ? 1 : 0))
      .slice(0, max);
    out[field] = Object.fromEntries(entries.map((e) => [e.label, e.n]));
  });
  return out;
}

function countOne(map: Map<string, { label: string; n: number }>, v: SearchScalar, key = facetKey(v)) {
  const entry = map.get(key);
  if (entry) entry.n += 1;
  else map.set(key, { label: String(v), n: 1 });
}

/** Sort key of a field: numbers before strings; missing and null last in both directions. */
export function compareForSort(
  a: SearchValue | undefined,
  b: SearchValue | undefined,
  desc: boolean,
): number {
  const ka = sortKey(a);
  const kb = sortKey(b);
  if (ka === undefined || kb === undefined) return ka === kb ? 0 : ka === undefined ? 1 : -1;
  let c: number;
  if (typeof ka === 'number' && typeof kb === 'number') c = ka - kb;
  else if (typeof ka === 'number') c = -1;
  else if (typeof kb === 'number') c = 1;
  else c = ka < kb ? -1 : ka > kb ? 1 : 0;
  return desc ? -c : c;
}

function sortKey(v: SearchValue | undefined): number | string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'number') return v;
  if (typeof v === 'string') return v.toLowerCase();
  if (typeof v === 'boolean') return String(v);
  // Arrays are not sortable in either engine; the declaration refuses them as sortable fields.
  return undefined;
}
