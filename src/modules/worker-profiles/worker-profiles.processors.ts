import type { ProcessorDeps, ProcessorRegistration } from '../../jobs/processor.js';
import { runImport } from './imports.service.js';

export function workerProfilesProcessors(deps: ProcessorDeps): ProcessorRegistration[] {
  return [
    {
      job: 'worker_profiles.import',
      // Resumable and idempotent: a retry continues after the last saved batch (imports.service).
      process: (payload) => runImport(deps, payload.importId),
    },
  ];
}
