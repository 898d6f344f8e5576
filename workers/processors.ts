import type { ProcessorDeps, ProcessorRegistration } from '../src/jobs/processor.js';
import { searchProcessors } from '../src/modules/search/search.processors.js';
import { systemProcessors } from '../src/modules/system/system.processors.js';

/** Every module's processors; buildProcessorMap checks this covers the catalogue exactly once. */
export function allProcessors(workerId: string, deps: ProcessorDeps): ProcessorRegistration[] {
  return [...systemProcessors(workerId), ...searchProcessors(deps)];
}
