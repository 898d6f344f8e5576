import mongoose, { Schema, Types } from 'mongoose';
import type { ScopeFilter } from '../../lib/auth/scope.js';
import { trustedFilter, withinScope } from '../../lib/db.js';
import { MATCH_STATUSES, type MatchStatus } from '../matching/reconcile.js';
import type { ComponentScore, Reason } from '../matching/types.js';

/**
 * The `matches` collection: one document per (worker profile, opening), shared by the matching
 * jobs (which write suggestions: status `suggested` / `superseded`, score, components, reasons)
 * and the review workflow (which moves a match through the human states and appends history).
 *
 * Ownership of fields, so the two writers never step on each other:
 * - matching writes `score`, `components`, `reasons`, `algorithmVersion`, the top-N flags and,
 *   on machine states only, `status` (suggested ⇄ superseded) and `supersededReason`; on a match
 *   a person has acted on it writes only `latestScore`.
 * - the review workflow writes `status` on human states and appends to `history`; every status
 *   change bumps `version` through a version claim (src/lib/claims.ts), so exactly one writer wins.
 */

const COLLECTION = 'matches';

const componentSchema = new Schema(
  {
    key: { type: String, required: true },
    weight: { type: Number, required: true },
    value: { type: Number, required: true },
    points: { type: Number, required: true },
  },
  { _id: false },
);
const reasonSchema = new Schema(
  {
    code: { type: String, required: true },
    kind: { type: String, required: true },
    about: { type: String },
    params: { type: Schema.Types.Mixed, default: {} },
    zh: { type: String, required: true },
    en: { type: String, required: true },
  },
  { _id: false },
);
const historySchema = new Schema(
  {
    from: { type: String, required: true },
    to: { type: String, required: true },
    action: { type: String, required: true },
    at: { type: Date, required: true },
    /** A user id, or `system` for the matching jobs and automatic withdrawals. */
    by: { type: String, required: true },
    reasonCode: { type: String },
    note: { type: String },
  },
  { _id: false },
);

const matchSchema = new Schema(
  {
    profileId: { type: String, required: true },
    openingId: { type: String, required: true },
    /** The opening's employer organisation, for the employer's proposals and scope. */
    employerId: { type: String, required: true },
    /** The profile's origin county with its ancestors (recipient side scope). */
    profileRegionPath: { type: [String], required: true },
    /** The opening's region with its ancestors (supporting side scope). */
    openingRegionPath: { type: [String], required: true },
    status: { type: String, enum: MATCH_STATUSES, required: true },
    version: { type: Number, required: true, default: 1 },
    score: { type: Number, required: true },
    components: { type: [componentSchema], default: [] },
    reasons: { type: [reasonSchema], default: [] },
    algorithmVersion: { type: String, required: true },
    inOpeningTop: { type: Boolean, required: true, default: false },
    inProfileTop: { type: Boolean, required: true, default: false },
    /** A recomputed score of a match a person has acted on; the reviewed score is kept. */
    latestScore: {
      type: new Schema(
        { score: Number, algorithmVersion: String, eligible: Boolean, at: Date },
        { _id: false },
      ),
      default: undefined,
    },
    supersededReason: {
      type: new Schema({ code: String, zh: String, en: String }, { _id: false }),
      default: undefined,
    },
    /** When it (last) became a suggestion: the review queue's waiting time starts here. */
    suggestedAt: { type: Date, required: true },
    history: { type: [historySchema], default: [] },
    /** Review workflow: the interview scheduled (date and mode). */
    interview: {
      type: new Schema({ at: Date, mode: String, note: String }, { _id: false }),
      default: undefined,
    },
    /** Review workflow: the placement a hire became. */
    placementId: { type: String },
  },
  { collection: COLLECTION, timestamps: true, versionKey: false },
);
matchSchema.index({ profileId: 1, openingId: 1 }, { unique: true });
matchSchema.index({ openingId: 1, status: 1, score: -1 });
matchSchema.index({ profileId: 1, status: 1, score: -1 });
matchSchema.index({ employerId: 1, status: 1 });
matchSchema.index({ status: 1, profileRegionPath: 1, score: -1 });

/** Internal to the matches module and the modules writing it (matching jobs, review workflow). */
export const MatchModel = mongoose.model('Match', matchSchema);

export interface MatchHistoryEntry {
  from: string;
  to: string;
  action: string;
  at: Date;
  by: string;
  reasonCode?: string;
  note?: string;
}

export interface Match {
  id: string;
  profileId: string;
  openingId: string;
  employerId: string;
  profileRegionPath: string[];
  openingRegionPath: string[];
  status: MatchStatus;
  version: number;
  score: number;
  components: ComponentScore[];
  reasons: Reason[];
  algorithmVersion: string;
  inOpeningTop: boolean;
  inProfileTop: boolean;
  latestScore?: { score: number; algorithmVersion: string; eligible: boolean; at: Date };
  supersededReason?: { code: string; zh: string; en: string };
  suggestedAt: Date;
  history: MatchHistoryEntry[];
  interview?: { at: Date; mode: string; note?: string };
  placementId?: string;
  createdAt: Date;
  updatedAt: Date;
}

type Doc = Omit<Match, 'id'> & { _id: Types.ObjectId };

export function toMatch(doc: Doc): Match {
  const { _id, ...rest } = doc;
  return { id: String(_id), ...rest };
}

const oid = (id: string) => (Types.ObjectId.isValid(id) ? new Types.ObjectId(id) : null);

export async function findMatchById(id: string): Promise<Match | null> {
  const _id = oid(id);
  if (!_id) return null;
  const doc = await MatchModel.findById(_id).lean();
  return doc ? toMatch(doc as unknown as Doc) : null;
}

/** The match if it lies within `scope` (out of scope reads as absent: 404, never 403). */
export async function findMatchInScope(id: string, scope: ScopeFilter): Promise<Match | null> {
  const _id = oid(id);
  if (!_id) return null;
  const doc = await MatchModel.findOne(withinScope({ _id }, scope)).lean();
  return doc ? toMatch(doc as unknown as Doc) : null;
}

export async function findMatchByPair(profileId: string, openingId: string): Promise<Match | null> {
  const doc = await MatchModel.findOne(trustedFilter({ profileId, openingId })).lean();
  return doc ? toMatch(doc as unknown as Doc) : null;
}
