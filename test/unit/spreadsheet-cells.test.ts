import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { formulaSafe, formulaSafeRow, startsLikeFormula } from '../../src/lib/spreadsheet-cells.js';
import { reportWorkbook } from '../../src/modules/reports/reports.xlsx.js';

describe('formula injection in exports', () => {
  it('when text starts with =, +, -, @, tab or CR, then it is prefixed with an apostrophe; other values stay as they are', () => {
    const cases: [unknown, unknown][] = [
      ['=HYPERLINK("http://127.0.0.1/","x")', '\'=HYPERLINK("http://127.0.0.1/","x")'],
      ["+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"],
      ['-2+3', "'-2+3"],
      ['@SUM(1)', "'@SUM(1)"],
      ['\t=1+1', "'\t=1+1"],
      ['\r=1+1', "'\r=1+1"],
      ['=', "'="],
      ['-', '-'], // a placeholder, no formula
      ['王芳', '王芳'],
      ['a=b', 'a=b'],
      ['', ''],
      [-2, -2], // a number is not text
      [3500, 3500],
      [null, null],
    ];
    for (const [value, safe] of cases) expect(formulaSafe(value), JSON.stringify(value)).toBe(safe);
    expect(formulaSafeRow(['=1', 2, '-x'])).toEqual(["'=1", 2, "'-x"]);
    expect(formulaSafeRow({ a: '@x', b: -1 })).toEqual({ a: "'@x", b: -1 });
    expect(startsLikeFormula('+86 138')).toBe(true);
  });

  it('when a report holds text that starts like a formula, then the workbook cell is text with an apostrophe and numbers are numbers', async () => {
    const buffer = await reportWorkbook({
      title: '安置统计',
      columns: [{ header: '用人单位' }, { header: '人数' }],
      rows: [
        ['=HYPERLINK("http://127.0.0.1/","x")', 3],
        ['@SUM(1)', -2],
      ],
    });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(buffer as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    expect(ws.getRow(3).getCell(1).value).toBe('\'=HYPERLINK("http://127.0.0.1/","x")');
    expect(ws.getRow(3).getCell(2).value).toBe(3);
    expect(ws.getRow(4).getCell(1).value).toBe("'@SUM(1)");
    expect(ws.getRow(4).getCell(2).value).toBe(-2);
  });
});
