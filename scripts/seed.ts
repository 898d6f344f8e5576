/**
 * `npm run seed [-- --demo] [-- --profiles 100000 --openings 5000]`: applies the versioned
 * reference seed (idempotent) and, outside production, the demo data. Re-running the reference
 * and demo parts changes nothing. `--profiles` / `--openings` add that many generated worker
 * profiles (with consent records) and openings from the fixed-seed demo generator
 * (scripts/lib/generate/matching-data.ts) — every run adds them again, so use a fresh database. Then
 * start a worker and run `npm run rematch` to compute the suggestions.
 */
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config.js';
import { connectMongo, disconnectMongo, syncIndexes } from '../src/lib/db/index.js';
import { createLogger } from '../src/lib/logger.js';
import { ensureReferenceData } from '../src/modules/reference/reference.service.js';
import { seedDemoAccounts } from './lib/demo/seed-accounts.js';
import { seedDemoOpenings } from './lib/demo/seed-openings.js';
import { insertDemoOpenings } from './lib/demo-openings.js';
import { insertDemoProfiles } from './lib/demo-profiles.js';

const { values: args } = parseArgs({
  options: {
    demo: { type: 'boolean', default: false },
    profiles: { type: 'string', default: '0' },
    openings: { type: 'string', default: '0' },
    seed: { type: 'string', default: '11' },
  },
});

const config = loadConfig();
const logger = createLogger(config.logLevel);
const generated = Number(args.profiles) > 0 || Number(args.openings) > 0;
if (generated && config.isProduction) {
  console.error('seed: generated profiles and openings are demo data; refused in production');
  process.exit(78);
}
await connectMongo(config.mongo.uri, logger);
await syncIndexes();
const reference = await ensureReferenceData();
// Demo accounts and openings on `--demo` or SEED_DEMO_DATA; in production the seeders refuse (and loadConfig
// already refuses SEED_DEMO_DATA there).
const demo = args.demo || config.seedDemoData;
const logins = demo
  ? (await seedDemoAccounts(config)).map((l) => ({
      role: l.roles.join(','),
      username: l.username,
      password: l.password,
      organization: l.organization,
    }))
  : [];
const openings = demo ? await seedDemoOpenings(config) : undefined;
let generatedData: Record<string, number> | undefined;
if (generated) {
  const seed = Number(args.seed);
  const t0 = performance.now();
  const p = await insertDemoProfiles(config, Number(args.profiles), seed);
  const t1 = performance.now();
  const o = await insertDemoOpenings(Number(args.openings), seed);
  const t2 = performance.now();
  generatedData = {
    profiles: p.inserted,
    profileSeconds: Math.round((t1 - t0) / 100) / 10,
    openings: o.inserted,
    openOpenings: o.open,
    openingSeconds: Math.round((t2 - t1) / 100) / 10,
  };
}
console.log(
  JSON.stringify({
    reference,
    logins,
    ...(openings ? { openings } : {}),
    ...(generatedData ? { generated: generatedData } : {}),
  }),
);
await disconnectMongo();
