/// <reference lib="dom" />
// Callbacks given to page.evaluate run in the browser: they see the DOM, not Node.
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { lockUser } from '../../src/modules/accounts/users.repository.js';
import { makeCreditCode, makeUser } from '../fixtures/accounts.js';
import {
  expectAccessible,
  isFocused,
  makeAccount,
  scenarioBrowser,
  screenshot,
  shows,
  signInThroughUi,
} from './support.js';

const browser = scenarioBrowser(15_000);
let page: Page;

beforeAll(async () => {
  ({ page } = await browser.page());
});

const nav = () => page.getByRole('navigation', { name: '主导航' });

describe('an admin at the console', () => {
  const stamp = Date.now().toString(36);
  const orgName = `佛山示例测试厂${stamp}`;
  const username = `e2e.user.${stamp}`;
  let admin: Awaited<ReturnType<typeof makeAccount>>;

  it('when an admin signs in, then the start page shows their organisation, role and the admin pages', async () => {
    admin = await makeAccount('admin');
    await page.goto('/');
    await page.waitForURL(/\/sign-in/);
    await expectAccessible(page, 'sign-in');
    await screenshot(page, 'sign-in');
    await signInThroughUi(page, admin.username, admin.password);
    await page.getByRole('heading', { level: 1, name: /欢迎/ }).waitFor();
    await shows(page.locator('header'), admin.org.name);
    await shows(page.locator('header'), '平台管理员');
    for (const link of ['机构', '用户', '帮扶关系', '词表', '审计日志', '任务队列'])
      await nav().getByRole('link', { name: link, exact: true }).waitFor();
    await expectAccessible(page, 'home');
    await screenshot(page, 'admin-home');
  });

  it('when the admin creates an employer, then the list shows it', async () => {
    await nav().getByRole('link', { name: '机构', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: '机构' }).waitFor();
    await expectAccessible(page, 'organizations');
    await page.getByRole('link', { name: '新建机构' }).click();
    await page.getByRole('heading', { level: 1, name: '新建机构' }).waitFor();
    await page.getByLabel('类型').selectOption('employer');
    await page.getByLabel('名称', { exact: false }).first().fill(orgName);
    // A wrong check character first: the API's problem comes back as a message at the field.
    const code = makeCreditCode('440600');
    const wrong = code.slice(0, 17) + (code.endsWith('0') ? '1' : '0');
    await page.getByLabel(/统一社会信用代码/).fill(wrong);
    await page.getByLabel(/所在地/).fill('440600');
    await page.getByLabel(/行业代码/).fill('C39');
    await page.getByLabel(/在职职工人数/).fill('120');
    await page.getByRole('button', { name: '新建' }).click();
    const alert = page.getByRole('alert');
    await shows(alert, '请求内容不符合要求');
    await alert.getByRole('link', { name: '统一社会信用代码' }).waitFor();
    expect(await page.getByLabel(/统一社会信用代码/).getAttribute('aria-invalid')).toBe('true');
    await shows(page.locator('#field-creditCode-error'), '校验位不正确');
    await expectAccessible(page, 'organization form with errors');
    await page.getByLabel(/统一社会信用代码/).fill(code);
    await page.getByRole('button', { name: '新建' }).click();
    await shows(page.getByRole('status'), orgName);
    await shows(page.getByRole('row', { name: new RegExp(orgName) }), '用人单位');
    await expectAccessible(page, 'organizations after create');
    await screenshot(page, 'organizations');
  });

  it('when the admin edits that employer, then the change is saved with its version and listed', async () => {
    await page.getByRole('link', { name: `编辑 ${orgName}` }).click();
    await page.getByRole('heading', { level: 1, name: new RegExp(`编辑机构：${orgName}`) }).waitFor();
    await expectAccessible(page, 'organization edit');
    await page.getByLabel(/在职职工人数/).fill('150');
    await page.getByRole('button', { name: '保存' }).click();
    await shows(page.getByRole('status'), `机构“${orgName}”已保存`);
    const row = page.getByRole('row', { name: new RegExp(orgName) });
    await shows(row, '150');
    // Cells after the name (a row header): type, region, credit code, staff, version.
    await expect.poll(() => row.getByRole('cell').nth(4).textContent(), { timeout: 10_000 }).toBe('2');
  });

  it('when the admin creates a user in that employer, then the user is listed with the role', async () => {
    await nav().getByRole('link', { name: '用户', exact: true }).click();
    await expectAccessible(page, 'users');
    await page.getByRole('link', { name: '新建用户' }).click();
    await page.getByLabel(/^用户名/).fill(username);
    await page.getByLabel(/姓名/).fill('测试 用人单位联系人');
    await page.getByLabel(/所属机构/).selectOption({ label: `${orgName}（用人单位）` });
    await page.getByRole('checkbox', { name: '用人单位' }).check();
    await page.getByLabel(/初始密码/).fill('Short1');
    await page.getByRole('button', { name: '新建' }).click();
    await shows(page.getByRole('alert'), '密码');
    await expectAccessible(page, 'user form with errors');
    await page.getByLabel(/初始密码/).fill('Another-strong-Pass9');
    await page.getByRole('button', { name: '新建' }).click();
    await shows(page.getByRole('status'), username);
    const row = page.getByRole('row', { name: new RegExp(username.replaceAll('.', '\\.')) });
    await shows(row, '用人单位');
    await shows(row, '正常');
  });

  it('when a user is locked, then the list says so in words and the admin can unlock and reset the password', async () => {
    const locked = await makeUser(admin.org, ['admin']);
    await lockUser(locked.id, new Date(Date.now() + 15 * 60_000));
    await page.goto(`/admin/users?locked=true`);
    const row = page.getByRole('row', { name: new RegExp(locked.username) });
    await shows(row, '已锁定');
    await expectAccessible(page, 'users, locked only');
    await screenshot(page, 'users');
    await row.getByRole('button', { name: `解锁 ${locked.username}` }).click();
    await shows(page.getByRole('status'), `用户 ${locked.username} 已解锁`);
    await page.goto('/admin/users');
    await page
      .getByRole('row', { name: new RegExp(locked.username) })
      .getByRole('button', { name: `为 ${locked.username} 重置密码` })
      .click();
    await expect
      .poll(() => isFocused(page.getByRole('heading', { name: `为 ${locked.username} 重置密码` })))
      .toBe(true);
    await page.getByLabel(/新密码/).fill('Brand-new-Pass42');
    await page.getByRole('button', { name: '重置密码', exact: true }).click();
    await shows(page.getByRole('status'), '其所有登录会话已结束');
  });

  it('when the admin edits a partnership period, then the list shows the new end date', async () => {
    await nav().getByRole('link', { name: '帮扶关系', exact: true }).click();
    await page.getByRole('table').waitFor();
    await expectAccessible(page, 'partnerships');
    await screenshot(page, 'partnerships');
    await page
      .getByRole('link', { name: /^编辑 / })
      .first()
      .click();
    await page.getByRole('heading', { level: 1, name: '编辑帮扶关系期限' }).waitFor();
    await expectAccessible(page, 'partnership edit');
    await page.getByLabel(/结束日期/).fill('2031-12-31');
    await page.getByRole('button', { name: '保存' }).click();
    await shows(page.getByRole('status'), '帮扶关系期限已保存');
    await page.getByRole('cell', { name: '2031-12-31' }).first().waitFor();
  });

  it('when the partnership changed since it was opened, then saving says so and offers a reload', async () => {
    await page
      .getByRole('link', { name: /^编辑 / })
      .first()
      .click();
    await page.getByLabel(/备注/).waitFor();
    // Someone else saves in between (same API, another tab).
    const url = new URL(page.url());
    const id = url.pathname.split('/').pop()!;
    const token = await page.evaluate(() => sessionStorage.getItem('tx.session'));
    const current = await page.request.get(`/api/v1/reference/partnerships/${id}`);
    const other = await page.request.patch(`/api/v1/reference/partnerships/${id}`, {
      headers: { Authorization: `Bearer ${token}`, 'If-Match': current.headers().etag! },
      data: { note: '他人修改' },
    });
    expect(other.status()).toBe(200);
    await page.getByLabel(/备注/).fill('我的修改');
    await page.getByRole('button', { name: '保存' }).click();
    await shows(page.getByRole('alert'), '记录已被他人修改');
    await expectAccessible(page, 'partnership edit, 412');
    await page.getByRole('button', { name: '重新加载' }).click();
    await expect.poll(() => page.getByLabel(/备注/).inputValue()).toBe('他人修改');
  });

  it('when the admin browses the vocabularies, then entries show in both languages', async () => {
    await nav().getByRole('link', { name: '词表', exact: true }).click();
    await page.getByLabel('词表', { exact: true }).selectOption('accommodation');
    await shows(page.getByRole('table'), /accessible/i);
    await expectAccessible(page, 'vocabularies');
    await screenshot(page, 'vocabularies');
  });

  it('when the admin browses the audit log, then the creations and the partnership edit are there, filterable', async () => {
    await nav().getByRole('link', { name: '审计日志', exact: true }).click();
    await page.getByRole('table').waitFor();
    await expectAccessible(page, 'audit');
    for (const [action, label] of [
      ['organization.create', '新建机构'],
      ['user.create', '新建用户'],
      ['partnership.update', '修改帮扶关系'],
      ['user.unlock', '解锁用户'],
    ] as const) {
      await page.getByRole('textbox', { name: '操作', exact: true }).fill(action);
      await page.getByRole('button', { name: '筛选', exact: true }).click();
      await page.waitForURL(new RegExp(`action=${action.replace('.', '\\.')}`));
      const rows = page.getByRole('row').filter({ hasText: action });
      await shows(rows, label);
      await shows(rows, '成功');
    }
    await page.getByRole('button', { name: '清除筛选' }).click();
    await page.waitForURL(/\/admin\/audit$/);
    await screenshot(page, 'audit');
  });

  it('when the admin opens the queue dashboard, then it loads behind its one-time pass', async () => {
    await nav().getByRole('link', { name: '任务队列', exact: true }).click();
    await expectAccessible(page, 'queue dashboard entry');
    await page.getByRole('button', { name: '打开任务队列面板' }).click();
    await page.waitForURL(/\/admin\/queues\/?$/);
    await expect.poll(() => page.title()).toMatch(/同心/);
    // The board is a third-party UI (not ours to fix for axe); its data API answers with our cookie.
    const queues = await page.request.get('/admin/queues/api/queues');
    expect(queues.status()).toBe(200);
    await page.goBack();
  });
});
