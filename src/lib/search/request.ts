import {
  type FieldKind,
  type FieldOf,
  type IndexDefinition,
  type SearchDocument,
  SearchInputError,
  type SearchRequest,
  type SearchScalar,
  type SearchValue,
} from './port.js';

/**
 * Checks shared by both adapters, so that a request one adapter refuses the other refuses too, and
 * the filter each builds starts from the same validated tree.
 */
export const SEARCH_LIMITS = {
  maxQueryLength: 500,
  /** Meilisearch reads only the first ten words of a query; the embedded adapter does the same. */
  maxQueryWords: 10,
  maxFilterString: 1_000,
  maxInValues: 500,
  maxFilterNodes: 200,
  maxFilterDepth: 8,
  defaultHitsPerPage: 20,
  maxHitsPerPage: 100,
  maxPage: 10_000,
  maxIdLength: 511,
} as const;

/** Private-use characters the Meilisearch adapter uses as highlight marks; stripped from documents. */
export const HIGHLIGHT_PRE = '\uE000';
export const HIGHLIGHT_POST = '\uE001';

export type NormalizedCondition =
  | { readonly op: 'eq'; readonly field: string; readonly value: SearchScalar }
  | { readonly op: 'in'; readonly field: string; readonly value: readonly SearchScalar[] }
  | { readonly op: 'gt' | 'gte' | 'lt' | 'lte'; readonly field: string; readonly value: number }
  | { readonly op: 'between'; readonly field: string; readonly value: readonly [number, number] };

/** A validated filter with constant branches folded away; `ne` became `not eq`. */
export type NormalizedFilter =
  | NormalizedCondition
  | { readonly and: readonly NormalizedFilter[] }
  | { readonly or: readonly NormalizedFilter[] }
  | { readonly not: NormalizedFilter };

export interface PreparedRequest {
  readonly q: string;
  /** `true`: no filter; `false`: nothing can match (e.g. `in: []`), so no engine call is needed. */
  readonly filter: NormalizedFilter | boolean;
  readonly facets: readonly string[];
  readonly sort: readonly { readonly field: string; readonly direction: 'asc' | 'desc' }[];
  readonly page: number;
  readonly hitsPerPage: number;
  readonly highlight: readonly string[];
}

const ID_PATTERN = /^[A-Za-z0-9_-]+$/;
const FIELD_PATTERN = /^[A-Za-z][A-Za-z0-9_]*$/;
/** Words of Meilisearch's filter grammar: a field so named would read as an operator. */
const FILTER_KEYWORDS = new Set(['and', 'or', 'not', 'to', 'in', 'exists', 'is', 'null', 'empty']);

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function checkScalar(value: unknown, where: string, field: string): SearchScalar {
  if (typeof value === 'string') {
    if (value.length > SEARCH_LIMITS.maxFilterString)
      throw new SearchInputError(`${where}: string longer than ${SEARCH_LIMITS.maxFilterString}`, field);
    return value;
  }
  if (typeof value === 'number') return checkNumber(value, where, field);
  if (typeof value === 'boolean') return value;
  throw new SearchInputError(`${where}: expected a string, number or boolean`, field);
}

function checkNumber(value: unknown, where: string, field: string): number {
  // Beyond 1e15 a number prints in exponent form or loses integer precision in either engine.
  if (typeof value !== 'number' || !Number.isFinite(value) || Math.abs(value) >= 1e15)
    throw new SearchInputError(`${where}: expected a finite number`, field);
  return value;
}

/** Validates a filter against the index's filterable fields and folds constant branches. */
export function normalizeFilter(
  filter: unknown,
  filterable: ReadonlySet<string>,
): NormalizedFilter | boolean {
  let nodes = 0;
  const walk = (node: unknown, depth: number): NormalizedFilter | boolean => {
    nodes += 1;
    if (nodes > SEARCH_LIMITS.maxFilterNodes)
      throw new SearchInputError('filter has too many conditions', 'filter');
    if (depth > SEARCH_LIMITS.maxFilterDepth)
      throw new SearchInputError('filter is nested too deeply', 'filter');
    if (!isRecord(node)) throw new SearchInputError('filter: expected an object', 'filter');
    if ('and' in node || 'or' in node) {
      const key = 'and' in node ? 'and' : 'or';
      const list = node[key];
      if (!Array.isArray(list) || Object.keys(node).length !== 1)
        throw new SearchInputError(`filter.${key}: expected a list`, 'filter');
      const parts: NormalizedFilter[] = [];
      for (const child of list) {
        const n = walk(child, depth + 1);
        if (n === (key === 'or')) return key === 'or';
        if (typeof n !== 'boolean') parts.push(n);
      }
      if (parts.length === 0) return key === 'and';
      if (parts.length === 1) return parts[0]!;
      return key === 'and' ? { and: parts } : { or: parts };
    }
    if ('not' in node) {
      if (Object.keys(node).length !== 1) throw new SearchInputError('filter.not: unexpected keys', 'filter');
      const n = walk(node.not, depth + 1);
      return typeof n === 'boolean' ? !n : { not: n };
    }
    const { field, op, value } = node;
    if (typeof field !== 'string' || !filterable.has(field))
      throw new SearchInputError(`filter: ${String(field)} is not a filterable field`, 'filter');
    const where = `filter ${field} ${String(op)}`;
    const at = `filter.${field}`;
    switch (op) {
      case 'eq':
        return { op: 'eq', field, value: checkScalar(value, where, at) };
      case 'ne':
        return { not: { op: 'eq', field, value: checkScalar(value, where, at) } };
      case 'in': {
        if (!Array.isArray(value)) throw new SearchInputError(`${where}: expected a list`, at);
        if (value.length > SEARCH_LIMITS.maxInValues)
          throw new SearchInputError(`${where}: more than ${SEARCH_LIMITS.maxInValues} values`, at);
        if (value.length === 0) return false;
        return { op: 'in', field, value: value.map((v) => checkScalar(v, where, at)) };
      }
      case 'gt':
      case 'gte':
      case 'lt':
      case 'lte':
        return { op, field, value: checkNumber(value, where, at) };
      case 'between': {
        if (!Array.isArray(value) || value.length !== 2)
          throw new SearchInputError(`${where}: expected [low, high]`, at);
        const lo = checkNumber(value[0], where, at);
        const hi = checkNumber(value[1], where, at);
        if (lo > hi) throw new SearchInputError(`${where}: low is above high`, at);
        return { op: 'between', field, value: [lo, hi] };
      }
      default:
        throw new SearchInputError(`filter: unknown operator ${String(op)}`, at);
    }
  };
  return walk(filter, 1);
}

function checkFields(
  list: readonly string[] | undefined,
  allowed: ReadonlySet<string>,
  what: string,
  param: string,
): readonly string[] {
  const out = [...new Set(list ?? [])];
  for (const f of out) if (!allowed.has(f)) throw new SearchInputError(`${f} is not ${what}`, param);
  return out;
}

function checkInt(value: number | undefined, fallback: number, min: number, max: number, what: string) {
  const v = value ?? fallback;
  if (!Number.isInteger(v) || v < min || v > max)
    throw new SearchInputError(`${what} must be an integer from ${min} to ${max}`, what);
  return v;
}

/** Pages that hold hits: only the first `maxTotalHits` matches can be paged to (port.ts). */
export function reachablePages(reachableHits: number, hitsPerPage: number): number {
  return hitsPerPage === 0 ? 0 : Math.ceil(reachableHits / hitsPerPage);
}

/** Validates a request against the index declaration; both adapters start from this. */
export function prepareRequest<D extends SearchDocument>(
  definition: IndexDefinition<D>,
  request: SearchRequest<D>,
): PreparedRequest {
  // NFKC before either engine: full-width Latin and digits (ＣＮＣ, ３), compatibility forms and
  // half-width katakana become what documents hold; Meilisearch does not fold them itself.
  const q = (request.q ?? '')
    .normalize('NFKC')
    .replace(/\p{Cc}+/gu, ' ')
    .trim();
  if (q.length > SEARCH_LIMITS.maxQueryLength)
    throw new SearchInputError(`q is longer than ${SEARCH_LIMITS.maxQueryLength} characters`, 'q');
  const filterable = new Set<string>(definition.filterableAttributes);
  const sortable = new Set<string>(definition.sortableAttributes);
  const searchable = new Set<string>(definition.searchableAttributes);
  const sort = (request.sort ?? []).map((s) => {
    if (!sortable.has(s.field)) throw new SearchInputError(`${s.field} is not sortable`, 'sort');
    if (s.direction !== 'asc' && s.direction !== 'desc')
      throw new SearchInputError(`sort direction must be asc or desc`, 'sort');
    return { field: s.field, direction: s.direction };
  });
  return {
    q,
    filter: request.filter === undefined ? true : normalizeFilter(request.filter, filterable),
    facets: checkFields(request.facets, filterable, 'a filterable field (facets)', 'facets'),
    sort,
    page: checkInt(request.page, 1, 1, SEARCH_LIMITS.maxPage, 'page'),
    hitsPerPage: checkInt(
      request.hitsPerPage,
      SEARCH_LIMITS.defaultHitsPerPage,
      0,
      SEARCH_LIMITS.maxHitsPerPage,
      'hitsPerPage',
    ),
    highlight: checkFields(request.highlight, searchable, 'a searchable field (highlight)', 'highlight'),
  };
}

function kindMatches(kind: FieldKind, value: SearchValue): boolean {
  if (value === null) return true;
  switch (kind) {
    case 'string':
    case 'text':
      return typeof value === 'string';
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'boolean':
      return typeof value === 'boolean';
    case 'string[]':
    case 'text[]':
      return Array.isArray(value) && value.every((v) => typeof v === 'string');
    case 'number[]':
      return Array.isArray(value) && value.every((v) => typeof v === 'number' && Number.isFinite(v));
  }
}

const MARKS = new RegExp(`[${HIGHLIGHT_PRE}${HIGHLIGHT_POST}]`, 'g');

function stripMarks<T extends SearchValue>(value: T): T {
  if (typeof value === 'string') return value.replace(MARKS, '') as T;
  if (Array.isArray(value) && value.every((v) => typeof v === 'string'))
    return value.map((v: string) => v.replace(MARKS, '')) as unknown as T;
  return value;
}

/**
 * Checks documents against the declaration: a valid id, only declared fields, each of its declared
 * kind. An undeclared field is refused rather than dropped, so a projection that leaks a field fails
 * loudly in its tests. Returns copies the caller can no longer mutate.
 */
export function prepareDocuments<D extends SearchDocument>(
  definition: IndexDefinition<D>,
  documents: readonly D[],
): D[] {
  const kinds: Readonly<Record<string, FieldKind | undefined>> = definition.fields;
  return documents.map((doc, i) => {
    if (!isRecord(doc)) throw new SearchInputError(`document ${i}: expected an object`, 'document');
    checkId(doc.id, `document ${i}`);
    const out: Record<string, SearchValue> = {};
    for (const [key, value] of Object.entries(doc)) {
      const kind = kinds[key];
      if (kind === undefined)
        throw new SearchInputError(
          `document ${doc.id}: field ${key} is not declared in ${definition.name}`,
          'document',
        );
      if (value === undefined) continue;
      if (!kindMatches(kind, value))
        throw new SearchInputError(`document ${doc.id}: field ${key} is not a ${kind}`, 'document');
      out[key] = Array.isArray(value) ? Object.freeze(stripMarks(value)) : stripMarks(value);
    }
    return Object.freeze(out) as D;
  });
}

export function checkId(id: unknown, where = 'id'): string {
  if (
    typeof id !== 'string' ||
    id.length === 0 ||
    id.length > SEARCH_LIMITS.maxIdLength ||
    !ID_PATTERN.test(id)
  )
    throw new SearchInputError(`${where}: id must be 1–511 letters, digits, - or _`, 'id');
  return id;
}

/** Refuses a declaration the adapters cannot honour; run once when an index handle is made. */
export function checkDefinition<D extends SearchDocument>(definition: IndexDefinition<D>): void {
  if (!/^[A-Za-z0-9_-]+$/.test(definition.name)) throw new Error(`index name ${definition.name} is invalid`);
  const kinds: Readonly<Record<string, FieldKind | undefined>> = definition.fields;
  if (kinds.id !== 'string') throw new Error(`${definition.name}: id must be declared as a string`);
  for (const field of Object.keys(kinds))
    if (!FIELD_PATTERN.test(field) || FILTER_KEYWORDS.has(field.toLowerCase()))
      throw new Error(`${definition.name}: field name ${field} is invalid`);
  const need = (list: readonly FieldOf<D>[], what: string, ok: (k: FieldKind) => boolean) => {
    for (const f of list) {
      const k = kinds[f];
      if (k === undefined || !ok(k)) throw new Error(`${definition.name}: ${f} cannot be ${what}`);
    }
  };
  if (!(definition.sortableAttributes as readonly string[]).includes(definition.tieBreaker.field))
    throw new Error(`${definition.name}: the tie-breaker ${definition.tieBreaker.field} must be sortable`);
  const isText = (k: FieldKind) => k === 'text' || k === 'text[]';
  need(definition.searchableAttributes, 'searchable', isText);
  need(definition.localizedAttributes, 'localized', isText);
  need(definition.pinyinAttributes, 'indexed as pinyin', isText);
  need(definition.filterableAttributes, 'filterable', () => true);
  need(definition.sortableAttributes, 'sortable', (k) => k === 'number' || k === 'string');
}
