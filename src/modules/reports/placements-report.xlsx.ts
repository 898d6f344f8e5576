import type { Actor } from '../../lib/auth/actor.js';
import { placementsReport } from './placements-report.service.js';
import type { PlacementSection, PlacementsExportQuery, PlacementsReport } from './reports.schemas.js';
import { exportFileName, type ReportTable, reportWorkbook } from './reports.xlsx.js';

type Lang = 'zh-CN' | 'en';
const L = (en: boolean, zh: string, english: string) => (en ? english : zh);

const TITLES: Record<PlacementSection, [string, string]> = {
  summary: ['安置就业概况', 'Placements: summary'],
  funnel: ['推荐到就业的漏斗', 'Pipeline funnel'],
  byPartnership: ['按结对关系统计的安置就业', 'Placements by partnership'],
  byCounty: ['按户籍县统计的安置就业', 'Placements by origin county'],
  byCategoryLevel: ['按残疾类别和等级统计的安置就业', 'Placements by disability category and level'],
  byEmployer: ['按用人单位统计的安置就业', 'Placements by employer'],
  timeToPlacement: ['从推荐到录用的天数', 'Days from suggestion to hire'],
  quotaCredit: ['按比例就业计入人数', 'Quota credit by employer'],
};

const STAGES: Record<PlacementsReport['funnel'][number]['stage'], [string, string]> = {
  suggested: ['系统推荐', 'Suggested'],
  approved: ['审核通过', 'Approved'],
  proposed: ['推荐给用人单位', 'Proposed'],
  hired: ['录用', 'Hired'],
  retained3m: ['稳定就业 3 个月', 'Retained 3 months'],
  retained6m: ['稳定就业 6 个月', 'Retained 6 months'],
};

/** The section as the console's table (same rows, same columns), labels in `lang`. */
export function sectionTable(report: PlacementsReport, section: PlacementSection, lang: Lang): ReportTable {
  const en = lang === 'en';
  const title = `${TITLES[section][en ? 1 : 0]} ${report.year}`;
  const notes = [
    `${L(en, '生成时间', 'Generated at')} ${report.generatedAt}`,
    ...(report.region ? [`${L(en, '户籍地区', 'Origin region')} ${report.region}`] : []),
    L(en, '仅含统计数字，不含个人信息。', 'Counts only: no personal data.'),
  ];
  const rowsTable = (rows: PlacementsReport['byCounty'], head: string): ReportTable => ({
    title,
    columns: [
      { header: head, width: 28 },
      { header: L(en, '安置就业', 'Placements'), width: 12 },
      { header: L(en, '稳定 3 个月', 'Retained 3 m'), width: 14 },
      { header: L(en, '稳定 6 个月', 'Retained 6 m'), width: 14 },
      { header: L(en, '按比例就业计入', 'Quota credit'), width: 16 },
    ],
    rows: [
      ...rows.map((r) => [en ? r.labelEn : r.label, r.placements, r.retained3m, r.retained6m, r.quotaCredit]),
      [
        L(en, '合计', 'Total'),
        ...(['placements', 'retained3m', 'retained6m', 'quotaCredit'] as const).map((k) =>
          rows.reduce((n, r) => n + r[k], 0),
        ),
      ],
    ],
    notes,
  });
  switch (section) {
    case 'summary': {
      const s = report.summary;
      const none = L(en, '未设定', 'not set');
      return {
        title,
        columns: [
          { header: L(en, '项目', 'Item'), width: 24 },
          { header: L(en, '数值', 'Value'), width: 14 },
        ],
        rows: [
          [L(en, '本年安置就业', 'Placed this year'), s.placed],
          [L(en, '年度目标', 'Target'), s.target ?? none],
          [L(en, '完成目标百分比', 'Percent of target'), s.percentOfTarget ?? none],
        ],
        notes,
      };
    }
    case 'funnel':
      return {
        title,
        columns: [
          { header: L(en, '阶段', 'Stage'), width: 24 },
          { header: L(en, '人数', 'Count'), width: 12 },
        ],
        rows: report.funnel.map((f) => [STAGES[f.stage][en ? 1 : 0], f.count]),
        notes: [
          L(
            en,
            '本年进入各阶段的匹配数（按匹配记录历史计）；稳定就业按本年录用人员的回访结果计。',
            'Matches that reached each stage in the year (from match history); retention of the year’s hires from follow-ups.',
          ),
          ...notes,
        ],
      };
    case 'byPartnership':
      return rowsTable(
        report.byPartnership,
        L(en, '结对关系（支援方 — 受援方）', 'Partnership (supporting — receiving)'),
      );
    case 'byCounty':
      return rowsTable(report.byCounty, L(en, '户籍县', 'Origin county'));
    case 'byCategoryLevel':
      return rowsTable(report.byCategoryLevel, L(en, '残疾类别 · 等级', 'Category · level'));
    case 'byEmployer':
      return rowsTable(report.byEmployer, L(en, '用人单位', 'Employer'));
    case 'timeToPlacement': {
      const t = report.timeToPlacement;
      const none = L(en, '无', 'none');
      return {
        title,
        columns: [
          { header: L(en, '天数', 'Days'), width: 20 },
          { header: L(en, '人数', 'Count'), width: 12 },
        ],
        rows: [
          ...t.histogram.map((h) => [h.key, h.count]),
          [L(en, '中位数（天）', 'Median (days)'), t.median ?? none],
          [L(en, '75 分位（天）', 'p75 (days)'), t.p75 ?? none],
          [L(en, '90 分位（天）', 'p90 (days)'), t.p90 ?? none],
          [L(en, '推荐日期未知', 'Suggestion date unknown'), t.unknown],
        ],
        notes,
      };
    }
    case 'quotaCredit':
      return {
        title,
        columns: [
          { header: L(en, '用人单位', 'Employer'), width: 28 },
          { header: L(en, '计入人员', 'Placements credited'), width: 14 },
          { header: L(en, '计入人数', 'Credit'), width: 12 },
        ],
        rows: [
          ...report.quotaCredit.byEmployer.map((r) => [en ? r.labelEn : r.label, r.placements, r.credit]),
          [
            L(en, '合计', 'Total'),
            report.quotaCredit.byEmployer.reduce((n, r) => n + r.placements, 0),
            report.quotaCredit.total,
          ],
        ],
        notes: [
          `${L(en, '计入日', 'Credit day')} ${report.summary.creditDay}`,
          L(
            en,
            '一、二级残疾人按两人计；须劳动合同满一年、工资不低于最低工资、缴纳社会保险且当日在职。',
            'Level 1 and 2 count as two; a contract of a year or more, pay at or above the minimum wage, social insurance, employed that day.',
          ),
          ...notes,
        ],
      };
  }
}

export async function placementsSectionWorkbook(
  actor: Actor,
  query: PlacementsExportQuery,
  lang: Lang,
): Promise<{ body: Buffer; filename: string }> {
  // Only the queries of the section asked for: the funnel alone reads the matches, the costliest part.
  const report = await placementsReport(
    actor,
    { year: query.year, region: query.region },
    new Date(),
    new Set([query.section]),
  );
  const table = sectionTable(report, query.section, lang);
  return { body: await reportWorkbook(table), filename: exportFileName(table.title) };
}
