import mongoose, { Schema, Types } from 'mongoose';
import { trustedFilter } from '../../lib/db/index.js';
import type {
  CONSENT_CHANNELS,
  CONSENT_GIVERS,
  ConsentPurpose,
  REPRESENTATIVE_RELATIONS,
  SHARED_DATA_CATEGORIES,
  WITHDRAWAL_REASONS,
} from './consents.schemas.js';
import { type ProfileCrypto, sealer } from './profile-crypto.js';

/**
 * The `consents` collection: one record per consent given, never overwritten except to note its
 * withdrawal (and, on erasure, to drop the representative's name). A representative's name is
 * personal data: encrypted like the profile's identity, bound to the consent's id.
 */
const consentSchema = new Schema(
  {
    profileId: { type: String, required: true },
    purpose: { type: String, required: true },
    employerId: String,
    openingId: String,
    dataCategories: [String],
    textVersion: String,
    channel: String,
    givenAt: Date,
    givenBy: String,
    representative: { relation: String, name: String },
    assistedByStaff: Boolean,
    recordedBy: String,
    recordedByOrganizationId: String,
    recordedAt: Date,
    withdrawnAt: Date,
    withdrawalReason: String,
    withdrawalChannel: String,
    withdrawnBy: String,
    erased: Boolean,
  },
  { collection: 'consents', versionKey: false },
);
consentSchema.index({ profileId: 1, purpose: 1, recordedAt: -1 });
consentSchema.index({ profileId: 1, employerId: 1, openingId: 1 });

const ConsentModel = mongoose.model('Consent', consentSchema);

export interface Consent {
  id: string;
  profileId: string;
  purpose: ConsentPurpose;
  employerId: string | null;
  openingId: string | null;
  dataCategories: (typeof SHARED_DATA_CATEGORIES)[number][];
  textVersion: string;
  channel: (typeof CONSENT_CHANNELS)[number];
  givenAt: Date;
  givenBy: (typeof CONSENT_GIVERS)[number];
  representative: { relation: (typeof REPRESENTATIVE_RELATIONS)[number]; name: string } | null;
  assistedByStaff: boolean;
  recordedBy: string;
  recordedByOrganizationId: string;
  recordedAt: Date;
  withdrawnAt: Date | null;
  withdrawalReason: (typeof WITHDRAWAL_REASONS)[number] | null;
}

export type NewConsent = Omit<Consent, 'id' | 'withdrawnAt' | 'withdrawalReason'>;

type Lean = Record<string, unknown> & { _id: Types.ObjectId };

function decode(crypto: ProfileCrypto, doc: Lean): Consent {
  const id = doc._id.toHexString();
  const rep = doc.representative as { relation: string; name?: string } | null | undefined;
  return {
    id,
    profileId: doc.profileId as string,
    purpose: doc.purpose as ConsentPurpose,
    employerId: (doc.employerId as string) ?? null,
    openingId: (doc.openingId as string) ?? null,
    dataCategories: (doc.dataCategories as Consent['dataCategories']) ?? [],
    textVersion: doc.textVersion as string,
    channel: doc.channel as Consent['channel'],
    givenAt: doc.givenAt as Date,
    givenBy: doc.givenBy as Consent['givenBy'],
    representative: rep?.name
      ? {
          relation: rep.relation as NonNullable<Consent['representative']>['relation'],
          name: sealer(crypto, id).open('representative.name', rep.name),
        }
      : null,
    assistedByStaff: !!doc.assistedByStaff,
    recordedBy: doc.recordedBy as string,
    recordedByOrganizationId: doc.recordedByOrganizationId as string,
    recordedAt: doc.recordedAt as Date,
    withdrawnAt: (doc.withdrawnAt as Date) ?? null,
    withdrawalReason: (doc.withdrawalReason as Consent['withdrawalReason']) ?? null,
  };
}

export async function insertConsent(crypto: ProfileCrypto, c: NewConsent): Promise<Consent> {
  const _id = new Types.ObjectId();
  const id = _id.toHexString();
  const doc = {
    _id,
    ...c,
    representative: c.representative
      ? {
          relation: c.representative.relation,
          name: sealer(crypto, id).seal('representative.name', c.representative.name),
        }
      : null,
    withdrawnAt: null,
    withdrawalReason: null,
    erased: false,
  };
  await ConsentModel.collection.insertOne(doc);
  return decode(crypto, doc as unknown as Lean);
}

/** Many new consents in one round trip (imports). */
export async function insertConsents(crypto: ProfileCrypto, list: readonly NewConsent[]): Promise<Consent[]> {
  if (list.length === 0) return [];
  const docs = list.map((c) => {
    const _id = new Types.ObjectId();
    const id = _id.toHexString();
    return {
      _id,
      ...c,
      representative: c.representative
        ? {
            relation: c.representative.relation,
            name: sealer(crypto, id).seal('representative.name', c.representative.name),
          }
        : null,
      withdrawnAt: null,
      withdrawalReason: null,
      erased: false,
    };
  });
  await ConsentModel.collection.insertMany(docs as unknown as Record<string, unknown>[]);
  return docs.map((d) => decode(crypto, d as unknown as Lean));
}

export async function deleteConsents(ids: readonly string[]): Promise<void> {
  if (ids.length)
    await ConsentModel.deleteMany(trustedFilter({ _id: { $in: ids.map((i) => new Types.ObjectId(i)) } }));
}

export async function deleteConsent(id: string): Promise<void> {
  await ConsentModel.deleteOne({ _id: new Types.ObjectId(id) });
}

export async function findConsent(
  crypto: ProfileCrypto,
  profileId: string,
  id: string,
): Promise<Consent | null> {
  const doc = await ConsentModel.findOne({ _id: new Types.ObjectId(id), profileId }).lean<Lean>();
  return doc ? decode(crypto, doc) : null;
}

export async function listConsents(crypto: ProfileCrypto, profileId: string): Promise<Consent[]> {
  const docs = await ConsentModel.find({ profileId }).sort({ recordedAt: -1, _id: -1 }).lean<Lean[]>();
  return docs.map((d) => decode(crypto, d));
}

const ACTIVE = { withdrawnAt: null };

export async function hasActiveProcessingConsent(profileId: string): Promise<boolean> {
  return !!(await ConsentModel.exists({ profileId, purpose: 'sensitive_processing', ...ACTIVE }));
}

/** Of `profileIds`, those with an active consent to process sensitive data. */
export async function profilesWithProcessingConsent(profileIds: readonly string[]): Promise<Set<string>> {
  if (profileIds.length === 0) return new Set();
  const docs = await ConsentModel.find(
    trustedFilter({ profileId: { $in: [...profileIds] }, purpose: 'sensitive_processing', ...ACTIVE }),
    { profileId: 1 },
  ).lean<{ profileId: string }[]>();
  return new Set(docs.map((d) => d.profileId));
}

/** Every profile with an active processing consent, in one read (loading a matching snapshot). */
export async function allProfilesWithProcessingConsent(): Promise<Set<string>> {
  const docs = await ConsentModel.find(trustedFilter({ purpose: 'sensitive_processing', ...ACTIVE }), {
    profileId: 1,
    _id: 0,
  }).lean<{ profileId: string }[]>();
  return new Set(docs.map((d) => d.profileId));
}

export async function findActiveShareConsent(
  crypto: ProfileCrypto,
  profileId: string,
  employerId: string,
  openingId: string,
): Promise<Consent | null> {
  const doc = await ConsentModel.findOne({
    profileId,
    purpose: 'share_with_employer',
    employerId,
    openingId,
    ...ACTIVE,
  }).lean<Lean>();
  return doc ? decode(crypto, doc) : null;
}

export async function hasActiveShareConsent(
  profileId: string,
  employerId: string,
  openingId: string,
): Promise<boolean> {
  return !!(await ConsentModel.exists({
    profileId,
    purpose: 'share_with_employer',
    employerId,
    openingId,
    ...ACTIVE,
  }));
}

/** Marks active consents withdrawn; returns how many were. */
export async function withdrawConsents(
  filter: { profileId: string; purpose?: ConsentPurpose; id?: string },
  w: { at: Date; reason: string; channel: string; by: string },
): Promise<number> {
  const q: Record<string, unknown> = { profileId: filter.profileId, ...ACTIVE };
  if (filter.purpose) q.purpose = filter.purpose;
  if (filter.id) q._id = new Types.ObjectId(filter.id);
  const res = await ConsentModel.updateMany(q, {
    $set: { withdrawnAt: w.at, withdrawalReason: w.reason, withdrawalChannel: w.channel, withdrawnBy: w.by },
  });
  return res.modifiedCount;
}

/**
 * Erasure: the consent records stay as evidence that processing was lawful (purpose, text version,
 * dates, channel), without the representative's name; any still active is withdrawn.
 */
export async function eraseConsentsOf(profileId: string, at: Date): Promise<void> {
  await ConsentModel.updateMany(
    { profileId, ...ACTIVE },
    { $set: { withdrawnAt: at, withdrawalReason: 'purpose_ended' } },
  );
  await ConsentModel.updateMany({ profileId }, { $set: { erased: true }, $unset: { representative: 1 } });
}

export function consentCollection() {
  return ConsentModel.collection;
}
