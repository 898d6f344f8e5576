import type { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { JOB_NAMES, jobId } from '../../src/jobs/catalogue.js';
import type { ProcessorRegistration } from '../../src/jobs/processor.js';
import type { Queues } from '../../src/jobs/queues.js';
import { createLogger } from '../../src/lib/logger.js';
import { allProcessors } from '../../workers/processors.js';
import { buildProcessorMap } from '../../workers/registry.js';

// Building the map touches no connection: the context is only captured for later.
const ctx = {
  workerId: 'w1',
  config: loadConfig({}),
  logger: createLogger('silent'),
  queues: {} as Queues,
  redis: {} as Redis,
};

describe('worker processor map', () => {
  it('when every catalogue job has one processor, then the map covers the catalogue', () => {
    const map = buildProcessorMap(allProcessors(ctx));
    expect([...map.keys()].sort()).toEqual([...JOB_NAMES].sort());
  });

  it('when a processor is missing, then the worker refuses to start naming the job', () => {
    expect(() => buildProcessorMap([])).toThrowError(/no processor for job "system.heartbeat"/);
  });

  it('when a processor is doubled, then the worker refuses to start', () => {
    const regs = allProcessors(ctx);
    expect(() => buildProcessorMap([...regs, regs[0] as ProcessorRegistration])).toThrowError(
      /more than one/,
    );
  });
});

describe('jobId', () => {
  it('when parts contain a colon, then it is replaced (BullMQ ids must not contain one)', () => {
    expect(jobId('profile', 'a:b', 3)).toBe('profile-a_b-3');
  });
});
