// The disc register is evidence of what was burned, proven and handed over (D-NO-TAMPER): what a
// burn or a set was, its checks and its handovers cannot be rewritten or deleted in the file, by
// the station or by anyone with the sqlite shell; only a burn's outcome and later checks are added.
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildCatalogue } from '../fixtures/catalogue-upgrade';
import { tempDir } from '../support/temp';

const dir = tempDir('disc-register-');
afterAll(() => dir.remove());

function register(): Database.Database {
  const file = join(dir.path, `${Math.random().toString(36).slice(2)}.sqlite`);
  buildCatalogue(file, 10);
  return new Database(file);
}

describe('the disc register’s history', () => {
  it.each([
    ["UPDATE discs SET manifest_sha256 = 'x' WHERE id = 1", /kept as it was recorded/],
    ["UPDATE discs SET image_sha256 = 'x' WHERE id = 1", /kept as it was recorded/],
    ["UPDATE discs SET burned_by = 'X999' WHERE id = 1", /kept as it was recorded/],
    ['UPDATE discs SET n = 2 WHERE id = 1', /kept as it was recorded/],
    ["UPDATE discs SET state = 'burning' WHERE id = 1", /moves only from burning/],
    ["UPDATE discs SET state = 'verified' WHERE id = 2", /moves only from burning/],
    ['DELETE FROM discs WHERE id = 2', /stays in the register/],
    ['UPDATE disc_sets SET discs = 1, copies = 1 WHERE id = 1', /keeps what it was planned as/],
    ['DELETE FROM disc_sets WHERE id = 1', /stays in the register/],
    ['UPDATE disc_checks SET ok = 1', /append-only/],
    ['DELETE FROM disc_checks', /append-only/],
    ["UPDATE disc_handovers SET to_whom = 'x'", /append-only/],
    ['DELETE FROM disc_set_clips', /keeps the clips it was planned with/],
  ])('refuses %s', (sql, refusal) => {
    const db = register();
    try {
      expect(() => db.exec(sql)).toThrow(refusal);
    } finally {
      db.close();
    }
  });

  it('lets a verified disc fail a re-check, move, and be checked again later', () => {
    const db = register();
    try {
      db.exec(`UPDATE discs SET state = 'failed', next_check_due = NULL,
        last_checked_at = '2030-12-01T00:00:00.000Z', location = '档案室' WHERE id = 1`);
      db.exec("UPDATE disc_sets SET staged_at = '2026-12-09T00:00:00.000Z' WHERE id = 1");
      expect(db.prepare('SELECT state, location FROM discs WHERE id = 1').get()).toEqual({
        state: 'failed',
        location: '档案室',
      });
    } finally {
      db.close();
    }
  });
});
