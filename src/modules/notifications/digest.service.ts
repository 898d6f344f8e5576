import { type SuggestionSummary, summarizeSuggestions } from './events.js';
import { markDigested, pendingDigestItems } from './items.repository.js';
import { type NotifyContext, type NotifyResult, notify } from './notifications.service.js';

/** The daily digest: collapsed suggestion items summarised once a day per user. */

export interface DigestSummary extends SuggestionSummary {
  /** When the oldest pending item started waiting. */
  oldestWaitingSince: Date | null;
}

/**
 * Where the daily digest gets "pending suggestions in scope" from. The matching module replaces
 * the default with its own (pending matches in the reviewer's partnership scope); the default
 * summarises the `match.suggested` events notified to the user since the last digest.
 */
export interface DigestSource {
  pendingFor(userId: string, upTo: Date): Promise<DigestSummary | null>;
  /** Called once the digest is recorded, so the next digest starts after `upTo`. */
  markDigested(userId: string, upTo: Date): Promise<void>;
}

export const notifiedSuggestionsDigest: DigestSource = {
  async pendingFor(userId, upTo) {
    const items = await pendingDigestItems(`u/${userId}`, 'match.suggested', upTo);
    if (!items.length) return null;
    return {
      ...summarizeSuggestions(items.map((i) => i.data as { openingId: string })),
      oldestWaitingSince: items[0]!.createdAt,
    };
  },
  async markDigested(userId, upTo) {
    await markDigested(`u/${userId}`, 'match.suggested', upTo, new Date());
  },
};

let digestSource: DigestSource = notifiedSuggestionsDigest;

/** The hook the matching module fills: `setDigestSource({ pendingFor, markDigested })`. */
export function setDigestSource(source: DigestSource | undefined): void {
  digestSource = source ?? notifiedSuggestionsDigest;
}

/** The calendar day of `at` in the digest's time zone, `YYYY-MM-DD`. */
export function digestDay(at: Date, tz: string): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone: tz,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(at);
}

export async function sendDigest(
  ctx: NotifyContext,
  userId: string,
  day: string,
  now = new Date(),
): Promise<{ skipped: string } | NotifyResult> {
  const summary = await digestSource.pendingFor(userId, now);
  if (!summary || summary.count === 0) return { skipped: 'nothing_pending' };
  const result = await notify(
    {
      type: 'digest.daily',
      data: {
        day,
        count: summary.count,
        oldestWaitingSince: summary.oldestWaitingSince?.toISOString() ?? null,
        openings: summary.openings,
        moreOpenings: summary.moreOpenings,
      },
    },
    { userId },
    ctx,
  );
  // After the digest is recorded (idempotent per day): a crash before this line re-runs both.
  await digestSource.markDigested(userId, now);
  return result;
}
