import type { AppDeps } from '../../deps.js';
import { actorOf } from '../../lib/auth/actor.js';
import { access } from '../../lib/auth/policy.js';
import { defineRoute, problemResponse, type RouteDef } from '../../lib/http/route.js';
import { searchPolicy } from './search.policy.js';
import {
  searchOpeningsQuery,
  searchOpeningsResponse,
  searchProfilesQuery,
  searchProfilesResponse,
} from './search.schemas.js';
import { searchOpenings, searchWorkerProfiles } from './search.service.js';

export function searchRoutes(deps: AppDeps): RouteDef[] {
  return [
    defineRoute({
      method: 'get',
      path: '/api/v1/search/openings',
      operationId: 'searchOpenings',
      summary: 'Search the openings you may read: words, filters, facets with counts, sort, pages',
      tags: ['search'],
      access: access(searchPolicy, 'openings'),
      request: { query: searchOpeningsQuery },
      responses: {
        200: {
          description: 'One page of hits, with totals and facet counts',
          schema: searchOpeningsResponse,
        },
        503: problemResponse('The search engine is down or still being built (service_unavailable)'),
      },
      handler: async ({ query, res }) => {
        res.json(await searchOpenings(actorOf(res), query, deps));
      },
    }),
    defineRoute({
      method: 'get',
      path: '/api/v1/search/worker-profiles',
      operationId: 'searchWorkerProfiles',
      summary:
        'Search the worker profiles of your jurisdiction or partnership scope (de-identified: codes and labels only)',
      tags: ['search'],
      access: access(searchPolicy, 'worker_profiles'),
      request: { query: searchProfilesQuery },
      responses: {
        200: {
          description: 'One page of hits, with totals and facet counts',
          schema: searchProfilesResponse,
        },
        503: problemResponse('The search engine is down or still being built (service_unavailable)'),
      },
      handler: async ({ query, res }) => {
        res.json(await searchWorkerProfiles(actorOf(res), query, deps));
      },
    }),
  ];
}
