import { setImmediate as yieldNow } from 'node:timers/promises';
import type { Config } from '../../config.js';
import { jobId } from '../../jobs/catalogue.js';
import { enqueue, type Queues } from '../../jobs/queues.js';
import type { Logger } from '../../lib/logger.js';
import { type HeldOpening, type HeldProfile, profileExclusion } from '../matching/adapters.js';
import type { MatchContext } from '../matching/context.js';
import { pairsToRescore, type RankedPair, reconcile, type SupersedeReason } from '../matching/reconcile.js';
import { score } from '../matching/score.js';
import { topOpeningsFor } from '../matching/top-openings.js';
import type { ExclusionCode, MatchScore } from '../matching/types.js';
import type { OpeningForMatching } from '../openings/for-other-modules.service.js';
import type { ProfileForMatching } from '../worker-profiles/for-other-modules.service.js';
import { applyMatchOps, type PairInfo, storedMatchesOf, supersedeAllOf } from './matches.repository.js';
import type { ChangedKey, MatchingState } from './suggestions.state.js';

/**
 * The matching runs (worker side): one opening's top-N profiles, one profile's top-N openings,
 * and the chunks of a rematch. Each run reconciles with what `matches` holds (reconcile.ts) and
 * writes in one bulk write; new suggestions are handed to a `matching.notify` job.
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

const T = (code: string, zh: string, en: string): SupersedeReason => ({ code, zh, en });

const PROFILE_REASONS: Partial<Record<ExclusionCode, SupersedeReason>> = {
  profile_not_available: T(
    'ineligible.profile_not_available',
    '求职者当前不在可推荐状态',
    'The job seeker is not available for matching',
  ),
  no_sensitive_data_consent: T(
    'ineligible.no_sensitive_data_consent',
    '未登记（或已撤回）敏感个人信息处理同意',
    'No consent to process sensitive personal information (never given, or withdrawn)',
  ),
  outside_working_age: T('ineligible.outside_working_age', '不在劳动年龄内', 'Outside working age'),
};
const PROFILE_GONE = T('profile_erased', '求职者档案已删除', 'The job seeker profile was erased');
const OPENING_CLOSED = T(
  'ineligible.opening_not_open',
  '岗位未开放（暂停、关闭或草稿）',
  'The opening is not open (paused, closed or a draft)',
);
const OPENING_FULL = T('ineligible.opening_full', '岗位已招满', 'The opening is full');
const OPENING_GONE = T('opening_removed', '岗位已不存在', 'The opening no longer exists');

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

/** The top-N of one held opening against the snapshot, reconciled and written. */
async function matchOpening(
  state: MatchingState,
  deps: RunDeps,
  ctx: MatchContext,
  held: HeldOpening,
): Promise<RunSummary & { suggestedIds: string[]; profiles: string[] }> {
  const opening = held.opening;
  const ranked = state.snapshot.topN(opening, ctx, deps.config.matching.topN);
  const profiles = new Map<string, HeldProfile>();
  const pairs: RankedPair[] = [];
  for (const r of ranked) {
    const hp = state.profile(r.profileId);
    if (!hp) continue;
    profiles.set(r.profileId, hp);
    pairs.push({ profileId: r.profileId, openingId: opening.id, result: score(hp.profile, opening, ctx) });
  }
  const stored = await storedMatchesOf({ openingId: opening.id });
  const rescored = new Map<string, MatchScore>();
  for (const m of pairsToRescore('opening', stored, pairs)) {
    const hp = state.profile(m.profileId);
    if (hp) rescored.set(`${m.profileId}|${m.openingId}`, score(hp.profile, opening, ctx));
  }
  const ops = reconcile('opening', stored, pairs, rescored);
  const info = (pair: { profileId: string }): PairInfo => {
    const hp = profiles.get(pair.profileId);
    return {
      employerId: opening.employerId,
      openingRegionPath: held.regionPath,
      profileRegionPath: hp?.regionPath ?? [],
      ...hp?.dims,
    };
  };
  const applied = await applyMatchOps(ops, info);
  return {
    ranked: pairs.length,
    writes: applied.writes,
    suggested: applied.suggested.length,
    suggestedIds: applied.suggested,
    profiles: pairs.map((p) => p.profileId),
  };
}

/** The top-N openings of one held profile, reconciled and written. */
async function matchProfile(
  state: MatchingState,
  deps: RunDeps,
  ctx: MatchContext,
  hp: HeldProfile,
): Promise<RunSummary & { suggestedIds: string[]; openings: string[] }> {
  const profile = hp.profile;
  const ranked = topOpeningsFor(profile, state.openings(), ctx, deps.config.matching.topN);
  const pairs: RankedPair[] = [];
  for (const r of ranked) {
    const o = state.opening(r.openingId);
    if (o)
      pairs.push({ profileId: profile.id, openingId: r.openingId, result: score(profile, o.opening, ctx) });
  }
  const stored = await storedMatchesOf({ profileId: profile.id });
  const rescored = new Map<string, MatchScore>();
  for (const m of pairsToRescore('profile', stored, pairs)) {
    const o = state.opening(m.openingId);
    if (o) rescored.set(`${m.profileId}|${m.openingId}`, score(profile, o.opening, ctx));
  }
  const ops = reconcile('profile', stored, pairs, rescored);
  const info = (pair: { openingId: string }): PairInfo => {
    const o = state.opening(pair.openingId);
    return {
      employerId: o?.opening.employerId ?? '',
      openingRegionPath: o?.regionPath ?? [],
      profileRegionPath: hp.regionPath,
      ...hp.dims,
    };
  };
  const applied = await applyMatchOps(ops, info);
  return {
    ranked: pairs.length,
    writes: applied.writes,
    suggested: applied.suggested.length,
    suggestedIds: applied.suggested,
    openings: pairs.map((p) => p.openingId),
  };
}

/**
 * The fence (see suggestions.state.ts): after writing, read the change log once more; a profile or
 * opening of the written pairs that changed meanwhile is run again here, so a suggestion written
 * from a snapshot that lagged (consent withdrawn a moment ago on another worker) is superseded.
 */
async function fence(
  state: MatchingState,
  deps: RunDeps,
  touched: { profiles: Iterable<string>; openings: Iterable<string> },
): Promise<number> {
  const changed = await state.catchUp();
  if (changed.size === 0) return 0;
  let rerun = 0;
  for (const id of touched.profiles)
    if (changed.has(`p:${id}` as ChangedKey)) {
      await runProfile(state, deps, id, { fence: false, announce: false });
      rerun++;
    }
  for (const id of touched.openings)
    if (changed.has(`o:${id}` as ChangedKey)) {
      await runOpening(state, deps, id, { fence: false, announce: false });
      rerun++;
    }
  return rerun;
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
      superseded,
      skipped: o ? `opening ${o.status}` : 'opening gone',
    };
  }
  const ctx = await state.context({ employerId: held.opening.employerId });
  const r = await matchOpening(state, deps, ctx, held);
  if (options.fence !== false) await fence(state, deps, { profiles: r.profiles, openings: [] });
  if (r.suggestedIds.length) await notifySuggested(deps, `o${id}`, r.suggestedIds);
  return { ranked: r.ranked, writes: r.writes, suggested: r.suggested };
}

/** A change job of a profile: re-read it, then its top-N openings, or supersede its suggestions. */
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
  if (!hp) {
    const superseded = await supersedeAllOf({ profileId: id }, profileReason(p));
    return {
      ranked: 0,
      writes: 0,
      suggested: 0,
      superseded,
      skipped: p ? 'profile not eligible' : 'profile gone',
    };
  }
  const ctx = await state.context({ region: hp.profile.originCounty });
  const r = await matchProfile(state, deps, ctx, hp);
  if (options.fence !== false) await fence(state, deps, { profiles: [], openings: r.openings });
  if (r.suggestedIds.length) await notifySuggested(deps, `p${id}`, r.suggestedIds);
  return { ranked: r.ranked, writes: r.writes, suggested: r.suggested };
}

/**
 * One chunk of a rematch: every held opening (or profile) whose id lies in [from, to]. Re-running
 * a chunk (after a crash) writes nothing twice: reconcile compares with what is stored.
 */
export async function runChunk(
  state: MatchingState,
  deps: RunDeps,
  chunk: { side: 'opening' | 'profile'; from: string; to: string },
  progress?: (done: number, total: number) => Promise<void>,
): Promise<RunSummary & { items: number }> {
  await state.ready;
  await state.catchUp();
  const ctx = await state.context();
  const inRange = (id: string) => id >= chunk.from && id <= chunk.to;
  const ids =
    chunk.side === 'opening'
      ? state
          .openings()
          .map((o) => o.id)
          .filter(inRange)
      : [...state.snapshot.profileIds()].filter(inRange);
  const total: RunSummary & { items: number } = { items: ids.length, ranked: 0, writes: 0, suggested: 0 };
  const touchedProfiles = new Set<string>();
  const touchedOpenings = new Set<string>();
  const suggestedIds: string[] = [];
  for (const [i, id] of ids.entries()) {
    let r: RunSummary & { suggestedIds: string[] };
    if (chunk.side === 'opening') {
      const held = state.opening(id);
      if (!held) continue;
      const res = await matchOpening(state, deps, ctx, held);
      for (const p of res.profiles) touchedProfiles.add(p);
      r = res;
    } else {
      const hp = state.profile(id);
      if (!hp) continue;
      const res = await matchProfile(state, deps, ctx, hp);
      for (const o of res.openings) touchedOpenings.add(o);
      r = res;
    }
    total.ranked += r.ranked;
    total.writes += r.writes;
    total.suggested += r.suggested;
    suggestedIds.push(...r.suggestedIds);
    // Scoring is synchronous: let the job's lock renewal and other I/O through now and then.
    if (i % 16 === 15) {
      await yieldNow();
      await progress?.(i + 1, ids.length);
    }
  }
  await fence(state, deps, { profiles: touchedProfiles, openings: touchedOpenings });
  if (suggestedIds.length) await notifySuggested(deps, `c${chunk.side[0]}${chunk.from}`, suggestedIds);
  return total;
}
