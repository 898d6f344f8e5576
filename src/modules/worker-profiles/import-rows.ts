import { chinaTime } from '../../lib/china-time.js';
import { isWithin, PROVINCES } from '../../lib/regions.js';
import type { VocabularyEntry, VocabularyKind } from '../reference/reference.service.js';
import type { ProcessingConsentInput } from './consents.schemas.js';
import { COLUMN_BY_KEY, type ColumnKey } from './import-columns.js';
import type { Cell, SheetRow } from './import-parse.js';
import { checkProfileReferences } from './profile-rules.js';
import type { ReferenceSnapshot } from './reference-snapshot.js';
import { type CreateProfileInput, createProfileSchema } from './worker-profiles.schemas.js';

/**
 * One spreadsheet row → a validated create body, or the reasons it cannot be imported (pure).
 * Cells hold names as staff type them (肢体, 二级, 昭觉县, 电子装配（熟练）); they are resolved
 * to codes here, then the row goes through the same schema and reference rules as the API, so
 * a row is refused exactly when the same profile would be refused by `POST /worker-profiles`.
 *
 * Reasons name the column and never repeat a cell's value: cells hold ID numbers.
 */
export interface RowIssue {
  row: number;
  column: string;
  code: string;
  message: string;
}

export interface PreparedRow {
  row: number;
  input: Omit<CreateProfileInput, 'processingConsent'>;
  consent: ProcessingConsentInput | null;
  trainingCodes: string[];
  /** Columns with a value in this row: an update of an existing profile changes only these. */
  provided: Set<ColumnKey>;
}

export type RowResult = { ok: true; value: PreparedRow } | { ok: false; issues: RowIssue[] };

const LIST_SEPARATOR = /[;；,，、/|\n]+/u;

function split(text: string): string[] {
  return text
    .split(LIST_SEPARATOR)
    .map((s) => s.trim())
    .filter(Boolean);
}

/** Lower-case, full-width → ASCII, no spaces: how names are compared. */
function fold(s: string): string {
  return s.normalize('NFKC').replace(/\s+/gu, '').toLowerCase();
}

/** Resolves names, synonyms, English labels and codes of one vocabulary to its codes. */
export function vocabularyResolver(entries: readonly VocabularyEntry[], extra: Record<string, string> = {}) {
  const index = new Map<string, string>();
  for (const e of entries) {
    for (const name of [e.zh, e.en, ...e.synonyms]) index.set(fold(name), e.code);
    // A shortened zh label: 肢体残疾 → 肢体, 无障碍通道（坡道、电梯） → 无障碍通道.
    index.set(fold(e.zh.replace(/（.*?）|\(.*?\)/gu, '')), e.code);
    if (e.zh.endsWith('残疾')) index.set(fold(e.zh.slice(0, -2)), e.code);
  }
  for (const e of entries) index.set(fold(e.code), e.code);
  for (const [name, code] of Object.entries(extra)) index.set(fold(name), code);
  // Labels are long (手语翻译或会手语的主管同事); staff write 手语支持. A cell that contains a
  // synonym or short label of exactly one entry, or is contained in exactly one label, is that entry.
  const names = entries.map((e) => ({
    code: e.code,
    parts: [e.zh.replace(/（.*?）|\(.*?\)/gu, ''), ...e.synonyms].map(fold).filter((n) => n.length >= 2),
    label: fold(e.zh),
  }));
  return (name: string): string | undefined => {
    const f = fold(name);
    const exact = index.get(f);
    if (exact || f.length < 2) return exact;
    const hits = new Set(
      names.filter((n) => n.parts.some((p) => f.includes(p)) || n.label.includes(f)).map((n) => n.code),
    );
    return hits.size === 1 ? [...hits][0] : undefined;
  };
}

const SUFFIXES = [
  '藏族羌族自治州',
  '藏族自治州',
  '彝族自治州',
  '藏族自治县',
  '彝族自治县',
  '自治州',
  '自治县',
  '地区',
  '省',
  '市',
  '州',
  '县',
  '区',
];

function shortName(zh: string): string {
  for (const s of SUFFIXES) if (zh.endsWith(s) && zh.length > s.length + 1) return zh.slice(0, -s.length);
  return zh;
}

/** Resolves region names (full or short, optionally prefixed by the prefecture) and codes within `provinces`. */
export function regionResolver(ref: ReferenceSnapshot, provinces: readonly string[]) {
  const index = new Map<string, string>();
  const regions = ref.regions().filter((r) => provinces.some((p) => isWithin(r.code, p)));
  // Prefectures first, so a county sharing a short name with a prefecture does not shadow it…
  const ordered = [...regions].sort((a, b) => (a.level === b.level ? 0 : a.level === 'county' ? 1 : -1));
  for (const r of ordered) {
    for (const name of [r.zh, shortName(r.zh)]) if (!index.has(fold(name))) index.set(fold(name), r.code);
    index.set(r.code, r.code);
  }
  const prefixes = regions
    .filter((r) => r.level !== 'county')
    .flatMap((r) => [r.zh, shortName(r.zh)].map((n) => ({ n: fold(n), code: r.code })))
    .sort((a, b) => b.n.length - a.n.length);
  return (name: string): string | undefined => {
    const f = fold(name);
    const direct = index.get(f);
    if (direct) return direct;
    // 凉山彝族自治州昭觉县, 四川省凉山州昭觉县: strip enclosing regions, then look again.
    let rest = f;
    for (let again = true; again; ) {
      again = false;
      for (const p of prefixes)
        if (rest.startsWith(p.n) && rest.length > p.n.length) {
          rest = rest.slice(p.n.length);
          const hit = index.get(rest);
          if (hit && isWithin(hit, p.code)) return hit;
          again = true;
          break;
        }
    }
    return undefined;
  };
}

const YES = new Set(['是', '需要', '愿意', '有', 'y', 'yes', 'true', '1', '√', '✓']);
const NO = new Set(['否', '不需要', '不愿意', '无', '没有', 'n', 'no', 'false', '0', '×', '✗']);

const LEVEL_WORDS: Record<string, string> = {
  一级: '1',
  二级: '2',
  三级: '3',
  四级: '4',
  壹级: '1',
  贰级: '2',
  叁级: '3',
  肆级: '4',
  一: '1',
  二: '2',
  三: '3',
  四: '4',
};
const SKILL_LEVEL_WORDS: Record<string, string> = {
  初级: '1',
  一般: '1',
  中级: '2',
  高级: '3',
  精通: '3',
  持证: '3',
  熟练: '2',
  入门: '1',
};
const SEX_WORDS: Record<string, 'male' | 'female'> = { 男: 'male', 女: 'female', m: 'male', f: 'female' };
const RELATION_WORDS: Record<string, 'guardian' | 'supporter' | 'family'> = {
  监护人: 'guardian',
  支持者: 'supporter',
  家属: 'family',
  父亲: 'family',
  母亲: 'family',
  配偶: 'family',
  子女: 'family',
  兄弟姐妹: 'family',
  亲属: 'family',
};
const GIVER_WORDS: Record<string, 'self' | 'guardian' | 'supporter'> = {
  本人: 'self',
  监护人: 'guardian',
  支持者: 'supporter',
};

export interface RowContext {
  ref: ReferenceSnapshot;
  /** The importing federation's region. */
  jurisdictionCode: string;
  /** When the import runs: the default consent date. */
  now: Date;
}

/** Resolvers built once per import (from the reference snapshot), not once per row. */
export function rowResolvers(ref: ReferenceSnapshot) {
  const vocab = (kind: VocabularyKind, extra?: Record<string, string>) =>
    vocabularyResolver(ref.entries(kind), extra);
  return {
    category: vocab('disability_category'),
    level: vocab('disability_level', LEVEL_WORDS),
    skill: vocab('skill'),
    skillLevel: vocab('skill_level', SKILL_LEVEL_WORDS),
    training: vocab('training_programme'),
    education: vocab('education'),
    language: vocab('language'),
    limitation: vocab('limitation'),
    device: vocab('assistive_device'),
    accommodation: vocab('accommodation'),
    occupation: vocab('occupation_group'),
    // Every known region: a name in the wrong province resolves, and the rules then say what is wrong.
    region: regionResolver(ref, [PROVINCES.sichuan, PROVINCES.guangdong, PROVINCES.zhejiang]),
  };
}

export type RowResolvers = ReturnType<typeof rowResolvers>;

/** Which column a schema or rule path belongs to. */
const PATH_COLUMNS: Record<string, ColumnKey> = {
  name: 'name',
  idNumber: 'idNumber',
  certificateNumber: 'certificateNumber',
  disabilityCategory: 'disabilityCategory',
  disabilityLevel: 'disabilityLevel',
  phone: 'phone',
  originCode: 'originCode',
  sex: 'sex',
  birthDate: 'birthDate',
  skills: 'skills',
  education: 'education',
  languages: 'languages',
  functionalLimitations: 'functionalLimitations',
  assistiveDevices: 'assistiveDevices',
  accommodationsNeeded: 'accommodationsNeeded',
  'preferences.destinationCodes': 'destinations',
  'preferences.minimumWage': 'minimumWage',
  'preferences.jobTypes': 'jobTypes',
  'preferences.needsDormitory': 'needsDormitory',
  'preferences.needsAccessibleDormitory': 'needsAccessibleDormitory',
  'preferences.willingToTravelWithGroup': 'willingToTravelWithGroup',
  'guardian.name': 'guardianName',
  'guardian.relation': 'guardianRelation',
  'guardian.phone': 'guardianPhone',
  'consent.representative': 'guardianName',
  'consent.textVersion': 'consentTextVersion',
  'consent.givenAt': 'consentDate',
};

function keyOf(path: readonly PropertyKey[]): ColumnKey | undefined {
  const parts = path.filter((p) => typeof p === 'string') as string[];
  for (let n = parts.length; n > 0; n--) {
    const key = PATH_COLUMNS[parts.slice(0, n).join('.')];
    if (key) return key;
  }
  return undefined;
}

function columnOf(path: readonly PropertyKey[]): string {
  const key = keyOf(path);
  return key ? COLUMN_BY_KEY.get(key)!.header : String(path[0] ?? '');
}

/** zh reasons for the codes a row can fail with (identity rules carry their own zh text). */
const REASONS: Record<string, string> = {
  required: '必填，不能为空',
  unknown_code: '含有代码表中没有的项',
  unknown_name: '含有无法识别的项（请按“代码表”填写）',
  unknown_region: '无法识别的地区',
  region_not_allowed: '地区不符合要求（户籍须为四川的市州或县，意向地区须为广东、浙江的省或市）',
  outside_jurisdiction: '户籍所在地不在本单位辖区内',
  number_lost_digits: '该单元格是数字格式，长号码已丢失末几位：请把该列设为文本格式后重新填写',
  cell_error: '单元格是错误值（如 #N/A）',
  not_yes_no: '应填“是”或“否”',
  not_a_number: '应为整数',
  not_a_date: '应为日期，如 2024-03-01',
  duplicate_item: '同一项填写了两次',
  name_digits: '姓名中不能有数字',
  name_characters: '姓名只能包含文字、空格、· 和 -',
  representative_required: '由监护人或支持者签署同意时须填写监护人姓名',
  accessible_dormitory_needs_dormitory: '需要无障碍宿舍时，“需要宿舍”应为“是”',
  too_big: '内容过长或数量过多',
  too_small: '数值过小',
  invalid_format: '格式不正确',
  date_in_future: '日期不能晚于今天',
  date_too_early: '日期过早',
  duplicate_in_file: '与本文件中前面一行是同一个人（身份证号相同）',
  registered_elsewhere: '此人已在其他辖区登记，不能重复登记',
};

export function reasonText(code: string, fallback?: string): string {
  return REASONS[code] ?? fallback ?? '不符合要求';
}

function dateText(s: string): string | undefined {
  const m =
    /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$/u.exec(s.trim()) ??
    /^(\d{4})(\d{2})(\d{2})$/.exec(s.trim());
  if (!m) return undefined;
  return `${m[1]}-${m[2]!.padStart(2, '0')}-${m[3]!.padStart(2, '0')}`;
}

/** Turns one row into a create body and runs the API's schema and reference rules on it. */
export function prepareRow(r: SheetRow, ctx: RowContext, resolve: RowResolvers): RowResult {
  const issues: RowIssue[] = [];
  const fail = (key: ColumnKey, code: string, message?: string) =>
    issues.push({
      row: r.row,
      column: COLUMN_BY_KEY.get(key)!.header,
      code,
      message: message ?? reasonText(code),
    });
  const provided = new Set<ColumnKey>();
  const text = (key: ColumnKey): string | undefined => {
    const cell: Cell | undefined = r.cells[key];
    if (!cell) return undefined;
    if ('problem' in cell) {
      fail(key, cell.problem);
      return undefined;
    }
    provided.add(key);
    return cell.text;
  };
  const one = (key: ColumnKey, resolver: (s: string) => string | undefined, unknown = 'unknown_name') => {
    const t = text(key);
    if (t === undefined) return undefined;
    const code = resolver(t);
    if (!code) fail(key, unknown);
    return code;
  };
  const many = (key: ColumnKey, resolver: (s: string) => string | undefined, unknown = 'unknown_name') => {
    const t = text(key);
    if (t === undefined) return undefined;
    const codes: string[] = [];
    for (const item of split(t)) {
      const code = resolver(item);
      if (!code) {
        fail(key, unknown);
        return undefined;
      }
      if (!codes.includes(code)) codes.push(code);
    }
    return codes;
  };
  const bool = (key: ColumnKey): boolean | undefined => {
    const t = text(key);
    if (t === undefined) return undefined;
    if (YES.has(fold(t))) return true;
    if (NO.has(fold(t))) return false;
    fail(key, 'not_yes_no');
    return undefined;
  };
  const date = (key: ColumnKey): string | undefined => {
    const t = text(key);
    if (t === undefined) return undefined;
    const d = dateText(t);
    if (!d) fail(key, 'not_a_date');
    return d;
  };

  const skills = (() => {
    const t = text('skills');
    if (t === undefined) return undefined;
    const out: { code: string; level: string }[] = [];
    for (const item of split(t)) {
      // 电子装配（熟练）, 电子装配:2, 电子装配-精通
      const m = /^(.+?)\s*(?:[（(](.+?)[)）]|[:：\-－](.+))?$/u.exec(item)!;
      const code = resolve.skill(m[1]!);
      const levelWord = m[2] ?? m[3];
      const level = levelWord ? resolve.skillLevel(levelWord) : '1';
      if (!code || !level) {
        fail('skills', 'unknown_name');
        return undefined;
      }
      if (!out.some((s) => s.code === code)) out.push({ code, level });
    }
    return out;
  })();

  const wage = (() => {
    const t = text('minimumWage');
    if (t === undefined) return undefined;
    const n = Number(t.replace(/[,，\s元/月]|人民币|RMB/giu, ''));
    if (!Number.isInteger(n)) {
      fail('minimumWage', 'not_a_number');
      return undefined;
    }
    return n;
  })();

  const sexText = text('sex');
  const sex = sexText === undefined ? undefined : SEX_WORDS[fold(sexText)];
  if (sexText !== undefined && !sex) fail('sex', 'unknown_name');

  const guardianName = text('guardianName');
  const relationText = text('guardianRelation');
  const relation = relationText ? RELATION_WORDS[fold(relationText)] : 'guardian';
  if (relationText && !relation) fail('guardianRelation', 'unknown_name');
  const guardianPhone = text('guardianPhone');

  const consentVersion = text('consentTextVersion');
  const consentDate = date('consentDate');
  const giverText = text('consentGivenBy');
  const giver = giverText ? GIVER_WORDS[fold(giverText)] : 'self';
  if (giverText && !giver) fail('consentGivenBy', 'unknown_name');

  const body = {
    name: text('name'),
    idNumber: text('idNumber'),
    certificateNumber: text('certificateNumber'),
    phone: text('phone') ?? null,
    ...(sex ? { sex } : {}),
    ...(() => {
      const b = date('birthDate');
      return b ? { birthDate: b } : {};
    })(),
    disabilityCategory: one('disabilityCategory', resolve.category),
    disabilityLevel: one('disabilityLevel', resolve.level),
    originCode: one('originCode', resolve.region, 'unknown_region'),
    functionalLimitations: many('functionalLimitations', resolve.limitation),
    assistiveDevices: many('assistiveDevices', resolve.device),
    accommodationsNeeded: many('accommodationsNeeded', resolve.accommodation),
    skills,
    education: one('education', resolve.education) ?? null,
    languages: many('languages', resolve.language),
    preferences: {
      destinationCodes: many('destinations', resolve.region, 'unknown_region'),
      minimumWage: wage ?? null,
      jobTypes: many('jobTypes', resolve.occupation),
      needsDormitory: bool('needsDormitory'),
      needsAccessibleDormitory: bool('needsAccessibleDormitory'),
      willingToTravelWithGroup: bool('willingToTravelWithGroup') ?? null,
    },
    guardian: guardianName
      ? {
          relation: relation ?? 'guardian',
          name: guardianName,
          ...(guardianPhone ? { phone: guardianPhone } : {}),
        }
      : null,
  };
  const trainingCodes = many('training', resolve.training) ?? [];
  // Cells that could not be read are reported once, not again as "required" by the schema.
  const failedColumns = new Set(issues.map((i) => i.column));

  const parsed = createProfileSchema.safeParse(body);
  if (!parsed.success) {
    for (const i of parsed.error.issues) {
      const column = columnOf(i.path);
      if (failedColumns.has(column)) continue;
      const params = (i as { params?: { code?: string; zh?: string } }).params;
      const key = keyOf(i.path);
      // An empty cell is "required", whatever zod calls a missing value of that type.
      const empty = key !== undefined && !provided.has(key) && COLUMN_BY_KEY.get(key)!.required;
      const code = empty ? 'required' : (params?.code ?? (i.code === 'invalid_type' ? 'required' : i.code));
      issues.push({ row: r.row, column, code, message: params?.zh ?? reasonText(code, i.message) });
    }
  }
  if (parsed.success)
    for (const i of checkProfileReferences(
      parsed.data,
      { ref: ctx.ref, jurisdictionCode: ctx.jurisdictionCode },
      '',
    )) {
      const column = columnOf(i.path.split('.'));
      issues.push({ row: r.row, column, code: i.code, message: reasonText(i.code, i.message) });
    }

  let consent: ProcessingConsentInput | null = null;
  if (consentVersion !== undefined) {
    if (!/^[A-Za-z0-9._-]{1,40}$/.test(consentVersion)) fail('consentTextVersion', 'invalid_format');
    else if (giver && giver !== 'self' && !guardianName) fail('guardianName', 'representative_required');
    else if (giver) {
      const givenAt = consentDate ? chinaTime(consentDate) : ctx.now;
      if (givenAt.getTime() > ctx.now.getTime() + 86_400_000) fail('consentDate', 'date_in_future');
      consent = {
        textVersion: consentVersion,
        channel: 'paper_form',
        givenAt: givenAt.toISOString(),
        givenBy: giver,
        ...(giver !== 'self' && guardianName
          ? {
              representative: {
                relation: giver === 'guardian' ? 'guardian' : 'supporter',
                name: guardianName,
              },
            }
          : {}),
        assistedByStaff: false,
      };
    }
  }

  if (issues.length || !parsed.success) return { ok: false, issues: dedupe(issues) };
  return { ok: true, value: { row: r.row, input: parsed.data, consent, trainingCodes, provided } };
}

function dedupe(issues: RowIssue[]): RowIssue[] {
  const seen = new Set<string>();
  return issues.filter((i) => {
    const k = `${i.column}/${i.code}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
