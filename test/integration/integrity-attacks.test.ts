// D-NO-TAMPER as an insider at the station would try to break it: a raw connection to the
// catalogue (the sqlite3 shell, or better-sqlite3 as here) and the archive's files, then the real
// `evidock verify`. The audit chain still holds each clip's `clip.archived` entry and its hash:
// the sweep holds the archive and the catalogue to it, so neither a clip taken away nor one
// swapped for other bytes (its row and sidecar rewritten to match) passes unnoticed.
import Database from 'better-sqlite3';
import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli';
import { dropClipTriggers } from '../support/core-station';
import { testVolume, type TestVolume } from '../support/ingest-station';
import { tempDir } from '../support/temp';

const ADMIN_PW = 'admin pass 1';
const CUSTODIAN_PW = 'custodian pass 1';
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

interface ArchivedClip {
  id: number;
  archivePath: string;
  sha256: string;
  size: number;
}

interface Problem {
  code: string;
  clipId: number | null;
  archivePath: string;
  message: string;
  details: Record<string, unknown>;
}

interface VerifyFailure {
  error: { code: string; message: string; details: { report: { problems: Problem[] } } };
}

describe('D-NO-TAMPER: an archived clip cannot be taken away or swapped unnoticed', () => {
  let dir: ReturnType<typeof tempDir>;
  let volume: TestVolume;
  let clips: ArchivedClip[];
  const at = (...args: string[]): string[] => [...args, '--data-dir', dir.path, '--json'];
  const abs = (rel: string) => join(dir.path, ...rel.split('/'));

  /** The insider's own connection to the catalogue file, past the station's code. */
  const rawCatalogue = () => new Database(join(dir.path, 'catalogue.sqlite'));
  /** What an insider does first with the sqlite3 shell: the clips table's guards are removed. */
  const dropGuards = (db: Database.Database) => {
    dropClipTriggers(db);
    // The sqlite3 shell's default: nothing stops a row that others point at from going.
    db.pragma('foreign_keys = OFF');
  };

  beforeEach(async () => {
    dir = tempDir();
    volume = testVolume();
    await runCli(
      at('users', 'add', '--badge', 'A001', '--name', '管理', '--role', 'admin'),
      `${ADMIN_PW}\n`,
    );
    await runCli(
      at(
        'users',
        'add',
        '--badge',
        'C001',
        '--name',
        '专人',
        '--role',
        'custodian',
        '--user',
        'A001',
      ),
      `${ADMIN_PW}\n${CUSTODIAN_PW}\n`,
    );
    const registered = await runCli(
      at(
        'recorders',
        'register',
        '--serial',
        'CAM01',
        '--profile',
        'generic-dcim',
        '--user',
        'C001',
      ),
      `${CUSTODIAN_PW}\n`,
    );
    expect(registered.code, registered.stdout).toBe(0);
    for (const name of ['A', 'B', 'C'])
      volume.add({ path: `DCIM/100MEDIA/${name}.MP4`, size: 6000 });
    const ingest = await runCli(at('ingest', volume.root, '--recorder', 'CAM01'));
    expect(ingest.code, ingest.stdout).toBe(0);
    clips = (ingest.json() as { clips: ArchivedClip[] }).clips;
    expect((await runCli(at('verify'))).code).toBe(0);
  });
  afterEach(() => {
    volume.remove();
    dir.remove();
  });

  it('the catalogue refuses, even to a raw connection, to delete a clip or change its proven facts', () => {
    const db = rawCatalogue();
    try {
      const clip = clips[0]!;
      expect(() => db.prepare('DELETE FROM clips WHERE id = ?').run(clip.id)).toThrow(
        /D-NO-TAMPER/,
      );
      const facts: [string, unknown][] = [
        ['sha256', 'f'.repeat(64)],
        ['sm3', 'e'.repeat(64)],
        ['original_size', 1],
        ['archive_path', 'archive/elsewhere.MP4'],
        ['original_path', 'DCIM/OTHER.MP4'],
        ['original_mtime', '2020-01-01T00:00:00.000Z'],
        ['recorder_serial', 'CAM02'],
        ['docking_id', 99],
        ['recorded_start', '2020-01-01T00:00:00.000Z'],
        ['recorded_end', '2020-01-01T00:01:00.000Z'],
        ['custody_at', '2020-01-01T00:00:00.000Z'],
        ['kind', 'photo'],
        ['id', 999],
      ];
      for (const [column, value] of facts) {
        expect(
          () => db.prepare(`UPDATE clips SET ${column} = ? WHERE id = ?`).run(value, clip.id),
          column,
        ).toThrow(/D-NO-TAMPER/);
      }
      // REPLACE deletes the row it collides with and fires no delete trigger.
      expect(() =>
        db
          .prepare(
            `INSERT OR REPLACE INTO clips (id, recorder_serial, docking_id, original_path,
               original_size, original_mtime, kind, sha256, archive_path, status, custody_at)
             SELECT id, recorder_serial, docking_id, original_path, original_size, original_mtime,
               kind, ?, archive_path, status, custody_at FROM clips WHERE id = ?`,
          )
          .run('f'.repeat(64), clip.id),
      ).toThrow(/D-NO-TAMPER/);
      // What the station changes on its own after archiving stays changeable.
      db.prepare('UPDATE clips SET thumbnail_path = ?, cleared_at = ? WHERE id = ?').run(
        `thumbnails/ab/${clip.sha256}.jpg`,
        new Date().toISOString(),
        clip.id,
      );
      db.prepare('UPDATE clips SET labelled = 1, late_custody = 1 WHERE id = ?').run(clip.id);
      db.prepare("UPDATE clips SET officer_badge = 'P100' WHERE id = ?").run(clip.id);
      const row = db.prepare('SELECT sha256 FROM clips WHERE id = ?').get(clip.id) as {
        sha256: string;
      };
      expect(row.sha256).toBe(clip.sha256);
    } finally {
      db.close();
    }
  });

  it('a clip removed from catalogue and archive (guards dropped) is named by evidock verify', async () => {
    const gone = clips[1]!;
    const db = rawCatalogue();
    dropGuards(db);
    db.prepare('DELETE FROM clips WHERE id = ?').run(gone.id);
    db.close();
    chmodSync(abs(gone.archivePath), 0o644);
    rmSync(abs(gone.archivePath));
    rmSync(abs(`${gone.archivePath}.evidock.json`));

    // The chain itself was not touched: audit verify has nothing to say.
    expect((await runCli(at('audit', 'verify'))).code).toBe(0);
    const run = await runCli(at('verify'));
    expect(run.code, run.stdout).not.toBe(0);
    const body = run.json() as VerifyFailure;
    expect(body.error.code).toBe('INTEGRITY_FAILED');
    expect(body.error.message).toContain(gone.archivePath);
    const named = body.error.details.report.problems.filter((p) => p.clipId === gone.id);
    expect(named.map((p) => p.code)).toEqual(['vanished']);
    expect(named[0]).toMatchObject({
      archivePath: gone.archivePath,
      details: { recorderSerial: 'CAM01', sha256: gone.sha256 },
    });
    expect(named[0]!.details.recordedOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(named[0]!.message).toContain('CAM01');
  });

  it('a clip swapped for other bytes, its row and sidecar rewritten to match, is named', async () => {
    const swapped = clips[2]!;
    const bytes = randomBytes(swapped.size);
    const forged = sha256(bytes);
    chmodSync(abs(swapped.archivePath), 0o644);
    writeFileSync(abs(swapped.archivePath), bytes);
    const sidecarPath = abs(`${swapped.archivePath}.evidock.json`);
    const sidecar = JSON.parse(readFileSync(sidecarPath, 'utf8')) as {
      clip: { sha256: string };
      custody: { details?: { sha256?: string } }[];
    };
    sidecar.clip.sha256 = forged;
    for (const event of sidecar.custody) if (event.details?.sha256) event.details.sha256 = forged;
    chmodSync(sidecarPath, 0o644);
    writeFileSync(sidecarPath, JSON.stringify(sidecar, null, 2) + '\n');
    const db = rawCatalogue();
    dropGuards(db);
    db.prepare('UPDATE clips SET sha256 = ? WHERE id = ?').run(forged, swapped.id);
    db.close();

    expect((await runCli(at('audit', 'verify'))).code).toBe(0);
    const run = await runCli(at('verify'));
    expect(run.code, run.stdout).not.toBe(0);
    const body = run.json() as VerifyFailure;
    expect(body.error.code).toBe('INTEGRITY_FAILED');
    expect(body.error.message).toContain(swapped.archivePath);
    const named = body.error.details.report.problems.filter((p) => p.clipId === swapped.id);
    expect(named.map((p) => p.code)).toEqual(['rewritten']);
    expect(named[0]!.details).toMatchObject({
      recorderSerial: 'CAM01',
      chainSha256: swapped.sha256,
      catalogueSha256: forged,
    });
  });
});
