/**
 * The console's words for the fairness report. Kept apart from i18n.tsx's table (and spread into
 * it), like messages-work.ts; the same shape: [Simplified Chinese, English].
 */
export const FAIRNESS_MESSAGES = {
  'nav.reportsFairness': ['公平性报表', 'Fairness report'],
  'fairness.title': [
    '公平性：按残疾类别的推荐率与就业率',
    'Fairness: suggestion and hire rates by disability category',
  ],
  'fairness.why': [
    '匹配评分从不读取残疾类别或等级，只看技能、便利条件、工作要求等具体情况。本报表按类别统计推荐和录用的结果，目的是发现不同群体之间的差距，以便分析原因（例如岗位缺少某种便利），而不是为了给任何人打分。',
    'The matching score never reads the disability category or level: it looks at skills, accommodations, job demands and the like. This report counts suggestions and hires by category so that gaps between groups are seen and their causes can be looked into (an accommodation openings lack, for example); it scores nobody.',
  ],
  'fairness.definitions': [
    '推荐率 = 有当前推荐的人数 ÷ 待就业人数；就业率 = 已录用人数 ÷ 登记人数。代表性 = 该类别在推荐（录用）中的占比 ÷ 在待就业（登记）人员中的占比，1 表示与人数成比例，低于 1 表示偏少。',
    'Suggestion rate = people holding a current suggestion ÷ available people; hire rate = people hired ÷ registered people. Representation = the group’s share of suggestions (hires) ÷ its share of available (registered) people: 1 is in proportion, below 1 fewer.',
  ],
  'fairness.chart': ['各类别的推荐率与就业率', 'Suggestion and hire rates by category'],
  'fairness.chartDesc': [
    '分组横条图：每个残疾类别两条，实心为推荐率，斜线为就业率，条末标有百分比。共 {registered} 人登记，{suggested} 人有当前推荐，{hired} 人已录用。',
    'Grouped bar chart: two bars per disability category, solid for the suggestion rate, hatched for the hire rate, each labelled with its percentage. {registered} registered, {suggested} holding a suggestion, {hired} hired.',
  ],
  'fairness.suggestionRate': ['推荐率', 'Suggestion rate'],
  'fairness.hireRate': ['就业率', 'Hire rate'],
  'fairness.registered': ['登记人数', 'Registered'],
  'fairness.available': ['待就业', 'Available'],
  'fairness.suggested': ['有当前推荐', 'Holding a suggestion'],
  'fairness.approved': ['审核通过', 'Approved'],
  'fairness.proposed': ['已推荐给单位', 'Proposed'],
  'fairness.hired': ['已录用', 'Hired'],
  'fairness.populationShare': ['人数占比', 'Population share'],
  'fairness.suggestionRepresentation': ['推荐代表性', 'Suggestion representation'],
  'fairness.hireRepresentation': ['就业代表性', 'Hire representation'],
  'fairness.unknown': ['未知（待补录）', 'Unknown (not yet backfilled)'],
  'fairness.unknownNote': [
    '“未知”为残疾类别记录之前生成的匹配，运行 npm run reports:backfill 后归入相应类别。',
    '“Unknown” are matches stored before their category was recorded; npm run reports:backfill files them under their category.',
  ],
  'fairness.byLevel': ['按类别和等级', 'By category and level'],
  'fairness.level': ['残疾等级', 'Level'],
  'fairness.none': ['—', '—'],
  'fairness.computedAt': [
    '统计时间 {time}（约 {minutes} 分钟前），计算用时 {seconds} 秒。数据每隔一段时间在后台重新统计。',
    'Counted at {time} (about {minutes} minutes ago), in {seconds} s. The counts are recomputed in the background at intervals.',
  ],
  'fairness.computing': [
    '正在计算：首次统计需要几分钟，完成后本页会自动显示结果。',
    'Being computed: the first count takes a few minutes; this page shows it as soon as it is ready.',
  ],
  'fairness.refresh': ['重新统计', 'Recount now'],
  'fairness.refreshing': [
    '已提交重新统计，完成后本页自动更新（数据量大时需要几分钟）。',
    'A recount was asked for; this page updates when it is done (a few minutes with much data).',
  ],
} as const satisfies Record<string, readonly [string, string]>;
