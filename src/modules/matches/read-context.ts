import { chinaDay } from '../../lib/china-time.js';
import { type MatchContext, withPeers } from '../matching/context.js';
import { peerCounts } from './matches.repository.js';
import { buildMatchContext } from './suggestions.state.js';

/**
 * The API's matching context, for rendering stored reasons and for a person's best openings:
 * reference data (regions, programmes, partnerships) and the peer counts, each kept for a minute
 * so a request never reads them. Peer counts over every employer and region are one aggregation
 * a minute instead of one per request.
 */
const TTL_MS = 60_000;

interface Cached<T> {
  at: number;
  day: string;
  value: Promise<T>;
}
let reference: Cached<MatchContext> | null = null;
let peers: Cached<Awaited<ReturnType<typeof peerCounts>>> | null = null;

function cached<T>(
  slot: Cached<T> | null,
  now: Date,
  load: () => Promise<T>,
  store: (c: Cached<T> | null) => void,
): Promise<T> {
  const day = chinaDay(now);
  if (slot && slot.day === day && now.getTime() - slot.at < TTL_MS) return slot.value;
  const value = load();
  const entry = { at: now.getTime(), day, value };
  store(entry);
  // A failed read is not kept: the next request tries again.
  value.catch(() => {
    if (reference === entry || peers === entry) store(null);
  });
  return value;
}

/** Reference data only (no peer counts): what rendering a reason's text needs. */
export function referenceContext(now = new Date()): Promise<MatchContext> {
  return cached(
    reference,
    now,
    () => buildMatchContext(now, false),
    (c) => {
      reference = c;
    },
  );
}

/** The full scoring context, as the worker's runs score (peer counts at most a minute old). */
export async function scoringContext(now = new Date()): Promise<MatchContext> {
  const [ctx, counts] = await Promise.all([
    referenceContext(now),
    cached(
      peers,
      now,
      () => peerCounts({}),
      (c) => {
        peers = c;
      },
    ),
  ]);
  return withPeers(ctx, counts);
}

/** Forgets what is kept (tests that change reference data). */
export function forgetReadContext(): void {
  reference = null;
  peers = null;
}
