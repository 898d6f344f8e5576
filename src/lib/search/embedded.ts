import MiniSearch, { type Query, type SearchOptions } from 'minisearch';
import { Bitset } from './bitset.js';
import { compareForSort, countFacets } from './filter-eval.js';
import { FilterIndex } from './filter-index.js';
import { type GatedMiniSearch, gated, gateOf } from './gate.js';
import {
  type HighlightedText,
  type IndexDefinition,
  indexUid,
  type SearchDocument,
  type SearchEngine,
  type SearchHit,
  type SearchIndex,
  type SearchRequest,
  type SearchResult,
  SearchUnavailableError,
  type SearchValue,
} from './port.js';
import {
  checkDefinition,
  checkId,
  type PreparedRequest,
  prepareDocuments,
  prepareRequest,
  reachablePages,
  SEARCH_LIMITS,
} from './request.js';
import {
  compileSynonyms,
  hanCharsTerms,
  hanCharsText,
  hasHan,
  highlight,
  isOneHanChar,
  pinyinText,
  type SynonymRule,
  synonymSlots,
  tokenize,
} from './text.js';

/**
 * The embedded engine: one in-memory index per declared index, in the process that created it.
 *
 * Built on MiniSearch for the words (a radix tree with BM25 scoring, Levenshtein fuzzy and prefix
 * matching per query term, query trees for synonym variants, replace/discard for upserts), with the
 * tokenizer, filters, facets, sorting, pagination and highlights done here so that they behave like
 * Meilisearch's (see filter-eval.ts).
 *
 * It lives in one process: the API owns it, rebuilds it from MongoDB when it starts and then follows
 * MongoDB through its change events (src/modules/search/search.follower.ts). Several API replicas would each hold
 * their own copy: use Meilisearch then.
 */

const PINYIN_FIELD = '_pinyin';
/** Hidden: each Chinese character once, searched only for a one-character query (text.ts). */
const HAN_FIELD = '_han';
/** The document itself, kept as MiniSearch's stored field so a posting reaches it without a lookup. */
const DOC_FIELD = '_doc';

type Stored = SearchDocument;

/**
 * One generation of an index. Each document holds a slot number, given at its first insertion and
 * kept when it is replaced: filters are evaluated to a bitset of slots first (filter-index.ts),
 * then a browse walks that bitset in slot order (the order documents first arrived) and a text
 * search keeps only postings whose slot is in it.
 */
interface Core {
  readonly mini: GatedMiniSearch;
  readonly docs: Map<string, Stored>;
  readonly slotOf: Map<string, number>;
  readonly bySlot: (Stored | undefined)[];
  /** MiniSearch's short id of the document in each slot. */
  readonly shortIdBySlot: number[];
  /** Every short id given so far is below this. */
  shortIdBound: number;
  readonly live: Bitset;
  readonly filters: FilterIndex;
}

/** Fields of codes get per-value bitsets; numbers are compared per document. */
const INDEXED_KINDS = new Set(['string', 'string[]', 'text', 'text[]', 'boolean']);

function textOf(value: SearchValue | undefined): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.join('\n');
  return '';
}

function stringsOf(value: SearchValue | undefined): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  return [];
}

class EmbeddedIndexState {
  definition: IndexDefinition<SearchDocument>;
  rules: SynonymRule[];
  core: Core;
  /** While a reindex runs: the index being built, and the ids written meanwhile (newer than its source). */
  pending: { core: Core; touched: Set<string> } | null = null;

  constructor(definition: IndexDefinition<SearchDocument>) {
    this.definition = definition;
    this.rules = compileSynonyms(definition.synonyms);
    this.core = this.newCore();
  }

  newCore(): Core {
    const def = this.definition;
    const pinyinFields = def.pinyinAttributes;
    const fields: string[] = [...def.searchableAttributes];
    if (pinyinFields.length) fields.push(PINYIN_FIELD);
    const hanFields = def.localizedAttributes;
    if (hanFields.length) fields.push(HAN_FIELD);
    const slotOf = new Map<string, number>();
    const mini = gated(
      new MiniSearch<Stored>({
        fields,
        storeFields: [DOC_FIELD],
        idField: 'id',
        extractField: (doc, field) =>
          field === DOC_FIELD
            ? doc
            : field === PINYIN_FIELD
              ? pinyinText(pinyinFields.flatMap((f) => stringsOf(doc[f])))
              : field === HAN_FIELD
                ? hanCharsText(hanFields.flatMap((f) => stringsOf(doc[f])))
                : field === 'id'
                  ? doc.id
                  : textOf(doc[field]),
        tokenize: (text, field) => (field === HAN_FIELD ? hanCharsTerms(text) : tokenize(text)),
        processTerm: (term) => term,
      }),
    );
    const kinds: Readonly<Record<string, string>> = def.fields;
    const indexed = def.filterableAttributes.filter((f) => INDEXED_KINDS.has(kinds[f] ?? ''));
    return {
      mini,
      docs: new Map(),
      slotOf,
      bySlot: [],
      shortIdBound: 0,
      shortIdBySlot: [],
      live: new Bitset(),
      filters: new FilterIndex(indexed),
    };
  }

  /** Applies new settings; the words are re-indexed only when what is indexed changed. */
  configure(definition: IndexDefinition<SearchDocument>): void {
    const before = textSettings(this.definition);
    this.definition = definition;
    this.rules = compileSynonyms(definition.synonyms);
    if (before === textSettings(definition)) return;
    const docs = [...this.core.docs.values()];
    this.core = this.newCore();
    for (const d of docs) put(this.core, d);
  }

  upsert(docs: readonly Stored[]): void {
    for (const d of docs) {
      put(this.core, d);
      if (this.pending) {
        put(this.pending.core, d);
        this.pending.touched.add(d.id);
      }
    }
  }

  delete(ids: readonly string[]): void {
    for (const id of ids) {
      remove(this.core, id);
      if (this.pending) {
        remove(this.pending.core, id);
        this.pending.touched.add(id);
      }
    }
  }

  clear(): void {
    this.core = this.newCore();
    if (this.pending) this.pending = { core: this.newCore(), touched: new Set() };
  }
}

function textSettings(def: IndexDefinition<SearchDocument>): string {
  return JSON.stringify([def.searchableAttributes, def.pinyinAttributes, def.localizedAttributes]);
}

function put(core: Core, doc: Stored): void {
  let slot = core.slotOf.get(doc.id);
  if (slot === undefined) {
    slot = core.bySlot.length;
    core.slotOf.set(doc.id, slot);
    core.bySlot.push(undefined);
  } else {
    // Removed term by term (not discarded): no stale posting is left for a search to meet, so
    // document frequencies stay exact and the gate below can skip what the filter excludes.
    core.mini.remove(core.bySlot[slot]!);
    core.filters.remove(slot, core.bySlot[slot]!);
  }
  core.bySlot[slot] = doc;
  core.live.add(slot);
  core.filters.add(slot, doc);
  core.mini.add(doc);
  const shortId = core.mini.shortIdOf(doc.id);
  core.shortIdBound = Math.max(core.shortIdBound, shortId + 1);
  core.shortIdBySlot[slot] = shortId;
  core.docs.set(doc.id, doc);
}

function remove(core: Core, id: string): void {
  const slot = core.slotOf.get(id);
  if (slot === undefined) return;
  core.mini.remove(core.bySlot[slot]!);
  core.filters.remove(slot, core.bySlot[slot]!);
  core.live.remove(slot);
  core.bySlot[slot] = undefined;
  core.slotOf.delete(id);
  core.docs.delete(id);
}

interface Hit {
  readonly doc: Stored;
  readonly score: number;
  readonly order: number;
  readonly terms: readonly string[];
}

function typoBudget(def: IndexDefinition<SearchDocument>) {
  const { enabled, minWordSizeForTypos } = def.typoTolerance;
  return (term: string): number => {
    // Chinese words are one to four characters and a "typo" in them is another word.
    if (!enabled || hasHan(term)) return 0;
    const length = [...term].length;
    if (length >= minWordSizeForTypos.twoTypos) return 2;
    if (length >= minWordSizeForTypos.oneTypo) return 1;
    return 0;
  };
}

function run(state: EmbeddedIndexState, req: PreparedRequest): Hit[] {
  const { core, definition: def } = state;
  if (req.filter === false) return [];
  // The filter first, as a set of slots: the words are then matched within it.
  const allowed =
    req.filter === true ? null : core.filters.evaluate(req.filter, core.live, (slot) => core.bySlot[slot]);
  if (allowed?.isEmpty()) return [];
  const terms = tokenize(req.q).slice(0, SEARCH_LIMITS.maxQueryWords);
  if (terms.length === 0) {
    // No words: every document passing the filter, in arrival order (a Meilisearch placeholder search).
    const out: Hit[] = [];
    (allowed ?? core.live).forEach((slot) => {
      out.push({ doc: core.bySlot[slot]!, score: 0, order: out.length, terms: [] });
    });
    return out;
  }
  const slots = synonymSlots(terms, state.rules);
  // Meilisearch matches the last word as a prefix (the word being typed). Not a lone Chinese
  // character: IMEs commit whole words, and 装 as a prefix would drag in every 装… word.
  const lastWord = (term: string, i: number, all: string[]) =>
    i === all.length - 1 && !(term.length === 1 && hasHan(term));
  const query: Query = {
    combineWith: 'AND',
    queries: slots.map((alternatives, s) => {
      const prefix = s === slots.length - 1 ? lastWord : false;
      if (alternatives.length === 1)
        return { combineWith: 'AND', prefix, queries: [alternatives[0]!.join(' ')] };
      return {
        combineWith: 'OR',
        prefix,
        queries: alternatives.map((words) => ({ combineWith: 'AND', queries: [words.join(' ')] })),
      };
    }),
  };
  const searchable = def.searchableAttributes;
  const boost: Record<string, number> = {};
  searchable.forEach((f, i) => {
    boost[f] = searchable.length - i;
  });
  const budget = typoBudget(def);
  const options: SearchOptions = {
    fields: [
      ...searchable,
      ...(def.pinyinAttributes.length ? [PINYIN_FIELD] : []),
      ...(isOneHanChar(req.q) && def.localizedAttributes.length ? [HAN_FIELD] : []),
    ],
    // Slots are already words: keep them as they are.
    tokenize: (s) => s.split(' '),
    processTerm: (t) => t,
    fuzzy: (term) => budget(term),
    boost,
  };
  const results = allowed
    ? withGate(core, allowed, () => core.mini.search(query, options))
    : core.mini.search(query, options);
  return results.map((r, order) => ({
    doc: r[DOC_FIELD] as Stored,
    score: r.score,
    order,
    terms: r.terms,
  }));
}

/** Runs `search` with MiniSearch gated by the filter's slots (gate.ts). */
function withGate<T>(core: Core, allowed: Bitset, search: () => T): T {
  core.mini.gate = gateOf(allowed, core.shortIdBound, (slot) => core.shortIdBySlot[slot]!);
  try {
    return search();
  } finally {
    core.mini.gate = null;
  }
}

function sortHits(
  list: Hit[],
  req: PreparedRequest,
  hasQuery: boolean,
  tieBreaker: { readonly field: string; readonly direction: 'asc' | 'desc' },
): void {
  list.sort((a, b) => {
    for (const s of req.sort) {
      const c = compareForSort(a.doc[s.field], b.doc[s.field], s.direction === 'desc');
      if (c !== 0) return c;
    }
    if (hasQuery && a.score !== b.score) return b.score - a.score;
    const c = compareForSort(
      a.doc[tieBreaker.field],
      b.doc[tieBreaker.field],
      tieBreaker.direction === 'desc',
    );
    return c !== 0 ? c : a.order - b.order;
  });
}

function highlightsOf(c: Hit, fields: readonly string[]): Record<string, HighlightedText[]> {
  const terms = new Set(c.terms);
  const out: Record<string, HighlightedText[]> = {};
  for (const f of fields) out[f] = stringsOf(c.doc[f]).map((v) => highlight(v, terms));
  return out;
}

function search<D extends SearchDocument>(
  state: EmbeddedIndexState,
  request: SearchRequest<D>,
): SearchResult<D> {
  const def = state.definition;
  const req = prepareRequest(def, request as SearchRequest<SearchDocument>);
  const list = run(state, req);
  const facets = countFacets(
    list.map((c) => c.doc),
    req.facets,
    def.faceting.maxValuesPerFacet,
  );
  sortHits(list, req, tokenize(req.q).length > 0, def.tieBreaker);
  const reachable = Math.min(list.length, def.pagination.maxTotalHits);
  const start = (req.page - 1) * req.hitsPerPage;
  const pageItems = list.slice(start, Math.max(start, Math.min(start + req.hitsPerPage, reachable)));
  const hits: SearchHit<D>[] = pageItems.map((c) => ({
    document: c.doc as D,
    highlights: highlightsOf(c, req.highlight) as SearchHit<D>['highlights'],
  }));
  return {
    hits,
    page: req.page,
    hitsPerPage: req.hitsPerPage,
    totalHits: list.length,
    totalPages: reachablePages(reachable, req.hitsPerPage),
    facets: facets as SearchResult<D>['facets'],
  };
}

/** Yields to the event loop during a reindex so searches and readiness checks keep being answered. */
const tick = () => new Promise<void>((resolve) => setImmediate(resolve));
/** The longest a reindex holds the event loop before it yields (ms). */
const SLICE_MS = 20;

class EmbeddedIndex<D extends SearchDocument> implements SearchIndex<D> {
  constructor(
    readonly uid: string,
    readonly definition: IndexDefinition<D>,
    private readonly engine: EngineState,
  ) {
    checkDefinition(definition);
  }

  private get states(): Map<string, EmbeddedIndexState> {
    if (this.engine.closed) throw new SearchUnavailableError('the embedded search engine is closed');
    return this.engine.states;
  }

  private get generic(): IndexDefinition<SearchDocument> {
    return this.definition as unknown as IndexDefinition<SearchDocument>;
  }

  /** The state, created on first use: the embedded engine needs no separate setup step. */
  private state(): EmbeddedIndexState {
    let s = this.states.get(this.uid);
    if (!s) {
      s = new EmbeddedIndexState(this.generic);
      this.states.set(this.uid, s);
    }
    return s;
  }

  async configure(): Promise<void> {
    const existing = this.states.get(this.uid);
    if (existing) existing.configure(this.generic);
    else this.state();
  }

  async upsert(documents: readonly D[]): Promise<void> {
    this.state().upsert(prepareDocuments(this.definition, documents));
  }

  async delete(ids: readonly string[]): Promise<void> {
    for (const id of ids) checkId(id);
    this.state().delete(ids);
  }

  async deleteAll(): Promise<void> {
    this.state().clear();
  }

  async reindex(batches: AsyncIterable<readonly D[]>): Promise<{ documents: number }> {
    const state = this.state();
    if (state.pending) throw new Error(`a reindex of ${this.uid} is already running`);
    const pending = { core: state.newCore(), touched: new Set<string>() };
    state.pending = pending;
    let documents = 0;
    try {
      for await (const batch of batches) {
        let slice = performance.now();
        for (const doc of prepareDocuments(this.definition, batch)) {
          documents += 1;
          // A write that reached the live index meanwhile is newer than this snapshot.
          if (!pending.touched.has(doc.id)) put(pending.core, doc);
          if (performance.now() - slice > SLICE_MS) {
            await tick();
            slice = performance.now();
          }
        }
        await tick();
      }
      if (state.pending !== pending) throw new Error(`the reindex of ${this.uid} was superseded`);
      state.core = pending.core;
      return { documents };
    } finally {
      if (state.pending === pending) state.pending = null;
    }
  }

  /** The settings are the declaration itself; only a build still under way makes it not ready. */
  async check(): Promise<void> {
    this.state();
    if (this.engine.notReady) throw new SearchUnavailableError(this.engine.notReady);
  }

  async search(request: SearchRequest<D>): Promise<SearchResult<D>> {
    const state = this.state();
    // A partial index would answer with partial results that look complete.
    if (this.engine.notReady) throw new SearchUnavailableError(this.engine.notReady);
    return search<D>(state, request);
  }

  async get(ids: readonly string[]): Promise<D[]> {
    const docs = this.state().core.docs;
    const out: D[] = [];
    for (const id of new Set(ids)) {
      const d = docs.get(id);
      if (d) out.push(d as D);
    }
    return out;
  }

  async count(): Promise<number> {
    return this.state().core.docs.size;
  }

  async drop(): Promise<void> {
    this.states.delete(this.uid);
  }
}

interface EngineState {
  readonly states: Map<string, EmbeddedIndexState>;
  /** Why searches are refused for now (the owner is still building the index), or null. */
  notReady: string | null;
  closed: boolean;
}

export interface EmbeddedSearchEngine extends SearchEngine {
  readonly kind: 'embedded';
  /**
   * Marks the engine as still being built (`reason`) or ready (`null`). Until ready, `health()`
   * rejects with the reason and searches fail with SearchUnavailableError; writes and `get`/`count`
   * work, so the owner can fill it.
   */
  setNotReady(reason: string | null): void;
}

/**
 * In-process engine: healthy for as long as the process that holds it is, once its owner has
 * filled it (`notReady` at creation: a process that rebuilds from MongoDB at start passes a reason
 * and clears it when done). After `close()` every call fails with SearchUnavailableError.
 */
export function createEmbeddedSearch(prefix = '', options: { notReady?: string } = {}): EmbeddedSearchEngine {
  const engine: EngineState = { states: new Map(), notReady: options.notReady ?? null, closed: false };
  return {
    kind: 'embedded',
    index<D extends SearchDocument>(definition: IndexDefinition<D>): SearchIndex<D> {
      return new EmbeddedIndex<D>(indexUid(prefix, definition.name), definition, engine);
    },
    setNotReady(reason) {
      engine.notReady = reason;
    },
    async health() {
      if (engine.closed) throw new Error('the embedded search engine is closed');
      if (engine.notReady) throw new Error(engine.notReady);
    },
    async close() {
      engine.closed = true;
      engine.states.clear();
    },
  };
}

export function isEmbedded(engine: SearchEngine): engine is EmbeddedSearchEngine {
  return engine.kind === 'embedded' && 'setNotReady' in engine;
}
