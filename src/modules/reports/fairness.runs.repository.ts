import mongoose, { Schema } from 'mongoose';
import type { ScopeFilter } from '../../lib/auth/scope.js';
import { isDuplicateKey, trustedFilter, withinScope } from '../../lib/db/index.js';
import { PROFILE_STATUSES } from '../worker-profiles/status.js';
import type { DimTotals, SnapshotRow } from './fairness.snapshot.js';

/**
 * The fairness snapshot's storage: rows in `report_fairness_rows`, each tagged with its run, and
 * one pointer per report in `report_runs` naming the run readers use. Without transactions, a
 * run is made visible by writing its pointer after all its rows: a reader
 * reads the pointer, then the rows of that run only, and never sees a half-written run. Rows of
 * runs older than the published one are deleted after publishing; rows of a run that crashed
 * before publishing are never read and go with the next publish.
 */

export const FAIRNESS_REPORT = 'fairness';

const statusCounts = new Schema(
  Object.fromEntries(PROFILE_STATUSES.map((s) => [s, { type: Number, required: true }])),
  { _id: false },
);

const rowSchema = new Schema(
  {
    runId: { type: String, required: true },
    /** When the run began reading (a row is older than any run that began later). */
    computedAt: { type: Date, required: true },
    regionPath: { type: [String], required: true },
    category: { type: String, required: true },
    level: { type: String, required: true },
    registered: { type: statusCounts, required: true },
    suggestedPeople: { type: Number, required: true },
    approvedPeople: { type: Number, required: true },
    proposedPeople: { type: Number, required: true },
    hiredPeople: { type: Number, required: true },
  },
  { collection: 'report_fairness_rows', versionKey: false },
);
// Readers lead with the run (an equality), then the scope on the origin.
rowSchema.index({ runId: 1, regionPath: 1 });
rowSchema.index({ computedAt: 1 });
const RowModel = mongoose.model('FairnessReportRow', rowSchema);

const runSchema = new Schema(
  {
    _id: { type: String, required: true },
    runId: { type: String, required: true },
    computedAt: { type: Date, required: true },
    durationMs: { type: Number, required: true },
    rows: { type: Number, required: true },
  },
  { collection: 'report_runs', versionKey: false },
);
const RunModel = mongoose.model('ReportRun', runSchema);

export interface ReportRun {
  runId: string;
  computedAt: Date;
  durationMs: number;
  rows: number;
}

/** The published run of the fairness report, or null before the first one. */
export async function currentFairnessRun(): Promise<ReportRun | null> {
  const doc = await RunModel.findById(FAIRNESS_REPORT).lean<ReportRun & { _id: string }>();
  return doc
    ? { runId: doc.runId, computedAt: doc.computedAt, durationMs: doc.durationMs, rows: doc.rows }
    : null;
}

/** Writes a run's rows (not yet visible to readers). */
export async function writeFairnessRows(
  runId: string,
  computedAt: Date,
  rows: readonly SnapshotRow[],
): Promise<void> {
  for (let i = 0; i < rows.length; i += 500) {
    await RowModel.insertMany(
      rows.slice(i, i + 500).map((r) => ({ ...r, runId, computedAt })),
      { ordered: true, lean: true },
    );
  }
}

/**
 * Makes `run` the one readers use, unless a run that began at the same time or later is already
 * published (two workers may compute at once: the newer data wins, whichever finishes last). True
 * when published.
 *
 * One update, conditional on the pointer naming an older run: of racing publishers the pointer only
 * ever moves to a newer run. The upsert creates the first pointer; when it meets an existing one it
 * fails with a duplicate key (the pointer is newer, or another first publisher created it a moment
 * earlier: then the conditional update is tried once more without the upsert).
 */
export async function publishFairnessRun(run: ReportRun): Promise<boolean> {
  const filter = trustedFilter({ _id: FAIRNESS_REPORT, computedAt: { $lt: run.computedAt } });
  try {
    const res = await RunModel.updateOne(filter, { $set: { ...run } }, { upsert: true });
    return res.matchedCount + res.upsertedCount === 1;
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
  }
  const res = await RunModel.updateOne(filter, { $set: { ...run } });
  return res.matchedCount === 1;
}

/** Deletes the rows of every run that began before `computedAt` (older runs, crashed runs). */
export async function deleteFairnessRowsBefore(computedAt: Date): Promise<number> {
  const res = await RowModel.deleteMany(trustedFilter({ computedAt: { $lt: computedAt } }));
  return res.deletedCount;
}

/** Deletes one run's rows (a run that lost to a newer one). */
export async function deleteFairnessRun(runId: string): Promise<number> {
  const res = await RowModel.deleteMany({ runId });
  return res.deletedCount;
}

/**
 * One run's rows within `scope` (a filter on `regionPath`), added up per (category, level) by one
 * `$match`/`$group` pipeline (the `$match` led by the run id, index `{ runId, regionPath }`), in
 * (category, level) order. The same sums as `sumByDims` (fairness.snapshot.ts).
 */
export async function sumFairnessRows(
  runId: string,
  scope: ScopeFilter,
  region?: string,
): Promise<DimTotals[]> {
  const people = ['suggestedPeople', 'approvedPeople', 'proposedPeople', 'hiredPeople'] as const;
  const rows = await RowModel.aggregate<
    { _id: { category: string; level: string } } & Record<string, number>
  >([
    { $match: withinScope({ runId, ...(region ? { regionPath: region } : {}) }, scope) },
    {
      $group: {
        _id: { category: '$category', level: '$level' },
        // Output names cannot hold a dot: `registered.placed` is summed as `registered_placed`.
        ...Object.fromEntries(PROFILE_STATUSES.map((s) => [`registered_${s}`, { $sum: `$registered.${s}` }])),
        ...Object.fromEntries(people.map((f) => [f, { $sum: `$${f}` }])),
      },
    },
    { $sort: { '_id.category': 1, '_id.level': 1 } },
  ]);
  return rows.map((r) => ({
    category: r._id.category,
    level: r._id.level,
    registered: Object.fromEntries(
      PROFILE_STATUSES.map((s) => [s, r[`registered_${s}`] ?? 0]),
    ) as DimTotals['registered'],
    suggestedPeople: r.suggestedPeople ?? 0,
    approvedPeople: r.approvedPeople ?? 0,
    proposedPeople: r.proposedPeople ?? 0,
    hiredPeople: r.hiredPeople ?? 0,
  }));
}

/** How many rows a run holds (tests and the run summary). */
export async function countFairnessRows(runId?: string): Promise<number> {
  return RowModel.countDocuments(runId ? { runId } : {});
}
