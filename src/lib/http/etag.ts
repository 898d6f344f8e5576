import type { Request, Response } from 'express';
import { AppError } from '../errors.js';

/** Weak ETags carry the document's `version`: `W/"7"`. */
export function setVersionEtag(res: Response, version: number): void {
  res.setHeader('ETag', `W/"${version}"`);
}

/**
 * The version the client last read, from `If-Match`. Required on every update of a versioned
 * document so that two editors cannot silently overwrite each other (optimistic concurrency).
 */
export function requireIfMatch(req: Request): number {
  const header = req.headers['if-match'];
  if (!header)
    throw new AppError('precondition_required', {
      detail: '更新需要 If-Match 请求头（来自上次读取的 ETag）',
      detailEn: 'Updates need an If-Match header carrying the ETag you read',
    });
  const m = /^(?:W\/)?"(\d{1,12})"$/.exec(header.trim());
  if (!m)
    throw new AppError('validation_failed', {
      detail: 'If-Match 格式应为 W/"<版本号>"',
      detailEn: 'If-Match must look like W/"<version>"',
      issues: [{ path: 'headers.if-match', code: 'invalid_format', message: 'expected W/"<version>"' }],
    });
  return Number(m[1]);
}
