import { describe, expect, it } from 'vitest';
import { AppError, ERROR_CODES, renderProblem, validationError } from '../../src/lib/errors.js';
import { z } from '../../src/lib/zod.js';

describe('problem documents', () => {
  it('when an AppError is rendered, then status comes from the one code table', () => {
    const p = renderProblem(
      new AppError('illegal_transition', { extra: { currentState: 'approved' } }),
      'en',
    );
    expect(p).toMatchObject({ status: 409, code: 'illegal_transition', currentState: 'approved' });
    expect(p.type).toMatch(/illegal-transition$/);
  });

  it('when rendered in zh-CN and en, then the titles differ by language', () => {
    const e = new AppError('not_found');
    expect(renderProblem(e, 'zh-CN').title).toBe('未找到');
    expect(renderProblem(e, 'en').title).toBe('Not found');
  });

  it('when a zod error becomes a problem, then each issue names its field path', () => {
    const schema = z.object({ body: z.object({ idNumber: z.string().length(18), age: z.number() }) });
    const r = schema.safeParse({ body: { idNumber: 'x', age: 'y' } });
    if (r.success) throw new Error('expected failure');
    const p = renderProblem(validationError(r.error), 'en');
    expect(p.status).toBe(400);
    expect(p.issues?.map((i) => i.path).sort()).toEqual(['body.age', 'body.idNumber']);
    expect(p.detail).toMatch(/body\.idNumber/);
  });

  it('when any code is defined, then it has a 4xx/5xx status and both titles', () => {
    expect.hasAssertions();
    for (const [code, spec] of Object.entries(ERROR_CODES)) {
      expect(spec.status, code).toBeGreaterThanOrEqual(400);
      expect(spec.zh.length, code).toBeGreaterThan(0);
      expect(spec.en.length, code).toBeGreaterThan(0);
    }
  });
});

describe('isDatabaseUnreachable', () => {
  const named = (name: string, message = 'x', cause?: unknown) =>
    Object.assign(new Error(message, { cause }), { name });
  it('when the driver cannot reach MongoDB, then the error is a 503 kind; when the query itself failed, then not', async () => {
    const { isDatabaseUnreachable } = await import('../../src/lib/errors.js');
    expect(isDatabaseUnreachable(named('MongoServerSelectionError'))).toBe(true);
    expect(isDatabaseUnreachable(named('MongoNetworkError'))).toBe(true);
    expect(isDatabaseUnreachable(named('MongoServerClosedError'))).toBe(true);
    expect(isDatabaseUnreachable(named('MongooseServerSelectionError'))).toBe(true);
    expect(
      isDatabaseUnreachable(
        named('MongooseError', 'Operation `users.findOne()` buffering timed out after 10000ms'),
      ),
    ).toBe(true);
    expect(isDatabaseUnreachable(named('Error', 'wrapped', named('MongoNotConnectedError')))).toBe(true);
    expect(isDatabaseUnreachable(named('MongoServerError', 'E11000 duplicate key'))).toBe(false);
    const coded = (code: number) => Object.assign(named('MongoServerError'), { code });
    expect(isDatabaseUnreachable(coded(91))).toBe(true); // ShutdownInProgress
    expect(isDatabaseUnreachable(coded(11600))).toBe(true); // InterruptedAtShutdown
    expect(isDatabaseUnreachable(coded(11000))).toBe(false);
    expect(isDatabaseUnreachable(new TypeError('x is undefined'))).toBe(false);
  });
});
