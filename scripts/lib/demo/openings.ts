import type { CreateOpeningInput } from '../../../src/modules/openings/openings.schemas.js';
import { creditCodeCheckChar } from '../../../src/modules/orgs/credit-code.js';

/**
 * Employers and openings the demo story adds to the demo accounts' five employers and fourteen
 * openings (seed-accounts.ts, seed-openings.ts): more
 * in 佛山 and 温州, and employers in the cities paired with the other prefectures (湖州 → 广安 and
 * 青川, 绍兴 → 阿坝 and 马边, 金华, 嘉兴, 舟山, 台州, 衢州, and 广州 for 甘孜). Every employer is
 * fictitious (示例 = "example"; credit codes carry the `DEM` segment).
 */

export interface DemoEmployer {
  login: string;
  name: string;
  region: string;
  industry: string;
  staff: number;
  creditCode: string;
  hr: { name: string; phone: string };
}

function creditCode(region: string, n: number): string {
  const first17 = `91${region}MADEM${String(n).padStart(4, '0')}`;
  return first17 + creditCodeCheckChar(first17)!;
}

const E = (
  n: number,
  login: string,
  name: string,
  region: string,
  industry: string,
  staff: number,
  hr: [string, string],
): DemoEmployer => ({
  login,
  name,
  region,
  industry,
  staff,
  creditCode: creditCode(region, n),
  hr: { name: hr[0], phone: hr[1] },
});

// Numbers from 21 on: seed-accounts.ts numbers its employers from 1.
export const STORY_EMPLOYERS: readonly DemoEmployer[] = [
  E(21, 'foshan.employer4', '佛山示例陶瓷有限公司', '440600', 'C30', 520, ['区主管', '0757-83000404']),
  E(22, 'foshan.employer5', '佛山示例食品有限公司', '440600', 'C14', 310, ['黎经理', '0757-83000505']),
  E(23, 'wenzhou.employer3', '温州示例服装有限公司', '330300', 'C18', 240, ['潘主管', '0577-88000303']),
  E(24, 'huzhou.employer1', '湖州示例童装有限公司', '330500', 'C18', 350, ['沈经理', '0572-22000101']),
  E(25, 'huzhou.employer2', '湖州示例竹木制品有限公司', '330500', 'C20', 160, ['钱主任', '0572-22000202']),
  E(26, 'shaoxing.employer1', '绍兴示例纺织印染有限公司', '330600', 'C17', 600, ['孙经理', '0575-85000101']),
  E(27, 'shaoxing.employer2', '绍兴示例黄酒酿造有限公司', '330600', 'C15', 280, ['鲁主管', '0575-85000202']),
  E(28, 'guangzhou.employer1', '广州示例电子商务有限公司', '440100', 'I64', 200, ['梁经理', '020-83000101']),
  E(29, 'guangzhou.employer2', '广州示例酒店管理有限公司', '440100', 'H61', 450, ['冯主管', '020-83000202']),
  E(30, 'jinhua.employer1', '金华示例五金工具有限公司', '330700', 'C33', 330, ['楼经理', '0579-82000101']),
  E(31, 'jiaxing.employer1', '嘉兴示例箱包有限公司', '330400', 'C19', 210, ['朱主管', '0573-82000101']),
  E(32, 'zhoushan.employer1', '舟山示例水产食品有限公司', '330900', 'C13', 380, ['应经理', '0580-20000101']),
  E(33, 'taizhou.employer1', '台州示例塑料制品有限公司', '331000', 'C29', 270, ['陈主任', '0576-88000101']),
  E(34, 'quzhou.employer1', '衢州示例特种纸业有限公司', '330800', 'C22', 190, ['徐经理', '0570-30000101']),
];

const CITY: Record<string, string> = {
  '440600': '佛山市',
  '330300': '温州市',
  '330500': '湖州市',
  '330600': '绍兴市',
  '440100': '广州市',
  '330700': '金华市',
  '330400': '嘉兴市',
  '330900': '舟山市',
  '331000': '台州市',
  '330800': '衢州市',
};

type Content = Omit<
  CreateOpeningInput,
  'employerId' | 'regionCode' | 'address' | 'startDate' | 'accommodationContact'
>;

const dorm = (accessible: boolean, costPerMonthCny = 0) => ({ provided: true, accessible, costPerMonthCny });
const noDorm = { provided: false, accessible: false, costPerMonthCny: 0 };
const contract = (termMonths: number) => ({ termMonths, socialInsurance: true, housingFund: false });
const hours = (shifts: ('day' | 'evening' | 'night' | 'rotating')[], hoursPerDay = 8, daysPerWeek = 5) => ({
  hoursPerDay,
  daysPerWeek,
  shifts,
});

/** Kinds of work, each with the demands and accommodations that make the matching tell a story. */
const KINDS: Record<string, Content> = {
  sewing: {
    title: '缝纫车工',
    description: '流水线缝制。坐姿作业；车间噪音大，报警为灯光；带班组长会手语，作业指导图文并茂。',
    occupationGroup: '6',
    skills: [{ code: 'sewing', level: '1' }],
    preferredTraining: ['tp_sewing'],
    headcount: 12,
    wageMin: 4300,
    wageMax: 6500,
    hours: hours(['day'], 8, 6),
    jobDemands: ['fine_motor', 'two_hands', 'fast_pace', 'noisy'],
    accommodationsOffered: ['seated_workstation', 'visual_alarms', 'sign_language', 'text_communication'],
    dormitory: dorm(false, 100),
    canteen: 'subsidised',
    travelSubsidyCny: 600,
    contract: contract(12),
    suitableFor: ['2', '3'],
  },
  assembly_night: {
    title: '装配工（两班倒）',
    description: '装配线作业，白班夜班每两周轮换，夜班有补贴。坐姿工位，灯光报警，班组有手语翻译。',
    occupationGroup: '6',
    skills: [{ code: 'electronic_assembly', level: '1' }],
    preferredTraining: ['tp_electronics'],
    headcount: 15,
    wageMin: 4800,
    wageMax: 7000,
    hours: hours(['day', 'night'], 8, 6),
    jobDemands: ['fine_motor', 'two_hands', 'vision_detail', 'night_shift', 'fast_pace'],
    accommodationsOffered: ['seated_workstation', 'visual_alarms', 'sign_language'],
    dormitory: dorm(false),
    canteen: 'free',
    travelSubsidyCny: 800,
    contract: contract(24),
    suitableFor: ['2', '3'],
  },
  packing_coached: {
    title: '包装工（支持性就业）',
    description: '按步骤卡片装盒、贴标。有就业辅导员全程陪同，任务分解成小步骤，固定白班，节奏可调。',
    occupationGroup: '6',
    skills: [{ code: 'packaging', level: '1' }],
    preferredTraining: ['tp_warehouse'],
    headcount: 8,
    wageMin: 3600,
    wageMax: 4500,
    hours: hours(['day'], 8, 5),
    jobDemands: ['standing_long', 'multi_step'],
    accommodationsOffered: [
      'job_coach',
      'task_breakdown',
      'buddy',
      'day_shift_only',
      'pace_adjusted',
      'quiet_area',
    ],
    dormitory: dorm(false),
    canteen: 'free',
    travelSubsidyCny: 500,
    contract: contract(12),
    suitableFor: ['5', '6'],
  },
  qc: {
    title: '质检员',
    description: '在检验台目检、记录不良品。坐姿，书面交流即可，有灯光报警；宿舍两人间。',
    occupationGroup: '6',
    skills: [{ code: 'qc_inspection', level: '1' }],
    preferredTraining: ['tp_electronics'],
    headcount: 6,
    wageMin: 4500,
    wageMax: 6000,
    hours: hours(['day'], 8, 5),
    jobDemands: ['vision_detail', 'reading_print'],
    accommodationsOffered: ['seated_workstation', 'text_communication', 'visual_alarms', 'sign_language'],
    dormitory: dorm(false, 80),
    canteen: 'subsidised',
    travelSubsidyCny: 500,
    contract: contract(12),
    suitableFor: ['2', '3', '4'],
  },
  cs_accessible: {
    title: '网店客服',
    description: '在线文字客服，处理订单咨询。办公区和宿舍均无障碍，可弹性上班，电脑装有读屏软件。',
    occupationGroup: '4',
    skills: [
      { code: 'ecommerce_cs', level: '1' },
      { code: 'computer_basic', level: '1' },
    ],
    preferredTraining: ['tp_ecommerce', 'tp_computer'],
    headcount: 6,
    wageMin: 4000,
    wageMax: 5500,
    hours: hours(['day', 'evening'], 8, 5),
    jobDemands: ['multi_step', 'reading_print'],
    accommodationsOffered: [
      'step_free',
      'accessible_toilet',
      'seated_workstation',
      'flexible_hours',
      'screen_reader',
      'accessible_dorm',
      'commute_shuttle',
    ],
    dormitory: dorm(true),
    canteen: 'subsidised',
    travelSubsidyCny: 800,
    contract: contract(24),
    suitableFor: ['1', '4'],
  },
  annotation: {
    title: '数据标注员',
    description: '在电脑上标注图片和文本。全程坐姿，工作区安静，无障碍宿舍，上下班接驳车。',
    occupationGroup: '4',
    skills: [{ code: 'data_annotation', level: '1' }],
    preferredTraining: ['tp_data_annotation'],
    headcount: 10,
    wageMin: 3800,
    wageMax: 5000,
    hours: hours(['day'], 8, 5),
    jobDemands: ['vision_detail', 'multi_step'],
    accommodationsOffered: [
      'step_free',
      'accessible_toilet',
      'seated_workstation',
      'quiet_area',
      'accessible_dorm',
      'commute_shuttle',
      'text_communication',
    ],
    dormitory: dorm(true),
    canteen: 'subsidised',
    travelSubsidyCny: 600,
    contract: contract(24),
    suitableFor: ['2', '4'],
  },
  massage: {
    title: '保健按摩师',
    description: '在员工健康中心或门店提供保健按摩。通道有盲道和触觉标识，排班有语音提示，宿舍无障碍。',
    occupationGroup: '4',
    skills: [{ code: 'massage', level: '2' }],
    preferredTraining: ['tp_massage'],
    headcount: 3,
    wageMin: 4500,
    wageMax: 7000,
    hours: hours(['day', 'evening'], 8, 6),
    jobDemands: ['customer_facing', 'standing_long'],
    accommodationsOffered: ['tactile_marking', 'screen_reader', 'step_free', 'buddy', 'accessible_dorm'],
    dormitory: dorm(true),
    canteen: 'free',
    travelSubsidyCny: 800,
    contract: contract(36),
    suitableFor: ['1'],
  },
  kitchen: {
    title: '中央厨房帮厨',
    description: '洗切配菜、分装。就业辅导员带岗两个月，流程图贴在工位上；仅白班。',
    occupationGroup: '4',
    skills: [{ code: 'kitchen_helper', level: '1' }],
    preferredTraining: ['tp_baking'],
    headcount: 6,
    wageMin: 3800,
    wageMax: 4800,
    hours: hours(['day'], 8, 6),
    jobDemands: ['standing_long', 'fast_pace', 'two_hands'],
    accommodationsOffered: ['job_coach', 'task_breakdown', 'day_shift_only', 'buddy'],
    dormitory: dorm(false),
    canteen: 'free',
    travelSubsidyCny: 500,
    contract: contract(12),
    suitableFor: ['5', '2'],
  },
  housekeeping: {
    title: '客房服务员',
    description: '酒店客房清洁整理。师傅一带一，任务清单图文化；员工宿舍在酒店后楼。',
    occupationGroup: '4',
    skills: [{ code: 'cleaning', level: '1' }],
    preferredTraining: [],
    headcount: 8,
    wageMin: 4000,
    wageMax: 5200,
    hours: hours(['day', 'evening'], 8, 5),
    jobDemands: ['walking', 'standing_long', 'lifting_heavy'],
    accommodationsOffered: ['job_coach', 'buddy', 'task_breakdown', 'text_communication'],
    dormitory: dorm(false, 150),
    canteen: 'free',
    travelSubsidyCny: 800,
    contract: contract(12),
    suitableFor: ['2', '5'],
  },
  warehouse_night: {
    title: '仓储分拣员（夜班）',
    description: '夜间分拣、理货，重件有助力设备；叉车区有灯光和振动报警。夜班补贴每晚 40 元。',
    occupationGroup: '4',
    skills: [{ code: 'sorting', level: '1' }],
    preferredTraining: ['tp_warehouse'],
    headcount: 10,
    wageMin: 5000,
    wageMax: 6800,
    hours: hours(['night'], 8, 6),
    jobDemands: ['night_shift', 'standing_long', 'walking', 'lifting_heavy', 'fast_pace'],
    accommodationsOffered: ['lifting_aid', 'visual_alarms', 'buddy'],
    dormitory: dorm(false),
    canteen: 'free',
    travelSubsidyCny: 500,
    contract: contract(12),
    suitableFor: ['2'],
  },
  handicraft: {
    title: '手工艺品制作工',
    description: '竹编、布艺等手工制作，计件加保底。坐姿，环境安静，可弹性上班；无障碍宿舍。',
    occupationGroup: '6',
    skills: [{ code: 'handicraft', level: '1' }],
    preferredTraining: ['tp_handicraft'],
    headcount: 10,
    wageMin: 3600,
    wageMax: 5000,
    hours: hours(['day'], 7, 5),
    jobDemands: ['fine_motor', 'two_hands'],
    accommodationsOffered: [
      'seated_workstation',
      'flexible_hours',
      'quiet_area',
      'step_free',
      'accessible_toilet',
      'accessible_dorm',
    ],
    dormitory: dorm(true),
    canteen: 'subsidised',
    travelSubsidyCny: 600,
    contract: contract(12),
    suitableFor: ['4', '6', '3'],
  },
  shoes: {
    title: '制鞋工',
    description: '鞋面针车、成型。坐姿工位，灯光报警，老员工会手语。',
    occupationGroup: '6',
    skills: [{ code: 'shoemaking', level: '1' }],
    preferredTraining: ['tp_sewing'],
    headcount: 12,
    wageMin: 4600,
    wageMax: 7000,
    hours: hours(['day'], 9, 6),
    jobDemands: ['fine_motor', 'two_hands', 'fast_pace', 'noisy'],
    accommodationsOffered: ['seated_workstation', 'visual_alarms', 'sign_language', 'buddy'],
    dormitory: dorm(false),
    canteen: 'subsidised',
    travelSubsidyCny: 800,
    contract: contract(24),
    suitableFor: ['2', '3'],
  },
  baking: {
    title: '烘焙工',
    description: '面包、糕点制作与包装。按图卡操作，烤炉区有灯光报警；白班。',
    occupationGroup: '6',
    skills: [{ code: 'baking', level: '1' }],
    preferredTraining: ['tp_baking'],
    headcount: 6,
    wageMin: 4000,
    wageMax: 5200,
    hours: hours(['day'], 8, 6),
    jobDemands: ['standing_long', 'two_hands', 'fast_pace'],
    accommodationsOffered: ['visual_alarms', 'task_breakdown', 'sign_language', 'day_shift_only'],
    dormitory: dorm(false, 100),
    canteen: 'free',
    travelSubsidyCny: 500,
    contract: contract(12),
    suitableFor: ['2', '5'],
  },
  ceramics: {
    title: '陶瓷彩绘工',
    description: '在瓷坯上描线、上色。坐姿，安静工作区，工位可调节高度。',
    occupationGroup: '6',
    skills: [{ code: 'ceramics', level: '1' }],
    preferredTraining: ['tp_handicraft'],
    headcount: 6,
    wageMin: 4200,
    wageMax: 6000,
    hours: hours(['day'], 8, 5),
    jobDemands: ['fine_motor', 'vision_detail'],
    accommodationsOffered: ['seated_workstation', 'quiet_area', 'step_free', 'text_communication'],
    dormitory: dorm(false),
    canteen: 'subsidised',
    travelSubsidyCny: 600,
    contract: contract(24),
    suitableFor: ['2', '3', '4'],
  },
  data_entry: {
    title: '数据录入员',
    description: '录入单据和订单。办公室在一楼，无障碍卫生间，可弹性上班。',
    occupationGroup: '3',
    skills: [{ code: 'data_entry', level: '1' }],
    preferredTraining: ['tp_computer'],
    headcount: 4,
    wageMin: 3800,
    wageMax: 4800,
    hours: hours(['day'], 8, 5),
    jobDemands: ['reading_print', 'multi_step'],
    accommodationsOffered: [
      'step_free',
      'accessible_toilet',
      'seated_workstation',
      'flexible_hours',
      'magnifier',
    ],
    dormitory: noDorm,
    canteen: 'paid',
    travelSubsidyCny: 0,
    contract: contract(12),
    suitableFor: ['4'],
  },
};

/** Which kinds each story employer posts (46 openings, with the fourteen of the demo accounts: 60). */
const POSTINGS: Record<string, readonly string[]> = {
  'foshan.employer1': ['assembly_night', 'qc'],
  'foshan.employer2': ['handicraft', 'sewing'],
  'foshan.employer3': ['warehouse_night', 'packing_coached'],
  'foshan.employer4': ['ceramics', 'packing_coached', 'qc', 'data_entry'],
  'foshan.employer5': ['baking', 'kitchen', 'packing_coached'],
  'wenzhou.employer1': ['shoes', 'packing_coached'],
  'wenzhou.employer2': ['assembly_night', 'cs_accessible'],
  'wenzhou.employer3': ['sewing', 'qc', 'cs_accessible'],
  'huzhou.employer1': ['sewing', 'packing_coached', 'cs_accessible'],
  'huzhou.employer2': ['handicraft', 'data_entry'],
  'shaoxing.employer1': ['sewing', 'warehouse_night', 'qc'],
  'shaoxing.employer2': ['kitchen', 'packing_coached'],
  'guangzhou.employer1': ['cs_accessible', 'annotation', 'packing_coached'],
  'guangzhou.employer2': ['housekeeping', 'massage', 'kitchen'],
  'jinhua.employer1': ['assembly_night', 'packing_coached'],
  'jiaxing.employer1': ['sewing', 'handicraft'],
  'zhoushan.employer1': ['kitchen', 'packing_coached'],
  'taizhou.employer1': ['assembly_night', 'qc'],
  'quzhou.employer1': ['packing_coached', 'data_entry'],
};

export interface DemoOpeningSpec {
  key: string;
  employer: string;
  /** Days from the load day to the start date. */
  startsIn: number;
  content: Omit<CreateOpeningInput, 'employerId' | 'startDate'>;
}

/** The story's openings for employers given as login → {region, hr}. */
export function demoOpenings(
  employers: ReadonlyMap<string, { region: string; hr: { name: string; phone: string } }>,
) {
  const specs: DemoOpeningSpec[] = [];
  let n = 0;
  for (const [login, kinds] of Object.entries(POSTINGS)) {
    const e = employers.get(login);
    if (!e) continue;
    kinds.forEach((kind, i) => {
      n++;
      const base = KINDS[kind]!;
      specs.push({
        key: `${login}-${kind}`,
        employer: login,
        startsIn: 10 + ((n * 7) % 40),
        content: {
          ...base,
          headcount: base.headcount + (n % 3) * 2,
          regionCode: e.region,
          address: `${CITY[e.region] ?? ''}示例产业园 ${n} 号${i ? ` ${i + 1} 号车间` : ''}`,
          accommodationContact: e.hr,
        },
      });
    });
  }
  return specs;
}
