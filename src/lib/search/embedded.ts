import type { SearchEngine } from './port.js';

/** In-process engine: healthy for as long as the process that holds it is. */
export function createEmbeddedSearch(): SearchEngine {
  return {
    kind: 'embedded',
    async health() {},
    async close() {},
  };
}
