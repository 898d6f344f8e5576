import mongoose, { Schema, Types } from 'mongoose';
import { regionPath } from '../../lib/auth/scope.js';
import { trustedFilter, withinScope } from '../../lib/db/index.js';
import { type Page, paginate } from '../../lib/http/pagination.js';
import type { Canteen, Shift } from './openings.rules.js';
import { OPENING_STATUSES, type OpeningAction, type OpeningStatus } from './openings.status.js';

const COLLECTION = 'openings';

const skillSchema = new Schema(
  { code: { type: String, required: true }, level: { type: String, required: true } },
  { _id: false },
);
const historySchema = new Schema(
  {
    from: { type: String, required: true },
    to: { type: String, required: true },
    action: { type: String, required: true },
    at: { type: Date, required: true },
    /** A user id, or `system` for changes that follow the hires. */
    by: { type: String, required: true },
  },
  { _id: false },
);

const openingSchema = new Schema(
  {
    /** The employer organisation's id (a string, as the actor carries it). */
    employerId: { type: String, required: true },
    title: { type: String, required: true },
    description: { type: String, required: true },
    occupationGroup: { type: String, required: true },
    regionCode: { type: String, required: true },
    /** The region with its ancestors, for scope and region filters (see `regionPath`). */
    regionPath: { type: [String], required: true },
    address: { type: String, required: true },
    skills: { type: [skillSchema], default: [] },
    preferredTraining: { type: [String], default: [] },
    headcount: { type: Number, required: true },
    /** Places taken by hires: moved only by `takePlace`/`givePlaceBack`, never by a client. */
    filled: { type: Number, required: true, default: 0 },
    wageMin: { type: Number, required: true },
    wageMax: { type: Number, required: true },
    hours: {
      hoursPerDay: { type: Number, required: true },
      daysPerWeek: { type: Number, required: true },
      shifts: { type: [String], required: true },
      note: { type: String },
    },
    jobDemands: { type: [String], default: [] },
    accommodationsOffered: { type: [String], default: [] },
    dormitory: {
      provided: { type: Boolean, required: true },
      accessible: { type: Boolean, required: true },
      costPerMonthCny: { type: Number, required: true },
    },
    canteen: { type: String, required: true },
    travelSubsidyCny: { type: Number, required: true },
    contract: {
      termMonths: { type: Number, required: true },
      socialInsurance: { type: Boolean, required: true },
      housingFund: { type: Boolean, required: true },
    },
    accommodationContact: {
      name: { type: String, required: true },
      phone: { type: String, required: true },
      email: { type: String },
    },
    startDate: { type: String, required: true },
    suitableFor: { type: [String], default: [] },
    status: { type: String, required: true, enum: OPENING_STATUSES },
    statusChangedAt: { type: Date, required: true },
    statusHistory: { type: [historySchema], default: [] },
    version: { type: Number, required: true, default: 1 },
    createdBy: { type: String },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  { collection: COLLECTION, versionKey: false },
);
openingSchema.index({ employerId: 1, updatedAt: -1 });
// An employer's open openings (the home page's openings about to fill).
openingSchema.index({ employerId: 1, status: 1 });
openingSchema.index({ regionPath: 1, status: 1 });
openingSchema.index({ status: 1, updatedAt: -1 });
openingSchema.index({ 'skills.code': 1, status: 1 });
openingSchema.index({ updatedAt: 1 });

const OpeningModel = mongoose.model('Opening', openingSchema);

export interface OpeningContent {
  title: string;
  description: string;
  occupationGroup: string;
  regionCode: string;
  address: string;
  skills: { code: string; level: string }[];
  preferredTraining: string[];
  headcount: number;
  wageMin: number;
  wageMax: number;
  hours: { hoursPerDay: number; daysPerWeek: number; shifts: Shift[]; note?: string };
  jobDemands: string[];
  accommodationsOffered: string[];
  dormitory: { provided: boolean; accessible: boolean; costPerMonthCny: number };
  canteen: Canteen;
  travelSubsidyCny: number;
  contract: { termMonths: number; socialInsurance: boolean; housingFund: boolean };
  accommodationContact: { name: string; phone: string; email?: string };
  startDate: string;
  suitableFor: string[];
}

export interface StatusChange {
  from: OpeningStatus;
  to: OpeningStatus;
  action: OpeningAction;
  at: Date;
  by: string;
}

export interface Opening extends OpeningContent {
  id: string;
  employerId: string;
  regionPath: string[];
  filled: number;
  status: OpeningStatus;
  statusChangedAt: Date;
  statusHistory: StatusChange[];
  version: number;
  createdBy?: string;
  createdAt: Date;
  updatedAt: Date;
}

type Doc = Record<string, unknown> & { _id: unknown };

function toOpening(doc: Doc): Opening {
  const { _id, ...rest } = doc;
  return { id: String(_id), ...rest } as Opening;
}

const oid = (id: string) => new Types.ObjectId(id);

export async function insertOpening(
  data: OpeningContent & { employerId: string; createdBy?: string },
  opts: { now?: Date; status?: OpeningStatus; id?: string; history?: StatusChange[] } = {},
): Promise<Opening> {
  const now = opts.now ?? new Date();
  const status = opts.status ?? 'draft';
  const doc = await OpeningModel.create({
    ...(opts.id ? { _id: oid(opts.id) } : {}),
    ...data,
    regionPath: regionPath(data.regionCode),
    filled: 0,
    status,
    statusChangedAt: now,
    statusHistory: opts.history ?? [],
    version: 1,
    createdAt: now,
    updatedAt: now,
  });
  return toOpening(doc.toObject() as Doc);
}

/** Unscoped: for services that apply their own policy, and for workers. */
export async function findOpeningById(id: string): Promise<Opening | null> {
  if (!Types.ObjectId.isValid(id)) return null;
  const doc = await OpeningModel.findById(id).lean();
  return doc ? toOpening(doc as Doc) : null;
}

export async function findOpeningInScope(
  id: string,
  scope: Record<string, unknown>,
): Promise<Opening | null> {
  const doc = await OpeningModel.findOne(withinScope({ _id: oid(id) }, scope)).lean();
  return doc ? toOpening(doc as Doc) : null;
}

/** A list filter built from validated query values only. */
export interface OpeningQuery {
  status?: OpeningStatus;
  statuses?: readonly OpeningStatus[];
  region?: string;
  skill?: string;
  skills?: readonly string[];
  regions?: readonly string[];
  updatedSince?: Date;
  employerId?: string;
  ids?: readonly string[];
  afterId?: string;
  /** Openings with at most this many places of the headcount left. */
  placesLeftAtMost?: number;
}

function toFilter(q: OpeningQuery): Record<string, unknown> {
  const f: Record<string, unknown> = {};
  const and: Record<string, unknown>[] = [];
  if (q.status) f.status = q.status;
  if (q.statuses) and.push({ status: { $in: [...q.statuses] } });
  if (q.region) f.regionPath = q.region;
  if (q.regions) and.push({ regionPath: { $in: [...q.regions] } });
  if (q.skill) f['skills.code'] = q.skill;
  if (q.skills) and.push({ 'skills.code': { $in: [...q.skills] } });
  if (q.updatedSince) f.updatedAt = { $gte: q.updatedSince };
  if (q.employerId) f.employerId = q.employerId;
  if (q.ids) and.push({ _id: { $in: q.ids.filter((id) => Types.ObjectId.isValid(id)).map(oid) } });
  if (q.afterId) and.push({ _id: { $gt: oid(q.afterId) } });
  if (q.placesLeftAtMost !== undefined)
    and.push({ $expr: { $lte: [{ $subtract: ['$headcount', '$filled'] }, q.placesLeftAtMost] } });
  return and.length ? { ...f, $and: and } : f;
}

export async function listOpeningsInScope(
  query: OpeningQuery,
  scope: Record<string, unknown>,
  page: { sort: string; cursor?: string; limit: number },
): Promise<Page<Opening>> {
  return paginate(OpeningModel, withinScope(toFilter(query), scope), page, (d) => toOpening(d as Doc));
}

export async function countOpeningsInScope(
  query: OpeningQuery,
  scope: Record<string, unknown>,
): Promise<number> {
  return OpeningModel.countDocuments(withinScope(toFilter(query), scope));
}

/**
 * Every opening matching `query`, unscoped, in `_id` order, `batchSize` at a time, from one cursor:
 * one query however many batches (keyset pages would each be a new query, and each a scan on the
 * local server).
 */
export async function* streamOpenings(query: OpeningQuery, batchSize: number): AsyncGenerator<Opening[]> {
  const cursor = OpeningModel.find(trustedFilter(toFilter(query)))
    .sort({ _id: 1 })
    .lean()
    .cursor({ batchSize });
  let batch: Opening[] = [];
  try {
    for await (const doc of cursor) {
      batch.push(toOpening(doc as Doc));
      if (batch.length >= batchSize) {
        yield batch;
        batch = [];
      }
    }
    if (batch.length) yield batch;
  } finally {
    await cursor.close();
  }
}

/** Unscoped batches in `_id` order, for workers (matching, indexing, sweeps). */
export async function findOpenings(
  query: OpeningQuery,
  limit: number,
  projection?: Record<string, 0 | 1>,
): Promise<Opening[]> {
  const docs = await OpeningModel.find(trustedFilter(toFilter(query)), projection)
    .sort({ _id: 1 })
    .limit(limit)
    .lean();
  return docs.map((d) => toOpening(d as Doc));
}

/**
 * Changes the content of version `version` (conditional on the version: exactly one writer wins).
 * Null when nothing matched: gone, outside the scope, or changed meanwhile (the caller tells apart).
 */
export async function updateOpeningIfVersion(
  id: string,
  version: number,
  scope: Record<string, unknown>,
  changes: Partial<OpeningContent>,
  now = new Date(),
): Promise<Opening | null> {
  const $set: Record<string, unknown> = { ...changes, updatedAt: now };
  if (changes.regionCode) $set.regionPath = regionPath(changes.regionCode);
  const doc = await OpeningModel.findOneAndUpdate(
    withinScope({ _id: oid(id), version }, scope),
    { $set, $inc: { version: 1 } },
    { returnDocument: 'after' },
  ).lean();
  return doc ? toOpening(doc as Doc) : null;
}

/**
 * Moves version `version` from `change.from` to `change.to` and appends the change to the history.
 * Exactly one writer wins per version.
 */
export async function changeStatusIfVersion(
  id: string,
  version: number,
  scope: Record<string, unknown>,
  change: StatusChange,
): Promise<Opening | null> {
  const at = change.at;
  const doc = await OpeningModel.findOneAndUpdate(
    withinScope({ _id: oid(id), version, status: change.from }, scope),
    {
      $set: { updatedAt: at, status: change.to, statusChangedAt: at },
      $push: { statusHistory: change },
      $inc: { version: 1 },
    },
    { returnDocument: 'after' },
  ).lean();
  return doc ? toOpening(doc as Doc) : null;
}

/**
 * Takes one place of the headcount: `filled` + 1, only while `filled < headcount` (one update, so
 * of racing hires exactly as many win as there are places). Bumps the version: a hire changes what
 * an If-Match writer read. Null when every place is taken or the opening is gone.
 */
export async function takePlace(id: string, now = new Date()): Promise<Opening | null> {
  const doc = await OpeningModel.findOneAndUpdate(
    trustedFilter({ _id: oid(id), $expr: { $lt: ['$filled', '$headcount'] } }),
    { $set: { updatedAt: now }, $inc: { filled: 1, version: 1 } },
    { returnDocument: 'after' },
  ).lean();
  return doc ? toOpening(doc as Doc) : null;
}

/** Gives a place back (`filled` − 1, never below 0). Null when none was taken or the opening is gone. */
export async function givePlaceBack(id: string, now = new Date()): Promise<Opening | null> {
  const doc = await OpeningModel.findOneAndUpdate(
    trustedFilter({ _id: oid(id), filled: { $gt: 0 } }),
    { $set: { updatedAt: now }, $inc: { filled: -1, version: 1 } },
    { returnDocument: 'after' },
  ).lean();
  return doc ? toOpening(doc as Doc) : null;
}

const SLOT_CLAIM_PREFIX = 'slot/opening-';

/**
 * Start-up migration, idempotent: hires used to take numbered slot claims (`slot/opening-<id>/<n>`
 * in `claims`) and `filled` was recounted from them. Each opening that still has such claims gets
 * `filled` = their number (unless a hire moved it meanwhile), then the claims are deleted, so a
 * second run finds nothing. Returns the openings adopted.
 */
export async function adoptHeadcountSlotClaims(): Promise<number> {
  const claims = mongoose.connection.collection<{ _id: string }>('claims');
  const keys = await claims
    .find(trustedFilter({ _id: { $gte: SLOT_CLAIM_PREFIX, $lt: `${SLOT_CLAIM_PREFIX}\uffff` } }), {
      projection: { _id: 1 },
    })
    .toArray();
  const byOpening = new Map<string, string[]>();
  for (const { _id } of keys) {
    const openingId = _id.slice(SLOT_CLAIM_PREFIX.length, _id.lastIndexOf('/'));
    byOpening.set(openingId, [...(byOpening.get(openingId) ?? []), _id]);
  }
  for (const [openingId, ids] of byOpening) {
    if (Types.ObjectId.isValid(openingId)) {
      const current = await OpeningModel.findById(oid(openingId), { filled: 1 }).lean();
      if (current && current.filled !== ids.length)
        await OpeningModel.updateOne(
          { _id: oid(openingId), filled: current.filled },
          { $set: { filled: ids.length }, $inc: { version: 1 } },
        );
    }
    for (const key of ids) await claims.deleteOne({ _id: key });
  }
  return byOpening.size;
}
