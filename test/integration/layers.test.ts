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
