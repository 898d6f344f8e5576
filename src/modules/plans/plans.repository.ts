import mongoose, { Schema, Types } from 'mongoose';
import type { ScopeFilter } from '../../lib/auth/scope.js';
import { isDuplicateKey, trustedFilter, withinScope } from '../../lib/db/index.js';
import { type Page, paginate } from '../../lib/http/pagination.js';
import type { ComponentScore } from '../matching/engine.js';

/**
 * Campaign plans: the request (filters, options, who asked), the job's status and progress, and
 * the result once computed. A plan is computed once; acceptances are separate documents (one per
 * acceptance call), so two reviewers accepting parts of one plan at once never overwrite each
 * other, and an acceptance record is never rewritten.
 */
export const PLAN_STATUSES = ['queued', 'running', 'done', 'failed'] as const;
export type PlanStatus = (typeof PLAN_STATUSES)[number];

export interface PlanRequest {
  /** Origin prefecture or county (四川) of the job seekers. */
  originCode: string;
  /** Where the openings are (supporting cities or provinces); the partnership's cities by default. */
  cityCodes: string[];
  minScore: number;
  keepCountyGroups: boolean;
  maxEmployersPerBatch: number | null;
  timeLimitSeconds: number;
}

export interface PlanProgress {
  phase: 'queued' | 'loading' | 'scoring' | 'solving' | 'explaining' | 'storing' | 'done' | 'failed';
  percent: number;
}

/** What the job stored: ids and codes only; names are joined at read time, masked, in scope. */
export interface StoredPlanResult {
  figures: Record<string, unknown>;
  baselines: Record<string, unknown> | null;
  solver: Record<string, unknown>;
  candidates: Record<string, unknown>;
  openings: {
    openingId: string;
    employerId: string;
    regionCode: string;
    slots: number;
    people: { profileId: string; score: number }[];
    totalScore: number;
    fillRate: number;
  }[];
  assignments: {
    profileId: string;
    profileVersion: number;
    originCode: string;
    openingId: string;
    score: number;
    rank: number;
    companions: number;
    components: ComponentScore[];
    algorithmVersion: string;
    top: Record<string, unknown> | null;
  }[];
  unassigned: {
    profileId: string;
    originCode: string;
    reason: string;
    top: Record<string, unknown> | null;
  }[];
  counts: { people: number; openings: number; slots: number; excludedInProcess: number };
  timings: Record<string, number>;
}

export interface Plan {
  id: string;
  status: PlanStatus;
  progress: PlanProgress;
  request: PlanRequest;
  /** The origin with its ancestors: what scopes a plan (`regionPath` like every regional record). */
  regionPath: string[];
  requestedBy: { userId: string; organizationId: string };
  attempts: number;
  error: string | null;
  result: StoredPlanResult | null;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
}

const planSchema = new Schema(
  {
    status: { type: String, enum: PLAN_STATUSES, required: true },
    progress: { type: Schema.Types.Mixed, required: true },
    request: { type: Schema.Types.Mixed, required: true },
    regionPath: { type: [String], required: true },
    requestedBy: { type: Schema.Types.Mixed, required: true },
    attempts: { type: Number, default: 0 },
    error: { type: String, default: null },
    result: { type: Schema.Types.Mixed, default: null },
    createdAt: { type: Date, required: true },
    startedAt: { type: Date, default: null },
    finishedAt: { type: Date, default: null },
  },
  { collection: 'plans', versionKey: false, minimize: false },
);
planSchema.index({ regionPath: 1, createdAt: -1 });

const acceptanceSchema = new Schema(
  {
    planId: { type: String, required: true },
    at: { type: Date, required: true },
    by: { type: String, required: true },
    accepted: { type: Schema.Types.Mixed, default: [] },
    skipped: { type: Schema.Types.Mixed, default: [] },
  },
  { collection: 'plan_acceptances', versionKey: false, minimize: false },
);
acceptanceSchema.index({ planId: 1, at: 1 });

const PlanModel = mongoose.model('Plan', planSchema);
const AcceptanceModel = mongoose.model('PlanAcceptance', acceptanceSchema);

/**
 * A person's acceptance lease: while an acceptance checks and approves a person, no other
 * acceptance does (the check spans several documents — the person, their matches, the opening).
 * `_id` is the profile id; a lease runs out at `until`, so one left by a process that died is taken
 * over then.
 */
const leaseSchema = new Schema(
  {
    _id: { type: String, required: true },
    until: { type: Date, required: true },
    /** The holder's token: only the holder gives it back. */
    token: { type: String, required: true },
  },
  { collection: 'plan_acceptance_leases', versionKey: false },
);
const LeaseModel = mongoose.model('PlanAcceptanceLease', leaseSchema);

/**
 * Takes the person's lease for `ms`: one conditional update (free, or run out), whose upsert
 * creates the first lease; a lease held by someone else makes the upsert a duplicate key. True
 * when taken.
 */
export async function takeAcceptanceLease(profileId: string, token: string, ms: number): Promise<boolean> {
  const now = new Date();
  try {
    const res = await LeaseModel.updateOne(
      trustedFilter({ _id: profileId, until: { $lte: now } }),
      { $set: { until: new Date(now.getTime() + ms), token } },
      { upsert: true },
    );
    return res.matchedCount + res.upsertedCount === 1;
  } catch (err) {
    if (isDuplicateKey(err)) return false;
    throw err;
  }
}

/** Gives the lease back (only the holder's own: one taken over meanwhile is left alone). */
export async function releaseAcceptanceLease(profileId: string, token: string): Promise<void> {
  await LeaseModel.deleteOne({ _id: profileId, token });
}

type Lean = Record<string, unknown> & { _id: Types.ObjectId };

function toPlan(doc: Lean): Plan {
  const { _id, ...rest } = doc;
  return { ...(rest as Omit<Plan, 'id'>), id: _id.toHexString() };
}

const oid = (id: string) => (/^[0-9a-f]{24}$/.test(id) ? new Types.ObjectId(id) : null);

export async function insertPlan(data: Pick<Plan, 'request' | 'regionPath' | 'requestedBy'>): Promise<Plan> {
  const doc = await PlanModel.create({
    ...data,
    status: 'queued',
    progress: { phase: 'queued', percent: 0 },
    attempts: 0,
    error: null,
    result: null,
    createdAt: new Date(),
  });
  return toPlan(doc.toObject() as unknown as Lean);
}

export async function deletePlan(id: string): Promise<void> {
  const _id = oid(id);
  if (_id) await PlanModel.deleteOne({ _id });
}

/** Without the result: a status poll should not ship a thousand assignments. */
const WITHOUT_RESULT = { result: 0 } as const;

export async function findPlan(id: string, scope?: ScopeFilter, withResult = true): Promise<Plan | null> {
  const _id = oid(id);
  if (!_id) return null;
  const filter = scope ? withinScope({ _id }, scope) : { _id };
  const doc = await PlanModel.findOne(filter, withResult ? undefined : WITHOUT_RESULT).lean<Lean>();
  return doc ? toPlan({ result: null, ...doc }) : null;
}

export async function listPlans(
  scope: ScopeFilter,
  page: { sort: string; cursor?: string; limit: number },
): Promise<Page<Plan>> {
  return paginate(PlanModel, withinScope({}, scope), { ...page, projection: WITHOUT_RESULT }, (doc) =>
    toPlan({ result: null, ...(doc as Lean) }),
  );
}

/**
 * Moves a plan on. `from` guards the move: only the job writes a plan, one job per plan (its job
 * id), so a guard on the status is enough here — no two writers race for one plan.
 */
export async function updatePlan(
  id: string,
  from: readonly PlanStatus[],
  set: Partial<Omit<Plan, 'id' | 'attempts'>>,
  incAttempts = false,
): Promise<boolean> {
  const _id = oid(id);
  if (!_id) return false;
  const res = await PlanModel.updateOne(trustedFilter({ _id, status: { $in: [...from] } }), {
    $set: set,
    ...(incAttempts ? { $inc: { attempts: 1 } } : {}),
  });
  return res.matchedCount === 1;
}

export async function setProgress(id: string, progress: PlanProgress): Promise<void> {
  const _id = oid(id);
  if (_id) await PlanModel.updateOne({ _id, status: 'running' }, { $set: { progress } });
}

export interface AcceptanceRecord {
  id: string;
  planId: string;
  at: Date;
  by: string;
  accepted: { profileId: string; openingId: string; matchId: string; outcome: string }[];
  skipped: { profileId: string; openingId: string; code: string }[];
}

export async function insertAcceptance(data: Omit<AcceptanceRecord, 'id'>): Promise<AcceptanceRecord> {
  const doc = await AcceptanceModel.create(data);
  return { ...data, id: String(doc._id) };
}

export async function listAcceptances(planId: string): Promise<AcceptanceRecord[]> {
  const docs = await AcceptanceModel.find({ planId }).sort({ at: 1 }).lean<Lean[]>();
  return docs.map((d) => {
    const { _id, ...rest } = d;
    return { ...(rest as Omit<AcceptanceRecord, 'id'>), id: _id.toHexString() };
  });
}
