import type { ProcessorRegistration, WorkerContext } from '../../jobs/processor.js';
import { scheduledAt } from '../matches/matches.processors.js';
import { placeHire, remindFollowUp } from './placements.service.js';

export function placementsProcessors(ctx: WorkerContext): ProcessorRegistration[] {
  const deps = { config: ctx.config, logger: ctx.logger, queues: ctx.queues };
  return [
    { job: 'placements.create-from-hire', process: async (p) => placeHire(deps, p.matchId) },
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
