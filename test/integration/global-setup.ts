import { readFileSync } from 'node:fs';
import net from 'node:net';

/** Fails the run loudly when a backing service is missing: nothing is skipped for want of one. */
function portOpen(url: string): Promise<void> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: hostname, port: Number(port) }, () => {
      socket.end();
      resolve();
    });
    socket.setTimeout(3_000, () => socket.destroy(new Error('timeout')));
    socket.on('error', (err) =>
      reject(new Error(`${url} is not reachable (${err.message}); run: npm run services`)),
    );
  });
}

export default async function setup() {
  if (!process.env.MONGODB_URI || !process.env.REDIS_URL) {
    try {
      const env = readFileSync('.local/services.env', 'utf8');
      for (const m of env.matchAll(/^export (\w+)="(.*)"$/gm)) process.env[m[1]!] ??= m[2];
    } catch {
      throw new Error(
        'No MONGODB_URI/REDIS_URL and no .local/services.env: run `npm run services` or `npm test`',
      );
    }
  }
  await portOpen(process.env.MONGODB_URI!.replace(/^mongodb:/, 'http:'));
  await portOpen(process.env.REDIS_URL!.replace(/^redis:/, 'http:'));
}
