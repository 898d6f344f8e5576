import mongoose, { Schema, Types } from 'mongoose';
import type { ScopeFilter } from '../../lib/auth/scope.js';
import { duplicateKeyWrites, isDuplicateKey, trustedFilter, withinScope } from '../../lib/db/index.js';
import {
  afterCursor,
  decodeCursor,
  encodeCursor,
  type Page,
  paginate,
  parseSort,
} from '../../lib/http/pagination.js';
import { type ReasonCore, type SupersedeCode, toStoredReason } from '../matching/reasons.js';
import { MATCH_STATUSES, type MatchOp, type MatchStatus, type StoredMatch } from '../matching/reconcile.js';
import type { ComponentScore, Text } from '../matching/types.js';
import { ACTIONS, decide, EMPLOYED, IN_PROCESS } from './machine.js';

/**
 * The `matches` collection: one document per (worker profile, opening), shared by the matching
 * jobs (which write suggestions: status `suggested` / `superseded`, score, components, reasons)
 * and the review workflow (which moves a match through the human states and appends history).
 *
 * Ownership of fields, so the two writers never step on each other:
 * - matching writes `score`, `components`, `reasons`, `algorithmVersion`, the top-N mark and,
 *   on machine states only, `status` (suggested ⇄ superseded) and `supersededReason`; on a match
 *   a person has acted on it writes only `latestScore`. With a suggestion it also writes the
 *   report-only dims `profileCategory` / `profileLevel` (the person's disability category and
 *   level when suggested, for the fairness report; nothing that scores reads them; a suggestion a
 *   campaign plan inserts through the review workflow carries them too). The one-off
 *   backfill (report-dims.ts) writes only those two, on documents lacking them, conditional on
 *   the version.
 * - the review workflow writes `status` on human states and appends to `history`; every status
 *   change is an update conditional on the version that bumps it, so exactly one writer wins.
 * - Both write an existing match only at the version they read, so a rescore never undoes a
 *   concurrent approval. A rescore of a suggestion bumps `version` (its ETag changes; the review
 *   workflow retries when only a rescore came between); recording `latestScore` on a match a
 *   person has acted on does not, so the workflow's transitions never meet the machine there.
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
    // Only on documents written before reasons were rendered when read (reasons.ts): kept, shown as stored.
    zh: { type: String },
    en: { type: String },
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
    /**
     * Report-only: the person's disability category and level when suggested (fairness report
     * groups by them without a join). Absent on documents written before they existed: counted
     * as unknown until `npm run reports:backfill`.
     */
    profileCategory: { type: String },
    profileLevel: { type: String },
    status: { type: String, enum: MATCH_STATUSES, required: true },
    version: { type: Number, required: true, default: 1 },
    score: { type: Number, required: true },
    components: { type: [componentSchema], default: [] },
    reasons: { type: [reasonSchema], default: [] },
    algorithmVersion: { type: String, required: true },
    /** Listed by its opening's top-N (a machine suggestion), not made by a person. */
    inOpeningTop: { type: Boolean, required: true, default: false },
    /** Read only on old documents (the per-profile top-N, no longer stored): see reconcile.ts. */
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
      // zh/en only on documents written before the sentence was rendered when read.
      type: new Schema({ code: String, params: Schema.Types.Mixed, zh: String, en: String }, { _id: false }),
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
    /** The hire's terms (and the headcount place it took), which the placement job reads. */
    hire: {
      type: new Schema(
        {
          contractStart: String,
          contractEnd: String,
          monthlyWage: Number,
          socialInsurance: Boolean,
          headcountSlot: Number,
        },
        { _id: false },
      ),
      default: undefined,
    },
    /** Review workflow: the placement a hire became. */
    placementId: { type: String },
    /** The outbox mark: set with a move, cleared once its consequence jobs are enqueued. */
    consequencesPending: { type: Boolean, default: undefined },
  },
  { collection: COLLECTION, timestamps: true, versionKey: false },
);
matchSchema.index({ profileId: 1, openingId: 1 }, { unique: true });
matchSchema.index({ openingId: 1, status: 1, score: -1 });
matchSchema.index({ profileId: 1, status: 1, score: -1 });
matchSchema.index({ employerId: 1, status: 1 });
matchSchema.index({ status: 1, profileRegionPath: 1, score: -1 });
// The review queue oldest first, and its waiting count with the oldest suggestion (home page).
matchSchema.index({ status: 1, profileRegionPath: 1, suggestedAt: 1 });
matchSchema.index({ status: 1, suggestedAt: 1 });
// The hire sweep: hires without a placement, oldest first.
matchSchema.index({ status: 1, updatedAt: 1 });
// The outbox sweep: moves whose consequence jobs were never enqueued.
matchSchema.index({ consequencesPending: 1, updatedAt: 1 });
// The placement report's suggestions of a period, in all regions or in the caller's.
matchSchema.index({ suggestedAt: 1 });
matchSchema.index({ profileRegionPath: 1, suggestedAt: 1 });

/** Private to the matches module: other modules go through its services (matches.service.ts, matches.reports.ts). */
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

export interface HireTerms {
  contractStart: string;
  contractEnd: string;
  monthlyWage: number;
  socialInsurance: boolean;
  headcountSlot: number;
}

export interface Match {
  id: string;
  profileId: string;
  openingId: string;
  employerId: string;
  profileRegionPath: string[];
  openingRegionPath: string[];
  profileCategory?: string;
  profileLevel?: string;
  status: MatchStatus;
  version: number;
  score: number;
  components: ComponentScore[];
  /** Codes and parameters; text only on documents written before it was rendered when read. */
  reasons: StoredReason[];
  algorithmVersion: string;
  /** A suggestion of the matching runs (an opening's top-N), not one a person made. */
  inOpeningTop: boolean;
  /** Old documents only: listed by the per-profile top-N of before (never written true now). */
  inProfileTop: boolean;
  latestScore?: { score: number; algorithmVersion: string; eligible: boolean; at: Date };
  supersededReason?: StoredSupersede;
  suggestedAt: Date;
  history: MatchHistoryEntry[];
  interview?: { at: Date; mode: string; note?: string };
  hire?: HireTerms;
  placementId?: string;
  createdAt: Date;
  updatedAt: Date;
}

export type StoredReason = ReasonCore & Partial<Text>;
export type StoredSupersede = SupersedeCode & Partial<Text>;

/** A supersede reason as stored: its code and parameters (the text is rendered when read). */
export function storedSupersede(reason: SupersedeCode): SupersedeCode {
  return { code: reason.code, params: reason.params ?? {} };
}

type Doc = Omit<Match, 'id'> & { _id: Types.ObjectId };

export function toMatch(doc: Doc): Match {
  const { _id, ...rest } = doc;
  // An absent `history` reads as an empty one (the review queue maps over it).
  return { id: String(_id), ...rest, history: rest.history ?? [] };
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

/**
 * Statuses of a match that is under way: the person is spoken for at that opening until the
 * match is rejected, declined, ended or withdrawn. A plan never counts such a person as free, and
 * an acceptance never approves a second match for them.
 */
export const ACTIVE_MATCH_STATUSES: readonly MatchStatus[] = [...new Set([...IN_PROCESS, ...EMPLOYED])];
/** Under way and not hired yet: a place at the opening spoken for but not taken. */
const PENDING: readonly MatchStatus[] = IN_PROCESS.filter((s) => !EMPLOYED.includes(s));

/** The person's matches that are under way (any opening). One indexed equality on profileId. */
export async function findActiveMatchesOfProfile(profileId: string): Promise<Match[]> {
  const docs = await MatchModel.find(
    trustedFilter({ profileId, status: { $in: [...ACTIVE_MATCH_STATUSES] } }),
  ).lean();
  return (docs as unknown as Doc[]).map(toMatch);
}

/**
 * Profiles with a match under way whose origin lies in `regionCode` (any level), and the number of
 * matches under way per opening that have not been hired yet (a hire is counted in the opening's
 * `filled` already). One pass over the active matches of that origin.
 */
export async function activeMatchesByOrigin(
  regionCode: string,
): Promise<{ profiles: Set<string>; pendingByOpening: Map<string, number> }> {
  const docs = await MatchModel.find(
    trustedFilter({ status: { $in: [...ACTIVE_MATCH_STATUSES] }, profileRegionPath: regionCode }),
    { profileId: 1, openingId: 1, status: 1 },
  ).lean();
  const profiles = new Set<string>();
  const pendingByOpening = new Map<string, number>();
  for (const d of docs) {
    profiles.add(d.profileId);
    if (!EMPLOYED.includes(d.status))
      pendingByOpening.set(d.openingId, (pendingByOpening.get(d.openingId) ?? 0) + 1);
  }
  return { profiles, pendingByOpening };
}

/** Matches under way, not yet hired, at an opening (any origin): places already spoken for. */
export async function countPendingMatchesOfOpening(openingId: string): Promise<number> {
  return MatchModel.countDocuments(trustedFilter({ openingId, status: { $in: [...PENDING] } }));
}

// ---- written by the matching jobs (src/modules/matching) --------------------------------------

const STORED_FIELDS = {
  profileId: 1,
  openingId: 1,
  status: 1,
  version: 1,
  score: 1,
  algorithmVersion: 1,
  inOpeningTop: 1,
  inProfileTop: 1,
} as const;

type StoredDoc = Omit<StoredMatch, 'id'> & { _id: Types.ObjectId };
const toStored = ({ _id, ...rest }: StoredDoc): StoredMatch => ({ id: String(_id), ...rest });

/**
 * Every match of one opening or one profile, as reconcile reads them. One query (the local server
 * scans for it: keep such reads to one per run or per chunk).
 */
export async function storedMatchesOf(
  anchor: { openingId: string } | { profileId: string },
): Promise<StoredMatch[]> {
  const docs = await MatchModel.find(trustedFilter({ ...anchor }), STORED_FIELDS).lean<StoredDoc[]>();
  return docs.map(toStored);
}

/** Every match of these openings, by opening: one `$in` read for a whole chunk of a rematch. */
export async function storedMatchesOfOpenings(
  openingIds: readonly string[],
): Promise<Map<string, StoredMatch[]>> {
  const out = new Map<string, StoredMatch[]>(openingIds.map((id) => [id, []]));
  if (openingIds.length === 0) return out;
  const docs = await MatchModel.find(
    trustedFilter({ openingId: { $in: [...openingIds] } }),
    STORED_FIELDS,
  ).lean<StoredDoc[]>();
  for (const d of docs) out.get(d.openingId)?.push(toStored(d));
  return out;
}

/**
 * The machine's suggestions of every opening (opening id, profile id, score): what a worker
 * process starts from to know each opening's floor. One read at start.
 */
export async function machineSuggestions(): Promise<
  { openingId: string; profileId: string; score: number }[]
> {
  return MatchModel.find(trustedFilter({ status: 'suggested', inOpeningTop: true }), {
    _id: 0,
    openingId: 1,
    profileId: 1,
    score: 1,
  }).lean<{ openingId: string; profileId: string; score: number }[]>();
}

/** What a match document repeats of its profile and opening, for scope without joins. */
export interface PairInfo {
  employerId: string;
  profileRegionPath: string[];
  openingRegionPath: string[];
  /** Report-only dims (see the top of this file); never read by scoring. */
  profileCategory?: string;
  profileLevel?: string;
}

export interface AppliedOps {
  /** Matches that became suggestions now: new ones, and superseded ones suggested again. */
  suggested: string[];
  writes: number;
}

// The machine's moves for the runs' set-based writes: the filters are the `from` states, the target the `to`.
const SUGGEST = ACTIONS.suggest;
const SUPERSEDE = ACTIONS.supersede;
const SUPERSEDE_FROM = ACTIONS.supersede.from[0]!;

/**
 * Applies reconcile's operations in one unordered bulk write, each keyed on a unique index. A new
 * pair is an upsert on exactly (profileId, openingId) that only ever inserts: if another run (or a
 * person) stored the pair meanwhile, that document stands and the next run reconciles it. A write
 * to an existing match is conditional on the version read (`_id` + `version`) and bumps it, like a
 * human transition: a match a person changed meanwhile is left alone.
 */
export async function applyMatchOps(
  ops: readonly MatchOp[],
  info: (pair: { profileId: string; openingId: string }) => PairInfo,
  now = new Date(),
): Promise<AppliedOps> {
  if (ops.length === 0) return { suggested: [], writes: 0 };
  const writes: Parameters<typeof MatchModel.bulkWrite>[0] = [];
  const reSuggested: string[] = [];
  const insertAt: number[] = [];
  for (const op of ops) {
    if (op.kind === 'insert' || op.kind === 'suggest') {
      const { pair } = op;
      const r = pair.result;
      const set: Record<string, unknown> = {
        ...info(pair),
        status: SUGGEST.to,
        score: r.score,
        components: r.components,
        reasons: r.reasons.map(toStoredReason),
        algorithmVersion: r.algorithmVersion,
        inOpeningTop: true,
        inProfileTop: false,
        updatedAt: now,
      };
      if (op.kind === 'insert') {
        insertAt.push(writes.length);
        writes.push({
          updateOne: {
            filter: trustedFilter({ profileId: pair.profileId, openingId: pair.openingId }),
            update: {
              $setOnInsert: { ...set, version: 1, history: [], suggestedAt: now, createdAt: now },
            },
            upsert: true,
            // Only ever an insert: its timestamps are in $setOnInsert, none added to a $set.
            timestamps: false,
          },
        });
      } else {
        if (op.match.status === 'superseded') {
          set.suggestedAt = now;
          reSuggested.push(op.match.id);
        }
        writes.push({
          updateOne: {
            filter: trustedFilter({
              _id: new Types.ObjectId(op.match.id),
              version: op.match.version,
              status: { $in: SUGGEST.from },
            }),
            update: { $set: set, $unset: { supersededReason: 1 }, $inc: { version: 1 } },
          },
        });
      }
    } else if (op.kind === 'record_score') {
      // Beside the workflow's state, not part of it: the version stays, so a hire or review
      // transition that read this match is never refused because a run passed by.
      const r = op.pair.result;
      writes.push({
        updateOne: {
          filter: { _id: new Types.ObjectId(op.match.id), version: op.match.version },
          update: {
            $set: {
              latestScore: {
                score: r.score,
                algorithmVersion: r.algorithmVersion,
                eligible: r.eligible,
                at: now,
              },
            },
          },
        },
      });
    } else {
      writes.push(supersedeWrite(op.match, op.reason, now));
    }
  }
  let upserted: Record<number, unknown> = {};
  try {
    const res = await MatchModel.bulkWrite(writes, { ordered: false });
    upserted = res.upsertedIds ?? {};
  } catch (err) {
    // Two upserts of one new pair at once: the other's document stands, the rest were written.
    const listed = (err as { writeErrors?: unknown }).writeErrors !== undefined;
    if (listed ? !duplicateKeyWrites(err) : !isDuplicateKey(err)) throw err;
    upserted = (err as { result?: { upsertedIds?: Record<number, unknown> } }).result?.upsertedIds ?? {};
  }
  const inserted = insertAt.filter((i) => upserted[i] !== undefined).map((i) => String(upserted[i]));
  return { suggested: [...inserted, ...reSuggested], writes: writes.length };
}

function supersedeWrite(match: Pick<StoredMatch, 'id' | 'version'>, reason: SupersedeCode, now: Date) {
  return {
    updateOne: {
      filter: trustedFilter({
        _id: new Types.ObjectId(match.id),
        version: match.version,
        status: SUPERSEDE_FROM,
      }),
      update: {
        $set: {
          status: SUPERSEDE.to,
          inOpeningTop: false,
          inProfileTop: false,
          supersededReason: storedSupersede(reason),
          updatedAt: now,
        },
        // A new version: a writer holding the old one (a reviewer's stale read) must not apply.
        $inc: { version: 1 },
      },
    },
  };
}

/**
 * Supersedes every suggestion of an opening or a profile that can no longer be suggested at all
 * (opening closed, consent withdrawn, profile erased…), with the reason; a suggestion a person
 * made included. Human states untouched. One read, then writes keyed on `_id` + `version`; a match
 * changed meanwhile is read again, so none is left suggested. Returns the matches superseded.
 */
export async function supersedeAllOf(
  anchor: { openingId: string } | { profileId: string },
  reason: SupersedeCode,
  now = new Date(),
): Promise<StoredMatch[]> {
  const done: StoredMatch[] = [];
  for (let attempt = 0; attempt < 5; attempt++) {
    const open = (await storedMatchesOf(anchor)).filter((m) => m.status === SUPERSEDE_FROM);
    if (open.length === 0) break;
    const res = await MatchModel.bulkWrite(
      open.map((m) => supersedeWrite(m, reason, now)),
      { ordered: false },
    );
    if (res.modifiedCount === open.length) {
      done.push(...open);
      break;
    }
    // Some moved meanwhile (a rescore or a person): which ones stands out on the next read.
    const after = new Map((await storedMatchesOf(anchor)).map((m) => [m.id, m]));
    for (const m of open) if (after.get(m.id)?.status === SUPERSEDE.to) done.push(m);
  }
  return done;
}

/** Matches by id, in `_id` order, from one `_id: {$in: …}` query; missing ids are left out. */
export async function findMatchesByIds(ids: readonly string[]): Promise<Match[]> {
  const _ids = [...new Set(ids)].map(oid).filter((id): id is Types.ObjectId => id !== null);
  if (_ids.length === 0) return [];
  const docs = await MatchModel.find(trustedFilter({ _id: { $in: _ids } }))
    .sort({ _id: 1 })
    .lean();
  return docs.map((doc) => toMatch(doc as unknown as Doc));
}

/** Statuses past a reviewer's proposal: people an employer has been offered or has taken on. */
export const PEER_STATUSES: readonly MatchStatus[] = [
  'proposed',
  'interested',
  'interviewing',
  'hired',
  'placed',
  'retained',
];

/**
 * employerId → region (every level of the profile's origin path) → people proposed or placed;
 * narrowed to one employer (an opening's run) or one origin region (a profile's run), each an
 * indexed query. The group key is a scalar (`employer|region`): the local server merges
 * different arrays or documents used as keys (src/lib/db).
 */
export async function peerCounts(
  only: { employerId?: string; region?: string } = {},
): Promise<Record<string, Record<string, number>>> {
  const match: Record<string, unknown> = { status: { $in: [...PEER_STATUSES] } };
  if (only.employerId !== undefined) match.employerId = only.employerId;
  if (only.region !== undefined) match.profileRegionPath = only.region;
  const rows = await MatchModel.aggregate<{ _id: string; n: number }>([
    { $match: match },
    { $unwind: '$profileRegionPath' },
    ...(only.region !== undefined ? [{ $match: { profileRegionPath: only.region } }] : []),
    { $group: { _id: { $concat: ['$employerId', '|', '$profileRegionPath'] }, n: { $sum: 1 } } },
  ]);
  const out: Record<string, Record<string, number>> = {};
  for (const row of rows) {
    const cut = row._id.lastIndexOf('|');
    const employerId = row._id.slice(0, cut);
    const byRegion = out[employerId] ?? {};
    byRegion[row._id.slice(cut + 1)] = row.n;
    out[employerId] = byRegion;
  }
  return out;
}

/** One page of matches of a filter within `scope`, in `sort` order, with the count of the whole list. */
export async function listMatchesPage(
  filter: Record<string, unknown>,
  scope: ScopeFilter,
  page: { sort: string; cursor?: string; limit: number },
): Promise<Page<Match>> {
  return paginate(MatchModel, withinScope(filter, scope), page, (doc) => toMatch(doc as unknown as Doc));
}

/** A page whose count may be left out: null when not counted (see listMatchesPageCounting). */
export type MatchPage = Omit<Page<Match>, 'total'> & { total: number | null };

/**
 * One page of matches that counts the whole list only on the first page (`first_page`: a list
 * whose readers keep the first page's count) or never (`never`); uncounted, `total` is still
 * exact when the page holds the whole list, else null. A count reads every match of the filter
 * (on the local server, every match of the collection).
 */
export async function listMatchesPageCounting(
  filter: Record<string, unknown>,
  scope: ScopeFilter,
  page: { sort: string; cursor?: string; limit: number },
  count: 'first_page' | 'never',
): Promise<MatchPage> {
  const where = withinScope(filter, scope);
  if (count === 'first_page' && !page.cursor)
    return paginate(MatchModel, where, page, (doc) => toMatch(doc as unknown as Doc));
  const sort = parseSort(page.sort);
  const pageFilter = page.cursor ? { $and: [where, afterCursor(decodeCursor(page.cursor), sort)] } : where;
  const docs = await MatchModel.find(trustedFilter(pageFilter))
    .sort({ [sort.field]: sort.direction, _id: sort.direction })
    .limit(page.limit + 1)
    .lean<Record<string, unknown>[]>();
  const shown = docs.slice(0, page.limit);
  const last = shown.at(-1);
  const more = docs.length > page.limit;
  return {
    items: shown.map((doc) => toMatch(doc as unknown as Doc)),
    nextCursor: more && last ? encodeCursor(last, sort) : null,
    // Exact without counting when this one page is the whole list.
    total: !page.cursor && !more ? shown.length : null,
  };
}

/** How many matches of a filter exist (tests and the rematch report). */
export async function countMatches(filter: Record<string, unknown>): Promise<number> {
  return MatchModel.countDocuments(trustedFilter(filter));
}

// ---- the workflow's writes: status on human and system states, history, interview, placement link ----

export async function currentVersionOf(id: string): Promise<number | null> {
  const doc = await MatchModel.findById(new Types.ObjectId(id), { version: 1 }).lean();
  return (doc?.version as number | undefined) ?? null;
}

/**
 * Moves `match` from its status at `match.version` to `to`, appending `entry` — exactly once across
 * every process (an update conditional on the version and status). Null when another writer moved
 * it first.
 */
export async function claimTransition(
  match: Pick<Match, 'id' | 'version' | 'status'>,
  to: MatchStatus,
  entry: Omit<MatchHistoryEntry, 'from' | 'to' | 'at'> & { at?: Date },
  set: Record<string, unknown> = {},
): Promise<Match | null> {
  const _id = new Types.ObjectId(match.id);
  const history: MatchHistoryEntry = { from: match.status, to, at: entry.at ?? new Date(), ...entry };
  const doc = await MatchModel.findOneAndUpdate(
    { _id, version: match.version, status: match.status },
    { $set: { ...set, status: to }, $inc: { version: 1 }, $push: { history } },
    { returnDocument: 'after' },
  ).lean();
  return doc ? toMatch(doc as unknown as Doc) : null;
}

/** How many matches of `filter` lie in `scope`, and the earliest `suggestedAt` among them. */
export async function countWithOldest(
  filter: Record<string, unknown>,
  scope: ScopeFilter,
): Promise<{ count: number; oldestSuggestedAt: Date | null }> {
  const where = withinScope(filter, scope);
  const [count, oldest] = await Promise.all([
    MatchModel.countDocuments(where),
    MatchModel.findOne(where, { suggestedAt: 1 }).sort({ suggestedAt: 1, _id: 1 }).lean(),
  ]);
  return { count, oldestSuggestedAt: (oldest?.suggestedAt as Date | undefined) ?? null };
}

export async function countMatchesInScope(
  filter: Record<string, unknown>,
  scope: ScopeFilter,
): Promise<number> {
  return MatchModel.countDocuments(withinScope(filter, scope));
}

/** Matches of a profile in any of `statuses` (indexed on profileId + status). */
export async function matchesOfProfile(
  profileId: string,
  statuses: readonly MatchStatus[],
): Promise<Match[]> {
  const docs = await MatchModel.find(trustedFilter({ profileId, status: { $in: [...statuses] } })).lean();
  return docs.map((d) => toMatch(d as unknown as Doc));
}

export async function matchesOfOpening(openingId: string, status: MatchStatus): Promise<Match[]> {
  const docs = await MatchModel.find(trustedFilter({ openingId, status })).lean();
  return docs.map((d) => toMatch(d as unknown as Doc));
}

/** A suggestion made by a person (a campaign plan), not by the matching jobs. */
export async function insertSuggestion(m: {
  profileId: string;
  openingId: string;
  employerId: string;
  profileRegionPath: string[];
  openingRegionPath: string[];
  /** Report-only dims (see the top of matches.repository.ts). */
  profileCategory: string;
  profileLevel: string;
  score: number;
  algorithmVersion: string;
  by: string;
}): Promise<Match | null> {
  const now = new Date();
  try {
    const doc = await MatchModel.create({
      profileId: m.profileId,
      openingId: m.openingId,
      employerId: m.employerId,
      profileRegionPath: m.profileRegionPath,
      openingRegionPath: m.openingRegionPath,
      profileCategory: m.profileCategory,
      profileLevel: m.profileLevel,
      status: 'suggested',
      version: 1,
      score: m.score,
      algorithmVersion: m.algorithmVersion,
      suggestedAt: now,
      history: [{ from: 'suggested', to: 'suggested', action: 'suggest', at: now, by: m.by }],
    });
    return toMatch(doc.toObject() as unknown as Doc);
  } catch (err) {
    if (isDuplicateKey(err)) return null;
    throw err;
  }
}

/** Superseding a suggestion whose opening filled: one update conditional on the version per match, like a person would. */
export async function supersede(match: Match, reason: SupersedeCode): Promise<boolean> {
  const d = decide(match.status, 'supersede');
  if (!d.ok) return false;
  const updated = await claimTransition(
    match,
    d.to,
    { action: 'supersede', by: 'system', reasonCode: reason.code },
    { supersededReason: storedSupersede(reason) },
  );
  return updated !== null;
}

/** The move at `version` had its consequence jobs enqueued: the outbox mark goes (the version stays). */
export async function clearConsequencesPending(id: string, version: number): Promise<void> {
  await MatchModel.updateOne(
    trustedFilter({ _id: new Types.ObjectId(id), version, consequencesPending: true }),
    { $unset: { consequencesPending: 1 } },
    { timestamps: false },
  );
}

/** Matches whose last move is still marked as not enqueued, last changed before `before` (the sweep). */
export async function withConsequencesPending(before: Date, limit = 500): Promise<Match[]> {
  const docs = await MatchModel.find(trustedFilter({ consequencesPending: true, updatedAt: { $lt: before } }))
    .sort({ updatedAt: 1 })
    .limit(limit)
    .lean();
  return docs.map((d) => toMatch(d as unknown as Doc));
}

/** Hires last changed before `before` that have no placement linked (the hire sweep). */
export async function hiredWithoutPlacement(before: Date, limit = 500): Promise<Match[]> {
  const docs = await MatchModel.find(
    trustedFilter({ status: 'hired', placementId: { $exists: false }, updatedAt: { $lt: before } }),
  )
    .sort({ updatedAt: 1 })
    .limit(limit)
    .lean();
  return docs.map((d) => toMatch(d as unknown as Doc));
}
