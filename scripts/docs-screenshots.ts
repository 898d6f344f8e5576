/// <reference lib="dom" />
// Callbacks given to page.evaluate run in the browser: they see the DOM, not Node.
/**
 * `npm run docs:screenshots`: regenerates the console screenshots in docs/ (those README.md shows,
 * and a start page per role) from a running instance — normally the demo `npm run up` loaded.
 *
 *   DOCS_BASE_URL        the console, default http://localhost:3000 (loopback only)
 *   DOCS_SEED_JSON       where the demo logins are read, default .local/logs/seed.json (`npm run up`)
 *   DOCS_LOGIN_ADMIN, DOCS_LOGIN_FEDERATION_STAFF, DOCS_LOGIN_REVIEWER, DOCS_LOGIN_EMPLOYER
 *                        `username:password`, instead of the seed file's login for that role
 *   DOCS_SCREENSHOTS_DIR default docs
 *
 * Drives Debian's chromium through playwright-core, as the browser tests do (`bash
 * scripts/browser.sh` installs it). Every request the pages make to another host is refused.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from './lib/chromium.js';

type Role = 'admin' | 'federation_staff' | 'reviewer' | 'employer';
const ROLES: Role[] = ['admin', 'federation_staff', 'reviewer', 'employer'];
/** The demo accounts the README's walk-through uses, when the seed file has them. */
const PREFERRED: Record<Role, string[]> = {
  admin: ['demo.admin'],
  federation_staff: ['liangshan.staff'],
  reviewer: ['foshan.reviewer', 'liangshan.reviewer'],
  employer: [],
};

const base = new URL(process.env.DOCS_BASE_URL ?? 'http://localhost:3000');
const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);
if (!LOOPBACK.has(base.hostname)) {
  console.error(`docs:screenshots: ${base.origin} is not a loopback address; refused`);
  process.exit(2);
}
const outDir = path.resolve(process.env.DOCS_SCREENSHOTS_DIR ?? 'docs');

interface Login {
  username: string;
  password: string;
}

function loginsFor(): Record<Role, Login> {
  const fromEnv = (role: Role): Login | undefined => {
    const v = process.env[`DOCS_LOGIN_${role.toUpperCase()}`];
    if (!v) return undefined;
    const at = v.indexOf(':');
    if (at < 1) throw new Error(`DOCS_LOGIN_${role.toUpperCase()} must be username:password`);
    return { username: v.slice(0, at), password: v.slice(at + 1) };
  };
  let seeded: { role: string; username: string; password: string }[] = [];
  const file = process.env.DOCS_SEED_JSON ?? '.local/logs/seed.json';
  try {
    // The last line is the seed's summary (as scripts/up.sh reads it).
    const last = readFileSync(file, 'utf8').trim().split('\n').pop() ?? '{}';
    seeded = (JSON.parse(last) as { logins?: typeof seeded }).logins ?? [];
  } catch (err) {
    if (ROLES.some((r) => !fromEnv(r)))
      console.error(`docs:screenshots: cannot read the demo logins from ${file} (${(err as Error).message})`);
  }
  const out = {} as Record<Role, Login>;
  for (const role of ROLES) {
    const ofRole = seeded.filter((l) => l.role.split(',').includes(role));
    const chosen =
      fromEnv(role) ??
      PREFERRED[role].map((u) => ofRole.find((l) => l.username === u)).find(Boolean) ??
      ofRole[0];
    if (!chosen)
      throw new Error(`no login for ${role}: run \`npm run up\` or set DOCS_LOGIN_${role.toUpperCase()}`);
    out[role] = { username: chosen.username, password: chosen.password };
  }
  return out;
}

async function newPage(browser: Browser): Promise<Page> {
  const context = await browser.newContext({
    baseURL: base.origin,
    locale: 'zh-CN',
    viewport: { width: 1280, height: 900 },
  });
  // The console is self-contained; anything else (a font, a tracker) is refused, not fetched.
  await context.route('**/*', (route) => {
    const host = new URL(route.request().url()).hostname;
    return LOOPBACK.has(host) || host === '::1' ? route.continue() : route.abort('blockedbyclient');
  });
  context.setDefaultTimeout(30_000);
  return context.newPage();
}

async function signIn(page: Page, login: Login): Promise<void> {
  await page.goto('/');
  await page.waitForURL(/\/sign-in/);
  await page.getByLabel('用户名').fill(login.username);
  await page.getByLabel('密码').fill(login.password);
  await page.getByRole('button', { name: '登录' }).click();
  await page.getByRole('navigation', { name: '主导航' }).waitFor();
}

/** The page settled: its heading shown, no request in flight, no "loading" line left. */
async function settle(page: Page): Promise<void> {
  await page.locator('h1').first().waitFor();
  await page.waitForLoadState('networkidle');
  await page
    .waitForFunction(() =>
      Array.from(document.querySelectorAll('main [role="status"]')).every(
        (e) => !/加载/.test(e.textContent ?? ''),
      ),
    )
    .catch(() => undefined);
}

const written: string[] = [];
async function shoot(page: Page, url: string, name: string): Promise<void> {
  if (url !== page.url().slice(base.origin.length)) await page.goto(url);
  await settle(page);
  const file = path.join(outDir, `${name}.png`);
  // The first screenful, as a reader meets the page (a long form in full would not fit the README).
  await page.screenshot({ path: file });
  written.push(path.relative(process.cwd(), file));
}

/** The `href` of the first link in main matching `selector`, or `fallback`. */
async function firstHref(page: Page, url: string, selector: string, fallback: string): Promise<string> {
  await page.goto(url);
  await settle(page);
  const link = page.locator(`main ${selector}`).first();
  return (await link.count()) ? ((await link.getAttribute('href')) ?? fallback) : fallback;
}

/** The path of one of the start page's to-do items, when it has any. */
async function todoPath(page: Page, code: string): Promise<string | null> {
  const token = await page.evaluate(() => sessionStorage.getItem('tx.session'));
  const res = await page.request.get('/api/v1/work', { headers: { Authorization: `Bearer ${token}` } });
  if (!res.ok()) return null;
  const item = ((await res.json()) as { items: { code: string; count: number; path: string }[] }).items.find(
    (i) => i.code === code && i.count > 0,
  );
  return item?.path ?? null;
}

async function main() {
  const logins = loginsFor();
  mkdirSync(outDir, { recursive: true });
  const browser = await launchChromium();
  try {
    const anonymous = await newPage(browser);
    await shoot(anonymous, '/', 'console-sign-in');

    const pages = {} as Record<Role, Page>;
    for (const role of ROLES) {
      pages[role] = await newPage(browser);
      await signIn(pages[role], logins[role]);
      await shoot(pages[role], '/', `console-home-${role.replace('_', '-')}`);
    }

    const admin = pages.admin;
    await shoot(admin, '/admin/organizations', 'console-organizations');

    const staff = pages.federation_staff;
    await shoot(staff, '/profiles', 'console-profiles');
    await shoot(staff, '/profiles/new', 'console-profile-register');
    await shoot(staff, (await todoPath(staff, 'imports_attention')) ?? '/profiles/import', 'console-import');
    await shoot(staff, '/reports', 'console-reports');
    await shoot(staff, '/reports/placements', 'console-placement-reports');
    await shoot(staff, '/reports/fairness', 'console-fairness');
    await shoot(staff, '/follow-ups', 'console-follow-ups');
    await shoot(staff, '/transfer-batches', 'console-transfer-batches');
    const batch = await firstHref(
      staff,
      '/transfer-batches',
      'a[href^="/transfer-batches/"]:not([href$="/new"])',
      '',
    );
    if (batch) await shoot(staff, batch, 'console-transfer-batch');
    else
      console.error('docs:screenshots: no transfer batch to show; console-transfer-batch.png left as it was');

    await shoot(pages.reviewer, '/review', 'console-review-queue');

    const employer = pages.employer;
    await shoot(employer, '/proposals', 'console-proposals');
    const edit = await firstHref(employer, '/openings', 'a[href$="/edit"]', '/openings/new');
    await shoot(employer, edit, 'console-opening-form');
  } finally {
    await browser.close();
  }
  console.log(JSON.stringify({ baseUrl: base.origin, written }, null, 2));
}

await main();
