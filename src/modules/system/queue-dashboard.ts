import { createHash, randomBytes } from 'node:crypto';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import express, { type Request, type RequestHandler, type Response, type Router } from 'express';
import type { Redis } from 'ioredis';
import type { Config } from '../../config.js';
import type { Queues } from '../../jobs/queues.js';
import type { Actor } from '../../lib/auth/actor.js';
import { extendContext } from '../../lib/context.js';
import { AppError } from '../../lib/errors.js';
import { resolveSessionById } from '../accounts/accounts.service.js';
import { audit } from '../audit/audit.service.js';
import { sameOrigin, signDashboardCookie, verifyDashboardCookie } from './queue-dashboard-cookie.js';

/**
 * The BullMQ dashboard (@bull-board/express) at /admin/queues, for admins only.
 *
 * The API authenticates with bearer tokens, which a browser does not attach to a page navigation
 * (nor to the dashboard's own XHRs and assets). So an admin reaches it in two steps:
 *  1. the console calls `POST /api/v1/system/queue-dashboard/tickets` with its bearer token (an
 *     ordinary, documented, admin-only endpoint) and gets a random one-time ticket that lives
 *     60 s in Redis, bound to that session;
 *  2. the console POSTs the ticket (a form body, never a URL: no history, logs or Referer) to
 *     /admin/queues/session, which consumes it and sets an HttpOnly, SameSite=Strict cookie
 *     limited to Path=/admin/queues, holding the session id and an expiry, signed with a key
 *     derived from SESSION_SECRET.
 * Every dashboard request then re-checks that cookie against the live session: signing out, an
 * expired session, a disabled account or a lost admin role ends access at the next request.
 * Changing requests must also come from this origin (SameSite is the first line, Origin the second).
 */

export const QUEUE_DASHBOARD_PATH = '/admin/queues';
const COOKIE = 'tx_queue_dashboard';
const TICKET_SECONDS = 60;
/** The dashboard cookie outlives neither this nor the session it came from. */
const COOKIE_MAX_MS = 30 * 60_000;

interface DashboardDeps {
  config: Pick<Config, 'security' | 'redis'>;
  redis: Redis;
  queues: Queues;
}

const ticketKey = (prefix: string, ticket: string) =>
  `${prefix}:queue-dashboard:ticket:${createHash('sha256').update(ticket).digest('base64url')}`;

/** One-time, 60-second ticket for the session that asked; the caller must be an admin (policy). */
export async function issueQueueDashboardTicket(
  deps: DashboardDeps,
  actor: Actor,
  sessionId: string,
): Promise<{ ticket: string; action: string; expiresAt: string }> {
  const ticket = randomBytes(32).toString('base64url');
  await deps.redis.set(
    ticketKey(deps.config.redis.queuePrefix, ticket),
    JSON.stringify({ sessionId, userId: actor.userId }),
    'EX',
    TICKET_SECONDS,
  );
  await audit.record({ action: 'queue_dashboard.ticket', resource: { type: 'queue_dashboard' } });
  return {
    ticket,
    action: `${QUEUE_DASHBOARD_PATH}/session`,
    expiresAt: new Date(Date.now() + TICKET_SECONDS * 1000).toISOString(),
  };
}

function readCookie(req: Request, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return v.join('=');
  }
  return undefined;
}

function setCookie(req: Request, res: Response, value: string, maxAgeMs: number) {
  res.cookie(COOKIE, value, {
    httpOnly: true,
    sameSite: 'strict',
    secure: req.secure,
    path: QUEUE_DASHBOARD_PATH,
    maxAge: maxAgeMs,
  });
}

async function adminSession(sessionId: string): Promise<{ actor: Actor; expiresAt: Date }> {
  const resolved = await resolveSessionById(sessionId);
  if (!resolved.actor.roles.includes('admin')) throw new AppError('forbidden');
  return { actor: resolved.actor, expiresAt: resolved.session.expiresAt };
}

/** A person without a valid dashboard cookie is sent back to the console's page for it. */
function refuse(req: Request, res: Response, err: AppError) {
  if (req.method === 'GET' && req.accepts(['json', 'html']) === 'html')
    return res.redirect(303, `/admin/queue-dashboard?refused=${err.code}`);
  throw err;
}

/** The dashboard router, with its entry point and guard; mount at QUEUE_DASHBOARD_PATH. */
export function queueDashboard(deps: DashboardDeps): Router {
  const secret = deps.config.security.sessionSecret;
  const serverAdapter = new ExpressAdapter();
  serverAdapter.setBasePath(QUEUE_DASHBOARD_PATH);
  createBullBoard({
    queues: Object.values(deps.queues).map((q) => new BullMQAdapter(q)),
    serverAdapter,
    options: {
      uiConfig: {
        boardTitle: '同心 · 队列',
        hideDocsLink: true,
        locale: { lng: 'zh-CN' },
        miscLinks: [{ text: '返回工作台', url: '/' }],
      },
    },
  });

  const router = express.Router();
  // Ticket exchange: consumed exactly once (GETDEL), then a cookie for this path only.
  router.post('/session', express.urlencoded({ extended: false, limit: '2kb' }), (async (req, res) => {
    if (!sameOrigin(req.headers)) throw new AppError('forbidden');
    const ticket = typeof req.body?.ticket === 'string' ? req.body.ticket : '';
    const stored = /^[A-Za-z0-9_-]{43}$/.test(ticket)
      ? await deps.redis.getdel(ticketKey(deps.config.redis.queuePrefix, ticket))
      : null;
    if (!stored) {
      await audit.record({
        action: 'queue_dashboard.open',
        outcome: 'failure',
        reason: 'invalid_ticket',
        actor: {},
      });
      return refuse(req, res, new AppError('unauthenticated'));
    }
    const { sessionId } = JSON.parse(stored) as { sessionId: string };
    const { actor, expiresAt } = await adminSession(sessionId);
    extendContext({ userId: actor.userId, organizationId: actor.organizationId, roles: actor.roles });
    const until = Math.min(Date.now() + COOKIE_MAX_MS, expiresAt.getTime());
    setCookie(req, res, signDashboardCookie(secret, sessionId, until), until - Date.now());
    await audit.record({ action: 'queue_dashboard.open', resource: { type: 'queue_dashboard' } });
    res.redirect(303, `${QUEUE_DASHBOARD_PATH}/`);
  }) as RequestHandler);

  const guard: RequestHandler = async (req, res, next) => {
    const value = readCookie(req, COOKIE);
    const sessionId = value ? verifyDashboardCookie(secret, value) : undefined;
    if (!sessionId) return refuse(req, res, new AppError('unauthenticated'));
    if (req.method !== 'GET' && req.method !== 'HEAD' && !sameOrigin(req.headers))
      throw new AppError('forbidden');
    try {
      const { actor } = await adminSession(sessionId);
      extendContext({ userId: actor.userId, organizationId: actor.organizationId, roles: actor.roles });
    } catch (err) {
      if (err instanceof AppError) return refuse(req, res, err);
      throw err;
    }
    res.setHeader('Cache-Control', 'no-store');
    next();
  };
  router.use(guard, serverAdapter.getRouter());
  return router;
}
