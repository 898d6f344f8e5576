import { findOrganizationsByIds } from '../orgs/orgs.service.js';
import type { Opening } from './openings.repository.js';
import { allowedActions } from './openings.status.js';

/** Openings as the API shows them. */

export function presentOpening(o: Opening, employerName: string | null = null) {
  return {
    id: o.id,
    employerId: o.employerId,
    employerName,
    title: o.title,
    description: o.description,
    occupationGroup: o.occupationGroup,
    regionCode: o.regionCode,
    address: o.address,
    skills: o.skills.map((s) => ({ code: s.code, level: s.level })),
    preferredTraining: o.preferredTraining,
    headcount: o.headcount,
    filled: o.filled,
    wageMin: o.wageMin,
    wageMax: o.wageMax,
    hours: {
      hoursPerDay: o.hours.hoursPerDay,
      daysPerWeek: o.hours.daysPerWeek,
      shifts: o.hours.shifts,
      note: o.hours.note ?? null,
    },
    jobDemands: o.jobDemands,
    accommodationsOffered: o.accommodationsOffered,
    dormitory: {
      provided: o.dormitory.provided,
      accessible: o.dormitory.accessible,
      costPerMonthCny: o.dormitory.costPerMonthCny,
    },
    canteen: o.canteen,
    travelSubsidyCny: o.travelSubsidyCny,
    contract: {
      termMonths: o.contract.termMonths,
      socialInsurance: o.contract.socialInsurance,
      housingFund: o.contract.housingFund,
    },
    accommodationContact: {
      name: o.accommodationContact.name,
      phone: o.accommodationContact.phone,
      email: o.accommodationContact.email ?? null,
    },
    startDate: o.startDate,
    suitableFor: o.suitableFor,
    status: o.status,
    statusChangedAt: o.statusChangedAt.toISOString(),
    allowedActions: allowedActions(o.status),
    version: o.version,
    createdAt: o.createdAt.toISOString(),
    updatedAt: o.updatedAt.toISOString(),
  };
}

export type PresentedOpening = ReturnType<typeof presentOpening>;

/** Employer names for a page of openings, one lookup per distinct employer. */
export async function employerNames(openings: readonly Opening[]): Promise<Map<string, string>> {
  const orgs = await findOrganizationsByIds(openings.map((o) => o.employerId));
  return new Map(orgs.map((o) => [o.id, o.name]));
}

export async function presentOpenings(openings: readonly Opening[]): Promise<PresentedOpening[]> {
  const names = await employerNames(openings);
  return openings.map((o) => presentOpening(o, names.get(o.employerId) ?? null));
}
