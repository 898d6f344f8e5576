/**
 * `npm run bench:http`: GET /healthz through the full Express app (request id, logging at the
 * configured level, helmet, metrics, problem handling) against a raw node:http server answering
 * the same JSON, in the same run. The servers run in a child process so the load generator
 * does not share its event loop. A bare Express app with only the route is measured too: the
 * framework's own ceiling, fixed by the product brief.
 *
 * Env: BENCH_SECONDS (default 10), BENCH_CONNECTIONS (default 50).
 */
import { fork } from 'node:child_process';
import { once } from 'node:events';
import autocannon from 'autocannon';
import { ownChild, report, stopChildrenOnExit } from './lib/bench.js';

const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 50);

if (process.argv[2] === '--serve') {
  const { createServer } = await import('node:http');
  const kind = process.argv[3];
  let server: import('node:http').Server;
  if (kind === 'raw') {
    server = createServer((_req, res) => {
      const body = JSON.stringify({ status: 'ok', uptimeSeconds: Math.round(process.uptime()) });
      res.writeHead(200, {
        'content-type': 'application/json; charset=utf-8',
        'content-length': Buffer.byteLength(body),
      });
      res.end(body);
    });
  } else if (kind === 'express') {
    // Express 5 with nothing but the route: the framework's own ceiling, for comparison.
    const { default: express } = await import('express');
    const bare = express();
    bare.get('/healthz', (_req, res) => {
      res.json({ status: 'ok', uptimeSeconds: Math.round(process.uptime()) });
    });
    server = createServer(bare);
  } else {
    const { loadConfig } = await import('../src/config.js');
    const { createLogger } = await import('../src/lib/logger.js');
    const { startApiRuntime } = await import('../src/runtime.js');
    const { createApp } = await import('../src/app.js');
    const config = loadConfig({ ...process.env, LOG_LEVEL: process.env.LOG_LEVEL ?? 'info' });
    // Logs go to /dev/null-like sink: we measure the work of logging, not the terminal.
    const { Writable } = await import('node:stream');
    const sink = new Writable({ write: (_c, _e, done) => done() });
    const logger = createLogger(config.logLevel, sink);
    const runtime = await startApiRuntime(config, logger);
    server = createServer(createApp({ config, logger, ...runtime }));
  }
  server.listen(0, '127.0.0.1', () => {
    const addr = server.address() as import('node:net').AddressInfo;
    process.send?.({ port: addr.port });
  });
} else {
  stopChildrenOnExit();
  const run = async (kind: 'raw' | 'express' | 'app') => {
    const child = ownChild(
      fork(new URL(import.meta.url).pathname, ['--serve', kind], {
        execArgv: process.execArgv,
        stdio: 'inherit',
      }),
    );
    const [msg] = (await once(child, 'message')) as [{ port: number }];
    // On stderr (stdout holds only figures): which process is measured, for a watcher or a test.
    console.error(`bench:http ${kind}: server pid ${child.pid} on port ${msg.port}`);
    const url = `http://127.0.0.1:${msg.port}/healthz`;
    await autocannon({ url, connections, duration: 2 }); // warm-up
    const result = await autocannon({ url, connections, duration: seconds });
    child.kill('SIGTERM');
    await once(child, 'exit');
    if (result.non2xx || result.errors)
      throw new Error(`${kind}: ${result.non2xx} non-2xx, ${result.errors} errors`);
    return result;
  };
  const raw = await run('raw');
  const bare = await run('express');
  const app = await run('app');
  report({
    bench: 'http',
    metric: 'bare_express_healthz_rps',
    value: bare.requests.average,
    unit: 'req/s',
    baseline: raw.requests.average,
  });
  report({
    bench: 'http',
    metric: 'healthz_rps',
    value: app.requests.average,
    unit: 'req/s',
    baseline: raw.requests.average,
  });
  report({
    bench: 'http',
    metric: 'healthz_p50',
    value: app.latency.p50,
    unit: 'ms',
    baseline: raw.latency.p50,
  });
  report({
    bench: 'http',
    metric: 'healthz_p99',
    value: app.latency.p99,
    unit: 'ms',
    baseline: raw.latency.p99,
  });
}
