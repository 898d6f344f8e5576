/// <reference lib="dom" />
import { type ChildProcess, spawn } from 'node:child_process';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../scripts/lib/demo/seed-accounts.js';
import { uniqueName, withDatabase } from '../fixtures/app.js';
import { childEnv, freePort, stopChild, waitFor } from '../fixtures/processes.js';
import { expectAccessible, launchBrowser, shows, signInThroughUi } from './support.js';

/**
 * Issue 18's acceptance: `npm run up`'s demo, loaded the way up.sh loads it (the reference seed with
 * the demo accounts, then API and worker, then the story while the worker computes suggestions) into
 * a database of this file's own, then each demo role signs in: the start page has work with a
 * count, and the pages it leads to have rows. A smaller cast than `npm run up` loads, same code.
 */

const PEOPLE = '120';
const name = uniqueName('demo');
let baseUrl: string;
let env: Record<string, string>;
const children: ChildProcess[] = [];
const output: string[] = [];
let browser: Browser | undefined;

function start(args: string[]): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', ...args], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const keep = (d: Buffer) => output.push(`[${args[0]}] ${d.toString()}`.slice(0, 2000));
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  children.push(child);
  return child;
}

async function run(args: string[]): Promise<void> {
  const child = start(args);
  const code = await new Promise<number | null>((r) => child.once('exit', r));
  if (code !== 0) throw new Error(`${args.join(' ')} exited ${code}:\n${output.slice(-20).join('')}`);
}

beforeAll(async () => {
  const port = await freePort();
  baseUrl = `http://127.0.0.1:${port}`;
  env = childEnv({
    REDIS_URL: process.env.REDIS_URL!,
    NODE_ENV: 'test',
    LOG_LEVEL: 'warn',
    HOST: '127.0.0.1',
    PORT: String(port),
    METRICS_PORT: '0',
    MONGODB_URI: withDatabase(process.env.MONGODB_URI!, name),
    QUEUE_PREFIX: name,
    SEARCH_INDEX_PREFIX: name,
    SESSION_SECRET: `demo-session-secret-${name}-0123456789abcdef`,
    RATE_LIMIT_PER_MINUTE: '100000',
    LOGIN_RATE_LIMIT_PER_MINUTE: '100000',
  });
  await run(['scripts/seed.ts', '--demo']);
  const api = start(['src/server.ts']);
  const worker = start(['workers/main.ts']);
  await waitFor(
    'the demo API to be ready',
    async () => {
      if (api.exitCode !== null || worker.exitCode !== null) throw new Error(output.slice(-20).join(''));
      return (await fetch(`${baseUrl}/readyz`).catch(() => undefined))?.ok;
    },
    90_000,
    250,
  );
  await run(['scripts/demo.ts', '--people', PEOPLE]);
  browser = await launchBrowser();
}, 400_000);

afterAll(async () => {
  await browser?.close();
  for (const c of children.reverse()) await stopChild(c);
  // The demo's database and queue keys are this file's own; the shared e2e teardown drops neither.
  const mongoose = (await import('mongoose')).default;
  const conn = await mongoose.createConnection(env.MONGODB_URI!).asPromise();
  await conn.dropDatabase();
  await conn.close();
}, 120_000);

async function signedIn(username: string): Promise<Page> {
  const context = await browser!.newContext({
    baseURL: baseUrl,
    locale: 'zh-CN',
    viewport: { width: 1280, height: 800 },
  });
  context.setDefaultTimeout(20_000);
  const page = await context.newPage();
  await signInThroughUi(page, username, DEMO_PASSWORD);
  return page;
}

/** The start page's to-do items, each with the count its text carries. */
async function todo(page: Page): Promise<{ code: string; count: number }[]> {
  const region = page.getByRole('region', { name: '今天要做的事' });
  await region
    .locator('li[data-code]')
    .first()
    .waitFor()
    .catch(async (err: Error) => {
      throw new Error(`${err.message}\nthe start page said: ${await region.textContent()}`);
    });
  const items = await region
    .locator('li[data-code]')
    .evaluateAll((lis) =>
      lis.map((li) => ({ code: li.getAttribute('data-code') ?? '', text: li.textContent ?? '' })),
    );
  return items.map((i) => ({ code: i.code, count: Number(/(\d+)/.exec(i.text)?.[1] ?? 0) }));
}

/** How many rows (or, where the page lists cards, entries matching `rows`) the page shows. */
async function rowsOn(page: Page, path: string, rows = 'main tbody tr'): Promise<number> {
  await page.goto(path);
  await page.locator(rows).first().waitFor();
  return page.locator(rows).count();
}

describe('the demo `npm run up` loads, signed in as each demo role', () => {
  it('when the reviewer signs in, then suggestions wait on the start page and the review queue has rows', async () => {
    const page = await signedIn('foshan.reviewer');
    const items = await todo(page);
    expect(items.find((i) => i.code === 'review_waiting')?.count).toBeGreaterThan(0);
    await expectAccessible(page, 'demo: reviewer start page');
    expect(await rowsOn(page, '/review?sort=suggestedAt')).toBeGreaterThan(0);
  });

  it('when the federation staff sign in, then follow-ups are due, and the follow-ups and the placement report have rows', async () => {
    const page = await signedIn('liangshan.staff');
    const items = await todo(page);
    const followUps = items.filter((i) => i.code.startsWith('follow_ups_'));
    expect(followUps.reduce((n, i) => n + i.count, 0)).toBeGreaterThan(0);
    expect(await rowsOn(page, '/follow-ups')).toBeGreaterThan(0);
    expect(await rowsOn(page, '/reports/placements')).toBeGreaterThan(0);
  });

  it('when an employer signs in, then proposals await an answer and the proposals page has rows', async () => {
    const page = await signedIn('foshan.employer1');
    const items = await todo(page);
    expect(items.find((i) => i.code === 'proposals_awaiting')?.count).toBeGreaterThan(0);
    const proposals = await rowsOn(page, '/proposals', 'main section[aria-labelledby^="proposal-"]');
    expect(proposals).toBeGreaterThan(0);
  });

  it('when the admin signs in, then work waits on the start page and the fairness report has rows', async () => {
    const page = await signedIn('demo.admin');
    const items = await todo(page);
    expect(items.some((i) => i.count > 0)).toBe(true);
    await page.goto('/reports/fairness');
    const table = page.getByRole('table', { name: /各类别的推荐率与就业率（表格）/ });
    await shows(table, '合计');
    expect(await table.locator('tbody tr').count()).toBeGreaterThan(1);
  });
});
