import type { Job } from 'bullmq';
import type { ProcessorRegistration, WorkerContext } from '../../jobs/processor.js';
import { remindFollowUp } from '../placements/placements.service.js';
import { withdrawAfterProfileChange } from './matches.service.js';

/**
 * The time a delayed job was due: the scheduler's clock, not the wall clock, so a job promoted
 * early (tests, an operator catching up) acts as of its own moment.
 */
export function scheduledAt(job: Pick<Job, 'timestamp' | 'opts'>): Date {
  return new Date(job.timestamp + (job.opts.delay ?? 0));
}

export function matchesProcessors(ctx: WorkerContext): ProcessorRegistration[] {
  const deps = { config: ctx.config, logger: ctx.logger, queues: ctx.queues };
  return [
    {
      job: 'review.profile-changed',
      process: async (p) => {
        if (p.kind !== 'consent' && p.kind !== 'erased') return { skipped: `kind ${p.kind}` };
        return withdrawAfterProfileChange(deps, p.id);
      },
    },
    {
      job: 'placements.follow-up-due',
      process: async (p, job) => remindFollowUp(deps, p.placementId, p.checkpoint, 'due', scheduledAt(job)),
    },
    {
      job: 'placements.follow-up-overdue',
      process: async (p, job) =>
        remindFollowUp(deps, p.placementId, p.checkpoint, 'overdue', scheduledAt(job)),
    },
  ];
}
