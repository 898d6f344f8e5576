/**
 * Serialises async work per key within this process. Used where a read-decide-write sequence on
 * one record must not interleave with itself (failed-login bookkeeping): MongoDB makes each single
 * update atomic across processes, but FerretDB v1 — our local stand-in — does not (parallel `$inc`
 * lose counts and conditional updates can all "win"), so same-process requests queue here.
 */
export class KeyedMutex {
  private readonly tails = new Map<string, Promise<void>>();

  async run<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    let release: () => void = () => undefined;
    const done = new Promise<void>((resolve) => {
      release = resolve;
    });
    const tail = previous.then(() => done);
    this.tails.set(key, tail);
    await previous;
    try {
      return await fn();
    } finally {
      release();
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }

  /** Keys with work queued or running (for tests). */
  get size(): number {
    return this.tails.size;
  }
}
