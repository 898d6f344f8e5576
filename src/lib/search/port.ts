/**
 * The search port (DESIGN §4, §7.10). The API and the worker talk to search only through this;
 * adapters: the embedded engine (default) and Meilisearch (when MEILI_HOST is set). Both pass the
 * same contract suite (test/integration/search-contract.test.ts).
 *
 * Search is a projection of MongoDB: an index holds plain, de-identified documents built by a pure
 * `toSearchDocument(entity)` per index, and can always be rebuilt from MongoDB.
 */

export type SearchScalar = string | number | boolean;
export type SearchValue = SearchScalar | null | readonly string[] | readonly number[];

/** Every document has a string `id` (letters, digits, `-`, `_`: what Meilisearch accepts). */
export type SearchDocument = { readonly id: string; readonly [field: string]: SearchValue };

export type FieldOf<D> = Extract<keyof D, string>;

/** How a field's values look; `text` is a string that may be searched (tokenized). */
export type FieldKind = 'string' | 'text' | 'number' | 'boolean' | 'string[]' | 'text[]' | 'number[]';

export type RankingRule = 'words' | 'typo' | 'proximity' | 'attribute' | 'sort' | 'exactness';

/**
 * One index, declared in code and applied idempotently (src/lib/search/indexes.ts).
 *
 * `fields` lists every field a document may carry, so an upsert with an undeclared field (a name,
 * an ID number slipped into a projection) is refused by both adapters.
 */
export interface IndexDefinition<D extends SearchDocument> {
  /** Logical name; the engine adds the configured prefix (`config.search.indexPrefix`). */
  readonly name: string;
  readonly fields: { readonly [K in FieldOf<D>]-?: FieldKind };
  /** Ordered by importance (Meilisearch's `attribute` rule; embedded: field boosts). */
  readonly searchableAttributes: readonly FieldOf<D>[];
  /** Fields usable in filters and facets. */
  readonly filterableAttributes: readonly FieldOf<D>[];
  readonly sortableAttributes: readonly FieldOf<D>[];
  /**
   * Meilisearch ranking rules. Put `sort` first: then a requested sort orders the hits in both
   * adapters, and relevance only breaks ties. The embedded adapter ranks by BM25 otherwise.
   */
  readonly rankingRules: readonly RankingRule[];
  /**
   * After every ranking rule, in both engines: equally ranked hits come most recent first
   * (Meilisearch: a final `field:direction` rule; embedded: the last comparison). A sortable number.
   */
  readonly tieBreaker: SortClause<FieldOf<D>>;
  readonly typoTolerance: {
    readonly enabled: boolean;
    /** Words shorter than `oneTypo` characters must match exactly; from `twoTypos` two typos pass. */
    readonly minWordSizeForTypos: { readonly oneTypo: number; readonly twoTypos: number };
  };
  /** One-way: searching a key also searches each of its values (list both ways for mutual ones). */
  readonly synonyms: Readonly<Record<string, readonly string[]>>;
  /** Chinese text: Meilisearch `localizedAttributes` with locale `cmn`. */
  readonly localizedAttributes: readonly FieldOf<D>[];
  /** Chinese labels also indexed as pinyin and initials (电子装配 → dianzizhuangpei, dzzp). */
  readonly pinyinAttributes: readonly FieldOf<D>[];
  /**
   * At most this many values per facet are counted and returned, the most frequent first (both
   * engines). Facet search (searching within a facet's values) is not offered: it is off.
   */
  readonly faceting: { readonly maxValuesPerFacet: number };
  /**
   * Only the first `maxTotalHits` hits can be paged to: pages beyond are empty and `totalPages`
   * stops there. `totalHits` stays exact (both engines count every match).
   */
  readonly pagination: { readonly maxTotalHits: number };
}

/**
 * A typed filter. The adapter builds the engine's filter from this and escapes every value: user
 * text never becomes filter syntax. On array fields a condition holds when any element satisfies
 * it. A missing or null field satisfies no condition (and so satisfies `not`/`ne`).
 * String equality ignores case (as Meilisearch's does).
 */
export type FilterCondition<F extends string> =
  | { readonly field: F; readonly op: 'eq' | 'ne'; readonly value: SearchScalar }
  | { readonly field: F; readonly op: 'in'; readonly value: readonly SearchScalar[] }
  | { readonly field: F; readonly op: 'gt' | 'gte' | 'lt' | 'lte'; readonly value: number }
  | { readonly field: F; readonly op: 'between'; readonly value: readonly [number, number] };

export type SearchFilter<F extends string> =
  | FilterCondition<F>
  | { readonly and: readonly SearchFilter<F>[] }
  | { readonly or: readonly SearchFilter<F>[] }
  | { readonly not: SearchFilter<F> };

export interface SortClause<F extends string> {
  readonly field: F;
  readonly direction: 'asc' | 'desc';
}

export interface SearchRequest<D extends SearchDocument> {
  /** Words; every word must match (prefix on the last one, typos per the index settings). */
  readonly q?: string;
  readonly filter?: SearchFilter<FieldOf<D>>;
  /** Filterable fields to count values of, over every hit (not only the page). */
  readonly facets?: readonly FieldOf<D>[];
  readonly sort?: readonly SortClause<FieldOf<D>>[];
  /** 1-based; default 1. */
  readonly page?: number;
  /** Default 20, at most 100; 0 returns only totals and facets. */
  readonly hitsPerPage?: number;
  /** Searchable fields to return highlighted. */
  readonly highlight?: readonly FieldOf<D>[];
}

/** A highlighted value as segments, so a client renders marks without parsing HTML. */
export type HighlightedText = readonly { readonly text: string; readonly match: boolean }[];

export interface SearchHit<D extends SearchDocument> {
  readonly document: D;
  /** Per requested field, one entry per value (one for a string, one per element of an array). */
  readonly highlights: Partial<Record<FieldOf<D>, readonly HighlightedText[]>>;
}

export interface SearchResult<D extends SearchDocument> {
  readonly hits: readonly SearchHit<D>[];
  readonly page: number;
  readonly hitsPerPage: number;
  /** Every matching document, exact even above the index's `maxTotalHits`. */
  readonly totalHits: number;
  /** Pages that hold hits: over at most `maxTotalHits` of them (0 when `hitsPerPage` is 0). */
  readonly totalPages: number;
  /** value → count, for each requested facet, over every hit. Values are strings (3000 → "3000"). */
  readonly facets: Partial<Record<FieldOf<D>, Readonly<Record<string, number>>>>;
}

export interface SearchIndex<D extends SearchDocument> {
  /** The engine's name for this index (prefix included). */
  readonly uid: string;
  readonly definition: IndexDefinition<D>;
  /** Creates the index if missing and applies the declared settings; changes nothing if they match. */
  configure(): Promise<void>;
  /**
   * Resolves when the index exists with the declared settings; rejects with SearchUnavailableError
   * naming what is missing or different otherwise (readiness).
   */
  check(): Promise<void>;
  /** Adds or replaces whole documents; resolves once the engine confirmed every write. */
  upsert(documents: readonly D[]): Promise<void>;
  /** Deletes by id; unknown ids are ignored. Resolves once the engine confirmed. */
  delete(ids: readonly string[]): Promise<void>;
  deleteAll(): Promise<void>;
  /**
   * Rebuilds the index from `batches` while the current one keeps answering, then switches over
   * (Meilisearch: a new index and an index swap; embedded: a second in-memory index).
   * Embedded: writes made during the rebuild reach the new index too. Meilisearch: writes made by
   * other processes during the rebuild land in the old index, so the caller re-upserts what changed
   * since it started reading (e.g. documents with `updatedAt` ≥ the start time).
   */
  reindex(batches: AsyncIterable<readonly D[]>): Promise<{ documents: number }>;
  search(request: SearchRequest<D>): Promise<SearchResult<D>>;
  /** Stored documents by id, in no particular order; missing ids are left out. */
  get(ids: readonly string[]): Promise<D[]>;
  count(): Promise<number>;
  /** Deletes the index itself (tests, and leftovers of an aborted reindex). */
  drop(): Promise<void>;
}

export interface SearchEngine {
  readonly kind: 'embedded' | 'meilisearch';
  index<D extends SearchDocument>(definition: IndexDefinition<D>): SearchIndex<D>;
  /** Resolves when the engine can answer queries; rejects with the reason otherwise. */
  health(): Promise<void>;
  close(): Promise<void>;
}

/** The request is not acceptable (unknown field, value too long, bad page): a 400 for callers. */
export class SearchInputError extends Error {
  /**
   * @param field the part of the request at fault — `q`, `page`, `hitsPerPage`, `sort`, `facets`,
   *   `highlight`, `filter` or `filter.<field>`, `document`, `id` — so callers can name their own
   *   parameter in a 400.
   */
  constructor(
    message: string,
    readonly field: string = 'request',
  ) {
    super(message);
    this.name = 'SearchInputError';
  }
}

/** The engine cannot be reached or timed out: a fast 503 for callers, never an unscoped fallback. */
export class SearchUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SearchUnavailableError';
  }
}

/** The engine reached but refused or failed a write (a failed Meilisearch task). */
export class SearchWriteError extends Error {
  constructor(
    message: string,
    readonly engineCode?: string,
  ) {
    super(message);
    this.name = 'SearchWriteError';
  }
}

/** `openings` with prefix `t_abc` → `t_abc_openings`. */
export function indexUid(prefix: string, name: string): string {
  return prefix ? `${prefix}_${name}` : name;
}
