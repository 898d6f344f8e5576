import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, openSync } from 'node:fs';
import { Redis } from 'ioredis';
import mongoose from 'mongoose';
import type { TestProject } from 'vitest/node';
import { uniqueName, withDatabase } from '../fixtures/app.js';
import { freePort, waitFor } from '../fixtures/processes.js';
import integrationSetup from '../integration/global-setup.js';

export const CHROMIUM = '/usr/bin/chromium';

declare module 'vitest' {
  export interface ProvidedContext {
    e2e: { baseUrl: string; mongoUri: string; name: string; sessionSecret: string };
  }
}

/**
 * The browser tests' world: the console built as `npm run build` builds it, and a real API
 * process (the same `src/server.ts` that `npm run up` starts) on a free port with a database,
 * queue prefix and index prefix of its own. Test files add their data through the factories.
 */
export default async function setup(project: TestProject) {
  await integrationSetup();
  if (!existsSync(CHROMIUM))
    throw new Error(`${CHROMIUM} is missing: run \`bash scripts/browser.sh\` (npm test does)`);

  // Always rebuild: a stale console would test yesterday's pages (the build takes about a second).
  execFileSync('npx', ['vite', 'build', '--config', 'web/vite.config.ts', '--logLevel', 'warn'], {
    stdio: 'inherit',
  });

  const name = uniqueName('e2e');
  const port = await freePort();
  const mongoUri = withDatabase(process.env.MONGODB_URI!, name);
  const sessionSecret = `e2e-session-secret-${name}-0123456789abcdef`;
  mkdirSync('artifacts', { recursive: true });
  const log = openSync(`artifacts/e2e-api.log`, 'w');
  const api: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    env: {
      ...process.env,
      NODE_ENV: 'test',
      LOG_LEVEL: 'warn',
      HOST: '127.0.0.1',
      PORT: String(port),
      METRICS_PORT: '0',
      MONGODB_URI: mongoUri,
      QUEUE_PREFIX: name,
      SEARCH_INDEX_PREFIX: name,
      SESSION_SECRET: sessionSecret,
      RATE_LIMIT_PER_MINUTE: '100000',
      LOGIN_RATE_LIMIT_PER_MINUTE: '100000',
    },
    stdio: ['ignore', log, log],
  });
  // The worker, as `npm run up` starts it: imports, indexing and notifications run in the background.
  const workerLog = openSync(`artifacts/e2e-worker.log`, 'w');
  const worker: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'workers/main.ts'], {
    env: {
      ...process.env,
      NODE_ENV: 'test',
      LOG_LEVEL: 'warn',
      METRICS_PORT: '0',
      MONGODB_URI: mongoUri,
      QUEUE_PREFIX: name,
      SEARCH_INDEX_PREFIX: name,
      SESSION_SECRET: sessionSecret,
    },
    stdio: ['ignore', workerLog, workerLog],
  });
  const baseUrl = `http://127.0.0.1:${port}`;
  await waitFor(
    'the API process to be ready (see artifacts/e2e-api.log)',
    async () => {
      if (api.exitCode !== null) throw new Error(`the API exited with ${api.exitCode}`);
      if (worker.exitCode !== null)
        throw new Error(`the worker exited with ${worker.exitCode} (artifacts/e2e-worker.log)`);
      return (await fetch(`${baseUrl}/readyz`).catch(() => undefined))?.ok;
    },
    60_000,
    200,
  );
  project.provide('e2e', { baseUrl, mongoUri, name, sessionSecret });

  return async () => {
    api.kill('SIGTERM');
    worker.kill('SIGTERM');
    await waitFor('the API process to exit', () => api.exitCode !== null || api.signalCode !== null, 20_000);
    await waitFor('the worker to exit', () => worker.exitCode !== null || worker.signalCode !== null, 30_000);
    const conn = await mongoose.createConnection(mongoUri).asPromise();
    await conn.dropDatabase().catch(() => undefined);
    await conn.close();
    const redis = new Redis(process.env.REDIS_URL!);
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${name}:*`, 'COUNT', 500);
      if (keys.length) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
    redis.disconnect();
  };
}
