import mongoose, { Schema } from 'mongoose';
import { definePolicy } from '../../lib/auth/policy.js';
import { trustedFilter } from '../../lib/db/index.js';
import { AppError } from '../../lib/errors.js';
import { levelOf, PROVINCES, provinceOf } from '../../lib/regions.js';
import { audit } from '../audit/audit.service.js';
import { assertRegion } from './reference.service.js';

/**
 * Labour standards as reference data, edited by admins: the monthly minimum wage of each city (or
 * a province-wide default tier) and each province's quota employment rate (按比例就业, ≥ 1.5 %).
 * Placements record the minimum wage of their city at hire, so a later change never rewrites the
 * quota credit already earned.
 *
 * The starting values are examples of the published tiers around 2023; provinces revise them every
 * two to three years, so admins keep them current here.
 */
const minimumWageSchema = new Schema(
  {
    _id: { type: String, required: true },
    monthlyCny: { type: Number, required: true },
    effectiveFrom: { type: String, required: true },
    note: { type: String },
    updatedBy: { type: String },
  },
  { collection: 'minimum_wages', timestamps: true, versionKey: false },
);
const quotaRateSchema = new Schema(
  {
    _id: { type: String, required: true },
    ratePercent: { type: Number, required: true },
    note: { type: String },
    updatedBy: { type: String },
  },
  { collection: 'quota_rates', timestamps: true, versionKey: false },
);
const MinimumWage = mongoose.model('MinimumWage', minimumWageSchema);
const QuotaRate = mongoose.model('QuotaRate', quotaRateSchema);

const DEFAULT_WAGES: [string, number, string][] = [
  // A province's own code holds its lowest tier: the fallback for cities without their own entry.
  ['440000', 1720, '2023-12-01'],
  ['440100', 2300, '2023-12-01'],
  ['440300', 2360, '2022-07-01'],
  ['440400', 1900, '2023-12-01'],
  ['440600', 1900, '2023-12-01'],
  ['441900', 1900, '2023-12-01'],
  ['442000', 1900, '2023-12-01'],
  ['330000', 2010, '2023-12-01'],
  ['330100', 2490, '2023-12-01'],
  ['330200', 2490, '2023-12-01'],
  ['330300', 2260, '2023-12-01'],
  ['330400', 2260, '2023-12-01'],
  ['330500', 2260, '2023-12-01'],
  ['330600', 2260, '2023-12-01'],
  ['330700', 2260, '2023-12-01'],
  ['331000', 2260, '2023-12-01'],
  ['510000', 1870, '2022-04-01'],
];
const DEFAULT_RATES: [string, number][] = [
  [PROVINCES.guangdong, 1.5],
  [PROVINCES.zhejiang, 1.5],
  [PROVINCES.sichuan, 1.5],
];

let seeded: Promise<void> | undefined;

/** Inserts the starting values that are missing (never overwrites an admin's edit). */
async function ensureDefaults(): Promise<void> {
  seeded ??= (async () => {
    for (const [code, monthlyCny, effectiveFrom] of DEFAULT_WAGES)
      await MinimumWage.updateOne(
        { _id: code },
        { $setOnInsert: { monthlyCny, effectiveFrom, note: 'example starting value' } },
        { upsert: true },
      );
    for (const [code, ratePercent] of DEFAULT_RATES)
      await QuotaRate.updateOne({ _id: code }, { $setOnInsert: { ratePercent } }, { upsert: true });
  })().catch((err) => {
    seeded = undefined;
    throw err;
  });
  return seeded;
}

export interface MinimumWageEntry {
  regionCode: string;
  monthlyCny: number;
  effectiveFrom: string;
  note: string | null;
}
export interface QuotaRateEntry {
  provinceCode: string;
  ratePercent: number;
  note: string | null;
}

const toWage = (d: Record<string, unknown>): MinimumWageEntry => ({
  regionCode: String(d._id),
  monthlyCny: d.monthlyCny as number,
  effectiveFrom: d.effectiveFrom as string,
  note: (d.note as string | undefined) ?? null,
});
const toRate = (d: Record<string, unknown>): QuotaRateEntry => ({
  provinceCode: String(d._id),
  ratePercent: d.ratePercent as number,
  note: (d.note as string | undefined) ?? null,
});

export async function listMinimumWages(): Promise<MinimumWageEntry[]> {
  await ensureDefaults();
  return (await MinimumWage.find().sort({ _id: 1 }).lean()).map((d) => toWage(d as Record<string, unknown>));
}

export async function listQuotaRates(): Promise<QuotaRateEntry[]> {
  await ensureDefaults();
  return (await QuotaRate.find().sort({ _id: 1 }).lean()).map((d) => toRate(d as Record<string, unknown>));
}

/** The minimum wage of a workplace: its city's, else its province's lowest tier; null when unknown. */
export async function minimumWageFor(regionCode: string): Promise<MinimumWageEntry | null> {
  await ensureDefaults();
  const level = levelOf(regionCode);
  const city = level === 'province' ? regionCode : `${regionCode.slice(0, 4)}00`;
  // The most specific of the three that exists, from one `_id: {$in: …}` read.
  const codes = [...new Set([regionCode, city, provinceOf(regionCode)])];
  const docs = await MinimumWage.find(trustedFilter({ _id: { $in: codes } })).lean();
  const byCode = new Map(docs.map((d) => [String(d._id), d]));
  const doc = codes.map((c) => byCode.get(c)).find((d) => d !== undefined);
  return doc ? toWage(doc as Record<string, unknown>) : null;
}

export async function quotaRateFor(regionCode: string): Promise<number | null> {
  await ensureDefaults();
  const doc = await QuotaRate.findById(provinceOf(regionCode)).lean();
  return doc ? (doc.ratePercent as number) : null;
}

export async function setMinimumWage(
  regionCode: string,
  input: { monthlyCny: number; effectiveFrom: string; note?: string },
  userId?: string,
): Promise<MinimumWageEntry> {
  await assertRegion('regionCode', regionCode, {
    levels: ['province', 'prefecture', 'county'],
    message: '未知的行政区划代码',
    messageEn: 'unknown region code',
  });
  await ensureDefaults();
  await MinimumWage.updateOne(
    { _id: regionCode },
    {
      $set: {
        monthlyCny: input.monthlyCny,
        effectiveFrom: input.effectiveFrom,
        note: input.note,
        updatedBy: userId,
      },
    },
    { upsert: true },
  );
  await audit.record({
    action: 'minimum_wage.set',
    resource: { type: 'minimum_wage', id: regionCode },
    fields: Object.keys(input),
  });
  return (await minimumWageFor(regionCode))!;
}

export async function setQuotaRate(
  provinceCode: string,
  input: { ratePercent: number; note?: string },
  userId?: string,
): Promise<QuotaRateEntry> {
  if (levelOf(provinceCode) !== 'province')
    throw new AppError('validation_failed', {
      detail: '配额比例按省设置',
      detailEn: 'Quota rates are set per province',
      issues: [{ path: 'params.code', code: 'not_a_province', message: 'a province code' }],
    });
  await ensureDefaults();
  await QuotaRate.updateOne(
    { _id: provinceCode },
    { $set: { ratePercent: input.ratePercent, note: input.note, updatedBy: userId } },
    { upsert: true },
  );
  await audit.record({
    action: 'quota_rate.set',
    resource: { type: 'quota_rate', id: provinceCode },
    fields: Object.keys(input),
  });
  const doc = await QuotaRate.findById(provinceCode).lean();
  return toRate(doc as Record<string, unknown>);
}

/** Admins edit the labour standards; everyone reads them (public figures, no personal data). */
export const labourStandardsPolicy = definePolicy({
  resource: 'labour_standards',
  actions: { set_minimum_wage: ['admin'], set_quota_rate: ['admin'] },
  writable: {
    set_minimum_wage: { admin: ['monthlyCny', 'effectiveFrom', 'note'] },
    set_quota_rate: { admin: ['ratePercent', 'note'] },
  },
});
