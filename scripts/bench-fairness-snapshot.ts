/**
 * bench:fairness-snapshot — one fairness snapshot run and the report read that follows it, on the
 * real services. The reads (profiles, suggestions, milestones) run on the database named by
 * BENCH_SOURCE_DB (default: the one in MONGODB_URI), which is only read; the rows are written,
 * published and read back in a scratch database dropped at the end, so a shared data set is
 * never changed. Figures are JSON lines (scripts/lib/bench.ts).
 */
import { randomBytes } from 'node:crypto';
import mongoose from 'mongoose';
import { loadConfig } from '../src/config.js';
import { EVERYTHING } from '../src/lib/auth/scope.js';
import { connectMongo, syncIndexes } from '../src/lib/db/index.js';
import { createLogger } from '../src/lib/logger.js';
import { peopleReaching, suggestedPeople } from '../src/modules/reports/fairness.repository.js';
import {
  currentFairnessRun,
  publishFairnessRun,
  sumFairnessRows,
  writeFairnessRows,
} from '../src/modules/reports/fairness.runs.repository.js';
import { fairnessFromTotals, snapshotRows } from '../src/modules/reports/fairness.snapshot.js';
import { countProfilesByOrigin } from '../src/modules/reports/reports.repository.js';
import { report } from './lib/bench.js';

const BENCH = 'fairness-snapshot';
const ms = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e6;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

function withDb(uri: string, db: string): string {
  const url = new URL(uri);
  url.pathname = `/${db}`;
  return url.toString();
}

async function main() {
  const config = loadConfig();
  const logger = createLogger('warn');
  const source = process.env.BENCH_SOURCE_DB;
  await connectMongo(source ? withDb(config.mongo.uri, source) : config.mongo.uri, logger);

  const t0 = process.hrtime.bigint();
  const profiles = await countProfilesByOrigin();
  const tProfiles = ms(t0);
  const t1 = process.hrtime.bigint();
  const suggested = await suggestedPeople(EVERYTHING);
  const tSuggested = ms(t1);
  const t2 = process.hrtime.bigint();
  const reached = await peopleReaching(EVERYTHING);
  const tReached = ms(t2);
  const rows = snapshotRows(profiles, suggested, reached);
  const people = profiles.reduce((n, p) => n + p.count, 0);
  report({ bench: BENCH, metric: 'profiles', value: people, unit: 'people' });
  report({ bench: BENCH, metric: 'suggested_people', value: suggested.length, unit: 'people' });
  report({ bench: BENCH, metric: 'rows', value: rows.length, unit: 'rows' });
  report({ bench: BENCH, metric: 'read_profiles', value: tProfiles, unit: 'ms' });
  report({ bench: BENCH, metric: 'read_suggestions', value: tSuggested, unit: 'ms' });
  report({ bench: BENCH, metric: 'read_milestones', value: tReached, unit: 'ms' });
  await mongoose.disconnect();

  const scratch = `bench_fairsnap_${Date.now().toString(36)}_${randomBytes(2).toString('hex')}`;
  await connectMongo(withDb(config.mongo.uri, scratch), logger);
  try {
    await syncIndexes();
    const t3 = process.hrtime.bigint();
    const runId = 'bench';
    const computedAt = new Date();
    await writeFairnessRows(runId, computedAt, rows);
    await publishFairnessRun({ runId, computedAt, durationMs: 0, rows: rows.length });
    const tWrite = ms(t3);
    report({ bench: BENCH, metric: 'write_and_publish', value: tWrite, unit: 'ms' });
    report({
      bench: BENCH,
      metric: 'full_run',
      value: tProfiles + tSuggested + tReached + tWrite,
      unit: 'ms',
    });
    // The report read: pointer, rows in scope, arithmetic (what GET /api/v1/reports/fairness does).
    const busiest = new Map<string, number>();
    for (const r of rows) {
      const pref = r.regionPath[1];
      if (pref) busiest.set(pref, (busiest.get(pref) ?? 0) + 1);
    }
    const prefecture = [...busiest.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
    const scopes: [string, Record<string, unknown>][] = [['admin', EVERYTHING]];
    if (prefecture) scopes.push([`prefecture_${prefecture}`, { regionPath: { $in: [prefecture] } }]);
    for (const [name, scope] of scopes) {
      const times: number[] = [];
      for (let i = 0; i < 7; i++) {
        const t = process.hrtime.bigint();
        const run = await currentFairnessRun();
        fairnessFromTotals(await sumFairnessRows(run!.runId, scope));
        times.push(ms(t));
      }
      report({ bench: BENCH, metric: `read_${name}_median`, value: median(times), unit: 'ms' });
    }
  } finally {
    await mongoose.connection.db?.dropDatabase();
    await mongoose.disconnect();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
