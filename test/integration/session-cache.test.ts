import mongoose from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Organization } from '../../src/modules/orgs/orgs.repository.js';
import { bearer, makeOrg, makeUser, signIn, TEST_PASSWORD, type TestActor } from '../fixtures/accounts.js';
import { startTestApp, type TestApp } from '../fixtures/app.js';
import { freePort, OwnRedis, spawnEntry, stopChild, waitFor } from '../fixtures/processes.js';

/**
 * The session cache with two real API processes on one MongoDB database and one Redis: a change
 * made through A is refused by B's next request, though B holds the session in its cache for a
 * minute. Only the pub/sub message can have told B. With Redis down B bypasses its cache.
 */

let redis: OwnRedis;
let t: TestApp;
let admin: TestActor;
let a: Api;
let b: Api;

interface Api {
  base: string;
  child: ReturnType<typeof spawnEntry>;
}

async function startApi(env: Record<string, string>): Promise<Api> {
  const port = await freePort();
  const child = spawnEntry('src/server.ts', { ...env, PORT: String(port), HOST: '127.0.0.1' });
  const base = `http://127.0.0.1:${port}`;
  await waitFor(
    'API ready',
    async () => (await fetch(`${base}/readyz`).catch(() => null))?.status === 200,
    60_000,
    200,
  ).catch((err: Error) => {
    throw new Error(`${err.message}\n${child.output.join('').slice(-3000)}`);
  });
  return { base, child };
}

const get = (api: Api, path: string, token: string) =>
  fetch(`${api.base}${path}`, { headers: bearer(token) });

const send = (api: Api, method: string, path: string, token: string, body: unknown, headers = {}) =>
  fetch(`${api.base}${path}`, {
    method,
    headers: { ...bearer(token), 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });

let federation: Organization;

/** A new staff member of the one federation (one federation per jurisdiction). */
async function staff(): Promise<TestActor> {
  return signIn(t.config, await makeUser(federation, ['federation_staff']), federation);
}

/** B serves this session from its cache: a change made behind the API's back is not seen. */
async function cachedOnB(who: TestActor): Promise<void> {
  expect((await get(b, '/api/v1/auth/me', who.token)).status).toBe(200);
  await mongoose.connection
    .collection('users')
    .updateOne({ _id: new mongoose.Types.ObjectId(who.user.id) }, { $set: { displayName: '未经 API 修改' } });
  const me = (await (await get(b, '/api/v1/auth/me', who.token)).json()) as { user: { displayName: string } };
  expect(me.user.displayName).toBe('测试用户');
}

beforeAll(async () => {
  redis = await OwnRedis.create();
  t = await startTestApp({ REDIS_URL: redis.url });
  const env = {
    NODE_ENV: 'test',
    LOG_LEVEL: 'warn',
    MONGODB_URI: t.config.mongo.uri,
    REDIS_URL: redis.url,
    QUEUE_PREFIX: t.config.redis.queuePrefix,
    SEARCH_INDEX_PREFIX: t.config.search.indexPrefix,
    RATE_LIMIT_PER_MINUTE: '100000',
    LOGIN_RATE_LIMIT_PER_MINUTE: '100000',
    METRICS_PORT: '0',
    // Far longer than the test: only an invalidation can end an entry.
    SESSION_CACHE_TTL_MS: '60000',
  };
  [a, b] = await Promise.all([startApi(env), startApi(env)]);
  const platform = await makeOrg('platform');
  admin = await signIn(t.config, await makeUser(platform, ['admin']), platform);
  federation = await makeOrg('recipient_federation', '513400');
}, 120_000);

afterAll(async () => {
  await Promise.all([a && stopChild(a.child), b && stopChild(b.child)]);
  await t?.close();
  await redis?.stop();
});

describe('session cache across API processes', () => {
  it('when B holds a session in its cache, then a change behind the API is not seen (the cache is on)', async () => {
    await cachedOnB(await staff());
  });

  it('when the user signs out on A, then B refuses the session at its next request', async () => {
    const who = await staff();
    await cachedOnB(who);
    expect((await send(a, 'post', '/api/v1/auth/logout', who.token, {})).status).toBe(204);
    expect((await get(b, '/api/v1/auth/me', who.token)).status).toBe(401);
  });

  it('when the user changes the password on A, then B refuses the other sessions at once', async () => {
    const who = await staff();
    const other = await signIn(t.config, who.user, who.org);
    await cachedOnB(other);
    const changed = await send(a, 'post', '/api/v1/auth/password', who.token, {
      currentPassword: TEST_PASSWORD,
      newPassword: 'Another-Strong-Pass-42',
    });
    expect(changed.status).toBe(204);
    expect((await get(b, '/api/v1/auth/me', other.token)).status).toBe(401);
    expect((await get(b, '/api/v1/auth/me', who.token)).status).toBe(200);
  });

  it('when an admin changes the roles on A, then B applies them at the next request and audits the refusal', async () => {
    const who = await staff();
    await cachedOnB(who);
    const user = await get(a, `/api/v1/users/${who.user.id}`, admin.token);
    const changed = await send(
      a,
      'PATCH',
      `/api/v1/users/${who.user.id}`,
      admin.token,
      { roles: ['reviewer'] },
      { 'if-match': user.headers.get('etag')! },
    );
    expect(changed.status).toBe(200);
    // Creating a profile is for federation staff only; reviewers are refused before validation.
    expect((await send(b, 'post', '/api/v1/worker-profiles', who.token, {})).status).toBe(403);
    const denied = await mongoose.connection
      .collection('audit')
      .findOne({ action: 'access.denied', actorUserId: who.user.id });
    expect(denied).toMatchObject({ outcome: 'denied', actorRoles: ['reviewer'] });
  });

  it('when an admin disables the account on A, then B refuses it at the next request', async () => {
    const who = await staff();
    await cachedOnB(who);
    const user = await get(a, `/api/v1/users/${who.user.id}`, admin.token);
    const changed = await send(
      a,
      'PATCH',
      `/api/v1/users/${who.user.id}`,
      admin.token,
      { disabled: true },
      { 'if-match': user.headers.get('etag')! },
    );
    expect(changed.status).toBe(200);
    expect((await get(b, '/api/v1/auth/me', who.token)).status).toBe(401);
  });

  it('when Redis is down, then B reads MongoDB on every request (a disabled account is refused at once)', async () => {
    const who = await staff();
    await cachedOnB(who);
    const etag = (await get(a, `/api/v1/users/${who.user.id}`, admin.token)).headers.get('etag')!;
    await redis.stop();
    try {
      // A cannot publish now: only B's own bypass can refuse the session.
      const changed = await send(
        a,
        'PATCH',
        `/api/v1/users/${who.user.id}`,
        admin.token,
        { disabled: true },
        { 'if-match': etag },
      );
      expect(changed.status).toBe(200);
      expect((await get(b, '/api/v1/auth/me', who.token)).status).toBe(401);
      const renamed = await staff();
      expect((await get(b, '/api/v1/auth/me', renamed.token)).status).toBe(200);
      await mongoose.connection
        .collection('users')
        .updateOne(
          { _id: new mongoose.Types.ObjectId(renamed.user.id) },
          { $set: { displayName: '直接修改' } },
        );
      const me = (await (await get(b, '/api/v1/auth/me', renamed.token)).json()) as {
        user: { displayName: string };
      };
      expect(me.user.displayName).toBe('直接修改');
    } finally {
      await redis.start();
    }
  });

  it('when Redis returns, then B subscribes again: it serves from its cache and hears a sign-out on A', async () => {
    const who = await staff();
    const users = mongoose.connection.collection('users');
    const _id = new mongoose.Types.ObjectId(who.user.id);
    // Cached again once re-subscribed: a change behind the API's back stops showing.
    await waitFor(
      'B serving from its cache again',
      async () => {
        await get(b, '/api/v1/auth/me', who.token);
        const marker = `改名 ${Date.now()}`;
        await users.updateOne({ _id }, { $set: { displayName: marker } });
        const me = (await (await get(b, '/api/v1/auth/me', who.token)).json()) as {
          user: { displayName: string };
        };
        return me.user.displayName !== marker;
      },
      30_000,
      250,
    );
    // A's producer reconnects on its own schedule; a sign-out needs it to publish.
    await waitFor(
      'A publishing again',
      async () => (await fetch(`${a.base}/readyz`)).status === 200,
      30_000,
      250,
    );
    expect((await send(a, 'post', '/api/v1/auth/logout', who.token, {})).status).toBe(204);
    expect((await get(b, '/api/v1/auth/me', who.token)).status).toBe(401);
  }, 60_000);
});
