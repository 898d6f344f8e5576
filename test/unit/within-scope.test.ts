import { describe, expect, it } from 'vitest';
import { withinScope } from '../../src/lib/db/index.js';

describe('withinScope', () => {
  it('when filter and scope name different keys, then both hold through $and', () => {
    const f = withinScope({ _id: 'x', erased: false }, { regionPath: '513400' }) as {
      $and: Record<string, unknown>[];
    };
    expect(Object.keys(f)).toEqual(['$and']);
    expect(f.$and).toEqual([{ _id: 'x', erased: false }, { regionPath: '513400' }]);
  });

  it('when they name a key in common, then both conditions hold through $and (the scope is never replaced)', () => {
    const f = withinScope({ _id: 'x' }, { _id: { $in: ['y'] } }) as { $and: Record<string, unknown>[] };
    expect(Object.keys(f)).toEqual(['$and']);
    expect(f.$and[0]).toEqual({ _id: 'x' });
    expect(f.$and[1]!._id).toMatchObject({ $in: ['y'] });
    expect(withinScope({ $or: [{ a: 1 }] }, { $or: [{ b: 2 }] })).toHaveProperty('$and');
  });

  it('when one side is empty, then the other alone is the filter', () => {
    expect(withinScope({ _id: 'x' }, {})).toEqual({ _id: 'x' });
    expect(withinScope({}, { regionPath: '513400' })).toEqual({ regionPath: '513400' });
  });
});
