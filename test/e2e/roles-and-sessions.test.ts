/// <reference lib="dom" />
// Callbacks given to page.evaluate run in the browser: they see the DOM, not Node.
import mongoose from 'mongoose';

import { describe, expect, it } from 'vitest';
import {
  expectAccessible,
  makeAccount,
  scenarioBrowser,
  screenshot,
  shows,
  signInThroughUi,
} from './support.js';

const browser = scenarioBrowser(15_000);

/** Ends every session of a user in the database, as if their time had run out. */
async function expireSessionsOf(userId: string): Promise<void> {
  await mongoose.connection
    .collection('sessions')
    .updateMany(
      { userId: new mongoose.Types.ObjectId(userId) },
      { $set: { expiresAt: new Date(Date.now() - 60_000) } },
    );
}

describe('a federation user at the console', () => {
  it('when federation staff sign in, then they see their organisation and only the pages their role has', async () => {
    const { context, page } = await browser.page();
    // A county federation (丹巴县): a jurisdiction has one federation, and the other scenarios of
    // the run hold 凉山 and 甘孜 prefecture-wide.
    const staff = await makeAccount('federation_staff', '513323');
    await signInThroughUi(page, staff.username, staff.password);
    await shows(page.locator('header'), staff.org.name);
    await shows(page.locator('header'), '残联工作人员');
    const links = await page.getByRole('navigation', { name: '主导航' }).getByRole('link').allTextContents();
    expect(links).toEqual([
      '首页',
      '人员查询',
      '登记人员',
      '批量导入',
      '岗位查询',
      '跟踪回访',
      '组团输送',
      '统计报表',
      '安置就业报表',
      '公平性报表',
    ]);
    await shows(page.getByRole('main'), '您可以使用以下功能');
    await expectAccessible(page, 'federation home');
    await screenshot(page, 'federation-home');

    // An admin address typed by hand: the page is not there for this role (and the API says 403).
    await page.goto('/admin/users');
    await page.getByRole('heading', { level: 1, name: '页面不存在' }).waitFor();
    await expectAccessible(page, 'not found');
    const token = await page.evaluate(() => sessionStorage.getItem('tx.session'));
    const res = await page.request.get('/api/v1/users', { headers: { Authorization: `Bearer ${token}` } });
    expect(res.status()).toBe(403);

    // Nor can they enter the queue dashboard.
    const ticket = await page.request.post('/api/v1/system/queue-dashboard/tickets', {
      headers: { Authorization: `Bearer ${token}` },
    });
    expect(ticket.status()).toBe(403);
    await context.close();
  });

  it('when the language is switched, then the console speaks English and remembers it', async () => {
    const { context, page } = await browser.page();
    const staff = await makeAccount('federation_staff', '511100');
    await signInThroughUi(page, staff.username, staff.password);
    await page.getByRole('button', { name: 'Switch to English' }).click();
    await page
      .getByRole('navigation', { name: 'Main navigation' })
      .getByRole('link', { name: 'Start' })
      .waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');
    await shows(page.locator('header'), 'Federation staff');
    await expectAccessible(page, 'federation home in English');
    await screenshot(page, 'federation-home-en');
    await page.reload();
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    await context.close();
  });
});

describe('sessions', () => {
  it('when the session expires, then the next call returns to sign-in with a message, and signing in again returns to the page', async () => {
    const { context, page } = await browser.page();
    const admin = await makeAccount('admin');
    await signInThroughUi(page, admin.username, admin.password);
    await page
      .getByRole('navigation', { name: '主导航' })
      .getByRole('link', { name: '用户', exact: true })
      .click();
    await page.getByRole('table').waitFor();
    await expireSessionsOf(admin.id);
    // Edited in the database, not expired by the clock: the API keeps a resolved session for
    // SESSION_CACHE_TTL_MS (5 s by default) and hears of no event here, so wait that out.
    await new Promise((r) => setTimeout(r, 5_500));

    await page.getByLabel('角色').selectOption('admin');
    await page.waitForURL(/\/sign-in\?next=/);
    await shows(page.getByRole('status'), '登录已过期，请重新登录');
    await expectAccessible(page, 'sign-in after expiry');
    await screenshot(page, 'sign-in-expired');
    expect(await page.evaluate(() => sessionStorage.getItem('tx.session'))).toBeNull();

    await page.getByLabel('用户名').fill(admin.username);
    await page.getByLabel('密码').fill(admin.password);
    await page.getByRole('button', { name: '登录' }).click();
    await page.waitForURL(/\/admin\/users\?role=admin$/);
    await page.getByRole('heading', { level: 1, name: '用户' }).waitFor();
    await context.close();
  });

  it('when a signed-in page is reloaded, then the session is restored; when signing out, then the token no longer works', async () => {
    const { context, page } = await browser.page();
    const staff = await makeAccount('reviewer', '330300');
    await signInThroughUi(page, staff.username, staff.password);
    await page.reload();
    await shows(page.locator('header'), '审核人员');
    const token = await page.evaluate(() => sessionStorage.getItem('tx.session'));
    await page.getByRole('button', { name: '退出登录' }).click();
    await page.waitForURL(/\/sign-in$/);
    await shows(page.getByRole('status'), '您已退出登录');
    const res = await page.request.get('/api/v1/auth/me', { headers: { Authorization: `Bearer ${token}` } });
    expect(res.status()).toBe(401);
    await context.close();
  });
});
