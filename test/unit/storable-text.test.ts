import { describe, expect, it } from 'vitest';
import { unstorableTextPaths } from '../../src/lib/http/storable-text.js';

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
