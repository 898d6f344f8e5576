import type { RequestHandler } from 'express';
import type { Config } from '../../config.js';
import { hasRole } from '../../lib/auth/actor.js';
import { extendContext } from '../../lib/context.js';
import { AppError } from '../../lib/errors.js';
import type { PolicyRef, Role } from '../../lib/http/route.js';
import { audit } from '../audit/audit.service.js';
import { resolveSession } from './accounts.service.js';
import { bearerToken } from './session-token.js';

export type Authenticate = (access: { roles: readonly Role[]; policy: PolicyRef }) => RequestHandler;

/**
 * The guard of every non-public route: a valid, unexpired, unrevoked session (401 otherwise), then
 * a role the route's policy allows (403 otherwise, audited). The actor goes to `res.locals.actor`
 * and into the request context, so log lines and audit entries carry it.
 */
export function createAuthenticate(config: Pick<Config, 'security'>): Authenticate {
  return (access) => async (req, res, next) => {
    const token = bearerToken(req.headers.authorization);
    if (!token) throw new AppError('unauthenticated');
    const resolved = await resolveSession(config, token);
    const { actor } = resolved;
    res.locals.actor = actor;
    res.locals.session = resolved.session;
    res.locals.me = resolved;
    extendContext({ userId: actor.userId, organizationId: actor.organizationId, roles: actor.roles });
    if (!hasRole(actor, ...access.roles)) {
      await audit.record({
        action: 'access.denied',
        outcome: 'denied',
        resource: { type: access.policy.resource },
        reason: access.policy.action,
      });
      throw new AppError('forbidden');
    }
    next();
  };
}
