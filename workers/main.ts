import { ConfigError, loadConfig } from '../src/config.js';
import { connectMongo, disconnectMongo, syncIndexes } from '../src/lib/db/index.js';
import { createLogger } from '../src/lib/logger.js';
import { createProducerConnection } from '../src/lib/redis.js';
import { refuseMasterKeyAtStart } from '../src/lib/search/index.js';
import { checkEvictionPolicy } from '../src/runtime.js';
import { startWorkerHost } from './host.js';
import { allProcessors, allSchedules } from './processors.js';

async function main() {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(78);
    }
    throw err;
  }
  const logger = createLogger(config.logLevel);
  await refuseMasterKeyAtStart(config, 'worker', logger);
  // The same refusal as the API: a worker on an evicting Redis would lose the jobs it is given.
  const probe = createProducerConnection(config.redis.url);
  probe.on('error', () => undefined);
  try {
    await checkEvictionPolicy(probe, config, logger);
  } finally {
    probe.disconnect();
  }
  await connectMongo(config.mongo.uri, logger);
  await syncIndexes();
  const host = await startWorkerHost(config, logger, allProcessors, allSchedules(config));

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'worker shutting down: finishing jobs in hand');
    const force = setTimeout(() => {
      logger.error('worker shutdown timed out; exiting (unfinished jobs will be retried as stalled)');
      process.exit(1);
    }, config.shutdownTimeoutMs);
    force.unref();
    await host.close();
    await disconnectMongo();
    logger.info('worker stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('unhandledRejection', (reason) => {
    logger.fatal({ err: reason }, 'unhandled rejection');
    void shutdown('unhandledRejection');
  });
}

main().catch((err) => {
  console.error('Worker failed to start:', err);
  process.exit(1);
});
