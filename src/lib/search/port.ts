/**
 * The search port (DESIGN §4, §7.10). The API and the worker talk to search only through this;
 * adapters: the embedded engine (default) and Meilisearch (when MEILI_HOST is set).
 * The search issue grows this contract (settings, upsert, delete, query); the foundation needs
 * only what readiness checks use.
 */
export interface SearchEngine {
  readonly kind: 'embedded' | 'meilisearch';
  /** Resolves when the engine can answer queries; rejects with the reason otherwise. */
  health(): Promise<void>;
  close(): Promise<void>;
}
