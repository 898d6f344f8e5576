import { describe, expect, it } from 'vitest';
import { importEdges } from '../../scripts/check-imports.js';

/** What scripts/check-imports.ts (src/lib below everything) does not cover: the app and the scripts. */
const shown = (edges: { from: string; to: string }[]) => edges.map((e) => `${e.from} → ${e.to}`);

describe('import direction', () => {
  it('when a module imports, then never the app that mounts it', () => {
    const edges = importEdges(['src/modules']);
    expect(edges.length).toBeGreaterThan(0);
    expect(shown(edges.filter((e) => e.to === 'src/app.ts'))).toEqual([]);
  });

  it('when production code imports, then never the demo and benchmark generators', () => {
    const edges = importEdges(['src', 'workers']);
    expect(edges.length).toBeGreaterThan(0);
    const outside = edges.filter((e) => e.to.startsWith('scripts/') || e.to.startsWith('test/'));
    expect(shown(outside)).toEqual([]);
  });
});
