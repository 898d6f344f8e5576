import type { WorkerProfileSearchDocument } from '../../lib/search/indexes.js';
import type { WorkerProfile } from './profile.js';

/**
 * The profile's projection into the `worker_profiles` search index (pure). It receives only the
 * fields below — never the identity (name, ID and certificate numbers, phone), guardian, birth date,
 * sex, address-like free text or experience — so it cannot leak them; what it returns is codes and
 * the labels of those codes. The registering jurisdiction decides who finds the profile.
 */
export type SearchableProfile = Pick<
  WorkerProfile,
  | 'id'
  | 'version'
  | 'status'
  | 'originCode'
  | 'regionPath'
  | 'registeringFederationId'
  | 'disabilityCategory'
  | 'disabilityLevel'
  | 'functionalLimitations'
  | 'accommodationsNeeded'
  | 'skills'
  | 'updatedAt'
> & {
  training: readonly { readonly programmeCode: string }[];
  preferences: {
    readonly destinationCodes?: readonly string[];
    readonly needsAccessibleDormitory?: boolean;
    readonly minimumWage?: number | null;
  };
  /** Erased: only anonymous remains are kept, and nothing of them is searchable. */
  erased: boolean;
};

export interface ProfileSearchContext {
  /** The Chinese name of a GB/T 2260 code. */
  regionName(code: string): string | undefined;
  label(
    kind: 'skill' | 'training_programme' | 'limitation' | 'accommodation',
    code: string,
  ): { zh: string; en: string } | undefined;
}

/** Province, prefecture and county of a code, as `regionPath` holds them (pure). */
function pathOf(code: string): string[] {
  if (code.endsWith('0000')) return [code];
  const province = `${code.slice(0, 2)}0000`;
  if (code.endsWith('00')) return [province, code];
  return [province, `${code.slice(0, 4)}00`, code];
}

function labels(
  ctx: ProfileSearchContext,
  kind: Parameters<ProfileSearchContext['label']>[0],
  codes: readonly string[],
): string[] {
  const out: string[] = [];
  for (const code of codes) {
    const l = ctx.label(kind, code);
    if (l) out.push(l.zh, l.en);
  }
  return [...new Set(out)];
}

const names = (ctx: ProfileSearchContext, codes: readonly string[]) =>
  codes.map((c) => ctx.regionName(c)).filter((n): n is string => !!n);

/** The search document of a profile, or null when it must not be in the index (erased). */
export function toSearchDocument(
  p: SearchableProfile,
  ctx: ProfileSearchContext,
): WorkerProfileSearchDocument | null {
  if (p.erased) return null;
  const skillCodes = [...new Set(p.skills.map((s) => s.code))];
  const trainingCodes = [...new Set(p.training.map((t) => t.programmeCode))];
  const destinations = p.preferences.destinationCodes ?? [];
  // A destination city stands for its province too (a filter on 广东 finds 佛山).
  const destinationCodes = [...new Set(destinations.flatMap(pathOf))];
  return {
    id: p.id,
    federationId: p.registeringFederationId,
    // The profile belongs to the federations of its origin county and the regions above it: the
    // same `regionPath` the profiles module scopes by.
    jurisdictionCodes: [...p.regionPath],
    originRegionCodes: [...p.regionPath],
    originRegionNames: names(ctx, p.regionPath),
    skillCodes,
    skillLabels: labels(ctx, 'skill', skillCodes),
    trainingCodes,
    trainingLabels: labels(ctx, 'training_programme', trainingCodes),
    disabilityCategory: p.disabilityCategory,
    disabilityLevel: p.disabilityLevel,
    limitationCodes: [...p.functionalLimitations],
    limitationLabels: labels(ctx, 'limitation', p.functionalLimitations),
    accommodationCodes: [...p.accommodationsNeeded],
    accommodationLabels: labels(ctx, 'accommodation', p.accommodationsNeeded),
    destinationCodes,
    destinationNames: names(ctx, destinationCodes),
    needsAccessibleDormitory: !!p.preferences.needsAccessibleDormitory,
    minimumWage: p.preferences.minimumWage ?? null,
    status: p.status,
    updatedAt: new Date(p.updatedAt).getTime(),
    version: p.version,
  };
}
