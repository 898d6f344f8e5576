import { describe, expect, it } from 'vitest';
import { JOB_NAMES, jobId } from '../../src/jobs/catalogue.js';
import type { ProcessorDeps, ProcessorRegistration } from '../../src/jobs/processor.js';
import { allProcessors } from '../../workers/processors.js';
import { buildProcessorMap } from '../../workers/registry.js';

// Building the map only reads the registrations; no processor runs, so no real dependencies.
const deps = {} as ProcessorDeps;

describe('worker processor map', () => {
  it('when every catalogue job has one processor, then the map covers the catalogue', () => {
    const map = buildProcessorMap(allProcessors('w1', deps));
    expect([...map.keys()].sort()).toEqual([...JOB_NAMES].sort());
  });

  it('when a processor is missing, then the worker refuses to start naming the job', () => {
    expect(() => buildProcessorMap([])).toThrowError(/no processor for job "system.heartbeat"/);
  });

  it('when a processor is doubled, then the worker refuses to start', () => {
    const regs = allProcessors('w1', deps);
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
