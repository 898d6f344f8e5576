import { describe, expect, it } from 'vitest';
import {
  addressRefusal,
  hostRefusal,
  webhookUrlProblem,
} from '../../src/modules/notifications/webhook-url.js';

import { PUBLIC, REFUSED } from '../fixtures/ssrf-targets.js';

// Pure functions only: nothing here opens a connection.

describe('webhook target addresses', () => {
  it('when a URL names a non-public target in any notation, then it is refused as that range', () => {
    expect.hasAssertions();
    for (const [url, range] of REFUSED) {
      expect(hostRefusal(new URL(url).hostname), url).toBe(range);
      expect(webhookUrlProblem(url, 'generic', { allowPrivate: false }), url).toBe('private_address');
    }
  });

  it('when a URL names a public address or a name, then it is accepted (names are checked again after resolving)', () => {
    expect.hasAssertions();
    for (const url of PUBLIC) {
      expect(hostRefusal(new URL(url).hostname), url).toBeUndefined();
      expect(webhookUrlProblem(url, 'generic', { allowPrivate: false }), url).toBeUndefined();
    }
  });

  it('when private targets are allowed (local receivers), then loopback in any notation is accepted', () => {
    expect.hasAssertions();
    for (const [url] of REFUSED)
      expect(webhookUrlProblem(url, 'generic', { allowPrivate: true }), url).toBeUndefined();
  });

  it('when resolved or connected addresses are classified, then only public unicast passes', () => {
    for (const a of ['127.0.0.1', '::1', '::ffff:127.0.0.1', '::ffff:7f00:1', '::7f00:1', '64:ff9b::7f00:1'])
      expect(addressRefusal(a), a).toBeDefined();
    expect(addressRefusal('fe80::1%eth0')).toBe('linkLocal');
    expect(addressRefusal('')).toBe('not_an_address');
    expect(addressRefusal('localhost')).toBe('not_an_address');
    expect(addressRefusal('93.184.215.14')).toBeUndefined();
    expect(addressRefusal('2606:4700:4700::1111')).toBeUndefined();
  });
});
