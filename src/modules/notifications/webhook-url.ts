import { isIP } from 'node:net';

/**
 * Webhook URLs are secrets in part (a WeCom robot URL carries its key in `?key=`), so they are
 * stored encrypted, shown masked, and never logged: logs name the webhook id and the host only.
 */

export type WebhookKind = 'generic' | 'wecom';

export type UrlProblem =
  | 'not_a_url'
  | 'scheme'
  | 'credentials'
  | 'fragment'
  | 'private_address'
  | 'wecom_key_missing'
  | 'too_long';

export const URL_PROBLEM_TEXT: Record<UrlProblem, { zh: string; en: string }> = {
  not_a_url: { zh: '不是有效的网址', en: 'not a valid URL' },
  scheme: { zh: '只允许 http 或 https 网址', en: 'only http and https URLs are allowed' },
  credentials: {
    zh: '网址中不能包含用户名或密码（通用 Webhook 使用签名密钥）',
    en: 'the URL must not carry a user name or password (generic webhooks are signed instead)',
  },
  fragment: { zh: '网址不能包含 # 片段', en: 'the URL must not have a #fragment' },
  private_address: {
    zh: '不允许指向本机或内网地址',
    en: 'loopback and private network addresses are not allowed',
  },
  wecom_key_missing: {
    zh: '企业微信群机器人网址必须包含 key 参数',
    en: 'a WeCom group-robot URL must carry its key= parameter',
  },
  too_long: { zh: '网址过长', en: 'the URL is too long' },
};

/** Loopback, private, link-local (cloud metadata), CGNAT, unspecified and multicast addresses. */
export function isPrivateAddress(address: string): boolean {
  const v = isIP(address);
  if (v === 4) {
    const [a, b] = address.split('.').map(Number) as [number, number, number, number];
    return (
      a === 0 ||
      a === 10 ||
      a === 127 ||
      (a === 100 && b >= 64 && b <= 127) ||
      (a === 169 && b === 254) ||
      (a === 172 && b >= 16 && b <= 31) ||
      (a === 192 && b === 168) ||
      a >= 224
    );
  }
  if (v === 6) {
    const x = address.toLowerCase();
    if (x === '::' || x === '::1') return true;
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(x);
    if (mapped) return isPrivateAddress(mapped[1]!);
    return /^(fc|fd|fe8|fe9|fea|feb|ff)/.test(x);
  }
  return false;
}

function literalHost(hostname: string): string {
  return hostname.startsWith('[') ? hostname.slice(1, -1) : hostname;
}

/** Why a URL may not be a webhook of this kind, or undefined. Host names are re-checked at send time. */
export function webhookUrlProblem(
  raw: string,
  kind: WebhookKind,
  opts: { allowPrivate: boolean },
): UrlProblem | undefined {
  if (raw.length > 2000) return 'too_long';
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'not_a_url';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'scheme';
  if (url.username || url.password) return 'credentials';
  if (url.hash) return 'fragment';
  const host = literalHost(url.hostname);
  if (!opts.allowPrivate && (host === 'localhost' || host.endsWith('.localhost') || isPrivateAddress(host)))
    return 'private_address';
  if (kind === 'wecom' && !url.searchParams.get('key')) return 'wecom_key_missing';
  return undefined;
}

/**
 * What may be shown or logged of a webhook URL: scheme, host, port and path, with every query value
 * replaced by `***` (`https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=***`).
 */
export function maskWebhookUrl(raw: string): string {
  try {
    const url = new URL(raw);
    const params = [...url.searchParams.keys()].map((k) => `${encodeURIComponent(k)}=***`);
    return `${url.protocol}//${url.host}${url.pathname}${params.length ? `?${params.join('&')}` : ''}`;
  } catch {
    return '(invalid url)';
  }
}

/** Scheme and host only: what a log line may carry. */
export function urlHost(raw: string): string {
  try {
    const url = new URL(raw);
    return `${url.protocol}//${url.host}`;
  } catch {
    return '(invalid url)';
  }
}

/** Removes URLs and email addresses from an error message before it is stored or shown. */
export function scrubError(message: string): string {
  return message
    .replace(/\bhttps?:\/\/[^\s"'<>]+/gi, (u) => maskWebhookUrl(u))
    .replace(/[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g, '<address>')
    .slice(0, 500);
}
