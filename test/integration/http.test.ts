import { Validator } from '@seriousme/openapi-schema-validator';
import express from 'express';
import helmet from 'helmet';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../fixtures/app.js';
import { waitFor } from '../fixtures/processes.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ RATE_LIMIT_PER_MINUTE: '40' });
});
afterAll(async () => {
  await t?.close();
});

describe('health and readiness', () => {
  it('when the process runs, then /healthz answers 200', async () => {
    const res = await request(t.app).get('/healthz').expect(200);
    expect(res.body.status).toBe('ok');
  });

  it('when MongoDB, Redis and search answer, then /readyz is 200 listing each as up', async () => {
    const res = await request(t.app).get('/readyz').expect(200);
    expect(res.body.status).toBe('ready');
    expect(res.body.checks.mongodb.status).toBe('up');
    expect(res.body.checks.redis.status).toBe('up');
    expect(res.body.checks.search.status).toBe('up');
    expect(res.body.down).toEqual([]);
  });
});

describe('problem+json errors', () => {
  it('when the JSON body is malformed, then 400 problem+json with a code and the request id', async () => {
    const res = await request(t.app)
      .post('/api/v1/anything')
      .set('content-type', 'application/json')
      .set('x-request-id', 'req-malformed-1')
      .send('{bad')
      .expect(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.headers['x-request-id']).toBe('req-malformed-1');
    expect(res.body).toMatchObject({ status: 400, code: 'malformed_json', requestId: 'req-malformed-1' });
    expect(res.body.title).toBe('请求体不是有效的 JSON');
    expect(JSON.stringify(res.body)).not.toMatch(/at .*\.js:\d+/); // no stack trace
  });

  it('when a JSON body carries a NUL character or an unpaired surrogate, then 400 naming the fields, never a 500 from the store', async () => {
    const res = await request(t.app)
      .post('/api/v1/auth/login')
      .set('content-type', 'application/json')
      .send('{"username":"a\\u0000b","password":"x","extra":["ok","\\ud940"]}')
      .expect(400);
    expect(res.body).toMatchObject({ code: 'validation_failed' });
    expect(res.body.issues.map((i: { path: string }) => i.path)).toEqual(['username', 'extra.1']);
  });

  it('when a JSON body nests 4,000 or 33 levels, then 400 json_too_deep naming the limit before authentication, with no stack trace logged; 32 levels pass', async () => {
    const nested = (levels: number) => `${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}`;
    const send = (path: string, body: string) =>
      request(t.app).post(path).set('content-type', 'application/json').send(body);
    for (const [path, body] of [
      ['/api/v1/auth/login', nested(4000)],
      ['/api/v1/organizations', `${'['.repeat(4000)}${']'.repeat(4000)}`],
      ['/api/v1/auth/login', nested(33)],
    ] as const) {
      const res = await send(path, body);
      expect(res.status, `${path} ${body.length}`).toBe(400);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body).toMatchObject({ code: 'json_too_deep', maxDepth: 32 });
      expect(res.body.detail).toContain('32');
    }
    // Deep enough for the limit, not beyond it: the request goes on (here to "no such endpoint").
    const ok = await send('/api/v1/no-such-endpoint', nested(32));
    expect(ok.body.code).toBe('route_not_found');
    const log = t.logs.lines.join('\n');
    expect(log).not.toContain('Maximum call stack');
    expect(log).not.toContain('unhandled error');
    expect(log).not.toMatch(/"stack"/);
  });

  it('when the client prefers English, then the title is English', async () => {
    const res = await request(t.app)
      .get('/api/v1/nowhere')
      .set('accept-language', 'en-GB,en;q=0.9')
      .expect(404);
    expect(res.body).toMatchObject({ code: 'route_not_found', title: 'No such endpoint' });
  });

  it('when no request id is sent, then one is generated and echoed', async () => {
    const res = await request(t.app).get('/nowhere').expect(404);
    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.body.requestId).toBe(res.headers['x-request-id']);
  });

  it('when a request id is not sane, then it is replaced', async () => {
    const res = await request(t.app)
      .get('/nowhere')
      .set('x-request-id', 'a b <script>;'.repeat(20))
      .expect(404);
    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('when the body exceeds the limit, then 413 problem+json', async () => {
    const big = JSON.stringify({ x: 'a'.repeat(1_100_000) });
    const res = await request(t.app)
      .post('/api/v1/anything')
      .set('content-type', 'application/json')
      .send(big);
    expect(res.status).toBe(413);
    expect(res.body.code).toBe('payload_too_large');
  });

  it('when a guarded route is called without a session, then 401', async () => {
    const res = await request(t.app).get('/metrics').expect(401);
    expect(res.body.code).toBe('unauthenticated');
  });

  it('when an API request is served, then one access-log line names its method, path without the query, status and duration', async () => {
    await request(t.app).get('/api/v1/log-probe?q=secret-term').set('x-request-id', 'req-access-log');
    const lines = await waitFor('the access-log line', () => {
      const found = t.logs.lines.filter((l) => l.includes('req-access-log') && l.includes('"request"'));
      return found.length > 0 ? found : undefined;
    });
    expect(lines).toHaveLength(1);
    const line = JSON.parse(lines[0]!);
    expect(line).toMatchObject({
      requestId: 'req-access-log',
      method: 'GET',
      path: '/api/v1/log-probe',
      status: 404,
      msg: 'request',
    });
    expect(line.ms).toBeTypeOf('number');
    expect(line.ms).toBeGreaterThanOrEqual(0);
    expect(lines[0]).not.toContain('secret-term');
  });

  it('when /healthz is probed, then no access-log line is written', async () => {
    await request(t.app).get('/healthz').set('x-request-id', 'req-probe-quiet').expect(200);
    await request(t.app).get('/api/v1/log-probe').set('x-request-id', 'req-after-probe');
    await waitFor('the next request logged', () => t.logs.lines.some((l) => l.includes('req-after-probe')));
    expect(t.logs.lines.filter((l) => l.includes('req-probe-quiet'))).toEqual([]);
  });

  it('when a request is served, then log lines carry its request id', async () => {
    await request(t.app).get('/api/v1/log-probe').set('x-request-id', 'req-log-probe');
    const lines = t.logs.lines.filter((l) => l.includes('req-log-probe'));
    expect(lines.length).toBeGreaterThan(0);
  });
});

describe('security headers', () => {
  it('when any response is sent, then helmet headers are present and x-powered-by is not', async () => {
    const res = await request(t.app).get('/healthz');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-security-policy']).toBeDefined();
    expect(res.headers['x-powered-by']).toBeUndefined();
  });

  it("when a probe, a problem or a refused body is answered, then every header of helmet's defaults is there with helmet's value", async () => {
    expect.hasAssertions();
    // What helmet's defaults add to a bare Express response, asked of helmet itself.
    const answer = (a: express.Express) => {
      a.disable('x-powered-by');
      a.get('/x', (_req, res) => {
        res.json({});
      });
      return request(a).get('/x');
    };
    const plain = await answer(express());
    const withHelmet = express();
    withHelmet.use(helmet());
    const helmeted = await answer(withHelmet);
    const expected = Object.fromEntries(
      Object.entries(helmeted.headers).filter(([name]) => !(name in plain.headers)),
    );
    expect(Object.keys(expected).length).toBeGreaterThan(10);
    const responses = [
      await request(t.app).get('/healthz').expect(200),
      await request(t.app).get('/api/v1/no-such-route').expect(404),
      await request(t.app).post('/api/v1/anything').set('content-type', 'application/json').send('{'),
    ];
    for (const res of responses) {
      expect(res.headers).toMatchObject(expected);
      expect(res.headers['x-powered-by']).toBeUndefined();
    }
  });
});

describe('OpenAPI', () => {
  it('when /openapi.json is fetched, then it is a valid OpenAPI 3.1 document listing the routes', async () => {
    const res = await request(t.app).get('/openapi.json').expect(200);
    expect(res.body.openapi).toBe('3.1.0');
    const validator = new Validator();
    const result = await validator.validate(res.body);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(Object.keys(res.body.paths)).toEqual(expect.arrayContaining(['/healthz', '/readyz', '/metrics']));
  });

  it('when /docs is fetched, then an HTML page loads its script from the same origin', async () => {
    const page = await request(t.app).get('/docs').expect(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    expect(page.text).toContain('/docs/app.js');
    await request(t.app)
      .get('/docs/app.js')
      .expect(200)
      .expect('content-type', /javascript/);
  });
});

describe('rate limiting', () => {
  it('when a client exceeds the per-minute limit, then 429 problem+json with Retry-After, before its body is parsed', async () => {
    let last: request.Response | undefined;
    for (let i = 0; i < 45; i++) {
      last = await request(t.app).get('/api/v1/rate-probe');
      if (last.status === 429) break;
    }
    expect(last?.status).toBe(429);
    expect(last?.body.code).toBe('rate_limited');
    expect(Number(last?.headers['retry-after'])).toBeGreaterThan(0);
    // Over the limit, a body is not even parsed: a deep or broken one is refused as rate limited.
    for (const body of [`${'['.repeat(4000)}${']'.repeat(4000)}`, '{bad']) {
      const res = await request(t.app)
        .post('/api/v1/auth/login')
        .set('content-type', 'application/json')
        .send(body);
      expect(res.status).toBe(429);
      expect(res.body.code).toBe('rate_limited');
    }
  });
});
