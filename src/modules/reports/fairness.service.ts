import { randomBytes } from 'node:crypto';
import { enqueue, type Queues } from '../../jobs/queues.js';
import type { Actor } from '../../lib/auth/actor.js';
import { EVERYTHING } from '../../lib/auth/scope.js';
import type { Logger } from '../../lib/logger.js';
import { getVocabulary } from '../reference/reference.service.js';
import { UNKNOWN } from './fairness.compute.js';
import { peopleReaching, suggestedPeople } from './fairness.repository.js';
import {
  currentFairnessRun,
  deleteFairnessRowsBefore,
  deleteFairnessRun,
  publishFairnessRun,
  sumFairnessRows,
  writeFairnessRows,
} from './fairness.runs.repository.js';
import type { FairnessReport, FairnessReportQuery, FairnessRunState } from './fairness.schemas.js';
import { fairnessFromTotals, snapshotRows } from './fairness.snapshot.js';
import { profileReportScope } from './reports.policy.js';
import { countProfilesByOrigin } from './reports.repository.js';
import { type ReportTable, reportWorkbook } from './reports.xlsx.js';

/**
 * Fairness: suggestion and hire rates by disability category (and level), within what the caller
 * may count (the profiles report's scope, applied to the people's origin region). The
 * score never reads the category; this report exists so that a gap between groups is seen.
 *
 * Computing it reads every profile and every match a person acted on, so it is never done per
 * request. The worker computes a snapshot for
 * everyone, per origin region (`computeFairnessSnapshot`, job `reports.fairness-snapshot`, every
 * REPORTS_FAIRNESS_EVERY_MINUTES); a request adds up the rows of the published run in its scope.
 */

/** BullMQ deduplication id of the snapshot job: a burst of refreshes is one run. */
export const FAIRNESS_SNAPSHOT_DEDUP = 'reports-fairness-snapshot';

export interface SnapshotOutcome {
  runId: string;
  rows: number;
  durationMs: number;
  published: boolean;
  deletedRows: number;
}

/**
 * One snapshot run: reads everything once (no scope), keys the counts by origin region, writes
 * the rows under a new run id, publishes the run, then deletes older runs' rows. Safe to retry
 * and to run twice at once: a run that fails or crashes before publishing leaves the previous
 * run current (its rows are never read, and go with the next publish); a run that began before
 * the published one is dropped.
 */
export async function computeFairnessSnapshot(
  options: { now?: () => number } = {},
): Promise<SnapshotOutcome> {
  const now = options.now ?? Date.now;
  const started = now();
  const computedAt = new Date(started);
  const runId = `${started.toString(36)}-${randomBytes(4).toString('hex')}`;
  const [profiles, suggested, reached] = await Promise.all([
    countProfilesByOrigin(),
    suggestedPeople(EVERYTHING),
    peopleReaching(EVERYTHING),
  ]);
  const rows = snapshotRows(profiles, suggested, reached);
  await writeFairnessRows(runId, computedAt, rows);
  const durationMs = now() - started;
  await publishFairnessRun({ runId, computedAt, durationMs, rows: rows.length });
  // What is published now decides what goes: a newer run may have published since this one did.
  // Only rows older than the run readers use, and a run that is not published, are ever deleted.
  const current = await currentFairnessRun();
  const published = current?.runId === runId;
  let deletedRows = current ? await deleteFairnessRowsBefore(current.computedAt) : 0;
  if (!published) deletedRows += await deleteFairnessRun(runId);
  return { runId, rows: rows.length, durationMs, published, deletedRows };
}

/** Asks the worker for a new snapshot; absorbed while one is queued or running (deduplicated). */
export async function requestFairnessSnapshot(
  queues: Queues,
  reason: 'refresh' | 'start' | 'empty' | 'test',
): Promise<void> {
  await enqueue(
    queues,
    'reports.fairness-snapshot',
    { reason },
    { deduplication: { id: FAIRNESS_SNAPSHOT_DEDUP } },
  );
}

/** The published run and whether a new one is queued or being computed. */
export async function fairnessRunState(queues: Queues): Promise<FairnessRunState> {
  const run = await currentFairnessRun();
  const queue = queues.reports;
  const jobId = await queue.getDeduplicationJobId(FAIRNESS_SNAPSHOT_DEDUP);
  const job = jobId ? await queue.getJob(jobId) : undefined;
  const state = job ? await job.getState() : undefined;
  const refresh: FairnessRunState['refresh'] =
    state === 'active'
      ? 'running'
      : state === 'waiting' || state === 'delayed' || state === 'prioritized'
        ? 'queued'
        : 'idle';
  return {
    computedAt: run ? run.computedAt.toISOString() : null,
    durationMs: run ? run.durationMs : null,
    refresh,
  };
}

/** `POST …/fairness/refresh`: a new snapshot is asked for; the state says what is under way. */
export async function refreshFairnessReport(queues: Queues): Promise<FairnessRunState> {
  await requestFairnessSnapshot(queues, 'refresh');
  return fairnessRunState(queues);
}

export interface FairnessReadDeps {
  queues: Queues;
  logger: Logger;
}

/**
 * The report from the published snapshot, within the caller's scope. Before the first snapshot:
 * empty counts, `computedAt: null`, and a snapshot is asked for (the worker also computes one at
 * start when none exists).
 */
export async function fairnessReport(
  actor: Actor,
  query: FairnessReportQuery,
  deps: FairnessReadDeps,
): Promise<FairnessReport> {
  const run = await currentFairnessRun();
  if (!run) {
    // The report answers either way: a queue that is down only delays the first snapshot.
    await requestFairnessSnapshot(deps.queues, 'empty').catch((err: Error) =>
      deps.logger.warn({ err: err.message }, 'could not ask for a fairness snapshot'),
    );
  }
  const totals = run ? await sumFairnessRows(run.runId, profileReportScope(actor), query.region) : [];
  const result = fairnessFromTotals(totals);
  return {
    ...(result as Omit<FairnessReport, 'generatedAt' | 'computedAt' | 'durationMs'>),
    computedAt: run ? run.computedAt.toISOString() : null,
    durationMs: run ? run.durationMs : null,
    generatedAt: new Date().toISOString(),
  };
}

type Row = FairnessReport['categories'][number];

/**
 * The report as XLSX: a row per category (labels from the vocabulary, in the reader's language),
 * the totals, then a row per (category, level). Counts and rates are the JSON's numbers (rates as
 * fractions, 0.25 = 25 %), so the sheet can be checked against the API.
 */
export async function fairnessReportWorkbook(
  actor: Actor,
  query: FairnessReportQuery,
  lang: 'zh-CN' | 'en',
  deps: FairnessReadDeps,
): Promise<Buffer> {
  const report = await fairnessReport(actor, query, deps);
  const en = lang === 'en';
  const [categories, levels] = await Promise.all([
    getVocabulary('disability_category'),
    getVocabulary('disability_level'),
  ]);
  const unknown = en ? 'Unknown (not yet backfilled)' : '未知（待补录）';
  const label = (list: { code: string; zh: string; en: string }[], code: string) => {
    const e = list.find((c) => c.code === code);
    return e ? (en ? e.en : e.zh) : unknown;
  };
  const all = en ? 'All levels' : '全部等级';
  const n = (x: number | null) => (x === null ? '—' : x);
  const cells = (r: Omit<Row, 'disabilityCategory'>) => [
    r.registered,
    r.available,
    r.suggested,
    n(r.suggestionRate),
    r.approved,
    r.proposed,
    r.hired,
    n(r.hireRate),
    n(r.populationShare),
    n(r.suggestionRepresentation),
    n(r.hireRepresentation),
  ];
  const table: ReportTable = {
    title: en
      ? 'Fairness, suggestion and hire rates by disability category'
      : '公平性：按残疾类别的推荐率与就业率',
    columns: [
      { header: en ? 'Disability category' : '残疾类别', width: 22 },
      { header: en ? 'Level' : '残疾等级', width: 12 },
      { header: en ? 'Registered' : '登记人数', width: 10 },
      { header: en ? 'Available' : '待就业', width: 10 },
      { header: en ? 'Holding a suggestion' : '有当前推荐', width: 12 },
      { header: en ? 'Suggestion rate' : '推荐率', width: 12 },
      { header: en ? 'Approved' : '审核通过', width: 10 },
      { header: en ? 'Proposed' : '已推荐给单位', width: 12 },
      { header: en ? 'Hired' : '已录用', width: 10 },
      { header: en ? 'Hire rate' : '就业率', width: 10 },
      { header: en ? 'Population share' : '人数占比', width: 12 },
      { header: en ? 'Suggestion representation' : '推荐代表性', width: 14 },
      { header: en ? 'Hire representation' : '就业代表性', width: 14 },
    ],
    rows: [
      ...report.categories.map((r) => [label(categories, r.disabilityCategory), all, ...cells(r)]),
      [en ? 'Total' : '合计', all, ...cells(report.totals)],
      ...report.levels.map((r) => [
        label(categories, r.disabilityCategory),
        r.disabilityLevel === UNKNOWN ? unknown : label(levels, r.disabilityLevel),
        ...cells(r),
      ]),
    ],
    notes: [
      report.computedAt
        ? `${en ? 'Counted at' : '统计时间'} ${report.computedAt}`
        : en
          ? 'Being computed: no snapshot yet, counts are empty'
          : '正在计算：尚无统计快照，计数为空',
      `${en ? 'Generated at' : '生成时间'} ${report.generatedAt}`,
      ...(query.region ? [`${en ? 'Origin region' : '户籍地区'} ${query.region}`] : []),
      en
        ? 'Rates and shares are fractions (0.25 = 25%). Suggestion rate = people holding a current suggestion ÷ available people; hire rate = people hired ÷ registered people; representation = the group’s share of suggestions (hires) ÷ its share of available (registered) people, 1 = in proportion.'
        : '比率和占比为小数（0.25 即 25%）。推荐率 = 有当前推荐的人数 ÷ 待就业人数；就业率 = 已录用人数 ÷ 登记人数；代表性 = 该类别在推荐（录用）中的占比 ÷ 在待就业（登记）人员中的占比，1 表示与人数成比例。',
      en
        ? 'The matching score never reads the disability category: this report exists to see gaps between groups.'
        : '匹配评分从不读取残疾类别；本报表用于发现不同群体之间的差距。',
      en ? 'Counts only: no personal data.' : '仅含人数统计，不含个人信息。',
    ],
  };
  return reportWorkbook(table);
}
