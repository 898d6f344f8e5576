import vocabularies from '../../../src/data/vocabularies.json' with { type: 'json' };
import { COLUMN_BY_KEY } from '../../../src/modules/worker-profiles/import-columns.js';
import type { CreateProfileInput } from '../../../src/modules/worker-profiles/worker-profiles.schemas.js';
import { Random } from '../generate/matching-data.js';
import { demoCertificateNumber, demoIdNumber, demoPhone } from './ids.js';

/**
 * The job seekers of the demo story: fictitious people from the receiving prefectures, each
 * registered by the federation whose jurisdiction holds their county, with the skills, training
 * and wishes such people really bring (massage for blind people, sewing and assembly for deaf
 * people, supported packaging work for people with an intellectual disability …). Deterministic
 * for a seed: the same people on every machine (birth dates count back from the load year).
 */

/** A receiving prefecture of the story: who registers its people, its counties, its partners. */
interface Origin {
  /** Number in the fictitious ID numbers (ids.ts). */
  index: number;
  /** Login prefix of the demo federation that registers its people (seed-accounts.ts). */
  federation: string;
  counties: readonly { code: string; destinations: readonly string[]; federation?: string }[];
  share: number;
  names: 'yi' | 'tibetan' | 'qiang_tibetan' | 'han';
  languages: readonly string[];
}

export const ORIGINS: readonly Origin[] = [
  {
    index: 1,
    federation: 'liangshan',
    counties: [
      { code: '513401', destinations: ['440600'] },
      { code: '513431', destinations: ['440600'], federation: 'zhaojue' },
      { code: '513432', destinations: ['440600'] },
      { code: '513436', destinations: ['440600'] },
      { code: '513437', destinations: ['440600', '440000'] },
      { code: '513434', destinations: ['440600'] },
    ],
    share: 30,
    names: 'yi',
    languages: ['yi', 'cmn'],
  },
  {
    index: 2,
    federation: 'ganzi',
    counties: [
      { code: '513301', destinations: ['440000'] },
      { code: '513322', destinations: ['440100'] },
      { code: '513328', destinations: ['440000'] },
      { code: '513334', destinations: ['440100', '440600'] },
    ],
    share: 10,
    names: 'tibetan',
    languages: ['tibetan', 'cmn'],
  },
  {
    index: 3,
    federation: 'aba',
    counties: [
      { code: '513231', destinations: ['330300'] },
      { code: '513230', destinations: ['330300'] },
      { code: '513221', destinations: ['330700', '330600'] },
      { code: '513225', destinations: ['330400', '330600'] },
      { code: '513201', destinations: ['330600'] },
    ],
    share: 12,
    names: 'qiang_tibetan',
    languages: ['cmn', 'qiang'],
  },
  {
    index: 4,
    federation: 'nanchong',
    counties: [
      { code: '511321', destinations: ['330300'] },
      { code: '511302', destinations: ['330300', '330000'] },
      { code: '511324', destinations: ['330000'] },
    ],
    share: 14,
    names: 'han',
    languages: ['sichuanese', 'cmn'],
  },
  {
    index: 5,
    federation: 'guangyuan',
    counties: [
      { code: '510822', destinations: ['330500'] },
      { code: '510802', destinations: ['330500', '330000'] },
    ],
    share: 8,
    names: 'han',
    languages: ['sichuanese', 'cmn'],
  },
  {
    index: 6,
    federation: 'guangan',
    counties: [
      { code: '511602', destinations: ['330500'] },
      { code: '511621', destinations: ['330500'] },
      { code: '511623', destinations: ['330500', '330000'] },
    ],
    share: 8,
    names: 'han',
    languages: ['sichuanese', 'cmn'],
  },
  {
    index: 7,
    federation: 'leshan',
    counties: [
      { code: '511133', destinations: ['330600'] },
      { code: '511132', destinations: ['331000'] },
      { code: '511113', destinations: ['330700'] },
      { code: '511129', destinations: ['330800', '330000'] },
    ],
    share: 10,
    names: 'yi',
    languages: ['cmn', 'yi'],
  },
  {
    index: 8,
    federation: 'dazhou',
    counties: [
      { code: '511722', destinations: ['330900'] },
      { code: '511781', destinations: ['330900', '330000'] },
    ],
    share: 8,
    names: 'han',
    languages: ['sichuanese', 'cmn'],
  },
];

const HAN_SURNAMES = [
  '王',
  '李',
  '张',
  '刘',
  '陈',
  '杨',
  '赵',
  '黄',
  '周',
  '吴',
  '徐',
  '孙',
  '何',
  '罗',
  '唐',
  '冯',
  '邓',
  '蒲',
  '苟',
  '谢',
];
const HAN_GIVEN_M = [
  '建国',
  '志强',
  '俊',
  '小龙',
  '明亮',
  '海波',
  '勇',
  '文斌',
  '家豪',
  '成林',
  '德明',
  '永福',
];
const HAN_GIVEN_F = [
  '秀英',
  '小燕',
  '丽',
  '婷婷',
  '春梅',
  '玉兰',
  '雪',
  '晓琴',
  '佳怡',
  '红',
  '美玲',
  '桂芳',
];
const YI_M = [
  '阿苦日呷',
  '吉克木呷',
  '沙马拉且',
  '阿说尔古',
  '吉伍伍各',
  '曲比阿牛',
  '马海木呷',
  '俄底日古',
  '海来拉铁',
  '阿西拉格',
];
const YI_F = [
  '吉克阿依',
  '阿苦阿呷',
  '沙马阿果',
  '曲比阿支',
  '俄底阿芝',
  '吉伍阿衣',
  '马海阿嫫',
  '海来阿卓',
  '阿西阿呷',
  '勒格阿依',
];
const TIBETAN_M = ['扎西', '次仁', '泽仁多吉', '洛绒', '尼玛', '格桑', '降措', '多吉', '益西', '贡布'];
const TIBETAN_F = ['卓玛', '拉姆', '央金', '曲珍', '泽仁拉姆', '格桑卓玛', '达娃', '德吉', '白玛', '斯郎措'];
const QIANG_M = ['余永清', '王国富', '杨德全', '何志华', '陈小平'];
const QIANG_F = ['余春花', '王秀兰', '杨小英', '何翠芳', '陈玉梅'];

function nameFor(rng: Random, names: Origin['names'], sex: 'male' | 'female'): string {
  const male = sex === 'male';
  switch (names) {
    case 'yi':
      return rng.chance(0.8)
        ? rng.pick(male ? YI_M : YI_F)
        : rng.pick(HAN_SURNAMES) + rng.pick(male ? HAN_GIVEN_M : HAN_GIVEN_F);
    case 'tibetan':
      return rng.pick(male ? TIBETAN_M : TIBETAN_F);
    case 'qiang_tibetan':
      return rng.chance(0.5) ? rng.pick(male ? QIANG_M : QIANG_F) : rng.pick(male ? TIBETAN_M : TIBETAN_F);
    default:
      return rng.pick(HAN_SURNAMES) + rng.pick(male ? HAN_GIVEN_M : HAN_GIVEN_F);
  }
}

/** What each category usually brings: functional limitations, and skills its people train in. */
const BY_CATEGORY: Record<string, { limitations: readonly string[]; skills: readonly string[] }> = {
  '1': {
    limitations: ['vision_blind', 'vision_low'],
    skills: ['massage', 'massage', 'ecommerce_cs', 'handicraft'],
  },
  '2': {
    limitations: ['hearing_deaf', 'hearing_hard'],
    skills: [
      'sewing',
      'electronic_assembly',
      'qc_inspection',
      'data_annotation',
      'shoemaking',
      'baking',
      'sign_language',
    ],
  },
  '3': {
    limitations: ['speech'],
    skills: ['packaging', 'sewing', 'data_entry', 'electronic_assembly', 'ceramics'],
  },
  '4': {
    limitations: ['mobility_wheelchair', 'mobility_walking', 'standing', 'lifting', 'upper_limb_one'],
    skills: [
      'ecommerce_cs',
      'data_entry',
      'computer_basic',
      'electronic_assembly',
      'handicraft',
      'phone_repair',
      'bookkeeping',
      'graphic_design',
    ],
  },
  '5': {
    limitations: ['cognitive_complex', 'literacy'],
    skills: ['packaging', 'cleaning', 'sorting', 'kitchen_helper', 'planting'],
  },
  '6': {
    limitations: ['stress', 'social', 'night_shift'],
    skills: ['packaging', 'handicraft', 'cleaning', 'baking', 'garment_finishing'],
  },
  '7': {
    limitations: ['hearing_hard', 'speech', 'mobility_walking'],
    skills: ['packaging', 'handicraft', 'sorting'],
  },
};

/** Accommodations a limitation calls for (what staff record as needed). */
const NEEDS: Record<string, readonly string[]> = {
  mobility_wheelchair: ['step_free', 'accessible_toilet', 'seated_workstation'],
  mobility_walking: ['step_free'],
  standing: ['seated_workstation'],
  lifting: ['lifting_aid'],
  upper_limb_one: ['one_hand_tools'],
  vision_blind: ['screen_reader', 'tactile_marking'],
  vision_low: ['magnifier'],
  hearing_deaf: ['sign_language', 'visual_alarms'],
  hearing_hard: ['visual_alarms'],
  speech: ['text_communication'],
  cognitive_complex: ['job_coach', 'task_breakdown'],
  literacy: ['task_breakdown'],
  stress: ['quiet_area'],
  social: ['buddy'],
  night_shift: ['day_shift_only'],
};

/** Training programmes by skill (the vocabulary's tp_* codes). */
export const PROGRAMME_OF_SKILL: Record<string, string> = {
  electronic_assembly: 'tp_electronics',
  qc_inspection: 'tp_electronics',
  sewing: 'tp_sewing',
  garment_finishing: 'tp_sewing',
  shoemaking: 'tp_sewing',
  massage: 'tp_massage',
  ecommerce_cs: 'tp_ecommerce',
  data_annotation: 'tp_data_annotation',
  data_entry: 'tp_computer',
  computer_basic: 'tp_computer',
  handicraft: 'tp_handicraft',
  ceramics: 'tp_handicraft',
  baking: 'tp_baking',
  kitchen_helper: 'tp_baking',
  packaging: 'tp_warehouse',
  sorting: 'tp_warehouse',
  sign_language: 'tp_sign_language',
};

export interface DemoTraining {
  programmeCode: string;
  /** Delivered by the supporting side (recorded by that federation), or locally. */
  bySupportingSide: boolean;
  monthsAgo: number;
  hours: number;
  certified: boolean;
}

export interface DemoPerson {
  key: string;
  /** Login of the registering federation's staff (e.g. `liangshan.staff`). */
  registeredBy: string;
  input: CreateProfileInput;
  training: DemoTraining[];
  /** Why this person is in the story as someone the matching leaves out, if so. */
  excluded: null | 'over_working_age' | 'no_processing_consent';
}

function pickWeighted<T>(rng: Random, items: readonly (readonly [T, number])[]): T {
  return rng.weighted(items);
}

function isoDate(year: number, month: number, day: number): string {
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/**
 * `count` people (the story has 400), spread over the origins by share. The first 28 cover every
 * disability category × level; a few are over working age or have no processing consent (the
 * matching leaves them out and the profile says why); a few consent through a guardian or
 * supporter.
 */
export function demoPeople(count: number, loadYear: number, seed = 2024): DemoPerson[] {
  const rng = new Random(seed);
  const totalShare = ORIGINS.reduce((s, o) => s + o.share, 0);
  const people: DemoPerson[] = [];
  const overAgeEvery = 67;
  const noConsentEvery = 53;
  for (let i = 0; i < count; i++) {
    // Origins in turn by share, so a smaller story keeps every prefecture.
    let x = ((i * 7919) % totalShare) + 0.5;
    let origin = ORIGINS[0]!;
    for (const o of ORIGINS) {
      x -= o.share;
      if (x < 0) {
        origin = o;
        break;
      }
    }
    const county = rng.pick(origin.counties);
    const sex = rng.chance(0.58) ? 'male' : 'female';
    const category =
      i < 28
        ? String((i % 7) + 1)
        : pickWeighted(rng, [
            ['4', 36],
            ['2', 22],
            ['1', 10],
            ['5', 10],
            ['6', 10],
            ['3', 4],
            ['7', 8],
          ] as const);
    const level =
      i < 28
        ? String(Math.floor(i / 7) + 1)
        : pickWeighted(rng, [
            ['1', 8],
            ['2', 20],
            ['3', 36],
            ['4', 36],
          ] as const);
    const overAge = i % overAgeEvery === 40;
    const noConsent = !overAge && i % noConsentEvery === 30;
    const age = overAge
      ? sex === 'male'
        ? rng.int(61, 64)
        : rng.int(56, 58)
      : rng.int(18, sex === 'male' ? 52 : 48);
    const birthDate = isoDate(loadYear - age, rng.int(1, 12), rng.int(1, 28));
    const idNumber = demoIdNumber({ prefectureIndex: origin.index, birthDate, sex, sequence: i });
    const profile = BY_CATEGORY[category]!;
    const limitations = new Set<string>([rng.pick(profile.limitations)]);
    if (rng.chance(0.25)) limitations.add(rng.pick(profile.limitations));
    if (category === '7') limitations.add('stamina');
    const needs = new Set<string>();
    for (const l of limitations) for (const n of NEEDS[l] ?? []) if (rng.chance(0.75)) needs.add(n);
    const skills = new Map<string, string>();
    const skillCount = rng.int(1, 3);
    for (let k = 0; k < skillCount; k++)
      skills.set(
        rng.pick(profile.skills),
        String(
          rng.weighted([
            ['1', 5],
            ['2', 4],
            ['3', 1],
          ] as const),
        ),
      );
    const wheelchair = limitations.has('mobility_wheelchair');
    const needsDormitory = wheelchair || rng.chance(0.85);
    const languages = new Set(origin.languages);
    if (limitations.has('hearing_deaf')) languages.add('csl');
    const guardianGives = (category === '5' || category === '6') && level <= '2' && rng.chance(0.6);
    const guardianName = `${nameFor(rng, origin.names, rng.chance(0.5) ? 'male' : 'female')}`;
    const anywhere = rng.chance(0.15);
    const input: CreateProfileInput = {
      name: nameFor(rng, origin.names, sex),
      idNumber,
      certificateNumber: demoCertificateNumber(idNumber, category, level),
      phone: rng.chance(0.9) ? demoPhone(i) : null,
      sex,
      birthDate,
      disabilityCategory: category as CreateProfileInput['disabilityCategory'],
      disabilityLevel: level as CreateProfileInput['disabilityLevel'],
      originCode: county.code,
      functionalLimitations: [...limitations],
      assistiveDevices: wheelchair ? ['wheelchair'] : [],
      accommodationsNeeded: [...needs],
      skills: [...skills].map(([code, lvl]) => ({ code, level: lvl })),
      education: rng.weighted([
        ['primary', 3],
        ['junior', 5],
        ['senior', 2],
        ['vocational', 2],
        ['special', 2],
      ] as const),
      languages: [...languages],
      experience: rng.chance(0.4)
        ? [{ skill: [...skills.keys()][0]!, months: rng.int(3, 36), endedYear: loadYear - rng.int(0, 4) }]
        : [],
      preferences: {
        destinationCodes: anywhere ? [] : [...county.destinations],
        minimumWage: rng.chance(0.7) ? rng.int(7, 10) * 500 : null,
        jobTypes: [],
        needsDormitory,
        needsAccessibleDormitory: wheelchair,
        willingToTravelWithGroup: rng.chance(0.8),
      },
      guardian: guardianGives ? { relation: 'guardian', name: guardianName } : null,
      ...(noConsent
        ? {}
        : {
            processingConsent: {
              textVersion: 'pi-2024.1',
              channel: rng.pick(['paper_form', 'paper_form', 'in_person'] as const),
              givenBy: guardianGives ? ('guardian' as const) : ('self' as const),
              ...(guardianGives
                ? { representative: { relation: 'guardian' as const, name: guardianName } }
                : {}),
              assistedByStaff: rng.chance(0.7),
            },
          }),
    };
    const training: DemoTraining[] = [];
    for (const code of skills.keys()) {
      const programme = PROGRAMME_OF_SKILL[code];
      if (!programme || !rng.chance(0.45)) continue;
      training.push({
        programmeCode: programme,
        bySupportingSide: rng.chance(0.5),
        monthsAgo: rng.int(2, 20),
        hours: rng.pick([40, 80, 120, 160]),
        certified: rng.chance(0.5),
      });
    }
    if (rng.chance(0.3))
      training.push({
        programmeCode: 'tp_pre_departure',
        bySupportingSide: false,
        monthsAgo: 1,
        hours: 16,
        certified: false,
      });
    people.push({
      key: `p${String(i).padStart(3, '0')}`,
      registeredBy: `${county.federation ?? origin.federation}.staff`,
      input,
      training,
      excluded: overAge ? 'over_working_age' : noConsent ? 'no_processing_consent' : null,
    });
  }
  return people;
}

const COUNTY_NAMES: Record<string, string> = {
  '513301': '康定市',
  '513322': '泸定县',
  '513328': '甘孜县',
  '513334': '理塘县',
};
const CATEGORY_ZH: Record<string, string> = {
  '1': '视力',
  '2': '听力',
  '3': '言语',
  '4': '肢体',
  '5': '智力',
  '6': '精神',
  '7': '多重',
};
const LEVEL_ZH: Record<string, string> = { '1': '一级', '2': '二级', '3': '三级', '4': '四级' };

/**
 * The roster 甘孜's federation imports in the story (CSV with the template's headers): people of
 * 甘孜 beyond the story's cast, then two rows the import rejects — an ID number whose check
 * character is wrong, and a certificate number whose category digit disagrees with the category.
 */
export function demoRoster(storySize: number, loadYear: number): string {
  const extra = demoPeople(Math.min(storySize + 60, 500), loadYear)
    .slice(storySize)
    .filter((p) => p.registeredBy === 'ganzi.staff' && COUNTY_NAMES[p.input.originCode])
    .slice(0, 6);
  const skillZh = (code: string) => vocabularies.skills.find((s) => s.code === code)?.zh ?? code;
  const row = (p: DemoPerson, idNumber = p.input.idNumber, category = p.input.disabilityCategory) => [
    p.input.name,
    idNumber,
    `${idNumber}${category}${p.input.disabilityLevel}`,
    CATEGORY_ZH[p.input.disabilityCategory]!,
    LEVEL_ZH[p.input.disabilityLevel]!,
    p.input.phone ?? '',
    COUNTY_NAMES[p.input.originCode] ?? '康定市',
    p.input.skills.map((s) => skillZh(s.code)).join('；'),
    '',
    '广东',
    p.input.preferences.minimumWage ? String(p.input.preferences.minimumWage) : '',
    p.input.preferences.needsDormitory ? '是' : '否',
  ];
  const wrong = (id: string) => id.slice(0, 17) + (id.endsWith('0') ? '1' : '0');
  const last = extra.at(-1)!;
  const rows = [
    ...extra.slice(0, -2).map((p) => row(p)),
    row(extra.at(-2)!, wrong(extra.at(-2)!.input.idNumber)),
    row(last, last.input.idNumber, last.input.disabilityCategory === '1' ? '2' : '1'),
  ];
  // The template's own headers, in the order `row` writes the cells.
  const header = (
    [
      'name',
      'idNumber',
      'certificateNumber',
      'disabilityCategory',
      'disabilityLevel',
      'phone',
      'originCode',
      'skills',
      'training',
      'destinations',
      'minimumWage',
      'needsDormitory',
    ] as const
  ).map((key) => COLUMN_BY_KEY.get(key)!.header);
  return [header, ...rows].map((r) => r.join(',')).join('\r\n');
}
