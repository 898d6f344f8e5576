/// <reference lib="dom" />
// Callbacks given to page.evaluate run in the browser: they see the DOM, not Node.
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { maskName } from '../../src/modules/worker-profiles/masking.js';
import { makeIdentity } from '../fixtures/identity.js';
import { openingBody } from '../fixtures/openings.js';
import { profileBody } from '../fixtures/worker-profiles.js';
import { apiAs, expectAccessible, scenarioBrowser, screenshot, shows } from './support.js';

const browser = scenarioBrowser();

const nav = (page: Page) => page.getByRole('navigation', { name: '主导航' });

// 广安 (recipient) and 湖州 (its supporting city; the employer is there too): used by no other
// browser scenario, so this federation's jurisdiction and this reviewer's queue are this file's own.
describe('federation staff organise a transfer batch', () => {
  let staff: Page;
  let employerName: string;
  let openingId: string;
  /** Two people, approved for the opening: the first travels from the start, the second is added. */
  const people: { id: string; masked: string }[] = [];
  let batchUrl: string;
  const travelDate = '2027-02-20';

  beforeAll(async () => {
    staff = (await browser.signedIn('federation_staff', '511600')).page;
    const reviewer = (await browser.signedIn('reviewer', '330500')).page;
    const employer = await browser.signedIn('employer', '330500');
    employerName = employer.account.org.name;
    const title = `缝纫工（输送批次）${Date.now().toString(36)}`;
    const opening = await apiAs(
      employer.page,
      'POST',
      '/api/v1/openings',
      openingBody({ title, regionCode: '330500', address: '湖州市吴兴区示例工业园 8 号' }),
    );
    openingId = String(opening.id);
    await apiAs(employer.page, 'POST', `/api/v1/openings/${openingId}/open`);
    // One man and one woman, so their masked names (name, sex, age) never read the same.
    for (const sex of ['male', 'female'] as const) {
      const identity = makeIdentity({ addressCode: '511602', sex });
      const profile = await apiAs(
        staff,
        'POST',
        '/api/v1/worker-profiles',
        profileBody(
          '511602',
          {
            preferences: {
              destinationCodes: ['330500'],
              minimumWage: 3500,
              jobTypes: ['6'],
              needsDormitory: true,
              needsAccessibleDormitory: false,
              willingToTravelWithGroup: true,
            },
          },
          identity,
        ),
      );
      people.push({ id: String(profile.id), masked: maskName(identity.name) });
    }
    // The matching jobs (the worker process) suggest both people; the reviewer approves each.
    const deadline = Date.now() + 60_000;
    const approved = new Set<string>();
    while (approved.size < people.length) {
      const queue = await apiAs(reviewer, 'GET', `/api/v1/review/queue?openingId=${openingId}`);
      for (const m of queue.items as { id: string; profileId: string; version: number }[]) {
        if (approved.has(m.profileId) || !people.some((p) => p.id === m.profileId)) continue;
        await apiAs(
          reviewer,
          'POST',
          `/api/v1/matches/${m.id}/approve`,
          {},
          { 'If-Match': `W/"${m.version}"` },
        );
        approved.add(m.profileId);
      }
      if (approved.size === people.length) break;
      if (Date.now() > deadline) throw new Error('no suggestions from the matching jobs within 60 s');
      await new Promise((r) => setTimeout(r, 500));
    }
  });

  it('when staff submit the form empty, then the API’s problems show beside the fields in Chinese; filled in, the batch is created', async () => {
    await nav(staff).getByRole('link', { name: '组团输送', exact: true }).click();
    await staff.getByRole('heading', { level: 1, name: '组团输送批次' }).waitFor();
    await expectAccessible(staff, 'transfer batches, empty list');
    await staff.getByRole('link', { name: '新建输送批次' }).click();
    await staff.getByRole('heading', { level: 1, name: '新建输送批次' }).waitFor();
    await expectAccessible(staff, 'transfer batch form');

    await staff.getByLabel(/^出发日期/).fill('');
    await staff.getByRole('button', { name: '创建批次' }).click();
    const alert = staff.getByRole('alert');
    await shows(alert, '请检查以下字段');
    // Each field the API names is linked from the summary and marked at the field.
    await alert.getByRole('link', { name: '岗位' }).waitFor();
    await alert.getByRole('link', { name: '目的地' }).waitFor();
    expect(await staff.getByLabel(/^出发日期/).getAttribute('aria-invalid')).toBe('true');
    await expectAccessible(staff, 'transfer batch form, refused');

    await staff.getByLabel(/^岗位/).selectOption(openingId);
    // The opening's city becomes the destination; the federation's only prefecture is preset.
    await expect.poll(() => staff.getByLabel(/^目的地/).inputValue(), { timeout: 10_000 }).toBe('330500');
    await staff.getByLabel(/^出发地/).selectOption('511602');
    await staff.getByLabel(/^出发日期/).fill(travelDate);
    await staff.getByLabel(/^交通方式/).selectOption({ label: '包车' });
    await staff.getByLabel('姓名', { exact: true }).fill('阿依');
    await staff.getByRole('button', { name: '添加随行人员' }).click();
    await staff.getByLabel('随行人员 1 姓名').fill('李干事');
    await staff.getByLabel('随行人员 1 联系电话').fill('13800001111');
    await staff.getByRole('checkbox', { name: candidate(people[0]!.masked) }).check();
    await expectAccessible(staff, 'transfer batch form, filled in');
    await staff.getByRole('button', { name: '创建批次' }).click();

    const heading = `输送批次：${travelDate} · ${employerName}`;
    await staff.getByRole('heading', { level: 1, name: heading }).waitFor();
    batchUrl = new URL(staff.url()).pathname;
    expect(batchUrl).toMatch(/^\/transfer-batches\/[0-9a-f]{24}$/);
    await shows(staff.getByRole('status'), `已创建 ${travelDate} 出发的输送批次`);
    await shows(staff.locator('dl.facts'), '包车');
    await shows(staff.locator('dl.facts'), '李干事 · 13800001111');
    const members = staff.getByRole('table', { name: '同行人员（1 人）' });
    await shows(members, '已审核通过，尚未签约上岗');
    // The member reads as the people lists show them: the masked name, sex and age.
    await members.getByRole('link', { name: memberName(people[0]!.masked) }).waitFor();
    await expectAccessible(staff, 'transfer batch');
    await screenshot(staff, 'transfer-batch');
  });

  it('when staff open the list, then the batch is there with its places, employer and count', async () => {
    // From the batch page (where the menu entry is the current one) back to the list.
    await staff.getByRole('link', { name: '返回列表' }).click();
    const table = staff.getByRole('table', { name: '输送批次' });
    const row = table.getByRole('row', { name: new RegExp(travelDate) });
    await shows(row, employerName);
    await shows(row, '广安区');
    await shows(row, '湖州市');
    await shows(row, '1 人');
    await expectAccessible(staff, 'transfer batches');
    await screenshot(staff, 'transfer-batches');
    await row.getByRole('link', { name: `查看 ${travelDate} 前往${employerName}的批次` }).click();
    await staff.getByRole('heading', { level: 1, name: new RegExp(`^输送批次：${travelDate}`) }).waitFor();
    expect(new URL(staff.url()).pathname).toBe(batchUrl);
  });

  it('when staff change the journey, then it saves with the version read; a stale version is refused with a reload', async () => {
    await staff.getByRole('button', { name: '修改行程' }).click();
    await staff.getByRole('heading', { level: 2, name: '修改行程' }).waitFor();
    await staff.getByLabel(/^交通方式/).selectOption({ label: '火车' });
    await expectAccessible(staff, 'transfer batch, journey form');
    await staff.getByRole('button', { name: '保存', exact: true }).click();
    await shows(staff.getByRole('status'), '行程已保存');
    await shows(staff.locator('dl.facts'), '火车');

    // Someone else changes the batch meanwhile (version 2 → 3): this page still holds version 2.
    const id = batchUrl.split('/').pop()!;
    await apiAs(
      staff,
      'PATCH',
      `/api/v1/transfer-batches/${id}`,
      { note: '另一位同事改了' },
      { 'If-Match': 'W/"2"' },
    );
    await staff.getByRole('button', { name: '修改行程' }).click();
    await staff.getByLabel(/^交通方式/).selectOption({ label: '飞机' });
    await staff.getByRole('button', { name: '保存', exact: true }).click();
    const alert = staff.getByRole('alert');
    await shows(alert, '记录已被他人修改');
    await shows(staff.locator('main'), '您看到的是旧版本，未做任何修改');
    await expectAccessible(staff, 'transfer batch, stale');
    await alert.getByRole('button', { name: '重新加载' }).click();
    await shows(staff.locator('dl.facts'), '另一位同事改了');
    await shows(staff.locator('dl.facts'), '火车');
  });

  it('when staff add a member, then the second approved person joins the batch with the version read', async () => {
    await staff.getByRole('button', { name: '添加同行人员' }).click();
    const form = staff.getByRole('form', { name: '添加同行人员' });
    await form.waitFor();
    // Nobody chosen: said at the list, nothing sent.
    await form.getByRole('button', { name: '添加所选人员' }).click();
    await shows(form, '请至少选择一名人员');
    // The employer's only opening is preset (once loaded, its candidates show); the person already
    // on the batch is not offered again.
    await form.getByRole('checkbox', { name: candidate(people[1]!.masked) }).waitFor();
    await expect.poll(() => form.getByLabel(/^岗位/).inputValue(), { timeout: 10_000 }).toBe(openingId);
    expect(await form.getByRole('checkbox', { name: candidate(people[0]!.masked) }).count()).toBe(0);
    await expectAccessible(staff, 'transfer batch, add members');
    await form.getByRole('checkbox', { name: candidate(people[1]!.masked) }).check();
    await form.getByRole('button', { name: '添加所选人员' }).click();
    await shows(staff.getByRole('status'), '已添加 1 名同行人员');
    const members = staff.getByRole('table', { name: '同行人员（2 人）' });
    for (const p of people) await members.getByRole('link', { name: memberName(p.masked) }).waitFor();
    await expectAccessible(staff, 'transfer batch, two members');
  });

  it('when staff download the roster, take the members off and remove the batch, then each is confirmed', async () => {
    const download = staff.waitForEvent('download');
    await staff.getByRole('button', { name: '下载花名册（Excel）' }).click();
    expect((await download).suggestedFilename()).toMatch(/^transfer-batch-20270220-[0-9a-f]{6}\.xlsx$/);
    await shows(staff.getByRole('status'), '已下载花名册');

    for (const [i, p] of people.entries()) {
      await staff
        .getByRole('button', { name: new RegExp(`^将${memberName(p.masked).source}移出批次$`) })
        .click();
      await shows(staff.getByRole('status'), `已将${p.masked}`);
      const left = people.length - 1 - i;
      await staff.getByRole('heading', { level: 2, name: `同行人员（${left} 人）` }).waitFor();
    }
    await shows(staff.locator('main'), '这个批次目前没有同行人员');
    await expectAccessible(staff, 'transfer batch, no members');

    await staff.getByRole('button', { name: '删除批次' }).click();
    const confirm = staff.getByRole('group', { name: /确定删除这个批次吗/ });
    await confirm.getByRole('button', { name: '确定删除' }).click();
    await staff.getByRole('heading', { level: 1, name: '组团输送批次' }).waitFor();
    await shows(staff.getByRole('status'), `已删除 ${travelDate} 出发的输送批次`);
    await shows(staff.locator('main'), '还没有输送批次');
    await expectAccessible(staff, 'transfer batches, after removal');
  });
});

/** How a member shows: the masked name, then sex and age (`张*（男，34 岁）`). */
function memberName(masked: string): RegExp {
  return new RegExp(`${masked.replace(/[*.?+^$()[\]{}|\\]/g, '\\$&')}（[男女]，\\d+ 岁）`);
}

/** A candidate's checkbox: the person as the members show, then the match's stage and score. */
function candidate(masked: string): RegExp {
  return new RegExp(`^${memberName(masked).source}（审核通过`);
}
