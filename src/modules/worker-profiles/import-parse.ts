import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createInflateRaw } from 'node:zlib';
import { parse as parseCsv } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { startsLikeFormula } from '../../lib/spreadsheet-cells.js';
import type { Message } from './identity.js';
import {
  COLUMN_BY_KEY,
  type ColumnKey,
  columnOfHeader,
  IMPORT_COLUMNS,
  isSkippedHeader,
} from './import-columns.js';

/**
 * Reads an uploaded roster (XLSX or CSV) into rows of text cells keyed by template column. Every
 * way a file can be unusable is a `SpreadsheetError` with a precise code and a zh/en message —
 * never a crash, and never a value from the file in the message (it holds ID numbers).
 */
export type SpreadsheetErrorCode =
  | 'empty_file'
  | 'not_a_spreadsheet'
  | 'xls_not_supported'
  | 'corrupt_xlsx'
  | 'too_large_uncompressed'
  | 'csv_malformed'
  | 'no_header_row'
  | 'missing_columns'
  | 'duplicate_columns'
  | 'formulas'
  | 'no_rows'
  | 'too_many_rows';

const MESSAGES: Record<SpreadsheetErrorCode, Message> = {
  empty_file: { zh: '文件是空的', en: 'The file is empty' },
  not_a_spreadsheet: {
    zh: '不是 Excel（.xlsx）或 CSV 文件',
    en: 'Not an Excel (.xlsx) or CSV file',
  },
  xls_not_supported: {
    zh: '不支持旧版 Excel（.xls）文件，请在 Excel 中“另存为”.xlsx 后再上传',
    en: 'Old Excel (.xls) files are not supported; save the file as .xlsx and upload it again',
  },
  corrupt_xlsx: { zh: 'Excel 文件已损坏，无法读取', en: 'The Excel file is damaged and cannot be read' },
  too_large_uncompressed: {
    zh: 'Excel 文件解压后过大',
    en: 'The Excel file is too large once uncompressed',
  },
  csv_malformed: {
    zh: 'CSV 文件格式有误（如引号未闭合）',
    en: 'The CSV file is malformed (e.g. an unclosed quote)',
  },
  no_header_row: {
    zh: '前 10 行中没有找到表头（须包含“姓名”和“身份证号”列），请使用导入模板',
    en: 'No header row in the first 10 rows (it must have 姓名 and 身份证号); use the import template',
  },
  missing_columns: { zh: '缺少必填列', en: 'Required columns are missing' },
  duplicate_columns: { zh: '同一列出现了两次', en: 'A column appears twice' },
  formulas: {
    zh: '文件中含有公式，或有单元格以 =、+、-、@ 开头（Excel 会把它当作公式）。请把公式单元格“复制—选择性粘贴为数值”，或删去开头的符号后再上传',
    en: 'The file contains formulas, or cells starting with =, +, - or @ (which Excel reads as formulas); paste formulas as values, or remove the leading sign, and upload again',
  },
  no_rows: { zh: '表头下面没有数据行', en: 'There are no data rows below the header' },
  too_many_rows: { zh: '数据行过多', en: 'Too many data rows' },
};

export class SpreadsheetError extends Error {
  readonly zh: string;
  constructor(
    readonly code: SpreadsheetErrorCode,
    readonly details: { columns?: string[]; cells?: string[]; limit?: number } = {},
  ) {
    const m = MESSAGES[code];
    const suffix = (list: string[] | undefined) => (list?.length ? `：${list.join('、')}` : '');
    const suffixEn = (list: string[] | undefined) => (list?.length ? `: ${list.join(', ')}` : '');
    const limit = details.limit ? `（上限 ${details.limit}）` : '';
    super(
      `${m.en}${suffixEn(details.columns ?? details.cells)}${details.limit ? ` (limit ${details.limit})` : ''}`,
    );
    this.zh = `${m.zh}${suffix(details.columns ?? details.cells)}${limit}`;
    this.name = 'SpreadsheetError';
  }
}

export type SpreadsheetFormat = 'xlsx' | 'csv';

/** A cell's content as text, or why it cannot be used. */
export type Cell = { text: string } | { problem: 'number_lost_digits' | 'cell_error' };

export interface SheetRow {
  /** The row number as the spreadsheet shows it (1-based, header included). */
  row: number;
  cells: Partial<Record<ColumnKey, Cell>>;
}

export interface ParsedSheet {
  format: SpreadsheetFormat;
  headerRow: number;
  columns: ColumnKey[];
  /** Headers that matched no column (kept for the import record; their cells are not read). */
  ignoredColumns: string[];
  rows: SheetRow[];
}

export interface ParseLimits {
  maxRows: number;
  /** Bytes an XLSX may inflate to, counted while inflating (zip bomb guard); 32 MiB if not given. */
  maxUncompressedBytes?: number;
}

const DEFAULT_MAX_INFLATED = 32 * 1024 * 1024;

const ZIP = Buffer.from([0x50, 0x4b, 0x03, 0x04]);
const OLE = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);

export function detectFormat(buf: Buffer): SpreadsheetFormat {
  if (buf.length === 0) throw new SpreadsheetError('empty_file');
  if (buf.subarray(0, 4).equals(ZIP)) return 'xlsx';
  if (buf.subarray(0, 8).equals(OLE)) throw new SpreadsheetError('xls_not_supported');
  // Text: no NUL byte in the first 8 KB (binary formats have plenty).
  if (buf.subarray(0, 8192).includes(0)) throw new SpreadsheetError('not_a_spreadsheet');
  return 'csv';
}

export interface ZipEntry {
  name: string;
  /** As the archive declares it: a hint only, never trusted as a limit. */
  size: number;
  method: number;
  compressedSize: number;
  localHeaderOffset: number;
}

/**
 * Entries of a ZIP's central directory, read without decompressing anything, to refuse a ZIP that
 * is no workbook before anything is inflated.
 */
export function zipEntries(buf: Buffer): ZipEntry[] {
  const min = Math.max(0, buf.length - 65_557);
  let eocd = -1;
  for (let i = buf.length - 22; i >= min; i--)
    if (buf.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  if (eocd < 0) throw new SpreadsheetError('corrupt_xlsx');
  const count = buf.readUInt16LE(eocd + 10);
  let offset = buf.readUInt32LE(eocd + 16);
  const entries: ZipEntry[] = [];
  for (let n = 0; n < count; n++) {
    if (offset + 46 > buf.length || buf.readUInt32LE(offset) !== 0x02014b50)
      throw new SpreadsheetError('corrupt_xlsx');
    const method = buf.readUInt16LE(offset + 10);
    const compressedSize = buf.readUInt32LE(offset + 20);
    const size = buf.readUInt32LE(offset + 24);
    const nameLength = buf.readUInt16LE(offset + 28);
    const extra = buf.readUInt16LE(offset + 30);
    const comment = buf.readUInt16LE(offset + 32);
    const localHeaderOffset = buf.readUInt32LE(offset + 42);
    // ZIP64 (sizes beyond 4 GB) has no place in a roster.
    if (size === 0xffffffff || compressedSize === 0xffffffff || localHeaderOffset === 0xffffffff)
      throw new SpreadsheetError('too_large_uncompressed');
    entries.push({
      name: buf.toString('utf8', offset + 46, offset + 46 + nameLength),
      size,
      method,
      compressedSize,
      localHeaderOffset,
    });
    offset += 46 + nameLength + extra + comment;
  }
  return entries;
}

/** The compressed bytes of an entry, located through its local header. */
function entryData(buf: Buffer, e: ZipEntry): Buffer {
  const at = e.localHeaderOffset;
  if (at + 30 > buf.length || buf.readUInt32LE(at) !== 0x04034b50) throw new SpreadsheetError('corrupt_xlsx');
  const start = at + 30 + buf.readUInt16LE(at + 26) + buf.readUInt16LE(at + 28);
  if (start + e.compressedSize > buf.length) throw new SpreadsheetError('corrupt_xlsx');
  return buf.subarray(start, start + e.compressedSize);
}

/**
 * Compressed input per write. Deflate expands at most about 1,000-fold, so the output waiting to be
 * counted stays at a few MiB whatever the archive holds: each slice is fed only once the counter
 * has taken what the previous one produced.
 */
const INFLATE_SLICE = 4 * 1024;

function* slices(data: Buffer) {
  for (let at = 0; at < data.length; at += INFLATE_SLICE) yield data.subarray(at, at + INFLATE_SLICE);
}

/**
 * Inflates every entry once (node:zlib, streaming), counting the bytes actually produced and
 * stopping as soon as the total passes `cap`: what an archive declares about its sizes is not
 * believed. Output is dropped as it is counted.
 */
export async function checkInflatedSize(
  buf: Buffer,
  entries: readonly ZipEntry[],
  cap: number,
): Promise<number> {
  let total = 0;
  const tooLarge = () => new SpreadsheetError('too_large_uncompressed', { limit: cap });
  for (const e of entries) {
    const data = entryData(buf, e);
    if (e.method === 0) {
      total += data.length;
      if (total > cap) throw tooLarge();
      continue;
    }
    if (e.method !== 8) throw new SpreadsheetError('corrupt_xlsx');
    const counter = new Writable({
      write(chunk: Buffer, _encoding, done) {
        total += chunk.length;
        done(total > cap ? tooLarge() : undefined);
      },
    });
    try {
      await pipeline(Readable.from(slices(data)), createInflateRaw(), counter);
    } catch (err) {
      if (err instanceof SpreadsheetError) throw err;
      throw new SpreadsheetError('corrupt_xlsx');
    }
  }
  return total;
}

/**
 * The checks an upload request can afford on an XLSX: it is a ZIP holding a workbook, and all of
 * it inflates to no more than the cap (counted, not declared). Parsing the sheets is the job's.
 */
export async function checkXlsx(buf: Buffer, limits: ParseLimits): Promise<void> {
  const entries = zipEntries(buf);
  if (!entries.some((e) => e.name === 'xl/workbook.xml')) throw new SpreadsheetError('not_a_spreadsheet');
  const cap = limits.maxUncompressedBytes ?? DEFAULT_MAX_INFLATED;
  // What is declared is not believed, but a declared excess is refused without inflating anything.
  if (entries.reduce((s, e) => s + e.size, 0) > cap)
    throw new SpreadsheetError('too_large_uncompressed', { limit: cap });
  await checkInflatedSize(buf, entries, cap);
}

/** UTF-8 (with or without BOM); otherwise GB18030, which Excel on Chinese Windows writes. */
export function decodeText(buf: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(buf);
  } catch {
    return new TextDecoder('gb18030').decode(buf);
  }
}

type RawValue = string | number | boolean | Date | null | undefined | Record<string, unknown>;

function isFormula(v: RawValue): boolean {
  return !!v && typeof v === 'object' && !(v instanceof Date) && ('formula' in v || 'sharedFormula' in v);
}

/** Excel's serial day number (1900 date system) → `YYYY-MM-DD`. */
function excelSerialDate(n: number): string | undefined {
  if (!Number.isFinite(n) || n < 1 || n > 2_958_465) return undefined;
  return new Date(Math.round((n - 25_569) * 86_400_000)).toISOString().slice(0, 10);
}

function toCell(key: ColumnKey, v: RawValue): Cell | undefined {
  if (v === null || v === undefined) return undefined;
  const column = COLUMN_BY_KEY.get(key)!;
  if (typeof v === 'string') return v.trim() === '' ? undefined : { text: v.trim() };
  if (typeof v === 'number') {
    // An 18-digit ID typed into a number cell has lost its last digits (IEEE 754 doubles keep 15–17).
    if (column.identity) return { problem: 'number_lost_digits' };
    if (column.date) {
      const d = excelSerialDate(v);
      return d ? { text: d } : { text: String(v) };
    }
    return { text: Number.isInteger(v) ? v.toFixed(0) : String(v) };
  }
  if (typeof v === 'boolean') return { text: v ? '是' : '否' };
  if (v instanceof Date) return { text: v.toISOString().slice(0, 10) };
  if ('error' in v) return { problem: 'cell_error' };
  if (Array.isArray(v.richText))
    return toCell(key, (v.richText as { text?: string }[]).map((r) => r.text ?? '').join(''));
  if ('text' in v) return toCell(key, v.text as RawValue);
  if ('result' in v) return toCell(key, v.result as RawValue);
  return undefined;
}

/** Maps the header row to columns; throws when required columns are missing or doubled. */
function mapHeaders(headers: RawValue[]): { byIndex: Map<number, ColumnKey>; ignored: string[] } {
  const byIndex = new Map<number, ColumnKey>();
  const seen = new Map<ColumnKey, number>();
  const ignored: string[] = [];
  const doubled: string[] = [];
  headers.forEach((h, i) => {
    const text =
      h === null || h === undefined ? '' : String(typeof h === 'object' && 'text' in h ? h.text : h).trim();
    if (!text) return;
    const key = columnOfHeader(text);
    if (!key) {
      if (!isSkippedHeader(text)) ignored.push(text.slice(0, 40));
      return;
    }
    if (seen.has(key)) doubled.push(COLUMN_BY_KEY.get(key)!.header);
    seen.set(key, i);
    byIndex.set(i, key);
  });
  if (doubled.length) throw new SpreadsheetError('duplicate_columns', { columns: doubled });
  const missing = IMPORT_COLUMNS.filter((c) => c.required && !seen.has(c.key)).map((c) => c.header);
  if (missing.length) throw new SpreadsheetError('missing_columns', { columns: missing });
  return { byIndex, ignored };
}

/** The first of the first 10 rows that names both 姓名 and 身份证号 (titles often sit above it). */
function findHeaderRow(rows: RawValue[][]): number {
  for (let i = 0; i < Math.min(rows.length, 10); i++) {
    const keys = new Set(
      rows[i]!.map((h) => (typeof h === 'string' ? columnOfHeader(h) : undefined)).filter(Boolean),
    );
    if (keys.has('name') && keys.has('idNumber')) return i;
  }
  throw new SpreadsheetError('no_header_row');
}

function toSheet(
  format: SpreadsheetFormat,
  table: { row: number; values: RawValue[] }[],
  limits: ParseLimits,
): ParsedSheet {
  const headerAt = findHeaderRow(table.map((r) => r.values));
  const { byIndex, ignored } = mapHeaders(table[headerAt]!.values);
  const rows: SheetRow[] = [];
  for (const r of table.slice(headerAt + 1)) {
    const cells: SheetRow['cells'] = {};
    let any = false;
    for (const [i, key] of byIndex) {
      const cell = toCell(key, r.values[i]);
      if (cell) {
        cells[key] = cell;
        any = true;
      }
    }
    // Rows with nothing in any template column (a totals line, a blank styled row) are not data.
    if (any) rows.push({ row: r.row, cells });
  }
  if (rows.length === 0) throw new SpreadsheetError('no_rows');
  if (rows.length > limits.maxRows) throw new SpreadsheetError('too_many_rows', { limit: limits.maxRows });
  return {
    format,
    headerRow: table[headerAt]!.row,
    columns: [...byIndex.values()],
    ignoredColumns: ignored,
    rows,
  };
}

function cellRef(row: number, col: number): string {
  let name = '';
  for (let c = col; c > 0; c = Math.floor((c - 1) / 26))
    name = String.fromCharCode(65 + ((c - 1) % 26)) + name;
  return `${name}${row}`;
}

async function readXlsx(buf: Buffer, limits: ParseLimits): Promise<{ row: number; values: RawValue[] }[]> {
  await checkXlsx(buf, limits);
  // The whole workbook is loaded, not streamed: exceljs's streaming reader decodes each inflated
  // chunk on its own and garbles a CJK character split across two chunks (measured: about one
  // name in 10,000 came back with U+FFFD) — silent corruption of names is not a price for speed.
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(buf as unknown as ArrayBuffer);
  } catch {
    throw new SpreadsheetError('corrupt_xlsx');
  }
  const maxRows = limits.maxRows + 11;
  // The first sheet with a header row is the roster (the template's is the first sheet).
  for (const sheet of workbook.worksheets) {
    if (sheet.actualRowCount > maxRows)
      throw new SpreadsheetError('too_many_rows', { limit: limits.maxRows });
    const table: { row: number; values: RawValue[] }[] = [];
    const formulas: string[] = [];
    sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
      // exceljs row.values is 1-based (index 0 unused).
      const values = (row.values as RawValue[]).slice(1);
      values.forEach((v, i) => {
        if (isFormula(v) && formulas.length < 5) formulas.push(cellRef(rowNumber, i + 1));
      });
      table.push({ row: rowNumber, values });
    });
    if (table.length === 0) continue;
    try {
      findHeaderRow(table.map((r) => r.values));
    } catch {
      continue;
    }
    if (formulas.length) throw new SpreadsheetError('formulas', { cells: formulas });
    return table;
  }
  throw new SpreadsheetError('no_header_row');
}

const PHONE_COLUMNS = new Set<ColumnKey>(['phone', 'guardianPhone']);
/** `+86 138-0013-8000`, `+(86)13800138000`: a country code, digits and decoration only. */
const INTERNATIONAL_PHONE = /^\+[\d\s\-()]+$/;

function readCsv(buf: Buffer, limits: ParseLimits): { row: number; values: RawValue[] }[] {
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parseCsv(decodeText(buf), {
      bom: true,
      relax_column_count: true,
      skip_empty_lines: false,
      info: true,
      to_line: limits.maxRows + 12,
    }) as unknown as { record: string[]; info: { lines: number } }[];
  } catch {
    throw new SpreadsheetError('csv_malformed');
  }
  // The line a record ends on is the row number staff see when they open the file in Excel.
  const table = records.map(({ record, info }) => ({ row: info.lines, values: record as RawValue[] }));
  // Opened in Excel, a cell starting with =, +, - or @ is a formula: refuse it as such (a leading
  // tab or CR is trimmed, here and from the stored text). A phone column may start with +86.
  let phoneColumns = new Set<number>();
  let headerAt = -1;
  try {
    headerAt = findHeaderRow(table.map((r) => r.values));
    phoneColumns = new Set(
      table[headerAt]!.values.flatMap((h, i) =>
        typeof h === 'string' && PHONE_COLUMNS.has(columnOfHeader(h.trim()) as ColumnKey) ? [i] : [],
      ),
    );
  } catch {
    // No header row: reported as such after this check.
  }
  const formulas: string[] = [];
  for (const [at, r] of table.entries())
    for (const [i, v] of r.values.entries()) {
      if (typeof v !== 'string' || formulas.length >= 5) continue;
      const text = v.trim();
      if (!startsLikeFormula(text)) continue;
      const phone = headerAt >= 0 && at > headerAt && phoneColumns.has(i);
      if (phone && INTERNATIONAL_PHONE.test(text)) continue;
      formulas.push(cellRef(r.row, i + 1));
    }
  if (formulas.length) throw new SpreadsheetError('formulas', { cells: formulas });
  return table.filter((r) => r.values.some((v) => typeof v === 'string' && v.trim() !== ''));
}

/** Parses an upload; throws `SpreadsheetError` for every kind of unusable file. */
export async function parseSpreadsheet(buf: Buffer, limits: ParseLimits): Promise<ParsedSheet> {
  const format = detectFormat(buf);
  const table = format === 'xlsx' ? await readXlsx(buf, limits) : readCsv(buf, limits);
  if (table.length === 0) throw new SpreadsheetError('empty_file');
  return toSheet(format, table, limits);
}
