import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { exportFileName, reportWorkbook, sheetName } from '../../src/modules/reports/reports.xlsx.js';

describe('sheetName', () => {
  it('when an English title has a colon, then it becomes a space (exceljs refuses colons)', () => {
    expect(sheetName('Placements: summary 2026')).toBe('Placements summary 2026');
  });

  it('when a title has any of * ? : \\ / [ ], then none is left and it is at most 31 characters', () => {
    const name = sheetName("'Days from [suggestion] / hire? *2026*: a very long title indeed'");
    expect(name).not.toMatch(/[*?:\\/[\]]/);
    expect(name.length).toBeLessThanOrEqual(31);
    expect(name.startsWith("'")).toBe(false);
  });

  it('when a title is nothing but refused characters, then the sheet is still named', () => {
    expect(sheetName('::[]')).toBe('Report');
  });

  it('when a Chinese title is given, then it is kept as it is', () => {
    expect(sheetName('按户籍县统计的安置就业 2026')).toBe('按户籍县统计的安置就业 2026');
  });
});

describe('exportFileName', () => {
  it('when a title has a colon or a slash, then the file name has neither', () => {
    expect(exportFileName('Placements: summary 2026')).toBe('Placements summary 2026.xlsx');
    expect(exportFileName('a/b\\c')).toBe('a b c.xlsx');
  });
});

describe('reportWorkbook', () => {
  it('when the title has a colon, then the workbook is written and keeps the full title in its first row', async () => {
    const body = await reportWorkbook({
      title: 'Placements: summary 2026',
      columns: [{ header: 'Item' }, { header: 'Value' }],
      rows: [['Placed this year', 3]],
    });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(body as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    expect(ws.name).toBe('Placements summary 2026');
    expect(ws.getCell('A1').value).toBe('Placements: summary 2026');
    expect(ws.getCell('B3').value).toBe(3);
  });
});
