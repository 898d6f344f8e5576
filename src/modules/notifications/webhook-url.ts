import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';

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

/**
 * ipaddr.js names the special-purpose ranges (IANA registries) and turns IPv4-mapped IPv6 into IPv4;
 * everything it does not call `unicast` is refused: loopback, private, linkLocal (cloud metadata),
 * carrierGradeNat, uniqueLocal, multicast, reserved, NAT64 (rfc6052), 6to4, teredo and the rest, since
 * the translation ranges can carry a private IPv4 address inside.
 */
const GLOBAL_UNICAST_V6 = ipaddr.IPv6.parseCIDR('2000::/3');

/**
 * Why an IP address may not receive webhooks (the ipaddr.js range name), or undefined for a public
 * unicast address. Anything that is not an address at all is refused too.
 */
export function addressRefusal(address: string): string | undefined {
  let ip: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    ip = ipaddr.process(address);
  } catch {
    return 'not_an_address';
  }
  const range = ip.range();
  if (range !== 'unicast') return range;
  // ipaddr.js calls any IPv6 address outside its list unicast; only 2000::/3 is routable on the
  // internet, which also leaves out the deprecated IPv4-compatible form ::a.b.c.d.
  if (ip.kind() === 'ipv6' && !ip.match(GLOBAL_UNICAST_V6)) return 'not_global_unicast';
  return undefined;
}

/**
 * Why the host of a parsed URL may not receive webhooks, or undefined (a name is resolved and
 * checked again at send time). The WHATWG URL parser has already turned every IPv4 notation
 * (`2130706433`, `0177.0.0.1`, `0x7f.1`, `127.1`, `127.0.0.1.`) into dotted decimal and every
 * IPv6 notation into its short form, so only literals and names remain.
 */
export function hostRefusal(hostname: string): string | undefined {
  const host = hostname.startsWith('[') ? hostname.slice(1, -1) : hostname;
  if (isIP(host)) return addressRefusal(host);
  const name = host.toLowerCase().replace(/\.$/, '');
  // RFC 6761: localhost and its subdomains are loopback whatever DNS says.
  if (name === 'localhost' || name.endsWith('.localhost')) return 'loopback';
  return undefined;
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
  if (!opts.allowPrivate && hostRefusal(url.hostname)) return 'private_address';
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
  return (
    message
      .replace(/\bhttps?:\/\/[^\s"'<>]+/gi, (u) => maskWebhookUrl(u))
      .replace(/[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g, '<address>')
      // A phone or ID number a provider may quote back.
      .replace(/\+?\d{11,}[\dXx]?/g, '<number>')
      .slice(0, 500)
  );
}
