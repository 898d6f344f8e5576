import { AppError, type ProblemIssue } from '../../lib/errors.js';
import {
  assertRegion,
  findVocabularyEntry,
  PROVINCES,
  unknownCodeIssue,
  type VocabularyKind,
} from '../reference/reference.service.js';
import { invalid } from './openings.errors.js';
import type { OpeningContent } from './openings.repository.js';
import { EXCLUSION_DETAIL, exclusionFieldIssues, openingRuleIssues } from './openings.rules.js';
import { CONTENT_FIELDS, type CreateOpeningInput } from './openings.schemas.js';

/** Opening content checked against the reference data and the law (no exclusion by disability). */

const CODE_FIELDS: [keyof OpeningContent, VocabularyKind][] = [
  ['preferredTraining', 'training_programme'],
  ['jobDemands', 'job_demand'],
  ['accommodationsOffered', 'accommodation'],
  ['suitableFor', 'disability_category'],
];

/** Every unknown code and region of the fields `input` sets, each named (all at once). */
async function referenceIssues(input: Partial<OpeningContent>): Promise<ProblemIssue[]> {
  const issues: ProblemIssue[] = [];
  const check = async (kind: VocabularyKind, path: string, code: string) => {
    if (!(await findVocabularyEntry(kind, code))) issues.push(unknownCodeIssue(kind, path, code));
  };
  if (input.regionCode !== undefined) {
    try {
      await assertRegion('body.regionCode', input.regionCode, {
        within: [PROVINCES.guangdong, PROVINCES.zhejiang],
        levels: ['prefecture', 'county'],
        message: '工作地点应为广东或浙江的市或县',
        messageEn: 'the workplace must be a city or county of 广东 or 浙江',
      });
    } catch (err) {
      if (!(err instanceof AppError) || !err.options.issues) throw err;
      issues.push(...err.options.issues);
    }
  }
  if (input.occupationGroup !== undefined)
    await check('occupation_group', 'body.occupationGroup', input.occupationGroup);
  for (const [i, s] of (input.skills ?? []).entries()) {
    await check('skill', `body.skills.${i}.code`, s.code);
    await check('skill_level', `body.skills.${i}.level`, s.level);
  }
  for (const [field, kind] of CODE_FIELDS)
    for (const [i, c] of ((input[field] as string[] | undefined) ?? []).entries())
      await check(kind, `body.${field}.${i}`, c);
  return issues;
}

export function refuseExclusions(body: Record<string, unknown>): void {
  const issues = exclusionFieldIssues(body);
  if (issues.length) throw invalid(issues, EXCLUSION_DETAIL);
}

export function contentOf(input: Partial<CreateOpeningInput>): Partial<OpeningContent> {
  const out: Record<string, unknown> = {};
  for (const f of CONTENT_FIELDS) if (input[f] !== undefined) out[f] = input[f];
  return out as Partial<OpeningContent>;
}

export async function validateContent(
  merged: OpeningContent,
  changes: Partial<OpeningContent>,
  opts: { wageFloorCny: number; filled: number; partial: boolean },
): Promise<void> {
  const issues = [
    ...(await referenceIssues(changes)),
    ...openingRuleIssues(merged, {
      wageFloorCny: opts.wageFloorCny,
      filled: opts.filled,
      changed: opts.partial ? new Set(Object.keys(changes)) : undefined,
    }),
  ];
  if (issues.some((i) => i.code === 'exclusion_not_allowed')) throw invalid(issues, EXCLUSION_DETAIL);
  if (issues.length) throw invalid(issues);
}

/** The same checks as a create, for content that does not come from a request (demo data, imports). */
export async function assertValidOpeningContent(
  content: OpeningContent,
  wageFloorCny: number,
): Promise<void> {
  await validateContent(content, content, { wageFloorCny, filled: 0, partial: false });
}
