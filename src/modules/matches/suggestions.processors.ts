import type { ProcessorRegistration, WorkerContext } from '../../jobs/processor.js';
import { EVERYTHING, partnershipCodesFor } from '../../lib/auth/scope.js';
import { chinaDay } from '../../lib/china-time.js';
import { notify, type Recipient } from '../notifications/notifications.service.js';
import { listOrganizationsInScope, type Organization } from '../orgs/orgs.service.js';
import { listPartnerships } from '../reference/reference.service.js';
import { findMatchesByIds, type Match } from './matches.repository.js';
import { runChunk, runOpening, runProfile } from './suggestions.runs.js';
import { MatchingState } from './suggestions.state.js';

async function federations(): Promise<Organization[]> {
  const all: Organization[] = [];
  for (const type of ['recipient_federation', 'supporting_federation'] as const) {
    let after: string | undefined;
    for (;;) {
      const page = await listOrganizationsInScope({ type, after }, EVERYTHING, 500);
      all.push(...page.items);
      if (!page.hasMore) break;
      after = page.items.at(-1)!.id;
    }
  }
  return all;
}

/**
 * The reviewers in scope of a match, as organisations: the recipient federations whose
 * jurisdiction holds the person's origin, and the supporting federations paired with it (their
 * reviewers' partnership scope, src/modules/accounts/actor.ts).
 */
export function reviewerOrganizations(
  match: Pick<Match, 'profileRegionPath'>,
  orgs: readonly Organization[],
  pairedOf: (org: Organization) => readonly string[],
): string[] {
  const path = new Set(match.profileRegionPath);
  return orgs
    .filter((o) =>
      o.type === 'recipient_federation'
        ? !!o.jurisdictionCode && path.has(o.jurisdictionCode)
        : pairedOf(o).some((c) => path.has(c)),
    )
    .map((o) => o.id);
}

/**
 * The matching queue's processors. The state (the snapshot) is this process's own: it starts
 * loading from MongoDB when the worker starts, and every job waits for it.
 */
export function suggestionsProcessors(ctx: WorkerContext): ProcessorRegistration[] {
  const state = new MatchingState({ config: ctx.config, logger: ctx.logger, redis: ctx.redis });
  ctx.onStart?.(() => void state.start().catch(() => undefined));
  ctx.onClose?.(() => state.close());
  const deps = { config: ctx.config, logger: ctx.logger, queues: ctx.queues };
  return [
    // The worker's id in the result says which process's snapshot a run used (dashboard, tests).
    {
      job: 'matching.opening',
      process: async (p) => ({ ...(await runOpening(state, deps, p.id)), worker: ctx.workerId }),
    },
    {
      job: 'matching.profile',
      process: async (p) => ({ ...(await runProfile(state, deps, p.id)), worker: ctx.workerId }),
    },
    {
      job: 'matching.rematch-chunk',
      process: async (p, job) => ({
        ...(await runChunk(state, deps, p, (done, total) => job.updateProgress({ done, total }))),
      }),
    },
    {
      job: 'matching.rematch',
      process: async (p, job) => {
        const children = Object.values(await job.getChildrenValues()) as {
          items?: number;
          writes?: number;
        }[];
        const summary = {
          runId: p.runId,
          chunks: children.length,
          items: children.reduce((n, c) => n + (c.items ?? 0), 0),
          writes: children.reduce((n, c) => n + (c.writes ?? 0), 0),
        };
        ctx.logger.info(summary, 'rematch finished');
        return summary;
      },
    },
    {
      job: 'matching.notify',
      process: async (p) => {
        const matches = (await findMatchesByIds(p.matchIds)).filter((m) => m.status === 'suggested');
        if (!matches.length) return { skipped: 'no suggestion left' };
        const [orgs, partnerships] = await Promise.all([federations(), listPartnerships()]);
        const now = new Date();
        const paired = new Map<string, string[]>();
        const pairedOf = (o: Organization) => {
          let codes = paired.get(o.id);
          if (!codes) {
            codes = o.jurisdictionCode ? partnershipCodesFor(o.jurisdictionCode, partnerships, now) : [];
            paired.set(o.id, codes);
          }
          return codes;
        };
        let recipients = 0;
        for (const m of matches) {
          const to: Recipient[] = reviewerOrganizations(m, orgs, pairedOf).map((organizationId) => ({
            organizationId,
            role: 'reviewer',
          }));
          if (!to.length) continue;
          const r = await notify(
            { type: 'match.suggested', data: { matchId: m.id, openingId: m.openingId } },
            to,
            { config: ctx.config, logger: ctx.logger, queues: ctx.queues },
          );
          recipients += r.recipients;
        }
        return { matches: matches.length, recipients, day: chinaDay(now) };
      },
    },
  ];
}
