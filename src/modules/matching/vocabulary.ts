import rawDefault from '../../data/vocabularies.json' with { type: 'json' };
import type { Text } from './types.js';

/** The shape of `src/data/vocabularies.json` (only the parts matching reads). */
export interface RawVocabularyEntry {
  code: string;
  zh: string;
  en: string;
  synonyms?: readonly string[];
}

export interface RawMitigation {
  limitation: string;
  demand: string;
  anyOf: readonly (readonly string[])[];
}

export interface RawVocabulary {
  limitations: readonly RawVocabularyEntry[];
  jobDemands: readonly RawVocabularyEntry[];
  accommodations: readonly RawVocabularyEntry[];
  skills: readonly RawVocabularyEntry[];
  skillLevels: readonly RawVocabularyEntry[];
  mitigations: readonly RawMitigation[];
}

/** One vocabulary: stable codes, labels, and free text (labels, synonyms) resolved to codes. */
export interface Lookup {
  readonly codes: readonly string[];
  /** Code for a code, a zh/en label or a synonym; otherwise the trimmed input (an unknown term). */
  canonical(term: string): string;
  /** Label of a code; an unknown term is its own label. */
  label(code: string): Text;
  has(code: string): boolean;
}

export interface Conflict {
  limitation: string;
  demand: string;
  /** Alternative sets of accommodations; one fully offered set mitigates. Empty: nothing does. */
  anyOf: readonly (readonly string[])[];
}

export interface MatchVocabulary {
  readonly limitations: Lookup;
  readonly demands: Lookup;
  readonly accommodations: Lookup;
  readonly skills: Lookup;
  skillLevelLabel(level: number): Text;
  /** The conflict between a limitation and a job demand, if the table lists one. */
  conflict(limitation: string, demand: string): Conflict | undefined;
  readonly conflicts: readonly Conflict[];
}

function normaliseTerm(term: string): string {
  return term.normalize('NFKC').trim().toLowerCase();
}

function buildLookup(kind: string, entries: readonly RawVocabularyEntry[], problems: string[]): Lookup {
  const byTerm = new Map<string, string>();
  const labels = new Map<string, Text>();
  for (const e of entries) {
    if (labels.has(e.code)) problems.push(`${kind}: duplicate code ${e.code}`);
    labels.set(e.code, { zh: e.zh, en: e.en });
  }
  // Codes win over labels and synonyms, so a synonym can never shadow another entry's code.
  for (const e of entries) byTerm.set(normaliseTerm(e.code), e.code);
  for (const e of entries) {
    for (const term of [e.zh, e.en, ...(e.synonyms ?? [])]) {
      const key = normaliseTerm(term);
      const prior = byTerm.get(key);
      if (prior !== undefined && prior !== e.code) {
        problems.push(`${kind}: "${term}" names both ${prior} and ${e.code}`);
        continue;
      }
      byTerm.set(key, e.code);
    }
  }
  const codes = entries.map((e) => e.code);
  return {
    codes,
    canonical(term) {
      return byTerm.get(normaliseTerm(term)) ?? term.trim();
    },
    label(code) {
      return labels.get(code) ?? { zh: code, en: code };
    },
    has(code) {
      return labels.has(code);
    },
  };
}

/**
 * Compiles the reference vocabularies for matching. The mitigation table is also the conflict
 * table: a (limitation, demand) pair conflicts exactly when the table lists it (the vocabulary
 * carries no other conflict data); `anyOf: []` marks a conflict nothing mitigates.
 * Throws on unknown codes or ambiguous synonyms: reference data is curated, and a typo there would
 * silently weaken a hard constraint.
 */
export function compileVocabulary(raw: RawVocabulary): MatchVocabulary {
  const problems: string[] = [];
  const limitations = buildLookup('limitations', raw.limitations, problems);
  const demands = buildLookup('jobDemands', raw.jobDemands, problems);
  const accommodations = buildLookup('accommodations', raw.accommodations, problems);
  const skills = buildLookup('skills', raw.skills, problems);
  const levels = new Map<number, Text>();
  for (const l of raw.skillLevels) levels.set(Number(l.code), { zh: l.zh, en: l.en });

  const table = new Map<string, Conflict>();
  for (const m of raw.mitigations) {
    if (!limitations.has(m.limitation)) problems.push(`mitigations: unknown limitation ${m.limitation}`);
    if (!demands.has(m.demand)) problems.push(`mitigations: unknown demand ${m.demand}`);
    for (const group of m.anyOf) {
      if (group.length === 0) problems.push(`mitigations: empty group for ${m.limitation}×${m.demand}`);
      for (const a of group) {
        if (!accommodations.has(a)) problems.push(`mitigations: unknown accommodation ${a}`);
      }
    }
    const key = `${m.limitation}\u0000${m.demand}`;
    if (table.has(key)) problems.push(`mitigations: ${m.limitation}×${m.demand} listed twice`);
    table.set(key, {
      limitation: m.limitation,
      demand: m.demand,
      anyOf: m.anyOf.map((g) => [...g]),
    });
  }
  if (problems.length > 0) throw new Error(`invalid vocabulary:\n${problems.join('\n')}`);

  return {
    limitations,
    demands,
    accommodations,
    skills,
    skillLevelLabel(level) {
      return levels.get(level) ?? { zh: `${level}级`, en: `level ${level}` };
    },
    conflict(limitation, demand) {
      return table.get(`${limitation}\u0000${demand}`);
    },
    conflicts: [...table.values()],
  };
}

let cached: MatchVocabulary | undefined;

/** The seed vocabulary shipped with the reference module (until it is served from MongoDB). */
export function defaultVocabulary(): MatchVocabulary {
  cached ??= compileVocabulary(rawDefault as RawVocabulary);
  return cached;
}
