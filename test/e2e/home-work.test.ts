/// <reference lib="dom" />
// Callbacks given to page.evaluate run in the browser: they see the DOM, not Node.
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { regionPath } from '../../src/lib/auth/scope.js';
import { insertDeliveries, updateDelivery } from '../../src/modules/notifications/deliveries.repository.js';
import { newObjectId } from '../../src/modules/notifications/webhooks.repository.js';
import { makeMatch } from '../fixtures/matches.js';
import { openingBody } from '../fixtures/openings.js';
import { profileBody } from '../fixtures/worker-profiles.js';
import {
  e2e,
  expectAccessible,
  makeAccount,
  scenarioBrowser,
  screenshot,
  shows,
  signInThroughUi,
} from './support.js';

const browser = scenarioBrowser();

// 台州 (supporting) pairs with 峨边 (511132); no other browser scenario uses these federations, so
// each count below comes from this file's data (the matching jobs cannot add suggestions: the
// people want to work in 佛山, not 台州).
const ORIGIN = '511132';
const CITY = '331000';

type Account = Awaited<ReturnType<typeof makeAccount>>;

async function tokenOf(account: Account): Promise<string> {
  const res = await fetch(`${e2e().baseUrl}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username: account.username, password: account.password }),
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { token: string }).token;
}

async function apiCall(token: string, url: string, data: unknown = {}) {
  const res = await fetch(`${e2e().baseUrl}${url}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(data),
  });
  const body = (await res.json()) as Record<string, unknown>;
  expect(res.status, `POST ${url}: ${JSON.stringify(body)}`).toBeLessThan(300);
  return body;
}

/** Signs in through the form and returns the start page's to-do item `code` (waits for it). */
async function homeItem(account: Account, code: string): Promise<{ page: Page; text: string; href: string }> {
  const { page } = await browser.page();
  await signInThroughUi(page, account.username, account.password);
  const todo = page.getByRole('region', { name: '今天要做的事' });
  const item = todo.locator(`li[data-code="${code}"]`);
  await item.waitFor();
  const link = item.getByRole('link');
  return { page, text: (await link.textContent()) ?? '', href: (await link.getAttribute('href')) ?? '' };
}

/** The count in an item's text ("待审核的匹配建议：2 条" → 2). */
const countIn = (text: string) => Number(/：(\d+)/.exec(text)?.[1] ?? Number.NaN);

describe('each role lands on work: the start page lists what needs doing today', () => {
  let staff: Account;
  let reviewer: Account;
  let employer: Account;
  let admin: Account;

  beforeAll(async () => {
    staff = await makeAccount('federation_staff', ORIGIN);
    reviewer = await makeAccount('reviewer', CITY);
    employer = await makeAccount('employer', CITY);
    admin = await makeAccount('admin');
    const [staffToken, reviewerToken, employerToken] = await Promise.all([
      tokenOf(staff),
      tokenOf(reviewer),
      tokenOf(employer),
    ]);

    const opening = await apiCall(
      employerToken,
      '/api/v1/openings',
      openingBody({ title: `包装工（首页）${Date.now().toString(36)}`, regionCode: CITY, headcount: 2 }),
    );
    await apiCall(employerToken, `/api/v1/openings/${opening.id}/open`);
    const target = { id: opening.id as string, employerId: employer.org.id, regionPath: regionPath(CITY) };

    const person = async (over: Record<string, unknown> = {}) =>
      (await apiCall(staffToken, '/api/v1/worker-profiles', profileBody(ORIGIN, over))).id as string;
    const proposed: string[] = [];
    for (let k = 0; k < 3; k++) {
      const id = await person();
      const m = await makeMatch({ id, originCode: ORIGIN } as never, target as never, {
        suggestedAt: new Date(Date.now() - (k + 1) * 86_400_000),
      });
      if (k === 2) continue; // one stays in the queue
      await apiCall(reviewerToken, `/api/v1/matches/${m.id}/approve`);
      await apiCall(staffToken, `/api/v1/worker-profiles/${id}/consents`, {
        purpose: 'share_with_employer',
        textVersion: 'share-2024.1',
        channel: 'paper_form',
        employerId: employer.org.id,
        openingId: target.id,
        dataCategories: ['identity', 'contact', 'skills_training'],
      });
      await apiCall(reviewerToken, `/api/v1/matches/${m.id}/propose`);
      proposed.push(m.id);
    }
    await person({ processingConsent: undefined }); // no consent to process: one to record
    // One is hired in January: its follow-up visits are overdue, and the opening has one place left.
    await apiCall(employerToken, `/api/v1/matches/${proposed[1]}/interested`);
    await apiCall(employerToken, `/api/v1/matches/${proposed[1]}/hire`, {
      contractStart: '2026-01-05',
      contractEnd: '2027-01-04',
      monthlyWage: 4300,
      socialInsurance: true,
    });

    const [d] = await insertDeliveries(
      [
        {
          id: newObjectId(),
          key: `home/${newObjectId()}`,
          channel: 'webhook',
          type: 'system.test',
          data: {},
          organizationId: employer.org.id,
          notificationId: null,
          userId: null,
          webhookId: newObjectId(),
        },
      ],
      new Date(),
    );
    await updateDelivery(d!.id, { state: 'failed', lastError: 'http status 410' });
  }, 120_000);

  it('when a reviewer signs in, then the suggestions waiting are counted and link to the queue, oldest first', async () => {
    const { page, text, href } = await homeItem(reviewer, 'review_waiting');
    // At least this file's one; the matching jobs may add suggestions of other files' people in
    // this partnership (the people's wishes are scored, not required).
    const waiting = countIn(text);
    expect(waiting).toBeGreaterThanOrEqual(1);
    expect(href).toBe('/review?sort=suggestedAt');
    await expectAccessible(page, 'reviewer home');
    await screenshot(page, 'home-reviewer');
    await page.getByRole('link', { name: text }).click();
    await page.waitForURL(/\/review\?sort=suggestedAt$/);
    await page.locator('.review-list ol > li').first().waitFor();
    expect(await page.locator('.review-list ol > li').count()).toBe(waiting);
  });

  it('when federation staff sign in, then overdue follow-ups and people without a processing consent are counted and link to their lists', async () => {
    const { page, text, href } = await homeItem(staff, 'follow_ups_overdue');
    expect(countIn(text)).toBeGreaterThan(0);
    expect(href).toBe('/follow-ups');
    await expectAccessible(page, 'federation home with work');
    await page.getByRole('link', { name: text }).click();
    await page.getByRole('heading', { level: 1, name: '跟踪回访' }).waitFor();
    await shows(page.getByRole('main'), '包装工（首页）');

    await page.goto('/');
    const consents = page.locator('li[data-code="consents_to_record"]').getByRole('link');
    expect(countIn((await consents.textContent()) ?? '')).toBe(1);
    expect(await consents.getAttribute('href')).toBe('/profiles?consent=missing');
    await consents.click();
    await page.getByRole('heading', { level: 1, name: '待补录处理同意的人员' }).waitFor();
    await page.locator('main tbody tr').first().waitFor();
    expect(await page.locator('main tbody tr').count()).toBe(1);
    await expectAccessible(page, 'people without a processing consent');
  });

  it('when an employer signs in, then the proposal awaiting its answer and the opening about to fill are counted', async () => {
    const { page, text, href } = await homeItem(employer, 'proposals_awaiting');
    expect(countIn(text)).toBe(1);
    expect(href).toBe('/proposals?status=proposed');
    const filling = page.locator('li[data-code="openings_nearly_filled"]');
    expect(countIn((await filling.textContent()) ?? '')).toBe(1);
    await expectAccessible(page, 'employer home');
    await page.getByRole('link', { name: text }).click();
    await shows(page.getByRole('main'), '只显示等待您答复的人选');
    await page.locator('main section[aria-labelledby^="proposal-"]').first().waitFor();
    expect(await page.locator('main section[aria-labelledby^="proposal-"]').count()).toBe(1);
  });

  it('when an admin signs in, then the failed deliveries are counted and link to the queue dashboard page', async () => {
    const { page, text, href } = await homeItem(admin, 'deliveries_failed');
    expect(countIn(text)).toBeGreaterThan(0);
    expect(href).toBe('/admin/queue-dashboard');
    await expectAccessible(page, 'admin home');
  });
});
