import type { Request } from 'express';
import type { AppDeps } from '../../deps.js';
import { actorOf } from '../../lib/auth/actor.js';
import { access } from '../../lib/auth/policy.js';
import { requireIfMatch, setVersionEtag } from '../../lib/http/etag.js';
import { defineRoute, problemResponse, type RouteDef } from '../../lib/http/route.js';
import { idParams } from '../../lib/ids.js';
import { z } from '../../lib/zod.js';
import { openingsDeps } from './openings.deps.js';
import { exportOpenings, XLSX_TYPE } from './openings.export.js';
import { openingsPolicy } from './openings.policy.js';
import {
  createOpeningSchema,
  exportOpeningsQuery,
  listOpeningsQuery,
  openingPageSchema,
  openingSchema,
  updateOpeningSchema,
} from './openings.schemas.js';
import {
  createOpening,
  getOpening,
  listOpenings,
  transitionOpening,
  updateOpening,
} from './openings.service.js';
import type { EmployerAction } from './openings.status.js';
import { presentOpenings } from './presentation.service.js';

const etag = { ETag: { description: 'The version, to send back in If-Match' } };

/** Actions take If-Match optionally: with it a stale version is a 412, without it the action applies to the current state. */
function optionalIfMatch(req: Request): number | undefined {
  return req.headers['if-match'] ? requireIfMatch(req) : undefined;
}

const ACTION_SUMMARY: Record<EmployerAction, [string, string]> = {
  open: ['openOpening', 'Publish a draft or resume a paused opening (draft|paused → open)'],
  pause: ['pauseOpening', 'Stop receiving matches for a while (open → paused)'],
  close: ['closeOpening', 'Close for good (draft|open|paused|filled → closed)'],
};

export function openingsRoutes(deps: AppDeps): RouteDef[] {
  const svc = openingsDeps(deps);
  const actions = (['open', 'pause', 'close'] as const).map((action) =>
    defineRoute({
      method: 'post',
      path: `/api/v1/openings/:id/${action}`,
      operationId: ACTION_SUMMARY[action][0],
      summary: ACTION_SUMMARY[action][1],
      tags: ['openings'],
      access: access(openingsPolicy, action),
      request: { params: idParams },
      responses: {
        200: { description: 'The opening in its new state', schema: openingSchema, headers: etag },
        409: problemResponse('Not allowed in the current state (illegal_transition names currentState)'),
        412: problemResponse('If-Match given and stale'),
      },
      handler: async ({ params, req, res }) => {
        const opening = await transitionOpening(actorOf(res), params.id, action, optionalIfMatch(req), svc);
        setVersionEtag(res, opening.version);
        res.json((await presentOpenings([opening]))[0]);
      },
    }),
  );

  return [
    defineRoute({
      method: 'get',
      path: '/api/v1/openings',
      operationId: 'listOpenings',
      summary: 'Openings in your scope, filtered, sorted and paginated by cursor, with a total',
      tags: ['openings'],
      access: access(openingsPolicy, 'list'),
      request: { query: listOpeningsQuery },
      responses: { 200: { description: 'One page', schema: openingPageSchema } },
      handler: async ({ query, res }) => {
        const page = await listOpenings(actorOf(res), query);
        res.json({
          items: await presentOpenings(page.items),
          nextCursor: page.nextCursor,
          total: page.total,
        });
      },
    }),
    // Before `/:id`, which would otherwise take "export" for an id.
    defineRoute({
      method: 'get',
      path: '/api/v1/openings/export',
      operationId: 'exportOpenings',
      summary: 'The openings of your scope as an XLSX sheet (same filters as the list)',
      tags: ['openings'],
      access: access(openingsPolicy, 'export'),
      request: { query: exportOpeningsQuery },
      responses: {
        200: {
          description: 'An XLSX workbook',
          schema: z.string().openapi({ format: 'binary' }),
          contentType: XLSX_TYPE,
        },
      },
      handler: async ({ query, res }) => {
        const file = await exportOpenings(actorOf(res), query);
        res
          .type(XLSX_TYPE)
          .attachment(file.filename)
          .setHeader('Cache-Control', 'no-store')
          .send(file.buffer);
      },
    }),
    defineRoute({
      method: 'post',
      path: '/api/v1/openings',
      operationId: 'createOpening',
      summary: 'Post an opening (as a draft); admins name the employer',
      tags: ['openings'],
      access: access(openingsPolicy, 'create'),
      request: { body: createOpeningSchema },
      responses: {
        201: { description: 'Created', schema: openingSchema, headers: etag },
      },
      handler: async ({ body, res }) => {
        const opening = await createOpening(actorOf(res), body, svc);
        setVersionEtag(res, opening.version);
        res
          .status(201)
          .location(`/api/v1/openings/${opening.id}`)
          .json((await presentOpenings([opening]))[0]);
      },
    }),
    defineRoute({
      method: 'get',
      path: '/api/v1/openings/:id',
      operationId: 'getOpening',
      summary: 'One opening (404 outside your scope)',
      tags: ['openings'],
      access: access(openingsPolicy, 'read'),
      request: { params: idParams },
      responses: { 200: { description: 'The opening', schema: openingSchema, headers: etag } },
      handler: async ({ params, res }) => {
        const opening = await getOpening(actorOf(res), params.id);
        setVersionEtag(res, opening.version);
        res.json((await presentOpenings([opening]))[0]);
      },
    }),
    defineRoute({
      method: 'patch',
      path: '/api/v1/openings/:id',
      operationId: 'updateOpening',
      summary: 'Change an opening (partial; nested objects replaced whole); send its version in If-Match',
      tags: ['openings'],
      access: access(openingsPolicy, 'update'),
      request: { params: idParams, body: updateOpeningSchema },
      responses: {
        200: { description: 'Updated', schema: openingSchema, headers: etag },
        409: problemResponse('The opening is closed'),
        412: problemResponse('Changed by someone else since you read it'),
        428: problemResponse('If-Match missing'),
      },
      handler: async ({ params, body, req, res }) => {
        const opening = await updateOpening(actorOf(res), params.id, requireIfMatch(req), body, svc);
        setVersionEtag(res, opening.version);
        res.json((await presentOpenings([opening]))[0]);
      },
    }),
    ...actions,
  ];
}
