import type { Sql } from './sql';

/** A row of audit_checkpoints as SQLite stores it. */
interface CheckpointRow {
  seq: number;
  head_seq: number;
  head_hash: string;
  at: string;
  reason: string;
  sm2_fingerprint: string;
  ed25519_fingerprint: string;
  sm2_signature: string;
  ed25519_signature: string;
}

/**
 * A signed checkpoint as the catalogue keeps it: which entry it seals, the fingerprints (SHA-256)
 * of the keys that signed it and both signatures (base64). What the signatures cover, and how,
 * is custody's (checkpoint-format.ts); the catalogue only keeps the fields.
 */
export interface StoredCheckpoint {
  seq: number;
  headSeq: number;
  headHash: string;
  at: string;
  reason: string;
  keys: { sm2: string; ed25519: string };
  signatures: { sm2: string; ed25519: string };
}

function fromRow(row: CheckpointRow): StoredCheckpoint {
  return {
    seq: row.seq,
    headSeq: row.head_seq,
    headHash: row.head_hash,
    at: row.at,
    reason: row.reason,
    keys: { sm2: row.sm2_fingerprint, ed25519: row.ed25519_fingerprint },
    signatures: { sm2: row.sm2_signature, ed25519: row.ed25519_signature },
  };
}

/** The audit_checkpoints table (rule D-NO-TAMPER); it refuses updates and deletes by trigger. */
export class AuditCheckpointReads {
  constructor(protected readonly sql: Sql) {}

  /** The newest checkpoint, or undefined before the first. */
  newest(): StoredCheckpoint | undefined {
    const row = this.sql
      .read<[], CheckpointRow>('SELECT * FROM audit_checkpoints ORDER BY seq DESC LIMIT 1')
      .get();
    return row === undefined ? undefined : fromRow(row);
  }

  /** The highest checkpoint number ever issued, even for checkpoints removed since. */
  highestIssuedSeq(): number {
    const row = this.sql
      .read<[], { seq: number }>("SELECT seq FROM sqlite_sequence WHERE name = 'audit_checkpoints'")
      .get();
    return row?.seq ?? 0;
  }

  /** Every checkpoint numbered above `seq`, oldest first (what the checkpoint log still lacks). */
  /**
   * The checkpoint sealing the furthest entry from `fromHead` through `toHead`; failing that, the
   * first sealing one past `fromHead`.
   */
  sealingFrom(fromHead: number, toHead: number): StoredCheckpoint | undefined {
    const within = this.sql
      .read<[number, number], CheckpointRow>(
        `SELECT * FROM audit_checkpoints WHERE head_seq >= ? AND head_seq <= ?
         ORDER BY head_seq DESC, seq DESC LIMIT 1`,
      )
      .get(fromHead, toHead);
    const row =
      within ??
      this.sql
        .read<[number], CheckpointRow>(
          'SELECT * FROM audit_checkpoints WHERE head_seq >= ? ORDER BY head_seq, seq LIMIT 1',
        )
        .get(fromHead);
    return row === undefined ? undefined : fromRow(row);
  }

  after(seq: number): StoredCheckpoint[] {
    return this.sql
      .read<[number], CheckpointRow>('SELECT * FROM audit_checkpoints WHERE seq > ? ORDER BY seq')
      .all(seq)
      .map(fromRow);
  }

  /** Every checkpoint, oldest first. There are about one per hundred entries: a list is fine. */
  all(): StoredCheckpoint[] {
    return this.after(0);
  }
}

/** The audit_checkpoints table, appended to inside a catalogue transaction. */
export class AuditCheckpointRepository extends AuditCheckpointReads {
  insert(checkpoint: StoredCheckpoint): void {
    this.sql
      .write(
        `INSERT INTO audit_checkpoints (seq, head_seq, head_hash, at, reason, sm2_fingerprint,
           ed25519_fingerprint, sm2_signature, ed25519_signature)
         VALUES (@seq, @headSeq, @headHash, @at, @reason, @sm2Fingerprint, @ed25519Fingerprint,
           @sm2Signature, @ed25519Signature)`,
      )
      .run({
        seq: checkpoint.seq,
        headSeq: checkpoint.headSeq,
        headHash: checkpoint.headHash,
        at: checkpoint.at,
        reason: checkpoint.reason,
        sm2Fingerprint: checkpoint.keys.sm2,
        ed25519Fingerprint: checkpoint.keys.ed25519,
        sm2Signature: checkpoint.signatures.sm2,
        ed25519Signature: checkpoint.signatures.ed25519,
      });
  }
}
