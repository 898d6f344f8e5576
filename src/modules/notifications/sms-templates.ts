import type { Config } from '../../config.js';
import { z } from '../../lib/zod.js';

/**
 * The text messages a job seeker can receive. SMS providers in China send only templates approved
 * in advance, with variables filled in; so does this catalogue: a template key, the provider's
 * template id (from config) and the ordered variables, each validated. There is no free text, and
 * no variable may carry an ID number or a phone number.
 */

/** An 18-digit resident ID (or the old 15-digit form) anywhere in a value. */
const ID_NUMBER = /\d{17}[\dXx]|\d{15}/;

const noIdNumber = (v: string) => !ID_NUMBER.test(v);

/** The personal link: http(s), no credentials in the authority. */
const linkVar = z
  .url({ protocol: /^https?$/ })
  .max(200)
  .refine((v) => !new URL(v).username && !new URL(v).password, 'no credentials in a link')
  .refine(noIdNumber, 'no ID number');

/** An employer's short name: a few characters, no long runs of digits (no numbers of any kind). */
const shortNameVar = z
  .string()
  .trim()
  .min(1)
  .max(12)
  .refine((v) => !/\d{4,}/.test(v), 'no numbers in a name')
  .refine((v) => !/[<>{}\r\n]/.test(v), 'plain text only');

/** A day, shown as 3月12日. */
const dateVar = z.iso.date().transform((d) => {
  const [, m, day] = d.split('-');
  return `${Number(m)}月${Number(day)}日`;
});

export const SMS_TEMPLATES = {
  /** 【签名】这是您在同心平台的个人页面：{1}，请勿转发。 */
  access_link: { vars: z.tuple([linkVar]) },
  /** 【签名】{1}有一个适合您的工作，请打开您的个人页面看看，或联系残联工作人员。 */
  proposal: { vars: z.tuple([shortNameVar]) },
  /** 【签名】残联工作人员将在{1}回访您的工作情况。 */
  follow_up: { vars: z.tuple([dateVar]) },
} as const;

export type SmsTemplate = keyof typeof SMS_TEMPLATES;
export const SMS_TEMPLATE_KEYS = Object.keys(SMS_TEMPLATES) as SmsTemplate[];
export type SmsVarsInput<T extends SmsTemplate> = z.input<(typeof SMS_TEMPLATES)[T]['vars']>;

/** Validates and formats the variables of a template: a programming error (thrown) when they do not fit. */
export function smsVariables<T extends SmsTemplate>(template: T, vars: SmsVarsInput<T>): string[] {
  const parsed = SMS_TEMPLATES[template].vars.safeParse(vars);
  if (!parsed.success)
    throw new Error(`invalid variables for SMS template ${template}: ${parsed.error.issues[0]?.message}`);
  const values = parsed.data as string[];
  if (values.some((v) => !noIdNumber(v))) throw new Error(`an ID number in SMS template ${template}`);
  return values;
}

/** The provider's id of an approved template. */
export function providerTemplateId(config: Config, template: SmsTemplate): string {
  return config.sms.templates[template];
}

/** The short name an employer is called by in a message (the first characters of its name). */
export function employerShortName(name: string): string {
  const plain = name
    .replace(/[\d<>{}\r\n]/g, '')
    .replace(/(有限责任公司|股份有限公司|有限公司|公司)$/, '')
    .trim();
  return [...(plain || '用人单位')].slice(0, 12).join('');
}
