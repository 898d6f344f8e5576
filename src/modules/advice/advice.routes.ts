import type { AppDeps } from '../../deps.js';
import { actorOf } from '../../lib/auth/actor.js';
import { access } from '../../lib/auth/policy.js';
import { defineRoute, problemResponse, type RouteDef } from '../../lib/http/route.js';
import { idParams } from '../../lib/ids.js';
import { createOpeningSchema } from '../openings/openings.schemas.js';
import { advicePolicy } from './advice.policy.js';
import {
  adviceQuery,
  openingAdviceSchema,
  trainingAdviceQuery,
  trainingAdviceSchema,
} from './advice.schemas.js';
import { draftAdvice, openingAdvice, trainingAdvice } from './advice.service.js';

export function adviceRoutes(deps: AppDeps): RouteDef[] {
  return [
    defineRoute({
      method: 'get',
      path: '/api/v1/openings/:id/advice',
      operationId: 'getOpeningAdvice',
      summary:
        'What more the opening would reach: for each accommodation not offered and each job demand dropped, how many more job seekers of the partnership scope would become eligible (counts only, 1–4 masked; greedy bundles of 2 and 3); 404 outside your scope',
      tags: ['matching'],
      access: access(advicePolicy, 'opening'),
      request: { params: idParams, query: adviceQuery },
      responses: { 200: { description: 'The advice', schema: openingAdviceSchema } },
      handler: async ({ params, query, res }) => {
        res.json(await openingAdvice(deps, actorOf(res), params.id, query));
      },
    }),
    defineRoute({
      method: 'post',
      path: '/api/v1/openings/advice',
      operationId: 'adviseDraftOpening',
      summary:
        'The same advice for a draft opening body (validated as a new opening; nothing is saved), for the opening form as the employer ticks accommodations',
      tags: ['matching'],
      access: access(advicePolicy, 'draft'),
      request: { query: adviceQuery, body: createOpeningSchema },
      responses: { 200: { description: 'The advice', schema: openingAdviceSchema } },
      handler: async ({ query, body, res }) => {
        res.json(await draftAdvice(deps, actorOf(res), body, query));
      },
    }),
    defineRoute({
      method: 'get',
      path: '/api/v1/advice/training',
      operationId: 'getTrainingAdvice',
      summary:
        'For each training programme, how many of an origin’s job seekers would become eligible for how many open places in the paired cities if they completed it (counts only, 1–4 masked); 404 for an origin outside your scope',
      tags: ['matching'],
      access: access(advicePolicy, 'training'),
      request: { query: trainingAdviceQuery },
      responses: {
        200: { description: 'The advice', schema: trainingAdviceSchema },
        404: problemResponse('The origin is not in your jurisdiction or partnership (not_found)'),
      },
      handler: async ({ query, res }) => {
        res.json(await trainingAdvice(deps, actorOf(res), query.origin));
      },
    }),
  ];
}
