/// <reference lib="dom" />
// Callbacks given to page.evaluate run in the browser: they see the DOM, not Node.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import mongoose from 'mongoose';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, inject } from 'vitest';
import { launchChromium } from '../../scripts/lib/chromium.js';
import { loadConfig } from '../../src/config.js';
import { connectMongo } from '../../src/lib/db/index.js';
import { createLogger } from '../../src/lib/logger.js';
import { ensureOrganization, type Organization } from '../../src/modules/orgs/orgs.repository.js';
import { makeOrg, makeUser, TEST_PASSWORD } from '../fixtures/accounts.js';

/** Debian's chromium, headless, with the flags this machine's closed network needs. */
export function launchBrowser(): Promise<Browser> {
  return launchChromium();
}

export const e2e = () => inject('e2e');

/** The test process writes its data through the same repositories, into the API's database. */
export async function connectTestData(): Promise<void> {
  if (mongoose.connection.readyState === 1) return;
  await connectMongo(e2e().mongoUri, createLogger('silent'));
}

/** The API process's config, as far as the factories need it (session secret, TTL). */
export function apiConfig() {
  return loadConfig({ NODE_ENV: 'test', SESSION_SECRET: e2e().sessionSecret });
}

export async function newContext(browser: Browser, lang: 'zh-CN' | 'en' = 'zh-CN'): Promise<BrowserContext> {
  return browser.newContext({
    baseURL: e2e().baseUrl,
    locale: lang,
    viewport: { width: 1280, height: 800 },
  });
}

/**
 * The browser of one scenario file, launched before its scenarios (after connecting to the test
 * data) and closed after them with every context it opened. `page()` opens a page in a context of
 * its own (its own cookies and session storage); `signedIn()` one already signed in as a new user.
 */
export function scenarioBrowser(defaultTimeout = 20_000) {
  let browser: Browser | undefined;
  const contexts: BrowserContext[] = [];
  beforeAll(async () => {
    await connectTestData();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
  });
  const page = async (lang: 'zh-CN' | 'en' = 'zh-CN'): Promise<{ context: BrowserContext; page: Page }> => {
    if (!browser) throw new Error('scenarioBrowser: a page was asked for before the browser started');
    const context = await newContext(browser, lang);
    context.setDefaultTimeout(defaultTimeout);
    contexts.push(context);
    return { context, page: await context.newPage() };
  };
  const signedIn = async (role: Parameters<typeof makeAccount>[0], region?: string) => {
    const opened = await page();
    const account = await makeAccount(role, region);
    await signInThroughUi(opened.page, account.username, account.password);
    return { ...opened, account };
  };
  return { page, signedIn };
}

/** The documented API with the page's own session (setting data up faster than through forms). */
export async function apiAs(
  page: Page,
  method: 'GET' | 'POST' | 'PATCH',
  url: string,
  data?: unknown,
  headers: Record<string, string> = {},
): Promise<Record<string, unknown>> {
  const token = await page.evaluate(() => sessionStorage.getItem('tx.session'));
  const res = await page.request.fetch(url, {
    method,
    headers: { Authorization: `Bearer ${token}`, ...headers },
    ...(data === undefined ? {} : { data }),
  });
  expect(res.status(), `${method} ${url}: ${await res.text()}`).toBeLessThan(300);
  return res.json() as Promise<Record<string, unknown>>;
}

/**
 * A user of a new organisation of the kind that role belongs to, with the test password. A
 * federation's jurisdiction is unique: give each federation account of a run its own region.
 */
export async function makeAccount(
  role: 'admin' | 'federation_staff' | 'reviewer' | 'employer',
  region?: string,
): Promise<{ id: string; username: string; password: string; org: Organization }> {
  const type =
    role === 'admin'
      ? 'platform'
      : role === 'federation_staff'
        ? 'recipient_federation'
        : role === 'reviewer'
          ? 'supporting_federation'
          : 'employer';
  // There is one platform organisation (its key is unique), shared by every admin of the run.
  const org =
    type === 'platform'
      ? (await ensureOrganization({ type: 'platform', name: '同心平台（测试）' })).org
      : await makeOrg(type, region ?? (type === 'recipient_federation' ? '513400' : '440600'));
  const user = await makeUser(org, [role]);
  return { id: user.id, username: user.username, password: TEST_PASSWORD, org };
}

export async function signInThroughUi(page: Page, username: string, password: string): Promise<void> {
  await page.goto('/');
  await page.waitForURL(/\/sign-in/);
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码').fill(password);
  await page.getByRole('button', { name: '登录' }).click();
  await page.getByRole('navigation', { name: '主导航' }).waitFor();
}

/**
 * Runs axe (WCAG 2.0/2.1 A and AA rules) on the page as it is now and fails on any serious or
 * critical violation, naming the rule and the elements. Called on every page a scenario visits.
 */
export async function expectAccessible(page: Page, label: string): Promise<void> {
  await page.locator('h1').first().waitFor();
  const result = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze();
  const bad = result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  expect(bad.join('\n'), `axe on ${label} (${page.url()})`).toBe('');
}

const SHOTS = path.resolve('artifacts/screenshots');

/** A screenshot of the page as users see it, kept as a test artefact (git-ignored). */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SHOTS, { recursive: true });
  const file = path.join(SHOTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/**
 * Waits until `locator` shows `text` (playwright-core has no `expect`; waiting on a filtered
 * locator keeps Playwright's auto-waiting). Fails with the locator's description on timeout.
 */
export async function shows(locator: Locator, text: string | RegExp): Promise<void> {
  try {
    await locator.filter({ hasText: text }).first().waitFor();
  } catch (err) {
    // What the page announced instead (a refusal, another message) is usually why: say it.
    const said = await locator
      .page()
      .locator('[role="alert"], [role="status"]')
      .allTextContents()
      .catch(() => [] as string[]);
    const first = (err as Error).message.split('\n')[0];
    throw new Error(
      `${first}\n  waited for: ${String(text)}\n  the page announces: ${said.join(' | ').slice(0, 600) || '(nothing)'}`,
      { cause: err },
    );
  }
}

export async function isFocused(locator: Locator): Promise<boolean> {
  return locator.evaluate((el) => el === document.activeElement);
}
