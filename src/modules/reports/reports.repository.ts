import mongoose from 'mongoose';
import type { ScopeFilter } from '../../lib/auth/scope.js';
import { withinScope } from '../../lib/db.js';
import { PROFILE_COLLECTION } from '../worker-profiles/worker-profiles.repository.js';
import { pushableScope } from './placements-report.rules.js';

export interface ProfileCountRow {
  disabilityCategory: string;
  disabilityLevel: string;
  status: string;
  count: number;
}

/**
 * People counted by category, level and status in one `$match`/`$group` pipeline (both run on
 * FerretDB v1; no `$lookup`, no `$facet`). The match leads with `regionPath`, which the
 * `{ regionPath: 1, updatedAt: -1 }` index serves; erased remains are never counted.
 */
export async function countProfiles(
  scope: ScopeFilter,
  filter: { region?: string; status?: string },
): Promise<ProfileCountRow[]> {
  const match = withinScope(
    {
      ...(filter.region ? { regionPath: filter.region } : {}),
      erased: false,
      ...(filter.status ? { status: filter.status } : {}),
    },
    // One region as an equality: FerretDB v1 then reads only that region's people.
    pushableScope(scope),
  );
  const rows = await mongoose.connection
    .collection(PROFILE_COLLECTION)
    .aggregate<{ _id: { c: string; l: string; s: string }; n: number }>([
      { $match: match },
      { $group: { _id: { c: '$disabilityCategory', l: '$disabilityLevel', s: '$status' }, n: { $sum: 1 } } },
    ])
    .toArray();
  return rows
    .map((r) => ({ disabilityCategory: r._id.c, disabilityLevel: r._id.l, status: r._id.s, count: r.n }))
    .sort(
      (a, b) =>
        a.disabilityCategory.localeCompare(b.disabilityCategory) ||
        a.disabilityLevel.localeCompare(b.disabilityLevel) ||
        a.status.localeCompare(b.status),
    );
}

/**
 * Every live profile counted by origin (`regionPath`), category, level and status: the fairness
 * snapshot's profile side. Counted here from a cursor projected to four fields rather than by a
 * `$group` on the origin: FerretDB v1 compares `$group` keys one by one, and origin × category ×
 * level × status reaches thousands of keys nationally.
 */
export async function countProfilesByOrigin(): Promise<
  { regionPath: string[]; category: string; level: string; status: string; count: number }[]
> {
  const counts = new Map<
    string,
    { regionPath: string[]; category: string; level: string; status: string; count: number }
  >();
  const cursor = mongoose.connection
    .collection(PROFILE_COLLECTION)
    .find<{ regionPath?: string[]; disabilityCategory: string; disabilityLevel: string; status: string }>(
      { erased: false },
      { projection: { _id: 0, regionPath: 1, disabilityCategory: 1, disabilityLevel: 1, status: 1 } },
    )
    .batchSize(1_000);
  for await (const d of cursor) {
    const regionPath = d.regionPath ?? [];
    const key = `${regionPath.join('/')}|${d.disabilityCategory}|${d.disabilityLevel}|${d.status}`;
    const c = counts.get(key) ?? {
      regionPath,
      category: d.disabilityCategory,
      level: d.disabilityLevel,
      status: d.status,
      count: 0,
    };
    c.count++;
    counts.set(key, c);
  }
  return [...counts.values()];
}
