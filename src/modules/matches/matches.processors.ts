import type { Job } from 'bullmq';
import type { Config } from '../../config.js';
import type { ProcessorRegistration, Schedule, WorkerContext } from '../../jobs/processor.js';
import { ACTIONS, type ReviewAction } from './machine.js';
import {
  findMatchById,
  notifyTransition,
  sweepMatches,
  syncProfileStatusOrThrow,
  withdrawAfterProfileChange,
} from './matches.service.js';

/**
 * The time a delayed job was due: the scheduler's clock, not the wall clock, so a job promoted
 * early (tests, an operator catching up) acts as of its own moment.
 */
export function scheduledAt(job: Pick<Job, 'timestamp' | 'opts'>): Date {
  return new Date(job.timestamp + (job.opts.delay ?? 0));
}

export function matchesSchedules(config: Config): Schedule[] {
  return [
    {
      id: 'matches-sweep',
      job: 'matches.sweep',
      every: config.review.sweepEveryMs,
      payload: { reason: 'schedule' },
    },
  ];
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
      job: 'matches.sync-profile-status',
      process: async (p) => {
        const m = await findMatchById(p.matchId);
        if (!m) return { skipped: 'match gone' };
        await syncProfileStatusOrThrow(deps, m.profileId);
        return { profileId: m.profileId };
      },
    },
    {
      job: 'matches.notify-transition',
      process: async (p) => {
        if (!Object.hasOwn(ACTIONS, p.action)) return { skipped: `action ${p.action}` };
        return notifyTransition(deps, p.matchId, p.action as ReviewAction);
      },
    },
    { job: 'matches.sweep', process: async () => sweepMatches(deps) },
  ];
}
