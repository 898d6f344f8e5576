import mongoose from 'mongoose';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, makeOrg, makeUser, signIn, type TestActor } from '../fixtures/accounts.js';
import { startTestApp, type TestApp } from '../fixtures/app.js';
import { OwnLocalMongo, waitFor } from '../fixtures/processes.js';
import { figures, sleep, startWriteLoad, type WriteLoad } from './support.js';

/**
 * The MongoDB-compatible server restarted under a write load: a LocalMongo of this test's own (its
 * own port, the H2 file backend on a store file of its own, as `npm run up` runs it).
 *
 * Stopped (SIGTERM, so H2 commits its store) for 15 s: while it is down the API answers 503 (never
 * 500, never a hang past the driver's timeout); it recovers by itself; every acknowledged write is
 * there afterwards and every profile reads back whole.
 *
 * Killed (kill -9) mid-load and restarted: the launcher commits the H2 store before it acknowledges
 * a write, so here too every acknowledged write is there afterwards.
 */
let mongo: OwnLocalMongo;
let t: TestApp;
let staff: TestActor;

beforeAll(async () => {
  mongo = await OwnLocalMongo.create();
  t = await startTestApp({ MONGODB_URI: mongo.url });
  const org = await makeOrg('recipient_federation', '513400');
  staff = await signIn(t.config, await makeUser(org, ['federation_staff']), org);
});
afterAll(async () => {
  await t?.close();
  await mongo?.destroy();
});

/** A failure while the server is back names what it printed since it started. */
const withServerOutput = (err: Error): never => {
  throw new Error(`${err.message}\nthe restarted server printed:\n${mongo.recentOutput()}`);
};

/** What the API logged for the requests it answered 500, for a failure message. */
const internalErrors = () =>
  t.logs.lines
    .filter((l) => l.includes('"status":500') || l.includes('unhandled error'))
    .slice(-5)
    .join('\n');

const meAnswers = async (status: number) =>
  (await request(t.app).get('/api/v1/auth/me').set(bearer(staff.token))).status === status;

/** How many of the acknowledged writes read back whole. */
async function presentWhole(load: WriteLoad): Promise<{ whole: number; missing: string[] }> {
  let whole = 0;
  const missing: string[] = [];
  for (const id of load.acknowledged) {
    const res = await request(t.app).get(`/api/v1/worker-profiles/${id}`).set(bearer(staff.token));
    if (res.status === 200 && res.body.id === id && res.body.originCode === '513431') whole++;
    else missing.push(id);
  }
  return { whole, missing };
}

describe('when the MongoDB-compatible server is restarted during a write load', () => {
  it('then the API answers 503 while it is down, recovers by itself, and keeps every acknowledged write whole', async () => {
    const load = startWriteLoad(t.app, staff.token, '513431', 250);
    await sleep(5_000);
    await mongo.stop();
    const stoppedAt = Date.now();
    // Reads while down: statuses and how long each took.
    const downStatuses: Record<string, number> = {};
    const downMs: number[] = [];
    while (Date.now() - stoppedAt < 15_000) {
      const t0 = Date.now();
      const res = await request(t.app).get('/api/v1/auth/me').set(bearer(staff.token)).timeout(30_000);
      downMs.push(Date.now() - t0);
      downStatuses[res.status] = (downStatuses[res.status] ?? 0) + 1;
    }
    await mongo.start();
    const startedAt = Date.now();
    await waitFor('the API answering again', () => meAnswers(200), 60_000, 200).catch(withServerOutput);
    const recoveredMs = Date.now() - startedAt;
    await sleep(5_000);
    await load.stop();

    const { whole } = await presentWhole(load);
    // Writes answered with an error that still landed (the server died after the insert):
    // present, and whole, but not acknowledged.
    const stored = await mongoose.connection.db!.collection('worker_profiles').countDocuments();
    downMs.sort((a, b) => a - b);
    figures('mongodb-restarted', {
      downForMs: startedAt - stoppedAt,
      readsWhileDown: JSON.stringify(downStatuses),
      readWhileDownP50Ms: downMs[Math.floor(downMs.length / 2)] ?? 0,
      readWhileDownMaxMs: downMs.at(-1) ?? 0,
      recoveredMsAfterRestart: recoveredMs,
      writeStatuses: JSON.stringify(load.statuses),
      writesAcknowledged: load.acknowledged.length,
      writesPresentWhole: whole,
      profilesStored: stored,
    });
    expect(Object.keys(downStatuses).filter((s) => s !== '503')).toEqual([]);
    expect(whole).toBe(load.acknowledged.length);
    expect(load.statuses['500'] ?? 0, internalErrors()).toBe(0);
    expect(recoveredMs).toBeLessThan(60_000);
  });

  it('then after a kill -9 it recovers by itself and keeps every acknowledged write whole', async () => {
    const storedBefore = await mongoose.connection.db!.collection('worker_profiles').countDocuments();
    const load = startWriteLoad(t.app, staff.token, '513431', 100);
    await sleep(5_000);
    await mongo.kill();
    const killedAt = Date.now();
    const ackedAtKill = load.acknowledged.length;
    await sleep(3_000);
    await mongo.start();
    const startedAt = Date.now();
    await waitFor('the API answering again', () => meAnswers(200), 60_000, 200).catch(withServerOutput);
    const recoveredMs = Date.now() - startedAt;
    await sleep(3_000);
    await load.stop();

    const { whole, missing } = await presentWhole(load);
    const stored = await mongoose.connection.db!.collection('worker_profiles').countDocuments();
    figures('mongodb-killed', {
      downForMs: startedAt - killedAt,
      recoveredMsAfterRestart: recoveredMs,
      writeStatuses: JSON.stringify(load.statuses),
      writesAcknowledged: load.acknowledged.length,
      writesAcknowledgedBeforeKill: ackedAtKill,
      writesPresentWhole: whole,
      writesLost: missing.length,
      profilesStoredBeforeLoad: storedBefore,
      profilesStored: stored,
    });
    expect(missing).toEqual([]);
    expect(whole).toBe(load.acknowledged.length);
    expect(load.statuses['500'] ?? 0).toBe(0);
    expect(recoveredMs).toBeLessThan(60_000);
  });
});
