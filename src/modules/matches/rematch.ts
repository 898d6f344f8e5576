import { FlowProducer, type Job, type Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Config } from '../../config.js';
import { DEFAULT_JOB_OPTIONS, JOBS } from '../../jobs/catalogue.js';
import { listOpeningVersions } from '../openings/for-other-modules.service.js';

/**
 * `npm run rematch`: every open opening's top-N recomputed as one BullMQ flow — a parent job that
 * completes when all its children have, and one child per chunk of opening ids
 * (MATCHING_REMATCH_CHUNK per chunk). Only openings' top-N are stored (reconcile.ts), so there is
 * no profile side; suggestions an older version stored for a profile's top-N alone are superseded
 * by their opening's chunk. Chunks are id ranges, so the payloads stay small and a chunk re-run after a crash
 * covers the same entities; its writes are reconciled, so nothing is written twice. A worker
 * killed mid-chunk loses its lock; the chunk is handed to another (or the restarted) worker as
 * stalled, and the flow carries on from the chunks not yet completed.
 */

export interface RematchChunk {
  /** Always `opening` now; `profile` chunks of a flow planned before are done at once. */
  side: 'opening' | 'profile';
  from: string;
  to: string;
}

/** Sorted ids cut into ranges of `size` (pure). */
export function chunkRanges(
  side: RematchChunk['side'],
  ids: readonly string[],
  size: number,
): RematchChunk[] {
  const sorted = [...ids].sort();
  const out: RematchChunk[] = [];
  for (let i = 0; i < sorted.length; i += size)
    out.push({ side, from: sorted[i]!, to: sorted[Math.min(i + size, sorted.length) - 1]! });
  return out;
}

export function rematchJobId(runId: string): string {
  return `rematch-${runId}`;
}

/** Plans and enqueues a rematch; returns its run id and chunk count. */
export async function startRematch(
  config: Config,
  connection: Redis,
  options: { runId?: string; chunk?: number } = {},
): Promise<{ runId: string; chunks: number; openings: number }> {
  const runId = options.runId ?? Date.now().toString(36);
  const size = options.chunk ?? config.matching.rematchChunk;
  const openingIds: string[] = [];
  let afterId: string | undefined;
  for (;;) {
    const page = await listOpeningVersions({ afterId, limit: 5_000 });
    for (const o of page) if (o.status === 'open') openingIds.push(o.id);
    if (page.length < 5_000) break;
    afterId = page.at(-1)!.id;
  }
  const chunks = chunkRanges('opening', openingIds, size);
  const flows = new FlowProducer({ connection, prefix: config.redis.queuePrefix });
  try {
    await flows.add({
      name: 'matching.rematch',
      queueName: JOBS['matching.rematch'].queue,
      data: JOBS['matching.rematch'].payload.parse({ runId }),
      opts: { ...DEFAULT_JOB_OPTIONS, jobId: rematchJobId(runId) },
      children: chunks.map((c, i) => ({
        name: 'matching.rematch-chunk',
        queueName: JOBS['matching.rematch-chunk'].queue,
        data: JOBS['matching.rematch-chunk'].payload.parse({ runId, ...c }),
        opts: { ...DEFAULT_JOB_OPTIONS, jobId: `${rematchJobId(runId)}-${c.side}-${i}` },
      })),
    });
  } finally {
    await flows.close();
  }
  return { runId, chunks: chunks.length, openings: openingIds.length };
}

export interface RematchProgress {
  state: string;
  done: number;
  pending: number;
  failed: number;
}

/** Where a run stands: its parent's state and how many chunks are done. */
export async function rematchProgress(queue: Queue, runId: string): Promise<RematchProgress | null> {
  const parent: Job | undefined = await queue.getJob(rematchJobId(runId));
  if (!parent) return null;
  const counts = await parent.getDependenciesCount({ processed: true, unprocessed: true, failed: true });
  return {
    state: await parent.getState(),
    done: counts.processed ?? 0,
    pending: counts.unprocessed ?? 0,
    failed: counts.failed ?? 0,
  };
}
