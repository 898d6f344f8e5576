/**
 * `npm run report:fairness [-- --profiles 20000 --openings 500 --seed 1 --json]`
 *
 * Share of eligible pairs and of top-10 suggestions by disability category, on generated demo data.
 * The score never reads the category (test/unit/matching/explain-fairness.test.ts proves it); this
 * report shows what the functional constraints do to each group, so that a gap is seen and argued
 * about, not hidden. Pure CPU, no services.
 */
import { parseArgs } from 'node:util';
import { createMatchContext } from '../src/modules/matching/context.js';
import { ProfileSnapshot } from '../src/modules/matching/snapshot.js';
import { generateMatchingData } from './lib/generate/matching-data.js';

const { values: args } = parseArgs({
  options: {
    profiles: { type: 'string', default: '20000' },
    openings: { type: 'string', default: '500' },
    seed: { type: 'string', default: '20160101' },
    top: { type: 'string', default: '10' },
    json: { type: 'boolean', default: false },
  },
});

const data = generateMatchingData({
  seed: Number(args.seed),
  profiles: Number(args.profiles),
  openings: Number(args.openings),
});
const ctx = createMatchContext(data.context);
const snapshot = new ProfileSnapshot(ctx.vocabulary);
for (const p of data.profiles) snapshot.upsert(p);

const NAMES: Record<string, string> = {
  '1': '视力 visual',
  '2': '听力 hearing',
  '3': '言语 speech',
  '4': '肢体 physical',
  '5': '智力 intellectual',
  '6': '精神 psychosocial',
  '7': '多重 multiple',
};
const held = new Map<string, number>();
const eligible = new Map<string, number>();
const top = new Map<string, number>();
const add = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + 1);
const categoryOf = (id: string) => data.disability.get(id)?.category ?? '?';

for (const id of snapshot.profileIds()) add(held, categoryOf(id));
const capacity = snapshot.stats().capacity;
const out = new Float64Array(capacity);
const open = data.openings.filter((o) => o.status === 'open' && o.filled < o.headcount);
let pairs = 0;
let slots = 0;
for (const o of open) {
  snapshot.scanAll(snapshot.compile(o, ctx), out);
  for (let r = 0; r < capacity; r++) {
    const id = snapshot.idOfRow(r);
    if (id === undefined) continue;
    pairs++;
    if (out[r]! >= 0) add(eligible, categoryOf(id));
  }
  for (const t of snapshot.topN(o, ctx, Number(args.top))) {
    add(top, categoryOf(t.profileId));
    slots++;
  }
}

const totalHeld = snapshot.size;
const totalEligible = [...eligible.values()].reduce((a, b) => a + b, 0);
const rows = Object.keys(NAMES).map((c) => {
  const h = held.get(c) ?? 0;
  const e = eligible.get(c) ?? 0;
  const t = top.get(c) ?? 0;
  return {
    category: c,
    name: NAMES[c],
    profiles: h,
    populationShare: h / totalHeld,
    eligiblePairShare: e / totalEligible,
    eligibleRate: h === 0 ? 0 : e / (h * open.length),
    topShare: slots === 0 ? 0 : t / slots,
    /** top-N share ÷ population share: 1 means represented in proportion. */
    topRepresentation: h === 0 || slots === 0 ? 0 : t / slots / (h / totalHeld),
  };
});

if (args.json) {
  console.log(JSON.stringify({ openings: open.length, profiles: totalHeld, pairs, slots, rows }, null, 2));
} else {
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`.padStart(7);
  console.log(`fairness report: ${totalHeld} profiles × ${open.length} open openings, top ${args.top}`);
  console.log('category              profiles  pop.share  elig.share  elig.rate  top.share  top/pop');
  for (const r of rows) {
    console.log(
      `${r.category} ${r.name!.padEnd(18)} ${String(r.profiles).padStart(8)}  ${pct(r.populationShare)}    ${pct(r.eligiblePairShare)}    ${pct(r.eligibleRate)}   ${pct(r.topShare)}   ${r.topRepresentation.toFixed(2).padStart(6)}`,
    );
  }
}
