import { createServer, type Server } from 'node:http';
import { createApp } from './app.js';
import { ConfigError, loadConfig } from './config.js';
import { startSessionCache } from './lib/auth/session-cache.js';
import { syncIndexes } from './lib/db/index.js';
import { createHttpMetrics } from './lib/http/metrics.js';
import { createLogger } from './lib/logger.js';
import { refuseMasterKeyAtStart } from './lib/search/index.js';
import { openOpenings } from './modules/matches/open-openings.js';
import { adoptHeadcountSlotClaims } from './modules/openings/openings.repository.js';
import { ensureReferenceData } from './modules/reference/reference.service.js';
import { startApiSearchSync } from './modules/search/search.runtime.js';
import { startApiRuntime } from './runtime.js';

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
}

async function main() {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(78); // EX_CONFIG
    }
    throw err;
  }
  const logger = createLogger(config.logLevel);
  await refuseMasterKeyAtStart(config, 'api', logger);
  const runtime = await startApiRuntime(config, logger);
  await syncIndexes();
  const seed = await ensureReferenceData();
  logger.info(seed, 'reference data checked');
  // Openings whose hires were recorded as slot claims get `filled` from them once (idempotent).
  const adopted = await adoptHeadcountSlotClaims();
  if (adopted) logger.info({ openings: adopted }, 'headcount slot claims adopted into filled');
  // Embedded engine: built in the background; /readyz names search until it is.
  const searchSync = startApiSearchSync({ config, logger, search: runtime.search });
  // A person's best openings rank the open openings held in memory: loaded in the background.
  void openOpenings({ config, logger, redis: runtime.redis })
    .ready()
    .catch(() => undefined);
  const sessionCache = startSessionCache({
    redisUrl: config.redis.url,
    prefix: config.redis.queuePrefix,
    ttlMs: config.security.sessionCacheTtlMs,
    publisher: runtime.redis,
    logger,
  });
  const metrics = createHttpMetrics(runtime.queues);
  const app = createApp({ config, logger, ...runtime, metrics });

  const server = createServer(app);
  server.keepAliveTimeout = 65_000;
  await listen(server, config.http.port, config.http.host);
  logger.info({ port: config.http.port }, `API listening on ${config.http.publicUrl}`);

  // /metrics without a session, for Prometheus on an internal interface only.
  let metricsServer: Server | undefined;
  if (config.http.metricsPort) {
    metricsServer = createServer(async (req, res) => {
      if (req.url !== '/metrics') return res.writeHead(404).end();
      res.setHeader('content-type', metrics.registry.contentType);
      res.end(await metrics.registry.metrics());
    });
    await listen(metricsServer, config.http.metricsPort, '127.0.0.1');
  }

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: no new connections, finishing in-flight requests');
    const force = setTimeout(() => {
      logger.error('shutdown timed out; exiting');
      process.exit(1);
    }, config.shutdownTimeoutMs);
    force.unref();
    // Order matters: stop accepting and drain requests first, then close what they used.
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeIdleConnections();
    });
    metricsServer?.close();
    await searchSync?.close();
    openOpenings({ config, logger, redis: runtime.redis }).close();
    await sessionCache.close();
    await runtime.close();
    logger.info('stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('unhandledRejection', (reason) => {
    logger.fatal({ err: reason }, 'unhandled rejection');
    void shutdown('unhandledRejection');
  });
  process.on('uncaughtException', (err) => {
    logger.fatal({ err }, 'uncaught exception');
    void shutdown('uncaughtException');
  });
}

main().catch((err) => {
  console.error('API failed to start:', err);
  process.exit(1);
});
