import type { AppDeps } from '../../deps.js';
import { actorOf } from '../../lib/auth/actor.js';
import { access } from '../../lib/auth/policy.js';
import { defineRoute, type RouteDef } from '../../lib/http/route.js';
import { workPolicy } from './work.policy.js';
import { myWorkSchema } from './work.schemas.js';
import { myWork } from './work.service.js';

export function workRoutes(deps: AppDeps): RouteDef[] {
  return [
    defineRoute({
      method: 'get',
      path: '/api/v1/work',
      operationId: 'getMyWork',
      summary:
        'What needs doing today, per role of the caller: counts in the scope of the list each links to (console path)',
      tags: ['work'],
      access: access(workPolicy, 'read'),
      responses: { 200: { description: 'To-do counts', schema: myWorkSchema } },
      handler: async ({ res }) => {
        res.setHeader('Cache-Control', 'no-store');
        res.json(await myWork(actorOf(res), { config: deps.config, queues: deps.queues }));
      },
    }),
  ];
}
