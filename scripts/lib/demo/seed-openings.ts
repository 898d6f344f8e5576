import { createHash } from 'node:crypto';
import type { Config } from '../../../src/config.js';
import { isDuplicateKey } from '../../../src/lib/db/index.js';
import {
  findOpeningById,
  insertOpening,
  type OpeningContent,
} from '../../../src/modules/openings/openings.repository.js';
import type { EmployerAction, OpeningStatus } from '../../../src/modules/openings/openings.status.js';
import { assertValidOpeningContent } from '../../../src/modules/openings/validation.service.js';
import { ensureOrganization } from '../../../src/modules/orgs/orgs.service.js';
import { DEMO_EMPLOYERS } from './seed-accounts.js';

/** The employer actions that lead from a draft to each demo status (recorded as the history). */
const PATH: Record<OpeningStatus, EmployerAction[]> = {
  draft: [],
  open: ['open'],
  paused: ['open', 'pause'],
  filled: ['open'],
  closed: ['open', 'close'],
};
const AFTER: Record<EmployerAction, OpeningStatus> = { open: 'open', pause: 'paused', close: 'closed' };

/**
 * Demo openings for the demo employers (佛山 and 温州; every employer fictitious), in the
 * combinations of job demands and accommodations such placements really have: assembly lines with
 * seated workstations and visual alarms for deaf workers, supported packaging work with a job
 * coach, text-based customer service with screen readers, a staff massage room for blind
 * masseurs, data annotation with accessible dormitories and a shuttle.
 */

type DemoEmployer = (typeof DEMO_EMPLOYERS)[number]['login'];

interface DemoOpening {
  key: string;
  employer: DemoEmployer;
  status: OpeningStatus;
  /** Days from the seeding day to the start date. */
  startsIn: number;
  content: Omit<OpeningContent, 'startDate'>;
}

const dorm = (accessible: boolean, costPerMonthCny = 0) => ({ provided: true, accessible, costPerMonthCny });
const noDorm = { provided: false, accessible: false, costPerMonthCny: 0 };
const contract = (termMonths: number) => ({ termMonths, socialInsurance: true, housingFund: false });
const dayShift = (hoursPerDay = 8, daysPerWeek = 5) => ({
  hoursPerDay,
  daysPerWeek,
  shifts: ['day' as const],
});

const FOSHAN_HR = { name: '陈经理', phone: '0757-83000101' };
const FOSHAN_HOME_HR = { name: '梁主管', phone: '0757-83000202' };
const FOSHAN_LOGISTICS_HR = { name: '何主任', phone: '0757-83000303' };
const WENZHOU_SHOES_HR = { name: '林经理', phone: '0577-88000101' };
const WENZHOU_ELECTRIC_HR = { name: '郑主管', phone: '0577-88000202' };

export const DEMO_OPENINGS: readonly DemoOpening[] = [
  {
    key: 'foshan-electronics-assembly',
    employer: 'foshan.employer1',
    status: 'open',
    startsIn: 21,
    content: {
      title: '电子元器件装配工',
      description:
        '在洁净车间流水线上插件、装配电路板。坐姿作业，班组长会手语，车间有灯光报警，作业指导书图文并茂。提供岗前培训一周，包食宿。',
      occupationGroup: '6',
      regionCode: '440600',
      address: '佛山市南海区示例工业园 3 号厂房',
      skills: [{ code: 'electronic_assembly', level: '1' }],
      preferredTraining: ['tp_electronics', 'tp_pre_departure'],
      headcount: 20,
      wageMin: 4200,
      wageMax: 5800,
      hours: dayShift(8, 6),
      jobDemands: ['fine_motor', 'two_hands', 'vision_detail', 'fast_pace'],
      accommodationsOffered: [
        'seated_workstation',
        'step_free',
        'accessible_toilet',
        'visual_alarms',
        'sign_language',
        'text_communication',
        'task_breakdown',
        'accessible_dorm',
      ],
      dormitory: dorm(true),
      canteen: 'subsidised',
      travelSubsidyCny: 600,
      contract: contract(24),
      accommodationContact: FOSHAN_HR,
      suitableFor: ['2', '3', '4'],
    },
  },
  {
    key: 'foshan-electronics-qc',
    employer: 'foshan.employer1',
    status: 'open',
    startsIn: 30,
    content: {
      title: '电子产品外观质检员',
      description: '对照样板检查成品外观和焊点，记录不良品。坐姿工位，配放大灯，指令以企业微信文字下达。',
      occupationGroup: '6',
      regionCode: '440600',
      address: '佛山市南海区示例工业园 3 号厂房',
      skills: [
        { code: 'qc_inspection', level: '1' },
        { code: 'electronic_assembly', level: '1' },
      ],
      preferredTraining: ['tp_electronics'],
      headcount: 6,
      wageMin: 4500,
      wageMax: 6000,
      hours: dayShift(8, 5),
      jobDemands: ['vision_detail', 'reading_print', 'multi_step'],
      accommodationsOffered: ['seated_workstation', 'text_communication', 'quiet_area', 'visual_alarms'],
      dormitory: dorm(false, 100),
      canteen: 'subsidised',
      travelSubsidyCny: 600,
      contract: contract(24),
      accommodationContact: FOSHAN_HR,
      suitableFor: ['2', '3', '4'],
    },
  },
  {
    key: 'foshan-electronics-smt-night',
    employer: 'foshan.employer1',
    status: 'paused',
    startsIn: 45,
    content: {
      title: 'SMT 贴片线操作工（两班倒）',
      description: '贴片机上下料、巡线。白夜班轮换，车间噪音较大，需站立巡线。夜班有补贴。',
      occupationGroup: '6',
      regionCode: '440600',
      address: '佛山市南海区示例工业园 5 号厂房',
      skills: [{ code: 'electronic_assembly', level: '2' }],
      preferredTraining: ['tp_electronics'],
      headcount: 8,
      wageMin: 5200,
      wageMax: 7000,
      hours: { hoursPerDay: 10, daysPerWeek: 6, shifts: ['rotating'], note: '白夜班每月轮换' },
      jobDemands: ['night_shift', 'standing_long', 'walking', 'noisy', 'fast_pace'],
      accommodationsOffered: ['visual_alarms', 'buddy', 'text_communication'],
      dormitory: dorm(false),
      canteen: 'free',
      travelSubsidyCny: 600,
      contract: contract(12),
      accommodationContact: FOSHAN_HR,
      suitableFor: ['2'],
    },
  },
  {
    key: 'foshan-home-packaging',
    employer: 'foshan.employer2',
    status: 'open',
    startsIn: 14,
    content: {
      title: '家居用品包装工（支持性就业）',
      description:
        '把毛巾、收纳盒等按图示装袋、封箱。不计件，节拍可调；就业辅导员陪同上岗一个月，师傅一对一帮带，只上白班。',
      occupationGroup: '6',
      regionCode: '440600',
      address: '佛山市顺德区示例家居产业园 B 栋',
      skills: [{ code: 'packaging', level: '1' }],
      preferredTraining: ['tp_warehouse', 'tp_pre_departure'],
      headcount: 12,
      wageMin: 3600,
      wageMax: 4300,
      hours: dayShift(8, 5),
      jobDemands: ['two_hands', 'multi_step'],
      accommodationsOffered: [
        'job_coach',
        'task_breakdown',
        'buddy',
        'pace_adjusted',
        'day_shift_only',
        'seated_workstation',
        'step_free',
        'accessible_toilet',
        'accessible_dorm',
      ],
      dormitory: dorm(true),
      canteen: 'free',
      travelSubsidyCny: 500,
      contract: contract(12),
      accommodationContact: FOSHAN_HOME_HR,
      suitableFor: ['4', '5', '6'],
    },
  },
  {
    key: 'foshan-home-ecommerce-cs',
    employer: 'foshan.employer2',
    status: 'open',
    startsIn: 21,
    content: {
      title: '电商在线客服（文字）',
      description:
        '在电商平台以文字回复顾客咨询、处理售后。电脑装有读屏软件，可调字体和对比度；工位无障碍，弹性排班。',
      occupationGroup: '4',
      regionCode: '440600',
      address: '佛山市顺德区示例家居产业园 A 栋 3 楼（有电梯）',
      skills: [
        { code: 'ecommerce_cs', level: '1' },
        { code: 'computer_basic', level: '2' },
      ],
      preferredTraining: ['tp_ecommerce', 'tp_computer'],
      headcount: 5,
      wageMin: 4000,
      wageMax: 5500,
      hours: { hoursPerDay: 8, daysPerWeek: 5, shifts: ['day', 'evening'] },
      jobDemands: ['reading_print', 'multi_step'],
      accommodationsOffered: [
        'screen_reader',
        'magnifier',
        'flexible_hours',
        'step_free',
        'accessible_toilet',
        'accessible_dorm',
        'quiet_area',
      ],
      dormitory: dorm(true, 150),
      canteen: 'subsidised',
      travelSubsidyCny: 500,
      contract: contract(24),
      accommodationContact: FOSHAN_HOME_HR,
      suitableFor: ['1', '4'],
    },
  },
  {
    key: 'foshan-home-sewing',
    employer: 'foshan.employer2',
    status: 'open',
    startsIn: 30,
    content: {
      title: '布艺缝纫工',
      description: '缝制抱枕、窗帘等布艺产品。车间机器声大，安全提示为灯光加文字；主管会基本手语。',
      occupationGroup: '6',
      regionCode: '440600',
      address: '佛山市顺德区示例家居产业园 C 栋',
      skills: [{ code: 'sewing', level: '2' }],
      preferredTraining: ['tp_sewing'],
      headcount: 10,
      wageMin: 4500,
      wageMax: 6500,
      hours: dayShift(9, 6),
      jobDemands: ['fine_motor', 'two_hands', 'vision_detail', 'fast_pace', 'noisy'],
      accommodationsOffered: ['seated_workstation', 'visual_alarms', 'sign_language', 'text_communication'],
      dormitory: dorm(false, 100),
      canteen: 'subsidised',
      travelSubsidyCny: 500,
      contract: contract(12),
      accommodationContact: FOSHAN_HOME_HR,
      suitableFor: ['2', '3'],
    },
  },
  {
    key: 'foshan-logistics-sorting',
    employer: 'foshan.employer3',
    status: 'open',
    startsIn: 10,
    content: {
      title: '快递分拣员',
      description: '在分拣线旁按面单区域分拣包裹。重件有助力搬运设备；叉车区有灯光和振动报警。',
      occupationGroup: '4',
      regionCode: '440600',
      address: '佛山市三水区示例物流园 2 号仓',
      skills: [{ code: 'sorting', level: '1' }],
      preferredTraining: ['tp_warehouse'],
      headcount: 15,
      wageMin: 4800,
      wageMax: 6200,
      hours: dayShift(9, 6),
      jobDemands: ['standing_long', 'walking', 'lifting_heavy', 'fast_pace', 'reading_print'],
      accommodationsOffered: ['lifting_aid', 'visual_alarms', 'buddy', 'text_communication'],
      dormitory: dorm(false),
      canteen: 'free',
      travelSubsidyCny: 400,
      contract: contract(12),
      accommodationContact: FOSHAN_LOGISTICS_HR,
      suitableFor: ['2'],
    },
  },
  {
    key: 'foshan-logistics-annotation',
    employer: 'foshan.employer3',
    status: 'open',
    startsIn: 21,
    content: {
      title: '数据标注员（物流面单）',
      description:
        '在电脑上框选、标注面单图片，为识别系统准备数据。全程坐姿，办公区和宿舍均为无障碍设计，上下班有接驳车。',
      occupationGroup: '4',
      regionCode: '440600',
      address: '佛山市三水区示例物流园综合楼 1 楼',
      skills: [
        { code: 'data_annotation', level: '1' },
        { code: 'computer_basic', level: '1' },
      ],
      preferredTraining: ['tp_data_annotation', 'tp_computer'],
      headcount: 10,
      wageMin: 3800,
      wageMax: 5000,
      hours: dayShift(8, 5),
      jobDemands: ['vision_detail', 'multi_step'],
      accommodationsOffered: [
        'step_free',
        'accessible_toilet',
        'seated_workstation',
        'flexible_hours',
        'quiet_area',
        'accessible_dorm',
        'commute_shuttle',
        'text_communication',
      ],
      dormitory: dorm(true),
      canteen: 'subsidised',
      travelSubsidyCny: 400,
      contract: contract(24),
      accommodationContact: FOSHAN_LOGISTICS_HR,
      suitableFor: ['2', '3', '4'],
    },
  },
  {
    key: 'foshan-logistics-packing-draft',
    employer: 'foshan.employer3',
    status: 'draft',
    startsIn: 60,
    content: {
      title: '电商仓打包员',
      description: '按订单拣货、打包、贴单。旺季可能加班。（草稿，待确认工位改造）',
      occupationGroup: '4',
      regionCode: '440600',
      address: '佛山市三水区示例物流园 4 号仓',
      skills: [{ code: 'packaging', level: '1' }],
      preferredTraining: ['tp_warehouse'],
      headcount: 8,
      wageMin: 4200,
      wageMax: 5200,
      hours: dayShift(9, 6),
      jobDemands: ['standing_long', 'walking', 'fast_pace'],
      accommodationsOffered: ['buddy'],
      dormitory: noDorm,
      canteen: 'paid',
      travelSubsidyCny: 0,
      contract: contract(12),
      accommodationContact: FOSHAN_LOGISTICS_HR,
      suitableFor: [],
    },
  },
  {
    key: 'wenzhou-shoes-stitching',
    employer: 'wenzhou.employer1',
    status: 'open',
    startsIn: 14,
    content: {
      title: '鞋面针车工',
      description: '用工业缝纫机缝合鞋面。坐姿作业；车间噪音大，报警为灯光；有会手语的老员工带班。',
      occupationGroup: '6',
      regionCode: '330300',
      address: '温州市鹿城区示例鞋都工业区 12 号',
      skills: [
        { code: 'shoemaking', level: '1' },
        { code: 'sewing', level: '1' },
      ],
      preferredTraining: ['tp_sewing'],
      headcount: 25,
      wageMin: 4800,
      wageMax: 7500,
      hours: dayShift(9, 6),
      jobDemands: ['fine_motor', 'two_hands', 'fast_pace', 'noisy'],
      accommodationsOffered: ['seated_workstation', 'visual_alarms', 'sign_language', 'buddy'],
      dormitory: dorm(false),
      canteen: 'subsidised',
      travelSubsidyCny: 800,
      contract: contract(24),
      accommodationContact: WENZHOU_SHOES_HR,
      suitableFor: ['2', '3'],
    },
  },
  {
    key: 'wenzhou-shoes-massage',
    employer: 'wenzhou.employer1',
    status: 'open',
    startsIn: 30,
    content: {
      title: '职工保健室按摩师',
      description:
        '在厂区职工保健室为员工提供保健按摩。保健室在一楼，通道有盲道和触觉标识，排班表有语音提示；宿舍无障碍。',
      occupationGroup: '4',
      regionCode: '330300',
      address: '温州市鹿城区示例鞋都工业区 12 号职工服务中心 1 楼',
      skills: [{ code: 'massage', level: '2' }],
      preferredTraining: ['tp_massage'],
      headcount: 3,
      wageMin: 4500,
      wageMax: 6000,
      hours: { hoursPerDay: 8, daysPerWeek: 5, shifts: ['day', 'evening'] },
      jobDemands: ['customer_facing', 'standing_long'],
      accommodationsOffered: [
        'tactile_marking',
        'screen_reader',
        'step_free',
        'accessible_toilet',
        'buddy',
        'accessible_dorm',
      ],
      dormitory: dorm(true),
      canteen: 'free',
      travelSubsidyCny: 800,
      contract: contract(36),
      accommodationContact: WENZHOU_SHOES_HR,
      suitableFor: ['1'],
    },
  },
  {
    key: 'wenzhou-electric-assembly',
    employer: 'wenzhou.employer2',
    status: 'open',
    startsIn: 21,
    content: {
      title: '低压电器装配工',
      description: '装配断路器、插座等低压电器部件。工装已改造，可单手操作；坐姿工位，书面作业指导。',
      occupationGroup: '6',
      regionCode: '330300',
      address: '温州市乐清市示例电气产业园 8 号',
      skills: [
        { code: 'appliance_assembly', level: '1' },
        { code: 'electronic_assembly', level: '1' },
      ],
      preferredTraining: ['tp_electronics'],
      headcount: 12,
      wageMin: 4600,
      wageMax: 6200,
      hours: dayShift(8, 6),
      jobDemands: ['fine_motor', 'vision_detail', 'fast_pace'],
      accommodationsOffered: [
        'one_hand_tools',
        'seated_workstation',
        'text_communication',
        'sign_language',
        'visual_alarms',
        'step_free',
      ],
      dormitory: dorm(false, 80),
      canteen: 'subsidised',
      travelSubsidyCny: 800,
      contract: contract(24),
      accommodationContact: WENZHOU_ELECTRIC_HR,
      suitableFor: ['2', '3', '4'],
    },
  },
  {
    key: 'wenzhou-electric-phone-cs',
    employer: 'wenzhou.employer2',
    status: 'open',
    startsIn: 30,
    content: {
      title: '售后电话客服',
      description: '接听经销商电话，登记报修并派单。办公室在一楼，可弹性上班，工位可调节高度。',
      occupationGroup: '4',
      regionCode: '330300',
      address: '温州市乐清市示例电气产业园办公楼 1 楼',
      skills: [
        { code: 'ecommerce_cs', level: '1' },
        { code: 'computer_basic', level: '1' },
      ],
      preferredTraining: ['tp_ecommerce'],
      headcount: 4,
      wageMin: 4200,
      wageMax: 5200,
      hours: dayShift(8, 5),
      jobDemands: ['phone_verbal', 'multi_step', 'reading_print'],
      accommodationsOffered: [
        'step_free',
        'accessible_toilet',
        'seated_workstation',
        'flexible_hours',
        'screen_reader',
        'accessible_dorm',
      ],
      dormitory: dorm(true, 80),
      canteen: 'subsidised',
      travelSubsidyCny: 800,
      contract: contract(12),
      accommodationContact: WENZHOU_ELECTRIC_HR,
      suitableFor: ['1', '4'],
    },
  },
  {
    key: 'wenzhou-electric-data-entry-closed',
    employer: 'wenzhou.employer2',
    status: 'closed',
    startsIn: -90,
    content: {
      title: '仓库数据录入员',
      description: '录入出入库单据。（已招满后关闭）',
      occupationGroup: '3',
      regionCode: '330300',
      address: '温州市乐清市示例电气产业园仓库',
      skills: [{ code: 'data_entry', level: '1' }],
      preferredTraining: ['tp_computer'],
      headcount: 2,
      wageMin: 3800,
      wageMax: 4500,
      hours: dayShift(8, 5),
      jobDemands: ['reading_print'],
      accommodationsOffered: ['seated_workstation', 'step_free'],
      dormitory: noDorm,
      canteen: 'paid',
      travelSubsidyCny: 0,
      contract: contract(12),
      accommodationContact: WENZHOU_ELECTRIC_HR,
      suitableFor: ['4'],
    },
  },
];

/** A stable ObjectId per demo opening, so re-seeding finds what it created. */
export function demoOpeningId(key: string): string {
  return createHash('sha256').update(`tongxin-demo-opening/${key}`).digest('hex').slice(0, 24);
}

function dateIn(days: number, from: Date): string {
  return new Date(from.getTime() + days * 86_400_000).toISOString().slice(0, 10);
}

/**
 * Creates the demo openings that are missing (idempotent: existing ones, edited or not, are left
 * alone). The demo employers are ensured first, so this also works on its own. No change is
 * published: the indexing and matching sweepers pick demo openings up like any lagging document.
 */
export async function seedDemoOpenings(
  config: Pick<Config, 'isProduction' | 'openings'>,
  now = new Date(),
): Promise<{ created: number; existing: number }> {
  if (config.isProduction) throw new Error('demo openings are never created in production');
  const employers = new Map<string, string>();
  for (const e of DEMO_EMPLOYERS) {
    const { org } = await ensureOrganization({
      type: 'employer',
      name: e.name,
      creditCode: e.creditCode,
      locationCode: e.region,
      industryCode: e.industry,
      staffCount: e.staff,
    });
    employers.set(e.login, org.id);
  }
  let created = 0;
  let existing = 0;
  for (const spec of DEMO_OPENINGS) {
    const id = demoOpeningId(spec.key);
    if (await findOpeningById(id)) {
      existing++;
      continue;
    }
    const content: OpeningContent = { ...spec.content, startDate: dateIn(spec.startsIn, now) };
    await assertValidOpeningContent(content, config.openings.wageFloorCny);
    let from: OpeningStatus = 'draft';
    const history = PATH[spec.status].map((action) => {
      const step = { from, to: AFTER[action], action, at: now, by: 'seed' };
      from = step.to;
      return step;
    });
    try {
      await insertOpening(
        { ...content, employerId: employers.get(spec.employer)! },
        { id, status: spec.status, now, history },
      );
      created++;
    } catch (err) {
      // Another seeder inserted it first: just as good.
      if (!isDuplicateKey(err)) throw err;
      existing++;
    }
  }
  return { created, existing };
}
