import type { RequestHandler, Response } from 'express';
import type { AppDeps } from '../../deps.js';
import { actorOf } from '../../lib/auth/actor.js';
import { access } from '../../lib/auth/policy.js';
import { extendContext } from '../../lib/context.js';
import { AppError } from '../../lib/errors.js';
import { rateLimiter } from '../../lib/http/rate-limit.js';
import { defineRoute, problemResponse, type RouteDef } from '../../lib/http/route.js';
import { idParams } from '../../lib/ids.js';
import { accessLinksPolicy } from './self-service.policy.js';
import {
  accessLinkListSchema,
  actionDoneSchema,
  answerSchema,
  consentIdParams,
  correctionSchema,
  helpSchema,
  issuedLinkSchema,
  issueLinkSchema,
  linkParams,
  matchIdParams,
  openSessionSchema,
  PERSON_TOKEN_PATTERN,
  personPageSchema,
  personSessionSchema,
  personWithdrawSchema,
  selfServiceActionListSchema,
  shareSchema,
} from './self-service.schemas.js';
import {
  answerProposal,
  askForHelp,
  closeSession,
  grantShareConsent,
  historyFor,
  issueLink,
  listLinksFor,
  openSession,
  type Person,
  personActor,
  personPage,
  presentAction,
  presentLink,
  requestCorrection,
  resolvePerson,
  revokeLinkFor,
  withdrawOwnConsent,
} from './self-service.service.js';

const noStore = (res: Response) => res.setHeader('Cache-Control', 'no-store');

/** The person's own routes are not staff routes: they take a person's session (`txp_…`) only. */
const PERSON = {
  public: true,
  why: 'the job seeker’s own page: guarded by the person’s session from an access link, not by a staff role',
} as const;

function personToken(header: string | undefined): string | undefined {
  const m = /^Bearer +(\S+)$/i.exec(header?.trim() ?? '');
  return m && PERSON_TOKEN_PATTERN.test(m[1]!) ? m[1] : undefined;
}

/**
 * The guard of every `/api/v1/me/…` route but the sign-in: a person's session, bound to one
 * profile. It is never a staff session (a staff token is refused here, a person's token by every
 * staff route), and nothing the request says can widen it to another person.
 */
const personGuard: RequestHandler = async (req, res, next) => {
  const token = personToken(req.headers.authorization);
  if (!token) throw new AppError('unauthenticated');
  const person = await resolvePerson(token);
  res.locals.person = person;
  res.locals.personToken = token;
  const a = personActor(person);
  extendContext({ userId: a.userId, organizationId: a.organizationId, roles: a.roles });
  next();
};

const personOf = (res: Response) => {
  const p = res.locals.person as Person | undefined;
  if (!p) throw new AppError('unauthenticated');
  return p;
};

const personResponses = {
  401: problemResponse('No valid person session (or the link was revoked or has expired)'),
};

export function selfServiceRoutes(deps: AppDeps): RouteDef[] {
  // Opening a link is where a guess can be made: the staff sign-in's per-address limit comes first.
  const signInLimit = rateLimiter(deps, 'me-session', deps.config.rateLimit.loginPerMinute);
  return [
    defineRoute({
      method: 'post',
      path: '/api/v1/worker-profiles/:id/access-links',
      operationId: 'issueAccessLink',
      summary: 'Issue a personal link for the person to open their own page (the URL is shown once)',
      tags: ['self-service'],
      access: access(accessLinksPolicy, 'issue'),
      request: { params: idParams, body: issueLinkSchema },
      responses: { 201: { description: 'Issued', schema: issuedLinkSchema } },
      handler: async ({ params, body, res }) => {
        const { link, url, sms } = await issueLink(
          deps,
          actorOf(res),
          params.id,
          body.validDays,
          body.sendSms,
        );
        noStore(res);
        res.status(201).json({ ...presentLink(link), url, sms });
      },
    }),
    defineRoute({
      method: 'get',
      path: '/api/v1/worker-profiles/:id/access-links',
      operationId: 'listAccessLinks',
      summary: 'Personal links issued for a person (never their tokens)',
      tags: ['self-service'],
      access: access(accessLinksPolicy, 'list'),
      request: { params: idParams },
      responses: { 200: { description: 'Links, newest first', schema: accessLinkListSchema } },
      handler: async ({ params, res }) => {
        const items = await listLinksFor(deps, actorOf(res), params.id);
        noStore(res);
        res.json({ items: items.map((l) => presentLink(l)) });
      },
    }),
    defineRoute({
      method: 'delete',
      path: '/api/v1/worker-profiles/:id/access-links/:linkId',
      operationId: 'revokeAccessLink',
      summary: 'Revoke a personal link; its sessions end at once',
      tags: ['self-service'],
      access: access(accessLinksPolicy, 'revoke'),
      request: { params: linkParams },
      responses: { 204: { description: 'Revoked' } },
      handler: async ({ params, res }) => {
        await revokeLinkFor(deps, actorOf(res), params.id, params.linkId);
        res.status(204).end();
      },
    }),
    defineRoute({
      method: 'get',
      path: '/api/v1/worker-profiles/:id/self-service-actions',
      operationId: 'listSelfServiceActions',
      summary: 'What the person (or their guardian / supporter) did on their own page, newest first',
      tags: ['self-service'],
      access: access(accessLinksPolicy, 'history'),
      request: { params: idParams },
      responses: { 200: { description: 'Actions', schema: selfServiceActionListSchema } },
      handler: async ({ params, res }) => {
        const items = await historyFor(deps, actorOf(res), params.id);
        noStore(res);
        res.json({ items: items.map(presentAction) });
      },
    }),
    defineRoute({
      method: 'post',
      path: '/api/v1/me/sessions',
      operationId: 'openPersonSession',
      summary:
        'Open a personal link: the token and a second factor (last 4 of the ID number, or the birth date)',
      tags: ['self-service'],
      access: { public: true, why: 'opening a personal link is how a person’s session is obtained' },
      request: { body: openSessionSchema },
      before: [signInLimit],
      responses: {
        201: { description: 'A short session for this person only', schema: personSessionSchema },
        401: problemResponse('The link is unknown, revoked or expired, or the answer is wrong'),
        423: problemResponse('Too many wrong answers: the link is locked a while'),
      },
      handler: async ({ body, req, res }) => {
        const session = await openSession(deps, body, req.ip ?? 'unknown');
        noStore(res);
        res.status(201).json({ token: session.token, expiresAt: session.expiresAt.toISOString() });
      },
    }),
    defineRoute({
      method: 'delete',
      path: '/api/v1/me/sessions/current',
      operationId: 'closePersonSession',
      summary: 'Sign the person out',
      tags: ['self-service'],
      access: PERSON,
      guard: personGuard,
      responses: { 204: { description: 'Signed out' }, ...personResponses },
      handler: async ({ res }) => {
        await closeSession(res.locals.personToken as string);
        res.status(204).end();
      },
    }),
    defineRoute({
      method: 'get',
      path: '/api/v1/me',
      operationId: 'getPersonPage',
      summary: 'The person’s own page: what the federation holds, consents, proposals, placement',
      tags: ['self-service'],
      access: PERSON,
      guard: personGuard,
      responses: { 200: { description: 'The page', schema: personPageSchema }, ...personResponses },
      handler: async ({ res }) => {
        const page = await personPage(deps, personOf(res));
        noStore(res);
        res.json(page);
      },
    }),
    defineRoute({
      method: 'post',
      path: '/api/v1/me/corrections',
      operationId: 'requestPersonCorrection',
      summary: '“This is wrong”: a correction request for the federation staff',
      tags: ['self-service'],
      access: PERSON,
      request: { body: correctionSchema },
      guard: personGuard,
      responses: { 201: { description: 'Sent to staff', schema: actionDoneSchema }, ...personResponses },
      handler: async ({ body, res }) => {
        await requestCorrection(deps, personOf(res), body);
        res.status(201).json({ done: true, actedBy: body.actedBy });
      },
    }),
    defineRoute({
      method: 'post',
      path: '/api/v1/me/consents/:consentId/withdraw',
      operationId: 'withdrawPersonConsent',
      summary: 'Withdraw one of the person’s consents (as when staff record it)',
      tags: ['self-service'],
      access: PERSON,
      request: { params: consentIdParams, body: personWithdrawSchema },
      guard: personGuard,
      responses: {
        200: { description: 'Withdrawn', schema: actionDoneSchema },
        409: problemResponse('Withdrawn already'),
        ...personResponses,
      },
      handler: async ({ params, body, res }) => {
        await withdrawOwnConsent(deps, personOf(res), params.consentId, body);
        res.json({ done: true, actedBy: body.actedBy });
      },
    }),
    defineRoute({
      method: 'post',
      path: '/api/v1/me/proposals/:matchId/answer',
      operationId: 'answerPersonProposal',
      summary: '“我想去” / “我不想去” for a proposed job (recorded for the reviewers)',
      tags: ['self-service'],
      access: PERSON,
      request: { params: matchIdParams, body: answerSchema },
      guard: personGuard,
      responses: { 201: { description: 'Recorded', schema: actionDoneSchema }, ...personResponses },
      handler: async ({ params, body, res }) => {
        await answerProposal(deps, personOf(res), params.matchId, body);
        res.status(201).json({ done: true, actedBy: body.actedBy });
      },
    }),
    defineRoute({
      method: 'post',
      path: '/api/v1/me/proposals/:matchId/share-consent',
      operationId: 'grantPersonShareConsent',
      summary: '“同意把我的姓名和电话给这家单位”: the share consent (PIPL 23) for this employer and opening',
      tags: ['self-service'],
      access: PERSON,
      request: { params: matchIdParams, body: shareSchema },
      guard: personGuard,
      responses: {
        201: { description: 'Recorded (or already given)', schema: actionDoneSchema },
        409: problemResponse('The consent to process sensitive data was withdrawn'),
        ...personResponses,
      },
      handler: async ({ params, body, res }) => {
        await grantShareConsent(deps, personOf(res), params.matchId, body);
        res.status(201).json({ done: true, actedBy: body.actedBy });
      },
    }),
    defineRoute({
      method: 'post',
      path: '/api/v1/me/help',
      operationId: 'requestPersonHelp',
      summary: '“我需要帮助”: notifies the person’s federation staff',
      tags: ['self-service'],
      access: PERSON,
      request: { body: helpSchema },
      guard: personGuard,
      responses: { 201: { description: 'Staff notified', schema: actionDoneSchema }, ...personResponses },
      handler: async ({ body, res }) => {
        await askForHelp(deps, personOf(res), body);
        res.status(201).json({ done: true, actedBy: body.actedBy });
      },
    }),
  ];
}
