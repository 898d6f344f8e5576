/**
 * `npm run reports:backfill`: one-off, idempotent. Gives the match documents written before the
 * matching jobs stored the report-only dims (disability category and level) those dims, from their
 * person's profile (src/modules/matches/report-dims.ts). Until then the fairness report counts
 * them as "unknown". Prints one JSON line; safe to run again (a second run updates nothing).
 */
import { loadConfig } from '../src/config.js';
import { connectMongo, disconnectMongo } from '../src/lib/db/index.js';
import { createLogger } from '../src/lib/logger.js';
import { backfillReportDims } from '../src/modules/matches/report-dims.js';

const config = loadConfig();
const logger = createLogger(config.logLevel);
await connectMongo(config.mongo.uri, logger);
const started = Date.now();
try {
  const summary = await backfillReportDims();
  console.log(JSON.stringify({ event: 'backfilled', ...summary, ms: Date.now() - started }));
} finally {
  await disconnectMongo();
}
