import { describe, expect, it } from 'vitest';
import { chinaDay, chinaTime, chinaYear, chinaYearBounds } from '../../src/lib/china-time.js';

describe('China time', () => {
  it('when an instant is at or after 16:00 UTC, then its China day is the next calendar day', () => {
    expect(chinaDay(new Date('2026-03-01T15:59:59.999Z'))).toBe('2026-03-01');
    expect(chinaDay(new Date('2026-03-01T16:00:00.000Z'))).toBe('2026-03-02');
    expect(chinaDay(Date.parse('2026-12-31T16:00:00Z'))).toBe('2027-01-01');
    expect(chinaYear(new Date('2026-12-31T16:00:00Z'))).toBe(2027);
  });

  it('when a day is turned into an instant and back, then it is the same day', () => {
    for (const d of ['2026-01-01', '2026-12-31', '2027-02-28', '2028-02-29'])
      expect(chinaDay(chinaTime(d))).toBe(d);
    expect(chinaTime('2026-01-01').toISOString()).toBe('2025-12-31T16:00:00.000Z');
    expect(chinaTime('2026-01-01', '09:00').toISOString()).toBe('2026-01-01T01:00:00.000Z');
  });

  it('when the day is not a date, then the instant is invalid', () => {
    expect(Number.isNaN(chinaTime('2026-13-01').getTime())).toBe(true);
    expect(Number.isNaN(chinaTime('').getTime())).toBe(true);
  });

  it('when a year is asked, then its bounds are China midnights', () => {
    const { from, to } = chinaYearBounds(2026);
    expect(from.toISOString()).toBe('2025-12-31T16:00:00.000Z');
    expect(to.toISOString()).toBe('2026-12-31T16:00:00.000Z');
  });
});
