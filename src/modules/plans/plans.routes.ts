import type { Response } from 'express';
import type { AppDeps } from '../../deps.js';
import { actorOf } from '../../lib/auth/actor.js';
import { access } from '../../lib/auth/policy.js';
import { defineRoute, problemResponse, type RouteDef } from '../../lib/http/route.js';
import { idParams } from '../../lib/ids.js';
import { approveThroughReview } from './plans.acceptance.js';
import { plansPolicy } from './plans.policy.js';
import {
  acceptanceResultSchema,
  acceptPlanSchema,
  createPlanSchema,
  listPlansQuery,
  planDetailSchema,
  planPageSchema,
  planSummarySchema,
} from './plans.schemas.js';
import {
  acceptPlan,
  createPlan,
  getPlan,
  listPlansFor,
  presentPlan,
  presentPlanSummary,
} from './plans.service.js';

/** Plans name people (masked): never kept by a shared cache. */
function noStore(res: Response): void {
  res.set('Cache-Control', 'no-store');
}

export function plansRoutes(deps: AppDeps): RouteDef[] {
  return [
    defineRoute({
      method: 'post',
      path: '/api/v1/plans',
      operationId: 'createPlan',
      summary: 'Plan a campaign: assign the available people of an origin to open places (computed by a job)',
      tags: ['plans'],
      access: access(plansPolicy, 'create'),
      request: { body: createPlanSchema },
      responses: {
        202: {
          description: 'Accepted; poll the Location',
          schema: planSummarySchema,
          headers: { Location: { description: 'The plan' } },
        },
        400: problemResponse('Invalid filters or options, or an origin outside your partnership scope'),
      },
      handler: async ({ body, res }) => {
        const plan = await createPlan(deps, actorOf(res), body);
        res.status(202).location(`/api/v1/plans/${plan.id}`).json(presentPlanSummary(plan));
      },
    }),
    defineRoute({
      method: 'get',
      path: '/api/v1/plans',
      operationId: 'listPlans',
      summary: 'Plans whose origin lies in your scope, newest first',
      tags: ['plans'],
      access: access(plansPolicy, 'list'),
      request: { query: listPlansQuery },
      responses: { 200: { description: 'A page of plans (without their results)', schema: planPageSchema } },
      handler: async ({ query, res }) => {
        const page = await listPlansFor(actorOf(res), query);
        res.json({ ...page, items: page.items.map(presentPlanSummary) });
      },
    }),
    defineRoute({
      method: 'get',
      path: '/api/v1/plans/:id',
      operationId: 'getPlan',
      summary:
        'A plan: status, progress, and once done the assignment with its figures, the greedy baseline and explanations',
      tags: ['plans'],
      access: access(plansPolicy, 'read'),
      request: { params: idParams },
      responses: { 200: { description: 'The plan', schema: planDetailSchema } },
      handler: async ({ params, res }) => {
        noStore(res);
        const actor = actorOf(res);
        res.json(await presentPlan(deps, actor, await getPlan(actor, params.id)));
      },
    }),
    defineRoute({
      method: 'post',
      path: '/api/v1/plans/:id/acceptance',
      operationId: 'acceptPlan',
      summary: 'Accept a plan whole or in part: each person is checked again, then the matches are approved',
      tags: ['plans'],
      access: access(plansPolicy, 'accept'),
      request: { params: idParams, body: acceptPlanSchema },
      responses: {
        200: { description: 'What was approved, what was skipped and why', schema: acceptanceResultSchema },
        400: problemResponse('A chosen pair is not in the plan (not_in_plan names its index)'),
        409: problemResponse('The plan is not computed yet (currentState)'),
      },
      handler: async ({ params, body, res }) => {
        res.json(
          await acceptPlan(actorOf(res), params.id, body, {
            config: deps.config,
            approve: approveThroughReview(deps),
          }),
        );
      },
    }),
  ];
}
