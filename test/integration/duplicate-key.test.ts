import mongoose from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { duplicateKeyWrites, isDuplicateKey } from '../../src/lib/db/index.js';
import { startTestApp, type TestApp, uniqueName } from '../fixtures/app.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t?.close();
});

const collection = () => mongoose.connection.db!.collection<{ _id: string }>(uniqueName('dup'));
const refusal = (p: Promise<unknown>) =>
  p.then(
    () => {
      throw new Error('the write was not refused');
    },
    (err: unknown) => err,
  );

describe('duplicate keys, as the real database reports them', () => {
  it('when a document with a held key is inserted, then isDuplicateKey recognises the refusal', async () => {
    const c = collection();
    await c.insertOne({ _id: 'a' });
    const err = await refusal(c.insertOne({ _id: 'a' }));
    expect(isDuplicateKey(err)).toBe(true);
    expect(isDuplicateKey(new Error('E11000 in a message only'))).toBe(false);
    expect(isDuplicateKey(null)).toBe(false);
  });

  it('when an unordered insert meets held keys, then duplicateKeyWrites names those rows and the rest are stored', async () => {
    const c = collection();
    await c.insertMany([{ _id: 'b' }, { _id: 'd' }]);
    const err = await refusal(
      c.insertMany([{ _id: 'a' }, { _id: 'b' }, { _id: 'c' }, { _id: 'd' }], { ordered: false }),
    );
    expect(duplicateKeyWrites(err)?.map((w) => w.index)).toEqual([1, 3]);
    expect((await c.find().toArray()).map((d) => d._id).sort()).toEqual(['a', 'b', 'c', 'd']);
  });

  it('when an error is not a set of duplicate keys, then duplicateKeyWrites gives null (the caller rethrows)', () => {
    expect(duplicateKeyWrites(new Error('network'))).toBeNull();
    expect(duplicateKeyWrites({ writeErrors: [] })).toBeNull();
    expect(
      duplicateKeyWrites({
        writeErrors: [
          { index: 0, code: 11000 },
          { index: 1, code: 121 },
        ],
      }),
    ).toBeNull();
    expect(duplicateKeyWrites({ writeErrors: { index: 2, code: 11000 } })).toEqual([
      { index: 2, code: 11000 },
    ]);
  });
});
