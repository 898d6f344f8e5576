import { hostname } from 'node:os';
import type { ProcessorRegistration, WorkerContext } from '../../jobs/processor.js';
import { recordHeartbeat } from './system.repository.js';

export function systemProcessors({ workerId }: Pick<WorkerContext, 'workerId'>): ProcessorRegistration[] {
  return [
    {
      job: 'system.heartbeat',
      // Idempotent: a retry only refreshes the same document.
      process: async (payload) => {
        await recordHeartbeat(workerId, {
          host: hostname(),
          pid: process.pid,
          reason: payload.reason,
          token: payload.token,
          at: new Date(),
        });
        return { workerId };
      },
    },
  ];
}
