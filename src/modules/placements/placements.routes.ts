import type { AppDeps } from '../../deps.js';
import { type Actor, actorOf } from '../../lib/auth/actor.js';
import { access } from '../../lib/auth/policy.js';
import { chinaDay } from '../../lib/china-time.js';
import { requireIfMatch, setVersionEtag } from '../../lib/http/etag.js';
import { defineRoute, problemResponse, type RouteDef } from '../../lib/http/route.js';
import { idParams, objectIdSchema } from '../../lib/ids.js';
import { z } from '../../lib/zod.js';
import {
  labourStandardsPolicy,
  listMinimumWages,
  listQuotaRates,
  setMinimumWage,
  setQuotaRate,
} from '../reference/labour.js';
import type { ProfileDisplay } from '../worker-profiles/search-projection.service.js';
import {
  batchCandidates,
  createTransferBatch,
  deleteTransferBatch,
  employerNamesOf,
  exportRoster,
  getTransferBatch,
  listTransferBatches,
  memberDisplays,
  type TransferBatch,
  updateTransferBatch,
  XLSX_TYPE,
} from './batches.js';
import { placementsPolicy, transferBatchesPolicy } from './placements.policy.js';
import {
  batchCandidatesQuery,
  batchCandidatesSchema,
  batchPageSchema,
  batchSchema,
  checkpointParams,
  createBatchBody,
  endPlacementBody,
  followUpBody,
  followUpsQuery,
  followUpTaskSchema,
  listBatchesQuery,
  listPlacementsQuery,
  placementPageSchema,
  placementSchema,
  quotaSchema,
  updateBatchBody,
} from './placements.schemas.js';
import {
  employerQuota,
  endPlacement,
  followUpTasks,
  getPlacement,
  listPlacementsFor,
  presentPlacements,
  recordFollowUp,
} from './placements.service.js';

const etag = { ETag: { description: 'The version, to send back in If-Match' } };

type Shown = Map<string, ProfileDisplay>;

/** Batches as the API shows them, with their employers' names (one lookup per page). */
async function presentBatches(list: readonly TransferBatch[], people: Shown = new Map()) {
  const names = await employerNamesOf(list);
  return list.map((b) => presentBatch(b, names.get(b.employerId) ?? null, people));
}

/** One batch, its members shown by masked name to callers who may read them (audited). */
async function presentOne(b: TransferBatch, deps: Pick<AppDeps, 'config'>, actor: Actor) {
  return (await presentBatches([b], await memberDisplays(deps, actor, b)))[0];
}

function presentBatch(b: TransferBatch, employerName: string | null, people: Shown) {
  return {
    id: b.id,
    originCode: b.originCode,
    employerId: b.employerId,
    employerName,
    destinationCode: b.destinationCode,
    travelDate: b.travelDate,
    transport: b.transport,
    escorts: b.escorts.map((e) => ({ name: e.name, phone: e.phone ?? null })),
    groupLeader: b.groupLeader ? { name: b.groupLeader.name, phone: b.groupLeader.phone ?? null } : null,
    members: b.members.map((m) => {
      const d = people.get(m.profileId);
      return {
        matchId: m.matchId,
        placementId: m.placementId ?? null,
        profileId: m.profileId,
        person: d ? { name: d.name, sex: d.sex, age: d.age } : null,
      };
    }),
    note: b.note ?? null,
    version: b.version,
    createdAt: b.createdAt.toISOString(),
    updatedAt: b.updatedAt.toISOString(),
  };
}

const minimumWageSchema = z.object({
  regionCode: z.string(),
  monthlyCny: z.number(),
  effectiveFrom: z.string(),
  note: z.string().nullable(),
});
const quotaRateSchema = z.object({
  provinceCode: z.string(),
  ratePercent: z.number(),
  note: z.string().nullable(),
});
const codeParams = z.object({ code: z.string().regex(/^\d{6}$/) }).strict();

export function placementsRoutes(deps: AppDeps): RouteDef[] {
  const svc = { config: deps.config, logger: deps.logger, queues: deps.queues };
  const tags = ['placements'];
  return [
    defineRoute({
      method: 'get',
      path: '/api/v1/placements',
      operationId: 'listPlacements',
      summary: 'Placements in your scope, with follow-up checkpoints and retention',
      tags,
      access: access(placementsPolicy, 'list'),
      request: { query: listPlacementsQuery },
      responses: { 200: { description: 'A page of placements', schema: placementPageSchema } },
      handler: async ({ query, res }) => {
        const actor = actorOf(res);
        const page = await listPlacementsFor(actor, query);
        res.json({ ...page, items: await presentPlacements(actor, page.items, deps.config) });
      },
    }),
    defineRoute({
      method: 'get',
      path: '/api/v1/placements/:id',
      operationId: 'getPlacement',
      summary: 'One placement (404 outside your scope)',
      tags,
      access: access(placementsPolicy, 'read'),
      request: { params: idParams },
      responses: { 200: { description: 'The placement', schema: placementSchema, headers: etag } },
      handler: async ({ params, res }) => {
        const actor = actorOf(res);
        const p = await getPlacement(actor, params.id);
        setVersionEtag(res, p.version);
        res.json((await presentPlacements(actor, [p], deps.config))[0]);
      },
    }),
    defineRoute({
      method: 'post',
      path: '/api/v1/placements/:id/end',
      operationId: 'endPlacement',
      summary: 'End a placement with a reason (the job seeker’s federation, the employer)',
      tags,
      access: access(placementsPolicy, 'end'),
      request: { params: idParams, body: endPlacementBody },
      responses: {
        200: { description: 'The ended placement', schema: placementSchema },
        409: problemResponse('Ended already'),
      },
      handler: async ({ params, body, res }) => {
        const actor = actorOf(res);
        const p = await endPlacement(actor, params.id, body, svc);
        res.json((await presentPlacements(actor, [p], deps.config))[0]);
      },
    }),
    defineRoute({
      method: 'get',
      path: '/api/v1/follow-ups',
      operationId: 'listFollowUps',
      summary: 'Follow-up tasks of your federation: open checkpoints due on or before `due` (default today)',
      tags,
      access: access(placementsPolicy, 'list_follow_ups'),
      request: { query: followUpsQuery },
      responses: {
        200: {
          description: 'Tasks',
          schema: z.object({ due: z.string(), items: z.array(followUpTaskSchema) }),
        },
      },
      handler: async ({ query, res }) => {
        const due = query.due ?? chinaDay(new Date());
        res.json({ due, items: await followUpTasks(actorOf(res), due, deps.config, query.limit) });
      },
    }),
    defineRoute({
      method: 'post',
      path: '/api/v1/placements/:id/follow-ups/:checkpoint',
      operationId: 'recordFollowUp',
      summary: 'Record a follow-up visit: still employed, wage on time, accommodation, dormitory, risk flags',
      tags,
      access: access(placementsPolicy, 'record_follow_up'),
      request: { params: checkpointParams, body: followUpBody },
      responses: {
        200: { description: 'The placement', schema: placementSchema },
        409: problemResponse('Recorded already, not due yet, or the placement ended'),
      },
      handler: async ({ params, body, res }) => {
        const actor = actorOf(res);
        const p = await recordFollowUp(actor, params.id, params.checkpoint, body, svc);
        res.json((await presentPlacements(actor, [p], deps.config))[0]);
      },
    }),
    defineRoute({
      method: 'get',
      path: '/api/v1/employers/:id/quota',
      operationId: 'getEmployerQuota',
      summary:
        'Quota employment credit: qualifying placements weighted by level vs staff × provincial rate (paper-employment flag for federations and admins)',
      tags,
      access: access(placementsPolicy, 'quota'),
      request: { params: z.object({ id: objectIdSchema }).strict() },
      responses: { 200: { description: 'The credit', schema: quotaSchema } },
      handler: async ({ params, res }) => {
        res.json(await employerQuota(actorOf(res), params.id));
      },
    }),
    // ---- transfer batches ----
    defineRoute({
      method: 'get',
      path: '/api/v1/transfer-batches',
      operationId: 'listTransferBatches',
      summary: 'Transfer batches in your scope (origin federation, or destination city)',
      tags: ['transfer-batches'],
      access: access(transferBatchesPolicy, 'list'),
      request: { query: listBatchesQuery },
      responses: { 200: { description: 'A page of batches', schema: batchPageSchema } },
      handler: async ({ query, res }) => {
        const page = await listTransferBatches(actorOf(res), query);
        res.json({ ...page, items: await presentBatches(page.items) });
      },
    }),
    defineRoute({
      method: 'get',
      path: '/api/v1/openings/:id/transfer-candidates',
      operationId: 'listTransferCandidates',
      summary:
        'Who may travel in a transfer batch for an opening: its approved (or further along) matches of your own people, by masked name (audited)',
      tags: ['transfer-batches'],
      access: access(transferBatchesPolicy, 'candidates'),
      request: { params: idParams, query: batchCandidatesQuery },
      responses: {
        200: { description: 'The candidates, best score first (at most 200)', schema: batchCandidatesSchema },
      },
      handler: async ({ params, query, res }) => {
        res.json(await batchCandidates(deps, actorOf(res), params.id, query));
      },
    }),
    defineRoute({
      method: 'post',
      path: '/api/v1/transfer-batches',
      operationId: 'createTransferBatch',
      summary: 'Organise a transfer batch of placements or approved matches (origin federation staff)',
      tags: ['transfer-batches'],
      access: access(transferBatchesPolicy, 'create'),
      request: { body: createBatchBody },
      responses: {
        201: { description: 'Created', schema: batchSchema, headers: etag },
        404: problemResponse(
          'A member (placement or match) does not exist or is outside your scope; nothing was created',
        ),
      },
      handler: async ({ body, res }) => {
        const b = await createTransferBatch(actorOf(res), body);
        setVersionEtag(res, b.version);
        res
          .status(201)
          .location(`/api/v1/transfer-batches/${b.id}`)
          .json(await presentOne(b, deps, actorOf(res)));
      },
    }),
    defineRoute({
      method: 'get',
      path: '/api/v1/transfer-batches/:id',
      operationId: 'getTransferBatch',
      summary: 'One transfer batch',
      tags: ['transfer-batches'],
      access: access(transferBatchesPolicy, 'read'),
      request: { params: idParams },
      responses: { 200: { description: 'The batch', schema: batchSchema, headers: etag } },
      handler: async ({ params, res }) => {
        const b = await getTransferBatch(actorOf(res), params.id);
        setVersionEtag(res, b.version);
        res.json(await presentOne(b, deps, actorOf(res)));
      },
    }),
    defineRoute({
      method: 'patch',
      path: '/api/v1/transfer-batches/:id',
      operationId: 'updateTransferBatch',
      summary: 'Change a transfer batch: date, transport, escorts, leader, members (If-Match required)',
      tags: ['transfer-batches'],
      access: access(transferBatchesPolicy, 'update'),
      request: { params: idParams, body: updateBatchBody },
      responses: {
        200: { description: 'Updated', schema: batchSchema, headers: etag },
        412: problemResponse('Changed by someone else since you read it'),
        428: problemResponse('If-Match missing'),
      },
      handler: async ({ params, body, req, res }) => {
        const b = await updateTransferBatch(actorOf(res), params.id, requireIfMatch(req), body);
        setVersionEtag(res, b.version);
        res.json(await presentOne(b, deps, actorOf(res)));
      },
    }),
    defineRoute({
      method: 'delete',
      path: '/api/v1/transfer-batches/:id',
      operationId: 'deleteTransferBatch',
      summary: 'Remove a transfer batch (its placements stay)',
      tags: ['transfer-batches'],
      access: access(transferBatchesPolicy, 'delete'),
      request: { params: idParams },
      responses: { 204: { description: 'Removed' } },
      handler: async ({ params, res }) => {
        await deleteTransferBatch(actorOf(res), params.id);
        res.status(204).end();
      },
    }),
    defineRoute({
      method: 'get',
      path: '/api/v1/transfer-batches/:id/roster',
      operationId: 'exportTransferBatchRoster',
      summary: 'The batch roster as an XLSX sheet (origin federation; audited)',
      tags: ['transfer-batches'],
      access: access(transferBatchesPolicy, 'roster'),
      request: { params: idParams },
      responses: {
        200: {
          description: 'An XLSX workbook',
          schema: z.string().openapi({ format: 'binary' }),
          contentType: XLSX_TYPE,
        },
      },
      handler: async ({ params, res }) => {
        const file = await exportRoster(actorOf(res), params.id, svc);
        res
          .type(XLSX_TYPE)
          .attachment(file.filename)
          .setHeader('Cache-Control', 'no-store')
          .send(file.buffer);
      },
    }),
    // ---- labour standards (reference data) ----
    defineRoute({
      method: 'get',
      path: '/api/v1/reference/minimum-wages',
      operationId: 'listMinimumWages',
      summary: 'Monthly minimum wages by city (a province code: its lowest tier, the fallback)',
      tags: ['reference'],
      access: { public: true, why: 'public labour standards, no personal data' },
      responses: {
        200: { description: 'Minimum wages', schema: z.object({ items: z.array(minimumWageSchema) }) },
      },
      handler: async ({ res }) => {
        res.json({ items: await listMinimumWages() });
      },
    }),
    defineRoute({
      method: 'put',
      path: '/api/v1/reference/minimum-wages/:code',
      operationId: 'setMinimumWage',
      summary: 'Set a city’s (or province’s) monthly minimum wage (admins)',
      tags: ['reference'],
      access: access(labourStandardsPolicy, 'set_minimum_wage'),
      request: {
        params: codeParams,
        body: z
          .object({
            monthlyCny: z.number().int().min(500).max(20_000),
            effectiveFrom: z.iso.date(),
            note: z.string().trim().max(200).optional(),
          })
          .strict(),
      },
      responses: { 200: { description: 'The entry', schema: minimumWageSchema } },
      handler: async ({ params, body, res }) => {
        res.json(await setMinimumWage(params.code, body, actorOf(res).userId));
      },
    }),
    defineRoute({
      method: 'get',
      path: '/api/v1/reference/quota-rates',
      operationId: 'listQuotaRates',
      summary: 'Quota employment rates by province (percent of staff)',
      tags: ['reference'],
      access: { public: true, why: 'public labour standards, no personal data' },
      responses: { 200: { description: 'Rates', schema: z.object({ items: z.array(quotaRateSchema) }) } },
      handler: async ({ res }) => {
        res.json({ items: await listQuotaRates() });
      },
    }),
    defineRoute({
      method: 'put',
      path: '/api/v1/reference/quota-rates/:code',
      operationId: 'setQuotaRate',
      summary: 'Set a province’s quota employment rate (admins)',
      tags: ['reference'],
      access: access(labourStandardsPolicy, 'set_quota_rate'),
      request: {
        params: codeParams,
        body: z
          .object({ ratePercent: z.number().min(0.1).max(10), note: z.string().trim().max(200).optional() })
          .strict(),
      },
      responses: { 200: { description: 'The entry', schema: quotaRateSchema } },
      handler: async ({ params, body, res }) => {
        res.json(await setQuotaRate(params.code, body, actorOf(res).userId));
      },
    }),
  ];
}
