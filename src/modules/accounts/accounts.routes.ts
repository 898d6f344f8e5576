import type { AppDeps } from '../../deps.js';
import { actorOf } from '../../lib/auth/actor.js';
import { access } from '../../lib/auth/policy.js';
import { requireIfMatch, setVersionEtag } from '../../lib/http/etag.js';
import { rateLimiter } from '../../lib/http/rate-limit.js';
import { defineRoute, problemResponse, type RouteDef } from '../../lib/http/route.js';
import { idParams } from '../../lib/ids.js';
import {
  changePasswordSchema,
  createUserSchema,
  listUsersQuery,
  loginResponseSchema,
  loginSchema,
  meSchema,
  resetPasswordSchema,
  updateMeSchema,
  updateUserSchema,
  userPageSchema,
  userSchema,
} from './accounts.schemas.js';
import {
  changePassword,
  createUser,
  getUser,
  listUsers,
  login,
  logout,
  presentMe,
  presentUser,
  type ResolvedSession,
  resetPassword,
  unlockUser,
  updateMe,
  updateUser,
} from './accounts.service.js';
import { sessionPolicy } from './auth.policy.js';
import { usersPolicy } from './users.policy.js';

const etag = { ETag: { description: 'The version, to send back in If-Match' } };

export function authRoutes(deps: AppDeps): RouteDef[] {
  const loginLimit = rateLimiter(deps, 'login', deps.config.rateLimit.loginPerMinute);
  return [
    defineRoute({
      method: 'post',
      path: '/api/v1/auth/login',
      operationId: 'login',
      summary: 'Sign in with username and password; returns an opaque session token',
      tags: ['auth'],
      access: { public: true, why: 'signing in is how a session is obtained' },
      request: { body: loginSchema },
      before: [loginLimit],
      responses: {
        200: { description: 'Signed in', schema: loginResponseSchema },
        401: problemResponse('Wrong username or password (`invalid_credentials`)'),
        423: problemResponse(
          'Locked after repeated failures from this address (or, far more, from all); Retry-After says for how long. The same for a username that does not exist',
        ),
      },
      handler: async ({ body, req, res }) => {
        res.setHeader('Cache-Control', 'no-store');
        // The lock-out is per username and client address (req.ip, as TRUST_PROXY allows).
        res.json(await login(deps.config, body, req.ip));
      },
    }),
    defineRoute({
      method: 'post',
      path: '/api/v1/auth/logout',
      operationId: 'logout',
      summary: 'Revoke the current session',
      tags: ['auth'],
      access: access(sessionPolicy, 'logout'),
      responses: { 204: { description: 'Signed out' } },
      handler: async ({ res }) => {
        await logout((res.locals.session as { id: string }).id);
        res.status(204).end();
      },
    }),
    defineRoute({
      method: 'get',
      path: '/api/v1/auth/me',
      operationId: 'getMe',
      summary: 'The signed-in user, organisation and scope',
      tags: ['auth'],
      access: access(sessionPolicy, 'me'),
      responses: { 200: { description: 'You', schema: meSchema } },
      handler: ({ res }) => {
        res.json(presentMe(res.locals.me as ResolvedSession));
      },
    }),
    defineRoute({
      method: 'patch',
      path: '/api/v1/auth/me',
      operationId: 'updateMe',
      summary: 'Change your display name or language',
      tags: ['auth'],
      access: access(sessionPolicy, 'update_me'),
      request: { body: updateMeSchema },
      responses: { 200: { description: 'You, updated', schema: meSchema } },
      handler: async ({ body, res }) => {
        const me = res.locals.me as ResolvedSession;
        const user = await updateMe(actorOf(res), body);
        res.json(presentMe({ ...me, user }));
      },
    }),
    defineRoute({
      method: 'post',
      path: '/api/v1/auth/password',
      operationId: 'changePassword',
      summary: 'Change your password (other sessions are signed out)',
      tags: ['auth'],
      access: access(sessionPolicy, 'change_password'),
      request: { body: changePasswordSchema },
      before: [loginLimit],
      responses: { 204: { description: 'Changed' } },
      handler: async ({ body, res }) => {
        await changePassword(deps.config, actorOf(res), (res.locals.session as { id: string }).id, body);
        res.status(204).end();
      },
    }),
  ];
}

export function usersRoutes(_deps: AppDeps): RouteDef[] {
  return [
    defineRoute({
      method: 'get',
      path: '/api/v1/users',
      operationId: 'listUsers',
      summary: 'Users, filtered by organisation, role or lock (admins)',
      tags: ['users'],
      access: access(usersPolicy, 'list'),
      request: { query: listUsersQuery },
      responses: { 200: { description: 'One page', schema: userPageSchema } },
      handler: async ({ query, res }) => {
        const page = await listUsers(actorOf(res), query);
        res.json({ items: page.items.map((u) => presentUser(u)), nextCursor: page.nextCursor });
      },
    }),
    defineRoute({
      method: 'post',
      path: '/api/v1/users',
      operationId: 'createUser',
      summary: 'Create a user in an organisation, with roles fitting its type (admins)',
      tags: ['users'],
      access: access(usersPolicy, 'create'),
      request: { body: createUserSchema },
      responses: {
        201: { description: 'Created', schema: userSchema, headers: etag },
        409: problemResponse('The username is taken'),
      },
      handler: async ({ body, res }) => {
        const user = await createUser(actorOf(res), body);
        setVersionEtag(res, user.version);
        res.status(201).location(`/api/v1/users/${user.id}`).json(presentUser(user));
      },
    }),
    defineRoute({
      method: 'get',
      path: '/api/v1/users/:id',
      operationId: 'getUser',
      summary: 'One user, with lock state (admins)',
      tags: ['users'],
      access: access(usersPolicy, 'read'),
      request: { params: idParams },
      responses: { 200: { description: 'The user', schema: userSchema, headers: etag } },
      handler: async ({ params, res }) => {
        const user = await getUser(actorOf(res), params.id);
        setVersionEtag(res, user.version);
        res.json(presentUser(user));
      },
    }),
    defineRoute({
      method: 'patch',
      path: '/api/v1/users/:id',
      operationId: 'updateUser',
      summary: 'Change roles, display name, language or disable (admins; If-Match)',
      tags: ['users'],
      access: access(usersPolicy, 'update'),
      request: { params: idParams, body: updateUserSchema },
      responses: {
        200: { description: 'Updated', schema: userSchema, headers: etag },
        409: problemResponse('Would leave no active admin'),
        412: problemResponse('Changed by someone else since you read it'),
        428: problemResponse('If-Match missing'),
      },
      handler: async ({ params, body, req, res }) => {
        const user = await updateUser(actorOf(res), params.id, requireIfMatch(req), body);
        setVersionEtag(res, user.version);
        res.json(presentUser(user));
      },
    }),
    defineRoute({
      method: 'post',
      path: '/api/v1/users/:id/password',
      operationId: 'resetUserPassword',
      summary: "Set a user's password, clear the lock, end their sessions (admins)",
      tags: ['users'],
      access: access(usersPolicy, 'reset_password'),
      request: { params: idParams, body: resetPasswordSchema },
      responses: { 200: { description: 'Done', schema: userSchema } },
      handler: async ({ params, body, res }) => {
        res.json(presentUser(await resetPassword(actorOf(res), params.id, body.password)));
      },
    }),
    defineRoute({
      method: 'post',
      path: '/api/v1/users/:id/unlock',
      operationId: 'unlockUser',
      summary: 'Lift a lock after failed logins (admins)',
      tags: ['users'],
      access: access(usersPolicy, 'unlock'),
      request: { params: idParams },
      responses: { 200: { description: 'Unlocked', schema: userSchema } },
      handler: async ({ params, res }) => {
        res.json(presentUser(await unlockUser(actorOf(res), params.id)));
      },
    }),
  ];
}
