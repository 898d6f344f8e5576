import { beforeAll, describe, expect, it } from 'vitest';
import { makeIdentity } from '../fixtures/identity.js';
import { profileBody } from '../fixtures/worker-profiles.js';
import { apiAs, expectAccessible, makeAccount, scenarioBrowser, shows, signInThroughUi } from './support.js';

const browser = scenarioBrowser();
const XICHANG = '513401';
const ALARMS = /提供「视觉或振动报警装置」/;

describe('an employer sees what accommodations would add while filling in an opening', () => {
  beforeAll(async () => {
    // Deaf job seekers of 凉山 (paired with 佛山), registered through the API by their federation.
    const { context, page } = await browser.page();
    // 西昌's county federation: 凉山's prefecture federation belongs to another browser scenario.
    const staff = await makeAccount('federation_staff', XICHANG);
    await signInThroughUi(page, staff.username, staff.password);
    for (let i = 0; i < 6; i++) {
      await apiAs(
        page,
        'POST',
        '/api/v1/worker-profiles',
        profileBody(
          XICHANG,
          { functionalLimitations: ['hearing_deaf'], accommodationsNeeded: [] },
          makeIdentity({ addressCode: XICHANG }),
        ),
      );
    }
    await context.close();
  });

  it('when the job needs hearing for safety, then the panel names visual alarms, and ticking them updates it', async () => {
    const { context, page } = await browser.page();
    const employer = await makeAccount('employer', '440600');
    await signInThroughUi(page, employer.username, employer.password);
    await page.goto('/openings/new');
    await page.getByRole('heading', { level: 1, name: '新建岗位' }).waitFor();
    const panel = page.getByRole('region', { name: /便利建议/ });
    await shows(panel, '填写工作地点和工资后');
    await page.getByLabel(/^工作地点/).selectOption('440600');
    await page.getByLabel(/^月薪下限/).fill('4200');
    await page.getByLabel(/^月薪上限/).fill('5600');
    await page.getByRole('checkbox', { name: /安全需要听觉/ }).check();
    // The count is announced in a polite live region; the changes are a list of sentences.
    const live = panel.locator('[aria-live="polite"]');
    await shows(live, /提供这些便利，可多匹配 \d+ 人/);
    await shows(panel.getByRole('listitem').first(), ALARMS);
    await expectAccessible(page, 'opening form with advice');

    await page.getByRole('checkbox', { name: /视觉或振动报警装置/ }).check();
    await expect
      .poll(async () => (await panel.getByRole('listitem').allTextContents()).some((s) => ALARMS.test(s)), {
        timeout: 10_000,
      })
      .toBe(false);
    await context.close();
  });
});
