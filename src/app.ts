import express, { type RequestHandler } from 'express';
import type { AppDeps } from './deps.js';
import { assertRouteTable, massAssignmentGuard, type Policy } from './lib/auth/policy.js';
import { errorHandler, notFoundHandler } from './lib/errors.js';
import { createHttpMetrics, type HttpMetrics } from './lib/http/metrics.js';
import { buildOpenApiDocument, docsPage, docsScript } from './lib/http/openapi.js';
import { rateLimiter } from './lib/http/rate-limit.js';
import { requestContext } from './lib/http/request-context.js';
import { type RouteDef, validate } from './lib/http/route.js';
import { securityHeaders } from './lib/http/security-headers.js';
import { refuseUnstorableText } from './lib/http/storable-text.js';
import { defaultWebRoot, webConsole } from './lib/http/web-console.js';
import { authRoutes, usersRoutes } from './modules/accounts/accounts.routes.js';
import { sessionPolicy } from './modules/accounts/auth.policy.js';
import { createAuthenticate } from './modules/accounts/authenticate.js';
import { usersPolicy } from './modules/accounts/users.policy.js';
import { advicePolicy } from './modules/advice/advice.policy.js';
import { adviceRoutes } from './modules/advice/advice.routes.js';
import { auditPolicy } from './modules/audit/audit.policy.js';
import { auditRoutes } from './modules/audit/audit.routes.js';
import { matchesPolicy } from './modules/matches/matches.policy.js';
import { matchesRoutes } from './modules/matches/matches.routes.js';
import { matchingPolicy } from './modules/matches/suggestions.policy.js';
import { suggestionsRoutes } from './modules/matches/suggestions.routes.js';
import {
  deliveriesPolicy,
  notificationsPolicy,
  webhooksPolicy,
} from './modules/notifications/notifications.policy.js';
import { notificationsRoutes } from './modules/notifications/notifications.routes.js';
import { openingsPolicy } from './modules/openings/openings.policy.js';
import { openingsRoutes } from './modules/openings/openings.routes.js';
import { organizationsPolicy } from './modules/orgs/orgs.policy.js';
import { orgsRoutes } from './modules/orgs/orgs.routes.js';
import { placementsPolicy, transferBatchesPolicy } from './modules/placements/placements.policy.js';
import { placementsRoutes } from './modules/placements/placements.routes.js';
import { plansPolicy } from './modules/plans/plans.policy.js';
import { plansRoutes } from './modules/plans/plans.routes.js';
import { labourStandardsPolicy } from './modules/reference/labour.js';
import { referencePolicy } from './modules/reference/reference.policy.js';
import { referenceRoutes } from './modules/reference/reference.routes.js';
import { reportsPolicy } from './modules/reports/reports.policy.js';
import { reportsRoutes } from './modules/reports/reports.routes.js';
import { searchPolicy } from './modules/search/search.policy.js';
import { searchRoutes } from './modules/search/search.routes.js';
import { accessLinksPolicy } from './modules/self-service/self-service.policy.js';
import { selfServiceRoutes } from './modules/self-service/self-service.routes.js';
import { QUEUE_DASHBOARD_PATH, queueDashboard } from './modules/system/queue-dashboard.js';
import { systemPolicy } from './modules/system/system.policy.js';
import { systemRoutes } from './modules/system/system.routes.js';
import { workPolicy } from './modules/work/work.policy.js';
import { workRoutes } from './modules/work/work.routes.js';
import { consentsPolicy, workerProfilesPolicy } from './modules/worker-profiles/worker-profiles.policy.js';
import { workerProfilesRoutes } from './modules/worker-profiles/worker-profiles.routes.js';

export type AppDepsInput = Omit<AppDeps, 'metrics'> & {
  metrics?: HttpMetrics;
  /**
   * The built staff console (index.html + assets/). Defaults to dist/web when `npm run build` has
   * made it; `null` serves no console (`/` then leads to the API documentation).
   */
  webRoot?: string | null;
};

export const APP_VERSION = '0.1.0';

/** Routes of every module, in one table: OpenAPI, mounting and the policy matrix read it. */
export function routeTable(deps: AppDeps): RouteDef[] {
  return [
    ...systemRoutes(deps),
    ...authRoutes(deps),
    ...usersRoutes(deps),
    ...referenceRoutes(deps),
    ...orgsRoutes(deps),
    ...auditRoutes(deps),
    ...openingsRoutes(deps),
    ...searchRoutes(deps),
    ...notificationsRoutes(deps),
    ...workerProfilesRoutes(deps),
    ...plansRoutes(deps),
    ...reportsRoutes(deps),
    ...suggestionsRoutes(deps),
    ...adviceRoutes(deps),
    ...matchesRoutes(deps),
    ...placementsRoutes(deps),
    ...workRoutes(deps),
    ...selfServiceRoutes(deps),
  ];
}

/** Every resource's policy: a guarded route must name one of these (checked when the app is built). */
export function policyTable(): Policy[] {
  return [
    systemPolicy,
    sessionPolicy,
    usersPolicy,
    referencePolicy,
    organizationsPolicy,
    auditPolicy,
    openingsPolicy,
    searchPolicy,
    notificationsPolicy,
    webhooksPolicy,
    deliveriesPolicy,
    workerProfilesPolicy,
    consentsPolicy,
    plansPolicy,
    reportsPolicy,
    matchingPolicy,
    advicePolicy,
    matchesPolicy,
    placementsPolicy,
    transferBatchesPolicy,
    labourStandardsPolicy,
    workPolicy,
    accessLinksPolicy,
  ];
}

/** Builds the Express app without listening: server.ts listens, tests use supertest. */
export function createApp(input: AppDepsInput) {
  const deps: AppDeps = { ...input, metrics: input.metrics ?? createHttpMetrics(input.queues) };
  const { config, logger } = deps;
  // Always the real guard: there is no way to build an app whose guarded routes are open.
  const authenticate = createAuthenticate(config);
  const routes = routeTable(deps);
  const policies = new Map(policyTable().map((p) => [p.resource, p]));
  assertRouteTable(routes, [...policies.values()]);
  const openapi = buildOpenApiDocument(routes, APP_VERSION);

  const app = express();
  app.disable('x-powered-by');
  // Versioned documents set their own ETag from `version`; hashing every response body for a
  // content ETag would cost CPU on every request for no use.
  app.set('etag', false);
  app.set('trust proxy', config.http.trustProxy);
  app.set('query parser', 'simple');

  app.use(requestContext);
  // One access-log line per request, written when the response is finished. (pino-http builds a
  // child logger per request; the request id already reaches every line through the context.)
  app.use((req, res, next) => {
    const started = performance.now();
    res.on('finish', () => {
      const ms = performance.now() - started;
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
  app.use(securityHeaders());
  // Every /api request counts, matched or not, so probing unknown paths is limited too. Before the
  // body is parsed, so that a client over its limit costs no parsing.
  app.use('/api', rateLimiter(deps, 'api', config.rateLimit.perMinute));
  const json = express.json({
    limit: config.http.bodyLimit,
    type: ['application/json', 'application/*+json'],
  });
  app.use((req, res, next) =>
    req.method === 'GET' || req.method === 'HEAD' ? next() : json(req, res, next),
  );
  app.use(refuseUnstorableText);

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
    const guards: RequestHandler[] = route.guard ? [route.guard] : [];
    if (!('public' in route.access)) {
      const { policy } = route.access;
      guards.push(authenticate(route.access));
      // Property-level rule before validation, so a forbidden field is named as such.
      if (route.request?.body)
        guards.push(massAssignmentGuard(policies.get(policy.resource)!, policy.action));
    }
    // Not an async wrapper: a handler's promise goes to the router as it is (a rejection reaches
    // the error handler), and a synchronous handler costs no promise.
    app[route.method](route.path, ...guards, validate(route), ...(route.before ?? []), (req, res) =>
      route.handler({
        params: res.locals.params,
        query: res.locals.query,
        body: res.locals.body,
        req,
        res,
      }),
    );
  }

  app.use(QUEUE_DASHBOARD_PATH, queueDashboard(deps));
  // After the API, so API requests never touch the file system; every page uses /api/v1 like any client.
  const webRoot = input.webRoot === undefined ? defaultWebRoot() : input.webRoot;
  if (webRoot) app.use(webConsole(webRoot));
  else {
    // Not built (e.g. tests of the API alone): the root leads to the API documentation.
    app.get('/', (_req, res) => {
      res.redirect('/docs');
    });
  }

  app.use(notFoundHandler);
  app.use(errorHandler(logger));
  return app;
}
