/**
 * `npm run bench:matching-kernel [-- --profiles 100000 --openings 2000 --seed 1]`
 *
 * G1 of the matching issue, pure CPU, no services: scoring throughput of the columnar kernel
 * against naive loops over plain objects in the same run, and 100k profiles × 1 opening end to
 * end (compile, narrow, score, top-N). Prints one JSON line per figure:
 * {"bench","metric","value","unit","baseline","ratio","node"}; `ratio` is always "times better
 * than the baseline" (value/baseline for rates, baseline/value for times).
 *
 * The machines this runs on are shared: the load average is printed at start and end, and rates
 * are given both by wall clock and by CPU time of this process (pairs per CPU-second), which is
 * what "per core" means when other processes take turns on the same cores.
 */
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { assess } from '../src/modules/matching/assess.js';
import { createMatchContext } from '../src/modules/matching/context.js';
import { normalizeOpening, normalizeProfile } from '../src/modules/matching/normalize.js';
import { score } from '../src/modules/matching/score.js';
import { ProfileSnapshot } from '../src/modules/matching/snapshot.js';
import { topOpeningsFor } from '../src/modules/matching/top-openings.js';
import { generateMatchingData } from './lib/generate/matching-data.js';

const { values: args } = parseArgs({
  options: {
    /** Profiles held by the snapshot (available and consenting); more are generated to get them. */
    profiles: { type: 'string', default: '100000' },
    openings: { type: 'string', default: '2000' },
    seed: { type: 'string', default: '20160101' },
    'kernel-openings': { type: 'string', default: '300' },
    'naive-pairs': { type: 'string', default: '200000' },
    'topn-openings': { type: 'string', default: '300' },
  },
});
const nProfiles = Number(args.profiles);
const nOpenings = Number(args.openings);

function line(metric: string, value: number, unit: string, baseline: number | null = null): void {
  const round = (x: number) => (Math.abs(x) >= 100 ? Math.round(x) : Math.round(x * 1000) / 1000);
  const better =
    baseline === null || baseline === 0 ? null : unit === 'ms' ? baseline / value : value / baseline;
  console.log(
    JSON.stringify({
      bench: 'matching-kernel',
      metric,
      value: round(value),
      unit,
      baseline: baseline === null ? null : round(baseline),
      ratio: better === null ? null : Math.round(better * 100) / 100,
      node: process.version,
    }),
  );
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))]!;
}

/** Wall-clock and CPU seconds of `fn`. */
function timed(fn: () => void): { wall: number; cpu: number } {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  fn();
  const c = process.cpuUsage(c0);
  return { wall: (performance.now() - t0) / 1000, cpu: (c.user + c.system) / 1e6 };
}

line('load average (1 min) at start', loadavg()[0]!, 'load');

let t = performance.now();
// About 80 % of generated profiles are available and consenting; generate enough to hold nProfiles.
const data = generateMatchingData({
  seed: Number(args.seed),
  profiles: Math.ceil(nProfiles / 0.78),
  openings: nOpenings,
});
line('generate demo data', performance.now() - t, 'ms');
const ctx = createMatchContext(data.context);

global.gc?.();
const heapBefore = process.memoryUsage().heapUsed;
t = performance.now();
const snapshot = new ProfileSnapshot(ctx.vocabulary, nProfiles);
for (const p of data.profiles) {
  if (snapshot.size >= nProfiles) break;
  snapshot.upsert(p);
}
const loadMs = performance.now() - t;
global.gc?.();
const heapAfter = process.memoryUsage().heapUsed;
const stats = snapshot.stats();
line('snapshot load (upsert every profile)', loadMs, 'ms');
line('snapshot profiles held (available and consenting)', stats.profiles, 'profiles');
line('snapshot columns, pools and bitsets', stats.bytes / 1048576, 'MiB');
if (global.gc) line('snapshot heap growth incl. ids and maps', (heapAfter - heapBefore) / 1048576, 'MiB');

const open = data.openings.filter((o) => o.status === 'open' && o.filled < o.headcount);
let sink = 0;

// G1a: the kernel over every stored profile, no narrowing (the shape of a full rematch).
const kernelOpenings = open.slice(0, Number(args['kernel-openings']));
const out = new Float64Array(stats.capacity);
const compiled = kernelOpenings.map((o) => snapshot.compile(o, ctx));
for (let i = 0; i < 3; i++) for (const co of compiled.slice(0, 20)) snapshot.scanAll(co, out);
let pairs = 0;
const kernel = timed(() => {
  for (const co of compiled) pairs += snapshot.scanAll(co, out);
});
let eligible = 0;
let scanned = 0;
for (const co of compiled.slice(0, 20)) {
  scanned += snapshot.scanAll(co, out);
  for (let r = 0; r < stats.capacity; r++) if (out[r]! >= 0 && snapshot.idOfRow(r) !== undefined) eligible++;
}

// Naive baselines, same run, same data: plain objects in a loop.
const naivePairs = Number(args['naive-pairs']);
const sample = data.profiles.filter((p) => snapshot.has(p.id));
const pairAt = (i: number) => [i % sample.length, Math.floor(i / sample.length) % open.length] as const;
for (let i = 0; i < 20000; i++) sink += score(sample[i % sample.length]!, open[i % open.length]!, ctx).score;
// 1: the reference score() as any caller would use it, reasons and all.
const naive = timed(() => {
  for (let i = 0; i < naivePairs; i++) {
    const [pi, oi] = pairAt(i);
    sink += score(sample[pi]!, open[oi]!, ctx).score;
  }
});
// 2: the numeric reference assess() on pre-normalised plain objects, no text: the fairest naive loop.
const np = sample.map((p) => normalizeProfile(ctx.vocabulary, p));
const no = open.map((o) => normalizeOpening(ctx.vocabulary, o));
for (let i = 0; i < 20000; i++) sink += assess(np[i % np.length]!, no[i % no.length]!, ctx).score;
const plain = timed(() => {
  for (let i = 0; i < naivePairs; i++) {
    const [pi, oi] = pairAt(i);
    sink += assess(np[pi]!, no[oi]!, ctx).score;
  }
});

line(
  'G1 kernel throughput, CPU time, vs naive score()',
  pairs / kernel.cpu,
  'pairs/s/core',
  naivePairs / naive.cpu,
);
line(
  'G1 kernel throughput, CPU time, vs naive assess()',
  pairs / kernel.cpu,
  'pairs/s/core',
  naivePairs / plain.cpu,
);
line(
  'G1 kernel throughput, wall clock, vs naive score()',
  pairs / kernel.wall,
  'pairs/s/core',
  naivePairs / naive.wall,
);
line(
  'G1 kernel throughput, wall clock, vs naive assess()',
  pairs / kernel.wall,
  'pairs/s/core',
  naivePairs / plain.wall,
);
line('share of scanned pairs eligible', (eligible / scanned) * 100, '%');

// G1b: 100k × 1 opening end to end: compile, narrow by region and skill, score, top 20.
const topOpenings = open.slice(0, Number(args['topn-openings']));
for (const o of topOpenings.slice(0, 30)) snapshot.topN(o, ctx, 20);
const times: number[] = [];
const cpuTimes: number[] = [];
for (const o of topOpenings) {
  const r = timed(() => {
    sink += snapshot.topN(o, ctx, 20).length;
  });
  times.push(r.wall * 1000);
  cpuTimes.push(r.cpu * 1000);
}
times.sort((a, b) => a - b);
const mean = times.reduce((a, b) => a + b, 0) / times.length;
const cpuMean = cpuTimes.reduce((a, b) => a + b, 0) / cpuTimes.length;

// The same end to end the naive way: score() every stored profile, sort, keep 20.
const naiveE2e = timed(() => {
  for (const o of topOpenings.slice(0, 3)) {
    const ranked = sample
      .map((p) => ({ id: p.id, r: score(p, o, ctx) }))
      .filter((x) => x.r.eligible)
      .sort((a, b) => b.r.score - a.r.score || (a.id < b.id ? -1 : 1))
      .slice(0, 20);
    sink += ranked.length;
  }
});
const naiveMs = (naiveE2e.wall * 1000) / 3;
const n = stats.profiles;
line(`G1 topN(20) over ${n} profiles × 1 opening, wall p50`, percentile(times, 50), 'ms', naiveMs);
line(`G1 topN(20) over ${n} profiles × 1 opening, wall p95`, percentile(times, 95), 'ms', naiveMs);
line(`G1 topN(20) over ${n} profiles × 1 opening, wall mean`, mean, 'ms', naiveMs);
line(`G1 topN(20) over ${n} profiles × 1 opening, CPU mean`, cpuMean, 'ms', (naiveE2e.cpu * 1000) / 3);
line('naive end to end: score() every profile, sort, top 20 (wall)', naiveMs, 'ms');

// The other direction: one profile against every opening.
const profileTimes: number[] = [];
for (const p of sample.slice(0, 200)) {
  const s = performance.now();
  sink += topOpeningsFor(p, data.openings, ctx, 20).length;
  profileTimes.push(performance.now() - s);
}
profileTimes.sort((a, b) => a - b);
line(
  `topOpeningsFor(20) over ${data.openings.length} openings, wall p50`,
  percentile(profileTimes, 50),
  'ms',
);
line(
  `topOpeningsFor(20) over ${data.openings.length} openings, wall p95`,
  percentile(profileTimes, 95),
  'ms',
);

line('load average (1 min) at end', loadavg()[0]!, 'load');
if (sink === Number.MIN_VALUE) console.log('');
