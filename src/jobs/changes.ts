import type { Logger } from '../lib/logger.js';
import { type CHANGE_KINDS, JOBS, type JobName, jobId } from './catalogue.js';
import { type EnqueueOptions, enqueue, type Queues } from './queues.js';

/**
 * Change propagation without transactions (DESIGN §4): a module that writes a versioned document
 * publishes "entity X is now at version v"; consumers (search indexing, matching) subscribe here
 * by job name. The publisher knows nothing of its consumers.
 *
 * The document is its own outbox: if Redis is down the write still stands, publishing is skipped
 * with a warning, and each consumer's sweeper re-enqueues whatever is behind its recorded version.
 */
export type ChangedEntity = 'worker_profile' | 'opening';

export type ChangeKind = (typeof CHANGE_KINDS)[number];

/** Jobs taking `{ id, version, kind }` (`changePayload`) that run on every change of the entity. */
export const CHANGE_SUBSCRIBERS: Record<ChangedEntity, JobName[]> = {
  worker_profile: ['search.index-worker-profile', 'matching.profile', 'review.profile-changed'],
  opening: ['search.index-opening', 'matching.opening'],
};

/**
 * How long a matching run waits after a change before it starts: further changes of the same
 * entity within that time are absorbed into the same run (the run re-reads MongoDB anyway). Short,
 * because it is part of the wait for a new opening's first suggestions; a burst of saves from one
 * form (create, then open) still falls within it.
 */
export const MATCHING_DEBOUNCE_MS = 250;

/**
 * Extra enqueue options per subscriber. Matching debounces with BullMQ deduplication keyed by the
 * entity (not the version) and a delay: while the delayed job waits, adds for the same entity are
 * absorbed; one arriving while the run is active is kept as the next run (`keepLastIfActive`), so
 * a change made after the run read MongoDB is never lost. The job id still names entity+version,
 * so a duplicate publish of one version is a no-op either way.
 */
const SUBSCRIBER_OPTIONS: Partial<Record<JobName, (change: ChangeEvent) => EnqueueOptions>> = {
  'matching.profile': (c) => ({
    delay: MATCHING_DEBOUNCE_MS,
    deduplication: { id: jobId('matching.profile', c.id), keepLastIfActive: true },
  }),
  'matching.opening': (c) => ({
    delay: MATCHING_DEBOUNCE_MS,
    deduplication: { id: jobId('matching.opening', c.id), keepLastIfActive: true },
  }),
};

export interface ChangeEvent {
  entity: ChangedEntity;
  id: string;
  version: number;
  kind: ChangeKind;
}

type LocalListener = (change: ChangeEvent) => void;
const localListeners = new Set<LocalListener>();

/**
 * Hears every change published by this process, before and whether or not Redis takes the jobs.
 * A hint only (the embedded search engine polls sooner); nothing may depend on it for
 * correctness, since other processes' changes never arrive here. Returns the unsubscribe function.
 */
export function onLocalChange(listener: LocalListener): () => void {
  localListeners.add(listener);
  return () => {
    localListeners.delete(listener);
  };
}

/** Enqueues one job per subscriber, keyed by entity, id and version (duplicates are no-ops). */
export async function publishChange(queues: Queues, logger: Logger, change: ChangeEvent): Promise<void> {
  for (const listener of localListeners) {
    try {
      listener(change);
    } catch (err) {
      logger.warn({ err: (err as Error).message }, 'local change listener failed');
    }
  }
  for (const job of CHANGE_SUBSCRIBERS[change.entity]) {
    try {
      const payload = JOBS[job].payload.parse({ id: change.id, version: change.version, kind: change.kind });
      // biome-ignore lint/suspicious/noExplicitAny: the payload was parsed by this job's own schema above
      await enqueue(queues, job, payload as any, {
        jobId: jobId(job, change.id, change.version),
        ...SUBSCRIBER_OPTIONS[job]?.(change),
      });
    } catch (err) {
      logger.warn(
        { job, entity: change.entity, id: change.id, version: change.version, err: (err as Error).message },
        'change not published; the sweeper will catch up',
      );
    }
  }
}
