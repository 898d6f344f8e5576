import type { Config } from '../../config.js';
import { type ChangeKind, publishChange } from '../../jobs/changes.js';
import type { Queues } from '../../jobs/queues.js';
import type { Logger } from '../../lib/logger.js';
import type { Opening } from './openings.repository.js';

/** What the service needs besides the database: change publication and the wage floor. */
export interface OpeningsDeps {
  queues: Queues;
  logger: Logger;
  wageFloorCny: number;
}

export function openingsDeps(deps: {
  queues: Queues;
  logger: Logger;
  config: Pick<Config, 'openings'>;
}): OpeningsDeps {
  return { queues: deps.queues, logger: deps.logger, wageFloorCny: deps.config.openings.wageFloorCny };
}

/** Publishes a change of the opening to those who follow changes (see jobs/changes.ts). */
export async function published(deps: OpeningsDeps, o: Opening, kind: ChangeKind): Promise<void> {
  await publishChange(deps.queues, deps.logger, { entity: 'opening', id: o.id, version: o.version, kind });
}
