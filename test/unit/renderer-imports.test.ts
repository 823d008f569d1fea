import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * The renderer's layout: the shell (`app/`) composes the screens (`features/<screen>/`), which
 * build on `shared/`; the API client and the catalogues sit below all of them. A screen that
 * imports another screen, or a module that ends up importing itself, is a change of layout in
 * disguise: this test names it instead.
 */
const RENDERER = fileURLToPath(new URL('../../src-renderer/', import.meta.url));
const RESOLVE_AS = ['', '.ts', '.tsx', '/index.ts', '/index.tsx'];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(name) ? [path] : [];
  });
}

/** A path inside the renderer, with forward slashes: `features/cases/CaseView.tsx`. */
function inRenderer(path: string): string {
  return relative(RENDERER, path).split(sep).join('/');
}

function resolveImport(from: string, specifier: string): string | null {
  for (const suffix of RESOLVE_AS) {
    const path = resolve(dirname(from), specifier + suffix);
    if (existsSync(path) && statSync(path).isFile()) return path;
  }
  return null;
}

/** Every relative import of the renderer's modules, static or `import()`, type-only or not. */
function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of sourceFiles(RENDERER)) {
    const info = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
    const targets: string[] = [];
    for (const { fileName } of info.importedFiles) {
      if (!fileName.startsWith('.')) continue;
      const target = resolveImport(file, fileName);
      if (target === null) throw new Error(`${inRenderer(file)}: cannot resolve '${fileName}'`);
      // The contract lives outside the renderer and imports nothing of it.
      if (target.startsWith(RENDERER)) targets.push(inRenderer(target));
    }
    graph.set(inRenderer(file), targets);
  }
  return graph;
}

/** Each cycle once, as the modules along it (Tarjan's strongly connected components). */
function cycles(graph: Map<string, string[]>): string[][] {
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

/** `features/cases/CaseView.tsx` → `cases`; null outside `features/`. */
function featureOf(path: string): string | null {
  const match = /^features\/([^/]+)\//.exec(path);
  return match?.[1] ?? null;
}

function edges(graph: Map<string, string[]>): { from: string; to: string }[] {
  return [...graph].flatMap(([from, targets]) => targets.map((to) => ({ from, to })));
}

const graph = importGraph();

describe('renderer imports', () => {
  it('sees the renderer (the graph is not empty)', () => {
    expect(graph.get('main.tsx')).toContain('app/Root.tsx');
    expect(graph.size).toBeGreaterThan(50);
  });

  it('have no cycles', () => {
    expect(cycles(graph)).toEqual([]);
  });

  it('finds a cycle when there is one', () => {
    const looped = new Map([
      ['a.ts', ['b.ts']],
      ['b.ts', ['c.ts']],
      ['c.ts', ['a.ts']],
      ['d.ts', ['d.ts']],
      ['e.ts', ['a.ts']],
    ]);
    expect(cycles(looped)).toEqual([['a.ts', 'b.ts', 'c.ts'], ['d.ts']]);
  });

  it('never go from one screen folder into another', () => {
    const across = edges(graph).filter(({ from, to }) => {
      const a = featureOf(from);
      const b = featureOf(to);
      return a !== null && b !== null && a !== b;
    });
    expect(across).toEqual([]);
  });

  it('go from the screens to shared/, never up to the shell', () => {
    const up = edges(graph).filter(
      ({ from, to }) => featureOf(from) !== null && to.startsWith('app/'),
    );
    expect(up).toEqual([]);
  });

  it('keep shared/ beneath the shell and the screens', () => {
    const up = edges(graph).filter(
      ({ from, to }) =>
        from.startsWith('shared/') && (to.startsWith('app/') || to.startsWith('features/')),
    );
    expect(up).toEqual([]);
  });

  it('name no two modules alike but for case (one would shadow the other on Windows and macOS)', () => {
    const byFolded = new Map<string, string[]>();
    for (const path of graph.keys()) {
      const folded = path.replace(/\.tsx?$/, '').toLowerCase();
      byFolded.set(folded, [...(byFolded.get(folded) ?? []), path]);
    }
    expect([...byFolded.values()].filter((paths) => paths.length > 1)).toEqual([]);
  });
});
