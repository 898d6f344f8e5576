import { describe, expect, it } from 'vitest';
import {
  sameOrigin,
  signDashboardCookie,
  verifyDashboardCookie,
} from '../../src/modules/system/queue-dashboard-cookie.js';

const secret = 's'.repeat(40);

describe('queue dashboard cookie', () => {
  it('when signed and read back before expiry, then it gives the session id', () => {
    const v = signDashboardCookie(secret, 'session-1', Date.now() + 60_000);
    expect(verifyDashboardCookie(secret, v)).toBe('session-1');
  });

  it('when expired, tampered with, or signed with another secret, then it gives nothing', () => {
    const now = Date.now();
    const v = signDashboardCookie(secret, 'session-1', now + 60_000);
    expect(verifyDashboardCookie(secret, v, now + 60_001)).toBeUndefined();
    const [body, mac] = v.split('.');
    const other = Buffer.from(JSON.stringify({ sid: 'session-2', exp: now + 60_000 })).toString('base64url');
    expect(verifyDashboardCookie(secret, `${other}.${mac}`)).toBeUndefined();
    expect(verifyDashboardCookie('t'.repeat(40), v)).toBeUndefined();
    expect(verifyDashboardCookie(secret, `${body}`)).toBeUndefined();
    expect(verifyDashboardCookie(secret, `${v}.x`)).toBeUndefined();
  });
});

describe('sameOrigin', () => {
  it('when fetch metadata says same-origin, then it passes even with Origin: null (no-referrer policy)', () => {
    expect(sameOrigin({ 'sec-fetch-site': 'same-origin', origin: 'null', host: 'a' })).toBe(true);
  });

  it('when fetch metadata says cross-site or same-site, then it is refused', () => {
    expect(sameOrigin({ 'sec-fetch-site': 'cross-site', host: 'a' })).toBe(false);
    expect(sameOrigin({ 'sec-fetch-site': 'same-site', host: 'a' })).toBe(false);
  });

  it('when only Origin is sent, then it must name this host', () => {
    expect(sameOrigin({ origin: 'http://tongxin.local:3000', host: 'tongxin.local:3000' })).toBe(true);
    expect(sameOrigin({ origin: 'https://evil.example', host: 'tongxin.local:3000' })).toBe(false);
    expect(sameOrigin({ origin: 'null', host: 'tongxin.local:3000' })).toBe(false);
  });

  it('when neither is sent (not a browser), then it passes', () => {
    expect(sameOrigin({ host: 'a' })).toBe(true);
  });
});
