import ExcelJS from 'exceljs';
import { formulaSafeRow } from '../../lib/spreadsheet-cells.js';

/** A report table as the console shows it: a caption, column headings, rows of text and numbers. */
export interface ReportTable {
  title: string;
  columns: { header: string; width?: number }[];
  rows: (string | number)[][];
  /** Lines under the table (when it was computed, what it covers). */
  notes?: string[];
}

/**
 * A worksheet name Excel accepts: at most 31 characters, none of `* ? : \ / [ ]`, not starting or
 * ending with an apostrophe. English titles carry a colon ("Placements: summary"), which exceljs
 * refuses with an error; Chinese titles use none of these.
 */
export function sheetName(title: string): string {
  const name = title
    .replace(/[*?:\\/[\]]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 31)
    .replace(/^'+|'+$/g, '')
    .trim();
  return name || 'Report';
}

/** A download's file name that every desktop system can save: no path separators, colons or the like. */
export function exportFileName(title: string): string {
  const base = title
    .replace(/[\\/:*?"<>|]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return `${base || 'report'}.xlsx`;
}

/**
 * One report table as an XLSX workbook (exceljs, as the other exports): the title in the first row,
 * bold frozen headings, numbers as numbers so the sheet can sum them, text that a spreadsheet would
 * read as a formula prefixed with `'`. Every report's export goes through here, so they all look alike.
 */
export async function reportWorkbook(table: ReportTable): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Tongxin';
  const ws = wb.addWorksheet(sheetName(table.title), {
    views: [{ state: 'frozen', ySplit: 2 }],
  });
  ws.addRow(formulaSafeRow([table.title])).font = { bold: true, size: 14 };
  const head = ws.addRow(table.columns.map((c) => c.header));
  head.font = { bold: true };
  table.columns.forEach((c, i) => {
    ws.getColumn(i + 1).width = c.width ?? Math.max(10, c.header.length * 2 + 2);
  });
  for (const row of table.rows) ws.addRow(formulaSafeRow(row));
  if (table.notes?.length) {
    ws.addRow([]);
    for (const note of table.notes) ws.addRow(formulaSafeRow([note])).font = { italic: true };
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}
