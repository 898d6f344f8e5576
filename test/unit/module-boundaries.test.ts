import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The match aggregate has one home (issue 20): outside src/modules/matches nothing imports its
 * repository (the model with it), and placements never sits below matches.
 */
const ROOT = join(import.meta.dirname, '../..');

function tsFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? tsFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

const importsOf = (file: string) =>
  [...readFileSync(join(ROOT, file), 'utf8').matchAll(/from '([^']+)'/g)].map((m) => m[1]!);

describe('module boundaries of matches', () => {
  it('when any file outside matches/ is read, then it never imports the matches repository', () => {
    const offenders = ['src', 'scripts', 'workers', 'test']
      .flatMap(tsFiles)
      .filter((f) => !f.startsWith('src/modules/matches/'))
      .filter((f) => importsOf(f).some((i) => i.endsWith('matches/matches.repository.js')))
      .map((f) => relative(ROOT, join(ROOT, f)));
    expect(offenders).toEqual([]);
  });

  it('when matches/ is read, then it imports nothing of placements', () => {
    const offenders = tsFiles('src/modules/matches').filter((f) =>
      importsOf(f).some((i) => i.includes('/placements/')),
    );
    expect(offenders).toEqual([]);
  });
});
