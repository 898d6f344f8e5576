import type { ProblemIssue } from '../../lib/errors.js';
import { isWithin, PROVINCES } from '../../lib/regions.js';
import { unknownCodeIssue, type VocabularyKind } from '../reference/reference.service.js';
import type { ReferenceSnapshot } from './reference-snapshot.js';

/**
 * Rules of a profile that need reference data (pure, given a snapshot): every vocabulary value is
 * a known code, the origin is a 四川 prefecture or county inside the registering federation's
 * jurisdiction, destinations are 广东/浙江 provinces or cities. Every problem is reported, each on
 * the path of its field, so the API and the spreadsheet import name the same fields.
 */
export interface ReferencedFields {
  originCode?: string;
  disabilityCategory?: string;
  disabilityLevel?: string;
  functionalLimitations?: readonly string[];
  assistiveDevices?: readonly string[];
  accommodationsNeeded?: readonly string[];
  skills?: readonly { code: string; level: string }[];
  education?: string | null;
  languages?: readonly string[];
  experience?: readonly { occupationGroup?: string; skill?: string }[];
  preferences?: { destinationCodes?: readonly string[]; jobTypes?: readonly string[] };
}

export interface RuleContext {
  ref: ReferenceSnapshot;
  /** The registering federation's region (a 四川 prefecture or county). */
  jurisdictionCode: string;
}

export function checkProfileReferences(
  input: ReferencedFields,
  ctx: RuleContext,
  prefix = 'body',
): ProblemIssue[] {
  const issues: ProblemIssue[] = [];
  const at = (...parts: (string | number)[]) => [prefix, ...parts].filter((p) => p !== '').join('.');
  const code = (kind: VocabularyKind, value: string | null | undefined, ...path: (string | number)[]) => {
    if (value != null && !ctx.ref.hasCode(kind, value)) issues.push(unknownCodeIssue(kind, at(...path)));
  };
  const codes = (kind: VocabularyKind, values: readonly string[] | undefined, field: string) => {
    values?.forEach((v, i) => {
      code(kind, v, field, i);
    });
  };

  if (input.originCode !== undefined) issues.push(...checkOrigin(input.originCode, ctx, at('originCode')));
  code('disability_category', input.disabilityCategory, 'disabilityCategory');
  code('disability_level', input.disabilityLevel, 'disabilityLevel');
  codes('limitation', input.functionalLimitations, 'functionalLimitations');
  codes('assistive_device', input.assistiveDevices, 'assistiveDevices');
  codes('accommodation', input.accommodationsNeeded, 'accommodationsNeeded');
  input.skills?.forEach((s, i) => {
    code('skill', s.code, 'skills', i, 'code');
    code('skill_level', s.level, 'skills', i, 'level');
  });
  code('education', input.education, 'education');
  codes('language', input.languages, 'languages');
  input.experience?.forEach((e, i) => {
    code('occupation_group', e.occupationGroup, 'experience', i, 'occupationGroup');
    code('skill', e.skill, 'experience', i, 'skill');
  });
  codes('occupation_group', input.preferences?.jobTypes, 'preferences.jobTypes');
  input.preferences?.destinationCodes?.forEach((d, i) => {
    const path = at('preferences', 'destinationCodes', i);
    const region = ctx.ref.region(d);
    if (!region) issues.push({ path, code: 'unknown_region', message: 'not a known GB/T 2260 region code' });
    else if (
      !(isWithin(d, PROVINCES.guangdong) || isWithin(d, PROVINCES.zhejiang)) ||
      region.level === 'county'
    )
      issues.push({
        path,
        code: 'region_not_allowed',
        message: 'a destination is a province or city of 广东 or 浙江',
      });
  });
  return issues;
}

/** The origin county/prefecture: known, in 四川, inside the registering federation's jurisdiction. */
export function checkOrigin(code: string, ctx: RuleContext, path: string): ProblemIssue[] {
  const region = ctx.ref.region(code);
  if (!region) return [{ path, code: 'unknown_region', message: 'not a known GB/T 2260 region code' }];
  if (!isWithin(code, PROVINCES.sichuan) || region.level === 'province')
    return [{ path, code: 'region_not_allowed', message: 'the origin is a prefecture or county of 四川' }];
  if (!isWithin(code, ctx.jurisdictionCode))
    return [
      {
        path,
        code: 'outside_jurisdiction',
        message: 'the origin must lie within the registering federation’s jurisdiction',
      },
    ];
  return [];
}
