import type { MatchContext } from './context.js';
import { ProfileSnapshot } from './snapshot.js';
import type { MatchOpening, MatchProfile } from './types.js';

/*
 * Training advice (issue 21): for each training programme, the open places that people of one
 * origin would become eligible for if they completed it. The people are loaded into a small
 * snapshot of their own, once as they are and once per programme with the programme added to
 * their training (given under the partnership); each opening is then scanned by the kernel in both,
 * so a course counts exactly when the matching rules would let its graduates be suggested
 * (a programme teaching a required skill lifts `no_required_skill`; nothing else changes).
 */

export interface TrainingAdviceItem {
  programme: string;
  /** People of the origin eligible for (or in the top N of) at least one more opening after the course. */
  people: number;
  /** Openings someone of the origin becomes eligible for or enters the top N of, with open places. */
  openings: { id: string; city: string; places: number }[];
  /** Open places of those openings. */
  places: number;
}

function snapshotOf(profiles: readonly MatchProfile[], ctx: MatchContext, programme?: string) {
  const s = new ProfileSnapshot(ctx.vocabulary, Math.max(32, profiles.length));
  for (const p of profiles) {
    // Row order is the insertion order in a fresh snapshot: rows line up between the snapshots.
    s.upsert(
      programme === undefined || p.training.some((t) => t.programme === programme)
        ? p
        : { ...p, training: [...p.training, { programme, underPartnership: true }] },
    );
  }
  return s;
}

/** Rows of `eligible` scoring at least `threshold` (scores in `out[row]`). */
function atLeast(eligible: Uint32Array, out: Float64Array, threshold: number): Uint32Array {
  const top = new Uint32Array(eligible.length);
  for (let w = 0; w < eligible.length; w++) {
    for (let bits = eligible[w]!; bits !== 0; bits &= bits - 1) {
      const bit = 31 - Math.clz32(bits & -bits);
      if (out[(w << 5) | bit]! >= threshold) top[w]! |= 1 << bit;
    }
  }
  return top;
}

/**
 * `thresholds[k]`: the score of opening k's N-th best suggestion now (0 while it has fewer), so a
 * person counts for an opening when the course makes them eligible for it, or lifts an eligible
 * person to that score or above (into its top N).
 */
export function adviseTraining(
  profiles: readonly MatchProfile[],
  openings: readonly MatchOpening[],
  programmes: readonly string[],
  ctx: MatchContext,
  thresholds: readonly number[] = [],
): TrainingAdviceItem[] {
  const base = snapshotOf(profiles, ctx);
  const words = base.rowWords;
  const out = new Float64Array(words * 32);
  const before = openings.map((o, k) => {
    const set = new Uint32Array(words);
    base.scanEligible(base.compile(o, ctx), out, set);
    return { eligible: set, top: atLeast(set, out, thresholds[k] ?? 0) };
  });
  const items: TrainingAdviceItem[] = [];
  for (const programme of programmes) {
    const trained = snapshotOf(profiles, ctx, programme);
    const people = new Uint32Array(words);
    const unlocked: TrainingAdviceItem['openings'] = [];
    openings.forEach((o, k) => {
      const after = new Uint32Array(words);
      trained.scanEligible(trained.compile(o, ctx), out, after);
      const top = atLeast(after, out, thresholds[k] ?? 0);
      const was = before[k]!;
      let any = false;
      for (let w = 0; w < words; w++) {
        const gained = (after[w]! & ~was.eligible[w]!) | (top[w]! & ~was.top[w]!);
        if (gained !== 0) {
          any = true;
          people[w]! |= gained;
        }
      }
      if (any) unlocked.push({ id: o.id, city: o.city, places: Math.max(0, o.headcount - o.filled) });
    });
    let n = 0;
    for (let w = 0; w < words; w++) for (let b = people[w]!; b !== 0; b &= b - 1) n++;
    items.push({
      programme,
      people: n,
      openings: unlocked,
      places: unlocked.reduce((sum, o) => sum + o.places, 0),
    });
  }
  return items.sort(
    (a, b) => b.places - a.places || b.people - a.people || (a.programme < b.programme ? -1 : 1),
  );
}
