import type { SearchScalar } from './port.js';
import type { NormalizedFilter } from './request.js';

/**
 * Meilisearch filter expressions from the validated filter tree. Pure, unit-tested.
 *
 * Values are never pasted: a string is always a double-quoted literal in which `\` and `"` are
 * backslash-escaped (the filter grammar's escapes, required for `\` since Meilisearch 1.4), so
 * `" OR status = "open` stays one string value. Field names come from the index declaration, never
 * from the request (normalizeFilter refuses undeclared ones).
 */
export function quoteString(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

function literal(value: SearchScalar): string {
  if (typeof value === 'number') return numberLiteral(value);
  return quoteString(String(value));
}

function numberLiteral(n: number): string {
  if (!Number.isFinite(n)) throw new Error('filter numbers must be finite');
  // Plain decimal notation: no exponent, which the filter grammar may not read.
  if (Number.isInteger(n)) return n.toFixed(0);
  const s = String(n);
  return /e/i.test(s) ? n.toFixed(20).replace(/0+$/, '').replace(/\.$/, '') : s;
}

export function toMeiliFilter(filter: NormalizedFilter): string {
  if ('and' in filter) return `(${filter.and.map(toMeiliFilter).join(' AND ')})`;
  if ('or' in filter) return `(${filter.or.map(toMeiliFilter).join(' OR ')})`;
  if ('not' in filter) return `NOT (${toMeiliFilter(filter.not)})`;
  const f = filter.field;
  switch (filter.op) {
    case 'eq':
      return `${f} = ${literal(filter.value)}`;
    case 'in':
      return `${f} IN [${filter.value.map(literal).join(', ')}]`;
    case 'gt':
      return `${f} > ${numberLiteral(filter.value)}`;
    case 'gte':
      return `${f} >= ${numberLiteral(filter.value)}`;
    case 'lt':
      return `${f} < ${numberLiteral(filter.value)}`;
    case 'lte':
      return `${f} <= ${numberLiteral(filter.value)}`;
    case 'between':
      return `${f} ${numberLiteral(filter.value[0])} TO ${numberLiteral(filter.value[1])}`;
  }
}

/**
 * The query text with Meilisearch's query operators neutralised: `"…"` (phrase) and a leading `-`
 * (negation) are syntax there and plain words in the embedded engine, so both read plain words.
 */
export function plainQuery(q: string): string {
  return q
    .replace(/"/g, ' ')
    .replace(/(^|\s)-+/g, '$1')
    .trim();
}
