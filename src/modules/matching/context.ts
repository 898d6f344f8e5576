import { prefectureOf, ymd } from './formulas.js';
import { COMPONENT_KEYS, type ComponentKey, type Text, type Weights } from './types.js';
import { defaultVocabulary, type MatchVocabulary } from './vocabulary.js';

/** Defaults sum to 100 so a weight reads as points; any non-negative weights are normalised. */
export const DEFAULT_WEIGHTS: Readonly<Weights> = Object.freeze({
  skills: 35,
  training: 10,
  partnership: 15,
  wage: 10,
  destination: 10,
  peers: 10,
  experience: 10,
});

/** The national real-name employment system's working age (DOMAIN.md): men 16–59, women 16–54. */
export interface WorkingAge {
  min: number;
  maxMale: number;
  maxFemale: number;
}
export const DEFAULT_WORKING_AGE: Readonly<WorkingAge> = Object.freeze({
  min: 16,
  maxMale: 59,
  maxFemale: 54,
});

export interface ScoringParams {
  /** Training credit for a programme that teaches a required skill but is not the preferred one. */
  trainingSkillRelatedCredit: number;
  /** Factor on training credit when the training was not delivered under the partnership. */
  trainingOutsidePartnershipFactor: number;
  /** Destination credit when the person named only the province, not the city. */
  destinationProvinceCredit: number;
  /** Peers from the same county at that employer that give full credit. */
  peerSaturation: number;
  /** Months of relevant experience that give full credit. */
  experienceSaturationMonths: number;
  /** Weight of experience unrelated to the opening's skills. */
  otherExperienceFactor: number;
  /**
   * Wage credit for a range that reaches the expectation but starts below it (the rest of the
   * credit follows the share of the range at or above it); 0–1.
   */
  wageWithinRangeCredit: number;
}
export const DEFAULT_PARAMS: Readonly<ScoringParams> = Object.freeze({
  trainingSkillRelatedCredit: 0.7,
  trainingOutsidePartnershipFactor: 0.6,
  destinationProvinceCredit: 0.6,
  peerSaturation: 3,
  experienceSaturationMonths: 24,
  otherExperienceFactor: 0.5,
  wageWithinRangeCredit: 0.5,
});

export interface PartnershipPair {
  /** Supporting city (浙江/广东 prefecture code). */
  supportingCity: string;
  /** Receiving prefecture or county (四川). */
  receivingArea: string;
}

export interface ProgrammeInfo {
  zh: string;
  en: string;
  /** Skills the programme teaches (codes, labels or synonyms). */
  skills?: readonly string[];
}

export interface MatchContextInput {
  /** The day the score is computed for (working age); YYYY-MM-DD. Never "now": scores are pure. */
  asOf: string;
  vocabulary?: MatchVocabulary;
  weights?: Partial<Weights>;
  workingAge?: Partial<WorkingAge>;
  params?: Partial<ScoringParams>;
  /** Partnership pairs in force on `asOf`. */
  partnerships?: readonly PartnershipPair[];
  /** employerId → origin county → people placed or proposed there. */
  peerCounts?: Readonly<Record<string, Readonly<Record<string, number>>>>;
  /** Region names for reasons, by GB/T 2260 code. */
  regionNames?: Readonly<Record<string, Text>>;
  /** Training programmes: labels and the skills they teach. */
  programmes?: Readonly<Record<string, ProgrammeInfo>>;
}

export interface MatchContext {
  readonly asOf: string;
  readonly asOfYmd: number;
  readonly vocabulary: MatchVocabulary;
  /** Normalised so that they sum to 100. */
  readonly weights: Readonly<Weights>;
  /** weights × 100: the points of a component, in hundredths, are round(value × scale). */
  readonly scales: Readonly<Weights>;
  readonly workingAge: Readonly<WorkingAge>;
  readonly params: Readonly<ScoringParams>;
  /** Receiving areas (prefectures and counties) paired with a supporting city. */
  partnersOf(city: string): ReadonlySet<string>;
  /** Origin county → people placed or proposed at this employer. */
  peersAt(employerId: string): ReadonlyMap<string, number>;
  peers(employerId: string, county: string): number;
  regionName(code: string): Text;
  programmeLabel(code: string): Text;
  /** Canonical skill codes a programme teaches. */
  programmeSkills(code: string): ReadonlySet<string>;
}

const EMPTY: ReadonlySet<string> = new Set();
const EMPTY_MAP: ReadonlyMap<string, number> = new Map();

/**
 * Resolves defaults and checks numbers once, so the per-pair code does no validation. Throws on a
 * negative or non-finite weight or parameter: a silent NaN would reorder every suggestion.
 */
export function createMatchContext(input: MatchContextInput): MatchContext {
  const asOfYmd = ymd(input.asOf);
  if (asOfYmd === 0) throw new Error(`asOf must be YYYY-MM-DD, got "${input.asOf}"`);
  const vocabulary = input.vocabulary ?? defaultVocabulary();

  const raw: Weights = { ...DEFAULT_WEIGHTS, ...input.weights };
  let sum = 0;
  for (const k of COMPONENT_KEYS) {
    const w = raw[k];
    if (!Number.isFinite(w) || w < 0) throw new Error(`weight ${k} must be a non-negative number`);
    sum += w;
  }
  if (sum <= 0) throw new Error('at least one weight must be positive');
  const weights = {} as Weights;
  const scales = {} as Weights;
  for (const k of COMPONENT_KEYS) {
    weights[k as ComponentKey] = (raw[k] * 100) / sum;
    scales[k as ComponentKey] = weights[k] * 100;
  }

  const workingAge: WorkingAge = { ...DEFAULT_WORKING_AGE, ...input.workingAge };
  for (const [k, v] of Object.entries(workingAge)) {
    if (!Number.isInteger(v) || v < 0 || v > 150) throw new Error(`workingAge.${k} must be an integer age`);
  }
  const params: ScoringParams = { ...DEFAULT_PARAMS, ...input.params };
  for (const [k, v] of Object.entries(params)) {
    if (!Number.isFinite(v) || v < 0) throw new Error(`params.${k} must be a non-negative number`);
  }
  if (params.wageWithinRangeCredit > 1) throw new Error('params.wageWithinRangeCredit must be at most 1');
  if (params.peerSaturation <= 0 || params.experienceSaturationMonths <= 0) {
    throw new Error('saturation parameters must be positive');
  }

  const partners = new Map<string, Set<string>>();
  for (const p of input.partnerships ?? []) {
    const city = prefectureOf(p.supportingCity);
    let set = partners.get(city);
    if (!set) {
      set = new Set();
      partners.set(city, set);
    }
    set.add(p.receivingArea);
  }

  const regionNames = new Map(Object.entries(input.regionNames ?? {}));
  const programmes = new Map(Object.entries(input.programmes ?? {}));
  const programmeSkills = new Map<string, ReadonlySet<string>>();
  for (const [code, info] of programmes) {
    programmeSkills.set(code, new Set((info.skills ?? []).map((s) => vocabulary.skills.canonical(s))));
  }

  return Object.freeze({
    asOf: input.asOf,
    asOfYmd,
    vocabulary,
    weights: Object.freeze(weights),
    scales: Object.freeze(scales),
    workingAge: Object.freeze(workingAge),
    params: Object.freeze(params),
    partnersOf: (city: string) => partners.get(city) ?? EMPTY,
    ...peerLookup(input.peerCounts ?? {}),
    regionName: (code: string) => regionNames.get(code) ?? { zh: code, en: code },
    programmeLabel: (code: string) => {
      const p = programmes.get(code);
      return p ? { zh: p.zh, en: p.en } : { zh: code, en: code };
    },
    programmeSkills: (code: string) => programmeSkills.get(code) ?? EMPTY,
  });
}

/**
 * The same context with current peer counts (read just before a run, narrowed to what the run
 * scores): the rest of the context is reference data cached for a minute, but a hire must count
 * for the very next suggestion.
 */
export function withPeers(
  ctx: MatchContext,
  peerCounts: Readonly<Record<string, Readonly<Record<string, number>>>>,
): MatchContext {
  return Object.freeze({ ...ctx, ...peerLookup(peerCounts) });
}

function peerLookup(
  peerCounts: Readonly<Record<string, Readonly<Record<string, number>>>>,
): Pick<MatchContext, 'peersAt' | 'peers'> {
  // Maps, not the plain objects: an id like "constructor" must not reach Object.prototype.
  const peerMap = new Map<string, Map<string, number>>();
  for (const [employerId, byCounty] of Object.entries(peerCounts)) {
    peerMap.set(employerId, new Map(Object.entries(byCounty)));
  }
  return {
    peersAt: (employerId: string) => peerMap.get(employerId) ?? EMPTY_MAP,
    peers: (employerId: string, county: string) => peerMap.get(employerId)?.get(county) ?? 0,
  };
}
