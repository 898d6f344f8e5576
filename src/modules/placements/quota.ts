/**
 * Quota employment credit (按比例就业, pure). A disabled employee counts towards an employer's quota
 * only with a labour contract of at least one year, pay at or above the local minimum wage and
 * social insurance paid; a holder of a level 一 or 二 certificate counts as two; employers must
 * employ disabled people at the provincial rate (≥ 1.5 % nationally) of their staff.
 * (《残疾人就业条例》, 《残疾人就业保障金征收使用管理办法》; see DOMAIN.md.)
 */
export interface QuotaPlacement {
  id: string;
  profileId: string;
  employerId: string;
  contractStart: string;
  contractEnd: string;
  monthlyWage: number;
  minimumWageAtHire: number | null;
  socialInsurance: boolean;
  disabilityLevel: string;
  status: 'placed' | 'retained' | 'ended';
  endedOn?: string | null;
}

export type DisqualifyingReason =
  | 'contract_under_one_year'
  | 'wage_below_minimum'
  | 'minimum_wage_unknown'
  | 'no_social_insurance'
  | 'not_employed';

/** Whole months and days: a contract from 2025-03-01 to 2026-02-28 is one year (inclusive end). */
export function contractAtLeastOneYear(start: string, end: string): boolean {
  const [y, m, d] = start.split('-').map(Number) as [number, number, number];
  const oneYearLater = new Date(Date.UTC(y + 1, m - 1, d));
  oneYearLater.setUTCDate(oneYearLater.getUTCDate() - 1);
  return end >= oneYearLater.toISOString().slice(0, 10);
}

export function quotaWeight(disabilityLevel: string): 1 | 2 {
  return disabilityLevel === '1' || disabilityLevel === '2' ? 2 : 1;
}

/** Active on `day`: started, not ended, contract running. */
export function isActiveOn(p: QuotaPlacement, day: string): boolean {
  if (p.status === 'ended' && (!p.endedOn || p.endedOn <= day)) return false;
  return p.contractStart <= day && p.contractEnd >= day;
}

export function disqualifications(p: QuotaPlacement, day: string): DisqualifyingReason[] {
  const out: DisqualifyingReason[] = [];
  if (!isActiveOn(p, day)) out.push('not_employed');
  if (!contractAtLeastOneYear(p.contractStart, p.contractEnd)) out.push('contract_under_one_year');
  if (p.minimumWageAtHire === null) out.push('minimum_wage_unknown');
  else if (p.monthlyWage < p.minimumWageAtHire) out.push('wage_below_minimum');
  if (!p.socialInsurance) out.push('no_social_insurance');
  return out;
}

export interface QuotaLine {
  placementId: string;
  weight: 0 | 1 | 2;
  qualifies: boolean;
  reasons: DisqualifyingReason[];
  /** The same person counted at another employer at the same time (挂名就业 risk). */
  paperEmployment: boolean;
}

export interface QuotaSummary {
  day: string;
  staffCount: number | null;
  /** Percent, e.g. 1.5. */
  ratePercent: number;
  /** Staff × rate, in persons (fractional, as the levy is computed). */
  required: number | null;
  credited: number;
  shortfall: number | null;
  lines: QuotaLine[];
  paperEmploymentCount: number;
}

/**
 * The employer's credit on `day`. `elsewhere` holds, per profile, the other employers' placements
 * active at the same time: a person counted by two employers at once is flagged (and still
 * listed, so a federation can look into it), never silently dropped.
 */
export function quotaCredit(input: {
  day: string;
  staffCount: number | null;
  ratePercent: number;
  placements: readonly QuotaPlacement[];
  elsewhere: ReadonlyMap<string, readonly QuotaPlacement[]>;
}): QuotaSummary {
  const lines = input.placements.map((p): QuotaLine => {
    const reasons = disqualifications(p, input.day);
    const paper = (input.elsewhere.get(p.profileId) ?? []).some(
      (o) => o.employerId !== p.employerId && isActiveOn(o, input.day) && isActiveOn(p, input.day),
    );
    const qualifies = reasons.length === 0;
    return {
      placementId: p.id,
      weight: qualifies ? quotaWeight(p.disabilityLevel) : 0,
      qualifies,
      reasons,
      paperEmployment: paper,
    };
  });
  const credited = lines.reduce((n, l) => n + l.weight, 0);
  const required = input.staffCount === null ? null : round2((input.staffCount * input.ratePercent) / 100);
  return {
    day: input.day,
    staffCount: input.staffCount,
    ratePercent: input.ratePercent,
    required,
    credited,
    shortfall: required === null ? null : round2(Math.max(0, required - credited)),
    lines,
    paperEmploymentCount: lines.filter((l) => l.paperEmployment).length,
  };
}

const round2 = (n: number) => Math.round(n * 100) / 100;
