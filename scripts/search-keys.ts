/**
 * `npm run search:keys`: uses Meilisearch's master key once to create the two keys the service
 * runs with, and prints them as .env lines:
 * - MEILI_API_KEY (the worker, search:setup, search:reindex): documents, indexes, settings, tasks;
 * - MEILI_SEARCH_KEY (the API): search, and reading settings (so /readyz can compare them).
 * Both are limited to this deployment's indexes (SEARCH_INDEX_PREFIX). Idempotent: the keys have
 * fixed uids derived from the prefix, so a second run prints the same keys and creates nothing.
 * Reads MEILI_HOST and MEILI_MASTER_KEY; the master key is never needed again afterwards.
 */
import { createHash } from 'node:crypto';
import { Meilisearch, MeilisearchApiError } from 'meilisearch';
import { meiliKeyKind } from '../src/lib/search/meilisearch.js';

const WRITE_ACTIONS = ['documents.*', 'indexes.*', 'settings.*', 'tasks.get', 'stats.get', 'search'];
const SEARCH_ACTIONS = ['search', 'settings.get'];

/** A UUID v4-shaped uid that depends only on the prefix and the role (Meilisearch wants a v4). */
function keyUid(prefix: string, role: string): string {
  const h = createHash('sha256').update(`tongxin:${prefix}:${role}`).digest('hex');
  const variant = ((Number.parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

async function ensureKey(
  client: Meilisearch,
  uid: string,
  spec: { name: string; description: string; actions: string[]; indexes: string[] },
): Promise<string> {
  try {
    const existing = await client.getKey(uid);
    const same =
      [...existing.actions].sort().join() === [...spec.actions].sort().join() &&
      [...existing.indexes].sort().join() === [...spec.indexes].sort().join();
    // Rights cannot be changed on a Meilisearch key: a different one means delete and create anew.
    if (same) return existing.key;
    await client.deleteKey(uid);
  } catch (err) {
    if (!(err instanceof MeilisearchApiError && err.cause?.code === 'api_key_not_found')) throw err;
  }
  return (await client.createKey({ uid, ...spec, expiresAt: null })).key;
}

async function main(): Promise<number> {
  const host = process.env.MEILI_HOST || 'http://127.0.0.1:7700';
  const master = process.env.MEILI_MASTER_KEY;
  const prefix = process.env.SEARCH_INDEX_PREFIX ?? '';
  if (!master) {
    console.error('search:keys: set MEILI_MASTER_KEY (and MEILI_HOST) to create the keys');
    return 78;
  }
  const kind = await meiliKeyKind(host, master);
  if (kind === 'unreachable') {
    console.error(`search:keys: Meilisearch at ${host} did not answer`);
    return 1;
  }
  if (kind !== 'master') {
    console.error('search:keys: MEILI_MASTER_KEY is not the master key (it cannot create keys)');
    return 78;
  }
  const client = new Meilisearch({ host, apiKey: master, timeout: 5_000 });
  const indexes = [prefix ? `${prefix}_*` : '*'];
  const write = await ensureKey(client, keyUid(prefix, 'write'), {
    name: `tongxin-write${prefix ? `-${prefix}` : ''}`,
    description: 'Tongxin worker: writes the search indexes',
    actions: WRITE_ACTIONS,
    indexes,
  });
  const search = await ensureKey(client, keyUid(prefix, 'search'), {
    name: `tongxin-search${prefix ? `-${prefix}` : ''}`,
    description: 'Tongxin API: searches, reads settings for readiness',
    actions: SEARCH_ACTIONS,
    indexes,
  });
  console.log(`MEILI_API_KEY=${write}`);
  console.log(`MEILI_SEARCH_KEY=${search}`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error('search:keys failed:', err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
