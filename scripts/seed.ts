/**
 * `npm run seed`: applies the versioned reference seed (idempotent) and, outside production, the
 * demo data. Re-running changes nothing.
 */
import { loadConfig } from '../src/config.js';
import { connectMongo, disconnectMongo, syncIndexes } from '../src/lib/db.js';
import { createLogger } from '../src/lib/logger.js';
import { formatDemoLogins, seedDemoAccounts } from '../src/modules/accounts/accounts.demo.js';
import { ensureReferenceData } from '../src/modules/reference/reference.service.js';

const config = loadConfig();
const logger = createLogger(config.logLevel);
await connectMongo(config.mongo.uri, logger);
await syncIndexes();
const result = await ensureReferenceData();
console.log(JSON.stringify({ reference: result }));
// SEED_DEMO_DATA is refused by loadConfig in production; the seeder refuses again on its own.
if (config.seedDemoData && !config.isProduction)
  console.log(formatDemoLogins(await seedDemoAccounts(config)));
await disconnectMongo();
