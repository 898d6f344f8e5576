import type { Config } from '../src/config.js';
import type { ProcessorRegistration, Schedule, WorkerContext } from '../src/jobs/processor.js';
import { matchesProcessors, matchesSchedules } from '../src/modules/matches/matches.processors.js';
import { suggestionsProcessors } from '../src/modules/matches/suggestions.processors.js';
import {
  notificationProcessors,
  notificationSchedules,
} from '../src/modules/notifications/notifications.processors.js';
import { placementsProcessors } from '../src/modules/placements/placements.processors.js';
import { plansProcessors } from '../src/modules/plans/plans.processors.js';
import { reportsProcessors, reportsSchedules } from '../src/modules/reports/reports.processors.js';
import { searchProcessors, searchSchedules } from '../src/modules/search/search.processors.js';
import { systemProcessors } from '../src/modules/system/system.processors.js';
import { workerProfilesProcessors } from '../src/modules/worker-profiles/worker-profiles.processors.js';

/** Every module's processors; buildProcessorMap checks this covers the catalogue exactly once. */
export function allProcessors(ctx: WorkerContext): ProcessorRegistration[] {
  return [
    ...systemProcessors(ctx),
    ...notificationProcessors(ctx),
    ...workerProfilesProcessors(ctx),
    ...searchProcessors(ctx),
    ...plansProcessors(ctx),
    ...suggestionsProcessors(ctx),
    ...matchesProcessors(ctx),
    ...placementsProcessors(ctx),
    ...reportsProcessors(ctx),
  ];
}

/** Every module's repeating jobs, upserted by each worker process at start. */
export function allSchedules(config: Config): Schedule[] {
  return [
    ...notificationSchedules(config),
    ...searchSchedules(config),
    ...reportsSchedules(config),
    ...matchesSchedules(config),
  ];
}
