import type { Actor } from '../../lib/auth/actor.js';
import { getVocabulary } from '../reference/reference.service.js';
import { buildFairness, narrowScope, onProfileRegionPath, UNKNOWN } from './fairness.compute.js';
import { countSuggestedPeople, peopleReaching } from './fairness.repository.js';
import type { FairnessReport, FairnessReportQuery } from './fairness.schemas.js';
import { profileReportScope } from './reports.policy.js';
import { countProfiles } from './reports.repository.js';
import { type ReportTable, reportWorkbook } from './reports.xlsx.js';

/**
 * Fairness: suggestion and hire rates by disability category (and level), within what the caller
 * may count (the profiles report's scope, applied to a match through its person's origin). The
 * score never reads the category; this report exists so that a gap between groups is seen.
 * Also the entry point for `npm run bench:reports`.
 */
export async function fairnessReport(actor: Actor, query: FairnessReportQuery): Promise<FairnessReport> {
  const scope = narrowScope(profileReportScope(actor));
  const matchScope = onProfileRegionPath(scope);
  // One after another: each read is a scan on FerretDB v1, and the database is shared.
  const profiles = await countProfiles(scope, query.region ? { region: query.region } : {});
  const suggested = await countSuggestedPeople(matchScope, query.region);
  const reached = await peopleReaching(matchScope, query.region);
  const result = buildFairness(
    profiles.map((p) => ({
      category: p.disabilityCategory,
      level: p.disabilityLevel,
      status: p.status,
      count: p.count,
    })),
    suggested,
    reached,
  );
  return { ...(result as Omit<FairnessReport, 'generatedAt'>), generatedAt: new Date().toISOString() };
}

type Row = FairnessReport['categories'][number];

/**
 * The report as XLSX: a row per category (labels from the vocabulary, in the reader's language),
 * the totals, then a row per (category, level). Counts and rates are the JSON's numbers (rates as
 * fractions, 0.25 = 25 %), so the sheet can be checked against the API.
 */
export async function fairnessReportWorkbook(
  actor: Actor,
  query: FairnessReportQuery,
  lang: 'zh-CN' | 'en',
): Promise<Buffer> {
  const report = await fairnessReport(actor, query);
  const en = lang === 'en';
  const [categories, levels] = await Promise.all([
    getVocabulary('disability_category'),
    getVocabulary('disability_level'),
  ]);
  const unknown = en ? 'Unknown (not yet backfilled)' : '未知（待补录）';
  const label = (list: { code: string; zh: string; en: string }[], code: string) => {
    const e = list.find((c) => c.code === code);
    return e ? (en ? e.en : e.zh) : unknown;
  };
  const all = en ? 'All levels' : '全部等级';
  const n = (x: number | null) => (x === null ? '—' : x);
  const cells = (r: Omit<Row, 'disabilityCategory'>) => [
    r.registered,
    r.available,
    r.suggested,
    n(r.suggestionRate),
    r.approved,
    r.proposed,
    r.hired,
    n(r.hireRate),
    n(r.populationShare),
    n(r.suggestionRepresentation),
    n(r.hireRepresentation),
  ];
  const table: ReportTable = {
    title: en
      ? 'Fairness, suggestion and hire rates by disability category'
      : '公平性：按残疾类别的推荐率与就业率',
    columns: [
      { header: en ? 'Disability category' : '残疾类别', width: 22 },
      { header: en ? 'Level' : '残疾等级', width: 12 },
      { header: en ? 'Registered' : '登记人数', width: 10 },
      { header: en ? 'Available' : '待就业', width: 10 },
      { header: en ? 'Holding a suggestion' : '有当前推荐', width: 12 },
      { header: en ? 'Suggestion rate' : '推荐率', width: 12 },
      { header: en ? 'Approved' : '审核通过', width: 10 },
      { header: en ? 'Proposed' : '已推荐给单位', width: 12 },
      { header: en ? 'Hired' : '已录用', width: 10 },
      { header: en ? 'Hire rate' : '就业率', width: 10 },
      { header: en ? 'Population share' : '人数占比', width: 12 },
      { header: en ? 'Suggestion representation' : '推荐代表性', width: 14 },
      { header: en ? 'Hire representation' : '就业代表性', width: 14 },
    ],
    rows: [
      ...report.categories.map((r) => [label(categories, r.disabilityCategory), all, ...cells(r)]),
      [en ? 'Total' : '合计', all, ...cells(report.totals)],
      ...report.levels.map((r) => [
        label(categories, r.disabilityCategory),
        r.disabilityLevel === UNKNOWN ? unknown : label(levels, r.disabilityLevel),
        ...cells(r),
      ]),
    ],
    notes: [
      `${en ? 'Generated at' : '生成时间'} ${report.generatedAt}`,
      ...(query.region ? [`${en ? 'Origin region' : '户籍地区'} ${query.region}`] : []),
      en
        ? 'Rates and shares are fractions (0.25 = 25%). Suggestion rate = people holding a current suggestion ÷ available people; hire rate = people hired ÷ registered people; representation = the group’s share of suggestions (hires) ÷ its share of available (registered) people, 1 = in proportion.'
        : '比率和占比为小数（0.25 即 25%）。推荐率 = 有当前推荐的人数 ÷ 待就业人数；就业率 = 已录用人数 ÷ 登记人数；代表性 = 该类别在推荐（录用）中的占比 ÷ 在待就业（登记）人员中的占比，1 表示与人数成比例。',
      en
        ? 'The matching score never reads the disability category: this report exists to see gaps between groups.'
        : '匹配评分从不读取残疾类别；本报表用于发现不同群体之间的差距。',
      en ? 'Counts only: no personal data.' : '仅含人数统计，不含个人信息。',
    ],
  };
  return reportWorkbook(table);
}
