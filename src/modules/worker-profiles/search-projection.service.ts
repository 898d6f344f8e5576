import type { Actor } from '../../lib/auth/actor.js';
import type { WorkerProfileSearchDocument } from '../../lib/search/indexes.js';
import { getVocabulary, listRegions } from '../reference/reference.service.js';
import { ageOn, type Sex } from './identity.js';
import { maskName } from './masking.js';
import { profileReadScope, profileVisibleTo } from './worker-profiles.policy.js';
import * as repo from './worker-profiles.repository.js';
import {
  type ProfileSearchContext,
  type SearchableProfile,
  toSearchDocument as toProfileSearchDocument,
} from './worker-profiles.search.js';
import { cryptoOf, type ProfileDeps } from './worker-profiles.service.js';

/** The search projection of profiles (indexing and search; see src/modules/search). */

async function profileSearchContext(): Promise<ProfileSearchContext> {
  const [regions, ...vocab] = await Promise.all([
    listRegions({}),
    getVocabulary('skill'),
    getVocabulary('training_programme'),
    getVocabulary('limitation'),
    getVocabulary('accommodation'),
  ]);
  const regionNames = new Map(regions.map((r) => [r.code, r.zh]));
  const labels = new Map(vocab.flat().map((v) => [`${v.kind}.${v.code}`, v]));
  return {
    regionName: (code) => regionNames.get(code),
    label: (kind, code) => labels.get(`${kind}.${code}`),
  };
}

export interface ProfileSearchEntry {
  id: string;
  version: number;
  /** Null: must not be in the index (erased). */
  document: WorkerProfileSearchDocument | null;
}

async function searchEntries(list: readonly SearchableProfile[]): Promise<ProfileSearchEntry[]> {
  if (list.length === 0) return [];
  const ctx = await profileSearchContext();
  return list.map((p) => ({ id: p.id, version: p.version, document: toProfileSearchDocument(p, ctx) }));
}

/** Search entries of profiles changed at or after `since` (all when undefined), `batchSize` at a time. */
export async function* profileSearchEntriesSince(
  since: Date | undefined,
  batchSize: number,
): AsyncGenerator<ProfileSearchEntry[]> {
  for await (const batch of repo.streamSearchable(since, batchSize)) yield searchEntries(batch);
}

/** Search entries of `ids` (those that exist, erased remains included). */
export async function profileSearchEntries(ids: readonly string[]): Promise<ProfileSearchEntry[]> {
  return searchEntries(await repo.findSearchable(ids));
}

/** Current versions of `ids` (absent: gone). */
export async function profileVersions(ids: readonly string[]): Promise<Map<string, number>> {
  return new Map((await repo.findSearchable(ids)).map((p) => [p.id, p.version]));
}

/** How many profiles the search index should hold (live ones). */
export async function countSearchableProfiles(): Promise<number> {
  return repo.countLiveProfiles();
}

/** Which of `ids` `actor` may read now, according to MongoDB (the check of a search page). */
export async function visibleProfileIds(actor: Actor, ids: readonly string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const found = await repo.findSearchable(ids);
  return new Set(found.filter((p) => profileVisibleTo(actor, p)).map((p) => p.id));
}

/** How a person appears in a list another module shows (plans): masked, never a number. */
export interface ProfileDisplay {
  id: string;
  /** Masked (surname kept), for every role that may see the person at all. */
  name: string;
  sex: Sex;
  age: number;
  originCode: string;
  status: string;
}

/** A stored row as a list shows it: the name masked, the age on `now`. */
function toDisplay(r: repo.DisplayFields, now: Date): ProfileDisplay {
  return {
    id: r.id,
    name: maskName(r.name),
    sex: r.sex,
    age: ageOn(r.birthDate, now),
    originCode: r.originCode,
    status: r.status,
  };
}

/**
 * Display fields of `ids` whose origin lies under `region`, as far as `actor` may read them
 * (profiles outside the read scope, erased or gone are simply absent). One query over the region.
 */
export async function profileDisplays(
  deps: Pick<ProfileDeps, 'config'>,
  actor: Actor,
  region: string,
  ids: readonly string[],
): Promise<Map<string, ProfileDisplay>> {
  const wanted = new Set(ids);
  if (wanted.size === 0) return new Map();
  const rows = await repo.findDisplayFields(cryptoOf(deps), region, profileReadScope(actor), (id) =>
    wanted.has(id),
  );
  const now = new Date();
  return new Map(rows.map((r) => [r.id, toDisplay(r, now)]));
}

/**
 * The same for a few people named by id (a transfer batch's members): one query by id, so it costs
 * the same whatever the size of their county. Absent as above when `actor` may not read them.
 */
export async function profileDisplaysByIds(
  deps: Pick<ProfileDeps, 'config'>,
  actor: Actor,
  ids: readonly string[],
): Promise<Map<string, ProfileDisplay>> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return new Map();
  const rows = await repo.findDisplayFieldsByIds(cryptoOf(deps), unique, profileReadScope(actor));
  const now = new Date();
  return new Map(rows.map((r) => [r.id, toDisplay(r, now)]));
}
