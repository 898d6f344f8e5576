import { type Assessment, assess } from './assess.js';
import type { MatchContext } from './context.js';
import { normalizeOpening, normalizeProfile } from './normalize.js';
import { renderReasons } from './reasons.js';
import {
  COMPONENT_KEYS,
  type ComponentScore,
  type MatchOpening,
  type MatchProfile,
  type MatchScore,
} from './types.js';

/**
 * Recorded with every stored match. Bump it whenever a constraint, a formula or a default changes
 * meaning, so stored scores can be told apart from fresh ones.
 */
export const ALGORITHM_VERSION = 'tongxin-match-2';

export function componentsOf(a: Assessment, ctx: MatchContext): ComponentScore[] {
  return COMPONENT_KEYS.map((key, i) => ({
    key,
    weight: ctx.weights[key],
    value: a.values[i] as number,
    points: (a.hundredths[i] as number) / 100,
  }));
}

/**
 * The reference scoring function: pure and deterministic (the date comes from the context).
 * Every hard constraint is checked, so an excluded pair lists all its reasons, not only the first.
 */
export function score(profile: MatchProfile, opening: MatchOpening, ctx: MatchContext): MatchScore {
  const p = normalizeProfile(ctx.vocabulary, profile);
  const o = normalizeOpening(ctx.vocabulary, opening);
  const a = assess(p, o, ctx);
  return {
    algorithmVersion: ALGORITHM_VERSION,
    eligible: a.eligible,
    score: a.score,
    excludedBy: a.excludedBy,
    components: componentsOf(a, ctx),
    reasons: renderReasons(a, p, o, ctx),
  };
}
