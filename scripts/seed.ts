/**
 * `npm run seed`: applies the versioned reference seed (idempotent) and, outside production, the
 * demo data. Re-running changes nothing.
 */
import { loadConfig } from '../src/config.js';
import { connectMongo, disconnectMongo, syncIndexes } from '../src/lib/db.js';
import { createLogger } from '../src/lib/logger.js';
import { seedDemoAccounts } from '../src/modules/accounts/accounts.demo.js';
import { seedDemoOpenings } from '../src/modules/openings/openings.demo.js';
import { ensureReferenceData } from '../src/modules/reference/reference.service.js';

const config = loadConfig();
const logger = createLogger(config.logLevel);
await connectMongo(config.mongo.uri, logger);
await syncIndexes();
const reference = await ensureReferenceData();
// Demo accounts and openings on `--demo` or SEED_DEMO_DATA; in production the seeders refuse (and loadConfig
// already refuses SEED_DEMO_DATA there).
const demo = process.argv.includes('--demo') || config.seedDemoData;
const logins = demo
  ? (await seedDemoAccounts(config)).map((l) => ({
      role: l.roles.join(','),
      username: l.username,
      password: l.password,
      organization: l.organization,
    }))
  : [];
const openings = demo ? await seedDemoOpenings(config) : undefined;
console.log(JSON.stringify({ reference, logins, ...(openings ? { openings } : {}) }));
await disconnectMongo();
