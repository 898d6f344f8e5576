import { Meilisearch } from 'meilisearch';
import { withTimeout } from '../db.js';
import type { SearchEngine } from './port.js';

export function createMeilisearch(host: string, apiKey: string | undefined): SearchEngine {
  const client = new Meilisearch({ host, apiKey, timeout: 5_000 });
  return {
    kind: 'meilisearch',
    async health() {
      const res = await withTimeout(client.health(), 1_500);
      if (res.status !== 'available') throw new Error(`meilisearch ${res.status}`);
    },
    async close() {},
  };
}
