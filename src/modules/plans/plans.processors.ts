import type { ProcessorDeps, ProcessorRegistration } from '../../jobs/processor.js';
import { runPlan } from './plans.job.js';

export function plansProcessors(deps: ProcessorDeps): ProcessorRegistration[] {
  return [
    {
      job: 'plans.compute',
      // Idempotent: a done or failed plan is skipped; nothing but progress is written before the end.
      process: (payload, job) => runPlan(deps, payload.planId, job),
    },
  ];
}
