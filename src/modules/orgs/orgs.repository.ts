import mongoose, { Schema, Types } from 'mongoose';
import type { OrgType } from '../../lib/auth/actor.js';
import { ORG_TYPES } from '../../lib/auth/actor.js';
import { regionPath } from '../../lib/auth/scope.js';
import { isDuplicateKey, trustedFilter, withinScope } from '../../lib/db/index.js';
import { AppError } from '../../lib/errors.js';
import { organizationKey } from './org-rules.js';

const organizationSchema = new Schema(
  {
    type: { type: String, required: true, enum: ORG_TYPES },
    /** Natural key (credit code, federation jurisdiction, the one platform): unique. */
    key: { type: String, required: true },
    name: { type: String, required: true },
    nameEn: { type: String },
    jurisdictionCode: { type: String },
    /** The jurisdiction with its ancestors, for region-scoped queries. */
    jurisdictionPath: { type: [String], default: undefined },
    creditCode: { type: String },
    locationCode: { type: String },
    locationPath: { type: [String], default: undefined },
    industryCode: { type: String },
    staffCount: { type: Number },
    version: { type: Number, required: true, default: 1 },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'organizations', versionKey: false },
);
organizationSchema.index({ key: 1 }, { unique: true });
organizationSchema.index({ type: 1, _id: 1 });
organizationSchema.index({ jurisdictionPath: 1 });

const OrganizationModel = mongoose.model('Organization', organizationSchema);

export interface Organization {
  id: string;
  type: OrgType;
  name: string;
  nameEn?: string;
  jurisdictionCode?: string;
  creditCode?: string;
  locationCode?: string;
  industryCode?: string;
  staffCount?: number;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

export type OrganizationData = Omit<Organization, 'id' | 'version' | 'createdAt' | 'updatedAt'>;

type Doc = Record<string, unknown> & { _id: unknown };

function toOrganization(doc: Doc): Organization {
  const { _id, key: _key, jurisdictionPath: _j, locationPath: _l, ...rest } = doc;
  return { id: String(_id), ...rest } as Organization;
}

function derived(data: Partial<OrganizationData> & { type: OrgType }) {
  return {
    key: organizationKey(data),
    ...(data.jurisdictionCode ? { jurisdictionPath: regionPath(data.jurisdictionCode) } : {}),
    ...(data.locationCode ? { locationPath: regionPath(data.locationCode) } : {}),
  };
}

const duplicate = () =>
  new AppError('duplicate', {
    detail: '已存在相同统一社会信用代码或相同辖区的机构',
    detailEn: 'An organisation with this credit code or jurisdiction already exists',
  });

export async function insertOrganization(data: OrganizationData, now = new Date()): Promise<Organization> {
  try {
    const doc = await OrganizationModel.create({
      ...data,
      ...derived(data),
      version: 1,
      createdAt: now,
      updatedAt: now,
    });
    return toOrganization(doc.toObject() as Doc);
  } catch (err) {
    if (isDuplicateKey(err)) throw duplicate();
    throw err;
  }
}

/** Unscoped: for authentication and for services that apply their own policy. */
export async function findOrganizationById(id: string): Promise<Organization | null> {
  if (!Types.ObjectId.isValid(id)) return null;
  const doc = await OrganizationModel.findById(id).lean();
  return doc ? toOrganization(doc as Doc) : null;
}

/** Unscoped, several at once (one query): names for a batch of records that refer to them. */
export async function findOrganizationsByIds(ids: readonly string[]): Promise<Organization[]> {
  const valid = [...new Set(ids)].filter((id) => Types.ObjectId.isValid(id));
  if (valid.length === 0) return [];
  const docs = await OrganizationModel.find(
    trustedFilter({ _id: { $in: valid.map((id) => new Types.ObjectId(id)) } }),
  ).lean();
  return docs.map((d) => toOrganization(d as Doc));
}

export async function findOrganizationByKey(key: string): Promise<Organization | null> {
  const doc = await OrganizationModel.findOne({ key }).lean();
  return doc ? toOrganization(doc as Doc) : null;
}

export async function findOrganizationInScope(
  id: string,
  scope: Record<string, unknown>,
): Promise<Organization | null> {
  const doc = await OrganizationModel.findOne(withinScope({ _id: new Types.ObjectId(id) }, scope)).lean();
  return doc ? toOrganization(doc as Doc) : null;
}

export async function listOrganizationsInScope(
  query: { type?: OrgType; jurisdictionCode?: string; after?: string },
  scope: Record<string, unknown>,
  limit: number,
): Promise<{ items: Organization[]; hasMore: boolean }> {
  const filter: Record<string, unknown> = {};
  if (query.type) filter.type = query.type;
  if (query.jurisdictionCode) filter.jurisdictionPath = query.jurisdictionCode;
  if (query.after) filter._id = { $gt: new Types.ObjectId(query.after) };
  // The scope is AND-ed last and separately so a query value can never replace it.
  const docs = await OrganizationModel.find(withinScope(filter, scope))
    .sort({ _id: 1 })
    .limit(limit + 1)
    .lean();
  return { items: docs.slice(0, limit).map((d) => toOrganization(d as Doc)), hasMore: docs.length > limit };
}

/**
 * Conditional on the version the caller read (DESIGN §7.7). Returns the updated organisation, or
 * null when nothing matched (gone, outside the scope, or changed meanwhile: the caller tells apart).
 */
export async function updateOrganizationIfVersion(
  id: string,
  version: number,
  scope: Record<string, unknown>,
  type: OrgType,
  changes: Partial<OrganizationData>,
  unset: string[],
  now = new Date(),
): Promise<Organization | null> {
  const current = await findOrganizationById(id);
  if (!current) return null;
  const merged = { ...current, ...changes, type };
  const $set: Record<string, unknown> = { ...changes, ...derived(merged), updatedAt: now };
  const $unset = Object.fromEntries(unset.map((f) => [f, 1]));
  try {
    const doc = await OrganizationModel.findOneAndUpdate(
      withinScope({ _id: new Types.ObjectId(id), version }, scope),
      { $set, ...(unset.length ? { $unset } : {}), $inc: { version: 1 } },
      { returnDocument: 'after' },
    ).lean();
    return doc ? toOrganization(doc as Doc) : null;
  } catch (err) {
    if (isDuplicateKey(err)) throw duplicate();
    throw err;
  }
}

/** For idempotent seeding: the organisation with this natural key, created when missing. */
export async function ensureOrganization(
  data: OrganizationData,
): Promise<{ org: Organization; created: boolean }> {
  const existing = await findOrganizationByKey(organizationKey(data));
  if (existing) return { org: existing, created: false };
  try {
    return { org: await insertOrganization(data), created: true };
  } catch (err) {
    // Two seeders at once: the other one won, which is just as good.
    if (err instanceof AppError && err.code === 'duplicate') {
      const org = await findOrganizationByKey(organizationKey(data));
      if (org) return { org, created: false };
    }
    throw err;
  }
}
