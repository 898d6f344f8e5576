import type { MatchScore, Reason } from './types.js';

/**
 * Reconciling a recomputation with the stored matches (pure; the jobs apply the result).
 *
 * A match is one document per (profile, opening). It is a suggestion while the opening's top-N or
 * the profile's top-N lists it: each side's run records only its own flag (`inOpeningTop`,
 * `inProfileTop`), so an opening run never withdraws a suggestion that the profile's own run put
 * there. A suggestion listed by neither side is superseded, with the reason. Anything a person
 * has acted on (approved, rejected, proposed, …) is never overwritten: a changed score is recorded
 * beside it (`latestScore`).
 */

export const MATCH_STATUSES = [
  'suggested',
  'superseded',
  'approved',
  'rejected',
  'proposed',
  'interested',
  'declined',
  'interviewing',
  'hired',
  'placed',
  'retained',
  'ended',
  'withdrawn',
] as const;
export type MatchStatus = (typeof MATCH_STATUSES)[number];

/** States only the machine sets; every other state records a human decision. */
export const MACHINE_STATES: ReadonlySet<MatchStatus> = new Set(['suggested', 'superseded']);

export type RunSide = 'opening' | 'profile';

export interface StoredMatch {
  id: string;
  profileId: string;
  openingId: string;
  status: MatchStatus;
  version: number;
  score: number;
  algorithmVersion: string;
  inOpeningTop: boolean;
  inProfileTop: boolean;
}

export interface RankedPair {
  profileId: string;
  openingId: string;
  result: MatchScore;
}

export interface SupersedeReason {
  code: string;
  zh: string;
  en: string;
  /** The exclusion's parameters, so the sentence can be rendered when read (only these are stored). */
  params?: Reason['params'];
}

export type MatchOp =
  /** A new suggestion. */
  | { kind: 'insert'; side: RunSide; pair: RankedPair }
  /** A machine-state match enters (or stays in) this side's top-N: suggested, with the new score. */
  | { kind: 'suggest'; side: RunSide; match: StoredMatch; pair: RankedPair }
  /** A human-acted match: the new score recorded beside it, status untouched. */
  | { kind: 'record_score'; match: StoredMatch; pair: RankedPair }
  /** This side no longer lists it, the other side still does: only the flag changes. */
  | { kind: 'unlist'; side: RunSide; match: StoredMatch }
  /** Listed by neither side any more: superseded with the reason. */
  | { kind: 'supersede'; side: RunSide; match: StoredMatch; reason: SupersedeReason };

const OUTRANKED: SupersedeReason = {
  code: 'outranked',
  zh: '已有更合适的人选或岗位，不再列为推荐',
  en: 'No longer among the top suggestions',
};

/** The supersede reason from a fresh score of the pair: its first exclusion, or "outranked". */
export function supersedeReason(result: MatchScore | undefined): SupersedeReason {
  const exclusion: Reason | undefined = result?.reasons.find((r) => r.kind === 'exclusion');
  if (!result || result.eligible || !exclusion) return OUTRANKED;
  return {
    code: `ineligible.${exclusion.about}`,
    zh: exclusion.zh,
    en: exclusion.en,
    params: exclusion.params,
  };
}

const sameScore = (m: StoredMatch, r: MatchScore) =>
  m.score === r.score && m.algorithmVersion === r.algorithmVersion;

/**
 * The operations that bring `stored` (every match of the run's anchor: the opening or the profile)
 * in line with `ranked` (the anchor's new top-N, eligible pairs only). `rescored` holds a fresh
 * score for stored pairs that left the top-N, so the supersede reason can say why.
 */
export function reconcile(
  side: RunSide,
  stored: readonly StoredMatch[],
  ranked: readonly RankedPair[],
  rescored: ReadonlyMap<string, MatchScore> = new Map(),
): MatchOp[] {
  const key = (p: { profileId: string; openingId: string }) => `${p.profileId}|${p.openingId}`;
  const byPair = new Map(stored.map((m) => [key(m), m]));
  const listed = new Set(ranked.map(key));
  const ops: MatchOp[] = [];
  const flag = side === 'opening' ? 'inOpeningTop' : 'inProfileTop';
  const otherFlag = side === 'opening' ? 'inProfileTop' : 'inOpeningTop';

  for (const pair of ranked) {
    const match = byPair.get(key(pair));
    if (!match) ops.push({ kind: 'insert', side, pair });
    else if (!MACHINE_STATES.has(match.status)) {
      if (!sameScore(match, pair.result)) ops.push({ kind: 'record_score', match, pair });
    } else if (match.status !== 'suggested' || !match[flag] || !sameScore(match, pair.result))
      ops.push({ kind: 'suggest', side, match, pair });
  }

  for (const match of stored) {
    if (listed.has(key(match)) || match.status !== 'suggested') continue;
    if (!match[flag]) continue;
    if (match[otherFlag]) ops.push({ kind: 'unlist', side, match });
    else ops.push({ kind: 'supersede', side, match, reason: supersedeReason(rescored.get(key(match))) });
  }
  return ops;
}

/** Pairs that left the top-N and need a fresh score for their supersede reason. */
export function pairsToRescore(side: RunSide, stored: readonly StoredMatch[], ranked: readonly RankedPair[]) {
  const listed = new Set(ranked.map((p) => `${p.profileId}|${p.openingId}`));
  const flag = side === 'opening' ? 'inOpeningTop' : 'inProfileTop';
  return stored.filter(
    (m) => m.status === 'suggested' && m[flag] && !listed.has(`${m.profileId}|${m.openingId}`),
  );
}
