import type { AppDeps } from '../../deps.js';
import { actorOf } from '../../lib/auth/actor.js';
import { access } from '../../lib/auth/policy.js';
import { requireIfMatch, setVersionEtag } from '../../lib/http/etag.js';
import { defineRoute, problemResponse, type RouteDef } from '../../lib/http/route.js';
import { idParams } from '../../lib/ids.js';
import { organizationsPolicy } from './orgs.policy.js';
import {
  createOrganizationSchema,
  listOrganizationsQuery,
  organizationPageSchema,
  organizationSchema,
  updateOrganizationSchema,
} from './orgs.schemas.js';
import {
  createOrganization,
  getOrganization,
  listOrganizations,
  presentOrganization,
  updateOrganization,
} from './orgs.service.js';

const etag = { ETag: { description: 'The version, to send back in If-Match' } };

export function orgsRoutes(_deps: AppDeps): RouteDef[] {
  return [
    defineRoute({
      method: 'get',
      path: '/api/v1/organizations',
      operationId: 'listOrganizations',
      summary: 'Organisations in your scope (admins: all; others: their own)',
      tags: ['organizations'],
      access: access(organizationsPolicy, 'list'),
      request: { query: listOrganizationsQuery },
      responses: { 200: { description: 'One page', schema: organizationPageSchema } },
      handler: async ({ query, res }) => {
        const page = await listOrganizations(actorOf(res), query);
        res.json({ items: page.items.map(presentOrganization), nextCursor: page.nextCursor });
      },
    }),
    defineRoute({
      method: 'post',
      path: '/api/v1/organizations',
      operationId: 'createOrganization',
      summary: 'Create an organisation (federation, employer, platform)',
      tags: ['organizations'],
      access: access(organizationsPolicy, 'create'),
      request: { body: createOrganizationSchema },
      responses: {
        201: { description: 'Created', schema: organizationSchema, headers: etag },
        409: problemResponse('Same credit code or federation jurisdiction exists'),
      },
      handler: async ({ body, res }) => {
        const org = await createOrganization(actorOf(res), body);
        setVersionEtag(res, org.version);
        res.status(201).location(`/api/v1/organizations/${org.id}`).json(presentOrganization(org));
      },
    }),
    defineRoute({
      method: 'get',
      path: '/api/v1/organizations/:id',
      operationId: 'getOrganization',
      summary: 'One organisation (404 outside your scope)',
      tags: ['organizations'],
      access: access(organizationsPolicy, 'read'),
      request: { params: idParams },
      responses: { 200: { description: 'The organisation', schema: organizationSchema, headers: etag } },
      handler: async ({ params, res }) => {
        const org = await getOrganization(actorOf(res), params.id);
        setVersionEtag(res, org.version);
        res.json(presentOrganization(org));
      },
    }),
    defineRoute({
      method: 'patch',
      path: '/api/v1/organizations/:id',
      operationId: 'updateOrganization',
      summary: 'Change an organisation; send its version in If-Match',
      tags: ['organizations'],
      access: access(organizationsPolicy, 'update'),
      request: { params: idParams, body: updateOrganizationSchema },
      responses: {
        200: { description: 'Updated', schema: organizationSchema, headers: etag },
        412: problemResponse('Changed by someone else since you read it'),
        428: problemResponse('If-Match missing'),
      },
      handler: async ({ params, body, req, res }) => {
        const org = await updateOrganization(actorOf(res), params.id, requireIfMatch(req), body);
        setVersionEtag(res, org.version);
        res.json(presentOrganization(org));
      },
    }),
  ];
}
