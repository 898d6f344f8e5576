import { isWithin } from '../../lib/regions.js';
import { contractAtLeastOneYear } from './quota.js';

/**
 * What a placement carries for the reports (pure): the fields they group by, fixed at hire from the
 * match, the profile and the partnerships, so no report ever needs to join collections.
 */
export interface PlacementReportFields {
  disabilityCategory: string | null;
  originCounty: string | null;
  partnershipId: string | null;
  suggestedAt: Date | null;
  approvedAt: Date | null;
  proposedAt: Date | null;
  hiredAt: Date;
  daysToHire: number | null;
  quotaEligible: boolean;
}

const DAY_MS = 86_400_000;

/** When a match (last) reached `action` in its history, or null. */
export function lastActionAt(history: readonly { action: string; at: Date }[], action: string): Date | null {
  for (let i = history.length - 1; i >= 0; i--) if (history[i]!.action === action) return history[i]!.at;
  return null;
}

/** The partnership pairing the person's origin with the workplace (the first one listed), or null. */
export function partnershipOf(
  originCode: string | null,
  workplaceCode: string,
  partnerships: readonly { id: string; supportingCode: string; receivingCode: string }[],
): string | null {
  if (!originCode) return null;
  return (
    partnerships.find(
      (p) => isWithin(originCode, p.receivingCode) && isWithin(workplaceCode, p.supportingCode),
    )?.id ?? null
  );
}

/** The quota conditions that are fixed at hire (whether it is still active is decided on the day). */
export function quotaConditionsMet(p: {
  contractStart: string;
  contractEnd: string;
  monthlyWage: number;
  minimumWageAtHire: number | null;
  socialInsurance: boolean;
}): boolean {
  return (
    contractAtLeastOneYear(p.contractStart, p.contractEnd) &&
    p.minimumWageAtHire !== null &&
    p.monthlyWage >= p.minimumWageAtHire &&
    p.socialInsurance
  );
}

export function reportFieldsAtHire(input: {
  match: { suggestedAt: Date | null; history: readonly { action: string; at: Date }[] };
  profile: { disabilityCategory: string | null; originCode: string | null };
  workplaceCode: string;
  partnerships: readonly { id: string; supportingCode: string; receivingCode: string }[];
  contract: Parameters<typeof quotaConditionsMet>[0];
  now: Date;
}): PlacementReportFields {
  const { match } = input;
  const hiredAt = lastActionAt(match.history, 'hire') ?? input.now;
  const suggestedAt = match.suggestedAt ?? null;
  return {
    disabilityCategory: input.profile.disabilityCategory,
    originCounty: input.profile.originCode,
    partnershipId: partnershipOf(input.profile.originCode, input.workplaceCode, input.partnerships),
    suggestedAt,
    approvedAt: lastActionAt(match.history, 'approve'),
    proposedAt: lastActionAt(match.history, 'propose'),
    hiredAt,
    daysToHire: suggestedAt
      ? Math.max(0, Math.floor((hiredAt.getTime() - suggestedAt.getTime()) / DAY_MS))
      : null,
    quotaEligible: quotaConditionsMet(input.contract),
  };
}
