import { lookup as dnsLookup, type LookupAddress, type LookupOneOptions } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import { sms } from 'tencentcloud-sdk-nodejs-sms';
import type { Config } from '../../config.js';
import { SendError } from './transports.js';

/**
 * Tencent Cloud SMS (SendSms, API 2021-01-11) through its official SDK, which signs every request
 * with TC3-HMAC-SHA256. The SDK names the signing scope after the endpoint's first label, so the
 * endpoint must be `sms.…`: a loopback stub is reached as `sms.localhost` (RFC 6761: `.localhost`
 * names are loopback), which this lookup answers itself.
 */

type SmsClient = InstanceType<typeof sms.v20210111.Client>;

type LookupCallback = (
  err: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;

function loopbackAwareLookup(hostname: string, options: LookupOneOptions, callback: LookupCallback): void {
  if (hostname === 'localhost' || hostname.endsWith('.localhost')) {
    const address = { address: '127.0.0.1', family: 4 };
    if ((options as { all?: boolean }).all) callback(null, [address]);
    else callback(null, address.address, address.family);
    return;
  }
  dnsLookup(hostname, options, callback as never);
}

let cached: { key: string; client: SmsClient } | undefined;

function client(config: Config): SmsClient {
  const s = config.sms;
  const key = `${s.endpoint}|${s.region}|${s.secretId}|${s.secretKey}|${config.notifications.sendTimeoutMs}`;
  if (cached?.key === key) return cached.client;
  const url = new URL(s.endpoint);
  const secure = url.protocol === 'https:';
  // An explicit agent always: the SDK would otherwise route through a proxy named by http_proxy.
  const agent = secure
    ? new https.Agent({ keepAlive: true, lookup: loopbackAwareLookup as never })
    : new http.Agent({ keepAlive: true, lookup: loopbackAwareLookup as never });
  const c = new sms.v20210111.Client({
    credential: { secretId: s.secretId, secretKey: s.secretKey },
    region: s.region,
    profile: {
      httpProfile: {
        endpoint: url.host,
        protocol: `${url.protocol}//`,
        reqTimeout: Math.ceil(config.notifications.sendTimeoutMs / 1000),
        agent,
      },
    },
  });
  cached = { key, client: c };
  return c;
}

/** Codes after which the message surely was not sent and a later attempt may succeed. */
const RETRY_AFTER: Record<string, number> = {
  RequestLimitExceeded: 1_000,
  'RequestLimitExceeded.GlobalRegionUinLimit': 1_000,
  'LimitExceeded.PhoneNumberThirtySecondLimit': 30_000,
  'LimitExceeded.PhoneNumberOneHourLimit': 3_600_000,
};

/** The provider timed out itself: the message may or may not have gone out. */
const AMBIGUOUS = new Set(['InternalError.Timeout', 'InternalError.RequestTimeException']);

/**
 * A provider code as a send outcome: `Ok` sent; rate limits wait; other internal errors are
 * retried; everything else (signature, unapproved template or signature, bad number, daily limit,
 * no balance, blacklist) fails now, as retrying cannot help.
 */
export function classifyTencentCode(code: string, message: string): SendError | undefined {
  if (code === 'Ok') return undefined;
  const text = `tencent ${code}: ${message}`;
  if (RETRY_AFTER[code]) return new SendError(text, { retryAfterMs: RETRY_AFTER[code] });
  if (AMBIGUOUS.has(code)) return new SendError(text, { ambiguous: true });
  if (code.startsWith('InternalError') || code === 'ResourceUnavailable') return new SendError(text);
  return new SendError(text, { permanent: true });
}

const NOT_SENT = /ECONNREFUSED|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH/;

export async function sendTencentSms(
  config: Config,
  input: { phone: string; templateId: string; variables: string[]; sessionContext: string },
): Promise<void> {
  const s = config.sms;
  let reply: Awaited<ReturnType<SmsClient['SendSms']>>;
  try {
    reply = await client(config).SendSms({
      PhoneNumberSet: [`+86${input.phone}`],
      SmsSdkAppId: s.sdkAppId,
      SignName: s.signName,
      TemplateId: input.templateId,
      TemplateParamSet: input.variables,
      SessionContext: input.sessionContext,
    });
  } catch (err) {
    const e = err as { code?: string; httpCode?: number; message?: string };
    if (e.code) throw classifyTencentCode(e.code, e.message ?? '');
    if (e.httpCode) {
      const retry = e.httpCode === 429 || e.httpCode >= 500;
      throw new SendError(`tencent http status ${e.httpCode}`, { permanent: !retry });
    }
    const message = e.message ?? String(err);
    throw new SendError(`tencent: ${message}`, { ambiguous: !NOT_SENT.test(message) });
  }
  const status = reply.SendStatusSet?.[0];
  if (!status) throw new SendError('tencent: no send status in the reply', { ambiguous: true });
  const problem = classifyTencentCode(status.Code ?? '', status.Message ?? '');
  if (problem) throw problem;
}
