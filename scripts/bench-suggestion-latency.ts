/**
 * `npm run bench:suggestion-latency [-- --profiles 400 --openings 30 --parallel 1]` — issue 17
 * item 13: how long after an employer opens an opening its suggestions can be read through the API.
 *
 * On a database of its own (MONGODB_URI's server, a fresh database name; `--keep` leaves it):
 * applies the demo seed (`scripts/seed.ts --demo --profiles N`), starts the API and the worker as
 * processes (as `npm run up` does, with their own queue prefix), then for each of `--openings`
 * openings: create (draft) → open, and poll `GET /openings/:id/matches` as the demo admin until
 * the first suggestion is listed. `--parallel k` opens k at a time (load on the matching queue).
 * Figures (JSON lines, scripts/lib/bench.ts): p50, p95 and max from the open's answer to the
 * first listed suggestion. Needs MongoDB (or the local substitute) and Redis on loopback.
 */
import { execFileSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import mongoose from 'mongoose';
import { uniqueName, withDatabase } from '../test/fixtures/app.js';
import { openingBody } from '../test/fixtures/openings.js';
import { freePort, spawnEntry, stopChild, waitFor } from '../test/fixtures/processes.js';
import { report, stopChildrenOnExit } from './lib/bench.js';
import { DEMO_PASSWORD } from './lib/demo/seed-accounts.js';

const { values: args } = parseArgs({
  options: {
    profiles: { type: 'string', default: '400' },
    openings: { type: 'string', default: '30' },
    parallel: { type: 'string', default: '1' },
    keep: { type: 'boolean', default: false },
  },
});
const OPENINGS = Number(args.openings);
const PARALLEL = Number(args.parallel);

const name = uniqueName('latency');
const mongoUri = withDatabase(process.env.MONGODB_URI ?? 'mongodb://127.0.0.1:27017/tongxin', name);
const env = {
  NODE_ENV: 'development',
  LOG_LEVEL: 'info',
  MONGODB_URI: mongoUri,
  QUEUE_PREFIX: name,
  SEARCH_INDEX_PREFIX: name,
  SESSION_SECRET: `latency-session-secret-${name}-0123456789abcdef`,
  METRICS_PORT: '0',
  RATE_LIMIT_PER_MINUTE: '1000000',
  LOGIN_RATE_LIMIT_PER_MINUTE: '100000',
};

// Interrupted: the API and the worker go too.
stopChildrenOnExit();
execFileSync(
  process.execPath,
  ['--import', 'tsx', 'scripts/seed.ts', '--demo', '--profiles', args.profiles],
  {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  },
);

const port = await freePort();
const api = spawnEntry('src/server.ts', { ...env, HOST: '127.0.0.1', PORT: String(port) });
const worker = spawnEntry('workers/main.ts', env);
const base = `http://127.0.0.1:${port}`;

async function call(method: string, path: string, token?: string, body?: unknown) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = res.status === 204 ? null : await res.json();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

async function login(username: string): Promise<string> {
  const r = await call('POST', '/api/v1/auth/login', undefined, { username, password: DEMO_PASSWORD });
  return r.accessToken ?? r.token;
}

function pct(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

try {
  await waitFor(
    'the API',
    async () => (await fetch(`${base}/readyz`).catch(() => undefined))?.ok,
    60_000,
    200,
  );
  await waitFor(
    'the worker’s snapshot',
    () => worker.output.some((l) => l.includes('matching snapshot loaded')),
    120_000,
    200,
  );
  const employer = await login('foshan.employer1');
  const admin = await login('demo.admin');

  async function one(): Promise<number> {
    const created = await call('POST', '/api/v1/openings', employer, openingBody({ headcount: 50 }));
    await call('POST', `/api/v1/openings/${created.id}/open`, employer);
    const opened = performance.now();
    await waitFor(
      'a suggestion',
      async () => (await call('GET', `/api/v1/openings/${created.id}/matches?limit=1`, admin)).total > 0,
      60_000,
      20,
    );
    return performance.now() - opened;
  }

  const times: number[] = [];
  for (let i = 0; i < OPENINGS; i += PARALLEL) {
    const batch = await Promise.all(Array.from({ length: Math.min(PARALLEL, OPENINGS - i) }, one));
    times.push(...batch);
  }
  times.sort((a, b) => a - b);
  const bench = `suggestion-latency(profiles=${args.profiles},parallel=${PARALLEL})`;
  report({ bench, metric: 'open_to_listed_p50', value: pct(times, 50), unit: 'ms' });
  report({ bench, metric: 'open_to_listed_p95', value: pct(times, 95), unit: 'ms' });
  report({ bench, metric: 'open_to_listed_max', value: times.at(-1)!, unit: 'ms' });
  // Where the time went, from the matching queue's own records of the opening jobs.
  const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { maxRetriesPerRequest: null });
  const queue = new Queue('matching', { connection: redis, prefix: name });
  const jobs = (await queue.getJobs(['completed'], 0, 10_000)).filter((j) => j.name === 'matching.opening');
  const waits = jobs.map((j) => j.processedOn! - j.timestamp).sort((a, b) => a - b);
  const runs = jobs.map((j) => j.finishedOn! - j.processedOn!).sort((a, b) => a - b);
  if (jobs.length) {
    report({ bench, metric: 'opening_job_added_to_started_p50', value: pct(waits, 50), unit: 'ms' });
    report({ bench, metric: 'opening_job_added_to_started_p95', value: pct(waits, 95), unit: 'ms' });
    report({ bench, metric: 'opening_job_run_p50', value: pct(runs, 50), unit: 'ms' });
    report({ bench, metric: 'opening_job_run_p95', value: pct(runs, 95), unit: 'ms' });
  }
  const all = await queue.getJobs(['completed', 'failed'], 0, 10_000);
  for (const jobName of new Set(all.map((j) => j.name))) {
    const mine = all.filter((j) => j.name === jobName);
    const busy = mine.map((j) => (j.finishedOn ?? 0) - (j.processedOn ?? 0)).sort((a, b) => a - b);
    report({ bench, metric: `${jobName}_jobs`, value: mine.length, unit: 'jobs' });
    report({ bench, metric: `${jobName}_run_p95`, value: pct(busy, 95), unit: 'ms' });
  }
  await queue.close();
  redis.disconnect();
  const polls = worker.output
    .join('')
    .split('\n')
    .filter((l) => l.includes('caught up by poll')).length;
  report({ bench, metric: 'snapshot_caught_up_by_poll', value: polls, unit: 'log lines' });
} finally {
  await Promise.all([stopChild(api), stopChild(worker)]);
  if (!args.keep) {
    await mongoose.connect(mongoUri);
    await mongoose.connection.db!.dropDatabase();
    await mongoose.disconnect();
  }
}
