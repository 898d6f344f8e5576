import {
  type EnqueuedTaskPromise,
  type Index,
  Meilisearch,
  MeilisearchApiError,
  MeilisearchRequestError,
  MeilisearchRequestTimeOutError,
  MeilisearchTaskTimeOutError,
  type SearchParams,
  type Settings,
} from 'meilisearch';
import { withTimeout } from '../db/index.js';
import { plainQuery, quoteString, toMeiliFilter } from './meili-filter.js';
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
  SearchWriteError,
} from './port.js';
import {
  checkDefinition,
  checkId,
  HIGHLIGHT_POST,
  HIGHLIGHT_PRE,
  prepareDocuments,
  prepareRequest,
  reachablePages,
} from './request.js';
import { hanCharsText, hasHan, isOneHanChar, pinyinText, segmentsFromMarked } from './text.js';

/**
 * The Meilisearch adapter (used when MEILI_HOST is set). Settings are declared in code and applied
 * only where they differ; every write waits for its task and throws when the task did not succeed;
 * filters are built from the validated tree with every value escaped (meili-filter.ts).
 * Written against meilisearch-js 0.62 (Meilisearch ≥ 1.18: index swap with `rename`, `locales`).
 */

/** Hidden searchable field with the pinyin of the declared labels (the embedded engine has the same). */
const PINYIN_FIELD = '_pinyin';
/** Hidden: each Chinese character once, searched only for a one-character query (text.ts). */
const HAN_FIELD = '_han';
/** Documents per request: well under Meilisearch's payload limit, small enough to retry. */
const WRITE_CHUNK = 1_000;
const TASK_TIMEOUT_MS = 120_000;
const REINDEX_SUFFIX = '__reindex';

type MeiliDoc = Record<string, SearchValue>;

/**
 * One connection per request. Meilisearch (actix-web) leaves Nagle's algorithm on and writes a
 * response's head and body separately, so on a kept-alive connection the body waits for the
 * client's delayed ACK (about 40 ms on Linux) whenever it is small enough to be held back. A new
 * connection starts in quick-ACK mode and does not wait; the client's own TCP_NODELAY cannot help,
 * since the held-back write is the server's. The server closes, so TIME_WAIT stays on its side.
 */
const FRESH_CONNECTION = { Connection: 'close' } as const;

function unavailable(err: unknown): boolean {
  return (
    err instanceof MeilisearchRequestError ||
    err instanceof MeilisearchRequestTimeOutError ||
    err instanceof MeilisearchTaskTimeOutError ||
    (err instanceof MeilisearchApiError && err.response.status >= 500)
  );
}

function indexMissing(err: unknown): boolean {
  return err instanceof MeilisearchApiError && err.cause?.code === 'index_not_found';
}

/** Engine outages become SearchUnavailableError (a 503 upstream); anything else is rethrown. */
async function guard<T>(what: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (unavailable(err))
      throw new SearchUnavailableError(`meilisearch: ${what}: ${(err as Error).message}`, { cause: err });
    throw err;
  }
}

/**
 * Reads also count a missing index as unavailable: between a fresh deployment's start and the
 * first setup, or after an index was deleted, the answer is "try again shortly", not a 500.
 */
async function readGuard<T>(what: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await guard(what, fn);
  } catch (err) {
    if (indexMissing(err))
      throw new SearchUnavailableError(`meilisearch: ${what}: ${(err as Error).message}`, { cause: err });
    throw err;
  }
}

async function awaitTask(what: string, enqueued: EnqueuedTaskPromise, accept: readonly string[] = []) {
  const task = await guard(what, () => enqueued.waitTask({ timeout: TASK_TIMEOUT_MS, interval: 50 })).catch(
    (err: unknown) => {
      // Refused at enqueue time (bad payload, missing rights): a failed write like a failed task.
      if (err instanceof MeilisearchApiError) {
        if (err.cause && accept.includes(err.cause.code)) return null;
        throw new SearchWriteError(`meilisearch: ${what}: ${err.message}`, err.cause?.code);
      }
      throw err;
    },
  );
  if (task === null || task.status === 'succeeded') return;
  const code = task.error?.code;
  if (code && accept.includes(code)) return;
  throw new SearchWriteError(
    `meilisearch: ${what}: task ${task.uid} ${task.status}${code ? ` (${code}: ${task.error?.message})` : ''}`,
    code,
  );
}

function chunks<T>(list: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}

function stringsOf(value: SearchValue | undefined): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  return [];
}

/** The Meilisearch settings a declaration stands for. */
export function meiliSettings<D extends SearchDocument>(def: IndexDefinition<D>): Settings {
  const searchable: string[] = [...def.searchableAttributes];
  if (def.pinyinAttributes.length) searchable.push(PINYIN_FIELD);
  if (def.localizedAttributes.length) searchable.push(HAN_FIELD);
  const synonyms: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(def.synonyms)) synonyms[k] = [...v];
  return {
    searchableAttributes: searchable,
    // `id` is filterable so documents can be fetched by id with a filter on any 1.x version.
    filterableAttributes: [...new Set(['id', ...def.filterableAttributes])],
    sortableAttributes: [...def.sortableAttributes],
    rankingRules: [...def.rankingRules, `${def.tieBreaker.field}:${def.tieBreaker.direction}`],
    typoTolerance: {
      enabled: def.typoTolerance.enabled,
      minWordSizeForTypos: { ...def.typoTolerance.minWordSizeForTypos },
    },
    synonyms,
    localizedAttributes: def.localizedAttributes.length
      ? [{ attributePatterns: [...def.localizedAttributes, HAN_FIELD], locales: ['cmn'] }]
      : null,
    faceting: { maxValuesPerFacet: def.faceting.maxValuesPerFacet, sortFacetValuesBy: { '*': 'count' } },
    pagination: { maxTotalHits: def.pagination.maxTotalHits },
    facetSearch: false,
  };
}

/** JSON with object keys sorted, so key order in Meilisearch's answer does not count as a change. */
function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object')
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stableJson((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(value) ?? 'null';
}

function canonical(key: keyof Settings, value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if ((key === 'filterableAttributes' || key === 'sortableAttributes') && Array.isArray(value))
    return JSON.stringify([...value].map((v) => JSON.stringify(v)).sort());
  if (key === 'synonyms' && typeof value === 'object')
    return JSON.stringify(
      Object.entries(value as Record<string, string[]>)
        .map(([k, v]) => [k, [...v].sort()] as const)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
    );
  if (key === 'typoTolerance' && typeof value === 'object') {
    const t = value as NonNullable<Settings['typoTolerance']>;
    return JSON.stringify([t.enabled, t.minWordSizeForTypos?.oneTypo, t.minWordSizeForTypos?.twoTypos]);
  }
  return stableJson(value);
}

/** Only the settings that differ from the index's current ones (empty: nothing to do). */
export function settingsDiff(desired: Settings, current: Settings): Settings {
  const diff: Record<string, unknown> = {};
  for (const key of Object.keys(desired) as (keyof Settings)[]) {
    if (canonical(key, desired[key]) !== canonical(key, current[key])) diff[key] = desired[key];
  }
  return diff as Settings;
}

function toMeiliDoc<D extends SearchDocument>(def: IndexDefinition<D>, doc: D): MeiliDoc {
  const out: MeiliDoc = { ...doc };
  if (def.pinyinAttributes.length)
    out[PINYIN_FIELD] = pinyinText(def.pinyinAttributes.flatMap((f) => stringsOf(doc[f])));
  if (def.localizedAttributes.length)
    out[HAN_FIELD] = hanCharsText(def.localizedAttributes.flatMap((f) => stringsOf(doc[f])));
  return out;
}

/** A stored document without the engine's own fields (`_pinyin`, `_formatted`, …). */
function fromMeiliDoc<D extends SearchDocument>(hit: Record<string, unknown>): D {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(hit)) if (!k.startsWith('_')) out[k] = v;
  return out as D;
}

function highlightsOf(formatted: Record<string, unknown> | undefined, fields: readonly string[]) {
  const out: Record<string, HighlightedText[]> = {};
  for (const f of fields) {
    const v = formatted?.[f];
    const values =
      typeof v === 'string' ? [v] : Array.isArray(v) ? v.filter((x) => typeof x === 'string') : [];
    out[f] = values.map((s: string) => segmentsFromMarked(s, HIGHLIGHT_PRE, HIGHLIGHT_POST));
  }
  return out;
}

class MeiliIndex<D extends SearchDocument> implements SearchIndex<D> {
  constructor(
    private readonly client: Meilisearch,
    readonly uid: string,
    readonly definition: IndexDefinition<D>,
  ) {
    checkDefinition(definition);
    this.searchOn = (meiliSettings(definition).searchableAttributes ?? []).filter((f) => f !== HAN_FIELD);
  }

  /** Every searchable field but the one-character one. */
  private readonly searchOn: string[];

  private handle(uid = this.uid): Index<MeiliDoc> {
    return this.client.index<MeiliDoc>(uid);
  }

  private async ensureConfigured(uid: string): Promise<void> {
    const exists = await guard('get index', () =>
      this.client.getIndex(uid).then(
        () => true,
        (err: unknown) => {
          if (indexMissing(err)) return false;
          throw err;
        },
      ),
    );
    // Another process may create it between the check and here: that is fine.
    if (!exists)
      await awaitTask(`create ${uid}`, this.client.createIndex(uid, { primaryKey: 'id' }), [
        'index_already_exists',
      ]);
    const current = await guard('get settings', () => this.handle(uid).getSettings());
    const diff = settingsDiff(meiliSettings(this.definition), current);
    if (Object.keys(diff).length)
      await awaitTask(`settings of ${uid}`, this.handle(uid).updateSettings(diff));
  }

  async configure(): Promise<void> {
    await this.ensureConfigured(this.uid);
  }

  async check(): Promise<void> {
    const current = await readGuard('get settings', () => this.handle().getSettings()).catch(
      (err: unknown) => {
        // A key with `search` alone may not read settings: then only check that the index answers.
        if (err instanceof MeilisearchApiError && err.response.status === 403) return null;
        throw err;
      },
    );
    if (current === null) {
      await readGuard('search', () => this.handle().search(null, { hitsPerPage: 0, page: 1 }));
      return;
    }
    const differ = Object.keys(settingsDiff(meiliSettings(this.definition), current));
    if (differ.length)
      throw new SearchUnavailableError(
        `meilisearch: ${this.uid} has settings other than declared (${differ.join(', ')}): run search:setup`,
      );
  }

  private async write(uid: string, documents: readonly D[]): Promise<void> {
    const prepared = prepareDocuments(this.definition, documents).map((d) => toMeiliDoc(this.definition, d));
    for (const chunk of chunks(prepared, WRITE_CHUNK))
      await awaitTask(`upsert into ${uid}`, this.handle(uid).addDocuments(chunk, { primaryKey: 'id' }));
  }

  async upsert(documents: readonly D[]): Promise<void> {
    await this.write(this.uid, documents);
  }

  async delete(ids: readonly string[]): Promise<void> {
    const list = [...new Set(ids)].map((id) => checkId(id));
    for (const chunk of chunks(list, WRITE_CHUNK))
      await awaitTask(`delete from ${this.uid}`, this.handle().deleteDocuments(chunk));
  }

  async deleteAll(): Promise<void> {
    await awaitTask(`clear ${this.uid}`, this.handle().deleteAllDocuments());
  }

  async reindex(batches: AsyncIterable<readonly D[]>): Promise<{ documents: number }> {
    const next = `${this.uid}${REINDEX_SUFFIX}`;
    // A leftover of an aborted reindex holds stale documents: start it afresh.
    await awaitTask(`drop ${next}`, this.client.deleteIndex(next), ['index_not_found']);
    await this.ensureConfigured(next);
    let documents = 0;
    for await (const batch of batches) {
      await this.write(next, batch);
      documents += batch.length;
    }
    // Swapping needs both indexes; the live one exists unless this is the very first build.
    await this.ensureConfigured(this.uid);
    await awaitTask(
      `swap ${this.uid}`,
      this.client.swapIndexes([{ indexes: [this.uid, next], rename: false }]),
    );
    await awaitTask(`drop ${next}`, this.client.deleteIndex(next), ['index_not_found']);
    return { documents };
  }

  async search(request: SearchRequest<D>): Promise<SearchResult<D>> {
    const req = prepareRequest(this.definition, request);
    const emptyFacets = Object.fromEntries(req.facets.map((f) => [f, {}]));
    if (req.filter === false)
      return {
        hits: [],
        page: req.page,
        hitsPerPage: req.hitsPerPage,
        totalHits: 0,
        totalPages: 0,
        facets: emptyFacets as SearchResult<D>['facets'],
      };
    const q = plainQuery(req.q);
    const params: SearchParams & { page: number; hitsPerPage: number } = {
      page: req.page,
      hitsPerPage: req.hitsPerPage,
      matchingStrategy: 'all',
      // The declared fields only: not the hidden `_pinyin`, which is larger than the rest.
      attributesToRetrieve: Object.keys(this.definition.fields),
    };
    if (req.filter !== true) params.filter = toMeiliFilter(req.filter);
    if (req.facets.length) params.facets = [...req.facets];
    if (req.sort.length) params.sort = req.sort.map((s) => `${s.field}:${s.direction}`);
    if (req.highlight.length) {
      params.attributesToHighlight = [...req.highlight];
      params.highlightPreTag = HIGHLIGHT_PRE;
      params.highlightPostTag = HIGHLIGHT_POST;
    }
    // The hidden one-character field only for a one-character query (text.ts: isOneHanChar).
    if (this.definition.localizedAttributes.length && !isOneHanChar(q))
      params.attributesToSearchOn = this.searchOn;
    // Short Chinese queries are easily taken for Japanese by language detection.
    if (hasHan(q)) params.locales = ['cmn'];
    const res = await readGuard('search', () =>
      this.handle().search<MeiliDoc, typeof params>(q || null, params),
    );
    const hits: SearchHit<D>[] = res.hits.map((hit) => ({
      document: fromMeiliDoc<D>(hit),
      highlights: highlightsOf(hit._formatted, req.highlight) as SearchHit<D>['highlights'],
    }));
    const facets: Record<string, Record<string, number>> = { ...emptyFacets };
    for (const f of req.facets) facets[f] = { ...(res.facetDistribution?.[f] ?? {}) };
    return {
      hits,
      page: res.page,
      hitsPerPage: res.hitsPerPage,
      totalHits: res.totalHits,
      // Meilisearch counts pages over every match, though those past maxTotalHits come back empty.
      totalPages: reachablePages(
        Math.min(res.totalHits, this.definition.pagination.maxTotalHits),
        res.hitsPerPage,
      ),
      facets: facets as SearchResult<D>['facets'],
    };
  }

  async get(ids: readonly string[]): Promise<D[]> {
    const list = [...new Set(ids)].map((id) => checkId(id));
    const out: D[] = [];
    for (const chunk of chunks(list, WRITE_CHUNK)) {
      const res = await readGuard('get documents', () =>
        this.handle().getDocuments({
          filter: `id IN [${chunk.map(quoteString).join(', ')}]`,
          limit: chunk.length,
        }),
      );
      for (const d of res.results) out.push(fromMeiliDoc<D>(d));
    }
    return out;
  }

  async count(): Promise<number> {
    const stats = await readGuard('stats', () => this.handle().getStats());
    return stats.numberOfDocuments;
  }

  async drop(): Promise<void> {
    await awaitTask(`drop ${this.uid}`, this.client.deleteIndex(this.uid), ['index_not_found']);
  }
}

/**
 * What a key is, as far as Meilisearch tells: the master key may list `/keys` but is never among
 * the keys it lists; an API key either may not list keys (403) or is listed itself.
 * `unreachable`: the question could not be asked (the caller decides what that means).
 */
export async function meiliKeyKind(
  host: string,
  apiKey: string,
): Promise<'master' | 'api_key' | 'invalid' | 'unreachable'> {
  const client = new Meilisearch({ host, apiKey, timeout: 3_000 });
  const listed = new Set<string>();
  try {
    for (let offset = 0; ; ) {
      const page = await client.getKeys({ offset, limit: 100 });
      for (const k of page.results) listed.add(k.key);
      offset += page.results.length;
      if (!page.results.length || offset >= page.total) break;
    }
  } catch (err) {
    if (err instanceof MeilisearchApiError && err.cause?.code === 'invalid_api_key') return 'api_key';
    if (err instanceof MeilisearchApiError && err.response.status === 401) return 'invalid';
    if (unavailable(err)) return 'unreachable';
    throw err;
  }
  return listed.has(apiKey) ? 'api_key' : 'master';
}

export function createMeilisearch(host: string, apiKey: string | undefined, prefix = ''): SearchEngine {
  const client = new Meilisearch({
    host,
    apiKey,
    timeout: 5_000,
    requestInit: { headers: FRESH_CONNECTION },
  });
  return {
    kind: 'meilisearch',
    index<D extends SearchDocument>(definition: IndexDefinition<D>): SearchIndex<D> {
      return new MeiliIndex<D>(client, indexUid(prefix, definition.name), definition);
    },
    async health() {
      const res = await withTimeout(client.health(), 1_500);
      if (res.status !== 'available') throw new Error(`meilisearch ${res.status}`);
    },
    async close() {},
  };
}
