import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { cycles, importGraph, namedAlikeButForCase } from '../support/import-graph';

/**
 * The station's modules (src-main) can be read one after another, each knowing only what it
 * imports: the ESLint layer rule keeps folders going one way, and this test keeps the modules
 * inside a folder from importing each other in a ring, types included (a ring of types is the
 * sign that a shared word has no home of its own).
 */
const MAIN = fileURLToPath(new URL('../../src-main/', import.meta.url));
const graph = importGraph(MAIN);

describe('station imports', () => {
  it('sees the station (the graph is not empty)', () => {
    expect(graph.get('station/services.ts')).toContain('catalogue/catalogue.ts');
    expect(graph.size).toBeGreaterThan(150);
  });

  it('have no cycles, not even of types', () => {
    expect(cycles(graph)).toEqual([]);
  });

  it('name no two modules alike but for case (one would shadow the other on Windows and macOS)', () => {
    expect(namedAlikeButForCase(graph)).toEqual([]);
  });
});
