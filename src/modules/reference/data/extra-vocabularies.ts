/**
 * Vocabularies beyond the shared starting set: national enums from the 残疾人动态更新 / 实名制
 * forms (DOMAIN.md), occupations at the major-group level of 中华人民共和国职业分类大典 (2015),
 * training programmes, education, languages and assistive devices.
 */
export interface VocabularySeedEntry {
  code: string;
  zh: string;
  en: string;
  synonyms?: string[];
  /** Kind-specific attributes (e.g. a training programme's skills and length class). */
  attributes?: Record<string, unknown>;
}

export const OCCUPATION_GROUPS: VocabularySeedEntry[] = [
  { code: '1', zh: '党的机关、国家机关、群众团体和社会组织、企事业单位负责人', en: 'Heads of organisations' },
  { code: '2', zh: '专业技术人员', en: 'Professional and technical personnel' },
  { code: '3', zh: '办事人员和有关人员', en: 'Clerical and related personnel' },
  { code: '4', zh: '社会生产服务和生活服务人员', en: 'Production and personal service personnel' },
  {
    code: '5',
    zh: '农、林、牧、渔业生产及辅助人员',
    en: 'Agriculture, forestry, animal husbandry and fishery',
  },
  { code: '6', zh: '生产制造及有关人员', en: 'Production, manufacturing and related personnel' },
  { code: '7', zh: '军人', en: 'Military personnel' },
  { code: '8', zh: '不便分类的其他从业人员', en: 'Others not classifiable' },
];

/** Skill → occupation major group (职业分类大典 2015); finer codes can be added per skill. */
export const SKILL_OCCUPATION_GROUP: Record<string, string> = {
  electronic_assembly: '6',
  soldering: '6',
  qc_inspection: '6',
  sewing: '6',
  garment_finishing: '6',
  shoemaking: '6',
  packaging: '6',
  sorting: '4',
  warehouse: '4',
  massage: '4',
  ecommerce_cs: '4',
  data_annotation: '4',
  data_entry: '3',
  computer_basic: '3',
  graphic_design: '2',
  cleaning: '4',
  kitchen_helper: '4',
  handicraft: '6',
  furniture: '6',
  ceramics: '6',
  appliance_assembly: '6',
  forklift: '6',
  cnc: '6',
  planting: '5',
  livestock: '5',
  baking: '4',
  hairdressing: '4',
  phone_repair: '4',
  bookkeeping: '3',
  sign_language: '2',
};

export const EMPLOYMENT_FORMS: VocabularySeedEntry[] = [
  { code: '1', zh: '按比例就业', en: 'quota employment' },
  { code: '2', zh: '集中就业', en: 'concentrated employment' },
  { code: '3', zh: '个体就业（含自主创业）', en: 'self-employment (incl. start-ups)' },
  { code: '4', zh: '公益性岗位', en: 'public-welfare post' },
  { code: '5', zh: '辅助性就业', en: 'supported employment' },
  { code: '6', zh: '农村种养加', en: 'rural farming, breeding and processing' },
  { code: '7', zh: '灵活就业', en: 'flexible employment' },
];

export const NOT_WORKING_REASONS: VocabularySeedEntry[] = [
  { code: 'studying', zh: '在校学习', en: 'in education' },
  { code: 'retired', zh: '退休', en: 'retired' },
  { code: 'unwilling', zh: '无意愿就业', en: 'does not wish to work' },
  { code: 'no_skills', zh: '无就业技能', en: 'no employable skills' },
  { code: 'unable', zh: '丧失劳动能力', en: 'unable to work' },
  { code: 'land_expropriated', zh: '农用土地被征用', en: 'farmland expropriated' },
  { code: 'other', zh: '其他', en: 'other' },
];

export const EMPLOYMENT_HELP: VocabularySeedEntry[] = [
  { code: 'skills_training', zh: '职业技能培训', en: 'vocational skills training' },
  { code: 'job_referral', zh: '职业介绍', en: 'job referral' },
  { code: 'rural_training', zh: '农村实用技术培训', en: 'rural practical technology training' },
  { code: 'credit_support', zh: '资金信贷扶持', en: 'funding and credit support' },
  { code: 'other', zh: '其他', en: 'other' },
];

export const TRAINING_LENGTHS: VocabularySeedEntry[] = [
  { code: 'long', zh: '长期（6个月以上）', en: 'long (over 6 months)' },
  { code: 'medium', zh: '中期（6个月以下）', en: 'medium (under 6 months)' },
  { code: 'short', zh: '短期（1个月以下）', en: 'short (under 1 month)' },
];

export const EDUCATION_LEVELS: VocabularySeedEntry[] = [
  { code: 'none', zh: '未上过学', en: 'no schooling' },
  { code: 'primary', zh: '小学', en: 'primary school' },
  { code: 'junior', zh: '初中', en: 'junior secondary' },
  { code: 'senior', zh: '高中', en: 'senior secondary' },
  { code: 'vocational', zh: '中专/职高/技校', en: 'secondary vocational' },
  { code: 'special', zh: '特殊教育学校', en: 'special education school' },
  { code: 'college', zh: '大专', en: 'junior college' },
  { code: 'bachelor', zh: '本科及以上', en: "bachelor's or above" },
];

export const LANGUAGES: VocabularySeedEntry[] = [
  { code: 'cmn', zh: '普通话', en: 'Mandarin', synonyms: ['汉语'] },
  { code: 'sichuanese', zh: '四川话', en: 'Sichuanese' },
  { code: 'tibetan', zh: '藏语', en: 'Tibetan' },
  { code: 'yi', zh: '彝语', en: 'Nuosu (Yi)' },
  { code: 'qiang', zh: '羌语', en: 'Qiang' },
  { code: 'csl', zh: '中国手语', en: 'Chinese Sign Language', synonyms: ['手语'] },
  { code: 'cantonese', zh: '粤语', en: 'Cantonese' },
];

export const ASSISTIVE_DEVICES: VocabularySeedEntry[] = [
  { code: 'wheelchair', zh: '轮椅', en: 'wheelchair' },
  { code: 'crutches', zh: '拐杖', en: 'crutches' },
  { code: 'prosthesis', zh: '假肢', en: 'prosthesis' },
  { code: 'orthosis', zh: '矫形器', en: 'orthosis' },
  { code: 'hearing_aid', zh: '助听器', en: 'hearing aid' },
  { code: 'cochlear_implant', zh: '人工耳蜗', en: 'cochlear implant' },
  { code: 'white_cane', zh: '盲杖', en: 'white cane' },
  { code: 'screen_reader', zh: '读屏软件', en: 'screen reader software' },
  { code: 'magnifier', zh: '助视器', en: 'magnifier' },
];

/** Training programmes commonly run for transfer placements; `skills` links them to skill codes. */
export const TRAINING_PROGRAMMES: VocabularySeedEntry[] = [
  {
    code: 'tp_electronics',
    zh: '电子装配工培训',
    en: 'Electronics assembly training',
    attributes: { skills: ['electronic_assembly', 'soldering'], length: 'medium' },
  },
  {
    code: 'tp_sewing',
    zh: '缝纫工培训',
    en: 'Sewing machinist training',
    attributes: { skills: ['sewing', 'garment_finishing'], length: 'medium' },
  },
  {
    code: 'tp_massage',
    zh: '盲人医疗按摩培训',
    en: 'Massage training for blind people',
    attributes: { skills: ['massage'], length: 'long' },
  },
  {
    code: 'tp_ecommerce',
    zh: '电商客服培训',
    en: 'E-commerce customer service training',
    attributes: { skills: ['ecommerce_cs', 'computer_basic'], length: 'short' },
  },
  {
    code: 'tp_data_annotation',
    zh: '数据标注员培训',
    en: 'Data annotation training',
    attributes: { skills: ['data_annotation', 'computer_basic'], length: 'short' },
  },
  {
    code: 'tp_computer',
    zh: '计算机基础培训',
    en: 'Basic computer training',
    attributes: { skills: ['computer_basic', 'data_entry'], length: 'short' },
  },
  {
    code: 'tp_handicraft',
    zh: '彝绣藏绣手工培训',
    en: 'Yi and Tibetan embroidery training',
    attributes: { skills: ['handicraft'], length: 'medium' },
  },
  {
    code: 'tp_baking',
    zh: '西点烘焙培训',
    en: 'Baking and pastry training',
    attributes: { skills: ['baking'], length: 'medium' },
  },
  {
    code: 'tp_warehouse',
    zh: '仓储物流培训',
    en: 'Warehouse and logistics training',
    attributes: { skills: ['warehouse', 'sorting', 'packaging'], length: 'short' },
  },
  {
    code: 'tp_forklift',
    zh: '叉车司机培训（持证）',
    en: 'Forklift driver training (licensed)',
    attributes: { skills: ['forklift'], length: 'short' },
  },
  {
    code: 'tp_sign_language',
    zh: '中国手语培训',
    en: 'Chinese Sign Language training',
    attributes: { skills: ['sign_language'], length: 'medium' },
  },
  {
    code: 'tp_pre_departure',
    zh: '转移就业岗前培训',
    en: 'Pre-departure job readiness training',
    attributes: { skills: [], length: 'short' },
  },
];
