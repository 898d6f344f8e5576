import type { Redis } from 'ioredis';
import type { Config } from '../../config.js';
import { type Actor, hasRole } from '../../lib/auth/actor.js';
import { jurisdictionScope, partnershipScope } from '../../lib/auth/scope.js';
import { AppError } from '../../lib/errors.js';
import type { Logger } from '../../lib/logger.js';
import { isWithin } from '../../lib/regions.js';
import { audit } from '../audit/audit.service.js';
import { MatchingState } from '../matches/suggestions.state.js';
import { toMatchOpening } from '../matching/adapters.js';
import {
  type AdviceChange,
  type AdviceResult,
  adviseOpening,
  MASK_BELOW,
  type MaskedCount,
  masked,
} from '../matching/advice.js';
import type { MatchContext } from '../matching/context.js';
import { adviseTraining } from '../matching/training-advice.js';
import type { MatchOpening, Text } from '../matching/types.js';
import type { CreateOpeningInput } from '../openings/openings.schemas.js';
import { getOpening } from '../openings/openings.service.js';
import { getVocabulary } from '../reference/reference.service.js';

/**
 * Accommodation advice for the API (issue 21). The API holds its own copy of the matching
 * snapshot (MatchingState, as the matching workers do): loaded from MongoDB on the first request,
 * then kept current from the matching change log (read before each answer) and the paced poll, so
 * no request scans MongoDB. Counts only, masked from 1 to 4.
 */

export interface AdviceDeps {
  config: Config;
  logger: Logger;
  redis: Redis;
}

const states = new WeakMap<Redis, MatchingState>();

async function stateOf(deps: AdviceDeps): Promise<MatchingState> {
  let state = states.get(deps.redis);
  if (!state) {
    const s = new MatchingState({ config: deps.config, logger: deps.logger, redis: deps.redis });
    state = s;
    states.set(deps.redis, s);
    // The state lives as long as the API's Redis connection (closed at shutdown).
    deps.redis.once('end', () => void s.close());
  }
  await state.ready;
  await state.catchUp();
  return state;
}

type CostBand = { minCny: number; maxCny: number; per: 'once' | 'month' };

async function costBands(): Promise<Map<string, CostBand>> {
  const out = new Map<string, CostBand>();
  for (const e of await getVocabulary('accommodation')) {
    const b = e.attributes?.costBand as CostBand | undefined;
    if (b && typeof b.minCny === 'number' && typeof b.maxCny === 'number') out.set(e.code, b);
  }
  return out;
}

const yuan = (n: number) => `¥${n.toLocaleString('en-US')}`;

function costText(b: CostBand | undefined): Text {
  if (!b) return { zh: '费用未知', en: 'cost unknown' };
  if (b.maxCny === 0) return { zh: '通常无需费用', en: 'usually no cost' };
  const range = `${yuan(b.minCny)}–${yuan(b.maxCny)}`;
  return b.per === 'month'
    ? { zh: `约每月 ${range}`, en: `about ${range} a month` }
    : { zh: `约 ${range}（一次性）`, en: `about ${range} once` };
}

function countText(c: MaskedCount): Text {
  return c.count === null
    ? { zh: `少于 ${MASK_BELOW} 人`, en: `fewer than ${MASK_BELOW} people` }
    : { zh: `${c.count} 人`, en: `${c.count} ${c.count === 1 ? 'person' : 'people'}` };
}

/** Limitations a change serves for this opening, from the limitation × demand → accommodation table. */
function servedBy(change: AdviceChange, opening: MatchOpening, ctx: MatchContext): string[] {
  const v = ctx.vocabulary;
  const demands = new Set(opening.demands.map((d) => v.demands.canonical(d)));
  const out = new Set<string>();
  for (const c of v.conflicts) {
    if (change.kind === 'demand') {
      if (c.demand === change.code) out.add(c.limitation);
    } else if (demands.has(c.demand) && c.anyOf.some((g) => g.includes(change.code))) out.add(c.limitation);
  }
  return [...out];
}

function labelOf(change: AdviceChange, ctx: MatchContext): Text {
  const v = ctx.vocabulary;
  return change.kind === 'accommodation' ? v.accommodations.label(change.code) : v.demands.label(change.code);
}

function present(
  r: AdviceResult,
  opening: MatchOpening,
  ctx: MatchContext,
  bands: Map<string, CostBand>,
  extra: { openingId: string | null; thresholdSource: 'minScore' | 'suggestions'; profiles: number },
) {
  const v = ctx.vocabulary;
  const change = (c: AdviceChange) => ({ kind: c.kind, code: c.code, label: labelOf(c, ctx) });
  const items = r.items.map((i) => {
    const gained = masked(i.gained);
    const label = labelOf(i.change, ctx);
    const serves = servedBy(i.change, opening, ctx);
    const band = i.change.kind === 'accommodation' ? bands.get(i.change.code) : undefined;
    const servesText: Text = serves.length
      ? {
          zh: `适用于：${serves.map((l) => v.limitations.label(l).zh).join('、')}`,
          en: `serves: ${serves.map((l) => v.limitations.label(l).en).join(', ')}`,
        }
      : { zh: '适用于本身需要此便利的求职者', en: 'serves people who need it themselves' };
    const n = countText(gained);
    const cost = i.change.kind === 'accommodation' ? costText(band) : null;
    return {
      ...change(i.change),
      gained,
      gainedAtThreshold: masked(i.gainedAbove),
      costBand: band ?? null,
      serves: serves.map((code) => ({ code, label: v.limitations.label(code) })),
      text:
        i.change.kind === 'accommodation'
          ? {
              zh: `提供「${label.zh}」：可多匹配 ${n.zh}；${cost!.zh}；${servesText.zh}。`,
              en: `Offer "${label.en}": ${n.en} more could be matched; ${cost!.en}; ${servesText.en}.`,
            }
          : {
              zh: `不再要求「${label.zh}」：可多匹配 ${n.zh}；${servesText.zh}。`,
              en: `Drop the demand "${label.en}": ${n.en} more could be matched; ${servesText.en}.`,
            },
    };
  });
  const bundles = r.bundles.map((b) => {
    const n = countText(masked(b.gained));
    return {
      changes: b.changes.map(change),
      gained: masked(b.gained),
      gainedAtThreshold: masked(b.gainedAbove),
      text: {
        zh: `同时${b.changes.map((c) => `${c.kind === 'accommodation' ? '提供' : '不再要求'}「${labelOf(c, ctx).zh}」`).join('、')}：可多匹配 ${n.zh}（逐项贪心选出）。`,
        en: `Together, ${b.changes.map((c) => `${c.kind === 'accommodation' ? 'offer' : 'drop'} "${labelOf(c, ctx).en}"`).join(', ')}: ${n.en} more (chosen greedily).`,
      },
    };
  });
  const best = r.bundles.at(-1)?.gained ?? r.items[0]?.gained ?? 0;
  const n = countText(masked(best));
  return {
    openingId: extra.openingId,
    threshold: r.threshold,
    thresholdSource: extra.thresholdSource,
    current: { eligible: masked(r.current.eligible), atThreshold: masked(r.current.above) },
    items,
    bundles,
    population: { profiles: masked(extra.profiles), scope: 'partnership' as const },
    summary: { zh: `提供这些便利，可多匹配 ${n.zh}`, en: `Offer these and ${n.en} more could be matched` },
  };
}

async function advise(
  deps: AdviceDeps,
  opening: MatchOpening,
  openingId: string | null,
  minScore: number | undefined,
) {
  const state = await stateOf(deps);
  const [ctx, bands] = await Promise.all([state.context({ employerId: opening.employerId }), costBands()]);
  let threshold = minScore ?? 0;
  if (minScore === undefined) {
    const n = deps.config.matching.topN;
    const top = state.snapshot.topN({ ...opening, status: 'open', filled: 0 }, ctx, n);
    threshold = top.length >= n ? top[n - 1]!.score : 0;
  }
  const r = adviseOpening(state.snapshot, opening, ctx, { threshold, pairedOnly: true });
  return present(r, opening, ctx, bands, {
    openingId,
    thresholdSource: minScore === undefined ? 'suggestions' : 'minScore',
    profiles: state.snapshot.size,
  });
}

/**
 * Advice for a stored opening the caller may read (the opening's own read scope: its employer,
 * reviewers and federation staff who may read it, admins). Anything else reads as absent: 404,
 * audited as denied like the other reads of a named record.
 */
export async function openingAdvice(
  deps: AdviceDeps,
  actor: Actor,
  openingId: string,
  q: { minScore?: number },
) {
  let found: Awaited<ReturnType<typeof getOpening>> | null = null;
  try {
    found = await getOpening(actor, openingId);
  } catch (err) {
    if (!(err instanceof AppError && err.status === 404)) throw err;
  }
  const o = await audit.foundOrDenied(
    found,
    { action: 'opening.advice', resource: { type: 'opening', id: openingId } },
    () => new AppError('not_found', { detail: '岗位不存在', detailEn: 'No such opening' }),
  );
  return advise(deps, toMatchOpening(o), o.id, q.minScore);
}

/** Advice for a draft body (the opening form, before anything is saved). */
export async function draftAdvice(
  deps: AdviceDeps,
  actor: Actor,
  body: CreateOpeningInput,
  q: { minScore?: number },
) {
  const employerId = actor.roles.includes('admin') ? (body.employerId ?? '') : actor.organizationId;
  const opening = toMatchOpening({
    id: 'draft',
    version: 0,
    employerId,
    status: 'open',
    regionCode: body.regionCode,
    regionPath: [],
    skills: body.skills,
    preferredTraining: body.preferredTraining,
    headcount: body.headcount,
    filled: 0,
    wageMin: body.wageMin,
    wageMax: body.wageMax,
    jobDemands: body.jobDemands,
    accommodationsOffered: body.accommodationsOffered,
    dormitory: body.dormitory,
  });
  return advise(deps, opening, null, q.minScore);
}

/**
 * Training advice for an origin (a 四川 prefecture or county): federation staff in their
 * jurisdiction, reviewers in their partnership scope, admins. Another origin reads as absent (404,
 * audited as denied). Counts of people are masked from 1 to 4; places are open places of openings.
 */
export async function trainingAdvice(deps: AdviceDeps, actor: Actor, origin: string) {
  const scopes = [
    hasRole(actor, 'federation_staff', 'admin') ? jurisdictionScope(actor) : null,
    hasRole(actor, 'reviewer') ? partnershipScope(actor) : null,
  ];
  const allowed = scopes.some(
    (s) =>
      s !== null && (s.kind === 'all' || (s.kind === 'regions' && s.codes.some((c) => isWithin(origin, c)))),
  );
  await audit.foundOrDenied(
    allowed ? true : null,
    { action: 'training.advice', resource: { type: 'region', id: origin } },
    () => new AppError('not_found', { detail: '不在您的范围内', detailEn: 'No such origin in your scope' }),
  );
  const state = await stateOf(deps);
  const [ctx, programmes] = await Promise.all([state.context(), getVocabulary('training_programme')]);
  const people = state.snapshot
    .idsFrom(origin)
    .map((id) => state.profile(id)?.profile)
    .filter((p) => p !== undefined);
  const originPrefecture = `${origin.slice(0, 4)}00`;
  const openings = state.openings().filter((o) => {
    for (const area of ctx.partnersOf(o.city)) {
      if (area === origin || area === originPrefecture || isWithin(area, origin)) return true;
    }
    return false;
  });
  // Each opening's bar for its top N, over everyone (the suggestions it has now).
  const n = deps.config.matching.topN;
  const thresholds = openings.map((o) => {
    const top = state.snapshot.topN(o, ctx, n);
    return top.length >= n ? top[n - 1]!.score : 0;
  });
  const items = adviseTraining(
    people,
    openings,
    programmes.map((p) => p.code),
    ctx,
    thresholds,
  );
  const byCode = new Map(programmes.map((p) => [p.code, p]));
  return {
    origin: { code: origin, name: ctx.regionName(origin) },
    people: masked(people.length),
    openings: openings.length,
    items: items.map((i) => {
      const p = byCode.get(i.programme);
      const skills = ((p?.attributes?.skills as string[] | undefined) ?? []).map((code) => ({
        code,
        label: ctx.vocabulary.skills.label(code),
      }));
      const cities = new Map<string, { openings: number; places: number }>();
      for (const o of i.openings) {
        const c = cities.get(o.city) ?? { openings: 0, places: 0 };
        c.openings++;
        c.places += o.places;
        cities.set(o.city, c);
      }
      const n = countText(masked(i.people));
      const cityList = [...cities].map(([code, c]) => ({ code, name: ctx.regionName(code), ...c }));
      return {
        programme: i.programme,
        label: { zh: p?.zh ?? i.programme, en: p?.en ?? i.programme },
        skills,
        people: masked(i.people),
        places: i.places,
        cities: cityList,
        text: {
          zh: `完成「${p?.zh ?? i.programme}」后，${n.zh}可新符合 ${i.places} 个岗位名额${cityList.length ? `（${cityList.map((c) => c.name.zh).join('、')}）` : ''}。`,
          en: `After "${p?.en ?? i.programme}", ${n.en} would qualify for ${i.places} more open places${cityList.length ? ` (${cityList.map((c) => c.name.en).join(', ')})` : ''}.`,
        },
      };
    }),
  };
}
