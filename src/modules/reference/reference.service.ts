import { invalidateSessions } from '../../lib/auth/session-cache.js';
import { chinaDay } from '../../lib/china-time.js';
import { isDuplicateKey } from '../../lib/db/index.js';
import { AppError } from '../../lib/errors.js';
import { isInProvince, isWithin, PROVINCES } from '../../lib/regions.js';
import { audit } from '../audit/audit.service.js';
import { suggest } from './autocomplete.js';
import type { PartnershipRecord, PartnershipWrite } from './reference.repository.js';
import * as repo from './reference.repository.js';
import {
  buildReferenceSeed,
  type MitigationEntry,
  type RegionEntry,
  unknownCodeIssue,
  VOCABULARY_KINDS,
  type VocabularyEntry,
  type VocabularyKind,
} from './reference.seed.js';

export type { PartnershipRecord } from './reference.repository.js';
export type { MitigationEntry, VocabularyEntry, VocabularyKind } from './reference.seed.js';
export { unknownCodeIssue } from './reference.seed.js';
export type Region = RegionEntry;
export { isInProvince, isWithin, levelOf, PROVINCES, prefectureOf, provinceOf } from '../../lib/regions.js';

interface Cache {
  loadedAt: number;
  regions: Map<string, RegionEntry>;
  vocab: Map<VocabularyKind, VocabularyEntry[]>;
  vocabIndex: Map<string, VocabularyEntry>;
  mitigations: MitigationEntry[];
  partnerships: PartnershipRecord[];
}

// Reference data is small and read on every validation; it changes rarely (a seed, or an admin
// editing a partnership). Other processes see an edit within the TTL.
const TTL_MS = 30_000;
let cache: Cache | undefined;
let loading: Promise<Cache> | undefined;

async function load(): Promise<Cache> {
  const [regions, vocabularies, mitigations, partnerships] = await Promise.all([
    repo.loadRegions(),
    repo.loadVocabularies(),
    repo.loadMitigations(),
    repo.findPartnerships(),
  ]);
  const vocab = new Map<VocabularyKind, VocabularyEntry[]>();
  const vocabIndex = new Map<string, VocabularyEntry>();
  for (const v of vocabularies) {
    const list = vocab.get(v.kind) ?? [];
    list.push(v);
    vocab.set(v.kind, list);
    vocabIndex.set(`${v.kind}.${v.code}`, v);
  }
  return {
    loadedAt: Date.now(),
    regions: new Map(regions.map((r) => [r.code, r])),
    vocab,
    vocabIndex,
    mitigations,
    partnerships,
  };
}

async function data(): Promise<Cache> {
  if (cache && Date.now() - cache.loadedAt < TTL_MS) return cache;
  loading ??= load().finally(() => {
    loading = undefined;
  });
  cache = await loading;
  return cache;
}

export function invalidateReferenceCache(): void {
  cache = undefined;
}

/**
 * Converts reference documents stored in a former shape (idempotent), then applies the versioned
 * seed when MongoDB holds another version (a no-op otherwise). `migrated` counts the converted
 * documents.
 */
export async function ensureReferenceData(): Promise<{
  applied: boolean;
  version: string;
  migrated: number;
}> {
  const migrated = await repo.migrateMitigationShape();
  if (migrated > 0) invalidateReferenceCache();
  const seed = buildReferenceSeed();
  if ((await repo.seedVersion()) === seed.version) return { applied: false, version: seed.version, migrated };
  await repo.applySeed(seed);
  invalidateReferenceCache();
  await invalidateSessions({ kind: 'all' });
  return { applied: true, version: seed.version, migrated };
}

// ---- regions -------------------------------------------------------------------------------

export async function findRegion(code: string): Promise<Region | null> {
  return (await data()).regions.get(code) ?? null;
}

export async function listRegions(filter: {
  parent?: string;
  level?: Region['level'];
  q?: string;
}): Promise<Region[]> {
  const q = filter.q?.trim().toLowerCase();
  return [...(await data()).regions.values()].filter(
    (r) =>
      (!filter.parent || r.parentCode === filter.parent) &&
      (!filter.level || r.level === filter.level) &&
      (!q || r.zh.includes(q) || r.pinyin.startsWith(q) || r.initials.startsWith(q) || r.code.startsWith(q)),
  );
}

/**
 * Throws a 400 naming `field` unless the code is a known region that satisfies `rule`; used by
 * every module that accepts a region code.
 */
export async function assertRegion(
  field: string,
  code: string,
  rule?: { within?: string[]; levels?: Region['level'][]; message?: string; messageEn?: string },
): Promise<Region> {
  const region = await findRegion(code);
  const fail = (message: string, messageEn: string) =>
    new AppError('validation_failed', {
      detail: `${field}：${message}`,
      detailEn: `${field}: ${messageEn}`,
      issues: [{ path: field, code: 'invalid_region', message: messageEn }],
    });
  if (!region) throw fail(`未知的行政区划代码 ${code}`, `unknown region code ${code}`);
  if (rule?.levels && !rule.levels.includes(region.level))
    throw fail(`应为${rule.levels.join('/')}级行政区划`, `must be a ${rule.levels.join(' or ')}`);
  if (rule?.within && !isInProvince(code, ...rule.within))
    throw fail(rule.message ?? '不在允许的地区范围内', rule.messageEn ?? 'outside the allowed regions');
  return region;
}

// ---- vocabularies --------------------------------------------------------------------------

export async function getVocabulary(kind: VocabularyKind): Promise<VocabularyEntry[]> {
  return (await data()).vocab.get(kind) ?? [];
}

export async function findVocabularyEntry(
  kind: VocabularyKind,
  code: string,
): Promise<VocabularyEntry | null> {
  return (await data()).vocabIndex.get(`${kind}.${code}`) ?? null;
}

/** 400 naming each unknown code with its index, e.g. `accommodationsNeeded.2`. */
export async function assertKnownCodes(
  kind: VocabularyKind,
  field: string,
  codes: readonly string[],
): Promise<void> {
  const index = (await data()).vocabIndex;
  const issues = codes
    .map((code, i) => ({ code, i }))
    .filter(({ code }) => !index.has(`${kind}.${code}`))
    .map(({ code, i }) =>
      unknownCodeIssue(kind, codes.length === 1 && !field.endsWith(']') ? field : `${field}.${i}`, code),
    );
  if (issues.length)
    throw new AppError('validation_failed', {
      detail: `${issues.map((i) => i.path).join(', ')}：未知的代码`,
      detailEn: `Unknown code(s) in ${issues.map((i) => i.path).join(', ')}`,
      issues,
    });
}

export async function listMitigations(): Promise<MitigationEntry[]> {
  return (await data()).mitigations;
}

export async function suggestSkills(q: string, limit: number) {
  return suggest(await getVocabulary('skill'), q, limit);
}

export function vocabularyKinds(): readonly VocabularyKind[] {
  return VOCABULARY_KINDS;
}

// ---- partnerships --------------------------------------------------------------------------

export async function listPartnerships(
  filter: { code?: string; activeOn?: string } = {},
): Promise<PartnershipRecord[]> {
  return (await data()).partnerships.filter(
    (p) =>
      (!filter.code ||
        isWithin(filter.code, p.receivingCode) ||
        isWithin(p.receivingCode, filter.code) ||
        isWithin(filter.code, p.supportingCode) ||
        isWithin(p.supportingCode, filter.code)) &&
      (!filter.activeOn || (p.from <= filter.activeOn && (!p.to || p.to >= filter.activeOn))),
  );
}

/** Supporting regions paired with a 四川 code (the code itself or an enclosing prefecture). */
export async function supportersOf(receivingCode: string, on = chinaDay()) {
  return (await listPartnerships({ activeOn: on })).filter((p) => isWithin(receivingCode, p.receivingCode));
}

async function validatePartnership(p: PartnershipWrite): Promise<void> {
  await assertRegion('supportingCode', p.supportingCode, {
    within: [PROVINCES.zhejiang, PROVINCES.guangdong],
    levels: ['province', 'prefecture'],
    message: '支援方应为浙江或广东的省或市',
    messageEn: 'the supporting side must be a province or city of 浙江 or 广东',
  });
  await assertRegion('receivingCode', p.receivingCode, {
    within: [PROVINCES.sichuan],
    levels: ['prefecture', 'county'],
    message: '受援方应为四川的市（州）或县',
    messageEn: 'the receiving side must be a prefecture or county of 四川',
  });
  if (p.to && p.to < p.from)
    throw new AppError('validation_failed', {
      detail: 'to：结束日期不能早于开始日期',
      detailEn: 'to: must not be before from',
      issues: [{ path: 'to', code: 'invalid_period', message: 'must not be before from' }],
    });
}

export async function createPartnership(p: PartnershipWrite, userId?: string): Promise<PartnershipRecord> {
  await validatePartnership(p);
  try {
    const created = await repo.insertPartnership(p, userId);
    invalidateReferenceCache();
    await invalidateSessions({ kind: 'all' });
    await audit.record({
      action: 'partnership.create',
      resource: { type: 'partnership', id: created.id },
      fields: Object.keys(p),
    });
    return created;
  } catch (err) {
    if (isDuplicateKey(err))
      throw new AppError('duplicate', {
        detail: '该帮扶关系已存在',
        detailEn: 'This partnership already exists',
      });
    throw err;
  }
}

export async function getPartnership(id: string): Promise<PartnershipRecord> {
  const p = await repo.findPartnership(id);
  if (!p) throw new AppError('not_found');
  return p;
}

export async function updatePartnership(
  id: string,
  expectedVersion: number,
  patch: Partial<PartnershipWrite>,
  userId?: string,
): Promise<PartnershipRecord> {
  const current = await getPartnership(id);
  await validatePartnership({ ...current, ...patch } as PartnershipWrite);
  const updated = await repo.updatePartnership(id, expectedVersion, patch, userId);
  if (!updated)
    throw new AppError('precondition_failed', {
      extra: { currentVersion: (await getPartnership(id)).version },
    });
  invalidateReferenceCache();
  await invalidateSessions({ kind: 'all' });
  await audit.record({
    action: 'partnership.update',
    resource: { type: 'partnership', id },
    fields: Object.keys(patch),
  });
  return updated;
}

export async function removePartnership(id: string): Promise<void> {
  if (!(await repo.deletePartnership(id))) throw new AppError('not_found');
  invalidateReferenceCache();
  await invalidateSessions({ kind: 'all' });
  await audit.record({ action: 'partnership.delete', resource: { type: 'partnership', id } });
}
