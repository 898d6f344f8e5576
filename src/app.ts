import express, { type RequestHandler } from 'express';
import { rateLimit } from 'express-rate-limit';
import helmet from 'helmet';
import type { Redis } from 'ioredis';
import { type RedisReply, RedisStore } from 'rate-limit-redis';
import type { Config } from './config.js';
import type { Queues } from './jobs/queues.js';
import { AppError, errorHandler, notFoundHandler } from './lib/errors.js';
import { createHttpMetrics, type HttpMetrics } from './lib/http/metrics.js';
import { buildOpenApiDocument, docsPage, docsScript } from './lib/http/openapi.js';
import { requestContext } from './lib/http/request-context.js';
import { type Role, type RouteDef, validate } from './lib/http/route.js';
import type { Logger } from './lib/logger.js';
import type { SearchEngine } from './lib/search/index.js';
import { referenceRoutes } from './modules/reference/reference.routes.js';
import { systemRoutes } from './modules/system/system.routes.js';

export interface AppDeps {
  config: Config;
  logger: Logger;
  /** Producer connection: fails fast (DESIGN §7.9). */
  redis: Redis;
  queues: Queues;
  search: SearchEngine;
  metrics: HttpMetrics;
  /** Builds the guard for routes that need a session; the accounts module provides it. */
  authenticate?: (roles: readonly Role[]) => RequestHandler;
}

export type AppDepsInput = Omit<AppDeps, 'metrics'> & { metrics?: HttpMetrics };

const VERSION = '0.1.0';

/** Without an accounts module nobody can sign in, so guarded routes answer 401. */
const denyAll: (roles: readonly Role[]) => RequestHandler = () => (_req, _res, next) =>
  next(new AppError('unauthenticated'));

function rateLimiter(deps: AppDeps, name: string, perMinute: number): RequestHandler {
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

/** Routes of every module, in one table: OpenAPI, mounting and the policy matrix read it. */
export function routeTable(deps: AppDeps): RouteDef[] {
  return [...systemRoutes(deps), ...referenceRoutes(deps)];
}

/** Builds the Express app without listening: server.ts listens, tests use supertest. */
export function createApp(input: AppDepsInput) {
  const deps: AppDeps = { ...input, metrics: input.metrics ?? createHttpMetrics(input.queues) };
  const { config, logger } = deps;
  const authenticate = deps.authenticate ?? denyAll;
  const routes = routeTable(deps);
  const openapi = buildOpenApiDocument(routes, VERSION);

  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', config.http.trustProxy);
  app.set('query parser', 'simple');

  app.use(requestContext);
  // One access-log line per request, written when the response is finished. (pino-http builds a
  // child logger per request; the request id already reaches every line through the context.)
  app.use((req, res, next) => {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      const route = (req.route?.path as string | undefined) ?? 'unmatched';
      deps.metrics.httpDuration.observe(
        { method: req.method, route, status: String(res.statusCode) },
        ms / 1e3,
      );
      // Health probes every few seconds would drown the log.
      if (req.path === '/healthz' || req.path === '/readyz') return;
      const level = res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info';
      // Only the path: query strings may carry search terms typed by staff.
      logger[level](
        { method: req.method, path: req.path, status: res.statusCode, ms: Math.round(ms * 10) / 10 },
        'request',
      );
    });
    next();
  });
  app.use(helmet());
  app.use(express.json({ limit: config.http.bodyLimit, type: ['application/json', 'application/*+json'] }));

  // Every /api request counts, matched or not, so probing unknown paths is limited too.
  app.use('/api', rateLimiter(deps, 'api', config.rateLimit.perMinute));

  // Until the web console is served here, the root leads to the API documentation.
  app.get('/', (_req, res) => {
    res.redirect('/docs');
  });
  app.get('/openapi.json', (_req, res) => {
    res.json(openapi);
  });
  app.get('/docs', (_req, res) => {
    res.type('html').send(docsPage());
  });
  app.get('/docs/app.js', (_req, res) => {
    res.type('application/javascript').send(docsScript());
  });

  for (const route of routes) {
    const guards: RequestHandler[] = [];
    if (!('public' in route.access)) guards.push(authenticate(route.access.roles));
    app[route.method](route.path, ...guards, validate(route), ...(route.before ?? []), async (req, res) => {
      await route.handler({
        params: res.locals.params,
        query: res.locals.query,
        body: res.locals.body,
        req,
        res,
      });
    });
  }

  app.use(notFoundHandler);
  app.use(errorHandler(logger));
  return app;
}
