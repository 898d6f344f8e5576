import rawVocabulary from '../../../src/data/vocabularies.json' with { type: 'json' };
import type {
  MatchContextInput,
  PartnershipPair,
  ProgrammeInfo,
} from '../../../src/modules/matching/context.js';
import type { MatchOpening, MatchProfile, SkillLevel, Text } from '../../../src/modules/matching/types.js';

/*
 * Deterministic demo inputs for matching (benchmarks, fairness report, tests). Proportions are
 * plausible, not statistics: disability categories lean on the 2006 national sample survey
 * (physical and hearing most common), limitations follow the vocabulary's
 * `typicalLimitationsByCategory`, skills follow a long tail, partnerships follow DOMAIN.md
 * (Guangdong → 甘孜 is given to 广州 here for the demo). Category and level are returned beside
 * the profiles, for the fairness report only: they never enter a MatchProfile.
 */

/** xoshiro128** seeded through a splitmix-style mixer: fast, well spread, reproducible. */
export class Random {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;
  constructor(seed: number) {
    let x = seed >>> 0;
    const next = () => {
      x = (x + 0x9e3779b9) >>> 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.s0 = next();
    this.s1 = next();
    this.s2 = next();
    this.s3 = next() || 1;
  }
  private u32(): number {
    const rotl = (v: number, k: number) => ((v << k) | (v >>> (32 - k))) >>> 0;
    const result = Math.imul(rotl(Math.imul(this.s1, 5) >>> 0, 7), 9) >>> 0;
    const t = (this.s1 << 9) >>> 0;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3 >>> 0, 11);
    this.s0 >>>= 0;
    this.s1 >>>= 0;
    this.s2 >>>= 0;
    return result;
  }
  /** [0, 1) */
  next(): number {
    return this.u32() / 4294967296;
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }
  weighted<T>(items: readonly (readonly [T, number])[]): T {
    let sum = 0;
    for (const [, w] of items) sum += w;
    let x = this.next() * sum;
    for (const [v, w] of items) {
      x -= w;
      if (x < 0) return v;
    }
    return items[items.length - 1]![0];
  }
}

const R = (zh: string, en: string): Text => ({ zh, en });

/** Receiving prefectures (四川) with some of their counties; GB/T 2260 codes. */
const RECEIVING: readonly {
  code: string;
  name: Text;
  weight: number;
  counties: readonly [string, string, string][];
}[] = [
  {
    code: '513400',
    name: R('凉山州', 'Liangshan'),
    weight: 30,
    counties: [
      ['513401', '西昌市', 'Xichang'],
      ['513428', '普格县', 'Puge'],
      ['513429', '布拖县', 'Butuo'],
      ['513430', '金阳县', 'Jinyang'],
      ['513431', '昭觉县', 'Zhaojue'],
      ['513432', '喜德县', 'Xide'],
      ['513434', '越西县', 'Yuexi'],
      ['513435', '甘洛县', 'Ganluo'],
      ['513436', '美姑县', 'Meigu'],
      ['513437', '雷波县', 'Leibo'],
    ],
  },
  {
    code: '513300',
    name: R('甘孜州', 'Garzê'),
    weight: 8,
    counties: [
      ['513301', '康定市', 'Kangding'],
      ['513322', '泸定县', 'Luding'],
      ['513328', '甘孜县', 'Garzê County'],
      ['513334', '理塘县', 'Litang'],
    ],
  },
  {
    code: '513200',
    name: R('阿坝州', 'Ngawa'),
    weight: 7,
    counties: [
      ['513221', '汶川县', 'Wenchuan'],
      ['513225', '九寨沟县', 'Jiuzhaigou'],
      ['513230', '壤塘县', 'Rangtang'],
      ['513231', '阿坝县', 'Ngawa County'],
    ],
  },
  {
    code: '511100',
    name: R('乐山市', 'Leshan'),
    weight: 10,
    counties: [
      ['511113', '金口河区', 'Jinkouhe'],
      ['511129', '沐川县', 'Muchuan'],
      ['511132', '峨边县', 'Ebian'],
      ['511133', '马边县', 'Mabian'],
    ],
  },
  {
    code: '511300',
    name: R('南充市', 'Nanchong'),
    weight: 12,
    counties: [
      ['511321', '南部县', 'Nanbu'],
      ['511323', '蓬安县', "Peng'an"],
      ['511325', '西充县', 'Xichong'],
    ],
  },
  {
    code: '511600',
    name: R('广安市', "Guang'an"),
    weight: 8,
    counties: [
      ['511602', '广安区', "Guang'an District"],
      ['511621', '岳池县', 'Yuechi'],
      ['511623', '邻水县', 'Linshui'],
    ],
  },
  {
    code: '510800',
    name: R('广元市', 'Guangyuan'),
    weight: 7,
    counties: [
      ['510822', '青川县', 'Qingchuan'],
      ['510823', '剑阁县', 'Jiange'],
      ['510824', '苍溪县', 'Cangxi'],
    ],
  },
  {
    code: '511700',
    name: R('达州市', 'Dazhou'),
    weight: 8,
    counties: [
      ['511722', '宣汉县', 'Xuanhan'],
      ['511781', '万源市', 'Wanyuan'],
    ],
  },
  {
    code: '510700',
    name: R('绵阳市', 'Mianyang'),
    weight: 5,
    counties: [
      ['510726', '北川县', 'Beichuan'],
      ['510727', '平武县', 'Pingwu'],
    ],
  },
  {
    code: '510500',
    name: R('泸州市', 'Luzhou'),
    weight: 5,
    counties: [
      ['510524', '叙永县', 'Xuyong'],
      ['510525', '古蔺县', 'Gulin'],
    ],
  },
];

/** Supporting cities (浙江, 广东) that post openings, with demo weights. */
const SUPPORTING: readonly [string, string, string, number][] = [
  ['440600', '佛山市', 'Foshan', 25],
  ['440100', '广州市', 'Guangzhou', 7],
  ['441900', '东莞市', 'Dongguan', 4],
  ['440300', '深圳市', 'Shenzhen', 4],
  ['330300', '温州市', 'Wenzhou', 10],
  ['330500', '湖州市', 'Huzhou', 8],
  ['330400', '嘉兴市', 'Jiaxing', 8],
  ['330600', '绍兴市', 'Shaoxing', 8],
  ['331000', '台州市', 'Taizhou', 7],
  ['330700', '金华市', 'Jinhua', 8],
  ['330800', '衢州市', 'Quzhou', 6],
  ['330900', '舟山市', 'Zhoushan', 5],
];

const PROVINCES: readonly [string, Text][] = [
  ['510000', R('四川省', 'Sichuan')],
  ['330000', R('浙江省', 'Zhejiang')],
  ['440000', R('广东省', 'Guangdong')],
];

/** DOMAIN.md's partnerships around 2016–2020 (广东 → 甘孜 given to 广州 for the demo). */
export const DEMO_PARTNERSHIPS: readonly PartnershipPair[] = [
  ['330300', ['511321', '513231', '513230']],
  ['330500', ['511600', '510822']],
  ['330400', ['513225']],
  ['330600', ['511133', '513200']],
  ['331000', ['511132']],
  ['330700', ['511113', '513221']],
  ['330800', ['511129', '510726', '510727', '510524', '510525']],
  ['330900', ['511722', '511781']],
  ['440600', ['513400']],
  ['440100', ['513300']],
].flatMap(([city, areas]) =>
  (areas as string[]).map((receivingArea) => ({ supportingCity: city as string, receivingArea })),
);

/** Disability category (GB/T 26341-2010 digit) proportions among demo job seekers. */
const CATEGORY_WEIGHTS: readonly (readonly [string, number])[] = [
  ['4', 36],
  ['2', 22],
  ['1', 10],
  ['5', 10],
  ['6', 10],
  ['3', 4],
  ['7', 8],
];
const LEVEL_WEIGHTS: readonly (readonly [number, number])[] = [
  [1, 10],
  [2, 20],
  [3, 35],
  [4, 35],
];

/** Skills by how common they are in this population: the long tail follows the order. */
const SKILL_POPULARITY = [
  'sewing',
  'electronic_assembly',
  'packaging',
  'handicraft',
  'cleaning',
  'sorting',
  'planting',
  'massage',
  'livestock',
  'kitchen_helper',
  'garment_finishing',
  'qc_inspection',
  'shoemaking',
  'data_entry',
  'computer_basic',
  'ecommerce_cs',
  'warehouse',
  'appliance_assembly',
  'data_annotation',
  'baking',
  'soldering',
  'hairdressing',
  'phone_repair',
  'furniture',
  'ceramics',
  'graphic_design',
  'bookkeeping',
  'cnc',
  'forklift',
  'sign_language',
] as const;
const SKILL_WEIGHTS = SKILL_POPULARITY.map((s, i) => [s, 1 / (i + 1) ** 1.1] as const);

/** Accommodations a limitation commonly calls for, with how often it is recorded as needed. */
const NEEDS_BY_LIMITATION: Readonly<Record<string, readonly (readonly [string, number])[]>> = {
  mobility_wheelchair: [
    ['step_free', 0.95],
    ['accessible_toilet', 0.8],
    ['seated_workstation', 0.6],
  ],
  mobility_walking: [['step_free', 0.5]],
  standing: [['seated_workstation', 0.4]],
  upper_limb_one: [['one_hand_tools', 0.3]],
  vision_blind: [
    ['screen_reader', 0.6],
    ['tactile_marking', 0.3],
  ],
  vision_low: [['magnifier', 0.5]],
  hearing_deaf: [
    ['sign_language', 0.55],
    ['text_communication', 0.3],
    ['visual_alarms', 0.2],
  ],
  hearing_hard: [['visual_alarms', 0.1]],
  speech: [['text_communication', 0.3]],
  cognitive_complex: [
    ['job_coach', 0.4],
    ['task_breakdown', 0.4],
  ],
  literacy: [['task_breakdown', 0.2]],
  stamina: [['flexible_hours', 0.3]],
  stress: [['quiet_area', 0.2]],
  social: [['buddy', 0.2]],
  night_shift: [['day_shift_only', 0.6]],
};

/** Demands that come with an opening's main skill, with their probability. */
const DEMANDS_BY_SKILL: Readonly<Record<string, readonly (readonly [string, number])[]>> = {
  sewing: [
    ['fine_motor', 0.7],
    ['two_hands', 0.8],
    ['fast_pace', 0.6],
    ['vision_detail', 0.3],
  ],
  electronic_assembly: [
    ['fine_motor', 0.8],
    ['two_hands', 0.6],
    ['vision_detail', 0.6],
    ['fast_pace', 0.5],
    ['standing_long', 0.4],
  ],
  packaging: [
    ['standing_long', 0.6],
    ['fast_pace', 0.5],
    ['lifting_heavy', 0.3],
    ['walking', 0.3],
  ],
  sorting: [
    ['walking', 0.6],
    ['standing_long', 0.5],
    ['lifting_heavy', 0.4],
    ['fast_pace', 0.5],
  ],
  warehouse: [
    ['lifting_heavy', 0.7],
    ['walking', 0.8],
    ['hearing_safety', 0.6],
    ['reading_print', 0.5],
  ],
  forklift: [
    ['hearing_safety', 0.9],
    ['heights_machinery', 0.3],
    ['night_shift', 0.3],
  ],
  massage: [
    ['standing_long', 0.5],
    ['customer_facing', 0.6],
  ],
  ecommerce_cs: [
    ['reading_print', 0.8],
    ['multi_step', 0.4],
  ],
  data_annotation: [
    ['reading_print', 0.6],
    ['vision_detail', 0.4],
  ],
  data_entry: [['reading_print', 0.8]],
  cleaning: [
    ['walking', 0.8],
    ['standing_long', 0.6],
    ['stairs', 0.3],
  ],
  kitchen_helper: [
    ['standing_long', 0.8],
    ['fast_pace', 0.5],
    ['noisy', 0.3],
  ],
  qc_inspection: [
    ['vision_detail', 0.9],
    ['standing_long', 0.4],
  ],
  soldering: [
    ['fine_motor', 0.9],
    ['vision_detail', 0.7],
    ['two_hands', 0.6],
  ],
  cnc: [
    ['heights_machinery', 0.7],
    ['noisy', 0.7],
    ['hearing_safety', 0.5],
    ['night_shift', 0.4],
    ['multi_step', 0.5],
  ],
  appliance_assembly: [
    ['two_hands', 0.7],
    ['standing_long', 0.6],
    ['fast_pace', 0.6],
    ['noisy', 0.4],
  ],
  shoemaking: [
    ['fine_motor', 0.6],
    ['two_hands', 0.7],
    ['fast_pace', 0.6],
    ['noisy', 0.3],
  ],
};

/** How often a disability-friendly employer offers each accommodation. */
const FRIENDLY_OFFERS: readonly (readonly [string, number])[] = [
  ['step_free', 0.6],
  ['accessible_toilet', 0.5],
  ['seated_workstation', 0.5],
  ['sign_language', 0.3],
  ['visual_alarms', 0.35],
  ['text_communication', 0.5],
  ['job_coach', 0.2],
  ['task_breakdown', 0.3],
  ['flexible_hours', 0.3],
  ['day_shift_only', 0.25],
  ['quiet_area', 0.15],
  ['buddy', 0.4],
  ['pace_adjusted', 0.25],
  ['lifting_aid', 0.3],
  ['magnifier', 0.15],
  ['screen_reader', 0.1],
  ['one_hand_tools', 0.1],
  ['tactile_marking', 0.05],
  ['commute_shuttle', 0.3],
];

const LEVELS: readonly (readonly [SkillLevel, number])[] = [
  [1, 50],
  [2, 35],
  [3, 15],
];

const WAGE_EXPECTATIONS: readonly (readonly [number, number])[] = [
  [3000, 10],
  [3500, 20],
  [4000, 30],
  [4500, 20],
  [5000, 12],
  [6000, 6],
  [7000, 2],
];

const PROGRAMME_SKILLS = [
  'sewing',
  'electronic_assembly',
  'handicraft',
  'massage',
  'ecommerce_cs',
  'data_annotation',
  'computer_basic',
  'baking',
  'kitchen_helper',
  'cleaning',
  'qc_inspection',
  'shoemaking',
] as const;

export interface GenerateOptions {
  seed?: number;
  profiles?: number;
  openings?: number;
  /** The day ages are computed for; YYYY-MM-DD. */
  asOf?: string;
}

export interface GeneratedMatchingData {
  profiles: MatchProfile[];
  openings: MatchOpening[];
  /** For the fairness report only; never part of a MatchProfile. */
  disability: Map<string, { category: string; level: number }>;
  /** Everything a MatchContext needs besides weights and vocabulary. */
  context: MatchContextInput;
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

/** Deterministic: the same options always give the same data. */
export function generateMatchingData(options: GenerateOptions = {}): GeneratedMatchingData {
  const seed = options.seed ?? 20_160_101;
  const nProfiles = options.profiles ?? 1000;
  const nOpenings = options.openings ?? 50;
  const asOf = options.asOf ?? '2025-06-30';
  const asOfYear = Number(asOf.slice(0, 4));
  const rnd = new Random(seed);
  const vocab = rawVocabulary;
  const typical = vocab.typicalLimitationsByCategory as Record<string, string[]>;
  const skillSynonyms = new Map(vocab.skills.map((s) => [s.code, s.synonyms]));

  const regionNames: Record<string, Text> = {};
  for (const [code, name] of PROVINCES) regionNames[code] = name;
  for (const pref of RECEIVING) {
    regionNames[pref.code] = pref.name;
    for (const [code, zh, en] of pref.counties) regionNames[code] = R(zh, en);
  }
  for (const [code, zh, en] of SUPPORTING) regionNames[code] = R(zh, en);

  const programmes: Record<string, ProgrammeInfo> = {};
  for (const s of PROGRAMME_SKILLS) {
    const label = vocab.skills.find((x) => x.code === s)!;
    programmes[`P-${s}`] = { zh: `${label.zh}技能培训班`, en: `${label.en} course`, skills: [s] };
  }

  const partnersOfArea = new Map<string, string[]>();
  for (const p of DEMO_PARTNERSHIPS) {
    const list = partnersOfArea.get(p.receivingArea) ?? [];
    list.push(p.supportingCity);
    partnersOfArea.set(p.receivingArea, list);
  }
  const prefWeights = RECEIVING.map((p) => [p, p.weight] as const);

  const disability = new Map<string, { category: string; level: number }>();
  const profiles: MatchProfile[] = [];
  for (let i = 0; i < nProfiles; i++) {
    const id = `wp-${pad(i, 7)}`;
    const pref = rnd.weighted(prefWeights);
    const county = rnd.pick(pref.counties)[0];
    const category = rnd.weighted(CATEGORY_WEIGHTS);
    const level = rnd.weighted(LEVEL_WEIGHTS);
    disability.set(id, { category, level });

    const limitations = new Set<string>();
    const addFrom = (cat: string) => {
      const options = typical[cat] ?? [];
      if (options.length === 0) return;
      if (cat === '1') limitations.add(level <= 2 ? 'vision_blind' : 'vision_low');
      else if (cat === '2') limitations.add(level <= 2 || rnd.chance(0.3) ? 'hearing_deaf' : 'hearing_hard');
      else limitations.add(rnd.pick(options));
    };
    if (category === '7') {
      const cats = ['1', '2', '3', '4', '5', '6'];
      const a = rnd.pick(cats);
      let b = rnd.pick(cats);
      if (b === a) b = cats[(cats.indexOf(a) + 1) % cats.length]!;
      addFrom(a);
      addFrom(b);
    } else {
      addFrom(category);
      if (rnd.chance(level <= 2 ? 0.45 : 0.15)) addFrom(category);
    }
    if (rnd.chance(0.1)) limitations.add('stamina');
    if (rnd.chance(0.06)) limitations.add('literacy');

    const needs = new Set<string>();
    for (const l of limitations) {
      for (const [acc, p] of NEEDS_BY_LIMITATION[l] ?? []) if (rnd.chance(p)) needs.add(acc);
    }
    const needsDormitory = rnd.chance(0.85);
    const needsAccessibleDormitory =
      needsDormitory &&
      ((limitations.has('mobility_wheelchair') && rnd.chance(0.8)) ||
        (limitations.has('vision_blind') && rnd.chance(0.2)));

    const skills = new Map<string, SkillLevel>();
    const nSkills = rnd.weighted([
      [0, 25],
      [1, 40],
      [2, 25],
      [3, 10],
    ] as const);
    if (limitations.has('vision_blind') && rnd.chance(0.6)) skills.set('massage', rnd.weighted(LEVELS));
    if (limitations.has('hearing_deaf') && rnd.chance(0.3)) skills.set('sign_language', 3);
    while (skills.size < nSkills) skills.set(rnd.weighted(SKILL_WEIGHTS), rnd.weighted(LEVELS));
    const skillList = [...skills].map(([code, l]) => {
      // Imported spreadsheets often carry a local name; the vocabulary's synonyms resolve it.
      const syn = skillSynonyms.get(code) ?? [];
      return { code: syn.length > 0 && rnd.chance(0.05) ? rnd.pick(syn) : code, level: l };
    });

    const training: { programme: string; underPartnership: boolean }[] = [];
    if (rnd.chance(0.35)) {
      const own = [...skills.keys()].filter((s) => `P-${s}` in programmes);
      const s = own.length > 0 && rnd.chance(0.6) ? rnd.pick(own) : rnd.pick(PROGRAMME_SKILLS);
      training.push({ programme: `P-${s}`, underPartnership: rnd.chance(0.45) });
    }

    const experience: { skill: string | null; months: number }[] = [];
    if (rnd.chance(0.45)) {
      const n = rnd.int(1, 2);
      for (let k = 0; k < n; k++) {
        const own = [...skills.keys()];
        const skill =
          own.length > 0 && rnd.chance(0.7)
            ? rnd.pick(own)
            : rnd.chance(0.5)
              ? null
              : rnd.weighted(SKILL_WEIGHTS);
        experience.push({ skill, months: Math.round(3 + 60 * rnd.next() ** 2) });
      }
    }

    const partnerCities = partnersOfArea.get(county) ?? partnersOfArea.get(pref.code) ?? [];
    const destinations: string[] = [];
    const d = rnd.next();
    if (d >= 0.4) {
      const home = partnerCities.length > 0 ? rnd.pick(partnerCities) : rnd.pick(SUPPORTING)[0];
      const homeProvince = `${home.slice(0, 2)}0000`;
      if (d < 0.75) {
        destinations.push(rnd.chance(0.85) ? homeProvince : homeProvince === '330000' ? '440000' : '330000');
      } else {
        destinations.push(rnd.chance(0.7) ? home : rnd.pick(SUPPORTING)[0]);
        if (rnd.chance(0.3)) destinations.push(homeProvince);
      }
    }

    const male = rnd.chance(0.58);
    const age = rnd.weighted([
      [rnd.int(16, 17), 3],
      [rnd.int(18, 29), 35],
      [rnd.int(30, 44), 40],
      [rnd.int(45, 54), 15],
      [rnd.int(55, 62), 7],
    ] as const);
    const month = rnd.int(1, 12);
    const day = rnd.int(1, month === 2 ? 28 : 30);
    const birthDate = `${asOfYear - age}-${pad(month, 2)}-${pad(day, 2)}`;

    profiles.push({
      id,
      version: 1,
      status: rnd.weighted([
        ['available', 85],
        ['in_process', 7],
        ['placed', 5],
        ['inactive', 3],
      ] as const),
      sensitiveDataConsent: rnd.chance(0.96),
      birthDate,
      sex: male ? 'male' : 'female',
      originCounty: county,
      limitations: [...limitations],
      accommodationsNeeded: [...needs],
      needsDormitory,
      needsAccessibleDormitory,
      destinations,
      minWage: rnd.chance(0.55) ? rnd.weighted(WAGE_EXPECTATIONS) : null,
      skills: skillList,
      training,
      experience,
    });
  }

  const nEmployers = Math.max(1, Math.ceil(nOpenings / 4));
  const employers = Array.from({ length: nEmployers }, (_, i) => ({
    id: `emp-${pad(i, 5)}`,
    city: rnd.weighted(SUPPORTING.map(([code, , , w]) => [code, w] as const)),
    friendly: rnd.chance(0.5),
  }));
  const peerCounts: Record<string, Record<string, number>> = {};
  for (const e of employers) {
    const paired = DEMO_PARTNERSHIPS.filter((p) => p.supportingCity === e.city).flatMap((p) => {
      const pref = RECEIVING.find((r) => r.code === p.receivingArea);
      return pref ? pref.counties.map((c) => c[0]) : [p.receivingArea];
    });
    const k = rnd.int(0, 4);
    for (let j = 0; j < k; j++) {
      const county =
        paired.length > 0 && rnd.chance(0.8)
          ? rnd.pick(paired)
          : rnd.pick(rnd.weighted(prefWeights).counties)[0];
      peerCounts[e.id] ??= {};
      peerCounts[e.id]![county] = rnd.int(1, 6);
    }
  }

  const openings: MatchOpening[] = [];
  for (let i = 0; i < nOpenings; i++) {
    const employer = employers[i % nEmployers]!;
    const main = rnd.weighted(SKILL_WEIGHTS.slice(0, 29));
    const skillsRequired: { code: string; level: SkillLevel }[] = [];
    if (rnd.chance(0.85)) {
      skillsRequired.push({
        code: main,
        level: rnd.weighted([
          [1, 50],
          [2, 40],
          [3, 10],
        ] as const),
      });
    }
    if (rnd.chance(0.3)) {
      const second = rnd.weighted(SKILL_WEIGHTS);
      if (second !== main) skillsRequired.push({ code: second, level: 1 });
    }
    const demands = new Set<string>();
    for (const [d, p] of DEMANDS_BY_SKILL[main] ?? []) if (rnd.chance(p)) demands.add(d);
    if (rnd.chance(0.2)) demands.add('night_shift');
    if (rnd.chance(0.1)) demands.add('stairs');
    if (rnd.chance(0.05)) demands.add('phone_verbal');
    const offered = new Set<string>();
    if (employer.friendly) {
      for (const [a, p] of FRIENDLY_OFFERS) if (rnd.chance(p)) offered.add(a);
    } else {
      for (const a of ['buddy', 'text_communication', 'commute_shuttle'])
        if (rnd.chance(0.25)) offered.add(a);
    }
    const dormitory = rnd.chance(0.85);
    const accessibleDormitory = dormitory && rnd.chance(employer.friendly ? 0.4 : 0.08);
    const wageMin = rnd.int(30, 55) * 100;
    const headcount = rnd.int(1, 30);
    openings.push({
      id: `op-${pad(i, 6)}`,
      version: 1,
      status: rnd.weighted([
        ['open', 88],
        ['paused', 5],
        ['draft', 3],
        ['closed', 2],
        ['filled', 2],
      ] as const),
      headcount,
      filled: rnd.chance(0.1) ? headcount : rnd.int(0, headcount - 1),
      employerId: employer.id,
      city: employer.city,
      skillsRequired,
      preferredTraining: rnd.chance(0.25) && `P-${main}` in programmes ? [`P-${main}`] : [],
      wageMin,
      wageMax: wageMin + rnd.int(5, 25) * 100,
      demands: [...demands],
      accommodationsOffered: [...offered],
      dormitory,
      accessibleDormitory,
    });
  }

  return {
    profiles,
    openings,
    disability,
    context: { asOf, partnerships: DEMO_PARTNERSHIPS, peerCounts, regionNames, programmes },
  };
}
