/**
 * bench:notify — the notification pipeline on the real services (MongoDB or the local substitute + Redis):
 * 1. enqueue: one job per delivery for 10,000 email notifications, with deterministic ids, against
 *    a raw `addBulk` of 10,000 plain jobs in the same run (goal ≤ 1 s); enqueuing again adds 0 jobs;
 * 2. notify(): the whole entry point (recipients, preferences, inserts, enqueue) per event;
 * 3. drain: the 10,000 emails through the real email processor to a local SMTP server, against a
 *    no-op worker draining 10,000 jobs in the same run.
 * Figures are JSON lines (scripts/lib/bench.ts). Needs MONGODB_URI and REDIS_URL (npm run services).
 * The SMTP server runs in a child process of its own, as it would on another machine, so the drain
 * measures the worker alone (`BENCH_SMTP=in-process` runs it in this process, as before issue 23).
 */
import { type ChildProcess, fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { Queue, Worker } from 'bullmq';
import mongoose from 'mongoose';
import { loadConfig } from '../src/config.js';
import { createQueues } from '../src/jobs/queues.js';
import { connectMongo, syncIndexes } from '../src/lib/db/index.js';
import { createLogger } from '../src/lib/logger.js';
import { createProducerConnection } from '../src/lib/redis.js';
import { hashPassword } from '../src/modules/accounts/password.js';
import { insertUser, type User } from '../src/modules/accounts/users.repository.js';
import { countDeliveries, insertDeliveries } from '../src/modules/notifications/deliveries.repository.js';
import { insertNotifications } from '../src/modules/notifications/notifications.repository.js';
import { enqueueDeliveries, notify } from '../src/modules/notifications/notifications.service.js';
import { savePreference } from '../src/modules/notifications/preferences.repository.js';
import { closeSmtpTransport } from '../src/modules/notifications/transports.js';
import { newObjectId } from '../src/modules/notifications/webhooks.repository.js';
import { insertOrganization } from '../src/modules/orgs/orgs.repository.js';
import { TestSmtpServer } from '../test/fixtures/smtp.js';
import { startWorkerHost } from '../workers/host.js';
import { allProcessors } from '../workers/processors.js';
import { report } from './lib/bench.js';

const N = Number(process.env.BENCH_NOTIFICATIONS ?? 10_000);
const NOTIFY_CALLS = Number(process.env.BENCH_NOTIFY_CALLS ?? 1_000);
const BENCH = 'notify';
const SMTP_IN_PROCESS = process.env.BENCH_SMTP === 'in-process';
const ms = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e6;

async function waitUntil(what: string, fn: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await fn()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function jobTotal(q: Queue): Promise<number> {
  const c = await q.getJobCounts('waiting', 'active', 'delayed', 'completed', 'failed', 'prioritized');
  return Object.values(c).reduce((a, b) => a + b, 0);
}

interface SmtpStats {
  received: number;
  distinct: number;
}

/** The child: an SMTP server answering `stats` over IPC; it ends with its parent. */
async function smtpChild(): Promise<void> {
  const smtp = await TestSmtpServer.start();
  process.on('message', (m) => {
    if (m === 'stats')
      process.send?.({
        received: smtp.received.length,
        distinct: new Set(smtp.received.map((r) => r.deliveryId)).size,
      } satisfies SmtpStats);
  });
  process.on('disconnect', () => process.exit(0));
  process.send?.({ port: smtp.port });
}

/** The local SMTP server, in its own process unless BENCH_SMTP=in-process. */
async function startSmtp(): Promise<{ port: number; stats(): Promise<SmtpStats>; close(): Promise<void> }> {
  if (SMTP_IN_PROCESS) {
    const smtp = await TestSmtpServer.start();
    return {
      port: smtp.port,
      stats: async () => ({
        received: smtp.received.length,
        distinct: new Set(smtp.received.map((m) => m.deliveryId)).size,
      }),
      close: () => smtp.close(),
    };
  }
  const child: ChildProcess = fork(process.argv[1]!, ['--smtp-child'], { stdio: 'inherit' });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('message', (m) => resolve((m as { port: number }).port));
    child.once('exit', (code) => reject(new Error(`the SMTP child exited (${code})`)));
  });
  return {
    port,
    stats: () =>
      new Promise((resolve) => {
        child.once('message', (m) => resolve(m as SmtpStats));
        child.send('stats');
      }),
    close: async () => {
      child.kill('SIGTERM');
    },
  };
}

async function main() {
  const name = `bench_${randomBytes(3).toString('hex')}`;
  const base = new URL(process.env.MONGODB_URI ?? 'mongodb://127.0.0.1:27017/tongxin');
  base.pathname = `/${name}`;
  const smtp = await startSmtp();
  const concurrency = Number(process.env.WORKER_CONCURRENCY ?? 16);
  const config = loadConfig({
    ...process.env,
    NODE_ENV: 'test',
    LOG_LEVEL: 'warn',
    MONGODB_URI: base.toString(),
    QUEUE_PREFIX: name,
    SMTP_PORT: String(smtp.port),
    SMTP_MAX_CONNECTIONS: '8',
    NOTIFY_EMAIL_PER_SECOND: '100000',
    WORKER_CONCURRENCY: String(concurrency),
    WORKER_METRICS_PORT: '0',
  });
  const logger = createLogger('warn');
  await connectMongo(config.mongo.uri, logger);
  await syncIndexes();
  const redis = createProducerConnection(config.redis.url);
  if (redis.status !== 'ready') await new Promise((r) => redis.once('ready', r));
  const queues = createQueues(redis, name, logger);
  const ctx = { config, logger, queues };
  try {
    // 100 users with an email address, each to receive N/100 notifications.
    const org = await insertOrganization({ type: 'platform', name: '基准测试' });
    const hash = await hashPassword('Bench-password-1');
    const users: User[] = [];
    for (let i = 0; i < 100; i++) {
      const u = await insertUser({
        username: `bench${i}`,
        displayName: 'b',
        organizationId: org.id,
        roles: ['admin'],
        language: i % 2 ? 'en' : 'zh-CN',
        passwordHash: hash,
      });
      await savePreference(u.id, { email: `bench${i}@example.com` });
      users.push(u);
    }

    // The records of N notifications with their email deliveries (bulk, as notify() writes them).
    const now = new Date();
    const notes = Array.from({ length: N }, (_, i) => {
      const u = users[i % users.length]!;
      const importId = newObjectId();
      return {
        id: newObjectId(),
        key: `import.finished/${importId}@${u.id}`,
        userId: u.id,
        organizationId: org.id,
        type: 'import.finished',
        data: { importId, created: i, updated: 0, failed: 0 },
        inbox: true,
        createdAt: now,
      };
    });
    let t0 = process.hrtime.bigint();
    const ids = await insertNotifications(notes);
    const deliveries = await insertDeliveries(
      notes.map((n) => ({
        id: newObjectId(),
        key: `${n.key}/email`,
        channel: 'email' as const,
        type: n.type,
        data: n.data,
        organizationId: org.id,
        notificationId: ids.get(n.key)!,
        userId: n.userId,
        webhookId: null,
      })),
      now,
    );
    report({ bench: BENCH, metric: `write_${N}_notifications_with_deliveries`, value: ms(t0), unit: 'ms' });

    // 1. enqueue N delivery jobs (validated payloads, deterministic ids) vs raw addBulk.
    const raw = new Queue('bench-raw', { connection: redis, prefix: name });
    t0 = process.hrtime.bigint();
    for (let i = 0; i < N; i += 2000)
      await raw.addBulk(
        Array.from({ length: Math.min(2000, N - i) }, (_, k) => ({
          name: 'noop',
          data: { deliveryId: deliveries[i + k]!.id },
        })),
      );
    const rawMs = ms(t0);
    const emailQueue = queues['notify-email'];
    t0 = process.hrtime.bigint();
    const queued = await enqueueDeliveries(ctx, deliveries);
    const enqueueMs = ms(t0);
    const jobsAfterFirst = await jobTotal(emailQueue);
    report({ bench: BENCH, metric: `enqueue_${N}_ms`, value: enqueueMs, unit: 'ms', baseline: rawMs });
    t0 = process.hrtime.bigint();
    await enqueueDeliveries(ctx, deliveries);
    const reMs = ms(t0);
    const created = (await jobTotal(emailQueue)) - jobsAfterFirst;
    report({ bench: BENCH, metric: 'reenqueue_new_jobs', value: created, unit: 'jobs' });
    report({ bench: BENCH, metric: `reenqueue_${N}_ms`, value: reMs, unit: 'ms', baseline: rawMs });
    if (queued !== N || jobsAfterFirst !== N) throw new Error(`expected ${N} jobs, got ${jobsAfterFirst}`);

    // 2. notify(): the whole entry point, NOTIFY_CALLS distinct events, 20 at a time.
    const events = Array.from({ length: NOTIFY_CALLS }, (_, i) => ({
      importId: newObjectId(),
      user: users[i % users.length]!.id,
    }));
    const notifyAll = async () => {
      let made = 0;
      for (let i = 0; i < events.length; i += 20) {
        const rs = await Promise.all(
          events.slice(i, i + 20).map((e) =>
            notify(
              {
                type: 'import.finished',
                data: { importId: e.importId, created: 1, updated: 0, failed: 0 },
              },
              { userId: e.user },
              ctx,
            ),
          ),
        );
        made += rs.reduce((a, r) => a + r.notifications, 0);
      }
      return made;
    };
    t0 = process.hrtime.bigint();
    const made = await notifyAll();
    const notifyMs = ms(t0);
    report({
      bench: BENCH,
      metric: 'notify_calls_per_s',
      value: (NOTIFY_CALLS / notifyMs) * 1000,
      unit: 'calls/s',
    });
    const again = await notifyAll();
    report({ bench: BENCH, metric: 'renotify_new_notifications', value: again, unit: 'notifications' });
    if (made !== NOTIFY_CALLS) throw new Error(`notify made ${made}`);

    // 3a. baseline: a no-op worker draining the N raw jobs.
    t0 = process.hrtime.bigint();
    let done = 0;
    const noop = new Worker(
      'bench-raw',
      async () => {
        done++;
      },
      { connection: { url: config.redis.url, maxRetriesPerRequest: null }, prefix: name, concurrency },
    );
    await waitUntil('no-op drain', async () => done >= N, 600_000);
    const noopMs = ms(t0);
    await noop.close();

    // 3b. the real email processor, through SMTP, for N + NOTIFY_CALLS emails.
    const total = N + NOTIFY_CALLS;
    t0 = process.hrtime.bigint();
    const cpu0 = process.cpuUsage();
    const host = await startWorkerHost(config, logger, allProcessors, []);
    await waitUntil(
      'email drain',
      async () => (await countDeliveries({ state: 'sent', channel: 'email' })) >= total,
      1_800_000,
    );
    const drainMs = ms(t0);
    const cpu = process.cpuUsage(cpu0);
    await host.close();
    report({
      bench: BENCH,
      metric: 'drain_email_jobs_per_s',
      value: (total / drainMs) * 1000,
      unit: 'jobs/s',
      baseline: (N / noopMs) * 1000,
    });
    // CPU of this process (worker and, unless in its own process, the SMTP server) per email: less
    // sensitive than the rate to what else the machine runs.
    report({
      bench: BENCH,
      metric: 'drain_cpu_ms_per_email',
      value: (cpu.user + cpu.system) / 1000 / total,
      unit: 'ms',
    });
    const received = await smtp.stats();
    report({ bench: BENCH, metric: 'smtp_messages_received', value: received.received, unit: 'messages' });
    report({ bench: BENCH, metric: 'smtp_distinct_deliveries', value: received.distinct, unit: 'messages' });
    await raw.obliterate({ force: true }).catch(() => undefined);
    await raw.close();
  } finally {
    closeSmtpTransport();
    await mongoose.connection.db?.dropDatabase().catch(() => undefined);
    for (const q of Object.values(queues)) await q.obliterate({ force: true }).catch(() => undefined);
    for (const q of Object.values(queues)) await q.close().catch(() => undefined);
    // Whatever obliterate left (completed jobs of the raw queue, rate-limit keys): the prefix is ours.
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${name}:*`, 'COUNT', 1000);
      if (keys.length) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
    redis.disconnect();
    await mongoose.disconnect();
    await smtp.close();
  }
}

if (process.argv.includes('--smtp-child'))
  smtpChild().catch((err) => {
    console.error(err);
    process.exit(1);
  });
else
  main().then(
    () => process.exit(0),
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
