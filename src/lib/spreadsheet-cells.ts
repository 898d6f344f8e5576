/**
 * Formula injection (OWASP "CSV injection"): a spreadsheet reads text starting with `=`, `+`, `-`
 * or `@` as a formula, and a leading tab or carriage return can hide such a start. Every export
 * writes user text through `formulaSafeRow`, and the import refuses such text (see import-parse).
 * A lone sign (a "-" placeholder) is no formula; a lone "=" is refused by Excel, so it counts.
 */
const FORMULA_LIKE = /^(?:=|[+\-@\t\r].)/s;

export function startsLikeFormula(text: string): boolean {
  return FORMULA_LIKE.test(text);
}

/** Text that could be read as a formula, prefixed with `'`; anything else (numbers too) as it is. */
export function formulaSafe<T>(value: T): T | string {
  return typeof value === 'string' && FORMULA_LIKE.test(value) ? `'${value}` : value;
}

/** A row for exceljs `addRow`, as an array or keyed by column, with every text cell made safe. */
export function formulaSafeRow<T extends readonly unknown[] | Record<string, unknown>>(row: T): T {
  if (Array.isArray(row)) return row.map(formulaSafe) as unknown as T;
  return Object.fromEntries(Object.entries(row).map(([k, v]) => [k, formulaSafe(v)])) as T;
}
