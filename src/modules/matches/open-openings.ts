import type { Redis } from 'ioredis';
import type { Config } from '../../config.js';
import { onLocalChange } from '../../jobs/changes.js';
import type { Logger } from '../../lib/logger.js';
import { toMatchOpening } from '../matching/adapters.js';
import type { MatchOpening } from '../matching/types.js';
import {
  getOpeningForMatching,
  getOpeningsForMatching,
  type OpeningForMatching,
} from '../openings/for-other-modules.service.js';
import { changeLogKey, inSmallBatches, readChangeLog } from './suggestions.state.js';

export interface OpenOpeningsDeps {
  config: Config;
  logger: Logger;
  redis: Redis;
}

const FOLLOW_MS = 500;
/** The safety net's period: rare, since changes arrive through the log; a full read of open openings. */
const RESYNC_MS = 600_000;
const PAGE = 1_000;

/**
 * The open openings with places left, held in the API process so that a person's best openings are
 * computed per request without reading every opening. Loaded once at start; kept current by the
 * matching change log in Redis (every opening a run re-reads is announced there, whichever process
 * changed it) and, in this process, by its own published changes at once; each named opening is
 * re-read by id. A full re-read every ten minutes is the safety net for writes
 * that never made a run. Versions guard against an older read overtaking a newer one.
 */
export class OpenOpenings {
  private readonly held = new Map<string, { version: number; opening: MatchOpening }>();
  private readonly versions = new Map<string, number>();
  private list: MatchOpening[] | null = null;
  private lastId = '0-0';
  private loading: Promise<void> | null = null;
  private timers: NodeJS.Timeout[] = [];
  private stopListening: (() => void) | null = null;
  private closed = false;
  /** When the last full read finished (ms since epoch). */
  loadedAt = 0;

  constructor(private readonly deps: OpenOpeningsDeps) {}

  /** Loads once (the API calls it at start; a first request otherwise) and resolves when loaded. */
  ready(): Promise<void> {
    if (!this.loading) {
      this.loading = this.load();
      this.loading.catch((err: unknown) => {
        this.deps.logger.error(
          { err: (err as Error).message },
          'open openings not loaded; retried on next use',
        );
        this.loading = null;
      });
    }
    return this.loading;
  }

  /** The open openings with places left (the same array until one changes: treat as read only). */
  openings(): MatchOpening[] {
    this.list ??= [...this.held.values()].map((h) => h.opening);
    return this.list;
  }

  get size(): number {
    return this.held.size;
  }

  private put(o: OpeningForMatching): void {
    const known = this.versions.get(o.id);
    if (known !== undefined && known > o.version) return;
    this.versions.set(o.id, o.version);
    this.list = null;
    if (o.status === 'open' && o.filled < o.headcount)
      this.held.set(o.id, { version: o.version, opening: toMatchOpening(o) });
    else this.held.delete(o.id);
  }

  private async refresh(id: string): Promise<void> {
    const o = await getOpeningForMatching(id);
    if (o) this.put(o);
    else if (this.held.delete(id)) this.list = null;
  }

  private async load(): Promise<void> {
    const started = Date.now();
    // The log position first: openings announced while reading are re-read afterwards.
    // Without Redis the openings still load; the log is then followed from its start once it answers.
    const [last] = await this.deps.redis
      .xrevrange(changeLogKey(this.deps.config), '+', '-', 'COUNT', 1)
      .catch((err: unknown) => {
        this.deps.logger.warn({ err: (err as Error).message }, 'matching change log unreadable at load');
        return [];
      });
    this.lastId = last?.[0] ?? '0-0';
    await this.readAll();
    this.deps.logger.info({ openings: this.held.size, ms: Date.now() - started }, 'open openings loaded');
    this.stopListening ??= onLocalChange((c) => {
      if (c.entity === 'opening' && !this.closed)
        this.refresh(c.id).catch((err: unknown) =>
          this.deps.logger.warn({ err: (err as Error).message }, 'opening not re-read'),
        );
    });
    this.follow();
    this.scheduleResync();
  }

  /** Every open opening read again; those that left (closed, filled, removed) are dropped. */
  private async readAll(): Promise<void> {
    const seen = new Set<string>();
    let afterId: string | undefined;
    for (;;) {
      const page = await getOpeningsForMatching({ afterId, limit: PAGE });
      for (const o of page) {
        seen.add(o.id);
        this.put(o);
      }
      if (page.length < PAGE) break;
      afterId = page.at(-1)!.id;
    }
    // One not seen is closed, full or gone, unless a newer version arrived meanwhile: re-read it.
    const gone = [...this.held.keys()].filter((id) => !seen.has(id));
    for (const id of gone) await this.refresh(id);
    this.loadedAt = Date.now();
  }

  /** Applies the change log's opening entries after the last one applied. */
  async catchUp(): Promise<number> {
    let applied = 0;
    for (;;) {
      const entries = await readChangeLog(this.deps.redis, this.deps.config, this.lastId, PAGE);
      const ids = new Set<string>();
      for (const [, fields] of entries) {
        const k = fields[1];
        if (k && /^o:[0-9a-f]{24}$/.test(k)) ids.add(k.slice(2));
      }
      await inSmallBatches([...ids], (id) => this.refresh(id));
      applied += ids.size;
      if (entries.length) this.lastId = entries.at(-1)![0];
      if (entries.length < PAGE) return applied;
    }
  }

  private follow(): void {
    if (this.closed) return;
    const t = setTimeout(() => {
      if (this.deps.redis.status === 'end') return;
      this.catchUp()
        .catch((err: unknown) =>
          this.deps.logger.warn({ err: (err as Error).message }, 'matching change log unreadable; retrying'),
        )
        .finally(() => this.follow());
    }, FOLLOW_MS);
    t.unref();
    this.timers[0] = t;
  }

  private scheduleResync(): void {
    if (this.closed) return;
    const t = setTimeout(() => {
      this.readAll()
        .catch((err: unknown) =>
          this.deps.logger.warn({ err: (err as Error).message }, 'open openings not re-read; retrying'),
        )
        .finally(() => this.scheduleResync());
    }, RESYNC_MS);
    t.unref();
    this.timers[1] = t;
  }

  close(): void {
    this.closed = true;
    for (const t of this.timers) clearTimeout(t);
    this.stopListening?.();
  }
}

// One per Redis connection, i.e. per API process (and per test app).
const models = new WeakMap<Redis, OpenOpenings>();

/** This process's read model of open openings, started on first use. */
export function openOpenings(deps: OpenOpeningsDeps): OpenOpenings {
  let m = models.get(deps.redis);
  if (!m) {
    m = new OpenOpenings(deps);
    models.set(deps.redis, m);
  }
  return m;
}
