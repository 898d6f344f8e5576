import request from 'supertest';
import type { App } from 'supertest/types.js';
import { bearer } from '../fixtures/accounts.js';
import { profileBody } from '../fixtures/worker-profiles.js';

/** One line of figures per scenario, collected by the README and the report. */
export function figures(scenario: string, values: Record<string, number | string | boolean>): void {
  console.log(`[faults] ${JSON.stringify({ scenario, ...values })}`);
}

export interface WriteLoad {
  /** Ids of profiles whose creation was acknowledged (201). */
  acknowledged: string[];
  /** Status → count of every answer, 201 included. */
  statuses: Record<string, number>;
  stop(): Promise<void>;
}

/** Creates worker profiles one after another, every `gapMs`, until stopped. */
export function startWriteLoad(app: App | string, token: string, originCode: string, gapMs = 250): WriteLoad {
  const load: WriteLoad = { acknowledged: [], statuses: {}, stop: async () => undefined };
  let running = true;
  const done = (async () => {
    while (running) {
      const t0 = Date.now();
      try {
        const res = await request(app)
          .post('/api/v1/worker-profiles')
          .set(bearer(token))
          .send(profileBody(originCode))
          .timeout(30_000);
        load.statuses[res.status] = (load.statuses[res.status] ?? 0) + 1;
        if (res.status === 201) load.acknowledged.push(res.body.id);
      } catch {
        load.statuses.network = (load.statuses.network ?? 0) + 1;
      }
      await new Promise((r) => setTimeout(r, Math.max(0, gapMs - (Date.now() - t0))));
    }
  })();
  load.stop = async () => {
    running = false;
    await done;
  };
  return load;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
