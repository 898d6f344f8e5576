/**
 * The spreadsheet template of the worker-profile import, defined once: the upload parser maps
 * headers with it, the downloadable template and its 填写说明 sheet are generated from it, and
 * docs/worker-profile-import.md describes the same columns.
 */
export type ColumnKey =
  | 'name'
  | 'idNumber'
  | 'certificateNumber'
  | 'disabilityCategory'
  | 'disabilityLevel'
  | 'phone'
  | 'originCode'
  | 'sex'
  | 'birthDate'
  | 'skills'
  | 'training'
  | 'destinations'
  | 'minimumWage'
  | 'jobTypes'
  | 'education'
  | 'languages'
  | 'functionalLimitations'
  | 'assistiveDevices'
  | 'accommodationsNeeded'
  | 'needsDormitory'
  | 'needsAccessibleDormitory'
  | 'willingToTravelWithGroup'
  | 'guardianName'
  | 'guardianRelation'
  | 'guardianPhone'
  | 'consentTextVersion'
  | 'consentDate'
  | 'consentGivenBy';

export interface ImportColumn {
  key: ColumnKey;
  header: string;
  /** Other headers seen in federations' own rosters. */
  aliases: readonly string[];
  required: boolean;
  /** Identity numbers: the cell must be text (a number cell has lost digits already). */
  identity?: true;
  date?: true;
  description: string;
  example: string;
  width: number;
}

export const IMPORT_COLUMNS: readonly ImportColumn[] = [
  {
    key: 'name',
    header: '姓名',
    aliases: ['名字', '人员姓名'],
    required: true,
    description: '与身份证一致的姓名',
    example: '王芳',
    width: 10,
  },
  {
    key: 'idNumber',
    header: '身份证号',
    aliases: ['身份证号码', '公民身份号码', '身份证'],
    required: true,
    identity: true,
    description: '18 位居民身份证号，末位可为 X。请把该列设为“文本”格式，否则 Excel 会丢失后几位数字',
    example: '51343119900101××××',
    width: 22,
  },
  {
    key: 'certificateNumber',
    header: '残疾人证号',
    aliases: ['残疾证号', '残疾人证号码', '残疾证号码', '残疾证编号'],
    required: true,
    identity: true,
    description:
      '第二代残疾人证号：身份证号 + 残疾类别（1 位）+ 残疾等级（1 位），补发证另加 B1、B2 等。设为文本格式',
    example: '51343119900101××××42',
    width: 26,
  },
  {
    key: 'disabilityCategory',
    header: '残疾类别',
    aliases: ['残疾类型'],
    required: true,
    description:
      '视力、听力、言语、肢体、智力、精神、多重（或代码 1–7，GB/T 26341-2010）；须与残疾人证号第 19 位一致',
    example: '肢体',
    width: 10,
  },
  {
    key: 'disabilityLevel',
    header: '残疾等级',
    aliases: ['残疾级别'],
    required: true,
    description: '一级至四级（或 1–4）；须与残疾人证号第 20 位一致',
    example: '二级',
    width: 10,
  },
  {
    key: 'phone',
    header: '联系电话',
    aliases: ['手机号', '手机号码', '电话', '联系方式', '本人电话'],
    required: false,
    description: '本人 11 位手机号（没有可留空）',
    example: '13800138000',
    width: 14,
  },
  {
    key: 'originCode',
    header: '户籍所在地',
    aliases: ['户籍地', '户籍', '户口所在地', '所在县', '户籍所在县'],
    required: true,
    description: '本辖区内的县（市、区）或市（州）：名称或 6 位行政区划代码',
    example: '昭觉县',
    width: 14,
  },
  {
    key: 'sex',
    header: '性别',
    aliases: [],
    required: false,
    description: '男 / 女（可不填：由身份证号得出；填写时须与身份证号一致）',
    example: '女',
    width: 6,
  },
  {
    key: 'birthDate',
    header: '出生日期',
    aliases: ['出生年月日'],
    required: false,
    date: true,
    description: '可不填：由身份证号得出；填写时须与身份证号一致',
    example: '1990-01-01',
    width: 12,
  },
  {
    key: 'skills',
    header: '技能',
    aliases: ['技能特长', '职业技能', '特长'],
    required: false,
    description: '多个用“；”分隔，可在括号中注明等级（入门 / 熟练 / 精通）',
    example: '电子装配（熟练）；缝纫',
    width: 24,
  },
  {
    key: 'training',
    header: '培训经历',
    aliases: ['培训情况', '参加培训'],
    required: false,
    description: '已完成的培训项目名称，多个用“；”分隔（详细的机构、日期、学时可在系统中补充）',
    example: '电子装配工培训',
    width: 22,
  },
  {
    key: 'destinations',
    header: '意向地区',
    aliases: ['意向就业地区', '就业意向地区', '意向地', '意向务工地'],
    required: false,
    description: '广东、浙江的省或市，多个用“；”分隔；不填表示不限',
    example: '佛山；温州',
    width: 16,
  },
  {
    key: 'minimumWage',
    header: '期望月薪',
    aliases: ['期望工资', '期望薪资', '最低月薪'],
    required: false,
    description: '元 / 月，整数',
    example: '3500',
    width: 10,
  },
  {
    key: 'jobTypes',
    header: '意向工种',
    aliases: ['意向职业', '求职意向'],
    required: false,
    description: '职业大类名称（如 生产制造及有关人员），多个用“；”分隔',
    example: '生产制造及有关人员',
    width: 20,
  },
  {
    key: 'education',
    header: '文化程度',
    aliases: ['学历'],
    required: false,
    description: '未上过学、小学、初中、高中、中专/职高/技校、特殊教育学校、大专、本科及以上',
    example: '初中',
    width: 10,
  },
  {
    key: 'languages',
    header: '语言',
    aliases: ['使用语言', '掌握语言'],
    required: false,
    description: '普通话、四川话、藏语、彝语、羌语、中国手语、粤语，多个用“；”分隔',
    example: '普通话；彝语',
    width: 14,
  },
  {
    key: 'functionalLimitations',
    header: '功能限制',
    aliases: ['功能障碍'],
    required: false,
    description: '如 使用轮椅、不能久站、听不见；多个用“；”分隔（见“代码表”）',
    example: '不能久站',
    width: 18,
  },
  {
    key: 'assistiveDevices',
    header: '辅助器具',
    aliases: ['辅具'],
    required: false,
    description: '如 轮椅、助听器、盲杖；多个用“；”分隔',
    example: '',
    width: 12,
  },
  {
    key: 'accommodationsNeeded',
    header: '所需支持',
    aliases: ['需要的便利', '所需便利', '合理便利'],
    required: false,
    description: '如 无障碍通道、手语支持、坐姿工位；多个用“；”分隔（见“代码表”）',
    example: '坐姿工位',
    width: 18,
  },
  {
    key: 'needsDormitory',
    header: '需要宿舍',
    aliases: ['是否需要宿舍'],
    required: false,
    description: '是 / 否',
    example: '是',
    width: 8,
  },
  {
    key: 'needsAccessibleDormitory',
    header: '需要无障碍宿舍',
    aliases: ['是否需要无障碍宿舍'],
    required: false,
    description: '是 / 否（“是”时“需要宿舍”也应为“是”）',
    example: '否',
    width: 10,
  },
  {
    key: 'willingToTravelWithGroup',
    header: '愿意集体出行',
    aliases: ['是否愿意集体出行', '愿意集中输送'],
    required: false,
    description: '是 / 否',
    example: '是',
    width: 10,
  },
  {
    key: 'guardianName',
    header: '监护人姓名',
    aliases: ['监护人', '联系人姓名', '支持者姓名'],
    required: false,
    description: '监护人、支持者或家属的姓名',
    example: '',
    width: 10,
  },
  {
    key: 'guardianRelation',
    header: '监护人关系',
    aliases: ['与本人关系'],
    required: false,
    description: '监护人 / 支持者 / 家属（默认 监护人）',
    example: '',
    width: 10,
  },
  {
    key: 'guardianPhone',
    header: '监护人电话',
    aliases: ['联系人电话', '家属电话'],
    required: false,
    description: '11 位手机号',
    example: '',
    width: 14,
  },
  {
    key: 'consentTextVersion',
    header: '同意书版本',
    aliases: ['知情同意书版本'],
    required: false,
    description:
      '本人（或监护人、支持者）已签署的《敏感个人信息处理同意书》版本号；填写即登记书面同意（PIPL 第二十九条）',
    example: 'pi-2024.1',
    width: 12,
  },
  {
    key: 'consentDate',
    header: '同意日期',
    aliases: ['签署日期'],
    required: false,
    date: true,
    description: '签署同意书的日期（默认导入当天）',
    example: '2024-03-01',
    width: 12,
  },
  {
    key: 'consentGivenBy',
    header: '同意人',
    aliases: ['签署人'],
    required: false,
    description: '本人 / 监护人 / 支持者（默认 本人；监护人、支持者签署时须填写监护人姓名）',
    example: '本人',
    width: 8,
  },
];

/** Headers that rosters carry and the import knowingly skips. */
export const SKIPPED_HEADERS = ['序号', '编号', '备注', '档案编号'];

export const COLUMN_BY_KEY = new Map(IMPORT_COLUMNS.map((c) => [c.key, c]));

/** Header cells vary: full-width characters, spaces, a leading `*`, a trailing `（必填）`. */
export function normalizeHeader(header: string): string {
  return header
    .normalize('NFKC')
    .replace(/\s+/gu, '')
    .replace(/^\*+/u, '')
    .replace(/\((必填|选填|可选)\)$/u, '')
    .replace(/\*+$/u, '');
}

const HEADER_INDEX: Map<string, ColumnKey> = (() => {
  const m = new Map<string, ColumnKey>();
  for (const c of IMPORT_COLUMNS) for (const h of [c.header, ...c.aliases]) m.set(normalizeHeader(h), c.key);
  return m;
})();

export function columnOfHeader(header: string): ColumnKey | undefined {
  return HEADER_INDEX.get(normalizeHeader(header));
}

export function isSkippedHeader(header: string): boolean {
  return SKIPPED_HEADERS.includes(normalizeHeader(header));
}
