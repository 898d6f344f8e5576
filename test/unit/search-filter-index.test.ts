import { describe, expect, it } from 'vitest';
import { Bitset } from '../../src/lib/search/bitset.js';
import { compileFilter } from '../../src/lib/search/filter-eval.js';
import { FilterIndex } from '../../src/lib/search/filter-index.js';
import type { SearchDocument } from '../../src/lib/search/port.js';
import { type NormalizedFilter, normalizeFilter } from '../../src/lib/search/request.js';
import { prng } from '../fixtures/search-documents.js';

describe('Bitset', () => {
  it('when members are added, removed and combined, then the set operations hold, across lengths', () => {
    const a = new Bitset();
    for (const i of [0, 31, 32, 33, 100, 1_000]) a.add(i);
    a.remove(33);
    const b = new Bitset(10);
    for (const i of [31, 100, 2_000]) b.add(i);
    const members = (s: Bitset) => {
      const out: number[] = [];
      s.forEach((i) => {
        out.push(i);
      });
      return out;
    };
    expect(members(a)).toEqual([0, 31, 32, 100, 1_000]);
    expect(a.count()).toBe(5);
    expect(members(a.clone().and(b))).toEqual([31, 100]);
    expect(members(a.clone().or(b))).toEqual([0, 31, 32, 100, 1_000, 2_000]);
    expect(members(a.clone().andNot(b))).toEqual([0, 32, 1_000]);
    expect(b.clone().and(a).has(2_000)).toBe(false);
    expect(new Bitset(64).isEmpty()).toBe(true);
  });
});

const FILTERABLE = ['status', 'tags', 'flag', 'wage', 'code'];
const STATUSES = ['open', 'Open', 'closed', 'draft', '3000', ' 3000 ', 'true'];
const TAGS = ['a', 'B', 'b', 'c', '12', '1e1'];

function randomDoc(i: number, rand: () => number): SearchDocument {
  const pick = <T>(list: readonly T[]) => list[Math.floor(rand() * list.length)]!;
  const doc: Record<string, unknown> = { id: `d${i}` };
  if (rand() < 0.9) doc.status = pick(STATUSES);
  if (rand() < 0.8) doc.tags = TAGS.filter(() => rand() < 0.3);
  if (rand() < 0.7) doc.flag = rand() < 0.5;
  if (rand() < 0.8) doc.wage = Math.floor(rand() * 10) * 1000;
  if (rand() < 0.8) doc.code = rand() < 0.5 ? 12 : '12';
  return doc as SearchDocument;
}

function randomFilter(rand: () => number, depth = 0): unknown {
  const r = rand();
  const pickValue = () => {
    const pool = [...STATUSES, ...TAGS, 'OPEN', 3000, 12, 10, true, false, 'TRUE', 'zzz'];
    return pool[Math.floor(rand() * pool.length)];
  };
  const field = FILTERABLE[Math.floor(rand() * FILTERABLE.length)];
  if (depth < 3 && r < 0.15) return { and: [randomFilter(rand, depth + 1), randomFilter(rand, depth + 1)] };
  if (depth < 3 && r < 0.3) return { or: [randomFilter(rand, depth + 1), randomFilter(rand, depth + 1)] };
  if (depth < 3 && r < 0.4) return { not: randomFilter(rand, depth + 1) };
  if (r < 0.55) return { field, op: 'eq', value: pickValue() };
  if (r < 0.65) return { field, op: 'ne', value: pickValue() };
  if (r < 0.8) return { field, op: 'in', value: [pickValue(), pickValue()] };
  if (r < 0.9) return { field: 'wage', op: 'gte', value: Math.floor(rand() * 10) * 1000 };
  return { field: 'wage', op: 'between', value: [2000, 6000] };
}

describe('FilterIndex', () => {
  it('when evaluated as bitsets, then every random filter selects exactly the documents the per-document test does', () => {
    expect.hasAssertions();
    const rand = prng(99);
    const docs = Array.from({ length: 400 }, (_, i) => randomDoc(i, rand));
    const index = new FilterIndex(['status', 'tags', 'flag', 'code']);
    const live = new Bitset();
    docs.forEach((d, slot) => {
      index.add(slot, d);
      live.add(slot);
    });
    // Replace and delete some, as upserts do.
    for (let slot = 0; slot < 400; slot += 7) {
      index.remove(slot, docs[slot]!);
      docs[slot] = randomDoc(slot + 1000, rand);
      index.add(slot, docs[slot]!);
    }
    for (let slot = 3; slot < 400; slot += 11) {
      index.remove(slot, docs[slot]!);
      live.remove(slot);
    }
    for (let round = 0; round < 500; round++) {
      const filter = normalizeFilter(randomFilter(rand), new Set(FILTERABLE));
      if (typeof filter === 'boolean') continue;
      const expected: number[] = [];
      const test = compileFilter(filter as NormalizedFilter);
      live.forEach((slot) => {
        if (test(docs[slot]!)) expected.push(slot);
      });
      const got: number[] = [];
      index
        .evaluate(filter, live, (slot) => docs[slot])
        .forEach((slot) => {
          got.push(slot);
        });
      expect(got, JSON.stringify(filter)).toEqual(expected);
    }
  });
});
