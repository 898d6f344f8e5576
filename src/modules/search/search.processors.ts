import type { Config } from '../../config.js';
import type { JobPayload } from '../../jobs/catalogue.js';
import type {
  ProcessorRegistration,
  ProcessorResult,
  Schedule,
  WorkerContext,
} from '../../jobs/processor.js';
import { createSearchEngine, type SearchDocument, type SearchEngine } from '../../lib/search/index.js';
import { openingsSource, type SearchSource, searchSources, workerProfilesSource } from './search.sources.js';
import { sweepIndex, syncIds } from './search.sync.js';

/**
 * The worker's side of search (Meilisearch mode): one job per change, keyed by entity id and
 * version (src/jobs/changes.ts), and the scheduled sweep. Each job re-reads MongoDB — the payload
 * is only a hint that something changed — writes, and waits until the engine confirmed.
 *
 * With the embedded engine there is nothing for the worker to write to: the API follows MongoDB
 * itself (search.follower.ts), and these jobs complete as skipped.
 */
const EMBEDDED = { skipped: 'embedded search engine: the API follows MongoDB itself' };

async function indexChange<D extends SearchDocument>(
  engine: SearchEngine,
  source: SearchSource<D>,
  change: JobPayload<'search.index-opening'>,
): Promise<ProcessorResult> {
  const index = engine.index(source.definition);
  const [stored] = await index.get([change.id]);
  // A duplicate, or a job that arrives after a later one (or a sweep) already wrote a newer version.
  const version = stored?.version;
  if (typeof version === 'number' && version >= change.version)
    return { skipped: `version ${version} is already indexed` };
  return { ...(await syncIds(index, source, [change.id])) };
}

/**
 * `engine`: the engine to write to; by default Meilisearch when MEILI_HOST is set (created on first
 * use), none otherwise. Tests pass a shared engine to run this path without Meilisearch.
 */
export function searchProcessors(
  deps: Pick<WorkerContext, 'config' | 'logger'>,
  options: { engine?: SearchEngine | null } = {},
): ProcessorRegistration[] {
  let engine = options.engine;
  const engineOf = (): SearchEngine | null => {
    if (engine === undefined)
      engine = deps.config.search.meiliHost ? createSearchEngine(deps.config, 'worker') : null;
    return engine;
  };
  return [
    {
      job: 'search.index-opening',
      process: async (payload) => {
        const e = engineOf();
        return e ? indexChange(e, openingsSource, payload) : EMBEDDED;
      },
    },
    {
      job: 'search.index-worker-profile',
      process: async (payload) => {
        const e = engineOf();
        return e ? indexChange(e, workerProfilesSource, payload) : EMBEDDED;
      },
    },
    {
      job: 'search.sweep',
      process: async (payload) => {
        const e = engineOf();
        if (!e) return EMBEDDED;
        const results = [];
        for (const source of searchSources())
          results.push(await sweepIndex(e.index(source.definition), source, { full: payload.full }));
        const written = results.reduce((n, r) => n + r.written, 0);
        if (written) deps.logger.info({ results }, 'search sweep wrote lagging documents');
        return { results };
      },
    },
  ];
}

/**
 * The sweep, every SEARCH_SYNC_INTERVAL_MS, where the worker writes the index (Meilisearch). With
 * the embedded engine the API follows MongoDB itself and no sweep is scheduled.
 */
export function searchSweepSchedule(config: Config): Schedule {
  return { id: 'search-sweep', job: 'search.sweep', every: config.search.syncIntervalMs, payload: {} };
}

export function searchSchedules(config: Config): Schedule[] {
  return config.search.meiliHost ? [searchSweepSchedule(config)] : [];
}
