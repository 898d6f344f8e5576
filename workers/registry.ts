import { JOB_NAMES, type JobName } from '../src/jobs/catalogue.js';
import type { ProcessorRegistration } from '../src/jobs/processor.js';

/**
 * Maps every catalogue job to exactly one processor. A missing or doubled one is a deployment
 * error: the worker refuses to start rather than leave a queue silently unconsumed.
 */
export function buildProcessorMap(
  registrations: ProcessorRegistration[],
): Map<JobName, ProcessorRegistration> {
  const map = new Map<JobName, ProcessorRegistration>();
  const doubled = new Set<string>();
  const unknown: string[] = [];
  for (const reg of registrations) {
    if (!JOB_NAMES.includes(reg.job)) unknown.push(reg.job);
    if (map.has(reg.job)) doubled.add(reg.job);
    map.set(reg.job, reg);
  }
  const missing = JOB_NAMES.filter((name) => !map.has(name));
  const problems = [
    ...missing.map((n) => `no processor for job "${n}"`),
    ...[...doubled].map((n) => `more than one processor for job "${n}"`),
    ...unknown.map((n) => `processor for job "${n}" which is not in the catalogue`),
  ];
  if (problems.length) throw new Error(`Worker refuses to start:\n  - ${problems.join('\n  - ')}`);
  return map;
}
