import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkImports, loopsWithin } from '../../scripts/check-imports.js';

describe('import rules between modules', () => {
  it('when the source is checked then no module imports another module’s repository or model, no module loop remains and src/lib imports nothing above it', () => {
    expect(checkImports().map((v) => v.message)).toEqual([]);
  });

  describe('on a small tree', () => {
    const root = mkdtempSync(path.join(tmpdir(), 'check-imports-'));
    const write = (file: string, text: string) => {
      mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
      writeFileSync(path.join(root, file), text);
    };
    write('src/modules/a/a.service.ts', "import { b } from '../b/b.service.js';\nexport const a = b;\n");
    write('src/modules/b/b.service.ts', "import type { A } from '../a/a.types.js';\nexport const b = 1;\n");
    write('src/modules/a/a.types.ts', 'export type A = number;\n');
    write('src/modules/c/c.repository.ts', 'export const rows = [];\n');
    write(
      'src/modules/c/c.model.ts',
      "import mongoose from 'mongoose';\nexport const CModel = mongoose.model('C', new mongoose.Schema({}));\n",
    );
    write(
      'src/modules/d/d.service.ts',
      "import { rows } from '../c/c.repository.js';\nimport { CModel } from '../c/c.model.js';\nexport { rows, CModel };\n",
    );
    write('src/lib/helper.ts', "export { a } from '../modules/a/a.service.js';\n");
    write('src/data/words.json', '{}\n');
    write(
      'src/lib/uses-data.ts',
      "import words from '../data/words.json' with { type: 'json' };\nexport default words;\n",
    );
    write('src/lib/uses-config.ts', "import type { Config } from '../config.js';\nexport type C = Config;\n");
    write('src/config.ts', 'export interface Config {}\n');
    write('src/jobs/queues.ts', 'export type Queues = object;\n');
    write(
      'src/lib/metrics.ts',
      "import type { Queues } from '../jobs/queues.js';\nexport type Q = Queues;\n",
    );
    const found = checkImports(root);
    afterAll(() => rmSync(root, { recursive: true, force: true }));

    it('when two modules import each other (one import type-only) then the loop is found with its edges', () => {
      const loop = found.filter((v) => v.rule === 'cycle');
      expect(loop.map((v) => v.modules)).toEqual([['a', 'b']]);
      expect(loop[0]!.edges.map((e) => `${e.from} -> ${e.to}`).sort()).toEqual([
        'src/modules/a/a.service.ts -> src/modules/b/b.service.ts',
        'src/modules/b/b.service.ts -> src/modules/a/a.types.ts',
      ]);
      expect(loopsWithin(['a', 'c'], found)).toEqual([]);
      expect(loopsWithin(['a', 'b'], found).map((v) => v.modules)).toEqual([['a', 'b']]);
    });

    it("when a module imports another's repository or model, or lib imports a module or a job, then each is found (lib may read the config and src/data)", () => {
      expect(found.filter((v) => v.rule !== 'cycle').map((v) => `${v.rule} ${v.edges[0]!.from}`)).toEqual(
        expect.arrayContaining([
          'repository src/modules/d/d.service.ts',
          'model src/modules/d/d.service.ts',
          'lib src/lib/helper.ts',
          'lib src/lib/metrics.ts',
        ]),
      );
      expect(found.filter((v) => v.rule !== 'cycle')).toHaveLength(4);
    });
  });
});
