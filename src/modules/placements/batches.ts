import ExcelJS from 'exceljs';
import mongoose, { Schema, Types } from 'mongoose';
import type { Actor } from '../../lib/auth/actor.js';
import { regionPath } from '../../lib/auth/scope.js';
import { trustedFilter, withinScope } from '../../lib/db/index.js';
import { AppError } from '../../lib/errors.js';
import { type Page, paginate } from '../../lib/http/pagination.js';
import { isWithin } from '../../lib/regions.js';
import { formulaSafeRow } from '../../lib/spreadsheet-cells.js';
import { audit } from '../audit/audit.service.js';
import { findMatchFor, matchesOfOpeningFor } from '../matches/matches.service.js';
import type { MatchStatus } from '../matching/reconcile.js';
import { getOpening } from '../openings/openings.service.js';
import { findOrganizationById, findOrganizationsByIds } from '../orgs/orgs.service.js';
import { assertRegion, findRegion } from '../reference/reference.service.js';
import { getProfileForMatching, shareableIdentity } from '../worker-profiles/for-other-modules.service.js';
import { type ProfileDisplay, profileDisplaysByIds } from '../worker-profiles/search-projection.service.js';
import { batchReadScope, batchWriteScope, placementScope } from './placements.policy.js';
import type {
  BatchCandidatesQuery,
  CreateBatchInput,
  ListBatchesQuery,
  UpdateBatchInput,
} from './placements.schemas.js';
import { type PlacementDeps, placementsByIds, setTransferBatch } from './placements.service.js';

/**
 * Transfer batches (组团输送): job seekers travelling together from one county to one employer's city
 * on one day, with escorts and a group leader. Members are placements, or approved matches of
 * people travelling before their contract is signed.
 */
const personSchema = new Schema({ name: String, phone: { type: String, default: null } }, { _id: false });
const memberSchema = new Schema(
  { matchId: String, placementId: { type: String, default: null }, profileId: String },
  { _id: false },
);
const batchSchema = new Schema(
  {
    originCode: { type: String, required: true },
    originPath: { type: [String], required: true },
    employerId: { type: String, required: true },
    destinationCode: { type: String, required: true },
    destinationPath: { type: [String], required: true },
    travelDate: { type: String, required: true },
    transport: { type: String, required: true },
    escorts: { type: [personSchema], default: [] },
    groupLeader: { type: personSchema, default: null },
    members: { type: [memberSchema], default: [] },
    note: { type: String, default: null },
    version: { type: Number, required: true, default: 1 },
    createdBy: { type: String, required: true },
  },
  { collection: 'transfer_batches', timestamps: true, versionKey: false },
);
batchSchema.index({ originPath: 1, travelDate: -1 });
batchSchema.index({ destinationPath: 1, travelDate: -1 });
const BatchModel = mongoose.model('TransferBatch', batchSchema);

export interface TransferBatch {
  id: string;
  originCode: string;
  originPath: string[];
  employerId: string;
  destinationCode: string;
  destinationPath: string[];
  travelDate: string;
  transport: CreateBatchInput['transport'];
  escorts: { name: string; phone: string | null }[];
  groupLeader: { name: string; phone: string | null } | null;
  members: { matchId: string; placementId: string | null; profileId: string }[];
  note: string | null;
  version: number;
  createdBy: string;
  createdAt: Date;
  updatedAt: Date;
}

const toBatch = (d: Record<string, unknown>): TransferBatch => {
  const { _id, ...rest } = d;
  return { id: String(_id), ...rest } as TransferBatch;
};

const notFound = () =>
  new AppError('not_found', { detail: '输送批次不存在', detailEn: 'No such transfer batch' });

function invalid(path: string, message: string, zh: string): AppError {
  return new AppError('validation_failed', {
    detail: `${path}：${zh}`,
    detailEn: `${path}: ${message}`,
    issues: [{ path, code: 'invalid_member', message }],
  });
}

const MEMBER_MATCH_STATES: readonly MatchStatus[] = [
  'approved',
  'proposed',
  'interested',
  'interviewing',
  'hired',
  'placed',
  'retained',
];

/**
 * Resolves members: placements and matches visible to `actor`, of people from the batch's origin,
 * going to the batch's employer. One foreign or unfit id refuses the whole list.
 */
async function resolveMembers(
  actor: Actor,
  origin: string,
  employerId: string,
  placementIds: readonly string[],
  matchIds: readonly string[],
) {
  const members = new Map<string, TransferBatch['members'][number]>();
  const placements = await placementsByIds(placementIds, placementScope(actor));
  if (placements.length !== new Set(placementIds).size) throw notFoundMember();
  for (const p of placements) {
    if (p.employerId !== employerId || !p.profileRegionPath.includes(origin) || p.status === 'ended')
      throw invalid(
        'body.placementIds',
        'a placement of another origin or employer, or ended',
        '成员的来源地或用人单位与批次不一致，或安置已结束',
      );
    members.set(p.matchId, { matchId: p.matchId, placementId: p.id, profileId: p.profileId });
  }
  for (const id of new Set(matchIds)) {
    const m = await findMatchFor(actor, id);
    if (!m) throw notFoundMember();
    if (
      m.employerId !== employerId ||
      !m.profileRegionPath.includes(origin) ||
      !MEMBER_MATCH_STATES.includes(m.status)
    )
      throw invalid(
        'body.matchIds',
        'a match of another origin or employer, or not approved',
        '成员的来源地或用人单位与批次不一致，或匹配未审核通过',
      );
    if (!members.has(m.id))
      members.set(m.id, { matchId: m.id, placementId: m.placementId ?? null, profileId: m.profileId });
  }
  return [...members.values()];
}

const notFoundMember = () =>
  new AppError('not_found', {
    detail: '请求中包含不存在或无权访问的成员，未做任何修改',
    detailEn: 'A member does not exist or is not yours; nothing was changed',
  });

async function checkPlaces(
  actor: Actor,
  input: { originCode: string; employerId: string; destinationCode: string },
) {
  await assertRegion('body.originCode', input.originCode, { levels: ['county', 'prefecture'] });
  await assertRegion('body.destinationCode', input.destinationCode, { levels: ['prefecture', 'county'] });
  if (
    !actor.roles.includes('admin') &&
    !(actor.jurisdictionCode && isWithin(input.originCode, actor.jurisdictionCode))
  )
    throw invalid('body.originCode', 'outside your jurisdiction', '不在本机构辖区内');
  const employer = await findOrganizationById(input.employerId);
  if (employer?.type !== 'employer')
    throw invalid('body.employerId', 'not an employer organisation', '不是用人单位');
}

/**
 * Creates a transfer batch from placements and/or approved matches (other modules: a campaign
 * plan's acceptance). Members must be the actor's, from `originCode`, going to `employerId`.
 */
export async function createTransferBatch(actor: Actor, input: CreateBatchInput): Promise<TransferBatch> {
  await checkPlaces(actor, input);
  const members = await resolveMembers(
    actor,
    input.originCode,
    input.employerId,
    input.placementIds,
    input.matchIds,
  );
  const doc = await BatchModel.create({
    originCode: input.originCode,
    originPath: regionPath(input.originCode),
    employerId: input.employerId,
    destinationCode: input.destinationCode,
    destinationPath: regionPath(input.destinationCode),
    travelDate: input.travelDate,
    transport: input.transport,
    escorts: input.escorts.map((e) => ({ name: e.name, phone: e.phone ?? null })),
    groupLeader: input.groupLeader
      ? { name: input.groupLeader.name, phone: input.groupLeader.phone ?? null }
      : null,
    members,
    note: input.note ?? null,
    version: 1,
    createdBy: actor.userId,
  });
  const batch = toBatch(doc.toObject());
  await setTransferBatch(
    members.flatMap((m) => (m.placementId ? [m.placementId] : [])),
    batch.id,
  );
  await audit.record({
    action: 'transfer_batch.create',
    resource: { type: 'transfer_batch', id: batch.id },
    fields: Object.keys(input),
  });
  return batch;
}

export async function listTransferBatches(actor: Actor, q: ListBatchesQuery): Promise<Page<TransferBatch>> {
  const filter: Record<string, unknown> = {};
  if (q.employerId) filter.employerId = q.employerId;
  if (q.originCode) filter.originPath = q.originCode;
  return paginate(BatchModel, withinScope(filter, batchReadScope(actor)), q, toBatch);
}

/** Employer id → name for `batches` (the organisations collection is small; ids at most a page). */
export async function employerNamesOf(batches: readonly TransferBatch[]): Promise<Map<string, string>> {
  const ids = [...new Set(batches.map((b) => b.employerId))];
  if (!ids.length) return new Map();
  return new Map((await findOrganizationsByIds(ids)).map((o) => [o.id, o.name]));
}

/**
 * The batch's members as people lists show them (masked name, sex, age), for whoever may read those
 * people: the origin federation and admins. Absent for everyone else (the destination city's staff).
 * Audited as a read of the batch's people when any is shown.
 */
export async function memberDisplays(
  deps: Pick<PlacementDeps, 'config'>,
  actor: Actor,
  batch: TransferBatch,
): Promise<Map<string, ProfileDisplay>> {
  const people = await profileDisplaysByIds(
    deps,
    actor,
    batch.members.map((m) => m.profileId),
  );
  if (people.size > 0)
    await audit.record({
      action: 'transfer_batch.read_members',
      resource: { type: 'transfer_batch', id: batch.id },
      fields: ['name', 'sex', 'age'],
    });
  return people;
}

/** How many of an opening's matches a candidate list offers at most (the best scores first). */
const CANDIDATE_LIMIT = 200;

/**
 * Who may travel for an opening: its matches approved or further along, of people the caller may
 * read (the origin federation's own), from `originCode` when given; each person as people lists
 * show them, so staff choose by name rather than by id. 404 when the caller may not see the
 * opening. Audited like a batch's members.
 */
export async function batchCandidates(
  deps: Pick<PlacementDeps, 'config'>,
  actor: Actor,
  openingId: string,
  q: BatchCandidatesQuery,
) {
  const opening = await getOpening(actor, openingId);
  const page = await matchesOfOpeningFor(actor, opening.id, MEMBER_MATCH_STATES, {
    ...(q.originCode ? { originCode: q.originCode } : {}),
    limit: CANDIDATE_LIMIT,
  });
  const people = await profileDisplaysByIds(
    deps,
    actor,
    page.items.map((m) => m.profileId),
  );
  const items = page.items.flatMap((m) => {
    const d = people.get(m.profileId);
    if (!d) return [];
    const person = { name: d.name, sex: d.sex, age: d.age };
    return [
      {
        matchId: m.id,
        profileId: m.profileId,
        placementId: m.placementId ?? null,
        status: m.status,
        score: m.score,
        person,
      },
    ];
  });
  if (items.length > 0)
    await audit.record({
      action: 'transfer_batch.read_candidates',
      resource: { type: 'opening', id: opening.id },
      fields: ['name', 'sex', 'age'],
    });
  return { items };
}

export async function getTransferBatch(actor: Actor, id: string, write = false): Promise<TransferBatch> {
  const scope = write ? batchWriteScope(actor) : batchReadScope(actor);
  const doc = Types.ObjectId.isValid(id)
    ? await BatchModel.findOne(withinScope({ _id: new Types.ObjectId(id) }, scope)).lean()
    : null;
  if (!doc && !write)
    // A batch lists its members: a refused read is audited like any other of personal data.
    await audit.foundOrDenied(
      doc,
      { action: 'transfer_batch.read', resource: { type: 'transfer_batch', id } },
      notFound,
    );
  if (!doc) throw notFound();
  return toBatch(doc as Record<string, unknown>);
}

export async function updateTransferBatch(
  actor: Actor,
  id: string,
  expected: number,
  input: UpdateBatchInput,
): Promise<TransferBatch> {
  const current = await getTransferBatch(actor, id, true);
  if (current.version !== expected)
    throw new AppError('precondition_failed', { extra: { currentVersion: current.version } });
  const set: Record<string, unknown> = {};
  if (input.destinationCode) {
    await checkPlaces(actor, { ...current, destinationCode: input.destinationCode });
    set.destinationCode = input.destinationCode;
    set.destinationPath = regionPath(input.destinationCode);
  }
  if (input.travelDate) set.travelDate = input.travelDate;
  if (input.transport) set.transport = input.transport;
  if (input.escorts) set.escorts = input.escorts.map((e) => ({ name: e.name, phone: e.phone ?? null }));
  if (input.groupLeader !== undefined)
    set.groupLeader = input.groupLeader
      ? { name: input.groupLeader.name, phone: input.groupLeader.phone ?? null }
      : null;
  if (input.note !== undefined) set.note = input.note;
  let members = current.members;
  if (input.placementIds || input.matchIds) {
    members = await resolveMembers(
      actor,
      current.originCode,
      current.employerId,
      input.placementIds ?? current.members.flatMap((m) => (m.placementId ? [m.placementId] : [])),
      input.matchIds ?? current.members.filter((m) => !m.placementId).map((m) => m.matchId),
    );
    set.members = members;
  }
  const doc = await BatchModel.findOneAndUpdate(
    { _id: new Types.ObjectId(id), version: expected },
    { $set: set, $inc: { version: 1 } },
    { returnDocument: 'after' },
  ).lean();
  const updated = doc ? toBatch(doc as Record<string, unknown>) : null;
  if (!updated) throw new AppError('precondition_failed', { extra: { currentVersion: current.version + 1 } });
  const before = new Set(current.members.flatMap((m) => (m.placementId ? [m.placementId] : [])));
  const after = new Set(members.flatMap((m) => (m.placementId ? [m.placementId] : [])));
  await setTransferBatch(
    [...before].filter((p) => !after.has(p)),
    null,
  );
  await setTransferBatch([...after], id);
  await audit.record({
    action: 'transfer_batch.update',
    resource: { type: 'transfer_batch', id },
    fields: Object.keys(input),
  });
  return updated;
}

export async function deleteTransferBatch(actor: Actor, id: string): Promise<void> {
  const current = await getTransferBatch(actor, id, true);
  await BatchModel.deleteOne(trustedFilter({ _id: new Types.ObjectId(id) }));
  await setTransferBatch(
    current.members.flatMap((m) => (m.placementId ? [m.placementId] : [])),
    null,
  );
  await audit.record({ action: 'transfer_batch.delete', resource: { type: 'transfer_batch', id } });
}

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

const TRANSPORT_ZH: Record<string, string> = {
  chartered_bus: '包车',
  train: '火车',
  flight: '飞机',
  other: '其他',
};

/**
 * The roster for the journey: who travels (name and phone, for the escorts to reach them), their
 * accommodation needs on the way, and the batch details. The names are the federation's own
 * people (its jurisdiction), so the export is audited like a reveal.
 */
export async function exportRoster(
  actor: Actor,
  id: string,
  deps: PlacementDeps,
): Promise<{ buffer: Buffer; filename: string }> {
  // The origin federation only: the names are its own people's.
  const batch = await getTransferBatch(actor, id, true);
  const employer = await findOrganizationById(batch.employerId);
  const [origin, destination] = await Promise.all([
    findRegion(batch.originCode),
    findRegion(batch.destinationCode),
  ]);
  const workbook = new ExcelJS.Workbook();
  workbook.creator = '同心 Tongxin';
  const sheet = workbook.addWorksheet('花名册', { views: [{ state: 'frozen', ySplit: 5 }] });
  sheet.addRow(formulaSafeRow(['输送批次', batch.id]));
  sheet.addRow(
    formulaSafeRow([
      '出发地',
      origin?.zh ?? batch.originCode,
      '目的地',
      destination?.zh ?? batch.destinationCode,
    ]),
  );
  sheet.addRow(
    formulaSafeRow([
      '用人单位',
      employer?.name ?? batch.employerId,
      '出发日期',
      batch.travelDate,
      '交通方式',
      TRANSPORT_ZH[batch.transport] ?? batch.transport,
    ]),
  );
  sheet.addRow(
    formulaSafeRow([
      '领队',
      batch.groupLeader?.name ?? '',
      batch.groupLeader?.phone ?? '',
      '随行人员',
      batch.escorts.map((e) => (e.phone ? `${e.name}（${e.phone}）` : e.name)).join('、'),
    ]),
  );
  const header = sheet.addRow([
    '序号',
    '姓名',
    '性别',
    '年龄',
    '联系电话',
    '所需便利',
    '需要宿舍',
    '安置编号',
  ]);
  header.font = { bold: true };
  let n = 0;
  for (const m of batch.members) {
    const [identity, profile] = await Promise.all([
      shareableIdentity(deps, m.profileId),
      getProfileForMatching(deps, m.profileId),
    ]);
    if (!identity || !profile) continue;
    sheet.addRow(
      formulaSafeRow([
        ++n,
        identity.name,
        profile.sex === 'female' ? '女' : '男',
        profile.age,
        identity.phone ?? '',
        profile.accommodationsNeeded.join('、'),
        profile.preferences.needsDormitory ? '是' : '否',
        m.placementId ?? '',
      ]),
    );
  }
  await audit.record({
    action: 'transfer_batch.export',
    resource: { type: 'transfer_batch', id: batch.id },
    fields: ['name', 'phone', 'sex', 'age', 'accommodationsNeeded'],
  });
  const buffer = Buffer.from(await workbook.xlsx.writeBuffer());
  return {
    buffer,
    filename: `transfer-batch-${batch.travelDate.replaceAll('-', '')}-${batch.id.slice(-6)}.xlsx`,
  };
}
