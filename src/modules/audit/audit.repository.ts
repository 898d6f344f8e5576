import mongoose, { Schema, Types } from 'mongoose';
import { withinScope } from '../../lib/db/index.js';

/**
 * The audit trail is append-only: this repository can insert and read, nothing else, and the model
 * refuses updates and deletes even if some future code tries (PIPL Art. 51).
 */
const auditSchema = new Schema(
  {
    at: { type: Date, required: true },
    actorUserId: { type: String },
    actorOrganizationId: { type: String },
    actorRoles: { type: [String], default: undefined },
    action: { type: String, required: true },
    resourceType: { type: String },
    resourceId: { type: String },
    fields: { type: [String], default: undefined },
    outcome: { type: String, required: true, enum: ['success', 'failure', 'denied'] },
    reason: { type: String },
    requestId: { type: String },
    ip: { type: String },
  },
  { collection: 'audit', versionKey: false },
);
auditSchema.index({ at: -1 });
auditSchema.index({ actorUserId: 1, _id: -1 });
auditSchema.index({ actorOrganizationId: 1, _id: -1 });
auditSchema.index({ action: 1, _id: -1 });
auditSchema.index({ resourceType: 1, resourceId: 1, _id: -1 });

const refuse = () => {
  throw new Error('the audit collection is append-only');
};
for (const op of [
  'updateOne',
  'updateMany',
  'replaceOne',
  'findOneAndUpdate',
  'findOneAndReplace',
  'findOneAndDelete',
  'deleteOne',
  'deleteMany',
] as const)
  auditSchema.pre(op, refuse);

const AuditEntryModel = mongoose.model('AuditEntry', auditSchema);

export type AuditOutcome = 'success' | 'failure' | 'denied';

export interface AuditEntry {
  id: string;
  at: Date;
  actorUserId?: string;
  actorOrganizationId?: string;
  actorRoles?: string[];
  action: string;
  resourceType?: string;
  resourceId?: string;
  fields?: string[];
  outcome: AuditOutcome;
  reason?: string;
  requestId?: string;
  ip?: string;
}

export async function appendAuditEntry(entry: Omit<AuditEntry, 'id'>): Promise<string> {
  const doc = await AuditEntryModel.create(entry);
  return String(doc._id);
}

export interface AuditQuery {
  actorUserId?: string;
  actorOrganizationId?: string;
  action?: string;
  resourceType?: string;
  resourceId?: string;
  outcome?: AuditOutcome;
  from?: Date;
  to?: Date;
  /** Entries strictly older than this id (the previous page's last id). */
  before?: string;
}

/** Newest first by `_id` (time-ordered); one more than `limit` is read to know if a page follows. */
export async function findAuditEntries(
  query: AuditQuery,
  scope: Record<string, unknown>,
  limit: number,
): Promise<{ items: AuditEntry[]; hasMore: boolean }> {
  const filter: Record<string, unknown> = {};
  for (const key of [
    'actorUserId',
    'actorOrganizationId',
    'action',
    'resourceType',
    'resourceId',
    'outcome',
  ] as const)
    if (query[key] !== undefined) filter[key] = query[key];
  if (query.from || query.to)
    filter.at = { ...(query.from ? { $gte: query.from } : {}), ...(query.to ? { $lte: query.to } : {}) };
  if (query.before) filter._id = { $lt: new Types.ObjectId(query.before) };
  const docs = await AuditEntryModel.find(withinScope(filter, scope))
    .sort({ _id: -1 })
    .limit(limit + 1)
    .lean();
  const items = docs.slice(0, limit).map(({ _id, ...rest }) => ({ id: String(_id), ...rest }) as AuditEntry);
  return { items, hasMore: docs.length > limit };
}
