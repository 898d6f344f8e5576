/**
 * Bootstraps the first admin and the platform organisation. Idempotent: run it again and an
 * existing admin is left unchanged.
 *
 *   npm run create-admin -- --username admin --name "平台管理员"      (password from ADMIN_PASSWORD)
 *   ADMIN_USERNAME=admin ADMIN_PASSWORD=… npm run create-admin
 *
 * Prefer ADMIN_PASSWORD over --password: command-line flags are visible in the process list.
 */
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../src/config.js';
import { connectMongo, disconnectMongo, syncIndexes } from '../src/lib/db/index.js';
import { AppError } from '../src/lib/errors.js';
import { createLogger } from '../src/lib/logger.js';
import { ensureAdmin } from '../src/modules/accounts/accounts.service.js';

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      username: { type: 'string' },
      password: { type: 'string' },
      name: { type: 'string' },
      platform: { type: 'string' },
    },
  });
  const username = values.username ?? process.env.ADMIN_USERNAME;
  const password = values.password ?? process.env.ADMIN_PASSWORD;
  const displayName = values.name ?? process.env.ADMIN_DISPLAY_NAME ?? '平台管理员';
  const platformName = values.platform ?? process.env.PLATFORM_NAME;
  if (!username || !password) {
    console.error('create-admin: give --username (or ADMIN_USERNAME) and ADMIN_PASSWORD (or --password)');
    return 64; // EX_USAGE
  }
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      return 78;
    }
    throw err;
  }
  const logger = createLogger('error');
  await connectMongo(config.mongo.uri, logger);
  try {
    await syncIndexes();
    const { user, created } = await ensureAdmin({ username, password, displayName, platformName });
    console.log(
      created
        ? `create-admin: created admin "${user.username}"`
        : `create-admin: admin "${user.username}" exists, unchanged`,
    );
    return 0;
  } catch (err) {
    if (err instanceof AppError) {
      console.error(
        `create-admin: ${err.message}${err.options.issues ? ` (${err.options.issues.map((i) => i.message).join('; ')})` : ''}`,
      );
      return 1;
    }
    throw err;
  } finally {
    await disconnectMongo();
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error('create-admin failed:', err);
    process.exit(1);
  },
);
