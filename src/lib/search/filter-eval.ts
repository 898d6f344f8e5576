import type { SearchDocument, SearchScalar, SearchValue } from './port.js';
import type { NormalizedFilter } from './request.js';

/**
 * The embedded engine's filter and facet semantics, written to agree with Meilisearch's: a condition
 * on an array holds when any element satisfies it; missing or null satisfies nothing; string
 * equality ignores case; a number equals the string that spells it.
 */

function scalarsOf(value: SearchValue | undefined): readonly SearchScalar[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value as SearchScalar];
}

function numberOf(v: SearchScalar): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  return undefined;
}

export function scalarEquals(docValue: SearchScalar, filterValue: SearchScalar): boolean {
  if (typeof docValue === 'number' || typeof filterValue === 'number') {
    const a = numberOf(docValue);
    const b = numberOf(filterValue);
    if (a !== undefined && b !== undefined) return a === b;
  }
  return String(docValue).toLowerCase() === String(filterValue).toLowerCase();
}

export function matches(doc: SearchDocument, filter: NormalizedFilter): boolean {
  if ('and' in filter) return filter.and.every((f) => matches(doc, f));
  if ('or' in filter) return filter.or.some((f) => matches(doc, f));
  if ('not' in filter) return !matches(doc, filter.not);
  const values = scalarsOf(doc[filter.field]);
  switch (filter.op) {
    case 'eq':
      return values.some((v) => scalarEquals(v, filter.value));
    case 'in':
      return values.some((v) => filter.value.some((w) => scalarEquals(v, w)));
    case 'between': {
      const [lo, hi] = filter.value;
      return values.some((v) => typeof v === 'number' && v >= lo && v <= hi);
    }
    case 'gt':
      return values.some((v) => typeof v === 'number' && v > filter.value);
    case 'gte':
      return values.some((v) => typeof v === 'number' && v >= filter.value);
    case 'lt':
      return values.some((v) => typeof v === 'number' && v < filter.value);
    case 'lte':
      return values.some((v) => typeof v === 'number' && v <= filter.value);
  }
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
  for (const doc of docs) {
    fields.forEach((field, i) => {
      const map = counts[i]!;
      const seen = new Set<string>();
      for (const v of scalarsOf(doc[field])) {
        const key = facetKey(v);
        if (seen.has(key)) continue;
        seen.add(key);
        const entry = map.get(key);
        if (entry) entry.n += 1;
        else map.set(key, { label: String(v), n: 1 });
      }
    });
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
