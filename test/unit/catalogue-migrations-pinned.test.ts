// Released migrations are append-only. A catalogue in the field records only the number of the
// last migration it ran (user_version), never what that migration said: an edited migration is
// never run again where it already ran, so stations that took the old text and new ones that take
// the new text would hold different schemas under the same version. Each migration file is
// pinned here by the SHA-256 of its bytes.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../../src-main/catalogue/migrations';

/** The SHA-256 of each released migration file, by its name in MIGRATIONS. */
const PINNED: Readonly<Record<string, string>> = {
  '0001-foundation': '0b1a0372313b026304d4ea5c0a6203dcffe6c6b4f15ac3d94ed53f44a16d9311',
  '0002-recorders-and-clips': '76407ab200e9809e44992de97f2f1985c3fbfa5b2ab3e484b3e21dbf8349b2a7',
  '0003-docking-outcome': '66b7469ef4e98386f1af32e8d3eebef8f241a32400794f4711e70aa2a6fcf297',
  '0004-labels-and-cases': '987ff050e2856737caaea8504202edadd6d6c7e81288542faed19bb96a91625b',
  '0005-sign-in-locks': '1f23d45a7d2f3fdfbf6ba31da2a9377cb9d74896e3571c84ab7e7845e9b1fab2',
  '0006-recorder-bindings': 'eb69c438c4c5669be63add17c1dd7726599df4b9f5dac68acac792f6b31a0f0a',
  '0007-audit-checkpoints': '50a0c1be667312a4a425b8f87600614690410d1f0f902c499e3f623ca37f5241',
  '0008-clip-facts-guard': 'fb87af0a749c2a77d870d0a9679ebefc7d905f5f64184c24e6df8a7cc26e25f5',
  '0009-forwarding': 'd05e49a327caff60a7d5f243e3c98b3667092354d999137e0309b61951287a46',
  '0010-discs': 'a8c3ea795170e4bfb15069f59cfeda4be54815dfbd7404bc0c8fcf133306ff58',
};

const DIR = new URL('../../src-main/catalogue/migrations/', import.meta.url);
const SHOWN_DIR = 'src-main/catalogue/migrations';

const WHAT_TO_DO =
  'Released migrations are never edited: catalogues that already ran one will not run it again. ' +
  'Undo the edit, put the change in a new migration (the next NNNN-name.sql in ' +
  `${SHOWN_DIR}, appended to MIGRATIONS in its index.ts), then pin the new file's SHA-256 in ` +
  'PINNED in this test.';

function fileOf(name: string): string {
  return fileURLToPath(new URL(`${name}.sql`, DIR));
}

function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

const files = readdirSync(DIR)
  .filter((f) => f.endsWith('.sql'))
  .map((f) => f.slice(0, -'.sql'.length))
  .sort();
const listed = MIGRATIONS.map((m) => m.name);

describe('released migrations', () => {
  it('every migration file is in MIGRATIONS, and every migration in MIGRATIONS has its file', () => {
    const unlisted = files.filter((f) => !listed.includes(f));
    const missing = listed.filter((m) => !files.includes(m));
    expect(
      unlisted,
      `${unlisted.map((f) => `${f}.sql`).join(', ')} in ${SHOWN_DIR} ` +
        'is not in MIGRATIONS: a migration runs only if its index.ts lists it, in order.',
    ).toEqual([]);
    expect(
      missing,
      `MIGRATIONS lists ${missing.join(', ')} but ${SHOWN_DIR} has no such .sql file.`,
    ).toEqual([]);
  });

  it('each file is numbered by the schema version it produces', () => {
    for (const m of MIGRATIONS) {
      expect(
        m.name.slice(0, 5),
        `${m.name} produces version ${m.version}: its name should begin with ` +
          `${String(m.version).padStart(4, '0')}-`,
      ).toBe(`${String(m.version).padStart(4, '0')}-`);
    }
  });

  it('every pinned migration is still there', () => {
    const gone = Object.keys(PINNED).filter((name) => !listed.includes(name));
    expect(
      gone,
      `${gone.join(', ')} was released and is gone from MIGRATIONS or ${SHOWN_DIR}. ${WHAT_TO_DO}`,
    ).toEqual([]);
  });

  it.each(MIGRATIONS.map((m) => [m.name, m] as const))(
    '%s is the file as released, and what the program runs',
    (name, migration) => {
      const bytes = readFileSync(fileOf(name));
      const actual = sha256(bytes);
      const pinned = PINNED[name];
      expect(
        pinned,
        `${name}.sql is not pinned. Once it is final, add this line to PINNED in this test:\n` +
          `  '${name}': '${actual}',`,
      ).toBeDefined();

      const text = bytes.toString('utf8');
      const onlyLineEnds =
        actual !== pinned &&
        text.includes('\r\n') &&
        sha256(Buffer.from(text.replaceAll('\r\n', '\n'), 'utf8')) === pinned;
      expect(
        actual,
        onlyLineEnds
          ? `${SHOWN_DIR}/${name}.sql differs from the released file only in its line ends (CRLF): ` +
              'check it out with LF line ends (git config core.autocrlf false, or the ' +
              'attribute eol=lf for *.sql).'
          : `${SHOWN_DIR}/${name}.sql was edited after its release (SHA-256 ${actual}, ` +
              `released as ${pinned}). ${WHAT_TO_DO}`,
      ).toBe(pinned);

      // The migration runs as the bundler imports it: that text must be the file's, unaltered.
      expect(
        migration.sql,
        `MIGRATIONS' ${name} is not the text of ${name}.sql as it is on disk`,
      ).toBe(text);
    },
  );
});
