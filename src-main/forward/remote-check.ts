import type { Catalogue } from '../catalogue/catalogue';
import type { TargetRecord } from '../catalogue/forwarding';
import type { AuditLog } from '../custody/audit-log';
import { openDestination } from './destinations';
import { describeFailure } from './remote-errors';
import type { SecretBox } from './secret-box';

/** A copy on a target that is not what it should be. */
export interface RemoteProblem {
  target: string;
  clipId: number;
  objectKey: string;
  /** `missing`, `size`, `sha256`, `sm3`, `etag`, `content`, or the server's error code. */
  problem: string;
  message: string;
}

export interface RemoteCheckReport {
  checked: number;
  readBack: number;
  problems: RemoteProblem[];
}

export interface RemoteCheckOptions {
  target?: string;
  /** Share of copies read back whole and hashed (0–100); the rest are checked by metadata and ETag. */
  readBackPercent: number;
  actor: string;
  signal: AbortSignal;
  random?: () => number;
}

const PAGE = 200;

/**
 * Proves again, later, what forwarding proved once (D-NO-TAMPER): every verified copy on a
 * target is asked for its size, hashes and ETag, and a share of them is read back whole. A copy
 * found missing or different is named, audited, and queued to be sent again.
 */
export class RemoteCheck {
  constructor(
    private readonly deps: {
      catalogue: Catalogue;
      audit: AuditLog;
      secrets: SecretBox;
      dataDir: string;
    },
  ) {}

  async run(options: RemoteCheckOptions): Promise<RemoteCheckReport> {
    const { catalogue } = this.deps;
    const random = options.random ?? Math.random;
    const report: RemoteCheckReport = { checked: 0, readBack: 0, problems: [] };
    const targets = catalogue.forwarding
      .targets()
      .filter((t) => options.target === undefined || t.name === options.target);
    for (const target of targets) {
      const found = await this.checkTarget(target, options, random, report);
      this.deps.audit.record({
        actor: options.actor,
        action: 'forward.remote.checked',
        subject: `forward-target:${target.name}`,
        details: { target: target.name, ...found, problems: found.problems },
      });
    }
    return report;
  }

  private async checkTarget(
    target: TargetRecord,
    options: RemoteCheckOptions,
    random: () => number,
    report: RemoteCheckReport,
  ): Promise<{ checked: number; readBack: number; problems: number }> {
    const { catalogue, audit } = this.deps;
    const destination = await openDestination(target, this.deps.secrets, this.deps.dataDir);
    const counts = { checked: 0, readBack: 0, problems: 0 };
    try {
      let after = 0;
      for (;;) {
        const page = catalogue.forwarding.verified(target.id, after, PAGE);
        if (page.length === 0) break;
        for (const item of page) {
          options.signal.throwIfAborted();
          after = item.id;
          const readBack = random() * 100 < options.readBackPercent;
          let problem: { problem: string; message: string } | null = null;
          try {
            const proof = await destination.proveClip(
              item,
              catalogue.forwarding.parts(item.id),
              readBack,
              options.signal,
            );
            if (proof.readBack) counts.readBack += 1;
            if (!proof.ok) problem = { problem: proof.problem!, message: proof.message! };
          } catch (error) {
            if (options.signal.aborted) throw error;
            // The target did not answer: nothing is known of this copy or the rest. Named, not
            // sent again (a copy is only queued again when it was seen to be wrong).
            const failure = describeFailure(error);
            counts.problems += 1;
            report.problems.push({
              target: target.name,
              clipId: item.clipId,
              objectKey: item.objectKey,
              problem: failure.code,
              message: `the target could not be checked: ${failure.message}`,
            });
            return counts;
          }
          counts.checked += 1;
          if (problem === null) {
            if (readBack) catalogue.write((tx) => tx.forwarding.markReadBack(item.id, now()));
            continue;
          }
          counts.problems += 1;
          report.problems.push({
            target: target.name,
            clipId: item.clipId,
            objectKey: item.objectKey,
            ...problem,
          });
          catalogue.write((tx) => {
            tx.forwarding.requeue(item.id);
            audit.append(tx, {
              actor: options.actor,
              action: 'clip.remote.problem',
              subject: `clip:${item.clipId}`,
              details: { target: target.name, key: item.objectKey, ...problem, requeued: true },
            });
          });
        }
      }
    } finally {
      destination.close();
      report.checked += counts.checked;
      report.readBack += counts.readBack;
    }
    return counts;
  }
}

function now(): string {
  return new Date().toISOString();
}
