import type { MatchContext } from './context.js';
import type { ProfileSnapshot } from './snapshot.js';
import type { MatchOpening } from './types.js';

/*
 * Accommodation advice (issue 21): how many more people an opening would reach if it offered one
 * more accommodation, or dropped one job demand. Every count comes from the kernel's own passes
 * (ProfileSnapshot.scanEligible) over variants of the opening, so eligibility and scores are those
 * of the suggestions, by construction.
 *
 * Offering more and demanding less can only lift hard constraints (the soft components read
 * neither), so everyone eligible now stays eligible, and anyone a variant gains is among those
 * eligible when the opening offers every accommodation and drops every demand. That set minus the
 * present one (the people left out) is found once; each variant is then scanned over them only.
 */

export type AdviceChange = { kind: 'accommodation' | 'demand'; code: string };

export interface AdviceTally {
  /** People newly eligible. */
  gained: number;
  /** Of them, people scoring at least the threshold. */
  gainedAbove: number;
}

export interface AdviceItem extends AdviceTally {
  change: AdviceChange;
}

export interface AdviceBundle extends AdviceTally {
  changes: AdviceChange[];
}

export interface AdviceResult {
  /** The opening as posted: people eligible, and of them scoring at least the threshold. */
  current: { eligible: number; above: number };
  threshold: number;
  /** Single changes, most people gained first (ties: accommodations first, then code). */
  items: AdviceItem[];
  /** Greedy bundles of two and three changes (when there are that many changes to choose from). */
  bundles: AdviceBundle[];
}

export interface AdviceOptions {
  threshold: number;
  /** Only people from an area paired with the opening's city (the partnership scope). */
  pairedOnly: boolean;
  /** Accommodation codes to consider (default: every accommodation of the vocabulary). */
  accommodations?: readonly string[];
  /** Compute the greedy bundles (default true). */
  bundles?: boolean;
}

function applyChanges(opening: MatchOpening, changes: readonly AdviceChange[]): MatchOpening {
  const add = changes.filter((c) => c.kind === 'accommodation').map((c) => c.code);
  const drop = new Set(changes.filter((c) => c.kind === 'demand').map((c) => c.code));
  return {
    ...opening,
    accommodationsOffered: [...opening.accommodationsOffered, ...add],
    demands: opening.demands.filter((d) => !drop.has(d)),
  };
}

/** The changes worth asking about: accommodations not offered, demands the opening lists. */
export function adviceChanges(
  opening: MatchOpening,
  ctx: MatchContext,
  accommodations?: readonly string[],
): AdviceChange[] {
  const v = ctx.vocabulary;
  const offered = new Set(opening.accommodationsOffered.map((a) => v.accommodations.canonical(a)));
  const demands = [...new Set(opening.demands.map((d) => v.demands.canonical(d)))];
  return [
    ...(accommodations ?? v.accommodations.codes)
      .filter((a) => !offered.has(a))
      .map((code) => ({ kind: 'accommodation' as const, code })),
    ...demands.filter((d) => v.demands.has(d)).map((code) => ({ kind: 'demand' as const, code })),
  ];
}

const byGain = (a: AdviceTally & { key: string }, b: AdviceTally & { key: string }) =>
  b.gained - a.gained || b.gainedAbove - a.gainedAbove || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

/**
 * Advice for one opening over the snapshot. The opening is judged as if open with places left
 * (advice is about people, and drafts and full openings deserve it too).
 */
export function adviseOpening(
  snapshot: ProfileSnapshot,
  opening: MatchOpening,
  ctx: MatchContext,
  options: AdviceOptions,
): AdviceResult {
  const asOpen: MatchOpening = {
    ...opening,
    status: 'open',
    filled: 0,
    headcount: Math.max(1, opening.headcount),
  };
  const words = snapshot.rowWords;
  const out = new Float64Array(words * 32);
  const scope = { pairedOnly: options.pairedOnly };
  const threshold = options.threshold;

  const current = new Uint32Array(words);
  const eligible = snapshot.scanEligible(snapshot.compile(asOpen, ctx), out, current, scope);
  let above = 0;
  for (let w = 0; w < words; w++) {
    for (let bits = current[w]!; bits !== 0; bits &= bits - 1) {
      if (out[(w << 5) | (31 - Math.clz32(bits & -bits))]! >= threshold) above++;
    }
  }

  const changes = adviceChanges(asOpen, ctx, options.accommodations);
  const everything = new Uint32Array(words);
  snapshot.scanEligible(snapshot.compile(applyChanges(asOpen, changes), ctx), out, everything, scope);
  const leftOut = new Uint32Array(words);
  let anyLeftOut = false;
  for (let w = 0; w < words; w++) {
    leftOut[w] = everything[w]! & ~current[w]!;
    if (leftOut[w] !== 0) anyLeftOut = true;
  }

  const tally = (set: readonly AdviceChange[]): AdviceTally => {
    if (!anyLeftOut) return { gained: 0, gainedAbove: 0 };
    const gained = new Uint32Array(words);
    const n = snapshot.scanEligible(snapshot.compile(applyChanges(asOpen, set), ctx), out, gained, {
      ...scope,
      within: leftOut,
    });
    let up = 0;
    for (let w = 0; w < words; w++) {
      for (let bits = gained[w]!; bits !== 0; bits &= bits - 1) {
        if (out[(w << 5) | (31 - Math.clz32(bits & -bits))]! >= threshold) up++;
      }
    }
    return { gained: n, gainedAbove: up };
  };
  const keyOf = (c: AdviceChange) => `${c.kind === 'accommodation' ? 0 : 1}:${c.code}`;

  const items = changes
    .map((change) => ({ change, key: keyOf(change), ...tally([change]) }))
    .sort(byGain)
    .map(({ key: _key, ...item }) => item);

  // Greedy: the best single change, then the best second given the first, then the third.
  const bundles: AdviceBundle[] = [];
  let chosen: AdviceChange[] =
    options.bundles !== false && items[0] && items[0].gained > 0 ? [items[0].change] : [];
  for (let size = 2; size <= 3 && chosen.length === size - 1; size++) {
    const taken = new Set(chosen.map(keyOf));
    const best = changes
      .filter((c) => !taken.has(keyOf(c)))
      .map((c) => ({ c, key: keyOf(c), ...tally([...chosen, c]) }))
      .sort(byGain)[0];
    const before = size === 2 ? (items[0]?.gained ?? 0) : (bundles.at(-1)?.gained ?? 0);
    // A change that adds no one makes no better bundle.
    if (!best || best.gained <= before) break;
    chosen = [...chosen, best.c];
    bundles.push({ changes: chosen, gained: best.gained, gainedAbove: best.gainedAbove });
  }
  return { current: { eligible, above }, threshold, items, bundles };
}

/** Counts shown to callers: 1–4 are masked, so that no one can be singled out. */
export const MASK_BELOW = 5;
export type MaskedCount = { count: number; fewerThan: null } | { count: null; fewerThan: typeof MASK_BELOW };

export function masked(n: number): MaskedCount {
  return n > 0 && n < MASK_BELOW ? { count: null, fewerThan: MASK_BELOW } : { count: n, fewerThan: null };
}
