import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');

function sourceFiles(dir: string): string[] {
  return readdirSync(join(root, dir), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'))
    .map((f) => join(dir, f));
}

/** Every relative import of a file, as a path from the repository root. */
function importsOf(file: string): string[] {
  const text = readFileSync(join(root, file), 'utf8');
  const specifiers = [...text.matchAll(/(?:from|import)\s*\(?\s*'(\.{1,2}\/[^']+)'/g)].map((m) => m[1]!);
  return specifiers.map((s) => relative(root, resolve(join(root, dirname(file)), s)));
}

function offending(dir: string, forbidden: (target: string) => boolean): string[] {
  return sourceFiles(dir).flatMap((file) =>
    importsOf(file)
      .filter(forbidden)
      .map((target) => `${file} → ${target}`),
  );
}

describe('import direction', () => {
  it('when a file under src/lib imports, then never from src/modules or src/jobs', () => {
    expect(sourceFiles('src/lib').length).toBeGreaterThan(0);
    const downward = (t: string) => t.startsWith('src/modules/') || t.startsWith('src/jobs/');
    expect(offending('src/lib', downward)).toEqual([]);
  });

  it('when a module imports, then never the app that mounts it', () => {
    expect(sourceFiles('src/modules').length).toBeGreaterThan(0);
    expect(offending('src/modules', (t) => t === 'src/app.js')).toEqual([]);
  });

  it('when production code imports, then never the demo and benchmark generators', () => {
    const outside = (t: string) => t.startsWith('scripts/') || t.startsWith('test/');
    expect([...offending('src', outside), ...offending('workers', outside)]).toEqual([]);
  });
});
