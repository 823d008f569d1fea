import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Catalogue } from '../catalogue/catalogue';
import type { TargetRecord } from '../catalogue/forwarding';
import { CheckpointLog, checkpointLogPath } from '../custody/checkpoint-log';
import { KEY_FILES } from '../custody/station-keys';
import type { Destination } from './destination';

/** The most entries one segment carries (checkpoints come at least every 100 entries). */
const SEGMENT_ENTRIES = 10_000;

const pad = (seq: number) => String(seq).padStart(12, '0');

/**
 * The audit log sent to a target in segments, each ending at a signed checkpoint (D-NO-TAMPER):
 *
 *   audit/segment-<from>-<through>.jsonl             the entries, as stored (hash chain intact)
 *   audit/segment-<from>-<through>.checkpoints.log   the lines of audit-checkpoints.log sealing them
 *   audit/keys/sm2.pub.pem, audit/keys/ed25519.pub.pem
 *
 * Once a segment is on the central side, cutting or rewriting those entries at the station
 * shows against it: the central copy holds the chain and the signatures made at the time.
 */
export class AuditSegments {
  constructor(private readonly deps: { catalogue: Catalogue; dataDir: string; now: () => Date }) {}

  async send(target: TargetRecord, destination: Destination, signal: AbortSignal): Promise<number> {
    const { catalogue } = this.deps;
    let sent = 0;
    for (;;) {
      signal.throwIfAborted();
      const from = (catalogue.forwarding.lastAuditSegment(target.id)?.throughSeq ?? 0) + 1;
      const seal = catalogue.checkpoints.sealingFrom(from, from + SEGMENT_ENTRIES - 1);
      if (seal === undefined) return sent;
      if (from === 1) await this.sendKeys(target, destination, signal);
      const through = seal.headSeq;
      const entries = catalogue.audit.range(from, through);
      const body = Buffer.from(entries.map((e) => `${JSON.stringify(e)}\n`).join(''));
      const lines = this.checkpointLines(from, through);
      const base = `${target.prefix}audit/segment-${pad(from)}-${pad(through)}`;
      await destination.putDocument(`${base}.jsonl`, body, signal, { once: true });
      await destination.putDocument(`${base}.checkpoints.log`, lines, signal, { once: true });
      catalogue.write((tx) =>
        tx.forwarding.recordAuditSegment(target.id, {
          fromSeq: from,
          throughSeq: through,
          objectKey: `${base}.jsonl`,
          size: body.length,
          sha256: sha256Hex(body),
          sentAt: this.deps.now().toISOString(),
          checkpointsSize: lines.length,
          checkpointsSha256: sha256Hex(lines),
        }),
      );
      sent += 1;
    }
  }

  /** The lines of audit-checkpoints.log whose checkpoint seals an entry of the segment. */
  private checkpointLines(from: number, through: number): Buffer {
    const lines = new CheckpointLog(checkpointLogPath(this.deps.dataDir)).read() ?? [];
    const kept = lines.filter((line) => {
      try {
        const head = (JSON.parse(line.text) as { headSeq?: unknown }).headSeq;
        return typeof head === 'number' && head >= from && head <= through;
      } catch {
        // A line the log's own check names; the segment carries only what parses.
        return false;
      }
    });
    return Buffer.from(kept.map((line) => `${line.text}\n`).join(''));
  }

  private async sendKeys(
    target: TargetRecord,
    destination: Destination,
    signal: AbortSignal,
  ): Promise<void> {
    for (const name of [KEY_FILES.sm2Public, KEY_FILES.ed25519Public]) {
      const body = await readFile(join(this.deps.dataDir, 'keys', name));
      await destination.putDocument(`${target.prefix}audit/keys/${name}`, body, signal, {
        once: true,
      });
    }
  }
}

function sha256Hex(body: Buffer): string {
  return createHash('sha256').update(body).digest('hex');
}
