import mongoose, { Types } from 'mongoose';
import { trustedFilter } from '../../lib/db/index.js';
import { PROFILE_COLLECTION } from '../worker-profiles/for-other-modules.service.js';
import { MatchModel } from './matches.repository.js';

export interface BackfillSummary {
  /** Match documents found without the report dims. */
  missing: number;
  /** Given their person's category and level now. */
  updated: number;
  /** Their person is erased or gone: they stay "unknown" in the report. */
  noProfile: number;
  /** Another writer changed the match meanwhile: left for the next run. */
  busy: number;
}

const BATCH = 500;

/**
 * `npm run reports:backfill`: gives the report-only dims (`profileCategory`, `profileLevel`) to the
 * match documents written before matching stored them. Idempotent: it reads only documents still
 * lacking them and each write is conditional on that, so a second run finds nothing to do. Each
 * write is conditional on the version read and bumps it, like every other writer of `matches`
 * (see the top of matches.repository.ts); a match changed meanwhile is skipped and counted.
 *
 * The categories are read a batch of matches at a time (one `_id: {$in: …}` query for the batch's
 * people), so a large collection is never joined in memory.
 */
export async function backfillReportDims(): Promise<BackfillSummary> {
  const summary: BackfillSummary = { missing: 0, updated: 0, noProfile: 0, busy: 0 };
  const profiles = mongoose.connection.collection(PROFILE_COLLECTION);
  let afterId: Types.ObjectId | undefined;
  for (;;) {
    const batch = await MatchModel.find(
      trustedFilter({
        profileCategory: { $exists: false },
        ...(afterId ? { _id: { $gt: afterId } } : {}),
      }),
      { profileId: 1, version: 1 },
    )
      .sort({ _id: 1 })
      .limit(BATCH)
      .lean<{ _id: Types.ObjectId; profileId: string; version: number }[]>();
    if (batch.length === 0) break;
    afterId = batch.at(-1)!._id;
    summary.missing += batch.length;
    const dims = new Map<string, { c: string; l: string } | null>();
    const ids = [...new Set(batch.map((m) => m.profileId))].filter((id) => Types.ObjectId.isValid(id));
    const people = await profiles
      .find(trustedFilter({ _id: { $in: ids.map((id) => new Types.ObjectId(id)) } }), {
        projection: { disabilityCategory: 1, disabilityLevel: 1, erased: 1 },
      })
      .toArray();
    for (const p of people) {
      dims.set(
        String(p._id),
        !p.erased && p.disabilityCategory && p.disabilityLevel
          ? { c: String(p.disabilityCategory), l: String(p.disabilityLevel) }
          : null,
      );
    }
    for (const m of batch) {
      const d = dims.get(m.profileId);
      if (!d) {
        summary.noProfile++;
        continue;
      }
      const res = await MatchModel.updateOne(
        trustedFilter({ _id: m._id, version: m.version, profileCategory: { $exists: false } }),
        { $set: { profileCategory: d.c, profileLevel: d.l }, $inc: { version: 1 } },
      );
      if (res.modifiedCount === 1) summary.updated++;
      else summary.busy++;
    }
  }
  return summary;
}
