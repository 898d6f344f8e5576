import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { buildReferenceSeed } from '../../src/modules/reference/reference.seed.js';
import {
  columnOfHeader,
  IMPORT_COLUMNS,
  normalizeHeader,
} from '../../src/modules/worker-profiles/import-columns.js';
import {
  decodeText,
  detectFormat,
  parseSpreadsheet,
  type SheetRow,
  SpreadsheetError,
  zipEntries,
} from '../../src/modules/worker-profiles/import-parse.js';
import { prepareRow, rowResolvers } from '../../src/modules/worker-profiles/import-rows.js';
import { buildReferenceSnapshot } from '../../src/modules/worker-profiles/reference-snapshot.js';
import { buildTemplate } from '../../src/modules/worker-profiles/template.js';
import { makeIdentity } from '../fixtures/identity.js';
import { rosterCsv, rosterRow, rosterXlsx } from '../fixtures/rosters.js';
import { xlsxBomb } from '../fixtures/xlsx.js';

const seed = buildReferenceSeed();
const ref = buildReferenceSnapshot(seed.vocabularies, seed.regions);
const resolve = rowResolvers(ref);
const ctx = { ref, jurisdictionCode: '513400', now: new Date('2026-06-01T04:00:00Z') };
const LIMITS = { maxRows: 100 };

async function failure(p: Promise<unknown>): Promise<SpreadsheetError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(SpreadsheetError);
  return err as SpreadsheetError;
}

describe('headers', () => {
  it('when headers carry marks, spaces, full-width letters or aliases, then they map to the template columns', () => {
    expect(columnOfHeader(' *身份证号（必填）')).toBe('idNumber');
    expect(columnOfHeader('公民身份号码')).toBe('idNumber');
    expect(columnOfHeader('残疾证号')).toBe('certificateNumber');
    expect(columnOfHeader('手机号码')).toBe('phone');
    expect(columnOfHeader('家庭住址')).toBeUndefined();
    expect(normalizeHeader('姓 名*')).toBe('姓名');
  });

  it('when the template is built, then its first sheet has every column and identity columns are text', async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await buildTemplate(ref, '513400')) as unknown as ArrayBuffer);
    const sheet = wb.worksheets[0]!;
    expect(sheet.name).toBe('人员信息');
    expect((sheet.getRow(1).values as string[]).slice(1)).toEqual(IMPORT_COLUMNS.map((c) => c.header));
    expect(sheet.getColumn(2).numFmt).toBe('@');
    const regions: string[] = [];
    wb.getWorksheet('代码表')!.eachRow((r) => {
      if (r.getCell(1).value === '户籍所在地') regions.push(String(r.getCell(2).value));
    });
    expect(regions).toContain('昭觉县');
    expect(regions).not.toContain('康定市');
  });
});

describe('reading files', () => {
  it('when the bytes are empty, an image, an old .xls or a broken zip, then the reason is precise', async () => {
    expect(() => detectFormat(Buffer.alloc(0))).toThrowError(expect.objectContaining({ code: 'empty_file' }));
    expect(() => detectFormat(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0]))).toThrowError(
      expect.objectContaining({ code: 'not_a_spreadsheet' }),
    );
    expect(() => detectFormat(Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]))).toThrowError(
      expect.objectContaining({ code: 'xls_not_supported' }),
    );
    expect((await failure(parseSpreadsheet(Buffer.from('PK\x03\x04 broken'), LIMITS))).code).toBe(
      'corrupt_xlsx',
    );
  });

  it('when a zip declares more than the limit once uncompressed, then it is refused before being opened', async () => {
    const xlsx = await rosterXlsx([rosterRow({ code: '513431', name: '昭觉县' })]);
    expect(zipEntries(xlsx).map((e) => e.name)).toContain('xl/workbook.xml');
    const err = await failure(parseSpreadsheet(xlsx, { maxRows: 10, maxUncompressedBytes: 100 }));
    expect(err.code).toBe('too_large_uncompressed');
  });

  it('when a zip declares a few hundred bytes but inflates past the cap, then the bytes counted refuse it', async () => {
    const bomb = xlsxBomb(8 * 1024 * 1024);
    expect(zipEntries(bomb).reduce((n, e) => n + e.size, 0)).toBeLessThan(1024);
    const err = await failure(parseSpreadsheet(bomb, { maxRows: 10, maxUncompressedBytes: 1024 * 1024 }));
    expect(err.code).toBe('too_large_uncompressed');
    expect(err.message).toContain('limit 1048576');
    // Under the cap the same archive passes the check (and is then no roster).
    expect((await failure(parseSpreadsheet(bomb, { maxRows: 10 }))).code).not.toBe('too_large_uncompressed');
  });

  it('when a CSV is in GB18030 (Excel on Chinese Windows), then it is read as such', () => {
    // 姓名 in GBK/GB18030.
    expect(decodeText(Buffer.from([0xd0, 0xd5, 0xc3, 0xfb]))).toBe('姓名');
    expect(decodeText(Buffer.from('姓名', 'utf8'))).toBe('姓名');
  });

  it('when an XLSX has a title row, numbers, dates and rich text, then cells come out as text; an ID in a number cell is flagged', async () => {
    const who = makeIdentity({ addressCode: '513431' });
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('花名册');
    ws.addRow(['昭觉县残疾人就业登记表']);
    ws.addRow([
      '序号',
      '姓名',
      '身份证号',
      '残疾人证号',
      '残疾类别',
      '残疾等级',
      '户籍所在地',
      '联系电话',
      '出生日期',
      '技能',
    ]);
    ws.addRow([
      1,
      { richText: [{ text: who.name.slice(0, 1) }, { text: who.name.slice(1) }] },
      who.idNumber,
      who.certificateNumber,
      '肢体',
      '二级',
      '昭觉县',
      Number(who.phone),
      new Date(`${who.birthDate}T00:00:00Z`),
      '缝纫',
    ]);
    ws.addRow([2, '王芳', 5.134311990010112e17, '', '', '', '', '', '', '']);
    const sheet = await parseSpreadsheet(Buffer.from(await wb.xlsx.writeBuffer()), LIMITS);
    expect(sheet).toMatchObject({ format: 'xlsx', headerRow: 2, ignoredColumns: [] });
    expect(sheet.rows[0]!.cells).toMatchObject({
      name: { text: who.name },
      idNumber: { text: who.idNumber },
      phone: { text: who.phone },
      birthDate: { text: who.birthDate },
    });
    expect(sheet.rows[1]!.cells.idNumber).toEqual({ problem: 'number_lost_digits' });
  });

  it('when a sheet has more rows than allowed, then it is refused with the limit', async () => {
    const rows = Array.from({ length: 12 }, () => rosterRow({ code: '513431', name: '昭觉县' }));
    expect((await failure(parseSpreadsheet(Buffer.from(rosterCsv(rows)), { maxRows: 10 }))).code).toBe(
      'too_many_rows',
    );
    const err = await failure(parseSpreadsheet(await rosterXlsx(rows), { maxRows: 10 }));
    expect(err).toMatchObject({ code: 'too_many_rows', details: { limit: 10 } });
    expect(err.zh).toContain('上限 10');
  });

  it('when a CSV has an unclosed quote, then it is malformed, not a crash', async () => {
    const csv = `${rosterCsv([])}\n"王芳,51343119900101`;
    expect((await failure(parseSpreadsheet(Buffer.from(csv), LIMITS))).code).toBe('csv_malformed');
  });
});

function row(cells: Record<string, string>, n = 2): SheetRow {
  return {
    row: n,
    cells: Object.fromEntries(
      Object.entries(cells).map(([header, text]) => [columnOfHeader(header)!, { text }]),
    ) as SheetRow['cells'],
  };
}

function person(over: Record<string, string> = {}) {
  const who = makeIdentity({ addressCode: '513431', disabilityCategory: '4', disabilityLevel: '2' });
  return {
    who,
    cells: {
      姓名: who.name,
      身份证号: who.idNumber,
      残疾人证号: who.certificateNumber,
      残疾类别: '肢体残疾',
      残疾等级: '二级',
      户籍所在地: '凉山彝族自治州昭觉县',
      ...over,
    },
  };
}

describe('rows', () => {
  it('when names are written as staff write them, then they resolve to codes', () => {
    const { cells } = person({
      技能: '电子装配（熟练）；缝纫:3、插件',
      意向地区: '佛山市；温州',
      语言: '普通话，彝语',
      所需支持: '手语支持',
      需要宿舍: '是',
      需要无障碍宿舍: '否',
      期望月薪: '3,500元',
      文化程度: '初中',
      培训经历: '电子装配工培训',
      同意书版本: 'pi-2024.1',
      同意日期: '2024/3/1',
    });
    const res = prepareRow(row(cells), ctx, resolve);
    expect(res.ok, JSON.stringify(res)).toBe(true);
    if (!res.ok) return;
    expect(res.value.input).toMatchObject({
      disabilityCategory: '4',
      disabilityLevel: '2',
      originCode: '513431',
      skills: [
        { code: 'electronic_assembly', level: '2' },
        { code: 'sewing', level: '3' },
      ],
      languages: ['cmn', 'yi'],
      accommodationsNeeded: ['sign_language'],
      education: 'junior',
      preferences: { destinationCodes: ['440600', '330300'], minimumWage: 3500, needsDormitory: true },
    });
    expect(res.value.trainingCodes).toEqual(['tp_electronics']);
    expect(res.value.consent).toMatchObject({
      textVersion: 'pi-2024.1',
      givenBy: 'self',
      channel: 'paper_form',
    });
    expect(res.value.consent!.givenAt).toBe('2024-02-29T16:00:00.000Z');
    expect([...res.value.provided]).toContain('skills');
  });

  it('when cells are wrong, then each problem names its column and none repeats the ID number', () => {
    const { who, cells } = person({
      残疾类别: '视力',
      联系电话: '12345',
      技能: '杂技',
      户籍所在地: '康定市',
      需要宿舍: '也许',
      意向地区: '成都',
    });
    const res = prepareRow(row(cells, 7), ctx, resolve);
    expect(res.ok).toBe(false);
    if (res.ok) return;
    expect(res.issues.map((i) => `${i.row}:${i.column}:${i.code}`).sort()).toEqual(
      [
        '7:技能:unknown_name',
        '7:需要宿舍:not_yes_no',
        '7:联系电话:phone_length',
        '7:残疾类别:certificate_category_mismatch',
      ].sort(),
    );
    expect(JSON.stringify(res.issues)).not.toContain(who.idNumber);
  });

  it('when the origin or destination is in the wrong place, then the region rules say so', () => {
    const outside = prepareRow(row(person({ 户籍所在地: '康定市' }).cells), ctx, resolve);
    expect(!outside.ok && outside.issues.map((i) => i.code)).toEqual(['outside_jurisdiction']);
    const sichuan = prepareRow(row(person({ 意向地区: '成都' }).cells), ctx, resolve);
    expect(!sichuan.ok && sichuan.issues.map((i) => `${i.column}:${i.code}`)).toEqual([
      '意向地区:region_not_allowed',
    ]);
    const mars = prepareRow(row(person({ 户籍所在地: '火星县' }).cells), ctx, resolve);
    expect(!mars.ok && mars.issues.map((i) => `${i.column}:${i.code}`)).toEqual([
      '户籍所在地:unknown_region',
    ]);
  });

  it('when required cells are empty, then each is reported as required once', () => {
    const res = prepareRow(row({ 姓名: '王芳' }), ctx, resolve);
    expect(!res.ok && res.issues.map((i) => `${i.column}:${i.code}`).sort()).toEqual(
      [
        '身份证号:required',
        '残疾人证号:required',
        '残疾类别:required',
        '残疾等级:required',
        '户籍所在地:required',
      ].sort(),
    );
  });

  it('when a guardian signed the consent without being named, then the row is refused on 监护人姓名', () => {
    const res = prepareRow(row(person({ 同意书版本: 'pi-1', 同意人: '监护人' }).cells), ctx, resolve);
    expect(!res.ok && res.issues.map((i) => `${i.column}:${i.code}`)).toEqual([
      '监护人姓名:representative_required',
    ]);
  });
});

describe('cells that start like formulas (CSV)', () => {
  it('when a text cell starts with =, +, - or @ (also after a tab), then the file is refused naming each cell, as for =', async () => {
    expect.hasAssertions();
    for (const value of ['=1+1', '+cmd', '@SUM(1)', '-2+3', '\t=1+1', '\t@SUM(1)']) {
      const row = rosterRow({ code: '513431', name: '昭觉县' });
      const csv = rosterCsv([rosterRow({ code: '513431', name: '昭觉县' }), { ...row, 姓名: value }]);
      const err = await failure(parseSpreadsheet(Buffer.from(csv), LIMITS));
      expect(err.code, JSON.stringify(value)).toBe('formulas');
      expect(err.details.cells, JSON.stringify(value)).toEqual(['A3']);
    }
  });

  it('when a phone starts with +86, or a cell is a lone "-", then the file is read', async () => {
    const row = rosterRow({ code: '513431', name: '昭觉县' });
    const csv = rosterCsv([{ ...row, 联系电话: '+86 138-0013-8000', 技能: '-' }]);
    const sheet = await parseSpreadsheet(Buffer.from(csv), LIMITS);
    expect(sheet.rows[0]!.cells.phone).toEqual({ text: '+86 138-0013-8000' });
    // Outside a phone column the same text is refused.
    const elsewhere = rosterCsv([{ ...row, 姓名: '+86 138-0013-8000' }]);
    expect((await failure(parseSpreadsheet(Buffer.from(elsewhere), LIMITS))).code).toBe('formulas');
  });
});
