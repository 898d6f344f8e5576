import type { Redis } from 'ioredis';
import type { Config } from '../../config.js';
import { chinaDay } from '../../lib/china-time.js';
import type { Logger } from '../../lib/logger.js';
import {
  contextInputOf,
  type HeldOpening,
  type HeldProfile,
  reportDimsOf,
  toMatchOpening,
  toMatchProfile,
} from '../matching/adapters.js';
import { createMatchContext, type MatchContext, withPeers } from '../matching/context.js';
import { ProfileSnapshot, ranksBefore } from '../matching/snapshot.js';
import type { MatchOpening } from '../matching/types.js';
import { defaultVocabulary } from '../matching/vocabulary.js';
import {
  getOpeningForMatching,
  getOpeningsForMatching,
  listOpeningVersions,
  type OpeningForMatching,
} from '../openings/for-other-modules.service.js';
import { getVocabulary, listPartnerships, listRegions } from '../reference/reference.service.js';
import {
  getProfileForMatching,
  listProfileVersionsSince,
  type ProfileForMatching,
  streamProfilesForMatching,
} from '../worker-profiles/for-other-modules.service.js';
import { machineSuggestions, peerCounts } from './matches.repository.js';

/**
 * What one worker process holds for matching: the columnar snapshot of every profile that may be
 * matched (plus each one's engine input as a compact JSON string, for the reasons of its top-N),
 * and the open openings. Loaded from MongoDB at start.
 *
 * Kept current in every process, however many run, by a change log in Redis (a stream): a
 * matching run first appends "entity X changed" to the log, then re-reads X from MongoDB. Every
 * process reads the log from where it left off — on a 250 ms timer, and before and after each run
 * — and re-reads the entities named there by id (cheap equality lookups). The log survives a
 * process's disconnection (it resumes from its last entry id), unlike pub/sub. A paced poll of
 * MongoDB by `updatedAt` (MATCHING_POLL_INTERVAL_MS) is the safety net for anything written
 * without a run (scripts, a trimmed log).
 *
 * Why runs append before they read: a run that wrote suggestions reads the log once more after
 * its write (the fence, see suggestions.runs.ts). If another process's run for a profile in those
 * suggestions appended before this write, the fence sees it and this run re-checks the profile; if
 * it appended after, that run reads the matches after this write and handles them itself.
 *
 * Each opening's floor (the N-th of its top-N, or "not full") is kept here too, so a profile's run
 * can tell which openings' stored top-N the person now enters without running them all. A run of
 * an opening appends its new floor to the same log after writing (`t:` entries), so every process
 * holds the floors of runs made anywhere; at start they come from the stored suggestions. A floor
 * too low only costs a run of an opening that changes nothing.
 */

const FOLLOW_MS = 250;
/** Poll overlap: a write stamped just before the previous poll started but committed after. */
const OVERLAP_MS = 5_000;
const CONTEXT_TTL_MS = 60_000;
const LOG_MAX = 100_000;

export type ChangedKey = `p:${string}` | `o:${string}` | `t:${string}`;

/** The lowest-ranked of an opening's top-N, or `full: false` when fewer are eligible. */
export interface TopFloor {
  full: boolean;
  score: number;
  profileId: string;
}

export interface StateDeps {
  config: Config;
  logger: Logger;
  redis: Redis;
}

export function changeLogKey(config: Config): string {
  return `${config.redis.queuePrefix}:matching:changes`;
}

/** One page of the change log after `afterId`: each entry's id and fields (`k`, key, …). */
export async function readChangeLog(
  redis: Redis,
  config: Config,
  afterId: string,
  count: number,
): Promise<[id: string, fields: string[]][]> {
  const res = await redis.xread('COUNT', count, 'STREAMS', changeLogKey(config), afterId);
  return res?.[0]?.[1] ?? [];
}

/** Runs `fn` over `items` a few at a time (each is one or two lookups by a unique key). */
export async function inSmallBatches<T>(
  items: readonly T[],
  fn: (item: T) => Promise<unknown>,
): Promise<void> {
  for (let i = 0; i < items.length; i += 16) await Promise.all(items.slice(i, i + 16).map(fn));
}

/**
 * The scoring context for the day of `now` (China time): partnerships active that day, region and
 * programme names, and peers proposed or placed per employer and origin (from `matches`; every
 * employer and origin unless `peers` narrows them, `false` for none).
 */
export async function buildMatchContext(
  now = new Date(),
  peers: Parameters<typeof peerCounts>[0] | false = {},
): Promise<MatchContext> {
  const day = chinaDay(now);
  const [partnerships, regions, programmes, counts] = await Promise.all([
    listPartnerships({ activeOn: day }),
    listRegions({}),
    getVocabulary('training_programme'),
    peers === false ? {} : peerCounts(peers),
  ]);
  return createMatchContext({
    ...contextInputOf({ asOf: day, partnerships, regions, programmes, peerCounts: counts }),
    vocabulary: defaultVocabulary(),
  });
}

export class MatchingState {
  readonly snapshot = new ProfileSnapshot(defaultVocabulary(), 1024);
  private readonly held = new Map<string, string>();
  private readonly profileVersions = new Map<string, number>();
  private readonly openingMap = new Map<string, HeldOpening>();
  private readonly openingVersions = new Map<string, number>();
  private openingList: MatchOpening[] | null = null;
  private readonly floors = new Map<string, TopFloor>();
  private lastId = '0-0';
  private polledTo = new Date(0);
  private lastPollMs = 0;
  private contextCache: { at: number; day: string; ctx: MatchContext } | null = null;
  private chain: Promise<unknown> = Promise.resolve();
  private timers: NodeJS.Timeout[] = [];
  private closed = false;
  private loading: Promise<void> | null = null;
  /** Log entries applied since start (tests and metrics). */
  applied = 0;

  constructor(private readonly deps: StateDeps) {}

  /** Starts loading from MongoDB (once; the worker host calls it at start, a first run otherwise). */
  start(): Promise<void> {
    if (!this.loading) {
      this.loading = this.load();
      this.loading.catch((err: unknown) => {
        this.deps.logger.error(
          { err: (err as Error).message },
          'matching snapshot load failed; retried by the next run',
        );
        this.loading = null;
      });
    }
    return this.loading;
  }

  /** Resolves once the snapshot is loaded (starting the load if needed). */
  get ready(): Promise<void> {
    return this.start();
  }

  private get key(): string {
    return changeLogKey(this.deps.config);
  }

  private async load(): Promise<void> {
    const started = Date.now();
    // The log position first: changes appended while loading are replayed afterwards.
    const [last] = await this.deps.redis.xrevrange(this.key, '+', '-', 'COUNT', 1);
    this.lastId = last?.[0] ?? '0-0';
    this.polledTo = new Date();
    for await (const p of streamProfilesForMatching(this.deps)) this.putProfile(p);
    let afterId: string | undefined;
    for (;;) {
      const page = await getOpeningsForMatching({ afterId, limit: 1_000 });
      for (const o of page) this.putOpening(o);
      if (page.length < 1_000) break;
      afterId = page.at(-1)!.id;
    }
    this.loadFloors(await machineSuggestions());
    this.deps.logger.info(
      { profiles: this.snapshot.size, openings: this.openingMap.size, ms: Date.now() - started },
      'matching snapshot loaded from MongoDB',
    );
    this.follow();
    this.schedulePoll(this.deps.config.matching.pollIntervalMs);
  }

  /** Each opening's floor from its stored machine suggestions (an opening with none: not full). */
  private loadFloors(rows: readonly { openingId: string; profileId: string; score: number }[]): void {
    const n = this.deps.config.matching.topN;
    const byOpening = new Map<string, { profileId: string; score: number }[]>();
    for (const r of rows) {
      const list = byOpening.get(r.openingId) ?? [];
      list.push(r);
      byOpening.set(r.openingId, list);
    }
    for (const id of this.openingMap.keys()) {
      const list = (byOpening.get(id) ?? []).sort((a, b) =>
        ranksBefore(a.score, a.profileId, b.score, b.profileId) ? -1 : 1,
      );
      const last = list[n - 1];
      this.floors.set(id, last ? { full: true, ...last } : { full: false, score: 0, profileId: '' });
    }
  }

  // ---- reads ------------------------------------------------------------------------------------

  /**
   * Whether a person scoring `score` would stand in the opening's stored top-N: the opening is not
   * full, or the person ranks at or above its floor. Unknown floor: yes (a run costs, never errs).
   */
  entersTop(openingId: string, score: number, profileId: string): boolean {
    const f = this.floors.get(openingId);
    if (!f?.full) return true;
    return f.profileId === profileId || ranksBefore(score, profileId, f.score, f.profileId);
  }

  floorOf(openingId: string): TopFloor | undefined {
    return this.floors.get(openingId);
  }

  profile(id: string): HeldProfile | undefined {
    const json = this.held.get(id);
    return json === undefined ? undefined : (JSON.parse(json) as HeldProfile);
  }

  opening(id: string): HeldOpening | undefined {
    return this.openingMap.get(id);
  }

  openings(): MatchOpening[] {
    this.openingList ??= [...this.openingMap.values()].map((h) => h.opening);
    return this.openingList;
  }

  get profileCount(): number {
    return this.snapshot.size;
  }

  get openingCount(): number {
    return this.openingMap.size;
  }

  /**
   * Scoring context for today: reference data refreshed every minute, with peer counts read now
   * (narrowed to one employer or one origin county when the run scores only those), so a hire
   * counts for the very next suggestion.
   */
  async context(peers: Parameters<typeof peerCounts>[0] = {}, now = new Date()): Promise<MatchContext> {
    const day = chinaDay(now);
    const c = this.contextCache;
    const [ctx, counts] = await Promise.all([
      c && c.day === day && now.getTime() - c.at < CONTEXT_TTL_MS
        ? c.ctx
        : buildMatchContext(now, false).then((ctx) => {
            this.contextCache = { at: now.getTime(), day, ctx };
            return ctx;
          }),
      peerCounts(peers),
    ]);
    return withPeers(ctx, counts);
  }

  // ---- changes ----------------------------------------------------------------------------------

  private putProfile(p: ProfileForMatching): void {
    const profile = toMatchProfile(p);
    const outcome = this.snapshot.upsert(profile);
    if (outcome === 'stale') return;
    this.profileVersions.set(p.id, p.version);
    if (outcome === 'removed' || outcome === 'absent') this.held.delete(p.id);
    // The report dims ride in the same held entry, so they enter, change and leave exactly when
    // the profile does in the snapshot (load, change log, poll) without a second map to keep.
    else
      this.held.set(
        p.id,
        JSON.stringify({ profile, regionPath: p.regionPath, dims: reportDimsOf(p) } satisfies HeldProfile),
      );
  }

  private putOpening(o: OpeningForMatching): void {
    const known = this.openingVersions.get(o.id);
    if (known !== undefined && known > o.version) return;
    this.openingVersions.set(o.id, o.version);
    this.openingList = null;
    if (o.status === 'open' && o.filled < o.headcount)
      this.openingMap.set(o.id, { opening: toMatchOpening(o), regionPath: o.regionPath });
    else this.openingMap.delete(o.id);
  }

  /**
   * Re-reads one profile from MongoDB and applies it. Returns what MongoDB holds (null: erased or
   * absent), eligible or not, so a run can say why it supersedes.
   */
  async refreshProfile(id: string): Promise<ProfileForMatching | null> {
    const p = await getProfileForMatching(this.deps, id);
    if (!p) {
      this.snapshot.remove(id);
      this.held.delete(id);
    } else if (!p.eligible) {
      this.snapshot.remove(id, p.version);
      this.held.delete(id);
      this.profileVersions.set(id, p.version);
    } else this.putProfile(p);
    return p;
  }

  async refreshOpening(id: string): Promise<OpeningForMatching | null> {
    const o = await getOpeningForMatching(id);
    if (o) this.putOpening(o);
    else if (this.openingMap.delete(id)) this.openingList = null;
    return o;
  }

  /** Records openings' new floors here and in the shared log, after their top-N was written. */
  async publishFloors(floors: ReadonlyMap<string, TopFloor>): Promise<void> {
    if (floors.size === 0) return;
    const pipe = this.deps.redis.pipeline();
    for (const [id, f] of floors) {
      this.floors.set(id, f);
      pipe.xadd(this.key, 'MAXLEN', '~', String(LOG_MAX), '*', 'k', `t:${id}`, 'f', JSON.stringify(f));
    }
    await pipe.exec();
  }

  /** Appends "this entity changed" to the shared log (before the run reads it; see above). */
  async announce(entity: 'p' | 'o', id: string): Promise<void> {
    await this.deps.redis.xadd(this.key, 'MAXLEN', '~', String(LOG_MAX), '*', 'k', `${entity}:${id}`);
  }

  /**
   * Applies every log entry after the last one applied, in order, one catch-up at a time. Returns
   * the entities named (with their kind), so a run can tell whether its pairs changed meanwhile.
   */
  catchUp(): Promise<Set<ChangedKey>> {
    const run = this.chain.then(() => this.readLog());
    this.chain = run.catch(() => undefined);
    return run;
  }

  private async readLog(): Promise<Set<ChangedKey>> {
    const changed = new Set<ChangedKey>();
    for (;;) {
      const entries = await readChangeLog(this.deps.redis, this.deps.config, this.lastId, 1_000);
      const keys = new Set<ChangedKey>();
      for (const [, fields] of entries) {
        const k = fields[1];
        if (k && /^[po]:[0-9a-f]{24}$/.test(k)) keys.add(k as ChangedKey);
        else if (k && /^t:[0-9a-f]{24}$/.test(k) && fields[2] === 'f' && fields[3]) {
          this.floors.set(k.slice(2), JSON.parse(fields[3]) as TopFloor);
          changed.add(k as ChangedKey);
        }
      }
      await inSmallBatches([...keys], (k) =>
        k[0] === 'p' ? this.refreshProfile(k.slice(2)) : this.refreshOpening(k.slice(2)),
      );
      for (const k of keys) changed.add(k);
      if (entries.length) {
        this.lastId = entries.at(-1)![0];
        this.applied += entries.length;
      }
      if (entries.length < 1_000) return changed;
    }
  }

  private follow(): void {
    if (this.closed) return;
    const t = setTimeout(() => {
      this.catchUp()
        .catch((err: unknown) =>
          this.deps.logger.warn({ err: (err as Error).message }, 'matching change log unreadable; retrying'),
        )
        .finally(() => this.follow());
    }, FOLLOW_MS);
    t.unref();
    this.timers[0] = t;
  }

  /** The safety net: MongoDB compared with what this process holds, by version. */
  async poll(): Promise<number> {
    const started = new Date();
    const since = new Date(this.polledTo.getTime() - OVERLAP_MS);
    const [profiles, openings] = await Promise.all([
      listProfileVersionsSince(since),
      listOpeningVersions({ updatedSince: since, limit: 100_000 }),
    ]);
    const stale = [
      ...profiles
        .filter((p) => this.profileVersions.get(p.id) !== p.version)
        .map((p) => `p:${p.id}` as const),
      ...openings
        .filter((o) => this.openingVersions.get(o.id) !== o.version)
        .map((o) => `o:${o.id}` as const),
    ];
    // One batch at a time on the chain: a run's catch-up queued meanwhile waits for one batch, not
    // for every entity the poll found behind (a burst of writes made without runs).
    for (let i = 0; i < stale.length; i += 16) {
      const batch = stale.slice(i, i + 16);
      const step = this.chain.then(() =>
        Promise.all(
          batch.map((k) =>
            k[0] === 'p' ? this.refreshProfile(k.slice(2)) : this.refreshOpening(k.slice(2)),
          ),
        ),
      );
      this.chain = step.catch(() => undefined);
      await step;
    }
    this.polledTo = started;
    this.lastPollMs = Date.now() - started.getTime();
    if (stale.length) this.deps.logger.info({ stale: stale.length }, 'matching snapshot caught up by poll');
    return stale.length;
  }

  private schedulePoll(delay: number): void {
    if (this.closed) return;
    const t = setTimeout(() => {
      this.poll()
        .catch((err: unknown) =>
          this.deps.logger.warn({ err: (err as Error).message }, 'matching snapshot poll failed; retrying'),
        )
        // Never more than about a fifth of the time: a poll is an `updatedAt` range scan, and a
        // slow one (a large burst of changes re-read) makes the next wait longer.
        .finally(() =>
          this.schedulePoll(Math.max(this.deps.config.matching.pollIntervalMs, 4 * this.lastPollMs)),
        );
    }, delay);
    t.unref();
    this.timers[1] = t;
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const t of this.timers) clearTimeout(t);
    await this.loading?.catch(() => undefined);
    await this.chain;
  }
}
