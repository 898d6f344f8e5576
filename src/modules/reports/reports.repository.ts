import mongoose from 'mongoose';
import type { ScopeFilter } from '../../lib/auth/scope.js';
import { withinScope } from '../../lib/db/index.js';
import { PROFILE_COLLECTION } from '../worker-profiles/for-other-modules.service.js';

export interface ProfileCountRow {
  disabilityCategory: string;
  disabilityLevel: string;
  status: string;
  count: number;
}

/**
 * People counted by category, level and status in one `$match`/`$group` pipeline. The match
 * leads with `regionPath`, which the `{ regionPath: 1, updatedAt: -1 }` index serves; erased
 * remains are never counted.
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
    scope,
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
 * snapshot's profile side, one `$match`/`$group` pipeline. The origin is grouped by its own code
 * (the path's last element, which determines the path) rather than by the array: a plain string
 * key, which the local substitute also groups correctly.
 */
export async function countProfilesByOrigin(): Promise<
  { regionPath: string[]; category: string; level: string; status: string; count: number }[]
> {
  const rows = await mongoose.connection
    .collection(PROFILE_COLLECTION)
    .aggregate<{ _id: { c: string; l: string; s: string }; r: string[] | null; n: number }>(
      [
        { $match: { erased: false } },
        {
          $group: {
            _id: {
              o: { $arrayElemAt: ['$regionPath', -1] },
              c: '$disabilityCategory',
              l: '$disabilityLevel',
              s: '$status',
            },
            r: { $first: '$regionPath' },
            n: { $sum: 1 },
          },
        },
      ],
      { allowDiskUse: true },
    )
    .toArray();
  return rows.map((row) => ({
    regionPath: row.r ?? [],
    category: row._id.c,
    level: row._id.l,
    status: row._id.s,
    count: row.n,
  }));
}
