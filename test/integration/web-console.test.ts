import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { startTestApp, type TestApp } from '../fixtures/app.js';

/** A stand-in build: what `vite build` writes (index.html + hashed assets). */
function fakeBuild(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'tx-web-'));
  mkdirSync(path.join(dir, 'assets'));
  writeFileSync(
    path.join(dir, 'index.html'),
    '<!doctype html><html lang="zh-CN"><head><script type="module" src="/assets/index-AbC123.js"></script></head><body><div id="root"></div></body></html>',
  );
  writeFileSync(path.join(dir, 'assets', 'index-AbC123.js'), 'console.log("console");');
  return dir;
}

let t: TestApp;

beforeAll(async () => {
  t = await startTestApp({}, { webRoot: fakeBuild() });
});
afterAll(async () => {
  await t.close();
});

describe('the web console served by the API process', () => {
  it('when / is opened, then the console page is served, revalidated on every visit, under the CSP', async () => {
    const res = await request(t.app).get('/').set('Accept', 'text/html').expect(200);
    expect(res.type).toBe('text/html');
    expect(res.text).toContain('<div id="root">');
    expect(res.headers['cache-control']).toBe('no-cache');
    const csp = res.headers['content-security-policy'];
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain("unsafe-inline'; script");
  });

  it('when a client route is reloaded, then the same page is served (SPA fallback)', async () => {
    expect.hasAssertions();
    for (const route of ['/admin/users', '/admin/partnerships/0123456789abcdef01234567', '/sign-in']) {
      const res = await request(t.app)
        .get(route)
        .set('Accept', 'text/html,application/xhtml+xml')
        .expect(200);
      expect(res.text, route).toContain('<div id="root">');
    }
  });

  it('when a hashed asset is fetched, then it is cached for a year as immutable', async () => {
    const res = await request(t.app).get('/assets/index-AbC123.js').expect(200);
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
  });

  it('when an asset or an API path is missing, then it is a 404 problem, not the page', async () => {
    const asset = await request(t.app).get('/assets/missing-123.js').set('Accept', 'text/html').expect(404);
    expect(asset.type).toBe('application/problem+json');
    const api = await request(t.app).get('/api/v1/nothing-here').set('Accept', 'text/html').expect(404);
    expect(api.body.code).toBe('route_not_found');
    const json = await request(t.app).get('/admin/users').set('Accept', 'application/json').expect(404);
    expect(json.type).toBe('application/problem+json');
  });

  it('when the API documents are asked for, then they are still served beside the console', async () => {
    await request(t.app).get('/openapi.json').expect(200);
    await request(t.app).get('/docs').expect(200);
  });

  it('when no console is built, then / leads to the API documentation', async () => {
    const bare = createApp({ ...t.deps, webRoot: null });
    await request(bare).get('/').expect(302).expect('Location', '/docs');
  });
});
