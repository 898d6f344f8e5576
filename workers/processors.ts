import type { ProcessorDeps, ProcessorRegistration } from '../src/jobs/processor.js';
import { systemProcessors } from '../src/modules/system/system.processors.js';
import { workerProfilesProcessors } from '../src/modules/worker-profiles/worker-profiles.processors.js';

/** Every module's processors; buildProcessorMap checks this covers the catalogue exactly once. */
export function allProcessors(workerId: string, deps: ProcessorDeps): ProcessorRegistration[] {
  return [...systemProcessors(workerId), ...workerProfilesProcessors(deps)];
}
