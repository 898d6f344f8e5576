import type { Config } from '../../config.js';
import type { Actor } from '../../lib/auth/actor.js';
import { AppError } from '../../lib/errors.js';
import { audit } from '../audit/audit.service.js';
import { toMatchOpening, toMatchProfile } from '../matching/adapters.js';
import { type Explanation, explain } from '../matching/explain.js';
import { score } from '../matching/score.js';
import { topOpeningsFor } from '../matching/top-openings.js';
import { getOpeningForMatching } from '../openings/for-other-modules.service.js';
import { getOpening } from '../openings/openings.service.js';
import { getOpeningsByIds } from '../openings/search-projection.service.js';
import { getProfileForMatching } from '../worker-profiles/for-other-modules.service.js';
import { profileVisibleTo } from '../worker-profiles/worker-profiles.policy.js';
import {
  findMatchByPair,
  findMatchInScope,
  listMatchesPageCounting,
  type Match,
} from './matches.repository.js';
import { presentMatches } from './matches.service.js';
import { type OpenOpeningsDeps, openOpenings } from './open-openings.js';
import { scoringContext } from './read-context.js';
import { matchReadScope } from './suggestions.policy.js';
import type { BestOpeningsQuery, ListMatchesQuery } from './suggestions.schemas.js';
import { buildMatchContext } from './suggestions.state.js';

/** The API side of matching: the suggestion lists and the comparison chart (read only). */

const noMatch = () => new AppError('not_found', { detail: '匹配记录不存在', detailEn: 'No such match' });
const noOpening = () => new AppError('not_found', { detail: '岗位不存在', detailEn: 'No such opening' });
const noProfile = () =>
  new AppError('not_found', { detail: '求职者档案不存在', detailEn: 'No such job seeker profile' });

function statusFilter(q: ListMatchesQuery): Record<string, unknown> {
  // Superseded suggestions leave the lists; asking for them by status still shows them.
  return q.status ? { status: q.status } : { status: { $ne: 'superseded' } };
}

async function page(filter: Record<string, unknown>, actor: Actor, q: ListMatchesQuery) {
  // Not counted: an opening's or a person's list is short (the top suggestions and what people
  // acted on), so a first page usually holds it whole and says its size; a count reads every match.
  const result = await listMatchesPageCounting(
    { ...filter, ...statusFilter(q) },
    matchReadScope(actor),
    {
      sort: q.sort,
      cursor: q.cursor,
      limit: q.limit,
    },
    'never',
  );
  return { ...result, items: await presentMatches(actor, result.items) };
}

/** The matches of an opening the caller may read (404 when the opening is not). */
export async function listOpeningMatches(actor: Actor, openingId: string, q: ListMatchesQuery) {
  await getOpening(actor, openingId);
  return page({ openingId }, actor, q);
}

/** The matches of a profile the caller may read (404 when the profile is not). */
export async function listProfileMatches(
  deps: { config: Config },
  actor: Actor,
  profileId: string,
  q: ListMatchesQuery,
) {
  const p = await getProfileForMatching(deps, profileId);
  if (!p || !profileVisibleTo(actor, { regionPath: p.regionPath, erased: false })) throw noProfile();
  return page({ profileId }, actor, q);
}

/**
 * The comparison chart of a match, computed now from the profile and the opening as they are (the
 * stored score is the one of its last run; the chart says why, today). Audited: it shows the
 * person's limitations and needs.
 */
export async function explainMatch(deps: { config: Config }, actor: Actor, matchId: string) {
  const m = await findMatchInScope(matchId, matchReadScope(actor));
  if (!m) throw noMatch();
  const [p, o] = await Promise.all([
    getProfileForMatching(deps, m.profileId),
    getOpeningForMatching(m.openingId),
  ]);
  if (!p || !o) throw noMatch();
  const e = explain(toMatchProfile(p), toMatchOpening(o), await buildMatchContext());
  await audit.record({ action: 'match.explain', resource: { type: 'match', id: m.id } });
  return presentExplanation(
    { matchId: m.id, profileId: m.profileId, openingId: m.openingId, status: m.status },
    e,
  );
}

/** The chart as both the stored match's explanation and the fit of any pair present it. */
function presentExplanation<M extends string | null, S extends Match['status'] | null>(
  pair: { matchId: M; profileId: string; openingId: string; status: S },
  e: Explanation,
) {
  return {
    ...pair,
    algorithmVersion: e.algorithmVersion,
    eligible: e.eligible,
    score: e.score,
    components: e.components,
    rows: e.rows,
    reasons: e.reasons,
  };
}

/**
 * How a person and an opening fit, for any pair, stored as a match or not: the comparison chart
 * computed now, and every hard constraint that fails (not only the first), so that a federation
 * can answer "why was this person not suggested for this job?". The caller must be able to read
 * both the profile and the opening; otherwise the pair reads as absent (404) and the refusal is
 * audited naming what was asked for. Audited when answered: the chart shows the person's
 * limitations and needs.
 */
export async function fitOfPair(
  deps: { config: Config },
  actor: Actor,
  profileId: string,
  openingId: string,
) {
  const refused = async (reason: string, err: AppError) => {
    await audit.record({
      action: 'worker_profile.fit',
      outcome: 'denied',
      reason,
      resource: { type: 'worker_profile', id: profileId },
    });
    return err;
  };
  const p = await getProfileForMatching(deps, profileId);
  if (!p || !profileVisibleTo(actor, { regionPath: p.regionPath, erased: false }))
    throw await refused('profile_not_found', noProfile());
  try {
    await getOpening(actor, openingId);
  } catch (err) {
    if (err instanceof AppError && err.status === 404) throw await refused('opening_not_found', err);
    throw err;
  }
  const o = await getOpeningForMatching(openingId);
  if (!o) throw await refused('opening_not_found', noOpening());
  const [e, stored] = await Promise.all([
    buildMatchContext().then((ctx) => explain(toMatchProfile(p), toMatchOpening(o), ctx)),
    findMatchByPair(profileId, openingId),
  ]);
  await audit.record({ action: 'worker_profile.fit', resource: { type: 'worker_profile', id: profileId } });
  return {
    ...presentExplanation(
      { matchId: stored?.id ?? null, profileId, openingId, status: stored?.status ?? null },
      e,
    ),
    failures: e.reasons.filter((r) => r.kind === 'exclusion'),
  };
}

/**
 * A person's best open openings, computed now: the kernel ranks every open opening with places
 * left (held in this process, see open-openings.ts) for the person as MongoDB holds them, with the
 * scoring context the worker's runs use (peer counts at most a minute old). Matches store only
 * each opening's top suggestions and what people acted on, so this is the profile side of
 * matching; each opening says whether a match is stored for the pair and in which status. Same
 * callers and scope as the person's matches (404 outside it).
 */
export async function bestOpeningsOf(
  deps: OpenOpeningsDeps,
  actor: Actor,
  profileId: string,
  q: BestOpeningsQuery,
) {
  const p = await getProfileForMatching(deps, profileId);
  if (!p || !profileVisibleTo(actor, { regionPath: p.regionPath, erased: false })) {
    await audit.record({
      action: 'worker_profile.best_openings',
      outcome: 'denied',
      reason: 'profile_not_found',
      resource: { type: 'worker_profile', id: profileId },
    });
    throw noProfile();
  }
  const model = openOpenings(deps);
  const [ctx] = await Promise.all([scoringContext(), model.ready()]);
  const computedAt = new Date();
  const profile = toMatchProfile(p);
  const openings = model.openings();
  const ranked = p.eligible ? topOpeningsFor(profile, openings, ctx, q.limit) : [];
  const byId = new Map(openings.map((o) => [o.id, o]));
  const ids = ranked.map((r) => r.openingId);
  // Audited like the fit of one pair: each item's reasons show the person's limitations and needs.
  await audit.record({
    action: 'worker_profile.best_openings',
    resource: { type: 'worker_profile', id: profileId },
  });
  const [titles, stored] = await Promise.all([
    getOpeningsByIds(ids).then((list) => new Map(list.map((o) => [o.id, o.title]))),
    // One lookup per pair on the unique (profileId, openingId) key: never a scan.
    Promise.all(ids.map((openingId) => findMatchByPair(profileId, openingId))),
  ]);
  return {
    profileId,
    computedAt: computedAt.toISOString(),
    eligible: p.eligible,
    openingsConsidered: openings.length,
    items: ranked.map((r, i) => {
      const result = score(profile, byId.get(r.openingId)!, ctx);
      const m = stored[i];
      return {
        openingId: r.openingId,
        openingTitle: titles.get(r.openingId) ?? null,
        score: r.score,
        components: result.components,
        reasons: result.reasons,
        match: m ? { id: m.id, status: m.status } : null,
      };
    }),
  };
}
