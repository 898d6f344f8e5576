import type { AppDeps } from '../../deps.js';
import { actorOf } from '../../lib/auth/actor.js';
import { access } from '../../lib/auth/policy.js';
import { defineRoute, type RouteDef } from '../../lib/http/route.js';
import { idParams } from '../../lib/ids.js';
import { matchPageSchema } from './matches.schemas.js';
import { matchingPolicy } from './suggestions.policy.js';
import {
  bestOpeningsQuery,
  bestOpeningsSchema,
  explanationSchema,
  fitQuery,
  fitSchema,
  listMatchesQuery,
} from './suggestions.schemas.js';
import {
  bestOpeningsOf,
  explainMatch,
  fitOfPair,
  listOpeningMatches,
  listProfileMatches,
} from './suggestions.service.js';

/** Suggestions of the engine as the console reads them: per opening, per job seeker, a job seeker's best openings, one match's chart, one pair's fit. */
export function suggestionsRoutes(deps: AppDeps): RouteDef[] {
  return [
    defineRoute({
      method: 'get',
      path: '/api/v1/openings/:id/matches',
      operationId: 'listOpeningMatches',
      summary:
        'Suggested (and reviewed) job seekers for an opening, best score first, with components and reasons; only those in your scope (404 outside it)',
      tags: ['matching'],
      access: access(matchingPolicy, 'list_for_opening'),
      request: { params: idParams, query: listMatchesQuery },
      responses: { 200: { description: 'One page', schema: matchPageSchema } },
      handler: async ({ params, query, res }) => {
        res.json(await listOpeningMatches(actorOf(res), params.id, query));
      },
    }),
    defineRoute({
      method: 'get',
      path: '/api/v1/worker-profiles/:id/matches',
      operationId: 'listWorkerProfileMatches',
      summary:
        'Suggested (and reviewed) openings for a job seeker, best score first (404 outside your scope)',
      tags: ['matching'],
      access: access(matchingPolicy, 'list_for_profile'),
      request: { params: idParams, query: listMatchesQuery },
      responses: { 200: { description: 'One page', schema: matchPageSchema } },
      handler: async ({ params, query, res }) => {
        res.json(await listProfileMatches(deps, actorOf(res), params.id, query));
      },
    }),
    defineRoute({
      method: 'get',
      path: '/api/v1/worker-profiles/:id/best-openings',
      operationId: 'getWorkerProfileBestOpenings',
      summary:
        'A job seeker’s best open openings, computed now over every open opening with places left, each with the stored match of the pair if any (404 outside your scope)',
      tags: ['matching'],
      access: access(matchingPolicy, 'best_openings'),
      request: { params: idParams, query: bestOpeningsQuery },
      responses: { 200: { description: 'Best first', schema: bestOpeningsSchema } },
      handler: async ({ params, query, res }) => {
        res.json(await bestOpeningsOf(deps, actorOf(res), params.id, query));
      },
    }),
    defineRoute({
      method: 'get',
      path: '/api/v1/matches/:id/explanation',
      operationId: 'explainMatch',
      summary:
        'The comparison chart of a match: each requirement of the opening against the profile, met or not and why (audited)',
      tags: ['matching'],
      access: access(matchingPolicy, 'explain'),
      request: { params: idParams },
      responses: { 200: { description: 'The chart', schema: explanationSchema } },
      handler: async ({ params, res }) => {
        res.json(await explainMatch(deps, actorOf(res), params.id));
      },
    }),
    defineRoute({
      method: 'get',
      path: '/api/v1/worker-profiles/:id/fit',
      operationId: 'getWorkerProfileFit',
      summary:
        'How a job seeker and an opening fit, stored as a match or not: the comparison chart and every hard constraint that fails (404 unless both are in your scope; audited)',
      tags: ['matching'],
      access: access(matchingPolicy, 'fit'),
      request: { params: idParams, query: fitQuery },
      responses: { 200: { description: 'The chart and the failures', schema: fitSchema } },
      handler: async ({ params, query, res }) => {
        res.json(await fitOfPair(deps, actorOf(res), params.id, query.openingId));
      },
    }),
  ];
}
