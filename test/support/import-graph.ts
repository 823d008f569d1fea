import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';

/**
 * The relative imports of a source tree as a graph, for the tests that hold its layout: every
 * static import, `import()` and type-only import counts (a cycle of types is still two modules
 * that cannot be read one before the other).
 */
const RESOLVE_AS = ['', '.ts', '.tsx', '/index.ts', '/index.tsx'];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(name) ? [path] : [];
  });
}

function resolveImport(from: string, specifier: string): string | null {
  for (const suffix of RESOLVE_AS) {
    const path = resolve(dirname(from), specifier + suffix);
    if (existsSync(path) && statSync(path).isFile()) return path;
  }
  return null;
}

/**
 * Every relative import of the modules under `root`, keyed and pointing by paths inside `root`
 * with forward slashes (`features/cases/CaseView.tsx`). Imports that leave `root` are dropped.
 */
export function importGraph(root: string): Map<string, string[]> {
  const inRoot = (path: string) => relative(root, path).split(sep).join('/');
  const graph = new Map<string, string[]>();
  for (const file of sourceFiles(root)) {
    const info = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
    const targets: string[] = [];
    for (const { fileName } of info.importedFiles) {
      if (!fileName.startsWith('.')) continue;
      const target = resolveImport(file, fileName);
      if (target === null) throw new Error(`${inRoot(file)}: cannot resolve '${fileName}'`);
      if (target.startsWith(root)) targets.push(inRoot(target));
    }
    graph.set(inRoot(file), targets);
  }
  return graph;
}

/** Each cycle once, as the modules along it (Tarjan's strongly connected components). */
export function cycles(graph: Map<string, string[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  let next = 0;
  const visit = (node: string): void => {
    index.set(node, next);
    low.set(node, next);
    next += 1;
    stack.push(node);
    onStack.add(node);
    for (const target of graph.get(node) ?? []) {
      if (!index.has(target)) {
        visit(target);
        low.set(node, Math.min(low.get(node)!, low.get(target)!));
      } else if (onStack.has(target)) {
        low.set(node, Math.min(low.get(node)!, index.get(target)!));
      }
    }
    if (low.get(node) !== index.get(node)) return;
    const component: string[] = [];
    let member: string | undefined;
    do {
      member = stack.pop()!;
      onStack.delete(member);
      component.push(member);
    } while (member !== node);
    const selfImport = (graph.get(node) ?? []).includes(node);
    if (component.length > 1 || selfImport) found.push(component.sort());
  };
  for (const node of graph.keys()) if (!index.has(node)) visit(node);
  return found;
}

/** Modules whose paths differ only by case: one shadows the other on Windows and macOS. */
export function namedAlikeButForCase(graph: Map<string, string[]>): string[][] {
  const byFolded = new Map<string, string[]>();
  for (const path of graph.keys()) {
    const folded = path.replace(/\.tsx?$/, '').toLowerCase();
    byFolded.set(folded, [...(byFolded.get(folded) ?? []), path]);
  }
  return [...byFolded.values()].filter((paths) => paths.length > 1);
}
