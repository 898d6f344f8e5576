/**
 * `npm run rematch [-- --chunk 100] [-- --run <id>] [-- --no-wait]`: recomputes every suggestion
 * as a BullMQ flow run by the worker processes (src/modules/matches/rematch.ts), printing its
 * progress as JSON lines until it completes. `--run <id>` with an existing run only watches it (a
 * run survives this script and worker crashes alike: the workers carry on where the chunks were).
 */
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config.js';
import { createQueues } from '../src/jobs/queues.js';
import { connectMongo, disconnectMongo } from '../src/lib/db/index.js';
import { createLogger } from '../src/lib/logger.js';
import { createWorkerConnection } from '../src/lib/redis.js';
import { rematchProgress, startRematch } from '../src/modules/matches/rematch.js';

const { values: args } = parseArgs({
  options: {
    chunk: { type: 'string' },
    run: { type: 'string' },
    'no-wait': { type: 'boolean', default: false },
  },
});

const config = loadConfig();
const logger = createLogger(config.logLevel);
await connectMongo(config.mongo.uri, logger);
const connection = createWorkerConnection(config.redis.url);
const queues = createQueues(connection, config.redis.queuePrefix, logger);
const started = Date.now();
try {
  const existing = args.run ? await rematchProgress(queues.matching, args.run) : null;
  const runId = existing
    ? args.run!
    : (
        await startRematch(config, connection, {
          runId: args.run,
          chunk: args.chunk ? Number(args.chunk) : undefined,
        }).then((r) => {
          console.log(JSON.stringify({ event: 'started', ...r }));
          return r;
        })
      ).runId;
  if (!args['no-wait']) {
    for (;;) {
      const p = await rematchProgress(queues.matching, runId);
      console.log(
        JSON.stringify({
          event: 'progress',
          runId,
          seconds: Math.round((Date.now() - started) / 1000),
          ...p,
        }),
      );
      if (!p || p.state === 'completed' || p.state === 'failed') break;
      await new Promise((r) => setTimeout(r, 2_000));
    }
  }
} finally {
  await Promise.all(Object.values(queues).map((q) => q.close()));
  connection.disconnect();
  await disconnectMongo();
}
