import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../support/cli';

/**
 * The architecture is enforced by lint (layers are folders; imports go one way). These cases
 * prove the rule bites: each snippet is linted as if it lived at the given path.
 */
const eslint = new ESLint({ cwd: REPO_ROOT });

/** The rules that guard boundaries: the layer rule, and no-restricted-imports outside it. */
const BOUNDARY_RULES = new Set(['evidock/layers', 'no-restricted-imports']);

async function restrictedImports(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? [])
    .filter((m) => m.ruleId !== null && BOUNDARY_RULES.has(m.ruleId))
    .map((m) => m.message);
}

describe('import boundaries between layers', () => {
  it.each([
    [
      'src-renderer/features/x.ts',
      "import { readFileSync } from 'node:fs';\nexport const a = readFileSync;",
    ],
    [
      'src-renderer/features/x.ts',
      "import Database from 'better-sqlite3';\nexport const a = Database;",
    ],
    [
      'src-renderer/features/x.ts',
      "import { openStation } from '../../src-main/station/services';\nexport const a = openStation;",
    ],
    ['src-main/domain/x.ts', "import Database from 'better-sqlite3';\nexport const a = Database;"],
    [
      'src-main/domain/x.ts',
      "import { createHash } from 'node:crypto';\nexport const a = createHash;",
    ],
    [
      'src-main/contract/x.ts',
      "import { AuditLog } from '../custody/audit-log';\nexport const a = AuditLog;",
    ],
    [
      'src-main/catalogue/x.ts',
      "import { AuthService } from '../auth/auth-service';\nexport const a = AuthService;",
    ],
    ['src-main/station/x.ts', "import { app } from 'electron';\nexport const a = app;"],
    [
      'src-main/electron/x.ts',
      "import { openStation } from '../station/services';\nexport const a = openStation;",
    ],
    [
      'src-main/electron/x.ts',
      "import Database from 'better-sqlite3';\nexport const a = Database;",
    ],
  ])('%s may not: %s', async (path, code) => {
    expect(await restrictedImports(path, code)).not.toEqual([]);
  });

  it.each([
    [
      'src-renderer/features/x.ts',
      "import { METHODS } from '../../src-main/contract';\nexport const a = METHODS;",
    ],
    ['src-main/domain/x.ts', "import { ROLES } from '../contract';\nexport const a = ROLES;"],
    [
      'src-main/station/x.ts',
      "import { AuditLog } from '../custody/audit-log';\nexport const a = AuditLog;",
    ],
    ['src-main/electron/x.ts', "import { app } from 'electron';\nexport const a = app;"],
  ])('%s may: %s', async (path, code) => {
    expect(await restrictedImports(path, code)).toEqual([]);
  });
});

describe('imports that are not static declarations', () => {
  it.each([
    [
      'dynamic import',
      'src-main/catalogue/x.ts',
      "export const load = () => import('../custody/audit-log');",
    ],
    ['awaited dynamic import', 'src-main/contract/x.ts', "await import('../station/services');"],
    ['require', 'src-main/contract/x.ts', "export const m = require('../catalogue/clips');"],
    [
      'import = require',
      'src-main/catalogue/x.ts',
      "import auth = require('../auth/auth-service');\nexport const a = auth;",
    ],
    [
      'import type position',
      'src-main/domain/x.ts',
      "export type S = import('../station/services').Services;",
    ],
    [
      'typeof import',
      'src-main/domain/x.ts',
      "export type S = typeof import('../catalogue/clips');",
    ],
    ['export * from', 'src-main/catalogue/x.ts', "export * from '../auth/auth-service';"],
    ['export { } from', 'src-main/custody/x.ts', "export { Ingest } from '../ingest';"],
    [
      'template literal specifier',
      'src-main/custody/x.ts',
      'export const load = () => import(`../ingest`);',
    ],
    [
      'module augmentation',
      'src-main/domain/x.ts',
      "declare module '../catalogue/clips' {\n  interface Clip {\n    extra: string;\n  }\n}\nexport {};",
    ],
  ])('%s across layers is refused (%s: %s)', async (_how, path, code) => {
    expect(await restrictedImports(path, code)).not.toEqual([]);
  });

  it.each([
    ['src-main/station/x.ts', 'export const load = (name: string) => import(name);'],
    ['src-main/station/x.ts', 'export const load = (name: string) => import(`../${name}`);'],
    ['src-main/ingest/x.ts', 'export const load = (name: string): unknown => require(name);'],
    ['src-renderer/features/x.ts', 'export const load = (name: string) => import(name);'],
  ])(
    'a specifier that is not a literal cannot be checked, so it is refused: %s: %s',
    async (path, code) => {
      expect(await restrictedImports(path, code)).toEqual([
        expect.stringContaining('not a string literal'),
      ]);
    },
  );

  it.each([
    ['src-main/domain/x.ts', "export const load = () => import('node:fs');"],
    ['src-main/domain/x.ts', "export const m = require('fs/promises');"],
    ['src-main/contract/x.ts', "export const load = () => import('better-sqlite3');"],
    ['src-main/contract/x.ts', "export type W = import('ws').WebSocket;"],
    ['src-main/domain/x.ts', "export const load = () => import('chokidar');"],
    ['src-renderer/features/x.ts', "export const load = () => import('node:path');"],
    ['src-renderer/features/x.ts', "export const load = () => import('usb');"],
    ['src-renderer/features/x.ts', "export const m = require('electron');"],
    [
      'src-renderer/features/x.ts',
      "export const load = () => import('../../src-main/station/services');",
    ],
    ['src-renderer/features/x.ts', "export type S = import('../../src-main/domain').Clock;"],
    ['src-main/station/x.ts', "export const load = () => import('electron');"],
    ['src-main/ingest/x.ts', "export type App = import('electron').App;"],
    ['src-main/electron/x.ts', "export const load = () => import('node-hid');"],
  ])('%s may not reach it dynamically: %s', async (path, code) => {
    expect(await restrictedImports(path, code)).not.toEqual([]);
  });

  it.each([
    ['src-main/devices/x.ts', "export const load = async () => (await import('usb')).usb;"],
    ['src-main/station/x.ts', "export const load = () => import('../ingest/worker');"],
    ['src-main/station/cli/x.ts', "export const load = () => import('../services');"],
    ['src-main/electron/x.ts', "export const load = () => import('electron');"],
    ['src-renderer/features/x.ts', "export const load = () => import('../../src-main/contract');"],
    [
      'src-main/catalogue/x.ts',
      "class Store {\n  require(badge: string): string {\n    return badge;\n  }\n  a = this.require('../auth');\n}\nexport const s = new Store();",
    ],
  ])('%s may: %s', async (path, code) => {
    expect(await restrictedImports(path, code)).toEqual([]);
  });
});

describe('every file under src-main belongs to a declared layer', () => {
  it('a folder not in the layer list is refused until it is listed', async () => {
    expect(await restrictedImports('src-main/newthing/x.ts', 'export const a = 1;\n')).toEqual([
      expect.stringMatching(/src-main\/newthing is not a layer: add it to the layer list/),
    ]);
    expect(
      await restrictedImports('src-main/newthing/deeper/x.tsx', 'export const a = 1;\n'),
    ).not.toEqual([]);
  });

  it('a layer may not import a folder that is not a layer', async () => {
    expect(
      await restrictedImports(
        'src-main/station/x.ts',
        "import { a } from '../newthing/x';\nexport const b = a;",
      ),
    ).toEqual([expect.stringContaining('not a layer')]);
  });

  it('only module declarations sit directly in src-main', async () => {
    expect(await restrictedImports('src-main/x.ts', 'export const a = 1;\n')).not.toEqual([]);
    expect(
      await restrictedImports(
        'src-main/assets.d.ts',
        "declare module '*.txt' {\n  const text: string;\n  export default text;\n}\n",
      ),
    ).toEqual([]);
  });

  it('the declarations already there pass', async () => {
    expect(await restrictedImports('src-main/sql.d.ts', "declare module '*.sql' {}\n")).toEqual([]);
  });
});

describe('the layer table, resolved by path', () => {
  it.each([
    ['src-main/dock/x.ts', "import { Ingest } from '../ingest';\nexport const a = Ingest;"],
    [
      'src-main/filing/x.ts',
      "import { clipPath } from '../archive/paths';\nexport const a = clipPath;",
    ],
    [
      'src-main/reports/x.ts',
      "import { compliance } from '../catalogue/compliance';\nexport const a = compliance;",
    ],
    [
      'src-main/custody/x.ts',
      "import { clipPath } from '../archive/paths.js';\nexport const a = clipPath;",
    ],
    [
      'src-main/catalogue/x.ts',
      "import { ROLES } from '../../src-main/contract';\nexport const a = ROLES;",
    ],
    [
      'src-main/catalogue/x.ts',
      "import { clock } from '../domain/index.js';\nexport const a = clock;",
    ],
    ['src-main/catalogue/x.ts', "import { Clips } from './clips';\nexport const a = Clips;"],
    [
      'src-main/catalogue/migrations/x.ts',
      "import { migrate } from '../migrate';\nexport const a = migrate;",
    ],
    [
      'src-main/station/cli/x.ts',
      "import { ROLES } from '../../contract';\nexport const a = ROLES;",
    ],
    [
      'src-main/station/dock/x.ts',
      "import { openStation } from '../services';\nexport const a = openStation;",
    ],
    [
      'src-main/station/x.ts',
      "import { Report } from '../reports/compliance-pdf';\nexport const a = Report;",
    ],
  ])('%s may: %s', async (path, code) => {
    expect(await restrictedImports(path, code)).toEqual([]);
  });

  it.each([
    ['src-main/archive/x.ts', "import { Clips } from '../catalogue';\nexport const a = Clips;"],
    [
      'src-main/filing/x.ts',
      "import { DockService } from '../dock/dock-service';\nexport const a = DockService;",
    ],
    ['src-main/catalogue/x.ts', "import { paths } from '../archive';\nexport const a = paths;"],
    [
      'src-main/devices/x.ts',
      "import { Clips } from '../catalogue/clips';\nexport const a = Clips;",
    ],
    [
      'src-main/reports/x.ts',
      "import { Ingest } from '../ingest/index.js';\nexport const a = Ingest;",
    ],
    [
      'src-main/catalogue/x.ts',
      "import { AuditLog } from '../../src-main/custody';\nexport const a = AuditLog;",
    ],
    [
      'src-main/catalogue/migrations/x.ts',
      "import { AuditLog } from '../../custody/audit-log';\nexport const a = AuditLog;",
    ],
    [
      'src-main/station/cli/x.ts',
      "import { main } from '../../electron/main';\nexport const a = main;",
    ],
    ['src-main/catalogue/x.ts', "import { Ingest } from '../ingest.js';\nexport const a = Ingest;"],
    ['src-main/catalogue/x.ts', "import { all } from '..';\nexport const a = all;"],
    ['src-main/contract/x.ts', "import { now } from '../domain/clock';\nexport const a = now;"],
  ])('%s may not: %s', async (path, code) => {
    expect(await restrictedImports(path, code)).not.toEqual([]);
  });
});
