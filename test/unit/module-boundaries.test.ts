import { describe, expect, it } from 'vitest';
import { importEdges } from '../../scripts/check-imports.js';

/**
 * The match aggregate has one home (issue 20): outside src/modules/matches nothing — scripts,
 * workers and tests included, which scripts/check-imports.ts does not read — imports its
 * repository (the model with it), and placements never sits below matches.
 */
describe('module boundaries of matches', () => {
  it('when any file outside matches/ is read, then it never imports the matches repository', () => {
    const edges = importEdges(['src', 'scripts', 'workers', 'test']);
    expect(edges.length).toBeGreaterThan(0);
    const offenders = edges
      .filter((e) => !e.from.startsWith('src/modules/matches/'))
      .filter((e) => e.to === 'src/modules/matches/matches.repository.ts')
      .map((e) => e.from);
    expect(offenders).toEqual([]);
  });

  it('when matches/ is read, then it imports nothing of placements', () => {
    const edges = importEdges(['src/modules/matches']);
    expect(edges.length).toBeGreaterThan(0);
    expect(edges.filter((e) => e.to.startsWith('src/modules/placements/')).map((e) => e.from)).toEqual([]);
  });
});
