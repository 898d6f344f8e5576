import type { Config } from '../../config.js';
import type { Actor } from '../../lib/auth/actor.js';
import { AppError } from '../../lib/errors.js';
import { audit } from '../audit/audit.service.js';
import { toMatchOpening, toMatchProfile } from '../matching/adapters.js';
import { type Explanation, explain } from '../matching/explain.js';
import { getOpeningForMatching } from '../openings/for-other-modules.service.js';
import { getOpening } from '../openings/openings.service.js';
import { getProfileForMatching } from '../worker-profiles/for-other-modules.service.js';
import { profileVisibleTo } from '../worker-profiles/worker-profiles.policy.js';
import { findMatchByPair, findMatchInScope, listMatchesPage, type Match } from './matches.repository.js';
import { presentMatches } from './matches.service.js';
import { matchReadScope } from './suggestions.policy.js';
import type { ListMatchesQuery } from './suggestions.schemas.js';
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
  const result = await listMatchesPage({ ...filter, ...statusFilter(q) }, matchReadScope(actor), {
    sort: q.sort,
    cursor: q.cursor,
    limit: q.limit,
  });
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
