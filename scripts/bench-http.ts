/**
 * `npm run bench:http`: GET /healthz through the full Express app (request id, logging at the
 * configured level, helmet, metrics, problem handling) against a raw node:http server answering
 * the same JSON, in the same run. The servers run in a child process so the load generator
 * does not share its event loop. A bare Express app with only the route is measured too: the
 * framework's own ceiling, fixed by the product brief.
 *
 * The three servers are measured in turn, BENCH_ROUNDS times, and each one's best round is
 * reported (on a shared machine a round can lose time to other processes); each round's figures
 * and the load average go to stderr. The goal's figure is `healthz_rps_vs_bare_express`.
 *
 * Env: BENCH_SECONDS (default 10), BENCH_CONNECTIONS (default 50), BENCH_ROUNDS (default 3).
 */
import { type ChildProcess, fork } from 'node:child_process';
import { once } from 'node:events';
import { loadavg } from 'node:os';
import autocannon from 'autocannon';
import { ownChild, report, stopChildrenOnExit } from './lib/bench.js';

const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 50);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

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
  // The CPU this process has used, asked by the driver before and after a measured run.
  process.on('message', () => {
    const used = process.cpuUsage();
    process.send?.({ cpu: used.user + used.system });
  });
} else {
  stopChildrenOnExit();
  type Kind = 'raw' | 'express' | 'app';
  const kinds: Kind[] = ['raw', 'express', 'app'];
  // All three servers start first; the ones not being measured are paused (SIGSTOP), so that the
  // app's timers take no CPU from the others' rounds.
  const servers = new Map<Kind, { child: ChildProcess; url: string }>();
  for (const kind of kinds) {
    const child = ownChild(
      fork(new URL(import.meta.url).pathname, ['--serve', kind], {
        execArgv: process.execArgv,
        stdio: ['inherit', 'inherit', 'inherit', 'ipc'],
      }),
    );
    const [msg] = (await once(child, 'message')) as [{ port: number }];
    // On stderr (stdout holds only figures): which process is measured, for a watcher or a test.
    console.error(`bench:http ${kind}: server pid ${child.pid} on port ${msg.port}`);
    child.kill('SIGSTOP');
    servers.set(kind, { child, url: `http://127.0.0.1:${msg.port}/healthz` });
  }
  const cpuOf = async (child: ChildProcess) => {
    child.send('cpu');
    const [msg] = (await once(child, 'message')) as [{ cpu: number }];
    return msg.cpu;
  };
  interface Round {
    rps: number;
    p50: number;
    p99: number;
    cpuPerRequest: number;
  }
  const rounds = new Map<Kind, Round[]>(kinds.map((k) => [k, []]));
  for (let round = 0; round < ROUNDS; round++) {
    for (const kind of kinds) {
      const { child, url } = servers.get(kind)!;
      child.kill('SIGCONT');
      await autocannon({ url, connections, duration: round === 0 ? 2 : 1 }); // warm-up
      const cpu0 = await cpuOf(child);
      const result = await autocannon({ url, connections, duration: seconds });
      const cpu1 = await cpuOf(child);
      child.kill('SIGSTOP');
      if (result.non2xx || result.errors)
        throw new Error(`${kind}: ${result.non2xx} non-2xx, ${result.errors} errors`);
      const r = {
        rps: result.requests.average,
        p50: result.latency.p50,
        p99: result.latency.p99,
        cpuPerRequest: (cpu1 - cpu0) / result.requests.total,
      };
      rounds.get(kind)!.push(r);
      console.error(
        `bench:http round ${round + 1} ${kind}: ${Math.round(r.rps)} req/s, ${r.cpuPerRequest.toFixed(1)} µs CPU per request, load ${loadavg()[0]!.toFixed(2)}`,
      );
    }
  }
  for (const { child } of servers.values()) {
    child.kill('SIGTERM');
    child.kill('SIGCONT');
    await once(child, 'exit');
  }
  // Each server's least disturbed round (highest rate): on a shared machine the others are other
  // processes' time, not the server's.
  const best = (kind: Kind) => rounds.get(kind)!.reduce((a, b) => (b.rps > a.rps ? b : a));
  const [raw, bare, app] = [best('raw'), best('express'), best('app')];
  report({ bench: 'http', metric: 'machine.load1', value: loadavg()[0]!, unit: 'load average' });
  report({ bench: 'http', metric: 'raw_node_http_healthz_rps', value: raw.rps, unit: 'req/s' });
  report({
    bench: 'http',
    metric: 'bare_express_healthz_rps',
    value: bare.rps,
    unit: 'req/s',
    baseline: raw.rps,
  });
  // The goal's figure: the whole app against bare Express, measured in the same run.
  report({
    bench: 'http',
    metric: 'healthz_rps_vs_bare_express',
    value: app.rps,
    unit: 'req/s',
    baseline: bare.rps,
  });
  report({
    bench: 'http',
    metric: 'healthz_rps_vs_raw',
    value: app.rps,
    unit: 'req/s',
    baseline: raw.rps,
  });
  // The server's own CPU per request: less sensitive to other load on the machine than the rate.
  report({
    bench: 'http',
    metric: 'healthz_cpu_per_request_vs_bare_express',
    value: app.cpuPerRequest,
    unit: 'µs',
    baseline: bare.cpuPerRequest,
  });
  report({ bench: 'http', metric: 'healthz_p50', value: app.p50, unit: 'ms', baseline: bare.p50 });
  report({ bench: 'http', metric: 'healthz_p99', value: app.p99, unit: 'ms', baseline: bare.p99 });
}
