/**
 * `npm run bench:matching [-- --profiles 100000 --openings 200 --baseline 10 --rematch-openings 500
 *   --top 20] [-- --full-rematch …]` — G2 of issue 6, on a fresh database of its own.
 *
 * 1. Inserts `--profiles` generated worker profiles (scripts/lib/demo-profiles.ts, fixed seed) and
 *    loads a worker's snapshot from MongoDB (load time, snapshot bytes, heap).
 * 2. G2: `--openings` new openings, each inserted and then run as its change job would run it
 *    (`runOpening`: re-read, top-N from the snapshot, reconcile, bulk write, notice job queued):
 *    p50/p95 of the run. Baseline: the same flow reading the candidate profiles from MongoDB for
 *    each job (profiles holding a required skill, with their consents) and scoring them with the
 *    reference `score()`, over `--baseline` openings (it is slow).
 * 3. Rematch: `runChunk` over `--rematch-openings` openings in one process, wall time and peak RSS,
 *    extrapolated linearly to 5k openings (only openings' top-N are stored: there is no profile
 *    side any more).
 *
 * `--full-rematch [--openings-total 5000 --workers 1,2 --mongo-heap 6g]` instead measures a true
 * full rematch on a LocalMongo of its own (memory backend), seeded as `npm run seed -- --profiles
 * N --openings M` does: for each worker count, the matches are cleared, that many worker processes
 * (workers/main.ts) load their snapshot and run `startRematch`'s flow; printed: wall time, each
 * worker's peak RSS (VmHWM), the matches collection's count and average BSON size, the local
 * server's used heap after a GC (jcmd), then G2 (`--openings` new openings run in this process).
 *
 * Figures are JSON lines (scripts/lib/bench.ts). Needs MongoDB (or the local substitute) and Redis.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { BSON } from 'mongodb';
import mongoose from 'mongoose';
import { loadConfig } from '../src/config.js';
import { jobId } from '../src/jobs/catalogue.js';
import { createQueues, enqueue } from '../src/jobs/queues.js';
import { connectMongo, disconnectMongo, syncIndexes } from '../src/lib/db/index.js';
import { createLogger } from '../src/lib/logger.js';
import { createWorkerConnection } from '../src/lib/redis.js';
import { applyMatchOps, storedMatchesOf } from '../src/modules/matches/matches.bulk.js';
import { rematchProgress, startRematch } from '../src/modules/matches/rematch.js';
import { runChunk, runOpening, runProfile } from '../src/modules/matches/suggestions.runs.js';
import { MatchingState } from '../src/modules/matches/suggestions.state.js';
import { toMatchOpening, toMatchProfile } from '../src/modules/matching/adapters.js';
import { type RankedPair, reconcile } from '../src/modules/matching/reconcile.js';
import { score } from '../src/modules/matching/score.js';
import { ranksBefore } from '../src/modules/matching/snapshot.js';
import { getOpeningForMatching } from '../src/modules/openings/for-other-modules.service.js';
import { ensureReferenceData } from '../src/modules/reference/reference.service.js';
import { streamProfilesForMatching } from '../src/modules/worker-profiles/for-other-modules.service.js';
import { uniqueName, withDatabase } from '../test/fixtures/app.js';
import { OwnLocalMongo, spawnEntry, stopChild, waitFor } from '../test/fixtures/processes.js';
import { report } from './lib/bench.js';
import { insertDemoOpenings } from './lib/demo-openings.js';
import { insertDemoProfiles } from './lib/demo-profiles.js';

const { values: args } = parseArgs({
  options: {
    profiles: { type: 'string', default: '100000' },
    openings: { type: 'string', default: '200' },
    baseline: { type: 'string', default: '10' },
    'rematch-openings': { type: 'string', default: '500' },
    top: { type: 'string', default: '20' },
    keep: { type: 'boolean', default: false },
    'full-rematch': { type: 'boolean', default: false },
    'openings-total': { type: 'string', default: '5000' },
    workers: { type: 'string', default: '1,2' },
    'mongo-heap': { type: 'string', default: '6g' },
  },
});
const PROFILES = Number(args.profiles);
const NEW_OPENINGS = Number(args.openings);
const BASELINE = Number(args.baseline);
const R_OPENINGS = Number(args['rematch-openings']);

const FULL = args['full-rematch'];
const name = uniqueName('benchmatch');
const base = loadConfig();
const own = FULL ? await OwnLocalMongo.create({ store: 'memory', heap: args['mongo-heap'] }) : null;
const config = loadConfig({
  ...process.env,
  MONGODB_URI: withDatabase(own?.url ?? base.mongo.uri, name),
  QUEUE_PREFIX: name,
  MATCHING_TOP_N: args.top,
  LOG_LEVEL: 'warn',
});
const logger = createLogger('warn');
await connectMongo(config.mongo.uri, logger);
await syncIndexes();
await ensureReferenceData();
const redis = createWorkerConnection(config.redis.url);
const queues = createQueues(redis, config.redis.queuePrefix, logger);
const deps = { config, logger, queues };
const B = 'matching';
const pct = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))]!;
let peakRss = 0;
const sampler = setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
}, 50);

/** A figure with context (load average, counts) beside it, one JSON line. */
const line = (f: { bench: string; metric: string; value: number; unit: string } & Record<string, unknown>) =>
  console.log(JSON.stringify({ ...f, value: Number(f.value.toFixed(3)) }));
const load = () => loadavg().map((x) => Math.round(x * 100) / 100);

/** The local server's JVM: used heap after a full GC, in MiB (jcmd), or null when unreadable. */
function serverHeapMiB(port: number): number | null {
  try {
    const ss = execFileSync('ss', ['-ltnpH', `sport = :${port}`], { encoding: 'utf8' });
    const pid = /pid=(\d+)/.exec(ss)?.[1];
    if (!pid) return null;
    execFileSync('jcmd', [pid, 'GC.run'], { encoding: 'utf8' });
    const info = execFileSync('jcmd', [pid, 'GC.heap_info'], { encoding: 'utf8' });
    const used = /used (\d+)K/.exec(info)?.[1];
    return used ? Number(used) / 1024 : null;
  } catch {
    return null;
  }
}

/** Peak resident set of a process (VmHWM), in MiB. */
function peakRssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0) / 1024;
}

async function matchesFigures(): Promise<{ count: number; avgBytes: number; suggested: number }> {
  const coll = mongoose.connection.db!.collection('matches');
  let count = 0;
  let bytes = 0;
  let suggested = 0;
  for await (const doc of coll.find({})) {
    count++;
    bytes += BSON.calculateObjectSize(doc);
    if (doc.status === 'suggested') suggested++;
  }
  return { count, avgBytes: count ? bytes / count : 0, suggested };
}

/** A full rematch by `n` worker processes on the seeded database, from no stored match. */
async function fullRematch(n: number): Promise<void> {
  await mongoose.connection.db!.collection('matches').deleteMany({});
  const workers = Array.from({ length: n }, () =>
    spawnEntry('workers/main.ts', {
      NODE_ENV: process.env.NODE_ENV ?? 'development',
      LOG_LEVEL: 'info',
      MONGODB_URI: config.mongo.uri,
      REDIS_URL: config.redis.url,
      QUEUE_PREFIX: config.redis.queuePrefix,
      WORKER_METRICS_PORT: '0',
      MATCHING_TOP_N: String(config.matching.topN),
      MATCHING_POLL_INTERVAL_MS: '3600000',
    }),
  );
  children.push(...workers);
  try {
    const t0 = performance.now();
    for (const w of workers)
      await waitFor(
        'a worker’s snapshot',
        () => {
          if (w.exitCode !== null) throw new Error(`worker exited: ${w.output.join('').slice(-2000)}`);
          return w.output.join('').includes('matching snapshot loaded');
        },
        600_000,
        200,
      );
    line({
      bench: B,
      metric: `rematch.w${n}.snapshot_load`,
      value: (performance.now() - t0) / 1000,
      unit: 's',
      load: load(),
    });
    const started = performance.now();
    const run = await startRematch(config, redis, {});
    let shown = performance.now();
    for (;;) {
      const p = await rematchProgress(queues.matching, run.runId);
      if (p?.state === 'failed') throw new Error('the rematch failed');
      if (p?.state === 'completed') break;
      // Progress now and then: a run cut short still shows its rate.
      if (performance.now() - shown > 15_000) {
        shown = performance.now();
        line({
          bench: B,
          metric: `rematch.w${n}.progress`,
          value: (shown - started) / 1000,
          unit: 's',
          chunksDone: p?.done ?? 0,
          chunks: run.chunks,
          load: load(),
        });
      }
      await sleep(250);
    }
    const wall = (performance.now() - started) / 1000;
    line({
      bench: B,
      metric: `rematch.w${n}.openings`,
      value: run.openings,
      unit: 'open openings',
      chunks: run.chunks,
    });
    line({ bench: B, metric: `rematch.w${n}.wall`, value: wall, unit: 's', load: load() });
    for (const [i, w] of workers.entries())
      line({
        bench: B,
        metric: `rematch.w${n}.worker${i + 1}.peak_rss`,
        value: peakRssMiB(w.pid!),
        unit: 'MiB',
      });
    const m = await matchesFigures();
    line({
      bench: B,
      metric: `rematch.w${n}.matches`,
      value: m.count,
      unit: 'docs',
      suggested: m.suggested,
    });
    line({ bench: B, metric: `rematch.w${n}.match_avg_bson`, value: m.avgBytes, unit: 'bytes' });
    line({
      bench: B,
      metric: `rematch.w${n}.server_heap_used`,
      value: serverHeapMiB(own!.port) ?? Number.NaN,
      unit: 'MiB (after a full GC)',
    });
  } finally {
    for (const w of workers) await stopChild(w, 'SIGTERM');
  }
}

const children: ReturnType<typeof spawnEntry>[] = [];
process.once('SIGTERM', () => {
  for (const c of children) c.kill('SIGTERM');
  void own?.stop().finally(() => process.exit(143));
});

try {
  let t0 = performance.now();
  if (FULL) {
    await insertDemoProfiles(config, PROFILES, 11);
    const seeded = await insertDemoOpenings(Number(args['openings-total']), 11);
    line({
      bench: B,
      metric: 'setup.seeded',
      value: (performance.now() - t0) / 1000,
      unit: 's',
      profiles: PROFILES,
      openings: seeded.inserted,
      open: seeded.open,
    });
    for (const n of args.workers.split(',').map(Number)) await fullRematch(n);
    const state = new MatchingState({ config, logger, redis });
    await state.start();
    const fresh = await insertDemoOpenings(NEW_OPENINGS, 101);
    const g2: number[] = [];
    for (const id of fresh.ids) {
      const s = performance.now();
      await runOpening(state, deps, id);
      g2.push(performance.now() - s);
    }
    line({
      bench: B,
      metric: 'g2.openings',
      value: g2.length,
      unit: 'openings',
      profiles: state.profileCount,
      stored: (await matchesFigures()).count,
    });
    line({ bench: B, metric: 'g2.p50', value: pct(g2, 0.5), unit: 'ms', load: load() });
    line({ bench: B, metric: 'g2.p95', value: pct(g2, 0.95), unit: 'ms', load: load() });
    // A profile's change job: the openings whose stored top-N it enters or leaves, run.
    const someProfiles = [...state.snapshot.profileIds()].filter((_, i) => i % 4_999 === 0).slice(0, 20);
    const pr: number[] = [];
    let withRuns = 0;
    for (const id of someProfiles) {
      const s = performance.now();
      if ((await runProfile(state, deps, id)).ranked > 0) withRuns++;
      pr.push(performance.now() - s);
    }
    line({
      bench: B,
      metric: 'profile_run.p50',
      value: pct(pr, 0.5),
      unit: 'ms',
      profiles: pr.length,
      withOpeningsRun: withRuns,
      load: load(),
    });
    line({ bench: B, metric: 'profile_run.p95', value: pct(pr, 0.95), unit: 'ms', load: load() });
    line({
      bench: B,
      metric: 'bench.peak_rss',
      value: peakRss / 2 ** 20,
      unit: 'MiB (this process: snapshot + G2)',
    });
    await state.close();
  }
  if (!FULL) {
    await insertDemoProfiles(config, PROFILES, 11);
    report({ bench: B, metric: 'setup.profiles_inserted', value: PROFILES, unit: 'docs' });
    report({ bench: B, metric: 'setup.profiles_insert', value: (performance.now() - t0) / 1000, unit: 's' });

    global.gc?.();
    const heapBefore = process.memoryUsage().heapUsed;
    t0 = performance.now();
    const state = new MatchingState({ config, logger, redis });
    await state.start();
    report({ bench: B, metric: 'snapshot.load', value: (performance.now() - t0) / 1000, unit: 's' });
    report({ bench: B, metric: 'snapshot.profiles', value: state.profileCount, unit: 'profiles' });
    report({
      bench: B,
      metric: 'snapshot.columns',
      value: state.snapshot.stats().bytes / 2 ** 20,
      unit: 'MiB',
    });
    global.gc?.();
    report({
      bench: B,
      metric: 'snapshot.heap_with_held_inputs',
      value: (process.memoryUsage().heapUsed - heapBefore) / 2 ** 20,
      unit: 'MiB',
    });

    // ---- G2: a new opening → top-N persisted and the notice job queued ---------------------------
    const fresh = await insertDemoOpenings(NEW_OPENINGS + BASELINE, 101);
    const g2: number[] = [];
    let suggested = 0;
    for (const id of fresh.ids.slice(0, NEW_OPENINGS)) {
      const s = performance.now();
      const r = await runOpening(state, deps, id);
      g2.push(performance.now() - s);
      suggested += r.suggested;
    }
    report({ bench: B, metric: 'g2.snapshot.openings', value: g2.length, unit: 'openings' });
    report({ bench: B, metric: 'g2.snapshot.suggestions', value: suggested, unit: 'matches' });
    const p50 = pct(g2, 0.5);
    const p95 = pct(g2, 0.95);
    // Printed before the baseline, which takes minutes per opening at 100k.
    report({ bench: B, metric: 'g2.snapshot.p50', value: p50, unit: 'ms' });
    report({ bench: B, metric: 'g2.snapshot.p95', value: p95, unit: 'ms' });

    const ctx = await state.context();
    const top = config.matching.topN;
    const g2db: number[] = [];
    for (const id of fresh.ids.slice(NEW_OPENINGS, NEW_OPENINGS + BASELINE)) {
      const s = performance.now();
      const o = await getOpeningForMatching(id);
      if (o?.status !== 'open') {
        g2db.push(performance.now() - s);
        continue;
      }
      const opening = toMatchOpening(o);
      const skillCodes = opening.skillsRequired.map((x) => x.code);
      const ranked: { pair: RankedPair; regionPath: string[] }[] = [];
      for await (const p of streamProfilesForMatching(deps, skillCodes.length ? { skillCodes } : {})) {
        const result = score(toMatchProfile(p), opening, ctx);
        if (result.eligible)
          ranked.push({ pair: { profileId: p.id, openingId: id, result }, regionPath: p.regionPath });
      }
      ranked.sort((a, b) =>
        ranksBefore(a.pair.result.score, a.pair.profileId, b.pair.result.score, b.pair.profileId) ? -1 : 1,
      );
      const best = ranked.slice(0, top);
      const paths = new Map(best.map((b) => [b.pair.profileId, b.regionPath]));
      const ops = reconcile(
        await storedMatchesOf({ openingId: id }),
        best.map((b) => b.pair),
      );
      const applied = await applyMatchOps(ops, (pair) => ({
        employerId: opening.employerId,
        openingRegionPath: o.regionPath,
        profileRegionPath: paths.get(pair.profileId) ?? [],
      }));
      if (applied.suggested.length)
        await enqueue(
          queues,
          'matching.notify',
          { matchIds: applied.suggested.slice(0, 500) },
          {
            jobId: jobId('matching.notify', 'db', id),
          },
        );
      g2db.push(performance.now() - s);
    }
    report({ bench: B, metric: 'g2.p50', value: p50, unit: 'ms', baseline: pct(g2db, 0.5) });
    report({ bench: B, metric: 'g2.p95', value: p95, unit: 'ms', baseline: pct(g2db, 0.95) });
    report({
      bench: B,
      metric: 'g2.speedup_p50',
      value: pct(g2db, 0.5) / p50,
      unit: 'x (database per job ÷ snapshot)',
    });
    report({ bench: B, metric: 'g2.baseline.openings', value: g2db.length, unit: 'openings' });

    // ---- rematch ---------------------------------------------------------------------------------
    const rematchOpenings = await insertDemoOpenings(R_OPENINGS, 202);
    for (const id of rematchOpenings.ids) await state.refreshOpening(id);
    const openIds = state
      .openings()
      .map((o) => o.id)
      .sort();
    peakRss = process.memoryUsage().rss;
    t0 = performance.now();
    for (let i = 0; i < openIds.length; i += 100) {
      const ids = openIds.slice(i, i + 100);
      await runChunk(state, deps, { side: 'opening', from: ids[0]!, to: ids.at(-1)! });
    }
    const openingSide = (performance.now() - t0) / 1000;
    const openCount = openIds.length;
    report({ bench: B, metric: 'rematch.openings', value: openCount, unit: 'open openings' });
    report({ bench: B, metric: 'rematch.opening_side', value: openingSide, unit: 's' });
    report({ bench: B, metric: 'rematch.peak_rss', value: peakRss / 2 ** 20, unit: 'MiB' });
    // Linear in openings (each a topN over the same snapshot); there is no profile side.
    report({
      bench: B,
      metric: 'rematch.extrapolated_100k_x_5k',
      value:
        (openingSide * (5_000 / Math.max(1, openCount)) * (100_000 / Math.max(1, state.profileCount))) / 60,
      unit: 'min, one process (linear)',
    });
    await state.close();
  }
} finally {
  clearInterval(sampler);
  if (!args.keep) await mongoose.connection.db?.dropDatabase().catch(() => undefined);
  for (const q of Object.values(queues)) await q.obliterate({ force: true }).catch(() => undefined);
  await Promise.all(Object.values(queues).map((q) => q.close()));
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${name}:*`, 'COUNT', 500);
    if (keys.length) await redis.del(...keys);
    cursor = next;
  } while (cursor !== '0');
  redis.disconnect();
  await disconnectMongo();
  await own?.stop();
}
