/**
 * Chinese for the API's own field messages (zod `custom` and `regex` messages written in English
 * in the schemas). A message not listed falls back to a sentence per zod issue code, so a new
 * rule is never shown untranslated in Chinese — only less specifically. Keep in step with
 * src/modules/{orgs,accounts,reference}/*.schemas.ts and src/modules/orgs/org-rules.ts.
 */
export const ISSUE_MESSAGES_ZH: Record<string, string> = {
  'must have 18 characters': '统一社会信用代码必须为 18 位',
  'may use only 0-9 and A-Z without I, O, S, V, Z': '只能使用数字和除 I、O、S、V、Z 以外的大写字母',
  'the check character (GB 32100-2015) does not match': '校验位不正确（GB 32100-2015）',
  'must be a 6-digit GB/T 2260 code': '须为 6 位行政区划代码（GB/T 2260）',
  '6-digit GB/T 2260 code': '须为 6 位行政区划代码（GB/T 2260）',
  'must be a GB/T 4754 code such as C or C39': '须为 GB/T 4754 行业代码，如 C 或 C39',
  '3–64 characters: a-z, 0-9, . _ @ -': '3–64 个字符：小写字母、数字及 . _ @ -',
  'each role once': '每个角色只能选一次',
  'nothing to change': '没有需要保存的修改',
  'at least one field': '没有需要保存的修改',
  'must be a 24-character hexadecimal id': '编号格式不正确',
  'must be a Sichuan prefecture or county code': '必须是四川省的市（州）或县级行政区划代码',
  'must be the code of Zhejiang or Guangdong or one of their cities':
    '必须是浙江省或广东省（或其地级市）的行政区划代码',
  'the employer must be located in Guangdong or Zhejiang (a city or district code)':
    '用人单位所在地必须在广东省或浙江省（地级市或县区代码）',
};
