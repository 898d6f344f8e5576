/**
 * The start page's to-do list: one line per item code of GET /api/v1/work, worded as "what:
 * how many" so the count is read as text (and needs no plural forms). [Simplified Chinese, English].
 */
export const HOME_MESSAGES = {
  'home.todo': ['今天要做的事', 'To do today'],
  'home.todoNone': ['今天没有待办事项。', 'Nothing needs doing today.'],
  'home.todoRole': ['{role}', 'As {role}'],
  'home.queuesUnavailable': [
    '暂时无法读取任务队列的状态（Redis 不可用），队列相关的待办未列出。',
    'The job queues cannot be read just now (Redis is unavailable); their items are not listed.',
  ],
  'home.pages': ['全部功能', 'All pages'],
  'home.oldest': ['（最早的一条建议于 {date} 生成）', ' (the oldest was suggested on {date})'],
  'home.byQueue': ['（其中：{list}）', ' (of which: {list})'],
  'work.review_waiting': ['待审核的匹配建议：{count} 条', 'Suggestions waiting for review: {count}'],
  'work.follow_ups_overdue': ['已逾期的跟踪回访：{count} 次', 'Follow-up visits overdue: {count}'],
  'work.follow_ups_due': ['今天到期的跟踪回访：{count} 次', 'Follow-up visits due: {count}'],
  'work.consents_to_record': [
    '缺少（或已撤回）个人信息处理同意、需要补录的人员：{count} 人',
    'People whose processing consent is missing or withdrawn: {count}',
  ],
  'work.imports_attention': [
    '近 30 天失败或有被拒绝行的导入：{count} 次',
    'Imports in the last 30 days that failed or rejected rows: {count}',
  ],
  'work.proposals_awaiting': [
    '等待您答复的推荐人选：{count} 位',
    'Proposed candidates awaiting your answer: {count}',
  ],
  'work.openings_nearly_filled': ['只剩 1 个名额的岗位：{count} 个', 'Openings with one place left: {count}'],
  'work.deliveries_failed': ['投递失败的通知：{count} 条', 'Notification deliveries failed: {count}'],
  'work.queue_jobs_failed': ['失败的后台任务：{count} 个', 'Background jobs failed: {count}'],
  'work.queue_jobs_waiting': ['排队等待的后台任务：{count} 个', 'Background jobs waiting: {count}'],
  'consentsMissing.title': ['待补录处理同意的人员', 'People without a processing consent'],
  'consentsMissing.intro': [
    '这些人员缺少个人信息处理同意，或已撤回，系统不会为他们匹配岗位。打开人员记录即可补录同意。',
    'These people have no processing consent, or withdrew it, so they are not matched. Open a person to record the consent.',
  ],
  'consentsMissing.back': ['返回人员查询', 'Back to people search'],
  'consentsMissing.none': ['没有需要补录同意的人员。', 'Nobody is waiting for a consent to be recorded.'],
} as const satisfies Record<string, readonly [string, string]>;
