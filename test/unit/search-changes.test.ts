import { describe, expect, it } from 'vitest';
import { jobId } from '../../src/jobs/catalogue.js';
import { parseChangeJobId } from '../../src/modules/search/search.changes.js';

describe('parseChangeJobId', () => {
  it('when given the id publishChange gives a search job, then the entity id and version come back', () => {
    const id = '65f0c0ffee0000000000abcd';
    expect(parseChangeJobId('search.index-opening', jobId('search.index-opening', id, 12))).toEqual({
      id,
      version: 12,
    });
  });

  it('when given another job id, then null', () => {
    expect(parseChangeJobId('search.index-opening', 'search.index-worker-profile-abc-1')).toBeNull();
    expect(parseChangeJobId('search.index-opening', 'search.index-opening-abc')).toBeNull();
    expect(parseChangeJobId('search.index-opening', 'search.index-opening-abc-x')).toBeNull();
  });
});
