/**
 * The pure matching engine (issue 6): what the matching jobs, endpoints and scripts call. No I/O,
 * no clock (the date comes from the context), no randomness.
 *
 * - `score(profile, opening, ctx)` — the reference: eligibility, 0–100 score, components, reasons.
 * - `explain(profile, opening, ctx)` — the comparison chart behind a score.
 * - `ProfileSnapshot` — the in-memory columnar snapshot of available profiles; `topN(opening)`
 *   returns exactly the ranking `score()` would give, fast; `upsert`/`remove` keep it current.
 * - `topOpeningsFor(profile, openings, ctx, n)` — the other direction.
 * - `createMatchContext(input)` — weights, working age, partnerships, peer counts, names.
 */
export type { Assessment } from './assess.js';
export {
  createMatchContext,
  DEFAULT_PARAMS,
  DEFAULT_WEIGHTS,
  DEFAULT_WORKING_AGE,
  type MatchContext,
  type MatchContextInput,
  type PartnershipPair,
  type ProgrammeInfo,
  type ScoringParams,
  type WorkingAge,
} from './context.js';
export { type ChartRow, type Explanation, explain } from './explain.js';
export { ACCESSIBLE_DORM } from './normalize.js';
export { ALGORITHM_VERSION, score } from './score.js';
export {
  type CompiledOpening,
  exclusionOf,
  ProfileSnapshot,
  type RankedProfile,
  ranksBefore,
  type SnapshotStats,
  type UpsertOutcome,
} from './snapshot.js';
export { type RankedOpening, topOpeningsFor } from './top-openings.js';
export {
  COMPONENT_KEYS,
  type ComponentKey,
  type ComponentScore,
  EXCLUSION_CODES,
  type ExclusionCode,
  MATCH_PROFILE_FEATURES,
  type MatchOpening,
  type MatchProfile,
  type MatchScore,
  type OpeningStatus,
  type ProfileStatus,
  type Reason,
  type ReasonKind,
  type SkillLevel,
  type Text,
  type Weights,
} from './types.js';
export {
  compileVocabulary,
  defaultVocabulary,
  type MatchVocabulary,
  type RawVocabulary,
} from './vocabulary.js';
