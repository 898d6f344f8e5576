import type { AppDeps } from '../../deps.js';
import { access } from '../../lib/auth/policy.js';
import { AppError } from '../../lib/errors.js';
import { requireIfMatch, setVersionEtag } from '../../lib/http/etag.js';
import { defineRoute, type RouteDef } from '../../lib/http/route.js';
import { z } from '../../lib/zod.js';
import { referencePolicy } from './reference.policy.js';
import {
  idParams,
  mitigationSchema,
  partnershipCreate,
  partnershipListQuery,
  partnershipPatch,
  partnershipSchema,
  regionListQuery,
  regionParams,
  regionSchema,
  skillSuggestionSchema,
  skillSuggestQuery,
  vocabularyEntrySchema,
  vocabularyKind,
  vocabularyParams,
} from './reference.schemas.js';
import * as reference from './reference.service.js';

// Reference data is public knowledge (GB/T 2260 regions, GB/T 26341 categories, published
// pairings) and holds no personal data, so it is readable without a session: the sign-up and
// registration forms and external clients use it. Only admins change it.
const publicRead = { public: true, why: 'public reference data, no personal data' } as const;
const tags = ['reference'];

export function referenceRoutes(_deps: AppDeps): RouteDef[] {
  return [
    defineRoute({
      method: 'get',
      path: '/api/v1/reference/regions',
      operationId: 'listRegions',
      summary: 'Regions (GB/T 2260) of 四川, 浙江 and 广东, filterable by parent, level and name/pinyin',
      tags,
      access: publicRead,
      request: { query: regionListQuery },
      responses: { 200: { description: 'Regions', schema: z.object({ items: z.array(regionSchema) }) } },
      handler: async ({ query, res }) => {
        res.json({ items: await reference.listRegions(query) });
      },
    }),
    defineRoute({
      method: 'get',
      path: '/api/v1/reference/regions/:code',
      operationId: 'getRegion',
      summary: 'One region by code',
      tags,
      access: publicRead,
      request: { params: regionParams },
      responses: { 200: { description: 'The region', schema: regionSchema } },
      handler: async ({ params, res }) => {
        const region = await reference.findRegion(params.code);
        if (!region) throw new AppError('not_found');
        res.json(region);
      },
    }),
    defineRoute({
      method: 'get',
      path: '/api/v1/reference/vocabularies',
      operationId: 'listVocabularyKinds',
      summary: 'The vocabulary kinds',
      tags,
      access: publicRead,
      responses: { 200: { description: 'Kinds', schema: z.object({ items: z.array(vocabularyKind) }) } },
      handler: ({ res }) => {
        res.json({ items: reference.vocabularyKinds() });
      },
    }),
    defineRoute({
      method: 'get',
      path: '/api/v1/reference/vocabularies/:kind',
      operationId: 'getVocabulary',
      summary: 'Entries of one vocabulary: stable code, zh and en labels, synonyms',
      tags,
      access: publicRead,
      request: { params: vocabularyParams },
      responses: {
        200: {
          description: 'Entries',
          schema: z.object({ kind: vocabularyKind, items: z.array(vocabularyEntrySchema) }),
        },
      },
      handler: async ({ params, res }) => {
        const items = (await reference.getVocabulary(params.kind)).map(
          ({ code, zh, en, synonyms, initials, attributes }) => ({
            code,
            zh,
            en,
            synonyms,
            initials,
            attributes,
          }),
        );
        res.json({ kind: params.kind, items });
      },
    }),
    defineRoute({
      method: 'get',
      path: '/api/v1/reference/mitigations',
      operationId: 'listMitigations',
      summary: 'Limitation × job demand → accommodation sets that mitigate the conflict',
      tags,
      access: publicRead,
      responses: { 200: { description: 'Table', schema: z.object({ items: z.array(mitigationSchema) }) } },
      handler: async ({ res }) => {
        res.json({ items: await reference.listMitigations() });
      },
    }),
    defineRoute({
      method: 'get',
      path: '/api/v1/reference/skills',
      operationId: 'suggestSkills',
      summary: 'Skill autocomplete: Chinese, pinyin initials, synonyms or English; returns codes',
      tags,
      access: publicRead,
      request: { query: skillSuggestQuery },
      responses: {
        200: { description: 'Suggestions', schema: z.object({ items: z.array(skillSuggestionSchema) }) },
      },
      handler: async ({ query, res }) => {
        res.json({ items: await reference.suggestSkills(query.q, query.limit) });
      },
    }),
    defineRoute({
      method: 'get',
      path: '/api/v1/reference/partnerships',
      operationId: 'listPartnerships',
      summary: 'Partnerships (帮扶关系), filterable by a region on either side and a date',
      tags,
      access: publicRead,
      request: { query: partnershipListQuery },
      responses: {
        200: { description: 'Partnerships', schema: z.object({ items: z.array(partnershipSchema) }) },
      },
      handler: async ({ query, res }) => {
        res.json({ items: await reference.listPartnerships(query) });
      },
    }),
    defineRoute({
      method: 'get',
      path: '/api/v1/reference/partnerships/:id',
      operationId: 'getPartnership',
      summary: 'One partnership',
      tags,
      access: publicRead,
      request: { params: idParams },
      responses: { 200: { description: 'The partnership', schema: partnershipSchema } },
      handler: async ({ params, res }) => {
        const p = await reference.getPartnership(params.id);
        setVersionEtag(res, p.version);
        res.json(p);
      },
    }),
    defineRoute({
      method: 'post',
      path: '/api/v1/reference/partnerships',
      operationId: 'createPartnership',
      summary: 'Create a partnership (admins)',
      tags,
      access: access(referencePolicy, 'create'),
      request: { body: partnershipCreate },
      responses: {
        201: { description: 'Created', schema: partnershipSchema },
        409: { description: 'Exists already' },
      },
      handler: async ({ body, res }) => {
        const p = await reference.createPartnership(body, res.locals.actor?.userId);
        setVersionEtag(res, p.version);
        res.status(201).json(p);
      },
    }),
    defineRoute({
      method: 'patch',
      path: '/api/v1/reference/partnerships/:id',
      operationId: 'updatePartnership',
      summary: 'Change a partnership, e.g. its period (admins; If-Match required)',
      tags,
      access: access(referencePolicy, 'update'),
      request: { params: idParams, body: partnershipPatch },
      responses: {
        200: { description: 'Updated', schema: partnershipSchema },
        412: { description: 'Changed by someone else since you read it' },
        428: { description: 'If-Match missing' },
      },
      handler: async ({ params, body, req, res }) => {
        const expected = requireIfMatch(req);
        const p = await reference.updatePartnership(params.id, expected, body, res.locals.actor?.userId);
        setVersionEtag(res, p.version);
        res.json(p);
      },
    }),
    defineRoute({
      method: 'delete',
      path: '/api/v1/reference/partnerships/:id',
      operationId: 'deletePartnership',
      summary: 'Remove a partnership (admins)',
      tags,
      access: access(referencePolicy, 'delete'),
      request: { params: idParams },
      responses: { 204: { description: 'Removed' } },
      handler: async ({ params, res }) => {
        await reference.removePartnership(params.id);
        res.status(204).end();
      },
    }),
  ];
}
