import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ENGINE = path.resolve(import.meta.dirname, '../../../src/modules/matching');

/** What the engine may read besides itself: region codes and the reference vocabularies (data). */
const ALLOWED = [/^\.\/[\w-]+\.js$/, /^\.\.\/\.\.\/lib\/regions\.js$/, /^\.\.\/\.\.\/data\/[\w-]+\.json$/];

describe('the matching engine', () => {
  it('when its files are read then they import only each other, region codes and reference data (no I/O)', () => {
    const files = readdirSync(ENGINE).filter((f) => f.endsWith('.ts'));
    expect(files.length).toBeGreaterThan(10);
    const outside = files.flatMap((file) =>
      ts
        .preProcessFile(readFileSync(path.join(ENGINE, file), 'utf8'), true, true)
        .importedFiles.map((i) => i.fileName)
        .filter((spec) => !ALLOWED.some((re) => re.test(spec)))
        .map((spec) => `${file} -> ${spec}`),
    );
    expect(outside).toEqual([]);
  });
});
