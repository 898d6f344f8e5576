import type { NextFunction, Request, Response } from 'express';
import { AppError, type ProblemIssue } from '../errors.js';

// A high surrogate not followed by a low one, or a low one not preceded by a high one (code units:
// no `u` flag). String#isWellFormed says the same, but needs the ES2024 library.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const unstorable = (s: string) => s.includes('\u0000') || LONE_SURROGATE.test(s);

/** How deeply a JSON body may nest (objects and arrays); no request of the API needs more than a few. */
export const MAX_JSON_DEPTH = 32;

/** A path kept as a link to its parent, so that descending does not copy it. */
interface PathNode {
  parent: PathNode | undefined;
  key: string;
}

function pathText(node: PathNode | undefined): string {
  const keys: string[] = [];
  for (let n = node; n; n = n.parent) keys.push(n.key);
  return keys.reverse().join('.');
}

/**
 * Whether a parsed JSON value nests objects and arrays deeper than `limit`. Iterative: a body is
 * untrusted input, and recursion over it would let its depth choose the stack's.
 */
export function exceedsJsonDepth(value: unknown, limit = MAX_JSON_DEPTH): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if (!v || typeof v !== 'object') continue;
    if (depth + 1 > limit) return true;
    for (const child of Array.isArray(v) ? v : Object.values(v)) stack.push([child, depth + 1]);
  }
  return false;
}

/**
 * Where a JSON value holds text that no store can keep: the NUL character (PostgreSQL, and so
 * FerretDB, refuses it with "unsupported Unicode escape sequence"; MongoDB drivers truncate keys at
 * it) or a lone UTF-16 surrogate (not Unicode at all). Pure and iterative; returns the paths found,
 * depth first in document order, at most `max`.
 */
export function unstorableTextPaths(value: unknown, max = 10): string[] {
  const out: string[] = [];
  // Entries are pushed in reverse so that they are popped in document order.
  const stack: { value: unknown; path: PathNode | undefined; checkKey: boolean }[] = [
    { value, path: undefined, checkKey: false },
  ];
  while (stack.length > 0 && out.length < max) {
    const item = stack.pop()!;
    if (item.checkKey && unstorable(item.path!.key)) {
      out.push(pathText(item.path));
      if (out.length >= max) break;
    }
    const v = item.value;
    if (typeof v === 'string') {
      if (unstorable(v)) out.push(pathText(item.path) || '(body)');
    } else if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--)
        stack.push({ value: v[i], path: { parent: item.path, key: String(i) }, checkKey: false });
    } else if (v && typeof v === 'object') {
      const entries = Object.entries(v);
      for (let i = entries.length - 1; i >= 0; i--) {
        const [k, child] = entries[i]!;
        stack.push({ value: child, path: { parent: item.path, key: k }, checkKey: true });
      }
    }
  }
  return out;
}

/**
 * Refuses, with a 400, a JSON body nested too deeply, or one carrying such text (naming the fields), before any route sees it:
 * otherwise the write fails deep in the database and the caller gets a 500 (found by the fuzzer on
 * a transfer batch's escort names).
 */
export function refuseUnstorableText(req: Request, _res: Response, next: NextFunction): void {
  // No body (GET, HEAD): nothing to walk.
  if (req.body === undefined) {
    next();
    return;
  }
  // Depth first: it bounds every later walk over the body (this one, validation, the store).
  if (exceedsJsonDepth(req.body)) {
    next(
      new AppError('json_too_deep', {
        detail: `JSON 嵌套不能超过 ${MAX_JSON_DEPTH} 层`,
        detailEn: `JSON may nest at most ${MAX_JSON_DEPTH} levels of objects and arrays`,
        extra: { maxDepth: MAX_JSON_DEPTH },
      }),
    );
    return;
  }
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
