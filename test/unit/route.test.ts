import { describe, expect, it } from 'vitest';
import { toOpenApiPath } from '../../src/lib/http/route.js';

describe('toOpenApiPath', () => {
  it('when a path has express params, then they become OpenAPI templates', () => {
    expect(toOpenApiPath('/api/v1/matches/:id/explanation')).toBe('/api/v1/matches/{id}/explanation');
  });
});
