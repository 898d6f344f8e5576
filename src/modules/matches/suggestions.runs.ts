import { setImmediate as yieldNow } from 'node:timers/promises';
import type { Config } from '../../config.js';
import { jobId } from '../../jobs/catalogue.js';
import { enqueue, type Queues } from '../../jobs/queues.js';
import type { Logger } from '../../lib/logger.js';
import { type HeldOpening, type HeldProfile, profileExclusion } from '../matching/adapters.js';
import type { MatchContext } from '../matching/context.js';
import {
  MACHINE_STATES,
  type MatchOp,
  machineListed,
  pairsToRescore,
  type RankedPair,
  reconcile,
  type StoredMatch,
  type SupersedeReason,
} from '../matching/reconcile.js';
import { score } from '../matching/score.js';
import { topOpeningsFor } from '../matching/top-openings.js';
import type { ExclusionCode, MatchScore } from '../matching/types.js';
import type { OpeningForMatching } from '../openings/for-other-modules.service.js';
import type { ProfileForMatching } from '../worker-profiles/for-other-modules.service.js';
import {
  applyMatchOps,
  type PairInfo,
  storedMatchesOf,
  storedMatchesOfOpenings,
  supersedeAllOf,
} from './matches.repository.js';
import type { MatchingState, TopFloor } from './suggestions.state.js';

/**
 * The matching runs (worker side). What is stored is each open opening's top-N (reconcile.ts): an
 * opening's run computes it and reconciles with what `matches` holds, in one bulk write; a
 * profile's run stores nothing of its own: it finds the openings whose stored top-N the person
 * enters or leaves (from each opening's floor, see suggestions.state.ts) and runs exactly those.
 * A rematch is the openings' runs in chunks. New suggestions are handed to a `matching.notify` job.
 */

export interface RunDeps {
  config: Config;
  logger: Logger;
  queues: Queues;
}

export interface RunSummary {
  ranked: number;
  writes: number;
  suggested: number;
  superseded?: number;
  skipped?: string;
}

// Codes only: reasons.ts renders their sentences when a match is read.
const T = (code: string): SupersedeReason => ({ code });

const PROFILE_REASONS: Partial<Record<ExclusionCode, SupersedeReason>> = {
  profile_not_available: T('ineligible.profile_not_available'),
  no_sensitive_data_consent: T('ineligible.no_sensitive_data_consent'),
  outside_working_age: T('ineligible.outside_working_age'),
};
const PROFILE_GONE = T('profile_erased');
const OPENING_CLOSED = T('ineligible.opening_not_open');
const OPENING_FULL = T('ineligible.opening_full');
const OPENING_GONE = T('opening_removed');

function profileReason(p: ProfileForMatching | null): SupersedeReason {
  if (!p) return PROFILE_GONE;
  const code = profileExclusion(p.exclusionReasons);
  return (code && PROFILE_REASONS[code]) || PROFILE_REASONS.profile_not_available!;
}

function openingReason(o: OpeningForMatching | null): SupersedeReason {
  if (!o) return OPENING_GONE;
  return o.status === 'open' && o.filled >= o.headcount ? OPENING_FULL : OPENING_CLOSED;
}

async function notifySuggested(deps: RunDeps, anchor: string, ids: readonly string[]): Promise<void> {
  for (let i = 0; i < ids.length; i += 500) {
    const matchIds = ids.slice(i, i + 500);
    try {
      await enqueue(
        deps.queues,
        'matching.notify',
        { matchIds },
        { jobId: jobId('matching.notify', anchor, matchIds[0]!) },
      );
    } catch (err) {
      // The suggestions stand; reviewers still find them in their queue and in the daily digest.
      deps.logger.warn(
        { err: (err as Error).message, suggestions: matchIds.length },
        'suggestion notice not queued',
      );
    }
  }
}

interface OpeningPlan {
  ops: MatchOp[];
  info: (pair: { profileId: string }) => PairInfo;
  profiles: string[];
  floor: TopFloor;
}

/** The top-N of one held opening against the snapshot, reconciled with `stored` (not written). */
function planOpening(
  state: MatchingState,
  deps: RunDeps,
  ctx: MatchContext,
  held: HeldOpening,
  stored: readonly StoredMatch[],
): OpeningPlan {
  const opening = held.opening;
  const n = deps.config.matching.topN;
  const ranked = state.snapshot.topN(opening, ctx, n);
  const profiles = new Map<string, HeldProfile>();
  const pairs: RankedPair[] = [];
  for (const r of ranked) {
    const hp = state.profile(r.profileId);
    if (!hp) continue;
    profiles.set(r.profileId, hp);
    pairs.push({ profileId: r.profileId, openingId: opening.id, result: score(hp.profile, opening, ctx) });
  }
  const rescored = new Map<string, MatchScore>();
  for (const m of pairsToRescore(stored, pairs)) {
    const hp = state.profile(m.profileId);
    if (hp) rescored.set(`${m.profileId}|${m.openingId}`, score(hp.profile, opening, ctx));
  }
  const last = pairs.length >= n ? pairs.at(-1) : undefined;
  return {
    ops: reconcile(stored, pairs, rescored),
    info: (pair) => {
      const hp = profiles.get(pair.profileId);
      return {
        employerId: opening.employerId,
        openingRegionPath: held.regionPath,
        profileRegionPath: hp?.regionPath ?? [],
        ...hp?.dims,
      };
    },
    profiles: pairs.map((p) => p.profileId),
    floor: last
      ? { full: true, score: last.result.score, profileId: last.profileId }
      : { full: false, score: 0, profileId: '' },
  };
}

interface OpeningsRun {
  /** Each opening run, with the profiles its top-N lists. */
  runs: Map<string, Set<string>>;
  ranked: number;
  writes: number;
  suggestedIds: string[];
}

/**
 * The top-N of held openings against the snapshot: their stored matches read in one query,
 * reconciled, written in one bulk write, then their floors published (after the write).
 */
async function runOpenings(
  state: MatchingState,
  deps: RunDeps,
  ctx: MatchContext,
  ids: Iterable<string>,
  progress?: (done: number, total: number) => Promise<void>,
  /** The stored matches of exactly these openings, when the caller started reading them already. */
  storedRead?: Promise<Map<string, StoredMatch[]>>,
): Promise<OpeningsRun> {
  const held = [...ids].map((id) => state.opening(id)).filter((h): h is HeldOpening => h !== undefined);
  const out: OpeningsRun = { runs: new Map(), ranked: 0, writes: 0, suggestedIds: [] };
  if (held.length === 0) return out;
  const storedByOpening = await (storedRead ?? storedMatchesOfOpenings(held.map((h) => h.opening.id)));
  const floors = new Map<string, TopFloor>();
  const ops: MatchOp[] = [];
  const infos = new Map<string, OpeningPlan['info']>();
  for (const [i, h] of held.entries()) {
    const id = h.opening.id;
    const plan = planOpening(state, deps, ctx, h, storedByOpening.get(id) ?? []);
    out.runs.set(id, new Set(plan.profiles));
    floors.set(id, plan.floor);
    infos.set(id, plan.info);
    ops.push(...plan.ops);
    out.ranked += plan.profiles.length;
    // Scoring is synchronous: let the job's lock renewal and other I/O through now and then.
    if (i % 16 === 15) {
      await yieldNow();
      await progress?.(i + 1, held.length);
    }
  }
  const applied = await applyMatchOps(ops, (pair) => infos.get(pair.openingId)!(pair));
  out.writes = applied.writes;
  out.suggestedIds = applied.suggested;
  await state.publishFloors(floors);
  return out;
}

/**
 * Whether a changed profile bears on an opening's stored top-N: it stands there (or did), or it
 * now ranks at or above the opening's floor.
 */
function bearsOn(
  state: MatchingState,
  ctx: MatchContext,
  held: HeldOpening,
  profileId: string,
  listed: ReadonlySet<string>,
): boolean {
  if (listed.has(profileId)) return true;
  const hp = state.profile(profileId);
  if (!hp) return false;
  const r = score(hp.profile, held.opening, ctx);
  return r.eligible && state.entersTop(held.opening.id, r.score, profileId);
}

/**
 * The fence of opening runs (see suggestions.state.ts): after writing and publishing the floors,
 * read the change log once more; an opening whose top-N a profile changed meanwhile may bear on
 * (it is listed, or now ranks above the floor) is run again here, so a suggestion written from a
 * snapshot that lagged (consent withdrawn a moment ago on another worker) is corrected at once.
 */
async function openingFence(
  state: MatchingState,
  deps: RunDeps,
  ctx: MatchContext,
  runs: ReadonlyMap<string, ReadonlySet<string>>,
): Promise<{ rerun: number; suggestedIds: string[] }> {
  const changed = await state.catchUp();
  const profiles = [...changed].filter((k) => k.startsWith('p:')).map((k) => k.slice(2));
  const out = { rerun: 0, suggestedIds: [] as string[] };
  if (profiles.length === 0) return out;
  const again = [...runs]
    .filter(([openingId, listed]) => {
      const held = state.opening(openingId);
      return held && profiles.some((id) => bearsOn(state, ctx, held, id, listed));
    })
    .map(([openingId]) => openingId);
  const r = await runOpenings(state, deps, ctx, again);
  out.rerun = r.runs.size;
  out.suggestedIds = r.suggestedIds;
  return out;
}

interface RunOptions {
  /** Read the change log after writing (off for runs the fence itself started). */
  fence?: boolean;
  /** Append to the change log before reading MongoDB (off when the log already named it). */
  announce?: boolean;
}

/** A change job of an opening: re-read it, then its top-N, or supersede its suggestions. */
export async function runOpening(
  state: MatchingState,
  deps: RunDeps,
  id: string,
  options: RunOptions = {},
): Promise<RunSummary> {
  await state.ready;
  if (options.announce !== false) await state.announce('o', id);
  await state.catchUp();
  const o = await state.refreshOpening(id);
  const held = state.opening(id);
  if (!held) {
    const superseded = await supersedeAllOf({ openingId: id }, openingReason(o));
    return {
      ranked: 0,
      writes: 0,
      suggested: 0,
      superseded: superseded.length,
      skipped: o ? `opening ${o.status}` : 'opening gone',
    };
  }
  // Both reads scan on the local server: side by side, not one after the other.
  const storedRead = storedMatchesOfOpenings([id]);
  storedRead.catch(() => undefined);
  const ctx = await state.context({ employerId: held.opening.employerId });
  const r = await runOpenings(state, deps, ctx, [id], undefined, storedRead);
  const suggestedIds = [...r.suggestedIds];
  if (options.fence !== false)
    suggestedIds.push(...(await openingFence(state, deps, ctx, r.runs)).suggestedIds);
  if (suggestedIds.length) await notifySuggested(deps, `o${id}`, suggestedIds);
  return { ranked: r.ranked, writes: r.writes, suggested: suggestedIds.length };
}

/**
 * The openings whose stored top-N a person's change bears on: those that list them (or hold a match
 * they acted on, whose recorded score may change), and those whose floor they now reach.
 */
function openingsFor(
  state: MatchingState,
  ctx: MatchContext,
  hp: HeldProfile | undefined,
  stored: readonly StoredMatch[],
): Set<string> {
  const out = new Set<string>();
  // A person who can no longer be suggested: every opening that held them (superseded just now or
  // by an earlier try of this job) fills the place.
  for (const m of stored)
    if ((!hp || machineListed(m) || !MACHINE_STATES.has(m.status)) && state.opening(m.openingId))
      out.add(m.openingId);
  if (!hp) return out;
  for (const r of topOpeningsFor(hp.profile, state.openings(), ctx, Number.POSITIVE_INFINITY))
    if (state.entersTop(r.openingId, r.score, hp.profile.id)) out.add(r.openingId);
  return out;
}

/**
 * A change job of a profile: re-read it; supersede its suggestions at once if it can no longer be
 * suggested (with the reason); then run the openings whose stored top-N it enters or leaves.
 */
export async function runProfile(
  state: MatchingState,
  deps: RunDeps,
  id: string,
  options: RunOptions = {},
): Promise<RunSummary> {
  await state.ready;
  if (options.announce !== false) await state.announce('p', id);
  await state.catchUp();
  const p = await state.refreshProfile(id);
  const hp = state.profile(id);
  let superseded: number | undefined;
  if (!hp) {
    // Superseded now, whatever follows: the openings' runs below only fill the places it left.
    superseded = (await supersedeAllOf({ profileId: id }, profileReason(p))).length;
  }
  const stored = await storedMatchesOf({ profileId: id });
  const ctx = await state.context();
  const targets = openingsFor(state, ctx, hp, stored);
  const total = await runOpenings(state, deps, ctx, targets);
  if (options.fence !== false) {
    const changed = await state.catchUp();
    if (changed.has(`p:${id}`)) {
      // Changed again meanwhile: run once more from what MongoDB holds now.
      const again = await runProfile(state, deps, id, { fence: false, announce: false });
      total.writes += again.writes;
    } else if (state.profile(id)) {
      // Another process moved an opening's floor meanwhile: the person may reach it now.
      const more = [...changed]
        .filter((k) => !k.startsWith('p:') && !targets.has(k.slice(2)))
        .map((k) => k.slice(2))
        .filter((openingId) => {
          const held = state.opening(openingId);
          return held && bearsOn(state, ctx, held, id, new Set());
        });
      const r = await runOpenings(state, deps, ctx, more);
      total.writes += r.writes;
      total.suggestedIds.push(...r.suggestedIds);
    }
  }
  if (total.suggestedIds.length) await notifySuggested(deps, `p${id}`, total.suggestedIds);
  return {
    ranked: total.ranked,
    writes: total.writes,
    suggested: total.suggestedIds.length,
    ...(superseded !== undefined && { superseded, skipped: p ? 'profile not eligible' : 'profile gone' }),
  };
}

/**
 * One chunk of a rematch: every held opening whose id lies in [from, to], their stored matches
 * read in one query. Re-running a chunk (after a crash) writes nothing twice: reconcile compares
 * with what is stored. A profile chunk (planned by a rematch of before) has nothing to do.
 */
export async function runChunk(
  state: MatchingState,
  deps: RunDeps,
  chunk: { side: 'opening' | 'profile'; from: string; to: string },
  progress?: (done: number, total: number) => Promise<void>,
): Promise<RunSummary & { items: number }> {
  await state.ready;
  if (chunk.side === 'profile') return { items: 0, ranked: 0, writes: 0, suggested: 0 };
  await state.catchUp();
  const ctx = await state.context();
  const ids = state
    .openings()
    .map((o) => o.id)
    .filter((id) => id >= chunk.from && id <= chunk.to);
  const r = await runOpenings(state, deps, ctx, ids, progress);
  const total: RunSummary & { items: number } = {
    items: ids.length,
    ranked: r.ranked,
    writes: r.writes,
    suggested: 0,
  };
  const suggestedIds = [...r.suggestedIds];
  const runs = r.runs;
  suggestedIds.push(...(await openingFence(state, deps, ctx, runs)).suggestedIds);
  total.suggested = suggestedIds.length;
  if (suggestedIds.length) await notifySuggested(deps, `c${chunk.side[0]}${chunk.from}`, suggestedIds);
  return total;
}
