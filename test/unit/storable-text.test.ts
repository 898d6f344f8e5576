import { describe, expect, it } from 'vitest';
import { exceedsJsonDepth, MAX_JSON_DEPTH, unstorableTextPaths } from '../../src/lib/http/storable-text.js';

describe('unstorableTextPaths', () => {
  it('when text is ordinary Chinese, emoji (a surrogate pair) or empty, then nothing is found', () => {
    expect(unstorableTextPaths({ name: '凉山彝族', note: '👍 ok', empty: '', n: 3, list: ['a'] })).toEqual(
      [],
    );
  });

  it('when a value or a key holds NUL or a lone surrogate, then each path is named', () => {
    const body = {
      escorts: [{ name: 'ok' }, { name: 'a\u0000' }],
      lead: { name: '\ud940x' },
      'k\u0000': 1,
      tail: 'x\udc00',
    };
    expect(unstorableTextPaths(body)).toEqual(['escorts.1.name', 'lead.name', 'k\u0000', 'tail']);
  });

  it('when a bare string body is unstorable, then the body itself is named; at most `max` paths', () => {
    expect(unstorableTextPaths('\u0000')).toEqual(['(body)']);
    expect(
      unstorableTextPaths(
        Array.from({ length: 50 }, () => '\u0000'),
        5,
      ),
    ).toHaveLength(5);
  });
});

describe('JSON depth', () => {
  /** `levels` objects nested in one another, built without recursion; `leaf` at the bottom. */
  const nested = (levels: number, leaf: unknown = 1): unknown => {
    let v = leaf;
    for (let i = 0; i < levels; i++) v = i % 2 ? { a: v } : [v];
    return v;
  };

  it('when a value nests at most 32 levels, then it is within the limit; at 33 and at 100,000 it is not', () => {
    expect(MAX_JSON_DEPTH).toBe(32);
    expect(exceedsJsonDepth(nested(32))).toBe(false);
    expect(exceedsJsonDepth(nested(33))).toBe(true);
    expect(exceedsJsonDepth(nested(100_000))).toBe(true);
    expect(exceedsJsonDepth('text')).toBe(false);
    expect(exceedsJsonDepth({ wide: Array.from({ length: 10_000 }, () => ({ x: [1] })) })).toBe(false);
  });

  it('when unstorable text sits 100,000 levels deep, then the walk finds it without exhausting the stack', () => {
    const paths = unstorableTextPaths(nested(100_000, 'x\u0000'));
    expect(paths).toHaveLength(1);
    expect(paths[0]!.split('.')).toHaveLength(100_000);
  });
});
