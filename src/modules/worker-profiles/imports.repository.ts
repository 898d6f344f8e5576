import mongoose, { Schema, Types } from 'mongoose';
import { duplicateKeyWrites, withinScope } from '../../lib/db/index.js';
import type { SpreadsheetFormat } from './import-parse.js';
import type { RowIssue } from './import-rows.js';
import { type ProfileCrypto, sealer } from './profile-crypto.js';

/**
 * Imports: the record polled for progress; the uploaded file, encrypted in chunks (it holds ID
 * numbers, so it never sits in Redis, and it is deleted once the import has finished); the
 * rejected rows (row, column, reason — never a cell's value).
 */
export const IMPORT_STATUSES = ['queued', 'running', 'completed', 'failed'] as const;
export type ImportStatus = (typeof IMPORT_STATUSES)[number];

const importSchema = new Schema(
  {
    organizationId: { type: String, required: true },
    createdBy: { type: String, required: true },
    jurisdictionCode: { type: String, required: true },
    format: String,
    size: Number,
    sha256: String,
    totalRows: Number,
    ignoredColumns: [String],
    status: { type: String, required: true },
    rowsDone: Number,
    imported: Number,
    updated: Number,
    unchanged: Number,
    rejected: Number,
    error: String,
    errorDetail: String,
    createdAt: Date,
    startedAt: Date,
    finishedAt: Date,
  },
  { collection: 'worker_profile_imports', versionKey: false },
);
importSchema.index({ organizationId: 1, createdAt: -1 });

const fileChunkSchema = new Schema(
  {
    _id: String,
    importId: { type: String, required: true },
    n: Number,
    data: String,
  },
  { collection: 'worker_profile_import_files', versionKey: false },
);
fileChunkSchema.index({ importId: 1, n: 1 });

const rejectionSchema = new Schema(
  {
    _id: String,
    importId: { type: String, required: true },
    row: Number,
    column: String,
    code: String,
    message: String,
  },
  { collection: 'worker_profile_import_rejections', versionKey: false },
);
rejectionSchema.index({ importId: 1, row: 1 });

const ImportModel = mongoose.model('WorkerProfileImport', importSchema);
const FileChunkModel = mongoose.model('WorkerProfileImportFile', fileChunkSchema);
const RejectionModel = mongoose.model('WorkerProfileImportRejection', rejectionSchema);

export interface ImportRecord {
  id: string;
  organizationId: string;
  createdBy: string;
  jurisdictionCode: string;
  format: SpreadsheetFormat;
  size: number;
  sha256: string;
  totalRows: number;
  ignoredColumns: string[];
  status: ImportStatus;
  rowsDone: number;
  imported: number;
  updated: number;
  unchanged: number;
  rejected: number;
  /** Why the import failed, in words for staff (never a value from the file). */
  error: string | null;
  errorDetail: string | null;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
}

export interface Counters {
  rowsDone: number;
  imported: number;
  updated: number;
  unchanged: number;
  rejected: number;
}

function toRecord(doc: Record<string, unknown> & { _id: Types.ObjectId }): ImportRecord {
  const { _id, ...rest } = doc;
  return {
    error: null,
    errorDetail: null,
    startedAt: null,
    finishedAt: null,
    ...rest,
    id: _id.toHexString(),
  } as ImportRecord;
}

/** 1 MiB of file per chunk: well under the 16 MB document limit once encrypted and base64-encoded. */
const CHUNK_BYTES = 1024 * 1024;

/** Creates an import with the uploaded file (ID numbers inside), encrypted in chunks. */
export async function insertImport(
  crypto: ProfileCrypto,
  data: Omit<
    ImportRecord,
    'id' | 'status' | 'error' | 'errorDetail' | 'startedAt' | 'finishedAt' | keyof Counters
  >,
  file: Buffer,
): Promise<ImportRecord> {
  const _id = new Types.ObjectId();
  const id = _id.toHexString();
  const { seal } = sealer(crypto, id);
  const chunks = [];
  for (let n = 0, at = 0; at < file.length; n++, at += CHUNK_BYTES)
    chunks.push({
      _id: `${id}/${n}`,
      importId: id,
      n,
      data: seal(`file.${n}`, file.subarray(at, at + CHUNK_BYTES).toString('base64')),
    });
  await FileChunkModel.collection.insertMany(chunks as unknown as Record<string, unknown>[]);
  const doc = {
    _id,
    ...data,
    status: 'queued' as const,
    rowsDone: 0,
    imported: 0,
    updated: 0,
    unchanged: 0,
    rejected: 0,
    error: null,
    errorDetail: null,
    startedAt: null,
    finishedAt: null,
  };
  await ImportModel.collection.insertOne(doc);
  return toRecord(doc as unknown as Record<string, unknown> & { _id: Types.ObjectId });
}

/** The uploaded file, decrypted; null once deleted. */
export async function loadImportFile(crypto: ProfileCrypto, id: string): Promise<Buffer | null> {
  const chunks = await FileChunkModel.find({ importId: id })
    .sort({ n: 1 })
    .lean<{ n: number; data: string }[]>();
  if (chunks.length === 0) return null;
  const { open } = sealer(crypto, id);
  return Buffer.concat(chunks.map((c) => Buffer.from(open(`file.${c.n}`, c.data), 'base64')));
}

export async function deleteImportFile(id: string): Promise<void> {
  await FileChunkModel.deleteMany({ importId: id });
}

export async function deleteImport(id: string): Promise<void> {
  await deleteImportFile(id);
  await ImportModel.deleteOne({ _id: new Types.ObjectId(id) });
}

export async function findImport(
  id: string,
  scope: Record<string, unknown> = {},
): Promise<ImportRecord | null> {
  if (!/^[0-9a-f]{24}$/.test(id)) return null;
  const doc = await ImportModel.findOne(withinScope({ _id: new Types.ObjectId(id) }, scope)).lean();
  return doc ? toRecord(doc as unknown as Record<string, unknown> & { _id: Types.ObjectId }) : null;
}

/** Imports in `scope` created since `since` that failed or rejected rows: how many, and the latest's id. */
export async function importsNeedingAttention(
  since: Date,
  scope: Record<string, unknown>,
): Promise<{ count: number; latestId: string | null }> {
  const where = withinScope(
    { createdAt: { $gte: since }, $or: [{ status: 'failed' }, { rejected: { $gt: 0 } }] },
    scope,
  );
  const [count, latest] = await Promise.all([
    ImportModel.countDocuments(where),
    ImportModel.findOne(where, { _id: 1 }).sort({ createdAt: -1, _id: -1 }).lean(),
  ]);
  return { count, latestId: latest ? String(latest._id) : null };
}

export async function updateImport(
  id: string,
  set: Partial<
    Pick<
      ImportRecord,
      | 'status'
      | 'error'
      | 'errorDetail'
      | 'startedAt'
      | 'finishedAt'
      | 'totalRows'
      | 'ignoredColumns'
      | keyof Counters
    >
  >,
): Promise<void> {
  await ImportModel.updateOne({ _id: new Types.ObjectId(id) }, { $set: set });
}

/** Idempotent per (import, row, column, code): a retried batch does not report a row twice. */
export async function insertRejections(importId: string, issues: readonly RowIssue[]): Promise<void> {
  if (issues.length === 0) return;
  const docs = issues.map((i) => ({
    _id: `${importId}/${i.row}/${i.column}/${i.code}`,
    importId,
    row: i.row,
    column: i.column,
    code: i.code,
    message: i.message,
  }));
  try {
    await RejectionModel.collection.insertMany(docs as unknown as Record<string, unknown>[], {
      ordered: false,
    });
  } catch (err) {
    if (!duplicateKeyWrites(err)) throw err;
  }
}

export async function listRejections(importId: string, limit = 100_000): Promise<RowIssue[]> {
  return RejectionModel.find({ importId }, { _id: 0, row: 1, column: 1, code: 1, message: 1 })
    .sort({ row: 1, column: 1 })
    .limit(limit)
    .lean<RowIssue[]>();
}

export async function countRejectedRows(importId: string): Promise<number> {
  return (await RejectionModel.distinct('row', { importId })).length;
}

export function importFileCollection() {
  return FileChunkModel.collection;
}
