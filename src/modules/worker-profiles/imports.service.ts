import { createHash } from 'node:crypto';
import ExcelJS from 'exceljs';
import { Types } from 'mongoose';
import { jobId } from '../../jobs/catalogue.js';
import { publishChange } from '../../jobs/changes.js';
import type { ProcessorResult } from '../../jobs/processor.js';
import { enqueue } from '../../jobs/queues.js';
import type { Actor } from '../../lib/auth/actor.js';
import { regionScopeFilter, type ScopeFilter } from '../../lib/auth/scope.js';
import { AppError } from '../../lib/errors.js';
import { formulaSafeRow } from '../../lib/spreadsheet-cells.js';
import { audit } from '../audit/audit.service.js';
import * as consents from './consents.repository.js';
import { parseIdNumber } from './identity.js';
import { COLUMN_BY_KEY } from './import-columns.js';
import {
  checkXlsx,
  detectFormat,
  type ParsedSheet,
  parseSpreadsheet,
  type SheetRow,
  SpreadsheetError,
  type SpreadsheetFormat,
} from './import-parse.js';
import { type PreparedRow, prepareRow, type RowIssue, reasonText, rowResolvers } from './import-rows.js';
import * as repo from './imports.repository.js';
import type { ProfileContent, TrainingRecord, WorkerProfile } from './profile.js';
import type { ProfileCrypto } from './profile-crypto.js';
import { importScope } from './worker-profiles.policy.js';
import * as profiles from './worker-profiles.repository.js';
import {
  contentOf,
  cryptoOf,
  loadReferenceSnapshot,
  type ProfileDeps,
  registeringJurisdiction,
} from './worker-profiles.service.js';

export type { ImportRecord } from './imports.repository.js';

/** Rows written per round trip: large enough to amortise, small enough to report progress often. */
const BATCH = 500;

function limits(deps: ProfileDeps) {
  return {
    maxRows: deps.config.workerProfiles.importMaxRows,
    maxUncompressedBytes: deps.config.workerProfiles.importMaxInflatedBytes,
  };
}

/** An unusable file as a 400 naming what is wrong (never a value from the file). */
function spreadsheetProblem(err: SpreadsheetError): AppError {
  return new AppError('invalid_spreadsheet', {
    detail: err.zh,
    detailEn: err.message,
    extra: { reason: err.code, ...err.details },
  });
}

/**
 * What an upload request checks before storing the file, all of it bounded by the size of the
 * body: the format; for a CSV the whole parse (text, no expansion), so that a malformed one is a
 * 400 at once; for an XLSX only that it is a workbook that inflates to no more than the cap,
 * counted while inflating with the output dropped. Reading its sheets is the job's, in the worker.
 */
async function checkUpload(
  file: Buffer,
  lim: ReturnType<typeof limits>,
): Promise<{ format: SpreadsheetFormat; sheet: ParsedSheet | null }> {
  try {
    const format = detectFormat(file);
    if (format === 'csv') return { format, sheet: await parseSpreadsheet(file, lim) };
    await checkXlsx(file, lim);
    return { format, sheet: null };
  } catch (err) {
    if (err instanceof SpreadsheetError) throw spreadsheetProblem(err);
    throw err;
  }
}

/** Accepts an upload: cheap checks, then the file is stored encrypted and only the import id queued. */
export async function createImport(
  deps: ProfileDeps,
  actor: Actor,
  file: Buffer,
): Promise<repo.ImportRecord> {
  const jurisdictionCode = registeringJurisdiction(actor);
  const { format, sheet } = await checkUpload(file, limits(deps));
  const record = await repo.insertImport(
    cryptoOf(deps),
    {
      organizationId: actor.organizationId,
      createdBy: actor.userId,
      jurisdictionCode,
      format,
      size: file.length,
      sha256: createHash('sha256').update(file).digest('hex'),
      // An XLSX's rows are counted once the job has read it.
      totalRows: sheet?.rows.length ?? 0,
      ignoredColumns: sheet?.ignoredColumns ?? [],
      createdAt: new Date(),
    },
    file,
  );
  try {
    await enqueue(
      deps.queues,
      'worker_profiles.import',
      { importId: record.id },
      { jobId: jobId('worker_profiles.import', record.id) },
    );
  } catch (err) {
    // Nothing would ever run it: leave no encrypted file behind; the client uploads again.
    await repo.deleteImport(record.id);
    throw err;
  }
  await audit.record({
    action: 'worker_profile.import',
    resource: { type: 'worker_profile_import', id: record.id },
    reason: format,
  });
  return record;
}

/** How far back an import's failure or rejected rows still count as something to look at. */
const ATTENTION_DAYS = 30;

/** The caller's recent imports that failed or rejected rows (the home page's to-do), and the latest. */
export async function importsNeedingAttention(actor: Actor, now = new Date()) {
  return repo.importsNeedingAttention(
    new Date(now.getTime() - ATTENTION_DAYS * 86_400_000),
    importScope(actor),
  );
}

export async function getImport(actor: Actor, id: string) {
  const record = await repo.findImport(id, importScope(actor));
  if (!record) throw new AppError('not_found', { detail: '导入记录不存在', detailEn: 'No such import' });
  return record;
}

export async function presentImport(record: repo.ImportRecord) {
  const sample = record.rejected > 0 ? await repo.listRejections(record.id, 100) : [];
  return {
    id: record.id,
    status: record.status,
    format: record.format,
    size: record.size,
    totalRows: record.totalRows,
    rowsDone: record.rowsDone,
    imported: record.imported,
    updated: record.updated,
    unchanged: record.unchanged,
    rejected: record.rejected,
    ignoredColumns: record.ignoredColumns,
    error: record.error,
    errorDetail: record.errorDetail,
    rejections: sample,
    rejectionsReport: `/api/v1/worker-profiles/imports/${record.id}/rejections`,
    createdAt: record.createdAt.toISOString(),
    startedAt: record.startedAt?.toISOString() ?? null,
    finishedAt: record.finishedAt?.toISOString() ?? null,
  };
}

/** The rejected rows as XLSX: row number, column, reason, code. */
export async function rejectionsWorkbook(actor: Actor, id: string): Promise<Buffer> {
  const record = await getImport(actor, id);
  const rows = await repo.listRejections(record.id);
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('未导入的行');
  sheet.columns = [
    { header: '行号', key: 'row', width: 8 },
    { header: '列', key: 'column', width: 16 },
    { header: '原因', key: 'message', width: 70 },
    { header: '代码', key: 'code', width: 28 },
  ];
  sheet.getRow(1).font = { bold: true };
  for (const r of rows) sheet.addRow(formulaSafeRow({ ...r }));
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

// ---- the job -------------------------------------------------------------------------------

interface Prepared extends PreparedRow {
  hash: string;
}

type ImportActor = { userId: string; organizationId: string; roles: string[] };

/** The fields an import row sets on an existing profile: only the columns it filled in. */
function rowUpdate(
  current: WorkerProfile,
  p: Prepared,
  training: TrainingRecord[] | undefined,
): Partial<ProfileContent> & { training?: TrainingRecord[] } {
  const next = contentOf(p.input);
  const has = (k: Parameters<typeof p.provided.has>[0]) => p.provided.has(k);
  const out: Partial<ProfileContent> & { training?: TrainingRecord[] } = {};
  const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
  const identity: Partial<ProfileContent['identity']> = {};
  if (next.identity.name !== current.identity.name) identity.name = next.identity.name;
  if (next.identity.certificateNumber !== current.identity.certificateNumber)
    identity.certificateNumber = next.identity.certificateNumber;
  if (has('phone') && next.identity.phone !== current.identity.phone) identity.phone = next.identity.phone;
  if (Object.keys(identity).length) out.identity = identity as ProfileContent['identity'];
  for (const k of ['disabilityCategory', 'disabilityLevel', 'originCode'] as const)
    if (next[k] !== current[k]) (out as Record<string, unknown>)[k] = next[k];
  const columns = {
    skills: 'skills',
    education: 'education',
    languages: 'languages',
    functionalLimitations: 'functionalLimitations',
    assistiveDevices: 'assistiveDevices',
    accommodationsNeeded: 'accommodationsNeeded',
  } as const;
  for (const [field, column] of Object.entries(columns) as [
    keyof typeof columns,
    (typeof columns)[keyof typeof columns],
  ][])
    if (has(column) && !same(next[field], current[field]))
      (out as Record<string, unknown>)[field] = next[field];
  const prefs = { ...current.preferences };
  if (has('destinations')) prefs.destinationCodes = next.preferences.destinationCodes;
  if (has('minimumWage')) prefs.minimumWage = next.preferences.minimumWage;
  if (has('jobTypes')) prefs.jobTypes = next.preferences.jobTypes;
  if (has('needsDormitory')) prefs.needsDormitory = next.preferences.needsDormitory;
  if (has('needsAccessibleDormitory'))
    prefs.needsAccessibleDormitory = next.preferences.needsAccessibleDormitory;
  if (has('willingToTravelWithGroup'))
    prefs.willingToTravelWithGroup = next.preferences.willingToTravelWithGroup;
  if (!same(prefs, current.preferences)) out.preferences = prefs;
  if (has('guardianName') && !same(next.guardian, current.guardian)) out.guardian = next.guardian;
  if (
    training &&
    !same(
      training.map((t) => t.id),
      current.training.map((t) => t.id),
    )
  )
    out.training = training;
  return out;
}

/** Imported training records: one per programme named; records added through the API are kept. */
function importedTraining(
  current: TrainingRecord[],
  codes: string[],
  by: ImportActor,
  now: Date,
): TrainingRecord[] {
  const kept = current.filter((t) => t.source !== 'import' || codes.includes(t.programmeCode));
  for (const code of codes)
    if (!kept.some((t) => t.source === 'import' && t.programmeCode === code))
      kept.push(newImportedTraining(code, by, now));
  return kept;
}

function newImportedTraining(code: string, by: ImportActor, now: Date): TrainingRecord {
  return {
    id: new Types.ObjectId().toHexString(),
    programmeCode: code,
    providerName: null,
    providerOrganizationId: null,
    startDate: null,
    endDate: null,
    hours: null,
    certificateNumber: null,
    certificateLevel: null,
    addedByOrganizationId: by.organizationId,
    addedByUserId: by.userId,
    underPartnership: false,
    source: 'import',
    addedAt: now,
  };
}

function consentRecord(p: Prepared, profileId: string, by: ImportActor, now: Date): consents.NewConsent {
  const c = p.consent!;
  return {
    profileId,
    purpose: 'sensitive_processing',
    employerId: null,
    openingId: null,
    dataCategories: [],
    textVersion: c.textVersion,
    channel: c.channel,
    givenAt: c.givenAt ? new Date(c.givenAt) : now,
    givenBy: c.givenBy,
    representative: c.representative ?? null,
    assistedByStaff: c.assistedByStaff,
    recordedBy: by.userId,
    recordedByOrganizationId: by.organizationId,
    recordedAt: now,
  };
}

function wouldChange(current: WorkerProfile, p: Prepared, by: ImportActor): boolean {
  const training = p.provided.has('training')
    ? importedTraining(current.training, p.trainingCodes, by, new Date())
    : undefined;
  return (
    Object.keys(rowUpdate(current, p, training)).length > 0 || (!!p.consent && !current.consent.processing)
  );
}

/** Updates one existing profile from a row; exactly once per version, like every other write. */
async function updateFromRow(
  crypto: ProfileCrypto,
  scope: Record<string, unknown>,
  id: string,
  p: Prepared,
  by: ImportActor,
): Promise<{ outcome: 'updated' | 'unchanged'; version: number } | null> {
  let consentId: string | null = null;
  const result = await profiles.mutateProfile(crypto, id, scope, async (current) => {
    const now = new Date();
    const training = p.provided.has('training')
      ? importedTraining(current.training, p.trainingCodes, by, now)
      : undefined;
    const change = rowUpdate(current, p, training);
    const $set: Record<string, unknown> = profiles.encodeContent(crypto, id, change);
    if (change.training) Object.assign($set, profiles.encodeTraining(crypto, id, change.training));
    if (p.consent && !current.consent.processing) {
      if (!consentId) consentId = (await consents.insertConsent(crypto, consentRecord(p, id, by, now))).id;
      $set.consent = {
        processing: true,
        since: p.consent.givenAt ? new Date(p.consent.givenAt) : now,
        changedAt: now,
      };
    }
    return Object.keys($set).length ? { $set } : null;
  });
  if (!result) return null;
  const changed = result.after.version !== result.before.version;
  return { outcome: changed ? 'updated' : 'unchanged', version: result.after.version };
}

/** Rows per batch written concurrently: the database and this process work in parallel. */
const WRITES_IN_FLIGHT = 2;

interface BatchOutcome {
  counters: Omit<repo.Counters, 'rowsDone'>;
  rows: number;
}

/** What every step of one import run reads: the import, whom it acts as, the reference data, the scope. */
interface ImportRun {
  deps: ProfileDeps;
  importId: string;
  imp: repo.ImportRecord;
  crypto: ProfileCrypto;
  by: ImportActor;
  ctx: Parameters<typeof prepareRow>[1];
  resolvers: ReturnType<typeof rowResolvers>;
  scope: ScopeFilter;
}

/** Who the file names: each row's ID hash, and the first row naming each person. */
interface PeopleInFile {
  hashOf: Map<number, string>;
  firstRow: Map<string, number>;
}

type StoredProfiles = Awaited<ReturnType<typeof profiles.findStoredInScope>>;
type Skipped = { skipped: string };
type BatchCounters = Omit<repo.Counters, 'rowsDone'>;

/** One batch's counts and the row issues it refused, written together at the end of the batch. */
interface BatchTally {
  counters: BatchCounters;
  rejections: RowIssue[];
}

function reject(tally: BatchTally, issues: RowIssue[]): void {
  tally.rejections.push(...issues);
  tally.counters.rejected++;
}

function rejectRegisteredElsewhere(tally: BatchTally, p: Prepared): void {
  reject(tally, [
    {
      row: p.row,
      column: COLUMN_BY_KEY.get('idNumber')!.header,
      code: 'registered_elsewhere',
      message: reasonText('registered_elsewhere'),
    },
  ]);
}

/** Step 1: the import, unless it is gone or already over (a retried job). */
async function runnableImport(importId: string): Promise<repo.ImportRecord | Skipped> {
  const imp = await repo.findImport(importId);
  if (!imp) return { skipped: 'no such import' };
  if (imp.status === 'completed' || imp.status === 'failed') return { skipped: `import ${imp.status}` };
  return imp;
}

/** Step 2: the file read into rows, the import marked running; a missing or unusable file fails it. */
async function readRows(
  deps: ProfileDeps,
  crypto: ProfileCrypto,
  imp: repo.ImportRecord,
): Promise<SheetRow[] | Skipped> {
  const importId = imp.id;
  const file = await repo.loadImportFile(crypto, importId);
  if (!file) {
    await repo.updateImport(importId, { status: 'failed', error: 'file_missing', finishedAt: new Date() });
    return { skipped: 'file_missing' };
  }
  await repo.updateImport(importId, { status: 'running', startedAt: imp.startedAt ?? new Date() });
  let sheet: ParsedSheet;
  try {
    sheet = await parseSpreadsheet(file, limits(deps));
  } catch (err) {
    if (!(err instanceof SpreadsheetError)) throw err;
    // Unusable (an XLSX is read only here): the import fails with the reason an upload would get.
    await repo.updateImport(importId, {
      status: 'failed',
      error: err.code,
      errorDetail: err.zh,
      finishedAt: new Date(),
    });
    await repo.deleteImportFile(importId);
    return { skipped: err.code };
  }
  if (imp.format === 'xlsx')
    await repo.updateImport(importId, { totalRows: sheet.rows.length, ignoredColumns: sheet.ignoredColumns });
  return sheet.rows;
}

/** Step 3: what every row is checked against: reference data, the jurisdiction, the importing staff. */
async function startRun(
  deps: ProfileDeps,
  crypto: ProfileCrypto,
  imp: repo.ImportRecord,
): Promise<ImportRun> {
  const ref = await loadReferenceSnapshot();
  return {
    deps,
    importId: imp.id,
    imp,
    crypto,
    by: { userId: imp.createdBy, organizationId: imp.organizationId, roles: ['federation_staff'] },
    ctx: { ref, jurisdictionCode: imp.jurisdictionCode, now: new Date() },
    resolvers: rowResolvers(ref),
    scope: regionScopeFilter({ kind: 'regions', codes: [imp.jurisdictionCode] }),
  };
}

/**
 * Step 4: who the file names, first: a person listed twice is refused from the second row on,
 * across batches; and the federation's existing profiles of those people are read in one pass.
 */
async function peopleInFile(
  run: ImportRun,
  rows: readonly SheetRow[],
): Promise<{ people: PeopleInFile; existing: StoredProfiles }> {
  const hashOf = new Map<number, string>();
  const firstRow = new Map<string, number>();
  for (const r of rows) {
    const cell = r.cells.idNumber;
    const parsed = cell && 'text' in cell ? parseIdNumber(cell.text) : undefined;
    if (!parsed?.ok) continue;
    const hash = run.crypto.hashId(parsed.value.idNumber);
    hashOf.set(r.row, hash);
    if (!firstRow.has(hash)) firstRow.set(hash, r.row);
  }
  const existing = await profiles.findStoredInScope(run.scope, (hash) => firstRow.has(hash));
  return { people: { hashOf, firstRow }, existing };
}

/** Step 5 (per batch): each row validated; a person's second row refused as a duplicate. */
function validateBatch(
  run: ImportRun,
  people: PeopleInFile,
  batch: readonly SheetRow[],
): { valid: Prepared[]; rejected: RowIssue[][] } {
  const valid: Prepared[] = [];
  const rejected: RowIssue[][] = [];
  for (const r of batch) {
    const res = prepareRow(r, run.ctx, run.resolvers);
    if (!res.ok) {
      rejected.push(res.issues);
      continue;
    }
    const hash = people.hashOf.get(r.row)!;
    const first = people.firstRow.get(hash)!;
    if (first !== r.row)
      rejected.push([
        {
          row: r.row,
          column: COLUMN_BY_KEY.get('idNumber')!.header,
          code: 'duplicate_in_file',
          message: `${reasonText('duplicate_in_file')}（第 ${first} 行）`,
        },
      ]);
    else valid.push({ ...res.value, hash });
  }
  return { valid, rejected };
}

/** Step 6a (per batch): rows of people not stored yet, and rows of people this federation holds. */
function resolvePeople(
  run: ImportRun,
  existing: StoredProfiles,
  valid: readonly Prepared[],
  tally: BatchTally,
): { fresh: Prepared[]; toUpdate: { p: Prepared; id: string }[] } {
  const fresh: Prepared[] = [];
  const toUpdate: { p: Prepared; id: string }[] = [];
  for (const p of valid) {
    const doc = existing.get(p.hash);
    if (!doc) fresh.push(p);
    // Created by this import on an earlier attempt (the job was retried after a crash).
    else if ((doc.source as { importId?: string } | null)?.importId === run.importId)
      tally.counters.imported++;
    else toUpdate.push({ p, id: doc._id.toHexString() });
  }
  return { fresh, toUpdate };
}

/**
 * Step 6b (per batch): new people, consents first (a profile never claims a consent without its
 * record), then one insertMany. A person registered meanwhile (here: updated instead; elsewhere:
 * refused) loses the consent written for them. Returns the rows to update instead.
 */
async function insertNewPeople(
  run: ImportRun,
  fresh: readonly Prepared[],
  tally: BatchTally,
): Promise<{ p: Prepared; id: string }[]> {
  const { crypto, by, imp, importId } = run;
  const now = run.ctx.now;
  const ids = fresh.map(() => new Types.ObjectId());
  const newConsents = await consents.insertConsents(
    crypto,
    fresh.flatMap((p, i) => (p.consent ? [consentRecord(p, ids[i]!.toHexString(), by, now)] : [])),
  );
  const consentOf = new Map(newConsents.map((x) => [x.profileId, x]));
  const docs = fresh.map((p, i) => {
    const consent = consentOf.get(ids[i]!.toHexString());
    return profiles.newProfileDocument(crypto, ids[i]!, contentOf(p.input), {
      registeringFederationId: imp.organizationId,
      registeredBy: imp.createdBy,
      consent: { processing: !!consent, since: consent?.givenAt ?? null },
      training: p.trainingCodes.map((code) => newImportedTraining(code, by, now)),
      source: { importId, row: p.row },
      now,
    });
  });
  const { duplicates } = await profiles.insertProfiles(docs);
  const lost: string[] = [];
  const toUpdate: { p: Prepared; id: string }[] = [];
  for (const [i, p] of fresh.entries()) {
    if (!duplicates.has(i)) {
      tally.counters.imported++;
      continue;
    }
    // Registered already: in another jurisdiction, or here since the scan.
    const consent = consentOf.get(ids[i]!.toHexString());
    if (consent) lost.push(consent.id);
    const holder = await profiles.findByIdHash(p.hash);
    if (holder?.regionPath.includes(imp.jurisdictionCode)) toUpdate.push({ p, id: holder.id });
    else rejectRegisteredElsewhere(tally, p);
  }
  await consents.deleteConsents(lost);
  for (const [i, d] of docs.entries())
    if (!duplicates.has(i))
      await publishChange(run.deps.queues, run.deps.logger, {
        entity: 'worker_profile',
        id: d._id.toHexString(),
        version: 1,
        kind: 'created',
      });
  return toUpdate;
}

/** Step 6c (per batch): the people this federation holds, updated where the row changes something. */
async function updateKnownPeople(
  run: ImportRun,
  existing: StoredProfiles,
  toUpdate: readonly { p: Prepared; id: string }[],
  tally: BatchTally,
): Promise<void> {
  const { crypto, by, scope, deps } = run;
  for (const { p, id } of toUpdate) {
    // Most rows of a re-upload change nothing: decided from the document already read, no query.
    const doc = existing.get(p.hash);
    if (doc && !wouldChange(profiles.decodeProfile(crypto, doc), p, by)) {
      tally.counters.unchanged++;
      continue;
    }
    const done = await updateFromRow(crypto, scope, id, p, by);
    if (!done) {
      rejectRegisteredElsewhere(tally, p);
      continue;
    }
    tally.counters[done.outcome]++;
    if (done.outcome === 'updated')
      await publishChange(deps.queues, deps.logger, {
        entity: 'worker_profile',
        id,
        version: done.version,
        kind: 'updated',
      });
  }
}

/** Step 6 (per batch): the batch written (6a–6c) and its refused rows recorded. */
async function writeBatch(
  run: ImportRun,
  existing: StoredProfiles,
  { valid, rejected }: { valid: Prepared[]; rejected: RowIssue[][] },
): Promise<BatchCounters> {
  const tally: BatchTally = {
    counters: { imported: 0, updated: 0, unchanged: 0, rejected: 0 },
    rejections: [],
  };
  for (const issues of rejected) reject(tally, issues);
  const { fresh, toUpdate } = resolvePeople(run, existing, valid, tally);
  const alreadyHeld = await insertNewPeople(run, fresh, tally);
  await updateKnownPeople(run, existing, [...toUpdate, ...alreadyHeld], tally);
  await repo.insertRejections(run.importId, tally.rejections);
  return tally.counters;
}

/**
 * Step 5–6 over the file: batches validated and written, up to WRITES_IN_FLIGHT at once. Saved
 * progress is the prefix of batches all done, so a retry never counts a batch twice; it is written
 * at most twice a second: clients poll it, and a retry after a crash redoes at most that much (rows
 * this import created count as imported on the retry, not twice).
 */
async function writeInBatches(
  run: ImportRun,
  rows: readonly SheetRow[],
  people: PeopleInFile,
  existing: StoredProfiles,
): Promise<repo.Counters> {
  const { imp, importId } = run;
  const counters: repo.Counters = {
    rowsDone: imp.rowsDone,
    imported: imp.imported,
    updated: imp.updated,
    unchanged: imp.unchanged,
    rejected: imp.rejected,
  };
  const finishedBatches = new Map<number, BatchOutcome>();
  let nextToSave = imp.rowsDone;
  let savedAt = 0;
  const save = async () => {
    let advanced = false;
    for (let done = finishedBatches.get(nextToSave); done; done = finishedBatches.get(nextToSave)) {
      finishedBatches.delete(nextToSave);
      for (const k of ['imported', 'updated', 'unchanged', 'rejected'] as const)
        counters[k] += done.counters[k];
      nextToSave += done.rows;
      counters.rowsDone = nextToSave;
      advanced = true;
    }
    if (advanced && performance.now() - savedAt >= 500) {
      savedAt = performance.now();
      await repo.updateImport(importId, { ...counters });
    }
  };
  const inFlight = new Set<Promise<void>>();
  for (let start = imp.rowsDone; start < rows.length; start += BATCH) {
    const batch = rows.slice(start, start + BATCH);
    const checked = validateBatch(run, people, batch);
    while (inFlight.size >= WRITES_IN_FLIGHT) await Promise.race(inFlight);
    const task: Promise<void> = writeBatch(run, existing, checked).then(async (c) => {
      finishedBatches.set(start, { counters: c, rows: batch.length });
      await save();
    });
    const tracked = task.finally(() => inFlight.delete(tracked));
    inFlight.add(tracked);
  }
  await Promise.all(inFlight);
  return counters;
}

/** Step 7: the import completed with its final counts, the roster deleted, the audit and the log. */
async function reportImport(
  run: ImportRun,
  counters: repo.Counters,
  timings: { readMs: number; checkMs: number; writeMs: number },
): Promise<ProcessorResult> {
  const { importId, by, deps } = run;
  // With the final counters: progress writes of concurrent batches may have landed out of order.
  await repo.updateImport(importId, { ...counters, status: 'completed', finishedAt: new Date() });
  // The roster holds ID numbers: once imported it is kept no longer (PIPL Art. 19).
  await repo.deleteImportFile(importId);
  await audit.record({
    action: 'worker_profile.import_complete',
    resource: { type: 'worker_profile_import', id: importId },
    actor: by,
  });
  deps.logger.info({ importId, ...counters, ...timings }, 'worker-profile import finished');
  return { ...counters, ...timings };
}

/**
 * Runs an import (the `worker_profiles.import` job): runnable import → rows read → run started →
 * people in the file → batches validated and written → report. Resumable: progress is saved as
 * batches complete and a retry continues after the last saved one; a profile this import already
 * created counts as imported, not again. Valid rows are written even when others are refused.
 *
 * Work overlaps: while up to two batches are being written, the next one is checked and encrypted.
 */
export async function runImport(deps: ProfileDeps, importId: string): Promise<ProcessorResult> {
  const imp = await runnableImport(importId);
  if ('skipped' in imp) return imp;
  const crypto = cryptoOf(deps);
  const started = performance.now();
  const rows = await readRows(deps, crypto, imp);
  if ('skipped' in rows) return rows;
  const run = await startRun(deps, crypto, imp);
  const read = performance.now();
  const { people, existing } = await peopleInFile(run, rows);
  const checked = performance.now();
  const counters = await writeInBatches(run, rows, people, existing);
  const written = performance.now();
  // Where the time went, in the job's result (visible in the queue) and the log: counts only.
  return reportImport(run, counters, {
    readMs: Math.round(read - started),
    checkMs: Math.round(checked - read),
    writeMs: Math.round(written - checked),
  });
}
