/// <reference lib="dom" />
// Callbacks given to page.evaluate run in the browser: they see the DOM, not Node.
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { chinaYear } from '../../src/lib/china-time.js';
import { makeIdentity } from '../fixtures/identity.js';
import { openingBody } from '../fixtures/openings.js';
import { profileBody } from '../fixtures/worker-profiles.js';
import { apiAs, expectAccessible, scenarioBrowser, screenshot, shows } from './support.js';

const browser = scenarioBrowser();

const nav = (page: Page) => page.getByRole('navigation', { name: '主导航' });

// 甘孜 (recipient) and 广东 (its supporting province), used by no other browser scenario's staff
// or reviewer here; the employer is in 佛山, inside 广东.
describe('a reviewer proposes a person, and the employer hires them', () => {
  let staff: Page;
  let reviewer: Page;
  let employer: Page;
  const person = makeIdentity({ addressCode: '513301' });
  let profileId: string;
  let title: string;
  let placedBefore: number;
  const year = String(chinaYear());

  beforeAll(async () => {
    staff = (await browser.signedIn('federation_staff', '513300')).page;
    reviewer = (await browser.signedIn('reviewer', '440000')).page;
    employer = (await browser.signedIn('employer', '440600')).page;
    title = `装配工（审核流程）${Date.now().toString(36)}`;
    const opening = await apiAs(employer, 'POST', '/api/v1/openings', openingBody({ title }));
    await apiAs(employer, 'POST', `/api/v1/openings/${opening.id}/open`);
    const profile = await apiAs(staff, 'POST', '/api/v1/worker-profiles', profileBody('513301', {}, person));
    profileId = String(profile.id);
    const before = await apiAs(staff, 'GET', `/api/v1/reports/placements?year=${year}`);
    placedBefore = (before.summary as { placed: number }).placed;
    // The matching jobs (the worker process) suggest the person for the opening.
    const deadline = Date.now() + 60_000;
    for (;;) {
      const queue = await apiAs(reviewer, 'GET', `/api/v1/review/queue?openingId=${opening.id}`);
      if ((queue.items as { profileId: string }[]).some((m) => m.profileId === profileId)) break;
      if (Date.now() > deadline) throw new Error('no suggestion from the matching jobs within 60 s');
      await new Promise((r) => setTimeout(r, 500));
    }
  });

  it('when the reviewer approves and proposes, then the proposal waits for the share consent, which staff record', async () => {
    await nav(reviewer).getByRole('link', { name: '待审核匹配', exact: true }).click();
    await reviewer.getByRole('heading', { level: 1, name: '待审核匹配' }).waitFor();
    // The shortcuts are written on the page.
    await reviewer.getByText('键盘快捷键').click();
    await shows(reviewer.locator('main'), '下一条建议');
    const item = reviewer.getByRole('button', { name: new RegExp(`^${title}`) });
    await item.click();
    const compare = reviewer.getByRole('table', { name: `对照表：${title}` });
    await compare.waitFor();
    // Met or not in words, not by colour alone.
    await shows(compare, /满足|不满足|不适用/);
    await expectAccessible(reviewer, 'review queue');
    await screenshot(reviewer, 'review-queue');

    // "a" approves the selected suggestion (the focus is on it, not in a text box).
    await reviewer.keyboard.press('a');
    await shows(reviewer.getByRole('status'), `已审核通过：${title}`);
    await reviewer.getByRole('button', { name: '推荐给用人单位' }).click();
    const alert = reviewer.getByRole('alert');
    await shows(alert, '推荐前须先登记本人同意');
    await shows(alert, '已恢复为原来的状态（审核通过）');
    await expectAccessible(reviewer, 'review queue, consent required');
    const link = alert.getByRole('link', { name: '去人员信息页登记共享同意' });
    expect(await link.getAttribute('href')).toBe(`/profiles/${profileId}#matches`);

    // Federation staff record the consent to share with this employer for this opening.
    await staff.goto(`/profiles/${profileId}#matches`);
    const matches = staff.getByRole('table', { name: '匹配的岗位' });
    await shows(matches, title);
    await shows(matches, '审核通过');
    await staff.getByRole('button', { name: `记录共享同意：${title}` }).click();
    await staff.getByRole('heading', { name: `记录共享同意：${title}` }).waitFor();
    await expectAccessible(staff, 'profile, share consent form');
    await staff.getByRole('button', { name: '记录共享同意', exact: true }).click();
    await shows(staff.getByRole('status'), `已记录共享同意：${title}`);
    await shows(matches, '已同意向该单位提供信息');
    await shows(staff.getByRole('table', { name: /同意记录/ }), '向用人单位提供');
    await expectAccessible(staff, 'profile, share consent recorded');

    // Now the proposal goes through, from the profile page the message links to (an approved
    // match leaves the queue once it is reloaded).
    await link.click();
    const reviewerMatches = reviewer.getByRole('table', { name: '匹配的岗位' });
    await shows(reviewerMatches, '审核通过');
    await expectAccessible(reviewer, 'profile, matches (reviewer)');
    await reviewer.getByRole('button', { name: `推荐给用人单位：${title}` }).click();
    await shows(reviewer.getByRole('status'), `已推荐给用人单位：${title}`);
    await shows(reviewerMatches, '已推荐');
    await expectAccessible(reviewer, 'profile, proposed');
  });

  it('when the employer opens the proposals, then they see the person, mark interest and record the hire', async () => {
    await nav(employer).getByRole('link', { name: '推荐的人选', exact: true }).click();
    await employer.getByRole('heading', { level: 1, name: '推荐的人选' }).waitFor();
    const card = employer.getByRole('region', { name: new RegExp(`^${person.name}（`) });
    await shows(card, title);
    await shows(card, '已推荐');
    // The quota employment credit of the employer sits above its proposals.
    await shows(employer.getByRole('region', { name: /按比例安排残疾人就业/ }), '已认定人数');
    await expectAccessible(employer, 'proposals');
    await screenshot(employer, 'proposals');
    await card.getByRole('button', { name: '有意向' }).click();
    await shows(employer.getByRole('status'), '已标记为有意向');
    await shows(card, '用人单位有意向');
    await card.getByLabel(/^合同开始日期/).fill('2027-03-01');
    await card.getByLabel(/^合同结束日期/).fill('2029-02-28');
    await card.getByLabel(/^月工资/).fill('4800');
    await card.getByRole('button', { name: '登记录用' }).click();
    await shows(employer.getByRole('status'), '已登记录用');
    // The hire answers with the match hired; the worker's placement job makes it placed soon after.
    await shows(card, /已录用|已上岗/);
    await expectAccessible(employer, 'proposals, hired');
  });

  it('when federation staff open the placement reports, then one more placement is counted, and the target they set is shown as progress in words', async () => {
    await nav(staff).getByRole('link', { name: '安置就业报表', exact: true }).click();
    await staff.getByRole('heading', { level: 1, name: '安置就业报表' }).waitFor();
    const placed = placedBefore + 1;
    await shows(staff.locator('main'), `本年已安置就业 ${placed} 人；尚未设定年度目标。`);
    const funnel = staff.getByRole('table', { name: '从推荐到稳定就业（表格）' });
    await shows(funnel, '录用');
    await staff.getByRole('img', { name: /按户籍县/ }).waitFor();
    await expectAccessible(staff, 'placement reports');
    await staff.getByLabel(/^年度安置就业目标/).fill(String(placed * 2));
    await staff.getByRole('button', { name: '保存目标' }).click();
    await shows(staff.getByRole('status').filter({ hasText: '已保存' }), `目标 ${placed * 2} 人`);
    await shows(staff.locator('main'), `本年已安置就业 ${placed} 人，年度目标 ${placed * 2} 人，完成 50%。`);
    await expectAccessible(staff, 'placement reports, target set');
    await screenshot(staff, 'placement-reports');
  });

  it('when federation staff look ahead at follow-ups, then the new placement’s visits are listed with a form to record them', async () => {
    await nav(staff).getByRole('link', { name: '跟踪回访', exact: true }).click();
    await staff.getByRole('heading', { level: 1, name: '跟踪回访' }).waitFor();
    await expectAccessible(staff, 'follow-ups');
    // The contract starts in 2027: its checkpoints are due within that year.
    await staff.getByLabel('截至日期').fill('2027-12-31');
    await staff.getByRole('button', { name: '查询', exact: true }).click();
    await staff.waitForURL(/due=2027-12-31/);
    const tasks = staff.getByRole('table', { name: '待回访任务' });
    await shows(tasks, title);
    await shows(tasks, '未到期');
    await tasks
      .getByRole('button', { name: new RegExp(`^记录回访：${title}`) })
      .first()
      .click();
    await staff.getByRole('heading', { level: 2, name: new RegExp(`^记录回访：${title}`) }).waitFor();
    await expectAccessible(staff, 'follow-ups, record form');
    // Not due yet: the API refuses, and the form says so.
    await staff.getByRole('button', { name: '记录回访', exact: true }).click();
    await staff.getByRole('alert').waitFor();
    await expectAccessible(staff, 'follow-ups, refused');
    await screenshot(staff, 'follow-ups');
  });
});
