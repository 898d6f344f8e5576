import type { AppDeps } from '../../app.js';
import { actorOf } from '../../lib/auth/actor.js';
import { access } from '../../lib/auth/policy.js';
import { pickLang } from '../../lib/errors.js';
import { defineRoute, type RouteDef } from '../../lib/http/route.js';
import { z } from '../../lib/zod.js';
import { fairnessRoutes } from './fairness.routes.js';
import { reportsPolicy } from './reports.policy.js';
import { profilesReportQuery, profilesReportSchema } from './reports.schemas.js';
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
    ...fairnessRoutes(deps),
  ];
}
