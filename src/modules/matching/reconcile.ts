import type { MatchScore, Reason } from './types.js';

/**
 * Reconciling a recomputation with the stored matches (pure; the jobs apply the result).
 *
 * A match is one document per (profile, opening). What is stored is what staff act on: each open
 * opening's top-N (the machine's suggestions, marked `inOpeningTop`) and every match a person has
 * acted on. A person's best openings are computed on demand, never stored. A machine suggestion
 * the opening's top-N no longer lists is superseded, with the reason. Anything a person has acted
 * on (approved, rejected, proposed, …) is never overwritten: a changed score is recorded beside it
 * (`latestScore`). A suggestion a person made (a campaign plan) carries no machine mark and is left
 * to its reviewers.
 *
 * `inProfileTop` is read only on documents written before this rule (the per-profile top-N): such
 * a suggestion counts as the machine's, so the opening's next run supersedes it unless it lists it.
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

export interface StoredMatch {
  id: string;
  profileId: string;
  openingId: string;
  status: MatchStatus;
  version: number;
  score: number;
  algorithmVersion: string;
  inOpeningTop?: boolean;
  /** Old documents only (the per-profile top-N of before); never written true any more. */
  inProfileTop?: boolean;
}

export interface RankedPair {
  profileId: string;
  openingId: string;
  result: MatchScore;
}

/** Why a suggestion left the list: a code and its parameters; reasons.ts renders the sentence when read. */
export interface SupersedeReason {
  code: string;
  /** The exclusion's parameters, so the sentence can be rendered when read. */
  params?: Reason['params'];
}

export type MatchOp =
  /** A new suggestion. */
  | { kind: 'insert'; pair: RankedPair }
  /** A machine-state match enters (or stays in) the opening's top-N: suggested, with the new score. */
  | { kind: 'suggest'; match: StoredMatch; pair: RankedPair }
  /** A human-acted match: the new score recorded beside it, status untouched. */
  | { kind: 'record_score'; match: StoredMatch; pair: RankedPair }
  /** A machine suggestion the top-N no longer lists: superseded with the reason. */
  | { kind: 'supersede'; match: StoredMatch; reason: SupersedeReason };

const OUTRANKED: SupersedeReason = { code: 'outranked' };

/** The supersede reason from a fresh score of the pair: its first exclusion, or "outranked". */
export function supersedeReason(result: MatchScore | undefined): SupersedeReason {
  const exclusion: Reason | undefined = result?.reasons.find((r) => r.kind === 'exclusion');
  if (!result || result.eligible || !exclusion) return OUTRANKED;
  return { code: `ineligible.${exclusion.about}`, params: exclusion.params };
}

const sameScore = (m: StoredMatch, r: MatchScore) =>
  m.score === r.score && m.algorithmVersion === r.algorithmVersion;

/** A suggestion the matching runs listed (now or under the old two-sided rule). */
export const machineListed = (m: StoredMatch) =>
  m.status === 'suggested' && (m.inOpeningTop === true || m.inProfileTop === true);

/**
 * The operations that bring `stored` (every match of one opening) in line with `ranked` (the
 * opening's new top-N, eligible pairs only). `rescored` holds a fresh score for stored pairs that
 * left the top-N, so the supersede reason can say why.
 */
export function reconcile(
  stored: readonly StoredMatch[],
  ranked: readonly RankedPair[],
  rescored: ReadonlyMap<string, MatchScore> = new Map(),
): MatchOp[] {
  const key = (p: { profileId: string; openingId: string }) => `${p.profileId}|${p.openingId}`;
  const byPair = new Map(stored.map((m) => [key(m), m]));
  const listed = new Set(ranked.map(key));
  const ops: MatchOp[] = [];

  for (const pair of ranked) {
    const match = byPair.get(key(pair));
    if (!match) ops.push({ kind: 'insert', pair });
    else if (!MACHINE_STATES.has(match.status)) {
      if (!sameScore(match, pair.result)) ops.push({ kind: 'record_score', match, pair });
    } else if (
      match.status !== 'suggested' ||
      match.inOpeningTop !== true ||
      match.inProfileTop === true ||
      !sameScore(match, pair.result)
    )
      ops.push({ kind: 'suggest', match, pair });
  }

  for (const match of stored) {
    if (listed.has(key(match)) || !machineListed(match)) continue;
    ops.push({ kind: 'supersede', match, reason: supersedeReason(rescored.get(key(match))) });
  }
  return ops;
}

/** Machine suggestions that left the top-N and need a fresh score for their supersede reason. */
export function pairsToRescore(stored: readonly StoredMatch[], ranked: readonly RankedPair[]) {
  const listed = new Set(ranked.map((p) => `${p.profileId}|${p.openingId}`));
  return stored.filter((m) => machineListed(m) && !listed.has(`${m.profileId}|${m.openingId}`));
}
