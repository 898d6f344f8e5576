/**
 * The console's words for the placement reports, spread into i18n.tsx's table; the same shape:
 * [Simplified Chinese, English].
 */
export const REPORT_MESSAGES = {
  'nav.placementReports': ['安置就业报表', 'Placement reports'],
  'placementReports.title': ['安置就业报表', 'Placement reports'],
  'placementReports.intro': [
    '按您可见的范围统计本年度的推荐、录用、稳定就业和按比例就业计入情况，不含个人信息。每张图下方都有同样数据的表格，可导出为 Excel。',
    'Suggestions, hires, retention and quota credit of the year, counted within what you may see; no personal data. Every chart has a table of the same numbers below it, exportable to Excel.',
  ],
  'placementReports.year': ['年度', 'Year'],
  'placementReports.profilesLink': ['登记人员统计', 'Registered people report'],
  'placementReports.placementsLink': ['安置就业报表', 'Placement reports'],

  'placementReports.summary': ['年度目标完成情况', 'Progress towards the target'],
  'placementReports.progress': [
    '本年已安置就业 {placed} 人，年度目标 {target} 人，完成 {percent}%。',
    '{placed} placed this year against a target of {target}: {percent}% of the target.',
  ],
  'placementReports.noTarget': [
    '本年已安置就业 {placed} 人；尚未设定年度目标。',
    '{placed} placed this year; no target has been set.',
  ],
  'placementReports.progressLabel': ['目标完成进度', 'Progress towards the target'],
  'placementReports.summaryDesc': [
    '横条图：本年安置就业人数与年度目标。',
    'Bar chart: placements this year and the target.',
  ],
  'placementReports.placed': ['本年安置就业', 'Placed this year'],
  'placementReports.target': ['年度目标', 'Target'],
  'placementReports.percent': ['完成百分比', 'Percent of target'],
  'placementReports.notSet': ['未设定', 'not set'],
  'placementReports.item': ['项目', 'Item'],
  'placementReports.value': ['数值', 'Value'],

  'placementReports.funnel': ['从推荐到稳定就业', 'From suggestion to retention'],
  'placementReports.funnelDesc': [
    '横条图：本年进入各阶段的匹配数（按匹配历史计）；稳定就业为本年录用人员的回访结果。',
    'Bar chart: matches that reached each stage this year (from match history); retention of this year’s hires from follow-ups.',
  ],
  'placementReports.stage': ['阶段', 'Stage'],
  'placementReports.count': ['人数', 'Count'],
  'stage.suggested': ['系统推荐', 'Suggested'],
  'stage.approved': ['审核通过', 'Approved'],
  'stage.proposed': ['推荐给用人单位', 'Proposed'],
  'stage.hired': ['录用', 'Hired'],
  'stage.retained3m': ['稳定就业 3 个月', 'Retained 3 months'],
  'stage.retained6m': ['稳定就业 6 个月', 'Retained 6 months'],

  'placementReports.byPartnership': ['按结对关系', 'By partnership'],
  'placementReports.byCounty': ['按户籍县', 'By origin county'],
  'placementReports.byCategoryLevel': ['按残疾类别和等级', 'By disability category and level'],
  'placementReports.byEmployer': ['按用人单位', 'By employer'],
  'placementReports.rowsDesc': [
    '横条图：各组本年安置就业人数，共 {total} 人。表格另列稳定就业和按比例就业计入人数。',
    'Bar chart: placements this year per group, {total} in all. The table adds retention and quota credit.',
  ],
  'placementReports.group.byPartnership': [
    '结对关系（支援方 — 受援方）',
    'Partnership (supporting — receiving)',
  ],
  'placementReports.group.byCounty': ['户籍县', 'Origin county'],
  'placementReports.group.byCategoryLevel': ['残疾类别 · 等级', 'Category · level'],
  'placementReports.group.byEmployer': ['用人单位', 'Employer'],
  'placementReports.placements': ['安置就业', 'Placements'],
  'placementReports.retained3m': ['稳定 3 个月', 'Retained 3 m'],
  'placementReports.retained6m': ['稳定 6 个月', 'Retained 6 m'],
  'placementReports.quotaCredit': ['按比例就业计入', 'Quota credit'],

  'placementReports.time': ['从推荐到录用的天数', 'Days from suggestion to hire'],
  'placementReports.timeDesc': [
    '横条图：按天数分组的录用人数。中位数 {median} 天，75% 在 {p75} 天内，90% 在 {p90} 天内。',
    'Bar chart: hires by days from suggestion. Median {median} days; 75% within {p75} days, 90% within {p90}.',
  ],
  'placementReports.days': ['天数', 'Days'],
  'placementReports.unknownDays': ['推荐日期未知的录用：{n} 人', 'Hires with no known suggestion date: {n}'],
  'placementReports.none': ['无', 'none'],

  'placementReports.quota': ['按比例就业计入人数', 'Quota credit by employer'],
  'placementReports.quotaDesc': [
    '横条图：{day} 各用人单位计入按比例就业的人数（一、二级残疾人按两人计），共 {total}。',
    'Bar chart: quota credit per employer on {day} (levels 1 and 2 count as two), {total} in all.',
  ],
  'placementReports.credited': ['计入人员', 'Placements credited'],
  'placementReports.credit': ['计入人数', 'Credit'],

  'target.title': ['设定年度目标', 'Set the target'],
  'target.organization': ['残联', 'Federation'],
  'target.current': ['{year} 年当前目标：{target}', 'Current target for {year}: {target}'],
  'target.value': ['年度安置就业目标（人）', 'Placements target (people)'],
  'target.save': ['保存目标', 'Save target'],
  'target.saved': ['已保存：{year} 年目标 {target} 人', 'Saved: target {target} for {year}'],
} as const satisfies Record<string, readonly [string, string]>;
