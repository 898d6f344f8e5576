import { describe, expect, it } from 'vitest';
import {
  access,
  assertAllVisible,
  checkRouteTable,
  definePolicy,
  forbiddenFields,
} from '../../src/lib/auth/policy.js';
import { defineRoute, type RouteDef } from '../../src/lib/http/route.js';
import { z } from '../../src/lib/zod.js';
import { bearerToken, newSessionToken, sessionIdFor } from '../../src/modules/accounts/session-token.js';
import { organizationKey, regionRuleProblem } from '../../src/modules/orgs/org-rules.js';

const openings = definePolicy({
  resource: 'openings',
  actions: { read: ['admin', 'employer'], update: ['admin', 'employer'] },
  writable: { update: { employer: ['title', 'headcount'], admin: ['title', 'headcount', 'status'] } },
});

const route = (over: Partial<RouteDef>): RouteDef =>
  defineRoute({
    method: 'get',
    path: '/api/v1/openings/:id',
    operationId: 'getOpening',
    summary: 's',
    tags: ['t'],
    access: access(openings, 'read'),
    responses: { 200: { description: 'ok' } },
    handler: () => undefined,
    ...over,
  } as RouteDef);

describe('forbiddenFields (property-level rule)', () => {
  it('when an employer sets status, employerId or version, then exactly those are named', () => {
    const body = { title: 'x', status: 'open', employerId: 'e2', version: 3 };
    expect(forbiddenFields(openings, 'update', ['employer'], body)).toEqual([
      'status',
      'employerId',
      'version',
    ]);
  });

  it('when an admin sets status, then it is allowed; roles add up', () => {
    expect(forbiddenFields(openings, 'update', ['admin'], { status: 'open' })).toEqual([]);
    expect(forbiddenFields(openings, 'update', ['employer', 'admin'], { status: 'open' })).toEqual([]);
  });

  it('when an action declares nothing writable, then every field is forbidden', () => {
    expect(forbiddenFields(openings, 'read', ['admin'], { a: 1 })).toEqual(['a']);
  });
});

describe('checkRouteTable', () => {
  it('when routes name existing policies and actions, then no problems', () => {
    expect(checkRouteTable([route({})], [openings])).toEqual([]);
  });

  it('when a guarded route names no policy, then it is reported by name', () => {
    const bad = route({ operationId: 'sneaky', access: { roles: ['admin'] } as never });
    expect(checkRouteTable([bad], [openings])).toEqual([expect.stringMatching(/sneaky.*names no policy/)]);
  });

  it('when a route names an unknown policy or action, or different roles, then it is reported', () => {
    const unknown = route({ access: { roles: ['admin'], policy: { resource: 'nope', action: 'read' } } });
    const noAction = route({
      operationId: 'b',
      path: '/b',
      access: { roles: ['admin'], policy: { resource: 'openings', action: 'delete' } },
    });
    const roles = route({
      operationId: 'c',
      path: '/c',
      access: { roles: ['admin', 'reviewer'], policy: { resource: 'openings', action: 'read' } },
    });
    const problems = checkRouteTable([unknown, noAction, roles], [openings]);
    expect(problems).toHaveLength(3);
    expect(problems[0]).toMatch(/not in the policy table/);
    expect(problems[1]).toMatch(/no action "delete"/);
    expect(problems[2]).toMatch(/roles differ/);
  });

  it('when a route takes a body but its action declares no writable fields, then it is reported', () => {
    const post = route({ method: 'post', request: { body: z.object({ a: z.string() }) } });
    expect(checkRouteTable([post], [openings])).toEqual([
      expect.stringMatching(/declares no writable fields/),
    ]);
  });

  it('when a policy action is not a lower-case code, then it is reported (denials write it to the audit trail)', () => {
    const camel = definePolicy({ resource: 'things', actions: { readThing: ['admin'] } });
    const r = route({ operationId: 'getThing', path: '/things/:id', access: access(camel, 'readThing') });
    expect(checkRouteTable([r], [camel])).toEqual([expect.stringMatching(/must be a lower-case code/)]);
  });

  it('when a public route gives no reason or a route is defined twice, then it is reported', () => {
    const pub = route({ operationId: 'p', path: '/p', access: { public: true, why: ' ' } });
    expect(checkRouteTable([pub, route({}), route({})], [openings])).toEqual([
      expect.stringMatching(/must say why/),
      expect.stringMatching(/defined twice/),
    ]);
  });
});

describe('session tokens', () => {
  it('when a token is made, then it has the prefix, parses from a Bearer header, and hashes stably', () => {
    const token = newSessionToken();
    expect(token).toMatch(/^tx_[A-Za-z0-9_-]{43}$/);
    expect(bearerToken(`Bearer ${token}`)).toBe(token);
    expect(bearerToken(`bearer  ${token}`)).toBe(token);
    expect(sessionIdFor(token, 's'.repeat(32))).toBe(sessionIdFor(token, 's'.repeat(32)));
    expect(sessionIdFor(token, 's'.repeat(32))).not.toContain(token);
  });

  it('when the header is missing, another scheme or malformed, then no token', () => {
    expect(bearerToken(undefined)).toBeUndefined();
    expect(bearerToken('Basic abc')).toBeUndefined();
    expect(bearerToken('Bearer tx_short')).toBeUndefined();
  });
});

describe('organisation rules', () => {
  it('when region codes are checked per type, then only the allowed provinces and levels pass', () => {
    expect(regionRuleProblem('recipient_federation', '513400')).toBeUndefined();
    expect(regionRuleProblem('recipient_federation', '513431')).toBeUndefined();
    expect(regionRuleProblem('recipient_federation', '510000')).toBeDefined(); // province level
    expect(regionRuleProblem('recipient_federation', '440600')).toBeDefined();
    expect(regionRuleProblem('supporting_federation', '330000')).toBeUndefined();
    expect(regionRuleProblem('supporting_federation', '440600')).toBeUndefined();
    expect(regionRuleProblem('supporting_federation', '513400')).toBeDefined();
    expect(regionRuleProblem('employer', '440606')).toBeUndefined();
    expect(regionRuleProblem('employer', '510100')).toBeDefined(); // 成都
    expect(regionRuleProblem('employer', '440000')).toBeDefined(); // a province is not a location
  });

  it('when keys are derived, then one per credit code, per federation jurisdiction and one platform', () => {
    expect(organizationKey({ type: 'employer', creditCode: 'X' })).toBe('uscc:X');
    expect(organizationKey({ type: 'recipient_federation', jurisdictionCode: '513400' })).toBe(
      'recipient_federation:513400',
    );
    expect(organizationKey({ type: 'platform' })).toBe('platform');
  });
});

describe('assertAllVisible (batches)', () => {
  it('when every id is visible, then it passes; when one is not, then 404 for the whole batch', () => {
    expect(() => assertAllVisible(['a', 'b'], ['b', 'a', 'c'])).not.toThrow();
    expect(() => assertAllVisible(['a', 'x'], ['a', 'b'])).toThrow(
      expect.objectContaining({ code: 'not_found' }),
    );
  });
});
