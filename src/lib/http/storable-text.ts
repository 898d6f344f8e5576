import type { NextFunction, Request, Response } from 'express';
import { AppError, type ProblemIssue } from '../errors.js';

// A high surrogate not followed by a low one, or a low one not preceded by a high one (code units:
// no `u` flag). String#isWellFormed says the same, but needs the ES2024 library.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const unstorable = (s: string) => s.includes('\u0000') || LONE_SURROGATE.test(s);

/**
 * Where a JSON value holds text that no store can keep: the NUL character (PostgreSQL, and so
 * FerretDB, refuses it with "unsupported Unicode escape sequence"; MongoDB drivers truncate keys at
 * it) or a lone UTF-16 surrogate (not Unicode at all). Pure; returns the paths found, at most `max`.
 */
export function unstorableTextPaths(
  value: unknown,
  max = 10,
  path: string[] = [],
  out: string[] = [],
): string[] {
  if (out.length >= max) return out;
  if (typeof value === 'string') {
    if (unstorable(value)) out.push(path.join('.') || '(body)');
  } else if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) unstorableTextPaths(v, max, [...path, String(i)], out);
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (unstorable(k)) out.push([...path, k].join('.'));
      unstorableTextPaths(v, max, [...path, k], out);
    }
  }
  return out;
}

/**
 * Refuses, with a 400 naming the fields, a JSON body carrying such text, before any route sees it:
 * otherwise the write fails deep in the database and the caller gets a 500 (found by the fuzzer on
 * a transfer batch's escort names).
 */
export function refuseUnstorableText(req: Request, _res: Response, next: NextFunction): void {
  const paths = unstorableTextPaths(req.body);
  if (paths.length === 0) {
    next();
    return;
  }
  const issues: ProblemIssue[] = paths.map((p) => ({
    path: p,
    code: 'invalid_string',
    message: 'contains a NUL character or an unpaired surrogate',
  }));
  next(
    new AppError('validation_failed', {
      detail: `字段 ${paths.join(', ')} 含有无法保存的字符（NUL 或不成对的代理项）`,
      detailEn: `Fields ${paths.join(', ')} contain characters that cannot be stored (NUL or an unpaired surrogate)`,
      issues,
    }),
  );
}
