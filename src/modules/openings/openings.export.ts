import ExcelJS from 'exceljs';
import type { Actor } from '../../lib/auth/actor.js';
import { chinaDay } from '../../lib/china-time.js';
import { AppError } from '../../lib/errors.js';
import { formulaSafeRow } from '../../lib/spreadsheet-cells.js';
import { audit } from '../audit/audit.service.js';
import { findRegion, getVocabulary, type VocabularyKind } from '../reference/reference.service.js';
import type { ExportOpeningsQuery } from './openings.schemas.js';
import {
  countOpeningsInScopeOf,
  type Opening,
  type OpeningStatus,
  openingsInScope,
} from './openings.service.js';
import { employerNames } from './presentation.service.js';

/** Above this the caller is asked to narrow the filters (an export is built in memory). */
export const MAX_EXPORT_ROWS = 20_000;

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

const STATUS_ZH: Record<OpeningStatus, string> = {
  draft: '草稿',
  open: '招聘中',
  paused: '已暂停',
  filled: '已招满',
  closed: '已关闭',
};
const SHIFT_ZH: Record<string, string> = { day: '白班', evening: '中班', night: '夜班', rotating: '轮班' };
const CANTEEN_ZH: Record<string, string> = { none: '无', paid: '自费', subsidised: '补贴', free: '免费' };
const yesNo = (b: boolean) => (b ? '是' : '否');

type Labels = (kind: VocabularyKind, codes: readonly string[]) => string;

async function labeller(): Promise<Labels> {
  const kinds: VocabularyKind[] = [
    'skill',
    'skill_level',
    'training_programme',
    'job_demand',
    'accommodation',
    'occupation_group',
    'disability_category',
  ];
  const maps = new Map<VocabularyKind, Map<string, string>>();
  for (const kind of kinds) maps.set(kind, new Map((await getVocabulary(kind)).map((v) => [v.code, v.zh])));
  return (kind, codes) => codes.map((c) => maps.get(kind)?.get(c) ?? c).join('、');
}

const COLUMNS: { header: string; key: string; width: number }[] = [
  { header: '岗位编号', key: 'id', width: 26 },
  { header: '用人单位', key: 'employer', width: 28 },
  { header: '岗位名称', key: 'title', width: 24 },
  { header: '状态', key: 'status', width: 8 },
  { header: '职业大类', key: 'occupation', width: 20 },
  { header: '工作地点', key: 'region', width: 10 },
  { header: '详细地址', key: 'address', width: 30 },
  { header: '招聘人数', key: 'headcount', width: 9 },
  { header: '已录用', key: 'filled', width: 8 },
  { header: '月薪下限（元）', key: 'wageMin', width: 12 },
  { header: '月薪上限（元）', key: 'wageMax', width: 12 },
  { header: '每日工时', key: 'hoursPerDay', width: 9 },
  { header: '每周天数', key: 'daysPerWeek', width: 9 },
  { header: '班次', key: 'shifts', width: 12 },
  { header: '技能要求', key: 'skills', width: 30 },
  { header: '优先培训', key: 'training', width: 24 },
  { header: '岗位要求', key: 'demands', width: 36 },
  { header: '可提供的便利', key: 'accommodations', width: 36 },
  { header: '提供宿舍', key: 'dorm', width: 9 },
  { header: '无障碍宿舍', key: 'dormAccessible', width: 10 },
  { header: '食堂', key: 'canteen', width: 8 },
  { header: '路费补贴（元）', key: 'travel', width: 12 },
  { header: '合同期限（月）', key: 'term', width: 12 },
  { header: '缴纳社会保险', key: 'insurance', width: 12 },
  { header: '适合的残疾类别（仅供参考）', key: 'suitable', width: 24 },
  { header: '便利申请联系人', key: 'contactName', width: 14 },
  { header: '联系电话', key: 'contactPhone', width: 16 },
  { header: '到岗日期', key: 'startDate', width: 12 },
  { header: '更新时间', key: 'updatedAt', width: 20 },
];

async function row(o: Opening, employer: string | undefined, label: Labels) {
  const region = await findRegion(o.regionCode);
  return {
    id: o.id,
    employer: employer ?? o.employerId,
    title: o.title,
    status: STATUS_ZH[o.status],
    occupation: label('occupation_group', [o.occupationGroup]),
    region: region?.zh ?? o.regionCode,
    address: o.address,
    headcount: o.headcount,
    filled: o.filled,
    wageMin: o.wageMin,
    wageMax: o.wageMax,
    hoursPerDay: o.hours.hoursPerDay,
    daysPerWeek: o.hours.daysPerWeek,
    shifts: o.hours.shifts.map((s) => SHIFT_ZH[s] ?? s).join('、'),
    skills: o.skills
      .map((s) => `${label('skill', [s.code])}（${label('skill_level', [s.level])}）`)
      .join('、'),
    training: label('training_programme', o.preferredTraining),
    demands: label('job_demand', o.jobDemands),
    accommodations: label('accommodation', o.accommodationsOffered),
    dorm: yesNo(o.dormitory.provided),
    dormAccessible: yesNo(o.dormitory.accessible),
    canteen: CANTEEN_ZH[o.canteen] ?? o.canteen,
    travel: o.travelSubsidyCny,
    term: o.contract.termMonths,
    insurance: yesNo(o.contract.socialInsurance),
    suitable: label('disability_category', o.suitableFor),
    contactName: o.accommodationContact.name,
    contactPhone: o.accommodationContact.phone,
    startDate: o.startDate,
    updatedAt: o.updatedAt.toISOString().replace('T', ' ').slice(0, 19),
  };
}

/**
 * The caller's scope (filters as the list takes them) as one XLSX sheet with Chinese headers and
 * labels. Cell values are written as values, never formulas, and text that a spreadsheet would read
 * as one is prefixed with `'`.
 */
export async function exportOpenings(
  actor: Actor,
  q: ExportOpeningsQuery,
): Promise<{ buffer: Buffer; filename: string; rows: number }> {
  const total = await countOpeningsInScopeOf(actor, q);
  if (total > MAX_EXPORT_ROWS)
    throw new AppError('validation_failed', {
      detail: `导出结果有 ${total} 条，超过上限 ${MAX_EXPORT_ROWS}，请缩小筛选范围`,
      detailEn: `${total} openings match, more than the ${MAX_EXPORT_ROWS} an export holds: narrow the filters`,
      issues: [{ path: 'query', code: 'too_many_rows', message: `at most ${MAX_EXPORT_ROWS} rows` }],
    });
  const label = await labeller();
  const workbook = new ExcelJS.Workbook();
  workbook.creator = '同心 Tongxin';
  const sheet = workbook.addWorksheet('岗位', { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = COLUMNS;
  sheet.getRow(1).font = { bold: true };
  let rows = 0;
  for await (const page of openingsInScope(actor, { ...q, sort: q.sort })) {
    const names = await employerNames(page);
    for (const o of page) {
      sheet.addRow(formulaSafeRow(await row(o, names.get(o.employerId), label)));
      rows++;
    }
  }
  const buffer = Buffer.from(await workbook.xlsx.writeBuffer());
  await audit.record({ action: 'opening.export', resource: { type: 'opening' } });
  const day = chinaDay().replaceAll('-', '');
  return { buffer, filename: `openings-${day}.xlsx`, rows };
}
