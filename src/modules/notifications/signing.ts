import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Generic webhooks are signed like this (README, "Webhooks"): HMAC-SHA256 with the webhook's
 * secret over `<timestamp>.<raw body>`, hex, sent as `X-Tongxin-Signature: v1=<hex>` beside
 * `X-Tongxin-Timestamp: <unix seconds>`. The timestamp inside the signed text is what lets a
 * receiver refuse a replay: a captured request cannot be re-dated without the secret.
 */
export const SIGNATURE_HEADER = 'x-tongxin-signature';
export const TIMESTAMP_HEADER = 'x-tongxin-timestamp';
export const EVENT_HEADER = 'x-tongxin-event';
export const DELIVERY_HEADER = 'x-tongxin-delivery';

/** How old a signed request may be before receivers refuse it (documented as 5 minutes). */
export const REPLAY_TOLERANCE_SECONDS = 300;

export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64url')}`;
}

export function signPayload(secret: string, timestamp: number, body: string): string {
  return `v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

export function signatureHeaders(secret: string, body: string, now = new Date()): Record<string, string> {
  const timestamp = Math.floor(now.getTime() / 1000);
  return { [TIMESTAMP_HEADER]: String(timestamp), [SIGNATURE_HEADER]: signPayload(secret, timestamp, body) };
}

/** The server's own check (tests and the console's "verify" helper); receivers use the README snippet. */
export function verifySignature(
  secret: string,
  timestampHeader: string | undefined,
  signatureHeader: string | undefined,
  body: string,
  now = new Date(),
): boolean {
  if (!timestampHeader || !signatureHeader || !/^\d{1,12}$/.test(timestampHeader)) return false;
  const ts = Number(timestampHeader);
  if (Math.abs(Math.floor(now.getTime() / 1000) - ts) > REPLAY_TOLERANCE_SECONDS) return false;
  const expected = Buffer.from(signPayload(secret, ts, body));
  const given = Buffer.from(signatureHeader);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
