import type { ProcessorRegistration } from '../src/jobs/processor.js';
import { systemProcessors } from '../src/modules/system/system.processors.js';

/** Every module's processors; buildProcessorMap checks this covers the catalogue exactly once. */
export function allProcessors(workerId: string): ProcessorRegistration[] {
  return [...systemProcessors(workerId)];
}
