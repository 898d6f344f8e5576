/// <reference lib="dom" />
// Callbacks given to page.evaluate run in the browser: they see the DOM, not Node.
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeIdentity } from '../fixtures/identity.js';
import { openingBody } from '../fixtures/openings.js';
import { profileBody } from '../fixtures/worker-profiles.js';
import {
  e2e,
  expectAccessible,
  isFocused,
  makeAccount,
  scenarioBrowser,
  screenshot,
  shows,
  signInThroughUi,
} from './support.js';

const browser = scenarioBrowser();

/** A session through the documented sign-in (accounts that only set data up need no browser). */
async function tokenOf(role: 'federation_staff' | 'employer', region: string): Promise<string> {
  const account = await makeAccount(role, region);
  const res = await fetch(`${e2e().baseUrl}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username: account.username, password: account.password }),
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { token: string }).token;
}

async function apiCall(token: string, method: 'GET' | 'POST', url: string, data?: unknown) {
  const res = await fetch(`${e2e().baseUrl}${url}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    ...(data === undefined ? {} : { body: JSON.stringify(data) }),
  });
  const body = (await res.json()) as Record<string, unknown>;
  expect(res.status, `${method} ${url}: ${JSON.stringify(body)}`).toBeLessThan(300);
  return body;
}

const items = (page: Page) => page.locator('.review-list ol > li');
const ABA = 17;
const MABIAN = 3;
const OPENINGS = 4;

// 绍兴 (supporting) pairs with 阿坝 (513200) and 马边 (511133); no other browser scenario uses these
// federations, so this reviewer's queue holds this file's suggestions (and whatever the matching
// jobs add for these people, which the assertions allow for).
describe('a reviewer narrows the queue with filters and pages beyond the first 50', () => {
  let reviewer: Page;
  let reviewerToken: string;

  beforeAll(async () => {
    ({ page: reviewer } = await browser.page());
    const account = await makeAccount('reviewer', '330600');
    await signInThroughUi(reviewer, account.username, account.password);
    reviewerToken = (await reviewer.evaluate(() => sessionStorage.getItem('tx.session')))!;

    const employer = await tokenOf('employer', '330600');
    // Only each opening's top 20 is stored: 20 people and four openings make 80 suggestions, every
    // person among each opening's top 20 (so the 3 of 马边 are always there).
    for (let k = 0; k < OPENINGS; k++) {
      const opening = await apiCall(
        employer,
        'POST',
        '/api/v1/openings',
        openingBody({ title: `包装工 ${k + 1}（分页）${Date.now().toString(36)}`, regionCode: '330600' }),
      );
      await apiCall(employer, 'POST', `/api/v1/openings/${opening.id}/open`);
    }
    const people: { origin: string; token: string; n: number }[] = [
      { origin: '513228', token: await tokenOf('federation_staff', '513200'), n: ABA },
      { origin: '511133', token: await tokenOf('federation_staff', '511133'), n: MABIAN },
    ];
    for (const { origin, token, n } of people)
      for (let i = 0; i < n; i++)
        await apiCall(
          token,
          'POST',
          '/api/v1/worker-profiles',
          profileBody(
            origin,
            {
              preferences: {
                destinationCodes: ['330600'],
                // Different wage expectations give different scores, so a minimum score can narrow.
                minimumWage: [3000, 4200, 5200][i % 3],
                jobTypes: ['6'],
                needsDormitory: true,
                needsAccessibleDormitory: false,
                willingToTravelWithGroup: true,
              },
            },
            makeIdentity({ addressCode: origin }),
          ),
        );
    // The matching jobs (the worker process) suggest the people for the openings, as in production.
    const deadline = Date.now() + 120_000;
    for (;;) {
      const page = await apiCall(reviewerToken, 'GET', '/api/v1/review/queue?limit=1&prefecture=511100');
      const all = await apiCall(reviewerToken, 'GET', '/api/v1/review/queue?limit=1');
      if (Number(all.total) > 60 && Number(page.total) >= MABIAN) break;
      if (Date.now() > deadline)
        throw new Error(`only ${all.total} suggestions from the matching jobs within 120 s`);
      await new Promise((r) => setTimeout(r, 1000));
    }
  });

  it('when the queue holds more than 50, then "more" appends the next page and the shortcuts carry on', async () => {
    await reviewer
      .getByRole('navigation', { name: '主导航' })
      .getByRole('link', { name: '待审核匹配' })
      .click();
    await reviewer.getByRole('heading', { level: 1, name: '待审核匹配' }).waitFor();
    const all = await apiCall(reviewerToken, 'GET', '/api/v1/review/queue?limit=1');
    const total = Number(all.total);
    expect(total).toBeGreaterThan(60);
    await shows(reviewer.locator('main'), `已显示 50 条，共 ${total} 条`);
    await expect.poll(() => items(reviewer).count(), { timeout: 10_000 }).toBe(50);
    await expectAccessible(reviewer, 'review queue, first page');

    await reviewer.getByRole('button', { name: '再加载 50 条' }).click();
    const second = Math.min(total, 100) - 50;
    await shows(reviewer.getByRole('status'), `已加载另外 ${second} 条建议`);
    await expect.poll(() => items(reviewer).count(), { timeout: 10_000 }).toBe(50 + second);
    await shows(reviewer.locator('main'), `已显示 ${50 + second} 条，共 ${total} 条`);
    // The first new suggestion has the focus; j moves on and a approves, as on the first page.
    const first = items(reviewer).nth(50).getByRole('button').first();
    await expect.poll(() => isFocused(first), { timeout: 10_000 }).toBe(true);
    await reviewer.keyboard.press('j');
    const next = items(reviewer).nth(51).getByRole('button').first();
    await expect.poll(() => next.getAttribute('aria-pressed'), { timeout: 10_000 }).toBe('true');
    await reviewer.keyboard.press('a');
    await shows(reviewer.getByRole('status'), '已审核通过');
    await shows(items(reviewer).nth(51), '审核通过');
    await expectAccessible(reviewer, 'review queue, second page');
    await screenshot(reviewer, 'review-queue-more');
  });

  it('when the reviewer filters by origin, score and waiting time, then the list narrows and a reload keeps the filters', async () => {
    const all = Number((await apiCall(reviewerToken, 'GET', '/api/v1/review/queue?limit=1')).total);
    await reviewer.getByLabel('本人来源地（市州）').selectOption('511100');
    await reviewer.getByRole('button', { name: '筛选', exact: true }).click();
    await reviewer.waitForURL(/prefecture=511100/);
    const leshan = Number(
      (await apiCall(reviewerToken, 'GET', '/api/v1/review/queue?limit=1&prefecture=511100')).total,
    );
    expect(leshan).toBeGreaterThanOrEqual(MABIAN);
    expect(leshan).toBeLessThan(all);
    await shows(reviewer.locator('main'), `共 ${leshan} 条`);
    await expect.poll(() => items(reviewer).count(), { timeout: 10_000 }).toBe(Math.min(leshan, 50));
    await expectAccessible(reviewer, 'review queue, filtered by origin');

    await reviewer.reload();
    await reviewer.getByRole('heading', { level: 1, name: '待审核匹配' }).waitFor();
    await shows(reviewer.locator('main'), `共 ${leshan} 条`);
    await expect
      .poll(() => reviewer.getByLabel('本人来源地（市州）').inputValue(), { timeout: 10_000 })
      .toBe('511100');

    // The best score there is: the scores are the matching engine's own, some lower than others.
    const best = (await apiCall(reviewerToken, 'GET', '/api/v1/review/queue?limit=1')).items as {
      score: number;
    }[];
    const threshold = best[0]!.score;
    await reviewer.getByLabel('本人来源地（市州）').selectOption('');
    await reviewer.getByLabel('匹配分不低于').fill(String(threshold));
    await reviewer.getByLabel('排序').selectOption({ label: '等待最久的在前' });
    await reviewer.getByRole('button', { name: '筛选', exact: true }).click();
    await reviewer.waitForURL((url) => url.searchParams.get('scoreMin') === String(threshold));
    expect(reviewer.url()).toMatch(/sort=suggestedAt/);
    expect(reviewer.url()).not.toMatch(/prefecture=/);
    const high = await apiCall(
      reviewerToken,
      'GET',
      `/api/v1/review/queue?limit=50&scoreMin=${threshold}&sort=suggestedAt`,
    );
    expect(Number(high.total)).toBeGreaterThan(0);
    expect(Number(high.total)).toBeLessThan(all);
    await shows(reviewer.locator('main'), `共 ${high.total} 条`);
    const scores = (
      await items(reviewer)
        .locator('button.list-choice')
        .evaluateAll((els) => els.map((e) => e.textContent ?? ''))
    ).map((text) => Number(/(\d+(?:\.\d+)?) 分/.exec(text)?.[1]));
    expect(scores.length).toBe((high.items as unknown[]).length);
    for (const x of scores) expect(x).toBeGreaterThanOrEqual(threshold);
    await expectAccessible(reviewer, 'review queue, filtered by score');

    // Every suggestion here is new: none has waited a day yet.
    await reviewer.getByLabel('已等待天数不少于').fill('1');
    await reviewer.getByRole('button', { name: '筛选', exact: true }).click();
    await reviewer.waitForURL(/waitingDays=1/);
    await shows(reviewer.locator('main'), '没有符合筛选条件的建议');
    await expectAccessible(reviewer, 'review queue, nothing matches');

    await reviewer.getByRole('link', { name: '清除筛选' }).click();
    await shows(reviewer.locator('main'), `共 ${all} 条`);
  });
});
