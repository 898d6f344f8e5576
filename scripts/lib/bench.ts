/**
 * The benchmark convention: every figure is one JSON line, so runs can be compared and collected.
 * `baseline` is the same metric for the reference implementation measured in the same run, and
 * `ratio` is value / baseline.
 */
import type { ChildProcess } from 'node:child_process';
import { constants as osConstants } from 'node:os';

export interface Figure {
  bench: string;
  metric: string;
  value: number;
  unit: string;
  baseline?: number;
  ratio?: number;
}

export function report(f: Figure): void {
  const ratio = f.ratio ?? (f.baseline ? Number((f.value / f.baseline).toFixed(3)) : null);
  console.log(
    JSON.stringify({
      bench: f.bench,
      metric: f.metric,
      value: Number(f.value.toFixed(3)),
      unit: f.unit,
      baseline: f.baseline === undefined ? null : Number(f.baseline.toFixed(3)),
      ratio,
      node: process.version,
    }),
  );
}

/**
 * The child processes of a benchmark (API, worker, LocalMongo, Redis, its own servers): an
 * interrupted benchmark must not leave them running (an orphaned benchmark API once ran for hours
 * and loaded later measurements). Registering is passive, so the test fixtures that spawn
 * children register them for every caller; only a benchmark's `stopChildrenOnExit()` acts on them.
 */
const children = new Map<ChildProcess, { group: boolean }>();
const cleanups: (() => Promise<unknown> | unknown)[] = [];

/**
 * Registers a child to stop with the benchmark. `group`: the child was spawned `detached` (its own
 * process group), and the whole group is signalled, for a child that starts processes of its own.
 */
export function ownChild<T extends ChildProcess>(child: T, options: { group?: boolean } = {}): T {
  if (child.exitCode !== null || child.signalCode !== null) return child;
  children.set(child, { group: options.group ?? false });
  child.once('exit', () => children.delete(child));
  return child;
}

/** The registered children still running (their pids), e.g. for a benchmark's own report. */
export function ownedChildPids(): number[] {
  return [...children.keys()].flatMap((c) => (c.pid === undefined ? [] : [c.pid]));
}

function signalChild(child: ChildProcess, group: boolean, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    if (group) process.kill(-child.pid, signal);
    else child.kill(signal);
    // A paused child (SIGSTOP, as bench:http pauses the servers it is not measuring) acts on it only once resumed.
    if (signal !== 'SIGKILL') {
      if (group) process.kill(-child.pid, 'SIGCONT');
      else child.kill('SIGCONT');
    }
  } catch {
    // Already gone.
  }
}

const GRACE_MS = 5_000;
let installed = false;

/**
 * Makes this benchmark stop every registered child when it is interrupted (SIGTERM, SIGINT,
 * SIGHUP): SIGTERM to each, SIGKILL to what still runs after a grace of a few seconds, then the
 * `cleanup` functions, then exit with 128 + the signal's number. When the process exits any other
 * way (an uncaught error, `process.exit`) what still runs is killed at once. Idempotent.
 */
export function stopChildrenOnExit(cleanup?: () => Promise<unknown> | unknown): void {
  if (cleanup) cleanups.push(cleanup);
  if (installed) return;
  installed = true;
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    const code = 128 + (osConstants.signals[signal] ?? 15);
    // A second signal while stopping: no more grace.
    if (stopping) {
      for (const [child, { group }] of children) signalChild(child, group, 'SIGKILL');
      process.exit(code);
    }
    stopping = true;
    void (async () => {
      const running = [...children];
      const exited = running.map(([child]) =>
        child.exitCode !== null || child.signalCode !== null
          ? Promise.resolve()
          : new Promise((r) => child.once('exit', r)),
      );
      for (const [child, { group }] of running) signalChild(child, group, 'SIGTERM');
      let timer: NodeJS.Timeout | undefined;
      const grace = new Promise<void>((r) => {
        timer = setTimeout(r, GRACE_MS);
      });
      await Promise.race([Promise.all(exited), grace]);
      clearTimeout(timer);
      for (const [child, { group }] of children) signalChild(child, group, 'SIGKILL');
      for (const fn of cleanups) {
        try {
          await fn();
        } catch {
          // Stopping anyway.
        }
      }
      process.exit(code);
    })();
  };
  for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) process.on(signal, onSignal);
  process.on('exit', () => {
    for (const [child, { group }] of children) signalChild(child, group, 'SIGKILL');
  });
}
