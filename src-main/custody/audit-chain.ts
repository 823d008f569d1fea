import { createHash } from 'node:crypto';
import type { StoredAuditEntry } from '../catalogue/audit-entries';
import type { AuditEntry } from '../contract';
import { canonicalJson } from './canonical';

/** The previous-hash of the first entry. */
export const GENESIS_HASH = '0'.repeat(64);

/** SHA-256 over the canonical encoding of every field but the hash itself. */
export function entryHash(entry: Omit<AuditEntry, 'hash'>): string {
  const { seq, at, actor, action, subject, details, prevHash } = entry;
  return createHash('sha256')
    .update(canonicalJson({ seq, at, actor, action, subject, details, prevHash }), 'utf8')
    .digest('hex');
}

/** An entry with its details parsed from the canonical JSON they are stored as. */
export function parsedEntry(stored: StoredAuditEntry): AuditEntry {
  return { ...stored, details: JSON.parse(stored.details) as Record<string, unknown> };
}
