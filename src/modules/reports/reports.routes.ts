import type { AppDeps } from '../../deps.js';
import { actorOf } from '../../lib/auth/actor.js';
import { access } from '../../lib/auth/policy.js';
import { pickLang } from '../../lib/errors.js';
import { requireIfMatch, setVersionEtag } from '../../lib/http/etag.js';
import { defineRoute, type RouteDef } from '../../lib/http/route.js';
import { z } from '../../lib/zod.js';
import { fairnessRoutes } from './fairness.routes.js';
import { getPlacementTarget, placementsReport, setPlacementTarget } from './placements-report.service.js';
import { placementsSectionWorkbook } from './placements-report.xlsx.js';
import { reportsPolicy } from './reports.policy.js';
import {
  placementsExportQuery,
  placementsReportQuery,
  placementsReportSchema,
  placementTargetSchema,
  profilesReportQuery,
  profilesReportSchema,
  setTargetBody,
  targetParams,
  targetQuery,
} from './reports.schemas.js';
import { profilesReport, profilesReportWorkbook } from './reports.service.js';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const binary = z.string().openapi({ type: 'string', format: 'binary' });

export function reportsRoutes(deps: AppDeps): RouteDef[] {
  return [
    defineRoute({
      method: 'get',
      path: '/api/v1/reports/profiles',
      operationId: 'getProfilesReport',
      summary: 'People by disability category, level and status, counted within your scope',
      tags: ['reports'],
      access: access(reportsPolicy, 'profiles'),
      request: { query: profilesReportQuery },
      responses: { 200: { description: 'Counts', schema: profilesReportSchema } },
      handler: async ({ query, res }) => {
        res.setHeader('Cache-Control', 'no-store');
        res.json(await profilesReport(actorOf(res), query));
      },
    }),
    defineRoute({
      method: 'get',
      path: '/api/v1/reports/profiles/export',
      operationId: 'exportProfilesReport',
      summary: 'The same counts as an XLSX table (categories × statuses), labels in your language',
      tags: ['reports'],
      access: access(reportsPolicy, 'export_profiles'),
      request: { query: profilesReportQuery },
      responses: { 200: { description: 'XLSX workbook', schema: binary, contentType: XLSX } },
      handler: async ({ query, req, res }) => {
        const body = await profilesReportWorkbook(actorOf(res), query, pickLang(req));
        res
          .setHeader('Cache-Control', 'no-store')
          .type(XLSX)
          .setHeader(
            'Content-Disposition',
            `attachment; filename*=UTF-8''${encodeURIComponent('残疾类别与状态统计.xlsx')}`,
          )
          .send(body);
      },
    }),
    defineRoute({
      method: 'get',
      path: '/api/v1/reports/placements',
      operationId: 'getPlacementsReport',
      summary:
        'Placements of a year within your scope: against the target, funnel, by partnership, county, category and level, employer; time to placement; quota credit',
      tags: ['reports'],
      access: access(reportsPolicy, 'placements'),
      request: { query: placementsReportQuery },
      responses: { 200: { description: 'The report', schema: placementsReportSchema } },
      handler: async ({ query, res }) => {
        res.setHeader('Cache-Control', 'no-store');
        res.json(await placementsReport(actorOf(res), query));
      },
    }),
    defineRoute({
      method: 'get',
      path: '/api/v1/reports/placements/export',
      operationId: 'exportPlacementsReport',
      summary: 'One section of the placement report as an XLSX table, labels in your language',
      tags: ['reports'],
      access: access(reportsPolicy, 'export_placements'),
      request: { query: placementsExportQuery },
      responses: { 200: { description: 'XLSX workbook', schema: binary, contentType: XLSX } },
      handler: async ({ query, req, res }) => {
        const { body, filename } = await placementsSectionWorkbook(actorOf(res), query, pickLang(req));
        res
          .setHeader('Cache-Control', 'no-store')
          .type(XLSX)
          .setHeader('Content-Disposition', `attachment; filename*=UTF-8''${encodeURIComponent(filename)}`)
          .send(body);
      },
    }),
    defineRoute({
      method: 'get',
      path: '/api/v1/reports/placement-targets/:year',
      operationId: 'getPlacementTarget',
      summary: 'A federation’s placement target for a year (your own; admins name one); ETag for updates',
      tags: ['reports'],
      access: access(reportsPolicy, 'read_target'),
      request: { params: targetParams, query: targetQuery },
      responses: {
        200: { description: 'The target (null while none is set, version 0)', schema: placementTargetSchema },
      },
      handler: async ({ params, query, res }) => {
        const target = await getPlacementTarget(actorOf(res), params.year, query.organizationId);
        setVersionEtag(res, target.version);
        res.setHeader('Cache-Control', 'no-store');
        res.json(target);
      },
    }),
    defineRoute({
      method: 'put',
      path: '/api/v1/reports/placement-targets/:year',
      operationId: 'setPlacementTarget',
      summary:
        'Set a federation’s placement target for a year (federation staff: their own; admins: any, via organizationId). If-Match required (W/"0" for the first)',
      tags: ['reports'],
      access: access(reportsPolicy, 'set_target'),
      request: { params: targetParams, body: setTargetBody },
      responses: {
        200: { description: 'Set', schema: placementTargetSchema },
        412: { description: 'Changed by someone else since you read it' },
        428: { description: 'If-Match missing' },
      },
      handler: async ({ params, body, req, res }) => {
        const expected = requireIfMatch(req);
        const target = await setPlacementTarget(actorOf(res), params.year, body, expected);
        setVersionEtag(res, target.version);
        res.json(target);
      },
    }),
    ...fairnessRoutes(deps),
  ];
}
