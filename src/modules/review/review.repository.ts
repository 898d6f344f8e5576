import { Types } from 'mongoose';
import type { ScopeFilter } from '../../lib/auth/scope.js';
import { trustedFilter, withinScope } from '../../lib/db/index.js';
import { type Page, paginate } from '../../lib/http/pagination.js';
import { type Match, type MatchHistoryEntry, MatchModel, toMatch } from '../matches/matches.repository.js';
import type { MatchStatus } from '../matching/reconcile.js';

/**
 * The review workflow's writes to the shared `matches` collection (see the field-ownership comment
 * in matches.repository.ts): status on human states, history, interview and placement links.
 */
type Doc = Parameters<typeof toMatch>[0];

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

export async function findMatch(id: string, scope: ScopeFilter): Promise<Match | null> {
  if (!Types.ObjectId.isValid(id)) return null;
  const doc = await MatchModel.findOne(withinScope({ _id: new Types.ObjectId(id) }, scope)).lean();
  return doc ? toMatch(doc as unknown as Doc) : null;
}

export async function listMatches(
  filter: Record<string, unknown>,
  scope: ScopeFilter,
  opts: { sort: string; cursor?: string; limit: number },
): Promise<Page<Match>> {
  return paginate(MatchModel, withinScope(filter, scope), opts, (d) => toMatch(d as unknown as Doc));
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

export async function countMatches(filter: Record<string, unknown>, scope: ScopeFilter): Promise<number> {
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

export async function findByPair(profileId: string, openingId: string): Promise<Match | null> {
  const doc = await MatchModel.findOne(trustedFilter({ profileId, openingId })).lean();
  return doc ? toMatch(doc as unknown as Doc) : null;
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
    if ((err as { code?: number }).code === 11000) return null;
    throw err;
  }
}

/** Superseding a suggestion whose opening filled: one update conditional on the version per match, like a person would. */
export async function supersede(
  match: Match,
  reason: { code: string; zh: string; en: string },
): Promise<boolean> {
  const updated = await claimTransition(
    match,
    'superseded',
    { action: 'supersede', by: 'system', reasonCode: reason.code },
    { supersededReason: reason },
  );
  return updated !== null;
}
