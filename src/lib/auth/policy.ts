import type { RequestHandler } from 'express';
import { AppError } from '../errors.js';
import type { Access, Role, RouteDef } from '../http/route.js';
import { actorOf } from './actor.js';

/**
 * A resource's policy: which roles may attempt each action and which top-level body fields each
 * role may set. Visibility (the query scope) lives next to it in the same `<domain>.policy.ts`,
 * as a function of the actor only. Routes name a policy and an action; nothing else decides.
 */
export interface Policy<A extends string = string> {
  resource: string;
  actions: Record<A, readonly Role[]>;
  /**
   * Property-level rule: for each action that takes a body, the fields each role may set. A body
   * naming any other field is refused whole with `mass_assignment` (never silently dropped).
   */
  writable?: { [K in A]?: Partial<Record<Role, readonly string[]>> };
}

export function definePolicy<const A extends string>(policy: Policy<A>): Policy<A> {
  return policy;
}

/** The access rule of a route guarded by `policy`'s `action`: the roles come from the policy. */
export function access<A extends string>(policy: Policy<A>, action: A): Access {
  return { roles: policy.actions[action], policy: { resource: policy.resource, action } };
}

/** Fields of `body` that none of `roles` may set for `action` (pure; top-level keys only). */
export function forbiddenFields(
  policy: Policy,
  action: string,
  roles: readonly Role[],
  body: unknown,
): string[] {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return [];
  const perRole = policy.writable?.[action] ?? {};
  const allowed = new Set(roles.flatMap((r) => perRole[r] ?? []));
  return Object.keys(body).filter((k) => !allowed.has(k));
}

/** Runs before validation so a forbidden field is named as such, not as an unknown key. */
export function massAssignmentGuard(policy: Policy, action: string): RequestHandler {
  return (req, res, next) => {
    const fields = forbiddenFields(policy, action, actorOf(res).roles, req.body);
    if (fields.length === 0) return next();
    next(
      new AppError('mass_assignment', {
        detail: `不允许设置字段：${fields.join(', ')}`,
        detailEn: `Fields you may not set: ${fields.join(', ')}`,
        issues: fields.map((f) => ({
          path: `body.${f}`,
          code: 'mass_assignment',
          message: 'this field may not be set by your role through this endpoint',
        })),
        extra: { fields },
      }),
    );
  };
}

export function routeLabel(route: Pick<RouteDef, 'method' | 'path' | 'operationId'>): string {
  return `${route.method.toUpperCase()} ${route.path} (${route.operationId})`;
}

/**
 * Every problem with the route table's access rules. `createApp` refuses to build an app with
 * any, and a test shows that a route without a policy is caught.
 */
export function checkRouteTable(routes: readonly RouteDef[], policies: readonly Policy[]): string[] {
  const problems: string[] = [];
  const byResource = new Map(policies.map((p) => [p.resource, p]));
  const seen = new Set<string>();
  for (const route of routes) {
    const label = routeLabel(route);
    const key = `${route.method} ${route.path}`;
    if (seen.has(key) || seen.has(route.operationId)) problems.push(`${label}: defined twice`);
    seen.add(key);
    seen.add(route.operationId);

    const acc = route.access as Partial<Access> & Record<string, unknown>;
    if ('public' in acc) {
      if (acc.public !== true || typeof acc.why !== 'string' || acc.why.trim() === '')
        problems.push(`${label}: a public route must say why`);
      continue;
    }
    const ref = acc.policy as { resource?: string; action?: string } | undefined;
    if (!ref?.resource || !ref.action) {
      problems.push(`${label}: names no policy (access needs { policy: { resource, action } })`);
      continue;
    }
    const policy = byResource.get(ref.resource);
    if (!policy) {
      problems.push(`${label}: policy "${ref.resource}" is not in the policy table`);
      continue;
    }
    // The action is written to the audit trail as a code when access is denied.
    if (!/^[a-z][a-z0-9_-]{0,63}$/.test(ref.action))
      problems.push(`${label}: action "${ref.action}" must be a lower-case code (a-z, 0-9, _)`);
    const roles = policy.actions[ref.action];
    if (!roles) {
      problems.push(`${label}: policy "${ref.resource}" has no action "${ref.action}"`);
      continue;
    }
    const routeRoles = [...((acc.roles as readonly Role[] | undefined) ?? [])].sort();
    if (routeRoles.join() !== [...roles].sort().join())
      problems.push(`${label}: roles differ from policy ${ref.resource}.${ref.action}`);
    if (route.request?.body && !policy.writable?.[ref.action])
      problems.push(`${label}: takes a body but ${ref.resource}.${ref.action} declares no writable fields`);
  }
  return problems;
}

export function assertRouteTable(routes: readonly RouteDef[], policies: readonly Policy[]): void {
  const problems = checkRouteTable(routes, policies);
  if (problems.length) throw new Error(`Route table has access problems:\n  - ${problems.join('\n  - ')}`);
}

/**
 * A batch naming any id the caller cannot see (outside the scope, or not existing — the two look
 * the same) is refused whole with 404, before anything is written.
 */
export function assertAllVisible(requested: readonly string[], visible: Iterable<string>): void {
  const seen = new Set(visible);
  if (requested.some((id) => !seen.has(id)))
    throw new AppError('not_found', {
      detail: '请求中包含不存在或无权访问的记录，未做任何修改',
      detailEn: 'The request names a record that does not exist or is not yours; nothing was changed',
    });
}
