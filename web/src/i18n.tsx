import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';

export type Lang = 'zh-CN' | 'en';

/**
 * Every text of the console, Simplified Chinese first. Labels of coded things that have a
 * vocabulary (disability categories, accommodations, skills, regions) come from the reference
 * API instead, in the chosen language; these are the console's own words.
 */
const MESSAGES = {
  'app.name': ['同心 · 工作台', 'Tongxin console'],
  'app.skip': ['跳到主要内容', 'Skip to main content'],
  'app.loading': ['正在加载…', 'Loading…'],
  'app.language': ['语言', 'Language'],
  'app.switchTo': ['English', '中文'],
  'app.switchToLabel': ['Switch to English', '切换到中文'],
  'app.nav': ['主导航', 'Main navigation'],
  'app.user': ['用户', 'User'],
  'app.organization': ['所属机构', 'Organisation'],
  'app.roles': ['角色', 'Roles'],
  'app.sessionUntil': ['登录有效至 {time}', 'Session valid until {time}'],
  'app.notFound': ['页面不存在', 'Page not found'],
  'app.notFoundText': ['没有这个页面，或者您的角色无权查看。', 'No such page, or your role may not see it.'],
  'app.backHome': ['返回首页', 'Back to the start page'],
  'app.pageLoaded': ['已打开：{title}', 'Opened: {title}'],

  'auth.signIn': ['登录', 'Sign in'],
  'auth.signOut': ['退出登录', 'Sign out'],
  'auth.username': ['用户名', 'Username'],
  'auth.password': ['密码', 'Password'],
  'auth.signingIn': ['正在登录…', 'Signing in…'],
  'auth.title': ['登录同心工作台', 'Sign in to the Tongxin console'],
  'auth.intro': [
    '供残联工作人员、审核人员、用人单位和平台管理员使用。',
    'For federation staff, reviewers, employers and platform administrators.',
  ],
  'auth.expired': ['登录已过期，请重新登录。', 'Your session has expired. Please sign in again.'],
  'auth.signedOut': ['您已退出登录。', 'You have signed out.'],
  'auth.lost': ['登录状态已失效，请重新登录。', 'You are no longer signed in. Please sign in again.'],
  'auth.locked': [
    '账户已暂时锁定，请 {minutes} 分钟后再试，或联系管理员解锁。',
    'The account is locked. Try again in {minutes} minutes, or ask an administrator to unlock it.',
  ],

  'role.admin': ['平台管理员', 'Administrator'],
  'role.federation_staff': ['残联工作人员', 'Federation staff'],
  'role.reviewer': ['审核人员', 'Reviewer'],
  'role.employer': ['用人单位', 'Employer'],

  'orgType.platform': ['平台', 'Platform'],
  'orgType.recipient_federation': ['受援方残联', 'Recipient federation'],
  'orgType.supporting_federation': ['支援方残联', 'Supporting federation'],
  'orgType.employer': ['用人单位', 'Employer'],

  'nav.home': ['首页', 'Start'],
  'nav.organizations': ['机构', 'Organisations'],
  'nav.users': ['用户', 'Users'],
  'nav.partnerships': ['帮扶关系', 'Partnerships'],
  'nav.vocabularies': ['词表', 'Vocabularies'],
  'nav.audit': ['审计日志', 'Audit log'],
  'nav.queues': ['任务队列', 'Job queues'],
  'nav.adminSection': ['系统管理', 'Administration'],

  'home.title': ['欢迎，{name}', 'Welcome, {name}'],
  'home.intro': ['您可以使用以下功能：', 'What you can do here:'],
  'home.nothing': [
    '您的角色目前在工作台中没有可用的页面。相关功能上线后会显示在这里。',
    'Your role has no console pages yet. They will appear here when they are ready.',
  ],

  'common.save': ['保存', 'Save'],
  'common.saving': ['正在保存…', 'Saving…'],
  'common.cancel': ['取消', 'Cancel'],
  'common.create': ['新建', 'Create'],
  'common.edit': ['编辑', 'Edit'],
  'common.search': ['筛选', 'Filter'],
  'common.reset': ['清除筛选', 'Clear filters'],
  'common.all': ['全部', 'All'],
  'common.yes': ['是', 'Yes'],
  'common.no': ['否', 'No'],
  'common.none': ['无', 'None'],
  'common.actions': ['操作', 'Actions'],
  'common.nextPage': ['下一页', 'Next page'],
  'common.firstPage': ['回到第一页', 'Back to the first page'],
  'common.pageN': ['第 {n} 页', 'Page {n}'],
  'common.noRows': ['没有符合条件的记录。', 'No records match.'],
  'common.required': ['（必填）', '(required)'],
  'common.optional': ['（选填）', '(optional)'],
  'common.reload': ['重新加载', 'Reload'],
  'common.back': ['返回列表', 'Back to the list'],
  'common.saved': ['已保存。', 'Saved.'],
  'common.created': ['已创建。', 'Created.'],
  'common.rowsShown': ['显示 {n} 条', '{n} shown'],
  'common.version': ['版本', 'Version'],

  'problem.heading': ['操作未成功', 'That did not work'],
  'problem.issues': ['请检查以下字段：', 'Please check these fields:'],
  'problem.stale': [
    '这条记录在您打开之后已被他人修改。请重新加载后再修改。',
    'Someone changed this record after you opened it. Reload it, then make your change again.',
  ],
  'problem.conflict': [
    '与当前状态冲突，未做修改。',
    'This conflicts with the current state; nothing was changed.',
  ],
  'problem.network': [
    '无法连接服务器，请检查网络后重试。',
    'The server could not be reached. Check the connection and try again.',
  ],
  'problem.forbidden': ['您的角色无权执行此操作。', 'Your role may not do this.'],
  'problem.requestId': ['请求编号：{id}', 'Request id: {id}'],

  'issue.too_small': ['太短或太小', 'too short or too small'],
  'issue.too_big': ['太长或太大', 'too long or too large'],
  'issue.invalid_type': ['缺少或类型不正确', 'missing or of the wrong type'],
  'issue.invalid_format': ['格式不正确', 'not in the right format'],
  'issue.invalid_value': ['不是允许的取值', 'not an allowed value'],
  'issue.invalid_union': ['不符合要求', 'not valid'],
  'issue.unrecognized_keys': ['包含未知字段', 'has unknown fields'],
  'issue.mass_assignment': ['您的角色不能设置此字段', 'your role may not set this field'],
  'issue.custom': ['不符合要求', 'not valid'],
  'issue.weak_password': ['密码强度不够', 'the password is too weak'],

  'org.title': ['机构', 'Organisations'],
  'org.create': ['新建机构', 'New organisation'],
  'org.edit': ['编辑机构', 'Edit organisation'],
  'org.name': ['名称', 'Name'],
  'org.nameEn': ['英文名称', 'English name'],
  'org.type': ['类型', 'Type'],
  'org.region': ['辖区 / 所在地', 'Jurisdiction / location'],
  'org.jurisdiction': ['辖区（行政区划代码）', 'Jurisdiction (region code)'],
  'org.jurisdictionHint': [
    '受援方：四川省的市（州）或县；支援方：浙江省、广东省或其地级市。',
    'Recipient: a Sichuan prefecture or county; supporting: Zhejiang, Guangdong or one of their cities.',
  ],
  'org.location': ['所在地（行政区划代码）', 'Location (region code)'],
  'org.locationHint': ['广东省或浙江省的地级市或县区。', 'A city or district in Guangdong or Zhejiang.'],
  'org.creditCode': ['统一社会信用代码', 'Unified social credit code'],
  'org.creditCodeHint': [
    '18 位，校验位按 GB 32100-2015 检查。',
    '18 characters; the check character follows GB 32100-2015.',
  ],
  'org.industryCode': ['行业代码（GB/T 4754）', 'Industry code (GB/T 4754)'],
  'org.industryHint': ['如 C 或 C39。', 'Such as C or C39.'],
  'org.staffCount': ['在职职工人数', 'Staff count'],
  'org.created': ['机构“{name}”已创建。', 'Organisation “{name}” created.'],
  'org.updated': ['机构“{name}”已保存。', 'Organisation “{name}” saved.'],
  'org.filterType': ['按类型筛选', 'Filter by type'],

  'user.title': ['用户', 'Users'],
  'user.create': ['新建用户', 'New user'],
  'user.username': ['用户名', 'Username'],
  'user.usernameHint': ['3–64 个字符：小写字母、数字及 . _ @ -', '3–64 characters: a–z, 0–9 and . _ @ -'],
  'user.displayName': ['姓名 / 显示名', 'Display name'],
  'user.organization': ['所属机构', 'Organisation'],
  'user.roles': ['角色', 'Roles'],
  'user.language': ['界面语言', 'Language'],
  'user.password': ['初始密码', 'Initial password'],
  'user.passwordHint': [
    '至少 10 个字符，包含小写、大写、数字、其他字符中的三类，且不含用户名。',
    'At least 10 characters, three of lower-case, upper-case, digits and other characters, without the username.',
  ],
  'user.status': ['状态', 'Status'],
  'user.active': ['正常', 'Active'],
  'user.locked': ['已锁定', 'Locked'],
  'user.lockedUntil': ['已锁定至 {time}', 'Locked until {time}'],
  'user.disabled': ['已停用', 'Disabled'],
  'user.lastLogin': ['最近登录', 'Last sign-in'],
  'user.never': ['从未登录', 'Never'],
  'user.failedLogins': ['连续失败 {n} 次', '{n} failed attempts'],
  'user.unlock': ['解锁', 'Unlock'],
  'user.unlockOf': ['解锁 {name}', 'Unlock {name}'],
  'user.unlocked': ['用户 {name} 已解锁。', 'User {name} unlocked.'],
  'user.resetPassword': ['重置密码', 'Reset password'],
  'user.resetPasswordOf': ['为 {name} 重置密码', 'Reset the password of {name}'],
  'user.newPassword': ['新密码', 'New password'],
  'user.passwordReset': [
    '已为 {name} 设置新密码，其所有登录会话已结束。',
    'New password set for {name}; their sessions have ended.',
  ],
  'user.created': ['用户 {name} 已创建。', 'User {name} created.'],
  'user.filterOrg': ['机构', 'Organisation'],
  'user.filterRole': ['角色', 'Role'],
  'user.filterLocked': ['锁定状态', 'Lock state'],
  'user.onlyLocked': ['仅已锁定', 'Locked only'],
  'user.onlyUnlocked': ['仅未锁定', 'Not locked'],

  'partnership.title': ['帮扶关系', 'Partnerships'],
  'partnership.supporting': ['支援方', 'Supporting side'],
  'partnership.receiving': ['受援方', 'Receiving side'],
  'partnership.from': ['开始日期', 'From'],
  'partnership.to': ['结束日期', 'To'],
  'partnership.open': ['长期有效', 'Open-ended'],
  'partnership.toHint': ['留空表示长期有效。', 'Leave empty for no end date.'],
  'partnership.note': ['备注', 'Note'],
  'partnership.edit': ['编辑帮扶关系期限', 'Edit the partnership period'],
  'partnership.editOf': ['编辑 {pair}', 'Edit {pair}'],
  'partnership.updated': ['帮扶关系期限已保存。', 'Partnership period saved.'],
  'partnership.filterCode': ['按地区筛选（行政区划代码）', 'Filter by region (code)'],
  'partnership.filterActiveOn': ['在此日期有效', 'Active on'],
  'partnership.period': ['期限', 'Period'],

  'vocab.title': ['词表', 'Vocabularies'],
  'vocab.kind': ['词表', 'Vocabulary'],
  'vocab.code': ['代码', 'Code'],
  'vocab.zh': ['中文', 'Chinese'],
  'vocab.en': ['英文', 'English'],
  'vocab.synonyms': ['同义词', 'Synonyms'],
  'vocab.filter': ['在此词表中查找', 'Find in this vocabulary'],
  'vocab.readOnly': [
    '词表为只读参考数据，随版本更新。',
    'Vocabularies are read-only reference data, updated with releases.',
  ],

  'audit.title': ['审计日志', 'Audit log'],
  'audit.at': ['时间', 'Time'],
  'audit.actor': ['操作人', 'Actor'],
  'audit.action': ['操作', 'Action'],
  'audit.resource': ['对象', 'Resource'],
  'audit.fields': ['涉及字段', 'Fields'],
  'audit.outcome': ['结果', 'Outcome'],
  'audit.reason': ['原因代码', 'Reason'],
  'audit.from': ['起始时间', 'From'],
  'audit.to': ['截止时间', 'To'],
  'audit.actionHint': ['如 auth.login、organization.create', 'e.g. auth.login, organization.create'],
  'audit.resourceType': ['对象类型', 'Resource type'],
  'audit.actorId': ['操作人用户 ID', 'Actor user id'],
  'audit.outcome.success': ['成功', 'Success'],
  'audit.outcome.failure': ['失败', 'Failure'],
  'audit.outcome.denied': ['被拒绝', 'Denied'],
  'audit.system': ['系统 / 未登录', 'System / anonymous'],

  'queues.title': ['任务队列面板', 'Job queue dashboard'],
  'queues.intro': [
    '查看后台任务（匹配、索引、通知、定时任务）的排队、失败和重试情况。面板在本页打开，使用一次性凭证（60 秒内有效），退出登录后立即失效。',
    'See background jobs (matching, indexing, notifications, schedules): waiting, failed and retried. The dashboard opens in this tab with a one-time pass valid for 60 seconds, and stops working when you sign out.',
  ],
  'queues.open': ['打开任务队列面板', 'Open the job queue dashboard'],
  'queues.opening': ['正在打开…', 'Opening…'],
  'queues.refused': [
    '队列面板的访问凭证无效或已过期，请从这里重新打开。',
    'The dashboard pass was invalid or has expired; open it again from here.',
  ],
  'vocabKind.disability_category': ['残疾类别（GB/T 26341）', 'Disability categories (GB/T 26341)'],
  'vocabKind.disability_level': ['残疾等级', 'Disability levels'],
  'vocabKind.limitation': ['功能限制', 'Functional limitations'],
  'vocabKind.job_demand': ['岗位要求', 'Job demands'],
  'vocabKind.accommodation': ['合理便利', 'Accommodations'],
  'vocabKind.skill': ['技能', 'Skills'],
  'vocabKind.skill_level': ['技能等级', 'Skill levels'],
  'vocabKind.training_programme': ['培训项目', 'Training programmes'],
  'vocabKind.occupation_group': ['职业类别', 'Occupation groups'],
  'vocabKind.employment_form': ['就业形式', 'Employment forms'],
  'vocabKind.not_working_reason': ['未就业原因', 'Reasons for not working'],
  'vocabKind.employment_help': ['就业帮扶', 'Employment help'],
  'vocabKind.training_length': ['培训时长', 'Training lengths'],
  'vocabKind.education': ['文化程度', 'Education'],
  'vocabKind.language': ['语言', 'Languages'],
  'vocabKind.assistive_device': ['辅助器具', 'Assistive devices'],
  'auditAction.access.denied': ['访问被拒绝', 'Access denied'],
  'auditAction.auth.lockout': ['账户锁定', 'Account locked'],
  'auditAction.auth.login': ['登录', 'Sign-in'],
  'auditAction.auth.logout': ['退出登录', 'Sign-out'],
  'auditAction.auth.password_change': ['修改密码', 'Password changed'],
  'auditAction.organization.create': ['新建机构', 'Organisation created'],
  'auditAction.organization.update': ['修改机构', 'Organisation changed'],
  'auditAction.partnership.create': ['新建帮扶关系', 'Partnership created'],
  'auditAction.partnership.delete': ['删除帮扶关系', 'Partnership removed'],
  'auditAction.partnership.update': ['修改帮扶关系', 'Partnership changed'],
  'auditAction.user.create': ['新建用户', 'User created'],
  'auditAction.user.password_reset': ['重置密码', 'Password reset'],
  'auditAction.user.permission_change': ['权限变更', 'Permissions changed'],
  'auditAction.user.unlock': ['解锁用户', 'User unlocked'],
  'auditAction.user.update': ['修改用户', 'User changed'],
  'auditAction.queue_dashboard.ticket': ['申请队列面板凭证', 'Queue dashboard pass issued'],
  'auditAction.queue_dashboard.open': ['打开队列面板', 'Queue dashboard opened'],
} as const satisfies Record<string, readonly [string, string]>;

export type MessageKey = keyof typeof MESSAGES;
export type T = (key: MessageKey, vars?: Record<string, string | number>) => string;

const STORAGE_KEY = 'tx.lang';

function initialLang(): Lang {
  const stored = localStorage.getItem(STORAGE_KEY);
  return stored === 'en' || stored === 'zh-CN' ? stored : 'zh-CN';
}

export function translate(lang: Lang, key: MessageKey, vars?: Record<string, string | number>): string {
  const text: string = MESSAGES[key][lang === 'en' ? 1 : 0];
  return vars ? text.replace(/\{(\w+)\}/g, (m, name: string) => String(vars[name] ?? m)) : text;
}

export function hasMessage(key: string): key is MessageKey {
  return Object.hasOwn(MESSAGES, key);
}

interface I18n {
  lang: Lang;
  setLang(lang: Lang): void;
  t: T;
  /** A date-time in the reader's language and the browser's time zone. */
  dateTime(iso: string | null | undefined): string;
}

const I18nContext = createContext<I18n | null>(null);

export function I18nProvider({ children }: { children: ReactNode }) {
  const [lang, setLangState] = useState<Lang>(initialLang);
  const setLang = useCallback((next: Lang) => {
    localStorage.setItem(STORAGE_KEY, next);
    setLangState(next);
  }, []);
  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);
  const value = useMemo<I18n>(() => {
    const fmt = new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short' });
    return {
      lang,
      setLang,
      t: (key, vars) => translate(lang, key, vars),
      dateTime: (iso) => (iso ? fmt.format(new Date(iso)) : ''),
    };
  }, [lang, setLang]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const ctx = useContext(I18nContext);
  if (!ctx) throw new Error('useI18n outside I18nProvider');
  return ctx;
}
