import { assess } from './assess.js';
import type { MatchContext } from './context.js';
import { type NormalizedOpening, normalizeOpening, normalizeProfile } from './normalize.js';
import { ranksBefore } from './snapshot.js';
import type { MatchOpening, MatchProfile } from './types.js';
import type { MatchVocabulary } from './vocabulary.js';

export interface RankedOpening {
  openingId: string;
  score: number;
}

// Openings change rarely next to how often they are scored, so their canonical form is kept per
// object (and per vocabulary: a reloaded vocabulary normalises afresh).
const normalized = new WeakMap<MatchOpening, { vocab: MatchVocabulary; o: NormalizedOpening }>();

function normalizedOpening(vocab: MatchVocabulary, opening: MatchOpening): NormalizedOpening {
  const hit = normalized.get(opening);
  if (hit && hit.vocab === vocab) return hit.o;
  const o = normalizeOpening(vocab, opening);
  normalized.set(opening, { vocab, o });
  return o;
}

/**
 * The best `n` eligible openings for one profile, best first (score, then opening id) — the other
 * direction of matching. Openings are few next to profiles (thousands), so this runs the
 * reference assessment on the profile normalised once; scores are those of `score()` by
 * construction. Treat the opening objects as immutable: their normal form is cached per object.
 */
export function topOpeningsFor(
  profile: MatchProfile,
  openings: Iterable<MatchOpening>,
  ctx: MatchContext,
  n: number,
): RankedOpening[] {
  const p = normalizeProfile(ctx.vocabulary, profile);
  if (!p.available || !p.consent || n <= 0) return [];
  const ranked: RankedOpening[] = [];
  for (const opening of openings) {
    const o = normalizedOpening(ctx.vocabulary, opening);
    if (!o.open || !o.hasRoom) continue;
    const a = assess(p, o, ctx);
    if (a.eligible) ranked.push({ openingId: o.id, score: a.score });
  }
  ranked.sort((x, y) => (ranksBefore(x.score, x.openingId, y.score, y.openingId) ? -1 : 1));
  return ranked.slice(0, n);
}
