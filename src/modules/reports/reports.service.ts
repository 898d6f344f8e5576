import type { Actor } from '../../lib/auth/actor.js';
import { getVocabulary } from '../reference/reference.service.js';
import { PROFILE_STATUSES, type ProfileStatus } from '../worker-profiles/status.js';
import { profileReportScope } from './reports.policy.js';
import { countProfiles } from './reports.repository.js';
import type { ProfilesReport, ProfilesReportQuery } from './reports.schemas.js';
import { type ReportTable, reportWorkbook } from './reports.xlsx.js';

/** People by disability category, level and status, within what the caller may count. */
export async function profilesReport(actor: Actor, query: ProfilesReportQuery): Promise<ProfilesReport> {
  const rows = (await countProfiles(profileReportScope(actor), query)) as ProfilesReport['rows'];
  return {
    rows,
    total: rows.reduce((n, r) => n + r.count, 0),
    generatedAt: new Date().toISOString(),
  };
}

const STATUS_LABELS: Record<ProfileStatus, [string, string]> = {
  available: ['待就业', 'Available'],
  in_process: ['推荐中', 'In process'],
  placed: ['已就业', 'Placed'],
  inactive: ['暂不参与', 'Inactive'],
};

/**
 * The same report as the console's table (a category per row, a status per column, totals), as
 * XLSX. Labels in the reader's language; categories from the vocabulary.
 */
export async function profilesReportWorkbook(
  actor: Actor,
  query: ProfilesReportQuery,
  lang: 'zh-CN' | 'en',
): Promise<Buffer> {
  const report = await profilesReport(actor, query);
  const en = lang === 'en';
  const categories = await getVocabulary('disability_category');
  const statuses = query.status ? [query.status] : [...PROFILE_STATUSES];
  const count = (c: string, s?: string) =>
    report.rows
      .filter((r) => r.disabilityCategory === c && (!s || r.status === s))
      .reduce((n, r) => n + r.count, 0);
  const table: ReportTable = {
    title: en ? 'People by disability category and status' : '按残疾类别和状态统计的登记人员',
    columns: [
      { header: en ? 'Disability category' : '残疾类别', width: 18 },
      ...statuses.map((s) => ({ header: STATUS_LABELS[s][en ? 1 : 0], width: 12 })),
      { header: en ? 'Total' : '合计', width: 10 },
    ],
    rows: [
      ...categories.map((c) => [en ? c.en : c.zh, ...statuses.map((s) => count(c.code, s)), count(c.code)]),
      [
        en ? 'Total' : '合计',
        ...statuses.map((s) => report.rows.filter((r) => r.status === s).reduce((n, r) => n + r.count, 0)),
        report.total,
      ],
    ],
    notes: [
      `${en ? 'Generated at' : '生成时间'} ${report.generatedAt}`,
      ...(query.region ? [`${en ? 'Origin region' : '户籍地区'} ${query.region}`] : []),
      en ? 'Counts only: no personal data.' : '仅含人数统计，不含个人信息。',
    ],
  };
  return reportWorkbook(table);
}
