import type { Request, Response } from 'express';
import { AppError } from '../errors.js';

/**
 * Optimistic concurrency over HTTP: a record's `version` is its ETag, and a change must send it
 * back in `If-Match`. The repository then updates conditionally on that version.
 */
export function setVersionTag(res: Response, version: number): void {
  res.setHeader('ETag', `"${version}"`);
}

/** The version named by `If-Match`: 428 when missing, 412 when it is not a version we issued. */
export function ifMatchVersion(req: Request): number {
  const header = req.headers['if-match'];
  if (!header) throw new AppError('precondition_required');
  const m = /^(?:W\/)?"?(\d{1,9})"?$/.exec(header.trim());
  if (!m) throw new AppError('precondition_failed');
  return Number(m[1]);
}
