import ExcelJS from 'exceljs';
import { isWithin, PROVINCES } from '../../lib/regions.js';
import { formulaSafeRow } from '../../lib/spreadsheet-cells.js';
import type { VocabularyKind } from '../reference/reference.service.js';
import { IMPORT_COLUMNS } from './import-columns.js';
import type { ReferenceSnapshot } from './reference-snapshot.js';

/**
 * The downloadable import template: sheet 人员信息 (headers only, identity columns formatted as
 * text so Excel keeps all 18 characters, drop-down lists where the values are few), 填写说明 (one
 * line per column, generated from the same definitions the parser uses) and 代码表 (the names
 * every vocabulary column accepts, and the regions of the caller's jurisdiction).
 */
export async function buildTemplate(ref: ReferenceSnapshot, jurisdictionCode?: string): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = '同心 Tongxin';
  const sheet = workbook.addWorksheet('人员信息', { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = IMPORT_COLUMNS.map((c) => ({
    header: c.header,
    key: c.key,
    width: c.width,
    style: c.identity || c.key === 'phone' || c.key === 'guardianPhone' ? { numFmt: '@' } : {},
  }));
  const header = sheet.getRow(1);
  header.font = { bold: true };
  IMPORT_COLUMNS.forEach((c, i) => {
    const cell = header.getCell(i + 1);
    if (c.required) cell.font = { bold: true, color: { argb: 'FFC00000' } };
    cell.note = `${c.required ? '（必填）' : '（选填）'}${c.description}`;
  });
  const lists: Partial<Record<(typeof IMPORT_COLUMNS)[number]['key'], string[]>> = {
    disabilityCategory: ['视力', '听力', '言语', '肢体', '智力', '精神', '多重'],
    disabilityLevel: ['一级', '二级', '三级', '四级'],
    sex: ['男', '女'],
    needsDormitory: ['是', '否'],
    needsAccessibleDormitory: ['是', '否'],
    willingToTravelWithGroup: ['是', '否'],
    guardianRelation: ['监护人', '支持者', '家属'],
    consentGivenBy: ['本人', '监护人', '支持者'],
  };
  IMPORT_COLUMNS.forEach((c, i) => {
    const list = lists[c.key];
    if (!list) return;
    const letter = sheet.getColumn(i + 1).letter;
    // Rows 2–2001: enough for a roster, small enough to keep the file light.
    for (let r = 2; r <= 2001; r++)
      sheet.getCell(`${letter}${r}`).dataValidation = {
        type: 'list',
        allowBlank: true,
        formulae: [`"${list.join(',')}"`],
      };
  });

  const guide = workbook.addWorksheet('填写说明');
  guide.columns = [
    { header: '列', key: 'header', width: 16 },
    { header: '必填', key: 'required', width: 6 },
    { header: '说明', key: 'description', width: 90 },
    { header: '示例', key: 'example', width: 24 },
  ];
  guide.getRow(1).font = { bold: true };
  for (const c of IMPORT_COLUMNS)
    guide.addRow({
      header: c.header,
      required: c.required ? '是' : '',
      description: c.description,
      example: c.example,
    });
  guide.addRow({});
  for (const line of [
    '表头须在前 10 行内，列的顺序不限；“序号”“备注”等其他列会被忽略。',
    '同一文件可以重复上传：已登记的人（按身份证号）会被更新，不会重复登记；留空的选填单元格不会清除已有信息。',
    '不能导入的行会在导入结果中列出（行号、列、原因），其余行照常导入。',
    '文件中不能有公式，CSV 单元格不能以 =、+、-、@ 开头（电话的 +86 除外）；身份证号、残疾人证号请设为文本格式。支持 .xlsx 和 .csv（UTF-8 或 GBK）。',
  ])
    guide.addRow({ header: '', description: line });

  const codes = workbook.addWorksheet('代码表');
  codes.columns = [
    { header: '类别', key: 'kind', width: 14 },
    { header: '可填写的名称', key: 'zh', width: 30 },
    { header: '同义词', key: 'synonyms', width: 40 },
    { header: '代码', key: 'code', width: 24 },
  ];
  codes.getRow(1).font = { bold: true };
  const kinds: [VocabularyKind, string][] = [
    ['skill', '技能'],
    ['training_programme', '培训经历'],
    ['limitation', '功能限制'],
    ['assistive_device', '辅助器具'],
    ['accommodation', '所需支持'],
    ['education', '文化程度'],
    ['language', '语言'],
    ['occupation_group', '意向工种'],
  ];
  for (const [kind, label] of kinds)
    for (const e of ref.entries(kind))
      codes.addRow(formulaSafeRow({ kind: label, zh: e.zh, synonyms: e.synonyms.join('、'), code: e.code }));
  for (const r of ref.regions())
    if (
      (isWithin(r.code, PROVINCES.guangdong) || isWithin(r.code, PROVINCES.zhejiang)) &&
      r.level !== 'county'
    )
      codes.addRow(formulaSafeRow({ kind: '意向地区', zh: r.zh, code: r.code }));
  if (jurisdictionCode)
    for (const r of ref.regions())
      if (isWithin(r.code, jurisdictionCode) && r.level !== 'province')
        codes.addRow(formulaSafeRow({ kind: '户籍所在地', zh: r.zh, code: r.code }));

  return Buffer.from(await workbook.xlsx.writeBuffer());
}
