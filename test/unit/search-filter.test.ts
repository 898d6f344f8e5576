import { describe, expect, it } from 'vitest';
import { plainQuery, quoteString, toMeiliFilter } from '../../src/lib/search/meili-filter.js';
import { SearchInputError } from '../../src/lib/search/port.js';
import { normalizeFilter } from '../../src/lib/search/request.js';

const fields = new Set(['status', 'skillCodes', 'wageMin']);

/** Reads one double-quoted literal the way Meilisearch's filter grammar does. */
function unquote(literal: string): { value: string; rest: string } {
  expect(literal[0]).toBe('"');
  let value = '';
  for (let i = 1; i < literal.length; i++) {
    const ch = literal[i]!;
    if (ch === '\\') {
      value += literal[++i];
      continue;
    }
    if (ch === '"') return { value, rest: literal.slice(i + 1) };
    value += ch;
  }
  throw new Error('unterminated');
}

describe('Meilisearch filter building', () => {
  it('when a string has quotes and backslashes, then the literal reads back as exactly that string', () => {
    expect.hasAssertions();
    for (const s of ['"', '\\', '\\"', 'a\\', '" OR status = "open', 'x"\\"\\\\y', '电子"装配\\', '']) {
      const { value, rest } = unquote(quoteString(s));
      expect(value).toBe(s);
      expect(rest).toBe('');
    }
  });

  it('when conditions are combined, then the expression is parenthesised and values quoted', () => {
    const f = normalizeFilter(
      {
        and: [
          { field: 'status', op: 'in', value: ['open', 'paused" OR "1'] },
          {
            or: [
              { field: 'wageMin', op: 'between', value: [3000, 5000.5] },
              { not: { field: 'skillCodes', op: 'eq', value: true } },
            ],
          },
          { field: 'status', op: 'ne', value: 'closed' },
        ],
      },
      fields,
    );
    expect(typeof f).toBe('object');
    if (typeof f === 'boolean') return;
    expect(toMeiliFilter(f)).toBe(
      '(status IN ["open", "paused\\" OR \\"1"] AND (wageMin 3000 TO 5000.5 OR NOT (skillCodes = "true")) AND NOT (status = "closed"))',
    );
  });

  it('when numbers are tiny or negative, then they print without exponents', () => {
    const f = normalizeFilter({ field: 'wageMin', op: 'gte', value: 1e-7 }, fields);
    expect(f !== true && f !== false && toMeiliFilter(f)).toBe('wageMin >= 0.0000001');
    const g = normalizeFilter({ field: 'wageMin', op: 'lt', value: -12 }, fields);
    expect(g !== true && g !== false && toMeiliFilter(g)).toBe('wageMin < -12');
  });

  it('when a branch is constant, then it is folded away', () => {
    expect(normalizeFilter({ field: 'status', op: 'in', value: [] }, fields)).toBe(false);
    expect(normalizeFilter({ and: [] }, fields)).toBe(true);
    expect(normalizeFilter({ or: [] }, fields)).toBe(false);
    expect(normalizeFilter({ not: { or: [] } }, fields)).toBe(true);
    expect(
      normalizeFilter(
        {
          or: [
            { field: 'status', op: 'in', value: [] },
            { field: 'status', op: 'eq', value: 'open' },
          ],
        },
        fields,
      ),
    ).toEqual({ op: 'eq', field: 'status', value: 'open' });
    expect(
      normalizeFilter(
        {
          and: [
            { field: 'status', op: 'in', value: [] },
            { field: 'status', op: 'eq', value: 'open' },
          ],
        },
        fields,
      ),
    ).toBe(false);
  });

  it('when the field, operator or value is not acceptable, then SearchInputError names it', () => {
    expect.hasAssertions();
    const bad: unknown[] = [
      { field: 'title', op: 'eq', value: 'x' },
      { field: 'status = "open" OR status', op: 'eq', value: 'x' },
      { field: 'status', op: 'like', value: 'x' },
      { field: 'status', op: 'eq', value: { $ne: 1 } },
      { field: 'status', op: 'eq', value: 'x'.repeat(1001) },
      { field: 'wageMin', op: 'gte', value: '3000' },
      { field: 'wageMin', op: 'gte', value: Number.POSITIVE_INFINITY },
      { field: 'wageMin', op: 'between', value: [1] },
      { and: {} },
      { and: [], or: [] },
      'status = open',
      null,
    ];
    for (const f of bad)
      expect(() => normalizeFilter(f, fields), JSON.stringify(f)).toThrow(SearchInputError);
  });

  it('when a filter is too deep or too large, then it is refused', () => {
    let deep: unknown = { field: 'status', op: 'eq', value: 'x' };
    for (let i = 0; i < 10; i++) deep = { not: deep };
    expect(() => normalizeFilter(deep, fields)).toThrow(SearchInputError);
    const wide = { or: Array.from({ length: 300 }, () => ({ field: 'status', op: 'eq', value: 'x' })) };
    expect(() => normalizeFilter(wide, fields)).toThrow(SearchInputError);
  });

  it('when the query has phrase quotes or negations, then Meilisearch receives plain words', () => {
    expect(plainQuery('"电子装配" -焊锡 a-b --x')).toBe('电子装配  焊锡 a-b x');
  });
});
