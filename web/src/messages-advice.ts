/**
 * The console's words for the accommodation advice panel (issue 21); the same shape as i18n.tsx's
 * table: [Simplified Chinese, English]. The advice's own sentences come from the API.
 */
export const ADVICE_MESSAGES = {
  'advice.heading': [
    '便利建议：多提供哪些，可多匹配多少人',
    'Accommodation advice: what more would reach how many more',
  ],
  'advice.needs': [
    '填写工作地点和工资后，这里会显示多提供哪些便利可以多匹配多少人。',
    'Once the place of work and the wages are filled in, this shows how many more people each accommodation would reach.',
  ],
  'advice.updating': ['正在更新…', 'Updating…'],
  'advice.failed': ['暂时无法计算，请检查上面的填写。', 'Cannot be computed now; check the fields above.'],
  'advice.current': [
    '按现在的填写，结对地区符合条件的求职者：{n}',
    'As filled in now, eligible job seekers of the paired areas: {n}',
  ],
  'advice.single': ['逐项（按多匹配人数排序）', 'One at a time (most people first)'],
  'advice.none': ['再提供其他便利也不会增加匹配人数。', 'No further accommodation would add anyone.'],
  'advice.bundles': ['组合（逐项贪心选出）', 'Combined (chosen greedily, one at a time)'],
  'advice.fewer': ['少于 5 人', 'fewer than 5'],
  'advice.people': ['{n} 人', '{n}'],
  'advice.note': [
    '只统计人数，不显示任何个人信息；1–4 人显示为“少于 5 人”。人数来自匹配用的内存数据，随档案变更在数秒内更新。',
    'Counts only, never anyone’s details; 1–4 people show as “fewer than 5”. Counted from the matching data held in memory, updated within seconds of changes.',
  ],
} as const satisfies Record<string, readonly [string, string]>;
