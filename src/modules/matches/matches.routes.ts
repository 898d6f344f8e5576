import type { AppDeps } from '../../deps.js';
import { actorOf } from '../../lib/auth/actor.js';
import { access } from '../../lib/auth/policy.js';
import { setVersionEtag } from '../../lib/http/etag.js';
import { defineRoute, problemResponse, type RouteDef } from '../../lib/http/route.js';
import { idParams } from '../../lib/ids.js';
import { z } from '../../lib/zod.js';
import type { HumanAction } from './machine.js';
import { matchesPolicy } from './matches.policy.js';
import {
  hireBody,
  interviewBody,
  matchPageSchema,
  matchSchema,
  noteBody,
  proposalPageSchema,
  proposalSchema,
  proposalsQuery,
  reasonBody,
  reasonListsSchema,
  reviewQueueQuery,
} from './matches.schemas.js';
import {
  employerProposal,
  employerProposals,
  getMatch,
  presentMatches,
  reasonLists,
  reviewQueue,
  transition,
} from './matches.service.js';

const tags = ['review'];
const etag = { ETag: { description: 'The match version' } };

/** The If-Match of a transition is optional: without it the version just read is the condition. */
function optionalIfMatch(header: string | undefined): number | undefined {
  const m = header ? /^(?:W\/)?"(\d{1,12})"$/.exec(header.trim()) : null;
  return m ? Number(m[1]) : undefined;
}

const transitionResult = z.object({
  id: z.string(),
  status: z.string(),
  version: z.number().int(),
  placementId: z.string().nullable(),
  allowedActions: z.array(z.string()),
});

const TRANSITIONS: { action: HumanAction; operationId: string; summary: string; body: z.ZodType }[] = [
  {
    action: 'approve',
    operationId: 'approveMatch',
    summary: 'Approve a suggested match (reviewers)',
    body: noteBody.optional(),
  },
  {
    action: 'reject',
    operationId: 'rejectMatch',
    summary: 'Reject a suggested match with a reason code from the configured list (reviewers)',
    body: reasonBody,
  },
  {
    action: 'propose',
    operationId: 'proposeMatch',
    summary:
      'Propose an approved match to the employer (reviewers only; needs the person’s consent to share with that employer for that opening)',
    body: noteBody.optional(),
  },
  {
    action: 'interested',
    operationId: 'markMatchInterested',
    summary: 'The employer is interested',
    body: noteBody.optional(),
  },
  {
    action: 'decline',
    operationId: 'declineMatch',
    summary: 'The employer declines, with a reason code',
    body: reasonBody,
  },
  {
    action: 'interview',
    operationId: 'scheduleMatchInterview',
    summary: 'Schedule (or move) the interview: date and mode (on site, video, or by the federation)',
    body: interviewBody,
  },
  {
    action: 'hire',
    operationId: 'hireMatch',
    summary: 'Record the hire (contract dates, monthly wage, social insurance): creates the placement',
    body: hireBody,
  },
  {
    action: 'withdraw',
    operationId: 'withdrawMatch',
    summary: 'Withdraw a match before the hire (federation staff, reviewers), with a reason code',
    body: reasonBody,
  },
];

export function matchesRoutes(deps: AppDeps): RouteDef[] {
  const svc = { config: deps.config, logger: deps.logger, queues: deps.queues };
  return [
    defineRoute({
      method: 'get',
      path: '/api/v1/review/queue',
      operationId: 'getReviewQueue',
      summary: 'Suggested matches in your partnership scope, by score or waiting time, with reasons',
      tags,
      access: access(matchesPolicy, 'queue'),
      request: { query: reviewQueueQuery },
      responses: { 200: { description: 'A page of suggestions', schema: matchPageSchema } },
      handler: async ({ query, res }) => {
        const actor = actorOf(res);
        const page = await reviewQueue(actor, query);
        res.json({ ...page, items: await presentMatches(actor, page.items) });
      },
    }),
    defineRoute({
      method: 'get',
      path: '/api/v1/review/reasons',
      operationId: 'getReviewReasons',
      summary: 'The configured reason codes (reject, decline, withdraw) with labels, and interview modes',
      tags,
      access: access(matchesPolicy, 'reasons'),
      responses: { 200: { description: 'Reason lists', schema: reasonListsSchema } },
      handler: ({ res }) => {
        res.json(reasonLists(deps.config));
      },
    }),
    defineRoute({
      method: 'get',
      path: '/api/v1/matches/:id',
      operationId: 'getMatch',
      summary: 'One match with its history (404 outside your scope)',
      tags,
      access: access(matchesPolicy, 'read'),
      request: { params: idParams },
      responses: { 200: { description: 'The match', schema: matchSchema, headers: etag } },
      handler: async ({ params, res }) => {
        const actor = actorOf(res);
        const m = await getMatch(actor, params.id);
        setVersionEtag(res, m.version);
        res.json((await presentMatches(actor, [m]))[0]);
      },
    }),
    ...TRANSITIONS.map(({ action, operationId, summary, body }) =>
      defineRoute({
        method: 'post',
        path: `/api/v1/matches/:id/${action}`,
        operationId,
        summary,
        tags,
        access: access(matchesPolicy, action),
        request: { params: idParams, body },
        responses: {
          200: { description: 'The match after the transition', schema: transitionResult, headers: etag },
          412: problemResponse('If-Match given and stale'),
          409: problemResponse(
            'Not allowed in the current state, or someone else acted first (names the state)',
          ),
        },
        handler: async ({ params, body: input, req, res }) => {
          const actor = actorOf(res);
          const m = await transition(
            actor,
            params.id,
            action,
            (input ?? {}) as Record<string, never>,
            svc,
            optionalIfMatch(req.headers['if-match']),
          );
          setVersionEtag(res, m.version);
          res.json({
            id: m.id,
            status: m.status,
            version: m.version,
            placementId: m.placementId ?? null,
            allowedActions: (await presentMatches(actor, [m]))[0]!.allowedActions,
          });
        },
      }),
    ),
    defineRoute({
      method: 'get',
      path: '/api/v1/employer/proposals',
      operationId: 'listEmployerProposals',
      summary:
        'Your organisation’s proposals: anonymised until the person consents to share with you (then name and phone)',
      tags,
      access: access(matchesPolicy, 'proposals'),
      request: { query: proposalsQuery },
      responses: { 200: { description: 'A page of proposals', schema: proposalPageSchema } },
      handler: async ({ query, res }) => {
        res.json(await employerProposals(actorOf(res), query, svc));
      },
    }),
    defineRoute({
      method: 'get',
      path: '/api/v1/employer/proposals/:id',
      operationId: 'getEmployerProposal',
      summary: 'One proposal of your organisation',
      tags,
      access: access(matchesPolicy, 'proposals'),
      request: { params: idParams },
      responses: { 200: { description: 'The proposal', schema: proposalSchema } },
      handler: async ({ params, res }) => {
        res.json(await employerProposal(actorOf(res), params.id, svc));
      },
    }),
  ];
}
