import type { Request, RequestHandler, Response } from 'express';
import helmet from 'helmet';

/**
 * helmet's default headers, asked of helmet once when the app is built and then set by one
 * middleware: its defaults are constant (no nonce), so running its dozen middlewares on every
 * request would recompute the same values. The headers stay helmet's own, so upgrading helmet
 * updates them; a setting that is not a constant header (a function, an error) fails at start-up.
 */
export function securityHeaders(options?: Parameters<typeof helmet>[0]): RequestHandler {
  const set: [string, string][] = [];
  const removed: string[] = [];
  const probe = {
    setHeader(name: string, value: unknown) {
      if (typeof value !== 'string') throw new Error(`securityHeaders: ${name} is not a constant string`);
      set.push([name, value]);
    },
    removeHeader(name: string) {
      removed.push(name);
    },
  };
  let done = false;
  helmet(options)({} as Request, probe as unknown as Response, (err?: unknown) => {
    if (err) throw err;
    done = true;
  });
  if (!done) throw new Error('securityHeaders: helmet did not finish synchronously');
  return (_req, res, next) => {
    for (let i = 0; i < set.length; i++) res.setHeader(set[i]![0], set[i]![1]);
    for (let i = 0; i < removed.length; i++) res.removeHeader(removed[i]!);
    next();
  };
}
