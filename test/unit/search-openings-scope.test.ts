import { describe, expect, it } from 'vitest';
import type { Actor } from '../../src/lib/auth/actor.js';
import { compileFilter } from '../../src/lib/search/filter-eval.js';
import { normalizeFilter } from '../../src/lib/search/request.js';
import {
  openingReadGrants,
  openingReadScope,
  openingSearchScope,
  openingVisibleTo,
} from '../../src/modules/openings/openings.policy.js';
import { OPENING_STATUSES } from '../../src/modules/openings/openings.status.js';
import { openingSearchRequest } from '../../src/modules/search/search.query.js';
import { searchOpeningsQuery } from '../../src/modules/search/search.schemas.js';
import { prng } from '../fixtures/search-documents.js';

/**
 * The openings read rules exist three ways: a MongoDB filter (lists), a search filter (inside the
 * engine query) and a predicate (the check of a search page). They must agree on every opening.
 */

interface Doc {
  employerId: string;
  status: string;
  regionPath: string[];
}

/** Just enough of MongoDB's matching for the scope filters these rules produce. */
function mongoMatches(filter: Record<string, unknown>, doc: Doc): boolean {
  return Object.entries(filter).every(([key, cond]) => {
    if (key === '$or') return (cond as Record<string, unknown>[]).some((f) => mongoMatches(f, doc));
    if (key === '$and') return (cond as Record<string, unknown>[]).every((f) => mongoMatches(f, doc));
    if (key === '_id') return false; // NOTHING: `_id: {$in: []}`
    const value = (doc as unknown as Record<string, unknown>)[key];
    const values = Array.isArray(value) ? value : [value];
    if (cond && typeof cond === 'object' && '$in' in cond)
      return values.some((v) => (cond.$in as unknown[]).includes(v));
    return values.includes(cond);
  });
}

const REGIONS = [
  ['440000', '440600'],
  ['440000', '440100'],
  ['330000', '330300'],
  ['330000', '330300', '330381'],
];
const EMPLOYERS = ['e1', 'e2', 'e3'];

function actors(rand: () => number): { actor: Actor; paired: string[] }[] {
  const base = { userId: 'u' };
  return [
    { actor: { ...base, organizationId: 'p', orgType: 'platform', roles: ['admin'] }, paired: [] },
    { actor: { ...base, organizationId: 'e1', orgType: 'employer', roles: ['employer'] }, paired: [] },
    {
      actor: {
        ...base,
        organizationId: 's',
        orgType: 'supporting_federation',
        roles: ['reviewer'],
        jurisdictionCode: '440600',
      },
      paired: [],
    },
    {
      actor: {
        ...base,
        organizationId: 's',
        orgType: 'supporting_federation',
        roles: rand() < 0.5 ? ['federation_staff'] : ['federation_staff', 'reviewer'],
        jurisdictionCode: rand() < 0.5 ? '440600' : '330000',
      },
      paired: [],
    },
    {
      actor: {
        ...base,
        organizationId: 'r',
        orgType: 'recipient_federation',
        roles: ['federation_staff'],
        jurisdictionCode: '513400',
      },
      paired: rand() < 0.3 ? [] : rand() < 0.5 ? ['440600'] : ['440000', '330300'],
    },
  ];
}

describe('openings read rules, three ways', () => {
  it('when evaluated on random openings for every kind of caller, then MongoDB filter, search filter and predicate agree', () => {
    expect.hasAssertions();
    const rand = prng(11);
    for (let round = 0; round < 200; round++) {
      for (const { actor, paired } of actors(rand)) {
        const mongo = openingReadScope(actor, paired);
        const search = openingSearchScope(actor, paired);
        const compiled =
          typeof search === 'boolean'
            ? () => search
            : compileFilter(
                normalizeFilter(search, new Set(['employerId', 'status', 'regionCodes'])) as never,
              );
        const grants = openingReadGrants(actor, paired);
        for (let i = 0; i < 10; i++) {
          const doc: Doc = {
            employerId: EMPLOYERS[Math.floor(rand() * EMPLOYERS.length)]!,
            status: OPENING_STATUSES[Math.floor(rand() * OPENING_STATUSES.length)]!,
            regionPath: REGIONS[Math.floor(rand() * REGIONS.length)]!,
          };
          const expected = mongoMatches(mongo, doc);
          const searchDoc = {
            id: 'x',
            employerId: doc.employerId,
            status: doc.status,
            regionCodes: doc.regionPath,
          };
          expect(compiled(searchDoc), JSON.stringify({ actor, doc })).toBe(expected);
          expect(openingVisibleTo(grants, doc)).toBe(expected);
        }
      }
    }
  });

  it('when a caller may see nothing, then no engine request is built at all', () => {
    const q = searchOpeningsQuery.parse({ q: '包装' });
    expect(openingSearchRequest(q, false)).toBeNull();
    const staff: Actor = {
      userId: 'u',
      organizationId: 'r',
      orgType: 'recipient_federation',
      roles: ['federation_staff'],
      jurisdictionCode: '513400',
    };
    expect(openingSearchScope(staff, [])).toBe(false);
  });

  it('when parameters are given, then each is one more condition ANDed to the scope', () => {
    const q = searchOpeningsQuery.parse({
      q: '电子',
      region: '440600',
      skill: 'sewing,packaging,sewing',
      accommodation: 'job_coach,visual_alarms',
      status: 'open',
      wageFrom: '3000',
      wageTo: '5000',
      facets: 'skill,region',
      sort: '-wageMax',
      page: '2',
      limit: '5',
    });
    const scope = { field: 'employerId', op: 'eq', value: 'e1' } as const;
    expect(openingSearchRequest(q, scope)).toEqual({
      q: '电子',
      filter: {
        and: [
          scope,
          { field: 'regionCodes', op: 'eq', value: '440600' },
          { field: 'skillCodes', op: 'in', value: ['sewing', 'packaging'] },
          { field: 'status', op: 'in', value: ['open'] },
          { field: 'accommodationCodes', op: 'eq', value: 'job_coach' },
          { field: 'accommodationCodes', op: 'eq', value: 'visual_alarms' },
          { field: 'wageMax', op: 'gte', value: 3000 },
          { field: 'wageMin', op: 'lte', value: 5000 },
        ],
      },
      facets: ['skillCodes', 'regionCodes'],
      sort: [{ field: 'wageMax', direction: 'desc' }],
      page: 2,
      hitsPerPage: 5,
      highlight: ['title', 'skillLabels'],
    });
    expect(openingSearchRequest(searchOpeningsQuery.parse({}), true)?.filter).toBeUndefined();
  });
});
