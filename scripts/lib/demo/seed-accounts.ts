import type { Config } from '../../../src/config.js';
import type { Role } from '../../../src/lib/http/route.js';
import { hashPassword } from '../../../src/modules/accounts/password.js';
import { findUserByUsername, insertUser } from '../../../src/modules/accounts/users.repository.js';
import { creditCodeCheckChar } from '../../../src/modules/orgs/credit-code.js';
import type { OrganizationData } from '../../../src/modules/orgs/orgs.repository.js';
import { ensureOrganization, type Organization } from '../../../src/modules/orgs/orgs.service.js';

/**
 * Demo organisations and users for `npm run up` (never in production). Federations are public
 * bodies and keep their real names; every employer is fictitious (示例 = "example").
 */

/** The one password of every demo account; documented in the README and printed by `npm run up`. */
export const DEMO_PASSWORD = 'Tongxin-Demo-2024';

export interface DemoLogin {
  username: string;
  password: string;
  roles: Role[];
  organization: string;
  /** What this login is good for in a demo. */
  note: string;
}

/** Receiving prefectures of the partnerships in DOMAIN.md, with a login prefix. */
export const DEMO_RECIPIENTS = [
  { code: '513400', login: 'liangshan', name: '凉山彝族自治州残疾人联合会' },
  { code: '513300', login: 'ganzi', name: '甘孜藏族自治州残疾人联合会' },
  { code: '511100', login: 'leshan', name: '乐山市残疾人联合会' },
  { code: '513200', login: 'aba', name: '阿坝藏族羌族自治州残疾人联合会' },
  { code: '511300', login: 'nanchong', name: '南充市残疾人联合会' },
  { code: '511600', login: 'guangan', name: '广安市残疾人联合会' },
  { code: '510800', login: 'guangyuan', name: '广元市残疾人联合会' },
  { code: '511700', login: 'dazhou', name: '达州市残疾人联合会' },
  { code: '510700', login: 'mianyang', name: '绵阳市残疾人联合会' },
  { code: '510500', login: 'luzhou', name: '泸州市残疾人联合会' },
] as const;

/** One county federation, so the demo shows a county scope inside a prefecture (昭觉县, 凉山). */
export const DEMO_COUNTY = { code: '513431', login: 'zhaojue', name: '昭觉县残疾人联合会' } as const;

/** Supporting cities paired with those prefectures (佛山 in 广东; the rest in 浙江). */
export const DEMO_SUPPORTERS = [
  { code: '440600', login: 'foshan', name: '佛山市残疾人联合会' },
  { code: '330300', login: 'wenzhou', name: '温州市残疾人联合会' },
  { code: '330500', login: 'huzhou', name: '湖州市残疾人联合会' },
  { code: '330400', login: 'jiaxing', name: '嘉兴市残疾人联合会' },
  { code: '330600', login: 'shaoxing', name: '绍兴市残疾人联合会' },
  { code: '331000', login: 'taizhou', name: '台州市残疾人联合会' },
  { code: '330700', login: 'jinhua', name: '金华市残疾人联合会' },
  { code: '330800', login: 'quzhou', name: '衢州市残疾人联合会' },
  { code: '330900', login: 'zhoushan', name: '舟山市残疾人联合会' },
  // Guangdong pairs with 甘孜 at province level (DOMAIN.md).
  { code: '440000', login: 'guangdong', name: '广东省残疾人联合会' },
] as const;

/** A fixed, valid, fictitious credit code per demo employer (the `DEM` segment marks them). */
function demoCreditCode(region: string, n: number): string {
  const first17 = `91${region}MADEM${String(n).padStart(4, '0')}`;
  return first17 + creditCodeCheckChar(first17)!;
}

export const DEMO_EMPLOYERS = [
  {
    login: 'foshan.employer1',
    name: '佛山示例电子装配有限公司',
    region: '440600',
    industry: 'C39',
    staff: 420,
  },
  {
    login: 'foshan.employer2',
    name: '佛山示例家居用品有限公司',
    region: '440600',
    industry: 'C21',
    staff: 260,
  },
  {
    login: 'foshan.employer3',
    name: '佛山示例物流服务有限公司',
    region: '440600',
    industry: 'G59',
    staff: 180,
  },
  { login: 'wenzhou.employer1', name: '温州示例鞋业有限公司', region: '330300', industry: 'C19', staff: 380 },
  {
    login: 'wenzhou.employer2',
    name: '温州示例智能电气有限公司',
    region: '330300',
    industry: 'C38',
    staff: 150,
  },
].map((e, i) => ({ ...e, creditCode: demoCreditCode(e.region, i + 1) }));

interface DemoUserSpec {
  username: string;
  displayName: string;
  roles: Role[];
  org: Organization;
  note: string;
}

/**
 * Creates what is missing of the demo organisations and users and returns every demo login.
 * Idempotent: existing organisations (by natural key) and users (by username) are left as they
 * are — a demo password someone changed stays changed.
 */
export async function seedDemoAccounts(config: Pick<Config, 'isProduction'>): Promise<DemoLogin[]> {
  if (config.isProduction) throw new Error('demo accounts are never created in production');
  const org = async (data: OrganizationData) => (await ensureOrganization(data)).org;

  const platform = await org({ type: 'platform', name: '同心平台' });
  const specs: DemoUserSpec[] = [
    {
      username: 'demo.admin',
      displayName: '演示管理员',
      roles: ['admin'],
      org: platform,
      note: 'admin: accounts, audit',
    },
  ];

  for (const r of DEMO_RECIPIENTS) {
    const fed = await org({ type: 'recipient_federation', name: r.name, jurisdictionCode: r.code });
    specs.push({
      username: `${r.login}.staff`,
      displayName: `${r.name.replace('残疾人联合会', '')}残联工作人员`,
      roles: ['federation_staff'],
      org: fed,
      note: `federation staff, jurisdiction ${r.code}`,
    });
    if (r.login === 'liangshan')
      specs.push({
        username: 'liangshan.reviewer',
        displayName: '凉山州残联审核员',
        roles: ['reviewer'],
        org: fed,
        note: 'recipient-side reviewer (scope: 凉山 513400)',
      });
  }

  const county = await org({
    type: 'recipient_federation',
    name: DEMO_COUNTY.name,
    jurisdictionCode: DEMO_COUNTY.code,
  });
  specs.push({
    username: `${DEMO_COUNTY.login}.staff`,
    displayName: '昭觉县残联工作人员',
    roles: ['federation_staff'],
    org: county,
    note: `county federation staff, jurisdiction ${DEMO_COUNTY.code} (inside 凉山)`,
  });

  for (const s of DEMO_SUPPORTERS) {
    const fed = await org({ type: 'supporting_federation', name: s.name, jurisdictionCode: s.code });
    if (s.login !== 'foshan' && s.login !== 'wenzhou') continue;
    specs.push(
      {
        username: `${s.login}.staff`,
        displayName: `${s.name.replace('残疾人联合会', '')}残联工作人员`,
        roles: ['federation_staff'],
        org: fed,
        note: `supporting federation ${s.code}: partnership statistics`,
      },
      {
        username: `${s.login}.reviewer`,
        displayName: `${s.name.replace('残疾人联合会', '')}残联审核员`,
        roles: ['reviewer'],
        org: fed,
        note: `supporting-side reviewer (scope: partnerships of ${s.code})`,
      },
    );
  }

  for (const e of DEMO_EMPLOYERS) {
    const employer = await org({
      type: 'employer',
      name: e.name,
      creditCode: e.creditCode,
      locationCode: e.region,
      industryCode: e.industry,
      staffCount: e.staff,
    });
    specs.push({
      username: e.login,
      displayName: `${e.name}人事专员`,
      roles: ['employer'],
      org: employer,
      note: `employer in ${e.region}`,
    });
  }

  const passwordHash = await hashPassword(DEMO_PASSWORD);
  for (const s of specs) {
    if (await findUserByUsername(s.username)) continue;
    try {
      await insertUser({
        username: s.username,
        displayName: s.displayName,
        organizationId: s.org.id,
        roles: s.roles,
        language: 'zh-CN',
        passwordHash,
      });
    } catch (err) {
      // A concurrent seeder created it first: just as good.
      if (!(await findUserByUsername(s.username))) throw err;
    }
  }
  return specs.map((s) => ({
    username: s.username,
    password: DEMO_PASSWORD,
    roles: s.roles,
    organization: s.org.name,
    note: s.note,
  }));
}

/** A plain table of the demo logins, as `npm run up` prints it. */
export function formatDemoLogins(logins: readonly DemoLogin[]): string {
  const width = Math.max(...logins.map((l) => l.username.length));
  const lines = logins.map(
    (l) => `  ${l.username.padEnd(width)}  ${l.roles.join(',').padEnd(16)}  ${l.organization}`,
  );
  return [`Demo logins (password for all: ${DEMO_PASSWORD}):`, ...lines].join('\n');
}
