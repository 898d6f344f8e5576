import express, { type Response } from 'express';
import type { AppDeps } from '../../deps.js';
import { actorOf } from '../../lib/auth/actor.js';
import { access } from '../../lib/auth/policy.js';
import { AppError } from '../../lib/errors.js';
import { requireIfMatch, setVersionEtag } from '../../lib/http/etag.js';
import { defineRoute, problemResponse, type RouteDef } from '../../lib/http/route.js';
import { idParams, objectIdSchema } from '../../lib/ids.js';
import { z } from '../../lib/zod.js';
import {
  consentCreateSchema,
  consentListSchema,
  consentParams,
  consentSchema,
  consentWithdrawSchema,
} from './consents.schemas.js';
import { listConsentsFor, presentConsent, recordConsent, withdrawConsent } from './consents.service.js';
import { eraseProfile } from './erasure.service.js';
import { writeProfilesExport } from './export.js';
import { createImport, getImport, presentImport, rejectionsWorkbook } from './imports.service.js';
import { revealProfile } from './reveal.service.js';
import type { DeactivationReason, StatusAction } from './status.js';
import { changeProfileStatus } from './status.service.js';
import { buildTemplate } from './template.js';
import { addTrainingRecord } from './training.service.js';
import { consentsPolicy, workerProfilesPolicy } from './worker-profiles.policy.js';
import {
  createProfileSchema,
  eraseSchema,
  exportProfilesQuery,
  listProfilesQuery,
  revealedSchema,
  revealSchema,
  statusActionSchema,
  trainingInputSchema,
  trainingRecordSchema,
  updateProfileSchema,
  workerProfilePageSchema,
  workerProfileSchema,
} from './worker-profiles.schemas.js';
import {
  createProfile,
  getProfile,
  listProfilesFor,
  loadReferenceSnapshot,
  presentFor,
  updateProfile,
} from './worker-profiles.service.js';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const etag = { ETag: { description: 'The version, to send back in If-Match' } };
const binary = z.string().openapi({ type: 'string', format: 'binary' });

/** Personal data must not linger in browser or proxy caches. */
function noStore(res: Response): void {
  res.setHeader('Cache-Control', 'no-store');
}

function sendXlsx(res: Response, filename: string, body: Buffer): void {
  noStore(res);
  res
    .type(XLSX)
    .setHeader('Content-Disposition', `attachment; filename*=UTF-8''${encodeURIComponent(filename)}`)
    .send(body);
}

/** An optional If-Match: checked when sent (status actions follow the state machine either way). */
function optionalIfMatch(req: Parameters<typeof requireIfMatch>[0]): number | undefined {
  return req.headers['if-match'] ? requireIfMatch(req) : undefined;
}

const importParams = z.object({ importId: objectIdSchema }).strict();

const importSchema = z
  .object({
    id: z.string(),
    status: z.enum(['queued', 'running', 'completed', 'failed']),
    format: z.enum(['xlsx', 'csv']),
    size: z.number().int(),
    totalRows: z.number().int(),
    rowsDone: z.number().int(),
    imported: z.number().int(),
    updated: z.number().int(),
    unchanged: z.number().int(),
    rejected: z.number().int(),
    ignoredColumns: z.array(z.string()),
    error: z.string().nullable().openapi({
      description: 'Why the import failed: file_missing, or a spreadsheet reason (as an upload 400 names it)',
    }),
    errorDetail: z.string().nullable(),
    rejections: z
      .array(z.object({ row: z.number().int(), column: z.string(), code: z.string(), message: z.string() }))
      .openapi({ description: 'The first 100 reasons; the full list is the rejections report' }),
    rejectionsReport: z.string(),
    createdAt: z.iso.datetime(),
    startedAt: z.iso.datetime().nullable(),
    finishedAt: z.iso.datetime().nullable(),
  })
  .openapi('WorkerProfileImport');

export function workerProfilesRoutes(deps: AppDeps): RouteDef[] {
  const uploadLimit = deps.config.workerProfiles.importMaxBytes;
  return [
    defineRoute({
      method: 'post',
      path: '/api/v1/worker-profiles',
      operationId: 'createWorkerProfile',
      summary: 'Register a person (recipient federation staff; the origin must lie in your jurisdiction)',
      tags: ['worker-profiles'],
      access: access(workerProfilesPolicy, 'create'),
      request: { body: createProfileSchema },
      responses: {
        201: { description: 'Registered (identity masked)', schema: workerProfileSchema, headers: etag },
        409: problemResponse('This person is registered already (here or in another jurisdiction)'),
      },
      handler: async ({ body, res }) => {
        const actor = actorOf(res);
        const profile = await createProfile(deps, actor, body);
        setVersionEtag(res, profile.version);
        noStore(res);
        res
          .status(201)
          .location(`/api/v1/worker-profiles/${profile.id}`)
          .json(presentFor(deps, actor, profile));
      },
    }),
    defineRoute({
      method: 'get',
      path: '/api/v1/worker-profiles',
      operationId: 'listWorkerProfiles',
      summary: 'Profiles in your scope, masked; cursor pagination, filters and a total',
      tags: ['worker-profiles'],
      access: access(workerProfilesPolicy, 'list'),
      request: { query: listProfilesQuery },
      responses: { 200: { description: 'One page', schema: workerProfilePageSchema } },
      handler: async ({ query, res }) => {
        const page = await listProfilesFor(deps, actorOf(res), query);
        noStore(res);
        res.json(page);
      },
    }),
    defineRoute({
      method: 'get',
      path: '/api/v1/worker-profiles/export',
      operationId: 'exportWorkerProfiles',
      summary: 'Your scope as XLSX, masked as the API shows it to you (audited)',
      tags: ['worker-profiles'],
      access: access(workerProfilesPolicy, 'export'),
      request: { query: exportProfilesQuery },
      responses: { 200: { description: 'XLSX workbook', schema: binary, contentType: XLSX } },
      handler: async ({ query, res }) => {
        noStore(res);
        res.type(XLSX).setHeader('Content-Disposition', `attachment; filename="worker-profiles.xlsx"`);
        await writeProfilesExport(deps, actorOf(res), query, res);
      },
    }),
    defineRoute({
      method: 'get',
      path: '/api/v1/worker-profiles/imports/template',
      operationId: 'getWorkerProfileImportTemplate',
      summary: 'The import template (XLSX): columns, instructions and accepted names',
      tags: ['worker-profiles'],
      access: access(workerProfilesPolicy, 'template'),
      responses: { 200: { description: 'XLSX workbook', schema: binary, contentType: XLSX } },
      handler: async ({ res }) => {
        const actor = actorOf(res);
        const body = await buildTemplate(
          await loadReferenceSnapshot(),
          actor.orgType === 'recipient_federation' ? actor.jurisdictionCode : undefined,
        );
        sendXlsx(res, '残疾人就业登记导入模板.xlsx', body);
      },
    }),
    defineRoute({
      method: 'post',
      path: '/api/v1/worker-profiles/imports',
      operationId: 'createWorkerProfileImport',
      summary: 'Upload a roster (XLSX or CSV) as the request body; it is imported in the background',
      tags: ['worker-profiles'],
      access: access(workerProfilesPolicy, 'import'),
      request: {
        upload: {
          contentTypes: [XLSX, 'text/csv', 'application/octet-stream'],
          description: 'The file itself (not multipart); see GET /api/v1/worker-profiles/imports/template',
        },
      },
      before: [
        (req, _res, next) => {
          if (req.is('application/json') || req.is('multipart/form-data') || !req.headers['content-type'])
            return next(
              new AppError('unsupported_media_type', {
                detail:
                  '请直接以文件作为请求体上传（Content-Type 为 xlsx、text/csv 或 application/octet-stream）',
                detailEn:
                  'Send the file itself as the body (Content-Type xlsx, text/csv or application/octet-stream)',
              }),
            );
          next();
        },
        express.raw({ type: () => true, limit: uploadLimit }),
      ],
      responses: {
        202: { description: 'Accepted; poll the Location', schema: importSchema },
        400: problemResponse('Not a usable spreadsheet (reason names what is wrong)'),
        413: problemResponse('Larger than IMPORT_MAX_BYTES'),
        415: problemResponse('Not sent as a file'),
      },
      handler: async ({ req, res }) => {
        const file = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
        const record = await createImport(deps, actorOf(res), file);
        res
          .status(202)
          .location(`/api/v1/worker-profiles/imports/${record.id}`)
          .json(await presentImport(record));
      },
    }),
    defineRoute({
      method: 'get',
      path: '/api/v1/worker-profiles/imports/:importId',
      operationId: 'getWorkerProfileImport',
      summary: 'Progress and outcome of an import (rows done, imported, updated, rejected)',
      tags: ['worker-profiles'],
      access: access(workerProfilesPolicy, 'read_import'),
      request: { params: importParams },
      responses: { 200: { description: 'The import', schema: importSchema } },
      handler: async ({ params, res }) => {
        noStore(res);
        res.json(await presentImport(await getImport(actorOf(res), params.importId)));
      },
    }),
    defineRoute({
      method: 'get',
      path: '/api/v1/worker-profiles/imports/:importId/rejections',
      operationId: 'getWorkerProfileImportRejections',
      summary: 'Rows that were not imported, as XLSX (row number, column, reason)',
      tags: ['worker-profiles'],
      access: access(workerProfilesPolicy, 'read_import'),
      request: { params: importParams },
      responses: { 200: { description: 'XLSX workbook', schema: binary, contentType: XLSX } },
      handler: async ({ params, res }) => {
        sendXlsx(
          res,
          `导入未成功的行-${params.importId}.xlsx`,
          await rejectionsWorkbook(actorOf(res), params.importId),
        );
      },
    }),
    defineRoute({
      method: 'get',
      path: '/api/v1/worker-profiles/:id',
      operationId: 'getWorkerProfile',
      summary: 'One profile, masked (404 outside your scope)',
      tags: ['worker-profiles'],
      access: access(workerProfilesPolicy, 'read'),
      request: { params: idParams },
      responses: { 200: { description: 'The profile', schema: workerProfileSchema, headers: etag } },
      handler: async ({ params, res }) => {
        const actor = actorOf(res);
        const profile = await getProfile(deps, actor, params.id);
        setVersionEtag(res, profile.version);
        noStore(res);
        res.json(presentFor(deps, actor, profile));
      },
    }),
    defineRoute({
      method: 'patch',
      path: '/api/v1/worker-profiles/:id',
      operationId: 'updateWorkerProfile',
      summary: 'Change fields (each given field replaces the stored one); send the version in If-Match',
      tags: ['worker-profiles'],
      access: access(workerProfilesPolicy, 'update'),
      request: { params: idParams, body: updateProfileSchema },
      responses: {
        200: { description: 'Updated', schema: workerProfileSchema, headers: etag },
        409: problemResponse('The new ID number belongs to a person registered already'),
        412: problemResponse('Changed by someone else since you read it'),
        428: problemResponse('If-Match missing'),
      },
      handler: async ({ params, body, req, res }) => {
        const actor = actorOf(res);
        const profile = await updateProfile(deps, actor, params.id, requireIfMatch(req), body);
        setVersionEtag(res, profile.version);
        noStore(res);
        res.json(presentFor(deps, actor, profile));
      },
    }),
    defineRoute({
      method: 'post',
      path: '/api/v1/worker-profiles/:id/status',
      operationId: 'changeWorkerProfileStatus',
      summary:
        'Apply a status action (start_process, return_to_pool, place, end_placement, deactivate, reactivate)',
      tags: ['worker-profiles'],
      access: access(workerProfilesPolicy, 'change_status'),
      request: { params: idParams, body: statusActionSchema },
      responses: {
        200: { description: 'The profile in its new status', schema: workerProfileSchema, headers: etag },
        409: problemResponse('The action does not apply to the current status'),
        412: problemResponse('If-Match sent and stale'),
      },
      handler: async ({ params, body, req, res }) => {
        const actor = actorOf(res);
        const profile = await changeProfileStatus(
          deps,
          actor,
          params.id,
          { action: body.action as StatusAction, reason: body.reason as DeactivationReason | undefined },
          optionalIfMatch(req),
        );
        setVersionEtag(res, profile.version);
        noStore(res);
        res.json(presentFor(deps, actor, profile));
      },
    }),
    defineRoute({
      method: 'post',
      path: '/api/v1/worker-profiles/:id/reveal',
      operationId: 'revealWorkerProfile',
      summary: 'The full identity of a person of your jurisdiction, with a stated reason (audited)',
      tags: ['worker-profiles'],
      access: access(workerProfilesPolicy, 'reveal'),
      request: { params: idParams, body: revealSchema },
      responses: { 200: { description: 'The requested fields in full', schema: revealedSchema } },
      handler: async ({ params, body, res }) => {
        const revealed = await revealProfile(deps, actorOf(res), params.id, body.reason, body.fields);
        noStore(res);
        res.json(revealed);
      },
    }),
    defineRoute({
      method: 'delete',
      path: '/api/v1/worker-profiles/:id',
      operationId: 'eraseWorkerProfile',
      summary: 'Erase a person’s personal data (anonymous statistics stay); give the reason in the body',
      tags: ['worker-profiles'],
      access: access(workerProfilesPolicy, 'erase'),
      request: { params: idParams, body: eraseSchema },
      responses: { 204: { description: 'Erased' } },
      handler: async ({ params, body, res }) => {
        await eraseProfile(deps, actorOf(res), params.id, body.reason);
        res.status(204).end();
      },
    }),
    defineRoute({
      method: 'post',
      path: '/api/v1/worker-profiles/:id/training-records',
      operationId: 'addWorkerProfileTrainingRecord',
      summary: 'Add a training record (supporting federations: training they delivered in their partnership)',
      tags: ['worker-profiles'],
      access: access(workerProfilesPolicy, 'add_training'),
      request: { params: idParams, body: trainingInputSchema },
      responses: { 201: { description: 'Added (certificate number masked)', schema: trainingRecordSchema } },
      handler: async ({ params, body, res }) => {
        const { profile, record } = await addTrainingRecord(deps, actorOf(res), params.id, body);
        const presented = presentFor(deps, actorOf(res), profile).training.find((t) => t.id === record.id)!;
        noStore(res);
        res.status(201).json(presented);
      },
    }),
    defineRoute({
      method: 'post',
      path: '/api/v1/worker-profiles/:id/consents',
      operationId: 'recordWorkerProfileConsent',
      summary:
        'Record a consent: to process sensitive data (PIPL 29) or to share with a named employer for an opening (PIPL 23)',
      tags: ['worker-profiles'],
      access: access(consentsPolicy, 'record'),
      request: { params: idParams, body: consentCreateSchema },
      responses: {
        200: { description: 'The same active consent existed already', schema: consentSchema },
        201: { description: 'Recorded', schema: consentSchema },
        409: problemResponse('A share consent needs the processing consent first'),
      },
      handler: async ({ params, body, res }) => {
        const { consent, created } = await recordConsent(deps, actorOf(res), params.id, body);
        noStore(res);
        res.status(created ? 201 : 200).json(presentConsent(consent));
      },
    }),
    defineRoute({
      method: 'get',
      path: '/api/v1/worker-profiles/:id/consents',
      operationId: 'listWorkerProfileConsents',
      summary: 'Consent history of a person, newest first',
      tags: ['worker-profiles'],
      access: access(consentsPolicy, 'list'),
      request: { params: idParams },
      responses: { 200: { description: 'Consents', schema: consentListSchema } },
      handler: async ({ params, res }) => {
        const items = await listConsentsFor(deps, actorOf(res), params.id);
        noStore(res);
        res.json({ items: items.map(presentConsent) });
      },
    }),
    defineRoute({
      method: 'post',
      path: '/api/v1/worker-profiles/:id/consents/:consentId/withdraw',
      operationId: 'withdrawWorkerProfileConsent',
      summary: 'Withdraw a consent; takes effect at once (the profile leaves matching)',
      tags: ['worker-profiles'],
      access: access(consentsPolicy, 'withdraw'),
      request: { params: consentParams, body: consentWithdrawSchema },
      responses: {
        200: { description: 'The withdrawn consent', schema: consentSchema },
        409: problemResponse('Withdrawn already'),
      },
      handler: async ({ params, body, res }) => {
        const consent = await withdrawConsent(deps, actorOf(res), params.id, params.consentId, body);
        noStore(res);
        res.json(presentConsent(consent));
      },
    }),
  ];
}
