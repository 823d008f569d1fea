import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { cycles, importGraph, namedAlikeButForCase } from '../support/import-graph';

/**
 * The renderer's layout: the shell (`app/`) composes the screens (`features/<screen>/`), which
 * build on `shared/`; the API client and the catalogues sit below all of them. A screen that
 * imports another screen, or a module that ends up importing itself, is a change of layout in
 * disguise: this test names it instead.
 */
const RENDERER = fileURLToPath(new URL('../../src-renderer/', import.meta.url));
/** `features/cases/CaseView.tsx` → `cases`; null outside `features/`. */
function featureOf(path: string): string | null {
  const match = /^features\/([^/]+)\//.exec(path);
  return match?.[1] ?? null;
}

function edges(graph: Map<string, string[]>): { from: string; to: string }[] {
  return [...graph].flatMap(([from, targets]) => targets.map((to) => ({ from, to })));
}

const graph = importGraph(RENDERER);

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
    expect(namedAlikeButForCase(graph)).toEqual([]);
  });
});
