import { findOpeningById, findOpenings, type Opening } from './openings.repository.js';
import type { OpeningStatus } from './openings.status.js';

/** Reads for other modules (matching, indexing, sweeps). */

/** What matching reads of an opening. `suitableFor` is left out on purpose: it never excludes. */
export interface OpeningForMatching {
  id: string;
  version: number;
  employerId: string;
  status: OpeningStatus;
  regionCode: string;
  regionPath: string[];
  occupationGroup: string;
  skills: { code: string; level: string }[];
  preferredTraining: string[];
  headcount: number;
  filled: number;
  wageMin: number;
  wageMax: number;
  shifts: string[];
  jobDemands: string[];
  accommodationsOffered: string[];
  dormitory: { provided: boolean; accessible: boolean };
  contractTermMonths: number;
  socialInsurance: boolean;
  startDate: string;
  updatedAt: Date;
}

function toMatchable(o: Opening): OpeningForMatching {
  return {
    id: o.id,
    version: o.version,
    employerId: o.employerId,
    status: o.status,
    regionCode: o.regionCode,
    regionPath: o.regionPath,
    occupationGroup: o.occupationGroup,
    skills: o.skills.map((s) => ({ code: s.code, level: s.level })),
    preferredTraining: o.preferredTraining,
    headcount: o.headcount,
    filled: o.filled,
    wageMin: o.wageMin,
    wageMax: o.wageMax,
    shifts: o.hours.shifts,
    jobDemands: o.jobDemands,
    accommodationsOffered: o.accommodationsOffered,
    dormitory: { provided: o.dormitory.provided, accessible: o.dormitory.accessible },
    contractTermMonths: o.contract.termMonths,
    socialInsurance: o.contract.socialInsurance,
    startDate: o.startDate,
    updatedAt: o.updatedAt,
  };
}

/**
 * Openings that may be matched, narrowed by indexed fields: open ones with places left,
 * optionally located in `regions` (any level), requiring any of `skills`, or among `ids`. Pages in
 * `_id` order: pass the last id as `afterId` for the next page. Unscoped (workers only).
 */
export async function getOpeningsForMatching(
  filter: {
    regions?: readonly string[];
    skills?: readonly string[];
    ids?: readonly string[];
    afterId?: string;
    limit?: number;
  } = {},
): Promise<OpeningForMatching[]> {
  const found = await findOpenings(
    {
      status: 'open',
      regions: filter.regions,
      skills: filter.skills,
      ids: filter.ids,
      afterId: filter.afterId,
    },
    filter.limit ?? 500,
  );
  // `open` already implies places left (markFilledIfFull keeps them in step); checked again so a
  // lagging recount can never offer a full opening.
  return found.filter((o) => o.filled < o.headcount).map(toMatchable);
}

/** One opening as matching reads it, whatever its status (null when it does not exist). */
export async function getOpeningForMatching(id: string): Promise<OpeningForMatching | null> {
  const o = await findOpeningById(id);
  return o ? toMatchable(o) : null;
}

/** Unscoped read for workers and other services that apply their own policy. */
export async function getOpeningById(id: string): Promise<Opening | null> {
  return findOpeningById(id);
}

/** `{id, version}` of every opening (or of `ids`) in `_id` order, for sweepers and reindexing. */
export async function listOpeningVersions(
  opts: { afterId?: string; updatedSince?: Date; ids?: readonly string[]; limit?: number } = {},
): Promise<{ id: string; version: number; status: OpeningStatus }[]> {
  const found = await findOpenings(
    { afterId: opts.afterId, updatedSince: opts.updatedSince, ids: opts.ids },
    opts.limit ?? 1000,
    {
      version: 1,
      status: 1,
    },
  );
  return found.map((o) => ({ id: o.id, version: o.version, status: o.status }));
}
