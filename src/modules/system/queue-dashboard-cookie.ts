import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

/** Pure parts of the queue dashboard's access (src/modules/system/queue-dashboard.ts). */

function cookieKey(secret: string): Buffer {
  // A key of its own, so a dashboard cookie can never be mistaken for anything else signed later.
  return createHmac('sha256', secret).update('tongxin/queue-dashboard-cookie/v1').digest();
}

export function signDashboardCookie(secret: string, sessionId: string, expiresAt: number): string {
  const body = Buffer.from(JSON.stringify({ sid: sessionId, exp: expiresAt })).toString('base64url');
  const mac = createHmac('sha256', cookieKey(secret)).update(body).digest('base64url');
  return `${body}.${mac}`;
}

/** The session id of a valid, unexpired cookie value, or undefined. */
export function verifyDashboardCookie(secret: string, value: string, now = Date.now()): string | undefined {
  const [body, mac, extra] = value.split('.');
  if (!body || !mac || extra !== undefined) return undefined;
  const expected = createHmac('sha256', cookieKey(secret)).update(body).digest();
  const given = Buffer.from(mac, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
  try {
    const { sid, exp } = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as {
      sid?: unknown;
      exp?: unknown;
    };
    if (typeof sid !== 'string' || typeof exp !== 'number' || exp <= now) return undefined;
    return sid;
  } catch {
    return undefined;
  }
}

/**
 * A changing request must come from this origin. Fetch metadata first: helmet's
 * `Referrer-Policy: no-referrer` makes browsers send `Origin: null` on same-origin form posts,
 * while `Sec-Fetch-Site` is always accurate where it is sent. Clients without either (curl) are
 * not browsers, so they cannot be driven by another site and may pass.
 */
export function sameOrigin(headers: IncomingHttpHeaders): boolean {
  const site = headers['sec-fetch-site'];
  if (site !== undefined) return site === 'same-origin' || site === 'none';
  const origin = headers.origin;
  if (origin === undefined) return true;
  try {
    return origin !== 'null' && new URL(origin).host === headers.host;
  } catch {
    return false;
  }
}
