// D-NO-TAMPER, D-SUPERVISION: someone who can write the data dir but not read the keys rewrites
// history the only way left to them: the entry recording the station's keys is edited away, the
// chain re-hashed, every checkpoint, the checkpoint log and keys/ deleted. The station then finds
// nothing that refers to keys and makes new ones. Locally that cannot be told apart from a station
// that never had keys, but it cannot hide either: the keys now appear after ordinary history, the
// entry that records them says which entries came before, the station warns, and every verify
// names the entries no checkpoint sealed as they were written.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GENESIS_HASH } from '../../src-main/custody/audit-log';
import { startStation } from '../../src-main/station/lifecycle';
import { insider, rehashedRow, stationWithHistory } from '../support/audit-history';
import { tempDir } from '../support/temp';

let dir: ReturnType<typeof tempDir>;
beforeEach(() => {
  dir = tempDir('evidock-keys-after-');
});
afterEach(() => dir.remove());

type Logged = { level: string; message: string; details?: Record<string, unknown> };

function start(logged: Logged[] = []) {
  return startStation(
    {
      dataDir: dir.path,
      log: (level, message, details) => logged.push({ level, message, details }),
    },
    'browser',
  );
}

/**
 * The rewrite: the keys entry gone, the rest renumbered and re-hashed from the start so the chain
 * links, AUTOINCREMENT rewound; every checkpoint, the checkpoint log and keys/ deleted.
 */
function rewriteWithoutKeys(): number {
  return insider(dir.path, (db) => {
    const rows = (
      db.prepare('SELECT * FROM audit_log ORDER BY seq').all() as Record<string, string | number>[]
    ).filter((row) => row['action'] !== 'station.keys.created');
    db.exec('DELETE FROM audit_log');
    db.exec('DELETE FROM audit_checkpoints');
    const insert = db.prepare(
      `INSERT INTO audit_log (seq, at, actor, action, subject, details, prev_hash, hash)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    let prevHash = GENESIS_HASH;
    rows.forEach((row, i) => {
      const hash = rehashedRow(row, i + 1, prevHash);
      insert.run(
        i + 1,
        row['at'],
        row['actor'],
        row['action'],
        row['subject'],
        row['details'],
        prevHash,
        hash,
      );
      prevHash = hash;
    });
    db.prepare("UPDATE sqlite_sequence SET seq = ? WHERE name = 'audit_log'").run(rows.length);
    db.exec("DELETE FROM sqlite_sequence WHERE name = 'audit_checkpoints'");
    return rows.length;
  });
  // (the files outside the catalogue go below)
}

describe('D-NO-TAMPER: keys made after history are never silent', () => {
  it('a fresh station has no entries before its keys: no notice', async () => {
    await stationWithHistory(dir.path, 5);
    const station = start();
    try {
      const verification = station.services.audit.verify();
      expect(verification.ok).toBe(true);
      expect(verification.beforeKeys).toBeNull();
    } finally {
      await station.stop('done');
    }
  });

  it('history rewritten without its keys entry, checkpoints, log and keys deleted: the new keys say what came before, the station warns, verify names the range', async () => {
    await stationWithHistory(dir.path, 30);
    const kept = rewriteWithoutKeys();
    rmSync(join(dir.path, 'audit-checkpoints.log'));
    rmSync(join(dir.path, 'keys'), { recursive: true });

    const logged: Logged[] = [];
    const station = start(logged);
    try {
      const keysEntry = station.services.audit
        .list({ action: 'station.keys.created', limit: 5 })
        .entries.at(0)!;
      expect(keysEntry.seq).toBe(kept + 1);
      expect(keysEntry.details).toMatchObject({ unsealedBefore: kept + 1 });
      expect(
        logged.filter((l) => l.level === 'warn' && /before (these|the) keys/.test(l.message)),
      ).toHaveLength(1);

      // Not a failure (it cannot be told from a station upgraded from before keys), but said.
      const verification = station.services.audit.verify();
      expect(verification.ok).toBe(true);
      expect(verification.beforeKeys).toMatchObject({
        fromSeq: 1,
        toSeq: kept,
        keysSeq: kept + 1,
      });
      expect(verification.beforeKeys!.message).toContain(`#1–#${kept}`);
    } finally {
      await station.stop('done');
    }
  });
});
