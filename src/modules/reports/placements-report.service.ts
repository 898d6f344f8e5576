import { type Actor, hasRole } from '../../lib/auth/actor.js';
import { chinaDay, chinaYearBounds } from '../../lib/china-time.js';
import { AppError } from '../../lib/errors.js';
import { findOrganizationById, findOrganizationsByIds } from '../orgs/orgs.service.js';
import { disqualifications, quotaWeight } from '../placements/quota.js';
import { findRegion, getVocabulary, listPartnerships } from '../reference/reference.service.js';
import * as repo from './placements-report.repository.js';
import {
  type CreditGroup,
  creditDay,
  type Dimension,
  percentOf,
  rollUp,
  type TargetHolder,
  targetInScope,
  timeToPlacement,
  UNKNOWN,
} from './placements-report.rules.js';
import { placementReportScope } from './reports.policy.js';
import {
  PLACEMENT_SECTIONS,
  type PlacementSection,
  type PlacementsReport,
  type PlacementsReportQuery,
  type PlacementsReportRow,
  type SetTargetBody,
} from './reports.schemas.js';

/** Labels of a dimension's keys, in both languages (the console and the XLSX pick one). */
type Labeller = (keys: string[]) => Promise<Map<string, { zh: string; en: string }>>;

const unknownLabel = { zh: '未知', en: 'Unknown' };

const LABELLERS: Record<Dimension, Labeller> = {
  byPartnership: async (keys) => {
    const all = new Map((await listPartnerships()).map((p) => [p.id, p]));
    const out = new Map<string, { zh: string; en: string }>();
    for (const key of keys) {
      const p = all.get(key);
      if (!p) {
        out.set(key, key === 'none' ? { zh: '无结对关系', en: 'No partnership' } : unknownLabel);
        continue;
      }
      const [s, r] = await Promise.all([findRegion(p.supportingCode), findRegion(p.receivingCode)]);
      out.set(key, {
        zh: `${s?.zh ?? p.supportingCode} — ${r?.zh ?? p.receivingCode}`,
        en: `${s?.pinyin ?? p.supportingCode} — ${r?.pinyin ?? p.receivingCode}`,
      });
    }
    return out;
  },
  byCounty: async (keys) => {
    const out = new Map<string, { zh: string; en: string }>();
    for (const key of keys) {
      const r = key === UNKNOWN ? null : await findRegion(key);
      out.set(key, r ? { zh: r.zh, en: r.pinyin } : key === UNKNOWN ? unknownLabel : { zh: key, en: key });
    }
    return out;
  },
  byCategoryLevel: async (keys) => {
    const cats = new Map((await getVocabulary('disability_category')).map((c) => [c.code, c]));
    const levels = new Map((await getVocabulary('disability_level')).map((c) => [c.code, c]));
    return new Map(
      keys.map((key) => {
        const [c, l] = key.split('/') as [string, string];
        const cat = cats.get(c) ?? unknownLabel;
        const lvl = levels.get(l) ?? unknownLabel;
        return [key, { zh: `${cat.zh} · ${lvl.zh}`, en: `${cat.en} · ${lvl.en}` }];
      }),
    );
  },
  byEmployer: async (keys) => {
    const orgs = new Map(
      (await findOrganizationsByIds(keys.filter((k) => k !== UNKNOWN))).map((o) => [o.id, o]),
    );
    return new Map(
      keys.map((key) => {
        const name = orgs.get(key)?.name;
        return [key, name ? { zh: name, en: name } : unknownLabel];
      }),
    );
  },
};

async function labelled(dim: Dimension, rows: ReturnType<typeof rollUp>): Promise<PlacementsReportRow[]> {
  const labels = await LABELLERS[dim](rows.map((r) => r.key));
  return rows.map((r) => {
    const l = labels.get(r.key) ?? unknownLabel;
    return { ...r, label: l.zh, labelEn: l.en };
  });
}

/**
 * Older placements (before the quota conditions were kept at hire) judged by the same rules in
 * Node: a handful at most, and counted rather than left out.
 */
async function legacyCredits(f: repo.ReportFilter, day: string): Promise<CreditGroup[]> {
  const docs = await repo.legacyActivePlacements(f, day);
  return docs.flatMap((d) => {
    const p = {
      id: String(d._id),
      profileId: d.profileId as string,
      employerId: d.employerId as string,
      contractStart: d.contractStart as string,
      contractEnd: d.contractEnd as string,
      monthlyWage: d.monthlyWage as number,
      minimumWageAtHire: (d.minimumWageAtHire as number | null) ?? null,
      socialInsurance: d.socialInsurance as boolean,
      disabilityLevel: d.disabilityLevel as string,
      status: d.status as 'placed' | 'retained' | 'ended',
      endedOn: (d.endedOn as string | null) ?? null,
    };
    if (disqualifications(p, day).length) return [];
    return [
      {
        partnershipId: null,
        originCounty: null,
        disabilityCategory: null,
        disabilityLevel: p.disabilityLevel,
        employerId: p.employerId,
        weight: quotaWeight(p.disabilityLevel),
        count: 1,
      },
    ];
  });
}

/** The targets that make up the report's target (see `targetInScope`). */
async function targetHolders(actor: Actor, year: number): Promise<TargetHolder[]> {
  if (hasRole(actor, 'admin')) {
    const targets = await repo.targetsOfYear(year);
    const orgs = new Map(
      (await findOrganizationsByIds(targets.map((t) => t.organizationId))).map((o) => [o.id, o]),
    );
    // Placements are counted by the people's origin: the recipient federations' targets add up.
    return targets.flatMap((t) => {
      const org = orgs.get(t.organizationId);
      return org?.type === 'recipient_federation'
        ? [
            {
              organizationId: t.organizationId,
              jurisdictionCode: org.jurisdictionCode ?? null,
              target: t.target,
            },
          ]
        : [];
    });
  }
  const own = await repo.findTarget(actor.organizationId, year);
  return own.target === null
    ? []
    : [
        {
          organizationId: actor.organizationId,
          jurisdictionCode: actor.jurisdictionCode ?? null,
          target: own.target,
        },
      ];
}

/** Which of the report's queries a set of sections needs (an export reads one section). */
function queriesFor(sections: ReadonlySet<PlacementSection>) {
  const any = (...names: PlacementSection[]) => names.some((n) => sections.has(n));
  const dimensions = any('byPartnership', 'byCounty', 'byCategoryLevel', 'byEmployer');
  return {
    placements: dimensions || any('summary', 'funnel'),
    credits: dimensions || any('quotaCredit'),
    days: any('timeToPlacement'),
    // The two reads of the matches: the costliest part of the report on a large store.
    stages: any('funnel'),
    target: any('summary'),
  };
}

const ALL_SECTIONS: ReadonlySet<PlacementSection> = new Set(PLACEMENT_SECTIONS);
const none = <T>(empty: T) => Promise.resolve(empty);

/**
 * The placement report of a year within what the caller may count: summary against the target,
 * the pipeline funnel, placements by partnership, county, category and level, and employer, the
 * time to placement and the quota credit. `sections` limits the queries run to what those sections
 * show (an export of one section); the other sections then come back empty.
 */
export async function placementsReport(
  actor: Actor,
  query: PlacementsReportQuery,
  now = new Date(),
  sections: ReadonlySet<PlacementSection> = ALL_SECTIONS,
): Promise<PlacementsReport> {
  const f: repo.ReportFilter = {
    scope: placementReportScope(actor),
    ...chinaYearBounds(query.year),
    region: query.region,
  };
  const day = creditDay(query.year, chinaDay(now));
  const run = queriesFor(sections);
  const [{ groups, days }, credits, legacy, suggested, stages, holders] = await Promise.all([
    repo.placementsOfPeriod(f, { groups: run.placements, days: run.days }),
    run.credits ? repo.creditGroups(f, day) : none([]),
    run.credits ? legacyCredits(f, day) : none([]),
    run.stages ? repo.countSuggested(f) : none(0),
    run.stages ? repo.countStages(f, ['approve', 'propose', 'hire']) : none<Record<string, number>>({}),
    run.target ? targetHolders(actor, query.year) : none([]),
  ]);
  const allCredits = [...credits, ...legacy];
  const placed = groups.reduce((n, g) => n + g.count, 0);
  const target = targetInScope(holders, query.region);
  const dims: Dimension[] = ['byPartnership', 'byCounty', 'byCategoryLevel', 'byEmployer'];
  const [byPartnership, byCounty, byCategoryLevel, byEmployer] = await Promise.all(
    dims.map((d) => labelled(d, rollUp(d, groups, allCredits))),
  );
  const employerCredit = await labelled(
    'byEmployer',
    rollUp('byEmployer', [], allCredits).filter((r) => r.quotaCredit > 0),
  );
  const creditedCount = new Map<string, number>();
  for (const c of allCredits)
    creditedCount.set(c.employerId ?? UNKNOWN, (creditedCount.get(c.employerId ?? UNKNOWN) ?? 0) + c.count);
  return {
    year: query.year,
    region: query.region ?? null,
    generatedAt: now.toISOString(),
    summary: { placed, target, percentOfTarget: percentOf(placed, target), creditDay: day },
    funnel: [
      { stage: 'suggested', count: suggested },
      { stage: 'approved', count: stages.approve ?? 0 },
      { stage: 'proposed', count: stages.propose ?? 0 },
      { stage: 'hired', count: stages.hire ?? 0 },
      { stage: 'retained3m', count: groups.filter((g) => g.m3 === true).reduce((n, g) => n + g.count, 0) },
      { stage: 'retained6m', count: groups.filter((g) => g.m6 === true).reduce((n, g) => n + g.count, 0) },
    ],
    byPartnership: byPartnership!,
    byCounty: byCounty!,
    byCategoryLevel: byCategoryLevel!,
    byEmployer: byEmployer!,
    timeToPlacement: timeToPlacement(days),
    quotaCredit: {
      total: allCredits.reduce((n, c) => n + c.weight * c.count, 0),
      byEmployer: employerCredit
        .sort((a, b) => b.quotaCredit - a.quotaCredit || a.key.localeCompare(b.key))
        .map((r) => ({
          key: r.key,
          label: r.label,
          labelEn: r.labelEn,
          placements: creditedCount.get(r.key) ?? 0,
          credit: r.quotaCredit,
        })),
    },
  };
}

// ---- targets ----------------------------------------------------------------------------------

const noOrg = () =>
  new AppError('not_found', { detail: '该组织不存在或不是残联', detailEn: 'No such federation' });

/** The organisation whose target `actor` reads or sets: its own, or (admins) the one named. */
async function targetOrganization(actor: Actor, named?: string): Promise<string> {
  if (named && named !== actor.organizationId && !hasRole(actor, 'admin')) throw noOrg();
  const id = named ?? actor.organizationId;
  const org = await findOrganizationById(id);
  if (!org || (org.type !== 'recipient_federation' && org.type !== 'supporting_federation')) throw noOrg();
  return id;
}

export async function getPlacementTarget(actor: Actor, year: number, organizationId?: string) {
  return repo.findTarget(await targetOrganization(actor, organizationId), year);
}

export async function setPlacementTarget(actor: Actor, year: number, body: SetTargetBody, expected: number) {
  const orgId = await targetOrganization(actor, body.organizationId);
  const updated = await repo.setTargetIfVersion(orgId, year, expected, body.target, actor.userId);
  if (!updated) {
    const current = await repo.findTarget(orgId, year);
    throw new AppError('precondition_failed', {
      detail: '目标已被他人修改，请刷新后重试',
      detailEn: 'The target was changed meanwhile; reload and try again',
      extra: { currentVersion: current.version },
    });
  }
  return updated;
}
