import type { AppDeps } from '../../deps.js';
import { actorOf } from '../../lib/auth/actor.js';
import { access } from '../../lib/auth/policy.js';
import { pickLang } from '../../lib/errors.js';
import { defineRoute, type RouteDef } from '../../lib/http/route.js';
import { z } from '../../lib/zod.js';
import { fairnessReportQuery, fairnessReportSchema, fairnessRunStateSchema } from './fairness.schemas.js';
import { fairnessReport, fairnessReportWorkbook, refreshFairnessReport } from './fairness.service.js';
import { reportsPolicy } from './reports.policy.js';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const binary = z.string().openapi({ type: 'string', format: 'binary' });

/** The fairness report's routes, listed in `reportsRoutes`. */
export function fairnessRoutes(deps: AppDeps): RouteDef[] {
  const reads = { queues: deps.queues, logger: deps.logger };
  return [
    defineRoute({
      method: 'get',
      path: '/api/v1/reports/fairness',
      operationId: 'getFairnessReport',
      summary:
        'Suggestion and hire rates by disability category and level, within your scope, from the latest snapshot',
      tags: ['reports'],
      access: access(reportsPolicy, 'fairness'),
      request: { query: fairnessReportQuery },
      responses: {
        200: {
          description:
            'Counts, rates and representation ratios (empty with `computedAt: null` before the first snapshot)',
          schema: fairnessReportSchema,
        },
      },
      handler: async ({ query, res }) => {
        res.setHeader('Cache-Control', 'no-store');
        res.json(await fairnessReport(actorOf(res), query, reads));
      },
    }),
    defineRoute({
      method: 'get',
      path: '/api/v1/reports/fairness/export',
      operationId: 'exportFairnessReport',
      summary: 'The fairness report as an XLSX table, labels in your language',
      tags: ['reports'],
      access: access(reportsPolicy, 'export_fairness'),
      request: { query: fairnessReportQuery },
      responses: { 200: { description: 'XLSX workbook', schema: binary, contentType: XLSX } },
      handler: async ({ query, req, res }) => {
        const body = await fairnessReportWorkbook(actorOf(res), query, pickLang(req), reads);
        res
          .setHeader('Cache-Control', 'no-store')
          .type(XLSX)
          .setHeader(
            'Content-Disposition',
            `attachment; filename*=UTF-8''${encodeURIComponent('公平性报表.xlsx')}`,
          )
          .send(body);
      },
    }),
    defineRoute({
      method: 'post',
      path: '/api/v1/reports/fairness/refresh',
      operationId: 'refreshFairnessReport',
      summary: 'Ask the worker for a new fairness snapshot (one at a time: repeated asks join it)',
      tags: ['reports'],
      access: access(reportsPolicy, 'refresh_fairness'),
      responses: {
        202: {
          description: 'Accepted: the published snapshot and the one under way',
          schema: fairnessRunStateSchema,
        },
      },
      handler: async ({ res }) => {
        res.setHeader('Cache-Control', 'no-store');
        res.status(202).json(await refreshFairnessReport(deps.queues));
      },
    }),
  ];
}
