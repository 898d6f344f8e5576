import mongoose, { Schema, Types } from 'mongoose';
import { regionPath } from '../../lib/auth/scope.js';
import { duplicateKeyWrites, trustedFilter, withinScope } from '../../lib/db/index.js';
import { AppError } from '../../lib/errors.js';
import { type Page, paginate } from '../../lib/http/pagination.js';
import type { DisabilityCategory, DisabilityLevel, Sex } from './identity.js';
import type { Guardian, ProfileContent, TrainingRecord, WorkerProfile } from './profile.js';
import { type ProfileCrypto, sealer } from './profile-crypto.js';
import type { ProfileStatus } from './status.js';
import type { SearchableProfile } from './worker-profiles.search.js';

/**
 * The `worker_profiles` collection. Name, ID number, certificate number and phone (and a
 * guardian's name and phone, and training certificate numbers) are stored only as AES-256-GCM
 * values bound to the record id and field path; `idHash` (HMAC of the ID number) is unique, so the
 * same person cannot be registered twice, even by two imports at once (a unique index).
 *
 * The model stays private: functions take and return plain domain objects, decrypted here and
 * nowhere else.
 */
export const PROFILE_COLLECTION = 'worker_profiles';

const skill = new Schema({ code: String, level: String }, { _id: false });
const experience = new Schema(
  {
    occupationGroup: String,
    skill: String,
    months: Number,
    endedYear: Number,
    employerName: String,
    description: String,
  },
  { _id: false },
);
const training = new Schema(
  {
    id: String,
    programmeCode: String,
    providerName: String,
    providerOrganizationId: String,
    startDate: String,
    endDate: String,
    hours: Number,
    certificateNumber: String,
    certificateLevel: String,
    addedByOrganizationId: String,
    addedByUserId: String,
    underPartnership: Boolean,
    source: String,
    addedAt: Date,
  },
  { _id: false },
);

const profileSchema = new Schema(
  {
    idHash: { type: String, required: true },
    identity: {
      name: String,
      idNumber: String,
      certificateNumber: String,
      phone: String,
    },
    sex: String,
    birthDate: String,
    originCode: String,
    regionPath: { type: [String], default: undefined },
    registeringFederationId: String,
    registeredBy: String,
    disabilityCategory: String,
    disabilityLevel: String,
    functionalLimitations: [String],
    assistiveDevices: [String],
    accommodationsNeeded: [String],
    skills: [skill],
    education: String,
    languages: [String],
    experience: [experience],
    preferences: {
      destinationCodes: [String],
      minimumWage: Number,
      jobTypes: [String],
      needsDormitory: Boolean,
      needsAccessibleDormitory: Boolean,
      willingToTravelWithGroup: Boolean,
    },
    guardian: { relation: String, name: String, phone: String },
    training: [training],
    status: { type: String, required: true },
    statusReason: String,
    statusChangedAt: Date,
    consent: { processing: Boolean, since: Date, changedAt: Date },
    source: { importId: String, row: Number },
    erased: { type: Boolean, required: true },
    erasedAt: Date,
    erasureReason: String,
    version: { type: Number, required: true },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  { collection: PROFILE_COLLECTION, versionKey: false, minimize: false },
);
profileSchema.index({ idHash: 1 }, { unique: true });
profileSchema.index({ regionPath: 1, updatedAt: -1 });
profileSchema.index({ updatedAt: -1 });
profileSchema.index({ 'skills.code': 1 });
// Candidate generation for matching: available, consented, by sex and birth date (working age).
profileSchema.index({ status: 1, 'consent.processing': 1, sex: 1, birthDate: 1 });
profileSchema.index({ 'source.importId': 1 });
// People of a jurisdiction still without a processing consent (the staff's to-do count).
profileSchema.index({ regionPath: 1, 'consent.processing': 1 });

const ProfileModel = mongoose.model('WorkerProfile', profileSchema);

/** What is stored: plain fields as they are, personal ones as `v1.<keyId>.…` strings. */
export interface StoredProfile {
  _id: Types.ObjectId;
  idHash: string;
  identity: { name: string; idNumber: string; certificateNumber: string; phone: string | null };
  sex: Sex;
  birthDate: string;
  originCode: string;
  regionPath: string[];
  registeringFederationId: string;
  registeredBy: string;
  disabilityCategory: DisabilityCategory;
  disabilityLevel: DisabilityLevel;
  functionalLimitations: string[];
  assistiveDevices: string[];
  accommodationsNeeded: string[];
  skills: { code: string; level: string }[];
  education: string | null;
  languages: string[];
  experience: WorkerProfile['experience'];
  preferences: WorkerProfile['preferences'];
  guardian: { relation: Guardian['relation']; name: string; phone: string | null } | null;
  training: (Omit<TrainingRecord, 'certificateNumber'> & { certificateNumber: string | null })[];
  status: ProfileStatus;
  statusReason: string | null;
  statusChangedAt: Date;
  consent: { processing: boolean; since: Date | null };
  source: { importId: string; row: number } | null;
  erased: boolean;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

// ---- encoding ----------------------------------------------------------------------------------

const trainingField = (t: { id: string }) => `training.${t.id}.certificateNumber`;

function sealTraining(crypto: ProfileCrypto, id: string, list: readonly TrainingRecord[]) {
  const { seal } = sealer(crypto, id);
  return list.map((t) => ({
    ...t,
    certificateNumber: t.certificateNumber ? seal(trainingField(t), t.certificateNumber) : null,
  }));
}

function sealGuardian(crypto: ProfileCrypto, id: string, g: Guardian | null) {
  if (!g) return null;
  const { seal } = sealer(crypto, id);
  return {
    relation: g.relation,
    name: seal('guardian.name', g.name),
    phone: g.phone ? seal('guardian.phone', g.phone) : null,
  };
}

/** `$set` of a profile's whole training list (certificate numbers encrypted). */
export function encodeTraining(crypto: ProfileCrypto, id: string, list: readonly TrainingRecord[]) {
  return { training: sealTraining(crypto, id, list) };
}

/** The stored fields of `content` (which may be partial), keyed by their dotted paths for `$set`. */
export function encodeContent(
  crypto: ProfileCrypto,
  id: string,
  content: Partial<ProfileContent>,
): Record<string, unknown> {
  const { seal } = sealer(crypto, id);
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(content)) {
    if (value === undefined) continue;
    if (key === 'identity') {
      const identity = value as Partial<WorkerProfile['identity']>;
      if (identity.name !== undefined) out['identity.name'] = seal('identity.name', identity.name);
      if (identity.idNumber !== undefined) {
        out['identity.idNumber'] = seal('identity.idNumber', identity.idNumber);
        out.idHash = crypto.hashId(identity.idNumber);
      }
      if (identity.certificateNumber !== undefined)
        out['identity.certificateNumber'] = seal('identity.certificateNumber', identity.certificateNumber);
      if (identity.phone !== undefined)
        out['identity.phone'] = identity.phone === null ? null : seal('identity.phone', identity.phone);
    } else if (key === 'guardian') out.guardian = sealGuardian(crypto, id, value as Guardian | null);
    else if (key === 'originCode') {
      out.originCode = value;
      out.regionPath = regionPath(value as string);
    } else out[key] = value;
  }
  return out;
}

/** A new profile's whole document. The id is generated before, because it enters the encryption. */
export function newProfileDocument(
  crypto: ProfileCrypto,
  id: Types.ObjectId,
  content: ProfileContent,
  meta: {
    registeringFederationId: string;
    registeredBy: string;
    consent: { processing: boolean; since: Date | null };
    training?: TrainingRecord[];
    source?: { importId: string; row: number } | null;
    now: Date;
  },
): StoredProfile {
  const hex = id.toHexString();
  const { seal } = sealer(crypto, hex);
  return {
    _id: id,
    idHash: crypto.hashId(content.identity.idNumber),
    identity: {
      name: seal('identity.name', content.identity.name),
      idNumber: seal('identity.idNumber', content.identity.idNumber),
      certificateNumber: seal('identity.certificateNumber', content.identity.certificateNumber),
      phone: content.identity.phone ? seal('identity.phone', content.identity.phone) : null,
    },
    sex: content.sex,
    birthDate: content.birthDate,
    originCode: content.originCode,
    regionPath: regionPath(content.originCode),
    registeringFederationId: meta.registeringFederationId,
    registeredBy: meta.registeredBy,
    disabilityCategory: content.disabilityCategory,
    disabilityLevel: content.disabilityLevel,
    functionalLimitations: content.functionalLimitations,
    assistiveDevices: content.assistiveDevices,
    accommodationsNeeded: content.accommodationsNeeded,
    skills: content.skills,
    education: content.education,
    languages: content.languages,
    experience: content.experience,
    preferences: content.preferences,
    guardian: sealGuardian(crypto, hex, content.guardian),
    training: sealTraining(crypto, hex, meta.training ?? []),
    status: 'available',
    statusReason: null,
    statusChangedAt: meta.now,
    consent: meta.consent,
    source: meta.source ?? null,
    erased: false,
    version: 1,
    createdAt: meta.now,
    updatedAt: meta.now,
  };
}

type Lean = Record<string, unknown> & { _id: Types.ObjectId };

/** Decrypts a stored document. Throws `FieldEncryptionError` when a value was altered or its key is gone. */
export function decodeProfile(crypto: ProfileCrypto, raw: Lean): WorkerProfile {
  const doc = raw as unknown as StoredProfile;
  const id = doc._id.toHexString();
  const { open } = sealer(crypto, id);
  const g = doc.guardian;
  return {
    id,
    version: doc.version,
    status: doc.status,
    statusReason: doc.statusReason ?? null,
    statusChangedAt: doc.statusChangedAt,
    identity: {
      name: open('identity.name', doc.identity.name),
      idNumber: open('identity.idNumber', doc.identity.idNumber),
      certificateNumber: open('identity.certificateNumber', doc.identity.certificateNumber),
      phone: doc.identity.phone ? open('identity.phone', doc.identity.phone) : null,
    },
    sex: doc.sex,
    birthDate: doc.birthDate,
    originCode: doc.originCode,
    regionPath: doc.regionPath,
    registeringFederationId: doc.registeringFederationId,
    registeredBy: doc.registeredBy,
    disabilityCategory: doc.disabilityCategory,
    disabilityLevel: doc.disabilityLevel,
    functionalLimitations: doc.functionalLimitations ?? [],
    assistiveDevices: doc.assistiveDevices ?? [],
    accommodationsNeeded: doc.accommodationsNeeded ?? [],
    skills: (doc.skills ?? []).map((s) => ({ code: s.code, level: s.level })),
    education: doc.education ?? null,
    languages: doc.languages ?? [],
    experience: (doc.experience ?? []).map(stripNulls),
    preferences: {
      destinationCodes: doc.preferences?.destinationCodes ?? [],
      minimumWage: doc.preferences?.minimumWage ?? null,
      jobTypes: doc.preferences?.jobTypes ?? [],
      needsDormitory: doc.preferences?.needsDormitory ?? false,
      needsAccessibleDormitory: doc.preferences?.needsAccessibleDormitory ?? false,
      willingToTravelWithGroup: doc.preferences?.willingToTravelWithGroup ?? null,
    },
    guardian: g?.name
      ? {
          relation: g.relation,
          name: open('guardian.name', g.name),
          phone: g.phone ? open('guardian.phone', g.phone) : null,
        }
      : null,
    training: (doc.training ?? []).map((t) => ({
      id: t.id,
      programmeCode: t.programmeCode,
      providerName: t.providerName ?? null,
      providerOrganizationId: t.providerOrganizationId ?? null,
      startDate: t.startDate ?? null,
      endDate: t.endDate ?? null,
      hours: t.hours ?? null,
      certificateNumber: t.certificateNumber ? open(trainingField(t), t.certificateNumber) : null,
      certificateLevel: t.certificateLevel ?? null,
      addedByOrganizationId: t.addedByOrganizationId,
      addedByUserId: t.addedByUserId,
      underPartnership: !!t.underPartnership,
      source: t.source ?? 'api',
      addedAt: t.addedAt,
    })),
    consent: { processing: !!doc.consent?.processing, since: doc.consent?.since ?? null },
    source: doc.source?.importId ? { importId: doc.source.importId, row: doc.source.row } : null,
    createdAt: doc.createdAt,
    updatedAt: doc.updatedAt,
  };
}

function stripNulls<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== null && v !== undefined)) as T;
}

// ---- reads -------------------------------------------------------------------------------------

const LIVE = { erased: false };

function oid(id: string): Types.ObjectId | null {
  return Types.ObjectId.isValid(id) && /^[0-9a-f]{24}$/.test(id) ? new Types.ObjectId(id) : null;
}

export async function findProfile(
  crypto: ProfileCrypto,
  id: string,
  scope: Record<string, unknown>,
): Promise<WorkerProfile | null> {
  const _id = oid(id);
  if (!_id) return null;
  const doc = await ProfileModel.findOne(withinScope({ _id, ...LIVE }, scope)).lean<Lean>();
  return doc ? decodeProfile(crypto, doc) : null;
}

/** The current version of a live profile (no decryption): for ETag checks. */
export async function findProfileVersion(id: string): Promise<number | null> {
  const _id = oid(id);
  if (!_id) return null;
  const doc = await ProfileModel.findOne({ _id, ...LIVE }, { version: 1 }).lean<{ version: number }>();
  return doc?.version ?? null;
}

/** Where the holder of an ID hash is registered (live profiles only), without decrypting anything. */
export async function findByIdHash(
  idHash: string,
): Promise<{ id: string; regionPath: string[]; version: number } | null> {
  const doc = await ProfileModel.findOne({ idHash, ...LIVE }, { regionPath: 1, version: 1 }).lean<Lean>();
  return doc
    ? { id: doc._id.toHexString(), regionPath: doc.regionPath as string[], version: doc.version as number }
    : null;
}

/**
 * Live stored documents in `scope` whose ID hash passes `keep`, by hash, read in one pass (imports
 * compare rows with them without a query per row).
 */
export async function findStoredInScope(
  scope: Record<string, unknown>,
  keep: (idHash: string) => boolean,
): Promise<Map<string, Lean>> {
  const found = new Map<string, Lean>();
  const cursor = ProfileModel.find(withinScope({ ...LIVE }, scope))
    .lean<Lean>()
    .cursor({ batchSize: 1000 });
  for await (const doc of cursor) {
    const hash = (doc as Lean).idHash as string;
    if (keep(hash)) found.set(hash, doc as Lean);
  }
  return found;
}

export interface ProfileListFilter {
  status?: ProfileStatus;
  region?: string;
  skill?: string;
  updatedSince?: Date;
  /** `missing`: no active processing consent (matching skips them until one is recorded). */
  consent?: 'missing';
}

function listFilter(f: ProfileListFilter): Record<string, unknown> {
  const filter: Record<string, unknown> = { ...LIVE };
  if (f.status) filter.status = f.status;
  if (f.region) filter.regionPath = f.region;
  if (f.skill) filter['skills.code'] = f.skill;
  if (f.updatedSince) filter.updatedAt = { $gte: f.updatedSince };
  if (f.consent === 'missing') {
    filter['consent.processing'] = { $ne: true };
    // Someone set inactive needs no consent recorded, unless asked for by status.
    if (!f.status) filter.status = { $ne: 'inactive' };
  }
  return filter;
}

export async function listProfiles(
  crypto: ProfileCrypto,
  f: ProfileListFilter,
  scope: Record<string, unknown>,
  page: { sort: string; cursor?: string; limit: number },
): Promise<Page<WorkerProfile>> {
  return paginate(ProfileModel, withinScope(listFilter(f), scope), page, (doc) =>
    decodeProfile(crypto, doc as Lean),
  );
}

/** How many people the list filtered by `consent: 'missing'` holds in `scope`. */
export async function countWithoutProcessingConsent(scope: Record<string, unknown>): Promise<number> {
  return ProfileModel.countDocuments(withinScope(listFilter({ consent: 'missing' }), scope));
}

/** Every profile of a filter in scope, one at a time (exports): memory stays flat. */
export async function* streamProfiles(
  crypto: ProfileCrypto,
  f: ProfileListFilter,
  scope: Record<string, unknown>,
): AsyncGenerator<WorkerProfile> {
  const cursor = ProfileModel.find(withinScope(listFilter(f), scope))
    .sort({ regionPath: 1, _id: 1 })
    .lean<Lean>()
    .cursor({ batchSize: 500 });
  for await (const doc of cursor) yield decodeProfile(crypto, doc as Lean);
}

/** Raw documents (no decryption) for matching: identity fields are never read there. */
export async function findForMatching(
  filter: Record<string, unknown>,
  limit: number,
): Promise<Omit<StoredProfile, 'identity' | 'guardian' | 'idHash'>[]> {
  return ProfileModel.find(trustedFilter({ ...filter, ...LIVE }), {
    identity: 0,
    guardian: 0,
    idHash: 0,
  })
    .sort({ _id: 1 })
    .limit(limit)
    .lean<Omit<StoredProfile, 'identity' | 'guardian' | 'idHash'>[]>();
}

/**
 * Every live profile of `filter` for matching, from one cursor (no identity fields): the worker's
 * snapshot is loaded this way at start, in one pass over the `{ status, consent.processing, … }`
 * index (keyset pages in `_id` order would need an index ending in `_id` for each filter).
 */
export async function* streamForMatching(
  filter: Record<string, unknown>,
  batchSize = 1_000,
): AsyncGenerator<Omit<StoredProfile, 'identity' | 'guardian' | 'idHash'>> {
  const cursor = ProfileModel.find(trustedFilter({ ...filter, ...LIVE }), {
    identity: 0,
    guardian: 0,
    idHash: 0,
  })
    .lean<Omit<StoredProfile, 'identity' | 'guardian' | 'idHash'>>()
    .cursor({ batchSize });
  for await (const doc of cursor) yield doc as Omit<StoredProfile, 'identity' | 'guardian' | 'idHash'>;
}

/** `{id, version}` of every profile (erased remains included) changed at or after `since`. */
export async function profileVersionsSince(since: Date): Promise<{ id: string; version: number }[]> {
  const docs = await ProfileModel.find(trustedFilter({ updatedAt: { $gte: since } }), { version: 1 }).lean<
    { _id: Types.ObjectId; version: number }[]
  >();
  return docs.map((d) => ({ id: d._id.toHexString(), version: d.version }));
}

// ---- search projection (no identity is ever read) ---------------------------------------------

/** What the search projection reads: codes only; identity, guardian, birth date, sex and free text stay in MongoDB. */
const SEARCH_FIELDS = {
  version: 1,
  status: 1,
  originCode: 1,
  regionPath: 1,
  registeringFederationId: 1,
  disabilityCategory: 1,
  disabilityLevel: 1,
  functionalLimitations: 1,
  accommodationsNeeded: 1,
  skills: 1,
  training: 1,
  preferences: 1,
  erased: 1,
  updatedAt: 1,
} as const;

function toSearchable(doc: Lean): SearchableProfile {
  const d = doc as unknown as Omit<StoredProfile, 'identity' | 'guardian' | 'idHash'> & {
    erased?: boolean;
  };
  return {
    id: d._id.toHexString(),
    version: d.version,
    status: d.status,
    originCode: d.originCode,
    regionPath: d.regionPath ?? [],
    registeringFederationId: d.registeringFederationId,
    disabilityCategory: d.disabilityCategory,
    disabilityLevel: d.disabilityLevel,
    functionalLimitations: d.functionalLimitations ?? [],
    accommodationsNeeded: d.accommodationsNeeded ?? [],
    skills: (d.skills ?? []).map((s) => ({ code: s.code, level: s.level })),
    training: (d.training ?? []).map((t) => ({ programmeCode: t.programmeCode })),
    preferences: {
      destinationCodes: d.preferences?.destinationCodes ?? [],
      needsAccessibleDormitory: !!d.preferences?.needsAccessibleDormitory,
      minimumWage: d.preferences?.minimumWage ?? null,
    },
    erased: !!d.erased,
    updatedAt: d.updatedAt,
  };
}

/**
 * Profiles (erased remains included: the index must drop them) changed at or after `since` (all
 * when undefined), in `_id` order, `batchSize` at a time, from one cursor: one query however many
 * batches (keyset pages would each be a new query, and each a scan on the local server).
 */
export async function* streamSearchable(
  since: Date | undefined,
  batchSize: number,
): AsyncGenerator<SearchableProfile[]> {
  const filter = since ? trustedFilter({ updatedAt: { $gte: since } }) : {};
  const cursor = ProfileModel.find(filter, SEARCH_FIELDS).sort({ _id: 1 }).lean<Lean>().cursor({ batchSize });
  let batch: SearchableProfile[] = [];
  try {
    for await (const doc of cursor) {
      batch.push(toSearchable(doc as Lean));
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

/**
 * Profiles by id as the search projection reads them (erased remains included), in `_id` order,
 * from one `_id: {$in: …}` query; missing ids are left out.
 */
export async function findSearchable(ids: readonly string[]): Promise<SearchableProfile[]> {
  const _ids = [...new Set(ids)].map(oid).filter((id): id is Types.ObjectId => id !== null);
  if (_ids.length === 0) return [];
  const docs = await ProfileModel.find(trustedFilter({ _id: { $in: _ids } }), SEARCH_FIELDS)
    .sort({ _id: 1 })
    .lean<Lean[]>();
  return docs.map(toSearchable);
}

/** Live (not erased) profiles: what the search index should hold. */
export async function countLiveProfiles(): Promise<number> {
  return ProfileModel.countDocuments(LIVE);
}

// ---- writes ------------------------------------------------------------------------------------

/** For the service, which turns a refused ID hash into its own answer. */
export { isDuplicateKey } from '../../lib/db/index.js';

/** Inserts one new profile; throws a duplicate-key error (11000) when the ID hash exists. */
export async function insertProfile(doc: StoredProfile): Promise<void> {
  await ProfileModel.collection.insertOne(doc as unknown as Record<string, unknown>);
}

/**
 * Inserts many new profiles in one round trip (imports). Returns the indexes refused because the
 * ID hash exists already (someone registered the person meanwhile); the others are stored.
 */
export async function insertProfiles(docs: readonly StoredProfile[]): Promise<{ duplicates: Set<number> }> {
  const duplicates = new Set<number>();
  if (docs.length === 0) return { duplicates };
  try {
    await ProfileModel.collection.insertMany(docs as unknown as Record<string, unknown>[], {
      ordered: false,
    });
  } catch (err) {
    const refused = duplicateKeyWrites(err);
    if (!refused) throw err;
    for (const w of refused) duplicates.add(w.index);
  }
  return { duplicates };
}

export interface Mutation {
  $set: Record<string, unknown>;
  $unset?: string[];
}

export interface Mutated {
  before: WorkerProfile;
  after: WorkerProfile;
}

/**
 * Applies a change computed from the current document, exactly once per version (the update is
 * conditional on the version read). With `expectedVersion` (If-Match) a stale read is a 412 at once; without it
 * the change is recomputed on the fresh document, up to a few times, when another writer won.
 * `build` returns null when there is nothing to change, or throws to refuse the change.
 */
export async function mutateProfile(
  crypto: ProfileCrypto,
  id: string,
  scope: Record<string, unknown>,
  build: (current: WorkerProfile) => Mutation | null | Promise<Mutation | null>,
  options: { expectedVersion?: number; now?: () => Date; attempts?: number } = {},
): Promise<Mutated | null> {
  const attempts = options.attempts ?? 8;
  const { expectedVersion } = options;
  for (let attempt = 0; attempt < attempts; attempt++) {
    const current = await findProfile(crypto, id, scope);
    if (!current) return null;
    if (expectedVersion !== undefined && current.version !== expectedVersion)
      throw new AppError('precondition_failed', { extra: { currentVersion: current.version } });
    const change = await build(current);
    if (!change) return { before: current, after: current };
    const { version } = current;
    const doc = await ProfileModel.findOneAndUpdate(
      withinScope({ _id: new Types.ObjectId(id), version, ...LIVE }, scope),
      {
        $set: { ...change.$set, updatedAt: options.now?.() ?? new Date() },
        ...(change.$unset?.length ? { $unset: Object.fromEntries(change.$unset.map((k) => [k, 1])) } : {}),
        $inc: { version: 1 },
      },
      { returnDocument: 'after' },
    ).lean<Lean>();
    if (doc) return { before: current, after: decodeProfile(crypto, doc) };
    if (expectedVersion !== undefined) {
      const fresh = await findProfileVersion(id);
      if (fresh === null) return null;
      throw new AppError('precondition_failed', { extra: { currentVersion: fresh } });
    }
  }
  throw new AppError('conflict', {
    detail: '记录正被频繁修改，请稍后重试',
    detailEn: 'The record is being changed by others; try again shortly',
  });
}

/**
 * Replaces a profile with its anonymous remains (erasure), exactly once per version. Returns the
 * version written, or null when the profile is gone or changed meanwhile.
 */
export async function replaceWithRemains(
  id: string,
  version: number,
  scope: Record<string, unknown>,
  remains: Record<string, unknown>,
): Promise<number | null> {
  const filter = withinScope({ _id: new Types.ObjectId(id), version, ...LIVE }, scope);
  // replaceOne keeps nothing of the old document but what `remains` holds.
  const res = await ProfileModel.collection.replaceOne(filter, { ...remains, version: version + 1 });
  return res.matchedCount === 1 ? version + 1 : null;
}

/** For `rotate-key`: the raw collection (the script re-encrypts values in place). */
export function profileCollection() {
  return ProfileModel.collection;
}

export interface DisplayFields {
  id: string;
  name: string;
  sex: Sex;
  birthDate: string;
  originCode: string;
  status: string;
}

const DISPLAY_PROJECTION = { 'identity.name': 1, sex: 1, birthDate: 1, originCode: 1, status: 1 };

/** Reads display fields from `filter`'s live profiles within `scope`, decrypting only the names kept. */
async function displayRows(
  crypto: ProfileCrypto,
  filter: Record<string, unknown>,
  scope: Record<string, unknown>,
  keep: (id: string) => boolean,
): Promise<DisplayFields[]> {
  const out: DisplayFields[] = [];
  const cursor = ProfileModel.find(withinScope({ ...filter, ...LIVE }, scope), DISPLAY_PROJECTION)
    .lean<Lean>()
    .cursor({ batchSize: 1000 });
  for await (const raw of cursor) {
    const doc = raw as unknown as StoredProfile;
    const id = doc._id.toHexString();
    if (!keep(id)) continue;
    out.push({
      id,
      name: sealer(crypto, id).open('identity.name', doc.identity.name),
      sex: doc.sex,
      birthDate: doc.birthDate,
      originCode: doc.originCode,
      status: doc.status,
    });
  }
  return out;
}

/**
 * What a list of people shows about each (plans): the name decrypted for masking and nothing else
 * of the identity. Live profiles within `scope` and under `region` (any level), in one query.
 */
export function findDisplayFields(
  crypto: ProfileCrypto,
  region: string,
  scope: Record<string, unknown>,
  keep: (id: string) => boolean,
): Promise<DisplayFields[]> {
  return displayRows(crypto, { regionPath: region }, scope, keep);
}

/** The same for a few named people (a transfer batch's members), by id. */
export function findDisplayFieldsByIds(
  crypto: ProfileCrypto,
  ids: readonly string[],
  scope: Record<string, unknown>,
): Promise<DisplayFields[]> {
  const valid = ids.flatMap((id) => oid(id) ?? []);
  if (!valid.length) return Promise.resolve([]);
  return displayRows(crypto, { _id: { $in: valid } }, scope, () => true);
}
