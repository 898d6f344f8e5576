/**
 * `npx tsx scripts/demo.ts`: loads the demo story (scripts/lib/demo/load.ts) into the database of
 * MONGODB_URI while the API's worker runs on the same queue prefix; run by `npm run up` once the
 * API answers /readyz. Does nothing when this version of the story is loaded already.
 * `--drop`: drops the database of MONGODB_URI and exits (`npm run up -- --fresh`, DEMO_FRESH=1);
 * refused in production. `--people N`: a smaller story. Prints one JSON line per step.
 */
import { parseArgs } from 'node:util';
import mongoose from 'mongoose';
import { loadConfig } from '../src/config.js';
import { connectMongo, disconnectMongo } from '../src/lib/db/index.js';
import { createLogger } from '../src/lib/logger.js';
import { startApiRuntime } from '../src/runtime.js';
import { loadDemoStory, STORY_PEOPLE } from './lib/demo/load.js';

const { values: args } = parseArgs({
  options: {
    drop: { type: 'boolean', default: false },
    people: { type: 'string', default: String(STORY_PEOPLE) },
  },
});

const config = loadConfig();
if (config.isProduction) {
  console.error('demo: the demo story is never loaded in production');
  process.exit(78);
}
const logger = createLogger(config.logLevel);

if (args.drop) {
  await connectMongo(config.mongo.uri, logger);
  const name = mongoose.connection.db!.databaseName;
  await mongoose.connection.dropDatabase();
  console.log(JSON.stringify({ event: 'dropped', database: name }));
  await disconnectMongo();
  process.exit(0);
}

const runtime = await startApiRuntime(config, logger);
const started = Date.now();
try {
  const summary = await loadDemoStory(
    { config, logger, queues: runtime.queues, redis: runtime.redis },
    { people: Number(args.people), progress: (e) => console.log(JSON.stringify(e)) },
  );
  console.log(
    JSON.stringify({
      event: summary.loaded ? 'loaded' : 'already loaded',
      totalSeconds: Math.round((Date.now() - started) / 100) / 10,
      ...summary,
    }),
  );
} finally {
  await runtime.close();
}
process.exit(0);
