import type { RequestHandler } from 'express';
import { rateLimit } from 'express-rate-limit';
import type { Redis } from 'ioredis';
import { type RedisReply, RedisStore } from 'rate-limit-redis';
import { AppError } from '../errors.js';

/** A per-client (IP) limit shared by every API process through Redis. */
export function rateLimiter(
  deps: { redis: Redis; config: { redis: { queuePrefix: string } } },
  name: string,
  perMinute: number,
): RequestHandler {
  return rateLimit({
    windowMs: 60_000,
    limit: perMinute,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    // A Redis outage must not take the API down with it: requests pass unlimited meanwhile.
    passOnStoreError: true,
    store: new RedisStore({
      prefix: `${deps.config.redis.queuePrefix}:rl:${name}:`,
      sendCommand: (command: string, ...args: string[]) =>
        deps.redis.call(command, ...args) as Promise<RedisReply>,
    }),
    handler: (_req, res, next) => {
      const retryAfter = String(Math.max(1, Math.ceil(Number(res.getHeader('retry-after') ?? 60))));
      next(new AppError('rate_limited', { headers: { 'Retry-After': retryAfter } }));
    },
  });
}
