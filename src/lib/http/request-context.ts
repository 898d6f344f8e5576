import { randomUUID } from 'node:crypto';
import type { RequestHandler } from 'express';
import { runWithContext } from '../context.js';

const VALID_ID = /^[A-Za-z0-9._-]{1,128}$/;

/** Takes the caller's `x-request-id` when it is sane, otherwise makes one; echoes it back. */
export const requestContext: RequestHandler = (req, res, next) => {
  const incoming = req.headers['x-request-id'];
  const requestId = typeof incoming === 'string' && VALID_ID.test(incoming) ? incoming : randomUUID();
  res.setHeader('x-request-id', requestId);
  (req as { id?: string }).id = requestId;
  runWithContext({ requestId, ip: req.ip }, next);
};
