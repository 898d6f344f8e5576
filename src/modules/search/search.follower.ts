import { type ChangedEntity, onLocalChange } from '../../jobs/changes.js';
import type { Logger } from '../../lib/logger.js';
import type { EmbeddedSearchEngine } from '../../lib/search/embedded.js';
import type { SearchDocument, SearchIndex } from '../../lib/search/index.js';
import type { SearchSource } from './search.sources.js';
import { catchUp, documentsOf, OVERLAP_MS, refreshIds } from './search.sync.js';

/**
 * The embedded engine's way of following MongoDB, in the API process that holds it:
 *
 * 1. at start, every index is rebuilt from MongoDB while the engine reports itself not ready
 *    (`/readyz` names search, searches answer 503);
 * 2. then, every `intervalMs` (or PACE times the last poll's duration, if longer), the entities
 *    changed since the previous poll (with OVERLAP_MS) are compared with the index by version and
 *    what lags is written; changes made elsewhere (the worker, scripts) arrive that way, within
 *    one interval. The API's own changes are written at once: each one it publishes names the
 *    entity (a hint through `onLocalChange`), which is re-read by id.
 *
 * It needs neither Redis nor the worker: an index job could not reach this process anyway, and
 * while Redis is down the index still converges. Only one process can follow this way: with
 * several API replicas use Meilisearch.
 */
export interface SearchFollower {
  /** Resolves once the first rebuild finished (it is retried until it does). */
  readonly ready: Promise<void>;
  /** Runs a catch-up now (after the one in progress) and resolves when the index reflects MongoDB as it was when called. */
  syncNow(): Promise<void>;
  /** Catch-ups completed since start (the rebuild excluded). */
  readonly polls: number;
  /** How long the last catch-up took (ms). */
  readonly lastPollMs: number;
  close(): Promise<void>;
}

export interface FollowerOptions {
  engine: EmbeddedSearchEngine;
  sources: readonly SearchSource<SearchDocument>[];
  intervalMs: number;
  logger: Logger;
}

export const REBUILDING = 'the search index is being built from MongoDB';

/**
 * A poll waits at least this many times as long as the previous one took, so that following
 * MongoDB never takes more than about a fifth of the API's time. A poll is an index range scan on
 * `updatedAt` (milliseconds); a long one means a large burst of changes was read, and the next
 * waits accordingly.
 */
const PACE = 4;

export function startSearchFollower(opts: FollowerOptions): SearchFollower {
  const { engine, logger, intervalMs } = opts;
  const targets = opts.sources.map((source) => ({
    source,
    index: engine.index(source.definition) as SearchIndex<SearchDocument>,
    /** Everything changed before this is in the index. */
    syncedTo: null as Date | null,
  }));
  let closed = false;
  let built = false;
  let polls = 0;
  let timer: NodeJS.Timeout | undefined;
  let chain: Promise<unknown> = Promise.resolve();
  let hinted = false;
  let lastPollMs = 0;
  const paced = () => Math.max(intervalMs, PACE * lastPollMs);
  let resolveReady!: () => void;
  const ready = new Promise<void>((resolve) => {
    resolveReady = resolve;
  });

  engine.setNotReady(REBUILDING);

  async function rebuild(): Promise<void> {
    const started = new Date();
    let documents = 0;
    for (const t of targets) {
      await t.index.configure();
      documents += (await t.index.reindex(documentsOf(t.source))).documents;
    }
    for (const t of targets) t.syncedTo = started;
    built = true;
    engine.setNotReady(null);
    resolveReady();
    logger.info({ documents, ms: Date.now() - started.getTime() }, 'search index built from MongoDB');
  }

  async function poll(): Promise<void> {
    const started = new Date();
    let written = 0;
    for (const t of targets) {
      const since = new Date(t.syncedTo!.getTime() - OVERLAP_MS);
      written += (await catchUp(t.index, t.source, since, { concurrentWriters: false })).written;
      t.syncedTo = started;
    }
    polls += 1;
    lastPollMs = Date.now() - started.getTime();
    if (written) logger.debug({ written, ms: lastPollMs }, 'search index caught up with MongoDB');
  }

  /** One step at a time, in order; a failure is reported to the caller and does not stop the chain. */
  function step(): Promise<void> {
    const run = chain.then(() => (closed ? undefined : built ? poll() : rebuild()));
    chain = run.catch(() => undefined);
    return run;
  }

  function schedule(delay: number): void {
    if (closed) return;
    clearTimeout(timer);
    timer = setTimeout(() => {
      step()
        .catch((err: unknown) =>
          logger.warn(
            { err: (err as Error).message, building: !built },
            built ? 'search poll failed; retrying' : 'search index build failed; retrying',
          ),
        )
        .finally(() => schedule(paced()));
    }, delay);
    timer.unref();
  }

  /** Ids this process changed and that are not yet re-read, by entity. */
  const changed = new Map<ChangedEntity, Set<string>>();

  async function refresh(): Promise<void> {
    hinted = false;
    for (const t of targets) {
      const ids = changed.get(t.source.entity);
      if (!ids?.size) continue;
      changed.delete(t.source.entity);
      await refreshIds(t.index, t.source, [...ids]);
    }
  }

  const stopHints = onLocalChange((change) => {
    if (!built || closed) return;
    const ids = changed.get(change.entity) ?? new Set<string>();
    changed.set(change.entity, ids);
    ids.add(change.id);
    // Several changes in one request give one re-read, after the step in progress.
    if (hinted) return;
    hinted = true;
    const run = chain.then(refresh);
    chain = run.catch((err: unknown) =>
      logger.warn(
        { err: (err as Error).message },
        'search refresh of local changes failed; the next poll covers it',
      ),
    );
  });

  schedule(0);

  return {
    ready,
    get polls() {
      return polls;
    },
    get lastPollMs() {
      return lastPollMs;
    },
    async syncNow() {
      await ready;
      await step();
    },
    async close() {
      closed = true;
      clearTimeout(timer);
      stopHints();
      await chain;
    },
  };
}
