import { describe, expect, it } from 'vitest';
import { batched } from '../../src/modules/notifications/batching.js';

describe('batched calls of the delivery jobs', () => {
  it('when calls are made in the same turn, then they run as one batch and each gets its own result', async () => {
    const batches: number[][] = [];
    const double = batched(async (keys: number[]) => {
      batches.push(keys);
      return keys.map((k) => k * 2);
    });
    expect(await Promise.all([1, 2, 3].map(double))).toEqual([2, 4, 6]);
    expect(batches).toEqual([[1, 2, 3]]);
    expect(await double(4)).toBe(8);
    expect(batches).toHaveLength(2);
  });

  it('when one key fails, then only its caller gets the error; when the batch fails, then every caller does', async () => {
    const oddFails = batched(async (keys: number[]) => keys.map((k) => (k % 2 ? new Error(`odd ${k}`) : k)));
    const results = await Promise.allSettled([1, 2, 3, 4].map(oddFails));
    expect(results.map((r) => r.status)).toEqual(['rejected', 'fulfilled', 'rejected', 'fulfilled']);
    expect((results[0] as PromiseRejectedResult).reason.message).toBe('odd 1');

    const down = batched(async (_keys: number[]): Promise<number[]> => {
      throw new Error('connection closed');
    });
    const all = await Promise.allSettled([1, 2].map(down));
    expect(all.map((r) => r.status)).toEqual(['rejected', 'rejected']);
  });

  it('when more calls than the batch size are made at once, then they are split', async () => {
    const sizes: number[] = [];
    const id = batched(async (keys: number[]) => {
      sizes.push(keys.length);
      return keys;
    }, 4);
    const keys = Array.from({ length: 10 }, (_, i) => i);
    expect(await Promise.all(keys.map(id))).toEqual(keys);
    expect(sizes).toEqual([4, 4, 2]);
  });
});
