import { chinaTime } from '../../lib/china-time.js';
import type { OpeningSearchDocument } from '../../lib/search/indexes.js';
import type { Opening } from './openings.repository.js';

/**
 * The opening's projection into the `openings` search index (pure). Only what a search needs:
 * the text people type (title, description, employer, place, skills, accommodations), the codes
 * filters and facets use, and the scope fields (employer, status, region). Never the address or
 * the accommodation contact (a named person and a phone number).
 */

/** Labels the projection needs, looked up by the caller (reference data, employer names). */
export interface OpeningSearchContext {
  employerName(employerId: string): string | null;
  /** The Chinese name of a GB/T 2260 code. */
  regionName(code: string): string | undefined;
  /** zh and en labels of a vocabulary code. */
  label(kind: 'skill' | 'accommodation', code: string): { zh: string; en: string } | undefined;
}

/** `2027-03-01` → epoch ms of that day at 00:00 China time (search reads it back with chinaDay). */
function startMs(day: string): number | null {
  const ms = chinaTime(day).getTime();
  return Number.isFinite(ms) ? ms : null;
}

function labels(
  ctx: OpeningSearchContext,
  kind: 'skill' | 'accommodation',
  codes: readonly string[],
): string[] {
  const out: string[] = [];
  for (const code of codes) {
    const l = ctx.label(kind, code);
    if (l) out.push(l.zh, l.en);
  }
  return [...new Set(out)];
}

/** When the opening was first published (its first move to `open`), or null for a draft. */
export function firstPublishedAt(o: Pick<Opening, 'statusHistory'>): number | null {
  const first = o.statusHistory.find((h) => h.to === 'open');
  return first ? new Date(first.at).getTime() : null;
}

export function toSearchDocument(o: Opening, ctx: OpeningSearchContext): OpeningSearchDocument {
  const skillCodes = o.skills.map((s) => s.code);
  return {
    id: o.id,
    employerId: o.employerId,
    employerName: ctx.employerName(o.employerId) ?? '',
    title: o.title,
    description: o.description,
    occupationCode: o.occupationGroup,
    regionCodes: [...o.regionPath],
    regionNames: o.regionPath.map((c) => ctx.regionName(c)).filter((n): n is string => !!n),
    skillCodes,
    skillLabels: labels(ctx, 'skill', skillCodes),
    jobDemandCodes: [...o.jobDemands],
    accommodationCodes: [...o.accommodationsOffered],
    accommodationLabels: labels(ctx, 'accommodation', o.accommodationsOffered),
    wageMin: o.wageMin,
    wageMax: o.wageMax,
    dormitory: o.dormitory.provided ? (o.dormitory.accessible ? 'accessible' : 'standard') : 'none',
    status: o.status,
    headcountOpen: Math.max(0, o.headcount - o.filled),
    startDate: startMs(o.startDate),
    publishedAt: firstPublishedAt(o),
    updatedAt: new Date(o.updatedAt).getTime(),
    version: o.version,
  };
}
