import { type ChangedEntity, onLocalChange } from '../../jobs/changes.js';
import type { Logger } from '../../lib/logger.js';
import type { EmbeddedSearchEngine } from '../../lib/search/embedded.js';
import type { SearchDocument, SearchIndex } from '../../lib/search/index.js';
import type { ChangeHandlers, ChangeNotice, ChangeSubscription } from './search.changes.js';
import type { SearchSource } from './search.sources.js';
import { catchUp, documentsOf, OVERLAP_MS, refreshIds } from './search.sync.js';

/**
 * The embedded engine's way of following MongoDB, in the API process that holds it:
 *
 * 1. at start, every index is rebuilt from MongoDB while the engine reports itself not ready
 *    (`/readyz` names search, searches answer 503);
 * 2. then it follows the change events every process publishes to Redis (search.changes.ts): the
 *    documents they name are re-read from MongoDB by id, in batches, and written where the index
 *    lags. The API's own changes are also heard directly (`onLocalChange`), so they are written
 *    even while Redis is down;
 * 3. when the subscription comes back after a loss of Redis, everything changed since the loss
 *    (with OVERLAP_MS) is compared with the index, as is, every `sweepIntervalMs` (or PACE times
 *    the last sweep's duration, if longer), everything changed since the previous sweep: writes
 *    that published no event (a script writing MongoDB directly, a trimmed event stream) arrive
 *    that way.
 *
 * Only one process can follow this way: with several API replicas use Meilisearch.
 */
export interface SearchFollower {
  /** Resolves once the first rebuild finished (it is retried until it does). */
  readonly ready: Promise<void>;
  /** Runs a sweep now (after the step in progress) and resolves when the index reflects MongoDB as it was when called. */
  syncNow(): Promise<void>;
  /** Sweeps completed since start (the rebuild excluded; catch-ups after a gap included). */
  readonly sweeps: number;
  /** How long the last sweep took (ms). */
  readonly lastSweepMs: number;
  /** Documents re-read because an event or a local change named them. */
  readonly refreshed: number;
  close(): Promise<void>;
}

export type SubscribeChanges = (handlers: ChangeHandlers, since: number) => ChangeSubscription;

export interface FollowerOptions {
  engine: EmbeddedSearchEngine;
  sources: readonly SearchSource<SearchDocument>[];
  /** How often everything changed since the previous sweep is compared with the index. */
  sweepIntervalMs: number;
  /** The change events to follow; without them only local changes and sweeps reach the index. */
  subscribe?: SubscribeChanges;
  logger: Logger;
}

export const REBUILDING = 'the search index is being built from MongoDB';

/**
 * A sweep waits at least this many times as long as the previous one took, so that following
 * MongoDB never takes more than about a fifth of the API's time.
 */
const PACE = 4;
/** Ids re-read from MongoDB in one query (`_id: {$in}`). */
const REFRESH_BATCH = 500;
/** After a failed re-read of named ids, the wait before trying them again. */
const RETRY_MS = 1_000;

export function startSearchFollower(opts: FollowerOptions): SearchFollower {
  const { engine, logger, sweepIntervalMs } = opts;
  const startedAt = Date.now();
  const targets = opts.sources.map((source) => ({
    source,
    index: engine.index(source.definition) as SearchIndex<SearchDocument>,
    /** Everything changed before this is in the index (the start of the last rebuild or sweep). */
    syncedTo: null as Date | null,
  }));
  let closed = false;
  let built = false;
  let sweeps = 0;
  let refreshed = 0;
  let timer: NodeJS.Timeout | undefined;
  let retry: NodeJS.Timeout | undefined;
  let chain: Promise<unknown> = Promise.resolve();
  let lastSweepMs = 0;
  const paced = () => Math.max(sweepIntervalMs, PACE * lastSweepMs);
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

  /** Compares what changed at or after `since` (per target: its own sync point when absent). */
  async function sweep(since?: Date): Promise<void> {
    const started = new Date();
    let written = 0;
    for (const t of targets) {
      const from = since ?? new Date(t.syncedTo!.getTime() - OVERLAP_MS);
      written += (await catchUp(t.index, t.source, from, { concurrentWriters: false })).written;
      if (!since) t.syncedTo = started;
    }
    sweeps += 1;
    lastSweepMs = Date.now() - started.getTime();
    if (written) logger.info({ written, ms: lastSweepMs }, 'search sweep wrote documents the events missed');
  }

  /** One step at a time, in order; a failure is reported to the caller and does not stop the chain. */
  function step(work: () => Promise<void>): Promise<void> {
    const run = chain.then(() => (closed ? undefined : built ? work() : rebuild()));
    chain = run.catch(() => undefined);
    return run;
  }

  function schedule(delay: number): void {
    if (closed) return;
    clearTimeout(timer);
    timer = setTimeout(() => {
      step(() => sweep())
        .catch((err: unknown) =>
          logger.warn(
            { err: (err as Error).message, building: !built },
            built ? 'search sweep failed; retrying' : 'search index build failed; retrying',
          ),
        )
        .finally(() => schedule(built ? paced() : RETRY_MS));
    }, delay);
    timer.unref();
  }

  /** Ids named by events or local changes and not yet re-read, by entity, with the highest version named. */
  const named = new Map<ChangedEntity, Map<string, number>>();
  let flushQueued = false;

  async function flush(): Promise<void> {
    flushQueued = false;
    for (const t of targets) {
      const ids = named.get(t.source.entity);
      if (!ids?.size) continue;
      named.delete(t.source.entity);
      // An index already holding the version named (or a later one) has nothing to re-read: the
      // API's own change arrives both as a local hint and as an event.
      const held = new Map((await t.index.get([...ids.keys()])).map((d) => [d.id, Number(d.version)]));
      const stale = [...ids].filter(([id, version]) => !((held.get(id) ?? -1) >= version));
      for (let i = 0; i < stale.length; i += REFRESH_BATCH) {
        const batch = stale.slice(i, i + REFRESH_BATCH);
        try {
          await refreshIds(
            t.index,
            t.source,
            batch.map(([id]) => id),
          );
          refreshed += batch.length;
        } catch (err) {
          // Named again, to be re-read later: the event will not come twice.
          for (const [id, version] of stale.slice(i)) note(t.source.entity, id, version);
          queueFlush(RETRY_MS);
          throw err;
        }
      }
    }
  }

  function queueFlush(delay = 0): void {
    if (flushQueued || closed) return;
    flushQueued = true;
    const go = () => {
      const run = step(flush);
      run.catch((err: unknown) =>
        logger.warn({ err: (err as Error).message }, 'search refresh of changed documents failed; retrying'),
      );
    };
    if (delay === 0) go();
    else {
      clearTimeout(retry);
      retry = setTimeout(go, delay);
      retry.unref();
    }
  }

  function note(entity: ChangedEntity, id: string, version: number): void {
    const ids = named.get(entity) ?? new Map<string, number>();
    named.set(entity, ids);
    ids.set(id, Math.max(version, ids.get(id) ?? version));
  }

  function hear(change: ChangeNotice): void {
    if (closed) return;
    note(change.entity, change.id, change.version);
    // Several changes heard before the step in progress ends give one re-read; until the index
    // is built they wait for it.
    if (built) queueFlush();
  }

  const stopHints = onLocalChange(hear);
  let subscription: ChangeSubscription | undefined;
  if (opts.subscribe)
    subscription = opts.subscribe(
      {
        onChange: hear,
        onGap(lostAt) {
          if (closed) return;
          logger.info(
            { lostAt: new Date(lostAt).toISOString() },
            'search change events back; comparing what changed meanwhile',
          );
          step(() => sweep(new Date(lostAt - OVERLAP_MS))).catch((err: unknown) =>
            logger.warn(
              { err: (err as Error).message },
              'search catch-up after a gap failed; the next sweep covers it',
            ),
          );
        },
      },
      // Events from before the rebuild starts are covered by it.
      startedAt - OVERLAP_MS,
    );

  schedule(0);
  void ready.then(() => queueFlush());

  return {
    ready,
    get sweeps() {
      return sweeps;
    },
    get lastSweepMs() {
      return lastSweepMs;
    },
    get refreshed() {
      return refreshed;
    },
    async syncNow() {
      await ready;
      await step(() => sweep());
    },
    async close() {
      closed = true;
      clearTimeout(timer);
      clearTimeout(retry);
      stopHints();
      await subscription?.close();
      await chain;
    },
  };
}
