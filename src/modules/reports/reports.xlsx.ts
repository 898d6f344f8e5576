import ExcelJS from 'exceljs';

/** A report table as the console shows it: a caption, column headings, rows of text and numbers. */
export interface ReportTable {
  title: string;
  columns: { header: string; width?: number }[];
  rows: (string | number)[][];
  /** Lines under the table (when it was computed, what it covers). */
  notes?: string[];
}

/**
 * One report table as an XLSX workbook (exceljs, as the other exports): the title in the first row,
 * bold frozen headings, numbers as numbers so the sheet can sum them. Every report's export goes
 * through here, so they all look alike.
 */
export async function reportWorkbook(table: ReportTable): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Tongxin';
  const ws = wb.addWorksheet(table.title.slice(0, 31), {
    views: [{ state: 'frozen', ySplit: 2 }],
  });
  ws.addRow([table.title]).font = { bold: true, size: 14 };
  const head = ws.addRow(table.columns.map((c) => c.header));
  head.font = { bold: true };
  table.columns.forEach((c, i) => {
    ws.getColumn(i + 1).width = c.width ?? Math.max(10, c.header.length * 2 + 2);
  });
  for (const row of table.rows) ws.addRow(row);
  if (table.notes?.length) {
    ws.addRow([]);
    for (const note of table.notes) ws.addRow([note]).font = { italic: true };
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}
