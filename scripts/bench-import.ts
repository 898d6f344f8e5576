/**
 * `npm run bench:import`: a roster of BENCH_ROWS (default 10,000) valid rows imported by the real
 * import job (parse XLSX, check every row, encrypt identity, hash, insert in batches), against the
 * raw driver's `insertMany` of the very documents the import wrote, into a collection with the same
 * indexes on the same backend, in the same run. Both on a fresh database, dropped afterwards.
 *
 * Env: MONGODB_URI, REDIS_URL (as for the service), BENCH_ROWS.
 */
import { Writable } from 'node:stream';
import mongoose from 'mongoose';
import { loadConfig } from '../src/config.js';
import { createQueues } from '../src/jobs/queues.js';
import { connectMongo, disconnectMongo, syncIndexes } from '../src/lib/db.js';
import { createLogger } from '../src/lib/logger.js';
import { createWorkerConnection } from '../src/lib/redis.js';
import { insertOrganization } from '../src/modules/orgs/orgs.repository.js';
import { ensureReferenceData } from '../src/modules/reference/reference.service.js';
import { createImport, runImport } from '../src/modules/worker-profiles/imports.service.js';
import { seededRandom } from '../test/fixtures/identity.js';
import { distinctRosterRows, rosterXlsx } from '../test/fixtures/rosters.js';
import { report } from './lib/bench.js';

const rows = Number(process.env.BENCH_ROWS ?? 10_000);
const dbName = `bench_import_${Date.now().toString(36)}`;
const base = loadConfig({ ...process.env, LOG_LEVEL: 'warn' });
const uri = new URL(base.mongo.uri);
uri.pathname = `/${dbName}`;
const config = loadConfig({
  ...process.env,
  LOG_LEVEL: 'warn',
  MONGODB_URI: uri.toString(),
  QUEUE_PREFIX: dbName,
  IMPORT_MAX_ROWS: String(Math.max(rows, 20_000)),
  IMPORT_MAX_BYTES: '200mb',
});
const logger = createLogger('warn', new Writable({ write: (_c, _e, done) => done() }));

await connectMongo(config.mongo.uri, logger);
// A waiting connection: a script may take a moment to reach Redis.
const redis = createWorkerConnection(config.redis.url);
const queues = createQueues(redis, config.redis.queuePrefix, logger);
const deps = { config, logger, queues };
try {
  await syncIndexes();
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
  const random = seededRandom('bench-import');
  const origins = [
    { code: '513301', name: '康定市' },
    { code: '513322', name: '泸定县' },
    { code: '513323', name: '丹巴县' },
  ];
  const roster = distinctRosterRows(rows, origins, random);
  const file = await rosterXlsx(roster);
  console.error(`roster: ${rows} rows, ${(file.length / 1024).toFixed(0)} KiB XLSX`);

  // The upload (API side): parse once to refuse a malformed file, store it encrypted, enqueue.
  const t0 = performance.now();
  const record = await createImport(deps, actor, file);
  const t1 = performance.now();
  // The job (worker side), run in-process so that nothing else is measured.
  const result = (await runImport(deps, record.id)) as Record<string, number>;
  const t2 = performance.now();
  if (result.imported !== rows) throw new Error(`expected ${rows} imported, got ${JSON.stringify(result)}`);

  // Baseline: the same documents, inserted raw into an identically indexed collection.
  const db = mongoose.connection.db!;
  const docs = await db.collection('worker_profiles').find({}).toArray();
  const raw = db.collection('bench_raw_profiles');
  for (const index of await db.collection('worker_profiles').indexes())
    if (index.name !== '_id_') await raw.createIndex(index.key, { unique: !!index.unique, name: index.name });
  const b0 = performance.now();
  for (let i = 0; i < docs.length; i += 500) await raw.insertMany(docs.slice(i, i + 500), { ordered: false });
  const b1 = performance.now();
  await raw.deleteMany({});
  const c0 = performance.now();
  await raw.insertMany(docs, { ordered: false });
  const c1 = performance.now();

  const jobRate = rows / ((t2 - t1) / 1000);
  const rawRate = rows / ((b1 - b0) / 1000);
  const rawOneCall = rows / ((c1 - c0) / 1000);
  const endToEnd = rows / ((t2 - t0) / 1000);
  report({
    bench: 'import',
    metric: 'job rows/s (XLSX → profiles)',
    value: jobRate,
    unit: 'rows/s',
    baseline: rawRate,
  });
  report({
    bench: 'import',
    metric: 'job rows/s vs one insertMany call',
    value: jobRate,
    unit: 'rows/s',
    baseline: rawOneCall,
  });
  report({
    bench: 'import',
    metric: 'upload + job rows/s',
    value: endToEnd,
    unit: 'rows/s',
    baseline: rawRate,
  });
  report({ bench: 'import', metric: 'upload (parse, store encrypted, enqueue)', value: t1 - t0, unit: 'ms' });
  for (const phase of ['readMs', 'checkMs', 'writeMs'])
    report({
      bench: 'import',
      metric: `job ${phase.replace('Ms', '')}`,
      value: result[phase] ?? 0,
      unit: 'ms',
    });
} finally {
  await mongoose.connection.db?.dropDatabase().catch(() => undefined);
  for (const q of Object.values(queues)) await q.obliterate({ force: true }).catch(() => undefined);
  for (const q of Object.values(queues)) await q.close().catch(() => undefined);
  redis.disconnect();
  await disconnectMongo();
}
