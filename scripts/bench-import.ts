/**
 * `npm run bench:import`: a roster of BENCH_ROWS (default 10,000) valid rows imported by the real
 * import job (rows as parsed at upload, every row checked, identity encrypted and hashed, inserted
 * in batches), against the raw driver's `insertMany` of the very documents the import wrote, into
 * an identically indexed collection on the same backend.
 *
 * The machine may be shared, so each of BENCH_ROUNDS (default 3) rounds measures both, one right
 * after the other, on a fresh database; the figures are medians, and `ratio` is the median of the
 * per-round ratios (a load spike then spoils one round, not the comparison).
 *
 * Env: MONGODB_URI, REDIS_URL (as for the service), BENCH_ROWS, BENCH_ROUNDS.
 */
import { Writable } from 'node:stream';
import mongoose from 'mongoose';
import { type Config, loadConfig } from '../src/config.js';
import { createQueues } from '../src/jobs/queues.js';
import { connectMongo, disconnectMongo, syncIndexes } from '../src/lib/db/index.js';
import { createLogger } from '../src/lib/logger.js';
import { createWorkerConnection } from '../src/lib/redis.js';
import { insertOrganization } from '../src/modules/orgs/orgs.repository.js';
import { ensureReferenceData, invalidateReferenceCache } from '../src/modules/reference/reference.service.js';
import { createImport, runImport } from '../src/modules/worker-profiles/imports.service.js';
import { seededRandom } from '../test/fixtures/identity.js';
import { distinctRosterRows, rosterXlsx } from '../test/fixtures/rosters.js';
import { report } from './lib/bench.js';

const rows = Number(process.env.BENCH_ROWS ?? 10_000);
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const logger = createLogger('warn', new Writable({ write: (_c, _e, done) => done() }));

function configFor(dbName: string): Config {
  const base = loadConfig({ ...process.env, LOG_LEVEL: 'warn' });
  const uri = new URL(base.mongo.uri);
  uri.pathname = `/${dbName}`;
  return loadConfig({
    ...process.env,
    LOG_LEVEL: 'warn',
    MONGODB_URI: uri.toString(),
    QUEUE_PREFIX: dbName,
    IMPORT_MAX_ROWS: String(Math.max(rows, 20_000)),
    IMPORT_MAX_BYTES: '200mb',
  });
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

interface Round {
  job: number;
  raw: number;
  rawOneCall: number;
  upload: number;
  phases: Record<string, number>;
}

async function round(n: number, file: Buffer): Promise<Round> {
  const dbName = `bench_import_${Date.now().toString(36)}_${n}`;
  const config = configFor(dbName);
  await connectMongo(config.mongo.uri, logger);
  // A waiting connection: a script may take a moment to reach Redis.
  const redis = createWorkerConnection(config.redis.url);
  const queues = createQueues(redis, config.redis.queuePrefix, logger);
  const deps = { config, logger, queues };
  try {
    await syncIndexes();
    invalidateReferenceCache();
    await ensureReferenceData();
    const org = await insertOrganization({
      type: 'recipient_federation',
      name: '甘孜州残联（基准）',
      jurisdictionCode: '513300',
    });
    const actor = {
      userId: new mongoose.Types.ObjectId().toHexString(),
      organizationId: org.id,
      orgType: 'recipient_federation' as const,
      roles: ['federation_staff' as const],
      jurisdictionCode: '513300',
    };
    const db = mongoose.connection.db!;
    const raw = db.collection('bench_raw_profiles');
    for (const index of await db.collection('worker_profiles').indexes())
      if (index.name !== '_id_')
        await raw.createIndex(index.key, { unique: !!index.unique, name: index.name });

    const measureRaw = async (docs: Record<string, unknown>[]) => {
      const b0 = performance.now();
      for (let i = 0; i < docs.length; i += 500)
        await raw.insertMany(docs.slice(i, i + 500), { ordered: false });
      const b1 = performance.now();
      await raw.deleteMany({});
      const c0 = performance.now();
      await raw.insertMany(docs, { ordered: false });
      const c1 = performance.now();
      await raw.deleteMany({});
      return { batched: rows / ((b1 - b0) / 1000), oneCall: rows / ((c1 - c0) / 1000) };
    };

    // The upload (API side): parse once to refuse a malformed file, store the rows encrypted, enqueue.
    const t0 = performance.now();
    const record = await createImport(deps, actor, file);
    const t1 = performance.now();
    // The job (worker side), run in-process so that nothing else is measured.
    const result = (await runImport(deps, record.id)) as Record<string, number>;
    const t2 = performance.now();
    if (result.imported !== rows) throw new Error(`expected ${rows} imported, got ${JSON.stringify(result)}`);
    const docs = await db.collection('worker_profiles').find({}).toArray();
    const rawRates = await measureRaw(docs);
    return {
      job: rows / ((t2 - t1) / 1000),
      raw: rawRates.batched,
      rawOneCall: rawRates.oneCall,
      upload: t1 - t0,
      phases: { read: result.readMs ?? 0, check: result.checkMs ?? 0, write: result.writeMs ?? 0 },
    };
  } finally {
    await mongoose.connection.db?.dropDatabase().catch(() => undefined);
    for (const q of Object.values(queues)) await q.obliterate({ force: true }).catch(() => undefined);
    for (const q of Object.values(queues)) await q.close().catch(() => undefined);
    redis.disconnect();
    await disconnectMongo();
  }
}

const roster = distinctRosterRows(
  rows,
  [
    { code: '513301', name: '康定市' },
    { code: '513322', name: '泸定县' },
    { code: '513323', name: '丹巴县' },
  ],
  seededRandom('bench-import'),
);
const file = await rosterXlsx(roster);
console.error(`roster: ${rows} rows, ${(file.length / 1024).toFixed(0)} KiB XLSX; ${rounds} rounds`);

const results: Round[] = [];
for (let n = 0; n < rounds; n++) {
  const r = await round(n, file);
  console.error(
    `round ${n + 1}: job ${r.job.toFixed(0)} rows/s, raw insertMany ${r.raw.toFixed(0)} rows/s (ratio ${(r.job / r.raw).toFixed(2)}); phases ${JSON.stringify(r.phases)}`,
  );
  results.push(r);
}

const ratio = median(results.map((r) => r.job / r.raw));
report({
  bench: 'import',
  metric: 'job rows/s (rows → encrypted profiles), median',
  value: median(results.map((r) => r.job)),
  unit: 'rows/s',
  baseline: median(results.map((r) => r.raw)),
  ratio: Number(ratio.toFixed(3)),
});
report({
  bench: 'import',
  metric: 'job rows/s vs one insertMany call, median',
  value: median(results.map((r) => r.job)),
  unit: 'rows/s',
  baseline: median(results.map((r) => r.rawOneCall)),
  ratio: Number(median(results.map((r) => r.job / r.rawOneCall)).toFixed(3)),
});
report({
  bench: 'import',
  metric: 'upload + job rows/s, median',
  value: median(results.map((r) => rows / (r.upload / 1000 + rows / r.job))),
  unit: 'rows/s',
  baseline: median(results.map((r) => r.raw)),
  ratio: Number(median(results.map((r) => rows / (r.upload / 1000 + rows / r.job) / r.raw)).toFixed(3)),
});
report({
  bench: 'import',
  metric: 'upload (XLSX parse, encrypted store, enqueue), median',
  value: median(results.map((r) => r.upload)),
  unit: 'ms',
});
for (const phase of ['read', 'check', 'write'])
  report({
    bench: 'import',
    metric: `job ${phase}, median`,
    value: median(results.map((r) => r.phases[phase]!)),
    unit: 'ms',
  });
