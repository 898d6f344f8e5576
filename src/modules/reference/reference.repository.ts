import mongoose, { Schema } from 'mongoose';
import type { MitigationEntry, ReferenceSeed, RegionEntry, VocabularyEntry } from './reference.seed.js';

const regionSchema = new Schema(
  {
    _id: { type: String, required: true },
    level: { type: String, required: true },
    parentCode: { type: String, default: null },
    zh: { type: String, required: true },
    pinyin: String,
    initials: String,
  },
  { collection: 'regions', versionKey: false },
);
regionSchema.index({ parentCode: 1 });

const vocabularySchema = new Schema(
  {
    _id: String,
    kind: { type: String, required: true },
    code: { type: String, required: true },
    zh: { type: String, required: true },
    en: { type: String, required: true },
    synonyms: { type: [String], default: [] },
    pinyin: String,
    initials: String,
    attributes: { type: Schema.Types.Mixed, default: {} },
    order: { type: Number, default: 0 },
  },
  { collection: 'vocabularies', versionKey: false, minimize: false },
);
vocabularySchema.index({ kind: 1, code: 1 }, { unique: true });

const mitigationSchema = new Schema(
  {
    _id: String,
    limitation: { type: String, required: true },
    demand: { type: String, required: true },
    // Alternative sets of accommodation codes, any one of which mitigates: [[codes], [codes]].
    // (Stored as [{ all: [codes] }] while the local server was FerretDB v1, which refused nested
    // arrays; migrateMitigationShape converts such documents.)
    anyOf: { type: [[String]], default: [] },
  },
  { collection: 'mitigations', versionKey: false },
);

const partnershipSchema = new Schema(
  {
    seedKey: { type: String },
    supportingCode: { type: String, required: true },
    receivingCode: { type: String, required: true },
    from: { type: Date, required: true },
    to: { type: Date, default: null },
    note: { type: String },
    version: { type: Number, required: true, default: 1 },
    updatedBy: { type: String },
  },
  { collection: 'partnerships', versionKey: false, timestamps: true },
);
partnershipSchema.index({ supportingCode: 1, receivingCode: 1, from: 1 }, { unique: true });
partnershipSchema.index({ receivingCode: 1 });

const seedStateSchema = new Schema(
  { _id: String, version: String, appliedAt: Date },
  { collection: 'reference_seed', versionKey: false },
);

const Region = mongoose.model('Region', regionSchema);
const Vocabulary = mongoose.model('Vocabulary', vocabularySchema);
const Mitigation = mongoose.model('Mitigation', mitigationSchema);
const Partnership = mongoose.model('Partnership', partnershipSchema);
const SeedState = mongoose.model('ReferenceSeedState', seedStateSchema);

export interface PartnershipRecord {
  id: string;
  supportingCode: string;
  receivingCode: string;
  from: string;
  to: string | null;
  note?: string;
  version: number;
  updatedAt?: string;
}

const day = (d: Date | null | undefined) => (d ? d.toISOString().slice(0, 10) : null);

function toPartnership(doc: Record<string, unknown>): PartnershipRecord {
  return {
    id: String(doc._id),
    supportingCode: doc.supportingCode as string,
    receivingCode: doc.receivingCode as string,
    from: day(doc.from as Date) as string,
    to: day(doc.to as Date | null),
    ...(doc.note ? { note: doc.note as string } : {}),
    version: doc.version as number,
    ...(doc.updatedAt ? { updatedAt: (doc.updatedAt as Date).toISOString() } : {}),
  };
}

export async function seedVersion(): Promise<string | undefined> {
  const state = await SeedState.findById('reference').lean();
  return state?.version ?? undefined;
}

/**
 * Upserts every seed entry. Re-running with the same seed changes nothing; partnerships are only
 * inserted when missing, so periods that admins edited survive a re-seed.
 */
export async function applySeed(seed: ReferenceSeed): Promise<void> {
  await Region.bulkWrite(
    seed.regions.map((r) => ({
      updateOne: {
        filter: { _id: r.code },
        update: {
          $set: {
            level: r.level,
            parentCode: r.parentCode,
            zh: r.zh,
            pinyin: r.pinyin,
            initials: r.initials,
          },
        },
        upsert: true,
      },
    })),
    { ordered: false },
  );
  await Vocabulary.bulkWrite(
    seed.vocabularies.map((v) => ({
      updateOne: {
        filter: { _id: `${v.kind}.${v.code}` },
        update: {
          $set: {
            kind: v.kind,
            code: v.code,
            zh: v.zh,
            en: v.en,
            synonyms: v.synonyms,
            pinyin: v.pinyin,
            initials: v.initials,
            attributes: v.attributes,
            order: v.order,
          },
        },
        upsert: true,
      },
    })),
    { ordered: false },
  );
  await Mitigation.bulkWrite(
    seed.mitigations.map((m) => ({
      updateOne: {
        filter: { _id: `${m.limitation}.${m.demand}` },
        update: {
          $set: { limitation: m.limitation, demand: m.demand, anyOf: m.anyOf },
        },
        upsert: true,
      },
    })),
    { ordered: false },
  );
  for (const p of seed.partnerships) {
    await Partnership.updateOne(
      { seedKey: p.key },
      {
        $setOnInsert: {
          supportingCode: p.supportingCode,
          receivingCode: p.receivingCode,
          from: new Date(`${p.from}T00:00:00Z`),
          to: p.to ? new Date(`${p.to}T00:00:00Z`) : null,
          version: 1,
        },
      },
      { upsert: true },
    );
  }
  await SeedState.updateOne(
    { _id: 'reference' },
    { $set: { version: seed.version, appliedAt: new Date() } },
    { upsert: true },
  );
}

export async function loadRegions(): Promise<RegionEntry[]> {
  const docs = await Region.find().sort({ _id: 1 }).lean();
  return docs.map((d) => ({
    code: String(d._id),
    level: d.level as RegionEntry['level'],
    parentCode: d.parentCode ?? null,
    zh: d.zh,
    pinyin: d.pinyin ?? '',
    initials: d.initials ?? '',
  }));
}

export async function loadVocabularies(): Promise<VocabularyEntry[]> {
  const docs = await Vocabulary.find().sort({ kind: 1, order: 1 }).lean();
  return docs.map((d) => ({
    kind: d.kind as VocabularyEntry['kind'],
    code: d.code,
    zh: d.zh,
    en: d.en,
    synonyms: d.synonyms ?? [],
    pinyin: d.pinyin ?? '',
    initials: d.initials ?? '',
    attributes: (d.attributes as Record<string, unknown>) ?? {},
    order: d.order ?? 0,
  }));
}

export async function loadMitigations(): Promise<MitigationEntry[]> {
  const docs = await Mitigation.find().sort({ _id: 1 }).lean();
  return docs.map((d) => ({
    limitation: d.limitation,
    demand: d.demand,
    anyOf: toAlternativeSets(d.anyOf),
  }));
}

/**
 * The alternative sets of a stored `anyOf` as plain arrays of codes. A set in the former wrapped
 * shape `{ all: [codes] }` reads the same (a process may load the table before the API has
 * migrated it at start).
 */
function toAlternativeSets(anyOf: unknown): string[][] {
  if (!Array.isArray(anyOf)) return [];
  return anyOf.map((set: unknown) =>
    Array.isArray(set) ? [...(set as string[])] : [...((set as { all?: string[] } | null)?.all ?? [])],
  );
}

/** Whether a stored `anyOf` holds any alternative set in the former wrapped shape. */
function hasWrappedSet(anyOf: unknown): boolean {
  return Array.isArray(anyOf) && anyOf.some((set) => !Array.isArray(set));
}

/**
 * Converts mitigations stored as `anyOf: [{ all: [codes] }]` (the FerretDB-era shape) to plain
 * nested arrays `[[codes]]`. Idempotent: documents already in the new shape are left alone, so a
 * second run changes nothing. Each document is updated on its own, conditionally on still holding
 * exactly the `anyOf` that was read (no transaction: a concurrent writer, e.g. a seed, wins and its
 * value — already the new shape — stays). Returns how many documents were converted.
 */
export async function migrateMitigationShape(): Promise<number> {
  // The raw collection, not the model: the model would cast the old value in the filter. The
  // table is small (tens of documents), so all are read and the old shape is recognised here.
  const collection = Mitigation.collection;
  const docs = await collection.find({}, { projection: { anyOf: 1 } }).toArray();
  let converted = 0;
  for (const doc of docs) {
    if (!hasWrappedSet(doc.anyOf)) continue;
    const res = await collection.updateOne(
      { _id: doc._id, anyOf: doc.anyOf },
      { $set: { anyOf: toAlternativeSets(doc.anyOf) } },
    );
    converted += res.modifiedCount;
  }
  return converted;
}

export async function findPartnerships(): Promise<PartnershipRecord[]> {
  const docs = await Partnership.find().sort({ supportingCode: 1, receivingCode: 1 }).lean();
  return docs.map((d) => toPartnership(d as unknown as Record<string, unknown>));
}

export async function findPartnership(id: string): Promise<PartnershipRecord | null> {
  if (!mongoose.isValidObjectId(id)) return null;
  const doc = await Partnership.findById(id).lean();
  return doc ? toPartnership(doc as unknown as Record<string, unknown>) : null;
}

export interface PartnershipWrite {
  supportingCode: string;
  receivingCode: string;
  from: string;
  to: string | null;
  note?: string;
}

function toDates(p: Partial<PartnershipWrite>) {
  return {
    ...(p.supportingCode !== undefined ? { supportingCode: p.supportingCode } : {}),
    ...(p.receivingCode !== undefined ? { receivingCode: p.receivingCode } : {}),
    ...(p.from !== undefined ? { from: new Date(`${p.from}T00:00:00Z`) } : {}),
    ...(p.to !== undefined ? { to: p.to ? new Date(`${p.to}T00:00:00Z`) : null } : {}),
    ...(p.note !== undefined ? { note: p.note } : {}),
  };
}

export async function insertPartnership(p: PartnershipWrite, userId?: string): Promise<PartnershipRecord> {
  const doc = await Partnership.create({ ...toDates(p), version: 1, updatedBy: userId });
  return toPartnership(doc.toObject() as unknown as Record<string, unknown>);
}

/** Conditional on the version the caller read: zero matched means someone else changed it. */
export async function updatePartnership(
  id: string,
  expectedVersion: number,
  p: Partial<PartnershipWrite>,
  userId?: string,
): Promise<PartnershipRecord | null> {
  const doc = await Partnership.findOneAndUpdate(
    { _id: id, version: expectedVersion },
    { $set: { ...toDates(p), updatedBy: userId }, $inc: { version: 1 } },
    { returnDocument: 'after' },
  ).lean();
  return doc ? toPartnership(doc as unknown as Record<string, unknown>) : null;
}

export async function deletePartnership(id: string): Promise<boolean> {
  const res = await Partnership.deleteOne({ _id: id });
  return res.deletedCount === 1;
}
