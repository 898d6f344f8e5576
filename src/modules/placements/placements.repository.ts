import mongoose, { Schema, Types } from 'mongoose';
import type { ScopeFilter } from '../../lib/auth/scope.js';
import { isDuplicateKey, trustedFilter, withinScope } from '../../lib/db/index.js';
import { type Page, paginate } from '../../lib/http/pagination.js';
import type { CheckpointRecord } from './follow-ups.js';

const COLLECTION = 'placements';

const checkpointSchema = new Schema(
  {
    code: { type: String, required: true },
    dueOn: { type: String, required: true },
    dueNotifiedAt: { type: Date, default: null },
    overdueNotifiedAt: { type: Date, default: null },
    doneAt: { type: Date, default: null },
    doneBy: { type: String, default: null },
    visitedOn: { type: String, default: null },
    stillEmployed: { type: Boolean, default: null },
    wagePaidOnTime: { type: Boolean, default: null },
    accommodationWorking: { type: Boolean, default: null },
    dormitory: { type: Boolean, default: null },
    riskFlags: { type: [String], default: [] },
    notes: { type: String, default: null },
  },
  { _id: false },
);

const placementSchema = new Schema(
  {
    matchId: { type: String, required: true },
    profileId: { type: String, required: true },
    openingId: { type: String, required: true },
    employerId: { type: String, required: true },
    /** The federation that registered the person: it follows the placement up. */
    federationId: { type: String, required: true },
    profileRegionPath: { type: [String], required: true },
    openingRegionPath: { type: [String], required: true },
    /** The workplace (the opening's region). */
    regionCode: { type: String, required: true },
    contractStart: { type: String, required: true },
    contractEnd: { type: String, required: true },
    monthlyWage: { type: Number, required: true },
    minimumWageAtHire: { type: Number, default: null },
    socialInsurance: { type: Boolean, required: true },
    disabilityLevel: { type: String, required: true },
    // What the placement reports group and filter by, fixed at hire: the report counts the person
    // as they were when hired, and needs no join. Placements recorded before these existed lack them; the
    // reports count those as "unknown" (and date them by createdAt).
    disabilityCategory: { type: String, default: null },
    /** The person's origin county (GB/T 2260). */
    originCounty: { type: String, default: null },
    /** The partnership pair of the origin and the workplace at hire, null when none. */
    partnershipId: { type: String, default: null },
    suggestedAt: { type: Date, default: null },
    approvedAt: { type: Date, default: null },
    proposedAt: { type: Date, default: null },
    hiredAt: { type: Date, default: null },
    /** Whole days from the suggestion to the hire (time to placement). */
    daysToHire: { type: Number, default: null },
    /** Contract ≥ one year, pay ≥ minimum, social insurance: the quota conditions fixed at hire. */
    quotaEligible: { type: Boolean, default: null },
    quotaWeight: { type: Number, required: true },
    /** Which place of the opening's headcount the hire took (the opening's `filled` after it); informative. */
    headcountSlot: { type: Number, required: true },
    transferBatchId: { type: String, default: null },
    status: { type: String, enum: ['placed', 'retained', 'ended'], required: true },
    endedOn: { type: String, default: null },
    endReason: { type: String, default: null },
    endNote: { type: String, default: null },
    checkpoints: { type: [checkpointSchema], default: [] },
    /** The earliest open checkpoint's day (null when none is open): what the task list queries. */
    nextDueOn: { type: String, default: null },
    retention: {
      m3: { type: Boolean, default: null },
      m6: { type: Boolean, default: null },
      subsidyEvidence: { type: Boolean, default: false },
    },
    version: { type: Number, required: true, default: 1 },
    createdBy: { type: String, required: true },
  },
  { collection: COLLECTION, timestamps: true, versionKey: false },
);
// One placement per match: a retried hire can never make two.
placementSchema.index({ matchId: 1 }, { unique: true });
placementSchema.index({ employerId: 1, status: 1 });
placementSchema.index({ profileId: 1, status: 1 });
placementSchema.index({ profileRegionPath: 1, nextDueOn: 1 });
placementSchema.index({ openingRegionPath: 1, nextDueOn: 1 });
// The placement reports: every pipeline's `$match` leads with the caller's scope field and the
// hire date (admins: the hire date alone).
placementSchema.index({ profileRegionPath: 1, hiredAt: 1 });
placementSchema.index({ openingRegionPath: 1, hiredAt: 1 });
placementSchema.index({ employerId: 1, hiredAt: 1 });
placementSchema.index({ hiredAt: 1 });

const PlacementModel = mongoose.model('Placement', placementSchema);

/** The collection name, for the reports' aggregation pipelines (read-only). */
export const PLACEMENT_COLLECTION = COLLECTION;

export type PlacementStatus = 'placed' | 'retained' | 'ended';

export interface Placement {
  id: string;
  matchId: string;
  profileId: string;
  openingId: string;
  employerId: string;
  federationId: string;
  profileRegionPath: string[];
  openingRegionPath: string[];
  regionCode: string;
  contractStart: string;
  contractEnd: string;
  monthlyWage: number;
  minimumWageAtHire: number | null;
  socialInsurance: boolean;
  disabilityLevel: string;
  disabilityCategory: string | null;
  originCounty: string | null;
  partnershipId: string | null;
  suggestedAt: Date | null;
  approvedAt: Date | null;
  proposedAt: Date | null;
  hiredAt: Date | null;
  daysToHire: number | null;
  quotaEligible: boolean | null;
  quotaWeight: number;
  headcountSlot: number;
  transferBatchId: string | null;
  status: PlacementStatus;
  endedOn: string | null;
  endReason: string | null;
  endNote: string | null;
  checkpoints: CheckpointRecord[];
  nextDueOn: string | null;
  retention: { m3: boolean | null; m6: boolean | null; subsidyEvidence: boolean };
  version: number;
  createdBy: string;
  createdAt: Date;
  updatedAt: Date;
}

export type NewPlacement = Omit<Placement, 'id' | 'version' | 'createdAt' | 'updatedAt'>;

function toPlacement(doc: Record<string, unknown>): Placement {
  const { _id, ...rest } = doc;
  return { id: String(_id), ...rest } as Placement;
}

export async function insertPlacement(p: NewPlacement): Promise<{ placement: Placement; created: boolean }> {
  try {
    const doc = await PlacementModel.create({ ...p, version: 1 });
    return { placement: toPlacement(doc.toObject()), created: true };
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
    const existing = await PlacementModel.findOne(trustedFilter({ matchId: p.matchId })).lean();
    return { placement: toPlacement(existing as Record<string, unknown>), created: false };
  }
}

export async function findPlacement(id: string, scope: ScopeFilter): Promise<Placement | null> {
  if (!Types.ObjectId.isValid(id)) return null;
  const doc = await PlacementModel.findOne(withinScope({ _id: new Types.ObjectId(id) }, scope)).lean();
  return doc ? toPlacement(doc as Record<string, unknown>) : null;
}

export async function findPlacementsByIds(ids: readonly string[], scope: ScopeFilter): Promise<Placement[]> {
  const oids = ids.filter((i) => Types.ObjectId.isValid(i)).map((i) => new Types.ObjectId(i));
  const docs = await PlacementModel.find(withinScope({ _id: { $in: oids } }, scope)).lean();
  return docs.map((d) => toPlacement(d as Record<string, unknown>));
}

export async function findPlacementByMatch(matchId: string): Promise<Placement | null> {
  const doc = await PlacementModel.findOne(trustedFilter({ matchId })).lean();
  return doc ? toPlacement(doc as Record<string, unknown>) : null;
}

export async function listPlacements(
  filter: Record<string, unknown>,
  scope: ScopeFilter,
  opts: { sort: string; cursor?: string; limit: number },
): Promise<Page<Placement>> {
  return paginate(PlacementModel, withinScope(filter, scope), opts, toPlacement);
}

/** Placements with an open checkpoint due on or before `day` (indexed on the scope field + nextDueOn). */
function dueByFilter(day: string): Record<string, unknown> {
  return { nextDueOn: { $lte: day }, status: { $in: ['placed', 'retained'] } };
}

/** Open checkpoints due on or before `day` in `scope` (indexed on nextDueOn). */
export async function placementsDueBy(day: string, scope: ScopeFilter, limit: number): Promise<Placement[]> {
  const docs = await PlacementModel.find(withinScope(dueByFilter(day), scope))
    .sort({ nextDueOn: 1, _id: 1 })
    .limit(limit)
    .lean();
  return docs.map((d) => toPlacement(d as Record<string, unknown>));
}

/** The checkpoints (only) of every placement `placementsDueBy` would list, without a limit: for counting. */
export async function checkpointsDueBy(day: string, scope: ScopeFilter): Promise<CheckpointRecord[][]> {
  const docs = await PlacementModel.find(withinScope(dueByFilter(day), scope), { checkpoints: 1 }).lean();
  return docs.map((d) => (d.checkpoints ?? []) as unknown as CheckpointRecord[]);
}

/** Placements of an employer, and of given people at any employer (for the quota). */
export async function placementsOfEmployer(employerId: string): Promise<Placement[]> {
  const docs = await PlacementModel.find(trustedFilter({ employerId })).lean();
  return docs.map((d) => toPlacement(d as Record<string, unknown>));
}

export async function placementsOfProfile(profileId: string): Promise<Placement[]> {
  const docs = await PlacementModel.find(trustedFilter({ profileId })).lean();
  return docs.map((d) => toPlacement(d as Record<string, unknown>));
}

/**
 * Applies `set` to the placement at `expected` version, exactly once across processes (the update
 * is conditional on the version). Null when someone else changed it first.
 */
export async function updatePlacementIfVersion(
  id: string,
  expected: number,
  set: Record<string, unknown>,
): Promise<Placement | null> {
  const doc = await PlacementModel.findOneAndUpdate(
    { _id: new Types.ObjectId(id), version: expected },
    { $set: set, $inc: { version: 1 } },
    { returnDocument: 'after' },
  ).lean();
  return doc ? toPlacement(doc as Record<string, unknown>) : null;
}

/** Batch membership is derived data (the batch holds the list): a plain set, no claim needed. */
export async function setTransferBatch(ids: readonly string[], batchId: string | null): Promise<void> {
  if (ids.length === 0) return;
  await PlacementModel.updateMany(trustedFilter({ _id: { $in: ids.map((i) => new Types.ObjectId(i)) } }), {
    $set: { transferBatchId: batchId },
  });
}

export async function findPlacementById(id: string): Promise<Placement | null> {
  if (!Types.ObjectId.isValid(id)) return null;
  const doc = await PlacementModel.findById(new Types.ObjectId(id)).lean();
  return doc ? toPlacement(doc as Record<string, unknown>) : null;
}
