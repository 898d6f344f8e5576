/// <reference lib="dom" />
// Callbacks given to page.evaluate run in the browser: they see the DOM, not Node.
import mongoose from 'mongoose';
import type { Page } from 'playwright-core';
import { create as createQr } from 'qrcode';
import { beforeAll, describe, expect, it } from 'vitest';
import { regionPath } from '../../src/lib/auth/scope.js';
import { makeIdentity } from '../fixtures/identity.js';
import { makeMatch } from '../fixtures/matches.js';
import { openingBody } from '../fixtures/openings.js';
import { profileBody } from '../fixtures/worker-profiles.js';
import { apiAs, expectAccessible, scenarioBrowser, screenshot, shows } from './support.js';

const browser = scenarioBrowser();

// 达州 宣汉县 (recipient) and 舟山 (its supporting city), used by no other browser scenario.
describe('the job seeker opens their own page on a phone', () => {
  let staff: Page;
  let reviewer: Page;
  let employer: Page;
  let me: Page;
  const person = makeIdentity({ addressCode: '511722' });
  let profileId: string;
  let matchId: string;
  let url: string;
  const title = `包装工（本人页面）${Date.now().toString(36)}`;

  beforeAll(async () => {
    staff = (await browser.signedIn('federation_staff', '511722')).page;
    reviewer = (await browser.signedIn('reviewer', '330900')).page;
    employer = (await browser.signedIn('employer', '330900')).page;
    const opening = await apiAs(employer, 'POST', '/api/v1/openings', openingBody({ title }));
    await apiAs(employer, 'POST', `/api/v1/openings/${opening.id}/open`);
    const profile = await apiAs(staff, 'POST', '/api/v1/worker-profiles', profileBody('511722', {}, person));
    profileId = String(profile.id);
    // A match staff have approved (the review queue's own browser tests walk that part).
    const match = await makeMatch(
      { id: profileId, originCode: '511722' } as never,
      {
        id: opening.id,
        employerId: opening.employerId,
        regionPath: regionPath(String(opening.regionCode)),
      } as never,
      { status: 'approved' },
    );
    matchId = match.id;
    me = (await browser.page()).page;
    await me.setViewportSize({ width: 390, height: 844 });
  });

  it('when staff issue a link on the profile page, then it is shown once as a URL to /me with the token in its fragment', async () => {
    await staff.goto(`/profiles/${profileId}`);
    const section = staff.getByRole('region', { name: '本人页面' });
    await section.getByRole('button', { name: '生成个人链接' }).click();
    const field = section.getByLabel('个人链接', { exact: true });
    await field.waitFor();
    url = await field.inputValue();
    expect(url).toMatch(/\/me#t=txl_/);
    // The QR code beside it carries that very URL: one square per dark module of the URL's code.
    const qr = section.getByRole('img', { name: /个人链接的二维码/ });
    const drawn = await qr.locator('path').getAttribute('d');
    const m = createQr(url, { errorCorrectionLevel: 'M' }).modules;
    const squares: string[] = [];
    for (let row = 0; row < m.size; row++)
      for (let col = 0; col < m.size; col++)
        if (m.data[row * m.size + col]) squares.push(`M${col} ${row}h1v1h-1z`);
    expect(squares.length).toBeGreaterThan(0);
    expect(drawn).toBe(squares.join(''));
    await shows(section, '有效');
    await expectAccessible(staff, 'the profile with a personal link issued');
    await me.goto(`/me${new URL(url).hash}`);
    await me.getByRole('heading', { level: 1, name: /你好/ }).waitFor();
    // The token leaves the address bar at once.
    expect(new URL(me.url()).hash).toBe('');
    await me.getByRole('button', { name: '读给我听' }).waitFor();
    await expectAccessible(me, 'the person’s sign-in');
  });

  it('when the second factor is wrong 5 times, then the link is locked a while, even for the right answer', async () => {
    const right = person.idNumber.slice(-4);
    const wrong = right === '0000' ? '1111' : '0000';
    const field = me.getByLabel('请输入身份证号码的最后4位');
    for (let i = 1; i <= 5; i++) {
      await field.fill(wrong);
      await me.getByRole('button', { name: '进入' }).click();
      await shows(me.getByRole('alert'), i < 5 ? `还可以试 ${5 - i} 次` : '错了太多次');
    }
    await field.fill(right);
    await me.getByRole('button', { name: '进入' }).click();
    await shows(me.getByRole('alert'), '错了太多次');
    await expectAccessible(me, 'the locked link');
    await screenshot(me, 'me-locked');
  });

  it('when the lock has run out and the answer is right, then the person sees what the federation holds', async () => {
    // Time passes: the lock runs out.
    await mongoose.connection
      .db!.collection('access_links')
      .updateMany({ profileId }, { $set: { lockedUntil: new Date(Date.now() - 1000) } });
    await me.getByLabel('请输入身份证号码的最后4位').fill(person.idNumber.slice(-4));
    await me.getByRole('button', { name: '进入' }).click();
    await me.getByRole('heading', { level: 1, name: `${person.name}，你好！` }).waitFor();
    await shows(me.locator('main'), '残联保存的我的信息');
    expect(await me.locator('main').textContent()).not.toContain(person.idNumber);
    await me.getByRole('button', { name: '读给我听' }).waitFor();
    await expectAccessible(me, 'the person’s page');
    await screenshot(me, 'me-page');
  });

  it('when the person says 我想去 and agrees to share, then the employer sees their name once proposed', async () => {
    const job = me.getByRole('listitem').filter({ hasText: title });
    await job.getByRole('button', { name: '我想去' }).click();
    await shows(me.getByRole('status'), '你想去');
    await job.getByRole('button', { name: '同意把我的姓名和电话给这家单位' }).click();
    await shows(me.getByRole('status'), '可以知道你的姓名和电话');
    await shows(job, '你已经同意把姓名和电话给这家单位');
    await expectAccessible(me, 'the person’s page after answering');
    await apiAs(reviewer, 'POST', `/api/v1/matches/${matchId}/propose`, {});
    const seen = await apiAs(employer, 'GET', `/api/v1/employer/proposals/${matchId}`);
    expect(seen.identityStatus).toBe('shared');
    expect((seen.identity as { name: string }).name).toBe(person.name);
    const history = await apiAs(staff, 'GET', `/api/v1/worker-profiles/${profileId}/self-service-actions`);
    expect((history.items as { kind: string }[]).map((a) => a.kind)).toEqual([
      'share_consent',
      'proposal_answer',
    ]);
  });

  it('when the person asks for help, then their federation staff get a notification', async () => {
    await me.getByRole('button', { name: '我需要帮助' }).click();
    await shows(me.getByRole('status'), '已经告诉残联了');
    await expectAccessible(me, 'the person’s page after asking for help');
    const inbox = await apiAs(staff, 'GET', '/api/v1/notifications');
    expect(JSON.stringify(inbox)).toContain('person.help_requested');
  });

  it('when the person withdraws the consent to process their data, then they leave matching at once', async () => {
    const consent = me.getByRole('listitem').filter({ hasText: '残疾信息' });
    await consent.getByRole('button', { name: '撤回这个同意' }).click();
    await expectAccessible(me, 'the withdrawal’s confirmation');
    await consent.getByRole('button', { name: '确定撤回' }).click();
    await shows(me.getByRole('status'), '已经撤回了');
    await shows(consent, '已经撤回');
    const profile = await apiAs(staff, 'GET', `/api/v1/worker-profiles/${profileId}`);
    expect((profile.consent as { processing: boolean }).processing).toBe(false);
    expect((profile.matching as { eligible: boolean }).eligible).toBe(false);
    await expectAccessible(me, 'the person’s page after withdrawing');
  });
});
