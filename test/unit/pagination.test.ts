import { Types } from 'mongoose';
import { describe, expect, it } from 'vitest';
import { afterCursor, decodeCursor, encodeCursor, parseSort } from '../../src/lib/http/pagination.js';

describe('cursor pagination', () => {
  const id = new Types.ObjectId();

  it('when a date-sorted item becomes a cursor, then it decodes to the same date and id', () => {
    const at = new Date('2026-03-01T08:00:00.000Z');
    const sort = parseSort('-updatedAt');
    const c = decodeCursor(encodeCursor({ _id: id, updatedAt: at }, sort));
    expect(c).toEqual({ v: { $date: at.toISOString() }, id: String(id) });
    const f = afterCursor(c, sort) as { $or: Record<string, Record<string, unknown>>[] };
    expect(f.$or[0]?.updatedAt?.$lt).toEqual(at);
    expect(String((f.$or[1]!._id as { $lt: unknown }).$lt)).toBe(String(id));
  });

  it('when a cursor is forged or garbage, then it is a 400 naming query.cursor', () => {
    expect.hasAssertions();
    const forged = Buffer.from(JSON.stringify({ v: { $where: 'x' }, id: 'zz' })).toString('base64url');
    for (const bad of ['not-base64!', forged]) {
      try {
        decodeCursor(bad);
        expect.unreachable();
      } catch (err) {
        expect((err as { options: { issues: { path: string }[] } }).options.issues[0]?.path).toBe(
          'query.cursor',
        );
      }
    }
  });
});
