import { randomUUID } from 'node:crypto';
import mongoose from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claim, claimAll, claimHeldSince, claimOrTakeOver, release } from '../../src/lib/claims.js';
import { startTestApp, type TestApp } from '../fixtures/app.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t?.close();
});

const key = (name: string) => `test/${name}/${randomUUID()}`;

describe('claims (records of an outside effect) on the real database', () => {
  it('when 20 callers claim the same key at once, then exactly one wins', async () => {
    const k = key('race');
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => claim(k, `caller-${i}`)));
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  it('when a claim is held, then claimHeldSince tells since when; released, nobody holds it and it can be taken again', async () => {
    const k = key('held');
    expect(await claimHeldSince(k)).toBeNull();
    const before = Date.now();
    expect(await claim(k)).toBe(true);
    expect((await claimHeldSince(k))!.getTime()).toBeGreaterThanOrEqual(before - 1000);
    expect(await claim(k)).toBe(false);
    await release(k);
    expect(await claimHeldSince(k)).toBeNull();
    expect(await claim(k)).toBe(true);
  });

  it('when a claim is recent, then it is not taken over; when stale and still pending, exactly one of 20 takes it over', async () => {
    const recent = key('recent');
    expect(await claim(recent, 'live-process')).toBe(true);
    expect(await claimOrTakeOver(recent, 60_000, async () => true)).toBe(false);

    // Left an hour ago by a process that died.
    const k = key('takeover');
    await mongoose.connection
      .collection<{ _id: string; at: Date; by: string }>('claims')
      .insertOne({ _id: k, at: new Date(Date.now() - 3600_000), by: 'dead-process' });
    // Stale, but the effect it guarded happened: left alone.
    expect(await claimOrTakeOver(k, 60_000, async () => false)).toBe(false);
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => claimOrTakeOver(k, 60_000, async () => true, `caller-${i}`)),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(Date.now() - (await claimHeldSince(k))!.getTime()).toBeLessThan(60_000);
  });

  it('when claims are taken in one batch and some are held already, then only those are refused, and the others are held by the batch', async () => {
    const keys = Array.from({ length: 6 }, (_, i) => key(`batch-${i}`));
    expect(await claim(keys[1]!, 'other')).toBe(true);
    expect(await claim(keys[4]!, 'other')).toBe(true);
    const results = await claimAll(keys.map((k) => ({ key: k, by: 'batch' })));
    expect(results).toEqual([true, false, true, true, false, true]);
    for (const k of keys) expect(await claim(k)).toBe(false);
    // Claimed twice in one batch: one wins.
    const twice = key('twice');
    expect(await claimAll([{ key: twice }, { key: twice }])).toEqual([true, false]);
  });
});
