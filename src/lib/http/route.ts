import type { Request, RequestHandler, Response } from 'express';
import { problemSchema, validationError } from '../errors.js';
import { z } from '../zod.js';

export const ROLES = ['admin', 'federation_staff', 'reviewer', 'employer'] as const;
export type Role = (typeof ROLES)[number];

/** Names the policy (`<domain>.policy.ts`) and the action of it that guards a route. */
export interface PolicyRef {
  resource: string;
  action: string;
}

/**
 * Who may call a route. Every route states it; the route table is what the OpenAPI document and the
 * authorization test matrix are generated from, so a route cannot exist without an access rule.
 * A guarded route names its policy; build it with `access(policy, action)` (src/lib/auth/policy.ts)
 * so the roles come from the policy. `createApp` refuses a table where any route lacks one.
 */
export type Access = { public: true; why: string } | { roles: readonly Role[]; policy: PolicyRef };

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

type AnyObject = z.ZodObject<z.ZodRawShape>;

export interface ResponseSpec {
  description: string;
  schema?: z.ZodType;
  /** Defaults to application/json when a schema is given. */
  contentType?: string;
  headers?: Record<string, { description: string }>;
}

/** A documented error response of a route (problem+json), beyond those every route may give. */
export function problemResponse(description: string): ResponseSpec {
  return { description, schema: problemSchema, contentType: 'application/problem+json' };
}

export interface RouteInput<P, Q, B> {
  params: P;
  query: Q;
  body: B;
  req: Request;
  res: Response;
}

export interface RouteDef<
  P extends AnyObject = AnyObject,
  Q extends AnyObject = AnyObject,
  B extends z.ZodType = z.ZodType,
> {
  method: HttpMethod;
  /** Express-style path, e.g. `/api/v1/openings/:id`. */
  path: string;
  operationId: string;
  summary: string;
  tags: string[];
  access: Access;
  request?: {
    params?: P;
    query?: Q;
    body?: B;
    bodyContentType?: string;
    /**
     * A raw upload (a file as the body), parsed by the route's own `before` middleware; documented
     * in OpenAPI as binary content of these media types. Not combined with `body`.
     */
    upload?: { contentTypes: string[]; description: string };
  };
  responses: Record<number, ResponseSpec>;
  /** Extra middleware run after validation (rate limits, uploads). */
  before?: RequestHandler[];
  /**
   * A public route's own guard, run before validation like the staff guard (the job seeker's
   * session on `/api/v1/me/…`, which no staff role opens).
   */
  guard?: RequestHandler;
  handler: (input: RouteInput<z.infer<P>, z.infer<Q>, z.infer<B>>) => Promise<void> | void;
  /** Skip in the OpenAPI document (the docs page itself, for instance). */
  hidden?: boolean;
}

/** Keeps the generic types of one route while collecting many in a table. */
export function defineRoute<P extends AnyObject, Q extends AnyObject, B extends z.ZodType>(
  def: RouteDef<P, Q, B>,
): RouteDef {
  return def as unknown as RouteDef;
}

/**
 * Parses params, query and body with the route's zod schemas (DESIGN §7.2). The parsed values
 * travel in `res.locals` because Express 5's `req.query` is a read-only getter.
 */
export function validate(def: RouteDef): RequestHandler {
  if (!def.request?.params && !def.request?.query && !def.request?.body) {
    // Nothing to validate (probes, lists without parameters): the same locals, no work.
    return (_req, res, next) => {
      res.locals.params = {};
      res.locals.query = {};
      res.locals.body = undefined;
      next();
    };
  }
  return (req, res, next) => {
    const { params, query, body } = def.request ?? {};
    const issues: z.core.$ZodIssue[] = [];
    const parts: [string, z.ZodType | undefined, unknown][] = [
      ['params', params, req.params],
      ['query', query, req.query],
      ['body', body, req.body],
    ];
    for (const [where, schema, value] of parts) {
      if (!schema) {
        res.locals[where] = where === 'body' ? undefined : {};
        continue;
      }
      const parsed = schema.safeParse(value ?? (where === 'body' ? undefined : {}));
      if (parsed.success) res.locals[where] = parsed.data;
      // Issue paths start with where the value came from: `params.code`, `body.idNumber`.
      else issues.push(...parsed.error.issues.map((i) => ({ ...i, path: [where, ...i.path] })));
    }
    if (issues.length) return next(validationError(new z.ZodError(issues)));
    next();
  };
}

export function toOpenApiPath(path: string): string {
  return path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
}
