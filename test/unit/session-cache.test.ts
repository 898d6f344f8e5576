import { describe, expect, it } from 'vitest';
import { SessionCache } from '../../src/lib/auth/session-cache.js';

const keys = (userId: string, organizationId = 'o1') => ({ userId, organizationId });

function liveCache(ttlMs = 5_000) {
  const cache = new SessionCache<string>(ttlMs);
  cache.setLive(true);
  return cache;
}

describe('SessionCache', () => {
  it('when an invalidation arrives while a read is under way, then that read is not stored', () => {
    const cache = liveCache();
    const begun = cache.begin();
    cache.apply({ kind: 'user', id: 'someone else' });
    cache.set('s1', 'read before the change', keys('u1'), begun);
    expect(cache.get('s1')).toBeUndefined();
    cache.set('s1', 'read after', keys('u1'), cache.begin());
    expect(cache.get('s1')).toBe('read after');
  });

  it('when the subscription is not confirmed, then nothing is served or stored', () => {
    const cache = new SessionCache<string>(5_000);
    cache.set('s1', 'v', keys('u1'), cache.begin());
    expect(cache.get('s1')).toBeUndefined();
    cache.setLive(true);
    cache.set('s1', 'v', keys('u1'), cache.begin());
    expect(cache.get('s1')).toBe('v');
    cache.setLive(false);
    cache.setLive(true);
    expect(cache.get('s1')).toBeUndefined();
  });

  it('when an entry is older than the TTL, then it is not served', () => {
    const cache = liveCache(1_000);
    cache.set('s1', 'v', keys('u1'), cache.begin(), 10_000);
    expect(cache.get('s1', 10_999)).toBe('v');
    expect(cache.get('s1', 11_000)).toBeUndefined();
  });

  it('when a user or an organisation is invalidated, then only their sessions go', () => {
    const cache = liveCache();
    cache.set('a1', 'a', keys('u1', 'o1'), cache.begin());
    cache.set('a2', 'a', keys('u1', 'o1'), cache.begin());
    cache.set('b1', 'b', keys('u2', 'o1'), cache.begin());
    cache.set('c1', 'c', keys('u3', 'o2'), cache.begin());
    cache.apply({ kind: 'user', id: 'u1' });
    expect([cache.get('a1'), cache.get('a2'), cache.get('b1'), cache.get('c1')]).toEqual([
      undefined,
      undefined,
      'b',
      'c',
    ]);
    cache.apply({ kind: 'organization', id: 'o1' });
    expect([cache.get('b1'), cache.get('c1')]).toEqual([undefined, 'c']);
    cache.apply({ kind: 'session', id: 'c1' });
    expect(cache.size).toBe(0);
  });

  it('when the TTL is 0, then the cache stays off', () => {
    const cache = liveCache(0);
    cache.set('s1', 'v', keys('u1'), cache.begin());
    expect(cache.get('s1')).toBeUndefined();
  });
});
