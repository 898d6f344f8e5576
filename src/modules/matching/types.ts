/**
 * Inputs and outputs of the matching engine. The inputs are projections: only what scoring needs,
 * built from a job seeker's profile / an opening by their modules. Disability category and level are
 * deliberately absent — the score may only see functional limitations and needed supports
 * (残疾人就业条例, 就业促进法: no exclusion by category; DOMAIN.md, SOAR).
 */

export type ProfileStatus = 'available' | 'in_process' | 'placed' | 'inactive';
export type OpeningStatus = 'draft' | 'open' | 'paused' | 'closed' | 'filled';
export type Sex = 'male' | 'female';

/** 1 入门 basic, 2 熟练 skilled, 3 精通或持证 expert/certified (vocabulary `skillLevels`). */
export type SkillLevel = 1 | 2 | 3;

export interface MatchProfile {
  id: string;
  /** The profile's document version; a snapshot ignores an upsert older than what it holds. */
  version?: number;
  status: ProfileStatus | (string & {});
  /** Consent to process sensitive personal data (PIPL Art. 29) recorded and not withdrawn. */
  sensitiveDataConsent: boolean;
  /** YYYY-MM-DD, derived from the ID number. */
  birthDate: string;
  sex: Sex;
  /** GB/T 2260 county code of origin (household registration). */
  originCounty: string;
  /** Functional-limitation codes (vocabulary `limitations`; labels and synonyms are accepted). */
  limitations: readonly string[];
  /** Accommodation codes the person needs (vocabulary `accommodations`). */
  accommodationsNeeded: readonly string[];
  needsDormitory: boolean;
  needsAccessibleDormitory: boolean;
  /**
   * Acceptable destinations: province (xx0000) or prefecture (xxxx00) codes. Empty = anywhere.
   * A named prefecture counts as preferred; a named province as acceptable.
   */
  destinations: readonly string[];
  /** Minimum monthly wage expected, CNY; null = no expectation recorded. */
  minWage: number | null;
  skills: readonly { code: string; level: SkillLevel }[];
  training: readonly { programme: string; underPartnership: boolean }[];
  /** Work experience; `skill` is the main skill used in that job (null when none applies). */
  experience: readonly { skill: string | null; months: number }[];
}

export interface MatchOpening {
  id: string;
  version?: number;
  status: OpeningStatus | (string & {});
  headcount: number;
  filled: number;
  employerId: string;
  /** GB/T 2260 prefecture-level city code of the workplace. */
  city: string;
  skillsRequired: readonly { code: string; level: SkillLevel }[];
  /** Training programme codes the employer would like candidates to have completed. */
  preferredTraining: readonly string[];
  /** Monthly wage range, CNY. */
  wageMin: number;
  wageMax: number;
  /** Job-demand codes (vocabulary `jobDemands`). */
  demands: readonly string[];
  accommodationsOffered: readonly string[];
  dormitory: boolean;
  accessibleDormitory: boolean;
}

/**
 * Every field of MatchProfile, listed at run time: this list is the feature set of the score and
 * the fairness test checks it. The type below fails to compile if a field is added to
 * MatchProfile without being listed here.
 */
export const MATCH_PROFILE_FEATURES = [
  'id',
  'version',
  'status',
  'sensitiveDataConsent',
  'birthDate',
  'sex',
  'originCounty',
  'limitations',
  'accommodationsNeeded',
  'needsDormitory',
  'needsAccessibleDormitory',
  'destinations',
  'minWage',
  'skills',
  'training',
  'experience',
] as const satisfies ReadonlyArray<keyof MatchProfile>;

type Missing<T, L extends ReadonlyArray<keyof T>> = Exclude<keyof T, L[number]>;
/** Compile-time proof that MATCH_PROFILE_FEATURES lists every field. */
export const PROFILE_FEATURES_ARE_COMPLETE: Missing<MatchProfile, typeof MATCH_PROFILE_FEATURES> extends never
  ? true
  : false = true;

export interface Text {
  zh: string;
  en: string;
}

/** Hard constraints, in the order they are checked and reported (the first is the "primary"). */
export const EXCLUSION_CODES = [
  'opening_not_open',
  'opening_full',
  'profile_not_available',
  'no_sensitive_data_consent',
  'outside_working_age',
  'destination_not_acceptable',
  'wage_expectation_above_max',
  'accommodation_not_offered',
  'demand_conflict',
  'accessible_dormitory_missing',
  // Last: the kernel checks it while scoring, after every other constraint has passed.
  'no_required_skill',
] as const;
export type ExclusionCode = (typeof EXCLUSION_CODES)[number];

export const COMPONENT_KEYS = [
  'skills',
  'training',
  'partnership',
  'wage',
  'destination',
  'peers',
  'experience',
] as const;
export type ComponentKey = (typeof COMPONENT_KEYS)[number];

export type Weights = Record<ComponentKey, number>;

export interface ComponentScore {
  key: ComponentKey;
  /** Points available to this component (weights normalised to sum to 100). */
  weight: number;
  /** 0–1. */
  value: number;
  /** weight × value, rounded to 0.01; the points of all components add up to the score. */
  points: number;
}

export type ReasonKind =
  /** A hard constraint that excludes the pair. */
  | 'exclusion'
  /** A hard constraint met thanks to something the opening offers (worth telling the person). */
  | 'support'
  /** Raises a soft component. */
  | 'plus'
  /** Lowers a soft component. */
  | 'minus'
  /** Worth knowing; does not change eligibility or score. */
  | 'note';

export interface Reason {
  code: string;
  kind: ReasonKind;
  /** The component or constraint it belongs to. */
  about: ComponentKey | ExclusionCode | 'dormitory';
  /** Codes and numbers the text was built from (for statistics and re-rendering). */
  params: Record<string, string | number | boolean>;
  zh: string;
  en: string;
}

export interface MatchScore {
  algorithmVersion: string;
  eligible: boolean;
  /** 0–100 (two decimals); 0 when not eligible. */
  score: number;
  /** Every hard constraint that failed, in EXCLUSION_CODES order; empty when eligible. */
  excludedBy: ExclusionCode[];
  /** Always computed, so a reviewer can see what an excluded pair would have scored. */
  components: ComponentScore[];
  reasons: Reason[];
}
