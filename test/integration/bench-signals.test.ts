import { type ChildProcess, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from '../fixtures/processes.js';

/** Whether a process runs (a zombie waiting for its parent to read its status does not). */
function running(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The state follows the command name, which is in parentheses and may itself hold any character.
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

/** The pids whose parent is `pid`, read from /proc. */
function childrenOf(pid: number): number[] {
  const out: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) out.push(Number(entry));
    } catch {
      // Gone meanwhile.
    }
  }
  return out;
}

describe('benchmarks and their child processes', () => {
  const started: number[] = [];
  let bench: ChildProcess | undefined;

  afterEach(() => {
    // Whatever the outcome, nothing this test started outlives it.
    for (const pid of started) if (running(pid)) process.kill(pid, 'SIGKILL');
    if (bench?.exitCode === null) bench.kill('SIGKILL');
  });

  it('when a benchmark is sent SIGTERM while its servers run then its child processes are gone within a few seconds', async () => {
    // bench:http with one connection and a long run: signalled once its first server is up.
    bench = spawn(process.execPath, ['--import', 'tsx', 'scripts/bench-http.ts'], {
      env: { ...process.env, BENCH_SECONDS: '120', BENCH_CONNECTIONS: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    bench.stderr?.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    const benchPid = bench.pid!;
    const serverPid = await waitFor(
      "the benchmark's first server up",
      () => Number(/server pid (\d+)/.exec(stderr)?.[1] ?? 0),
      60_000,
    );
    const children = childrenOf(benchPid);
    started.push(...children);
    expect(children).toContain(serverPid);
    expect(children.every(running)).toBe(true);

    const exited = new Promise<number | null>((r) => bench!.once('exit', (code) => r(code)));
    bench.kill('SIGTERM');
    const code = await exited;
    await waitFor('the children gone', () => children.every((pid) => !running(pid)), 5_000, 50).catch(
      () => undefined,
    );
    expect(children.filter(running)).toEqual([]);
    // It stopped them itself and said so by its exit code (128 + SIGTERM), rather than dying of the signal.
    expect(code).toBe(143);
  });
});
