import { describe, expect, it } from 'vitest';
import { KeyedMutex } from '../../src/lib/keyed-mutex.js';

describe('KeyedMutex', () => {
  it('when work for one key overlaps, then it runs one at a time in arrival order', async () => {
    const mutex = new KeyedMutex();
    const events: string[] = [];
    const step = (name: string) =>
      mutex.run('k', async () => {
        events.push(`start ${name}`);
        await Promise.resolve();
        await Promise.resolve();
        events.push(`end ${name}`);
        return name;
      });
    expect(await Promise.all([step('a'), step('b'), step('c')])).toEqual(['a', 'b', 'c']);
    expect(events).toEqual(['start a', 'end a', 'start b', 'end b', 'start c', 'end c']);
    expect(mutex.size).toBe(0);
  });

  it('when one piece of work fails, then the next still runs', async () => {
    const mutex = new KeyedMutex();
    const failed = mutex.run('k', async () => {
      throw new Error('boom');
    });
    const next = mutex.run('k', async () => 'ok');
    await expect(failed).rejects.toThrow('boom');
    expect(await next).toBe('ok');
  });

  it('when keys differ, then work interleaves', async () => {
    const mutex = new KeyedMutex();
    const events: string[] = [];
    let releaseA: () => void = () => undefined;
    const a = mutex.run('a', async () => {
      events.push('a start');
      await new Promise<void>((r) => {
        releaseA = r;
      });
      events.push('a end');
    });
    await mutex.run('b', async () => {
      events.push('b');
    });
    releaseA();
    await a;
    expect(events).toEqual(['a start', 'b', 'a end']);
  });
});
