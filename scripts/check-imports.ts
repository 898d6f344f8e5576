/**
 * The import rules between modules (issue 20), checked over src/:
 *
 * - `repository`: a module imports another module's `*.repository.ts` (its collection is private);
 * - `model`: a module imports a mongoose model another module defines outside a repository;
 * - `cycle`: module folders under src/modules import each other in a loop (each loop printed with
 *   the file edges that close it);
 * - `lib`: a file under src/lib imports src/modules, src/jobs or the app (lib is below all of
 *   them; src/config.ts and the shipped data under src/data are all it may read outside it).
 *
 * Imports are read with the TypeScript compiler's own parser (type-only imports count: they tie
 * the modules together just the same). `npx tsx scripts/check-imports.ts` prints every violation
 * and exits 1 if there is one; `checkImports()` returns them for tests.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import ts from 'typescript';

export type Rule = 'repository' | 'model' | 'cycle' | 'lib';

export interface ImportEdge {
  /** Paths relative to the repository root. */
  from: string;
  to: string;
  typeOnly: boolean;
}

export interface Violation {
  rule: Rule;
  /** The modules involved: importer and imported, or every module of a loop. */
  modules: string[];
  edges: ImportEdge[];
  message: string;
}

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) out.push(...sourceFiles(full));
    else if (name.endsWith('.ts') && !name.endsWith('.d.ts')) out.push(full);
  }
  return out;
}

/** `./x.js` as written under NodeNext resolves to `./x.ts` on disk. */
function resolveSpecifier(fromFile: string, spec: string): string | null {
  if (!spec.startsWith('.')) return null;
  const base = path.resolve(path.dirname(fromFile), spec);
  for (const candidate of [base.replace(/\.js$/, '.ts'), base, `${base}.ts`, path.join(base, 'index.ts')]) {
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  }
  return null;
}

interface ParsedImport {
  target: string;
  names: string[];
  typeOnly: boolean;
}

function importsOf(file: string): ParsedImport[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, false);
  const out: ParsedImport[] = [];
  const add = (spec: ts.Expression | undefined, names: string[], typeOnly: boolean) => {
    if (!spec || !ts.isStringLiteral(spec)) return;
    const target = resolveSpecifier(file, spec.text);
    if (target) out.push({ target, names, typeOnly });
  };
  const visit = (node: ts.Node) => {
    if (ts.isImportDeclaration(node)) {
      const clause = node.importClause;
      const names: string[] = [];
      const bindings = clause?.namedBindings;
      if (bindings && ts.isNamedImports(bindings)) {
        for (const el of bindings.elements) names.push((el.propertyName ?? el.name).text);
      }
      if (clause?.name) names.push('default');
      const allTypes =
        !!clause?.isTypeOnly ||
        (!!bindings &&
          ts.isNamedImports(bindings) &&
          !clause?.name &&
          bindings.elements.every((e) => e.isTypeOnly));
      add(node.moduleSpecifier, names, allTypes);
    } else if (ts.isExportDeclaration(node)) {
      const names =
        node.exportClause && ts.isNamedExports(node.exportClause)
          ? node.exportClause.elements.map((e) => (e.propertyName ?? e.name).text)
          : ['*'];
      add(node.moduleSpecifier, names, node.isTypeOnly);
    } else if (
      ts.isCallExpression(node) &&
      node.expression.kind === ts.SyntaxKind.ImportKeyword &&
      node.arguments[0]
    ) {
      add(node.arguments[0], ['*'], false);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return out;
}

/**
 * Every relative import of the TypeScript files under `dirs` (paths relative to `root`), resolved
 * to files: for the tests that check one direction or one module's boundary.
 */
export function importEdges(dirs: readonly string[], root: string = ROOT): ImportEdge[] {
  const rel = (f: string) => path.relative(root, f).split(path.sep).join('/');
  return dirs.flatMap((dir) =>
    sourceFiles(path.join(root, dir)).flatMap((file) =>
      importsOf(file).map((imp) => ({ from: rel(file), to: rel(imp.target), typeOnly: imp.typeOnly })),
    ),
  );
}

/** Names a file binds to `mongoose.model(…)` / `model(…)`. */
function modelNames(file: string): Set<string> {
  const text = readFileSync(file, 'utf8');
  const names = new Set<string>();
  for (const m of text.matchAll(/(?:const|let|var)\s+(\w+)\s*(?::[^=]+)?=\s*(?:mongoose\.)?model\s*[<(]/g)) {
    names.add(m[1]!);
  }
  return names;
}

/** Strongly connected components (Tarjan) of a small graph. */
function loops(graph: Map<string, Set<string>>): string[][] {
  let index = 0;
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const out: string[][] = [];
  const strong = (v: string) => {
    idx.set(v, index);
    low.set(v, index);
    index++;
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!idx.has(w)) {
        strong(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v)!, idx.get(w)!));
      }
    }
    if (low.get(v) === idx.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1) out.push(component.sort());
    }
  };
  for (const v of [...graph.keys()].sort()) if (!idx.has(v)) strong(v);
  return out;
}

export function checkImports(root: string = ROOT): Violation[] {
  const src = path.join(root, 'src');
  const modulesDir = path.join(src, 'modules');
  const libDir = path.join(src, 'lib');
  const rel = (f: string) => path.relative(root, f).split(path.sep).join('/');
  const moduleOf = (f: string): string | null => {
    const r = path.relative(modulesDir, f);
    if (r.startsWith('..') || path.isAbsolute(r)) return null;
    const [first, ...rest] = r.split(path.sep);
    return rest.length > 0 ? first! : null;
  };

  const violations: Violation[] = [];
  const moduleGraph = new Map<string, Set<string>>();
  const moduleEdges = new Map<string, ImportEdge[]>();
  const models = new Map<string, Set<string>>();
  const modelsOf = (f: string) => {
    let names = models.get(f);
    if (!names) {
      names = modelNames(f);
      models.set(f, names);
    }
    return names;
  };

  for (const file of sourceFiles(src)) {
    const fromModule = moduleOf(file);
    const inLib = !path.relative(libDir, file).startsWith('..');
    for (const imp of importsOf(file)) {
      const toModule = moduleOf(imp.target);
      const edge: ImportEdge = { from: rel(file), to: rel(imp.target), typeOnly: imp.typeOnly };
      const targetInLib = !path.relative(libDir, imp.target).startsWith('..');
      const isData = imp.target.startsWith(path.join(src, 'data') + path.sep);
      if (inLib && !targetInLib && !isData && imp.target !== path.join(src, 'config.ts')) {
        violations.push({
          rule: 'lib',
          modules: toModule ? [toModule] : [],
          edges: [edge],
          message: `src/lib imports outside lib: ${edge.from} -> ${edge.to}`,
        });
      }
      if (!fromModule || !toModule || fromModule === toModule) continue;
      if (!moduleGraph.has(fromModule)) moduleGraph.set(fromModule, new Set());
      moduleGraph.get(fromModule)!.add(toModule);
      const key = `${fromModule}->${toModule}`;
      moduleEdges.set(key, [...(moduleEdges.get(key) ?? []), edge]);
      if (imp.target.endsWith('.repository.ts')) {
        violations.push({
          rule: 'repository',
          modules: [fromModule, toModule],
          edges: [edge],
          message: `${fromModule} imports ${toModule}'s repository: ${edge.from} -> ${edge.to}`,
        });
      } else if (imp.target.endsWith('.ts')) {
        const defined = modelsOf(imp.target);
        const used = imp.names.filter((n) => defined.has(n) || (n === '*' && defined.size > 0));
        if (used.length > 0) {
          violations.push({
            rule: 'model',
            modules: [fromModule, toModule],
            edges: [edge],
            message: `${fromModule} imports ${toModule}'s model (${used.join(', ')}): ${edge.from} -> ${edge.to}`,
          });
        }
      }
    }
  }

  for (const component of loops(moduleGraph)) {
    const inside = new Set(component);
    const edges: ImportEdge[] = [];
    const pairs: string[] = [];
    for (const a of component) {
      for (const b of moduleGraph.get(a) ?? []) {
        if (!inside.has(b)) continue;
        const list = moduleEdges.get(`${a}->${b}`) ?? [];
        edges.push(...list);
        pairs.push(`${a} -> ${b} (${list.map((e) => `${e.from} -> ${e.to}`).join('; ')})`);
      }
    }
    violations.push({
      rule: 'cycle',
      modules: component,
      edges,
      message: `import loop between {${component.join(', ')}}:\n    ${pairs.join('\n    ')}`,
    });
  }
  return violations;
}

/**
 * The loops inside one group of modules only (a loop through other modules is theirs): the graph
 * cut down to `group` before looking for loops.
 */
export function loopsWithin(group: readonly string[], violations: readonly Violation[]): Violation[] {
  const members = new Set(group);
  const graph = new Map<string, Set<string>>();
  const edgesBetween = new Map<string, ImportEdge[]>();
  const moduleOfPath = (p: string) => p.match(/^src\/modules\/([^/]+)\//)?.[1] ?? '';
  for (const v of violations) {
    if (v.rule !== 'cycle') continue;
    for (const e of v.edges) {
      const a = moduleOfPath(e.from);
      const b = moduleOfPath(e.to);
      if (!members.has(a) || !members.has(b)) continue;
      if (!graph.has(a)) graph.set(a, new Set());
      graph.get(a)!.add(b);
      edgesBetween.set(`${a}->${b}`, [...(edgesBetween.get(`${a}->${b}`) ?? []), e]);
    }
  }
  return loops(graph).map((component) => {
    const edges = component.flatMap((a) => component.flatMap((b) => edgesBetween.get(`${a}->${b}`) ?? []));
    return {
      rule: 'cycle' as const,
      modules: component,
      edges,
      message: `import loop between {${component.join(', ')}}: ${edges.map((e) => `${e.from} -> ${e.to}`).join('; ')}`,
    };
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const found = checkImports();
  for (const v of found) console.log(`[${v.rule}] ${v.message}`);
  console.log(found.length === 0 ? 'No import violations.' : `${found.length} import violation(s).`);
  process.exitCode = found.length === 0 ? 0 : 1;
}
