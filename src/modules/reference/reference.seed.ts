import { createHash } from 'node:crypto';
import { pinyin } from 'pinyin-pro';
import shared from '../../data/vocabularies.json' with { type: 'json' };
import { levelOf, parentOf, type RegionLevel } from '../../lib/regions.js';
import {
  ASSISTIVE_DEVICES,
  EDUCATION_LEVELS,
  EMPLOYMENT_FORMS,
  EMPLOYMENT_HELP,
  LANGUAGES,
  NOT_WORKING_REASONS,
  OCCUPATION_GROUPS,
  SKILL_OCCUPATION_GROUP,
  TRAINING_LENGTHS,
  TRAINING_PROGRAMMES,
  type VocabularySeedEntry,
} from './data/extra-vocabularies.js';
import { PARTNERSHIP_SEED } from './data/partnerships.js';
import { REGION_NAMES } from './data/regions.js';

export const VOCABULARY_KINDS = [
  'disability_category',
  'disability_level',
  'limitation',
  'job_demand',
  'accommodation',
  'skill',
  'skill_level',
  'training_programme',
  'occupation_group',
  'employment_form',
  'not_working_reason',
  'employment_help',
  'training_length',
  'education',
  'language',
  'assistive_device',
] as const;

export type VocabularyKind = (typeof VOCABULARY_KINDS)[number];

/** Each vocabulary's name in both languages, for messages that name an unknown code. */
export const VOCABULARY_NAMES: Readonly<Record<VocabularyKind, { zh: string; en: string }>> = {
  disability_category: { zh: '残疾类别', en: 'disability category' },
  disability_level: { zh: '残疾等级', en: 'disability level' },
  limitation: { zh: '功能限制', en: 'limitation' },
  job_demand: { zh: '岗位要求', en: 'job demand' },
  accommodation: { zh: '便利措施', en: 'accommodation' },
  skill: { zh: '技能', en: 'skill' },
  skill_level: { zh: '技能等级', en: 'skill level' },
  training_programme: { zh: '培训项目', en: 'training programme' },
  occupation_group: { zh: '职业大类', en: 'occupation group' },
  employment_form: { zh: '就业形式', en: 'employment form' },
  not_working_reason: { zh: '未就业原因', en: 'reason for not working' },
  employment_help: { zh: '就业帮扶', en: 'employment help' },
  training_length: { zh: '培训时长', en: 'training length' },
  education: { zh: '文化程度', en: 'education' },
  language: { zh: '语言', en: 'language' },
  assistive_device: { zh: '辅助器具', en: 'assistive device' },
};

/** A real code of each vocabulary, shown as the example of its fields in the API document. */
export const VOCABULARY_EXAMPLES: Readonly<Record<VocabularyKind, string>> = {
  disability_category: '4',
  disability_level: '3',
  limitation: 'standing',
  job_demand: 'fine_motor',
  accommodation: 'seated_workstation',
  skill: 'sewing',
  skill_level: '2',
  training_programme: 'tp_electronics',
  occupation_group: '6',
  employment_form: '1',
  not_working_reason: 'no_skills',
  employment_help: 'skills_training',
  training_length: 'short',
  education: 'junior',
  language: 'cmn',
  assistive_device: 'wheelchair',
};

/** The issue naming a code that is not in its vocabulary, in both languages. */
export function unknownCodeIssue(kind: VocabularyKind, path: string, code?: string) {
  const name = VOCABULARY_NAMES[kind];
  const shown = code === undefined ? '' : ` "${code}"`;
  return {
    path,
    code: 'unknown_code',
    message: `unknown ${kind} code${shown}`,
    messageZh: `不是有效的${name.zh}代码${code === undefined ? '' : `“${code}”`}（${kind}）`,
  };
}

export interface VocabularyEntry {
  kind: VocabularyKind;
  code: string;
  zh: string;
  en: string;
  synonyms: string[];
  /** Full pinyin without tones or spaces, and initials, for autocomplete. */
  pinyin: string;
  initials: string;
  attributes: Record<string, unknown>;
  order: number;
}

export interface RegionEntry {
  code: string;
  level: RegionLevel;
  parentCode: string | null;
  zh: string;
  pinyin: string;
  initials: string;
}

export interface MitigationEntry {
  limitation: string;
  demand: string;
  /** Alternative sets: the conflict is mitigated when every accommodation of one set is offered. */
  anyOf: string[][];
}

export function toPinyin(zh: string): { pinyin: string; initials: string } {
  return {
    pinyin: pinyin(zh, { toneType: 'none', type: 'array', nonZh: 'removed' }).join(''),
    initials: pinyin(zh, { pattern: 'first', toneType: 'none', type: 'array', nonZh: 'removed' }).join(''),
  };
}

function entries(kind: VocabularyKind, list: readonly VocabularySeedEntry[]): VocabularyEntry[] {
  return list.map((e, order) => ({
    kind,
    code: e.code,
    zh: e.zh,
    en: e.en,
    synonyms: e.synonyms ?? [],
    ...toPinyin(e.zh),
    attributes: e.attributes ?? {},
    order,
  }));
}

export interface ReferenceSeed {
  version: string;
  regions: RegionEntry[];
  vocabularies: VocabularyEntry[];
  mitigations: MitigationEntry[];
  partnerships: typeof PARTNERSHIP_SEED;
}

/** The whole reference seed, built purely from the data files; its hash is its version. */
export function buildReferenceSeed(): ReferenceSeed {
  const regions: RegionEntry[] = REGION_NAMES.map(([code, zh]) => ({
    code,
    level: levelOf(code),
    parentCode: parentOf(code),
    zh,
    ...toPinyin(zh),
  }));
  const skills = shared.skills.map((s) => ({
    ...s,
    attributes: { occupationGroup: SKILL_OCCUPATION_GROUP[s.code] ?? '8' },
  }));
  const vocabularies = [
    ...entries('disability_category', shared.disabilityCategories),
    ...entries('disability_level', shared.disabilityLevels),
    ...entries('limitation', shared.limitations),
    ...entries('job_demand', shared.jobDemands),
    ...entries('accommodation', shared.accommodations),
    ...entries('skill', skills),
    ...entries('skill_level', shared.skillLevels),
    ...entries('training_programme', TRAINING_PROGRAMMES),
    ...entries('occupation_group', OCCUPATION_GROUPS),
    ...entries('employment_form', EMPLOYMENT_FORMS),
    ...entries('not_working_reason', NOT_WORKING_REASONS),
    ...entries('employment_help', EMPLOYMENT_HELP),
    ...entries('training_length', TRAINING_LENGTHS),
    ...entries('education', EDUCATION_LEVELS),
    ...entries('language', LANGUAGES),
    ...entries('assistive_device', ASSISTIVE_DEVICES),
  ];
  const mitigations: MitigationEntry[] = shared.mitigations.map((m) => ({
    limitation: m.limitation,
    demand: m.demand,
    anyOf: m.anyOf,
  }));
  const body = { regions, vocabularies, mitigations, partnerships: PARTNERSHIP_SEED };
  const version = createHash('sha256').update(JSON.stringify(body)).digest('hex').slice(0, 16);
  return { version, ...body };
}
