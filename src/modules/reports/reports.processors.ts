import type { Config } from '../../config.js';
import type { ProcessorRegistration, Schedule, WorkerContext } from '../../jobs/processor.js';
import { currentFairnessRun } from './fairness.runs.repository.js';
import { computeFairnessSnapshot, requestFairnessSnapshot } from './fairness.service.js';

/**
 * Report snapshots (worker side). The fairness snapshot is computed on a schedule, on request
 * (deduplicated) and once at the worker's start when no run exists yet, so the report has
 * something to show soon after a fresh deployment.
 */
export function reportsProcessors(ctx: WorkerContext): ProcessorRegistration[] {
  ctx.onStart?.(() => {
    void (async () => {
      if (!(await currentFairnessRun())) await requestFairnessSnapshot(ctx.queues, 'start');
    })().catch((err: Error) =>
      ctx.logger.warn({ err: err.message }, 'could not ask for a first fairness snapshot'),
    );
  });
  return [
    {
      job: 'reports.fairness-snapshot',
      process: async (payload) => {
        const out = await computeFairnessSnapshot();
        ctx.logger.info({ ...out, reason: payload.reason }, 'fairness snapshot computed');
        return { ...out };
      },
    },
  ];
}

/** The fairness snapshot every REPORTS_FAIRNESS_EVERY_MINUTES. */
export function reportsSchedules(config: Config): Schedule[] {
  return [
    {
      id: 'reports-fairness',
      job: 'reports.fairness-snapshot',
      every: config.reports.fairnessEveryMinutes * 60_000,
      payload: { reason: 'schedule' },
    },
  ];
}
