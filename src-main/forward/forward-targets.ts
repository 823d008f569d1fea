import { realpath } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { z } from 'zod';
import { within } from '../archive';
import type { Catalogue } from '../catalogue/catalogue';
import type { TargetRecord } from '../catalogue/forwarding';
import {
  OUTBOX_STATES,
  RpcError,
  type addTargetSchema,
  type changeTargetSchema,
  type ClipForwarding,
  type ForwardTarget,
  type OutboxFailure,
  type TargetQueue,
  type TargetTest,
} from '../contract';
import type { AuditLog } from '../custody/audit-log';
import { openDestination } from './destinations';
import { FolderDestination } from './folder-destination';
import { describeFailure } from './remote-errors';
import type { RateMeter } from './rate-meter';
import type { SecretBox } from './secret-box';

export type AddTarget = z.output<typeof addTargetSchema>;
export type ChangeTarget = z.output<typeof changeTargetSchema>;

export interface ForwardTargetsDeps {
  catalogue: Catalogue;
  audit: AuditLog;
  secrets: SecretBox;
  now: () => Date;
  meter: RateMeter;
  /** The prefix a target gets when none is given: one of this station's own. */
  defaultPrefix: () => string;
  /** The station's data dir: a folder target may neither lie in it nor hold it. */
  dataDir: string;
  /** A target removed or turned off: what is under way to it in this process stops at once. */
  withdrawn?: (targetId: number) => void;
}

/** A folder as it really is (links resolved); as given when it does not exist (refused later). */
async function realFolder(path: string): Promise<string> {
  return realpath(resolve(path)).catch(() => resolve(path));
}

/** A target as the contract shows it: its secret only as whether it has one. */
export function targetView(record: TargetRecord): ForwardTarget {
  const { secretSealed, queuedThrough: _through, removedAt: _removed, ...rest } = record;
  return { ...rest, hasSecret: secretSealed !== null };
}

/** What the audit log says of a target's settings: never its keys, only that they were set. */
function auditedSettings(record: TargetRecord): Record<string, unknown> {
  const {
    secretSealed,
    queuedThrough: _t,
    stopped: _s,
    addedBy: _b,
    addedAt: _a,
    ...rest
  } = record;
  return { ...rest, keys: secretSealed === null ? 'none' : 'set' };
}

/**
 * Custodians' central-storage targets (D-24H, D-CUSTODIAN): added, tested, changed, removed,
 * each audited under the session's user; their keys are write-only.
 */
export class ForwardTargets {
  constructor(private readonly deps: ForwardTargetsDeps) {}

  list(): ForwardTarget[] {
    return this.deps.catalogue.forwarding.targets().map(targetView);
  }

  private require(name: string): TargetRecord {
    const target = this.deps.catalogue.forwarding.target(name);
    if (target === undefined) throw new RpcError('NOT_FOUND', `No central storage target ${name}.`);
    return target;
  }

  async add(input: AddTarget, actor: string): Promise<ForwardTarget> {
    const { catalogue, audit, secrets, now } = this.deps;
    // Kept as the absolute folder checked here: a relative one would be resolved again by each
    // process against its own working folder, elsewhere than what was checked.
    let folderPath: string | null = null;
    if (input.kind === 'folder') {
      const folder = await realFolder(input.folderPath!);
      folderPath = folder;
      const dataDir = await realFolder(this.deps.dataDir);
      // Copies written into the archive would pass for footage inserted behind the catalogue's
      // back, and the data dir's own files would land among the copies (D-NO-TAMPER).
      if (folder === dataDir || within(dataDir, folder) || within(folder, dataDir)) {
        throw new RpcError(
          'BAD_REQUEST',
          `${input.folderPath} overlaps the station's data folder: central storage is somewhere else.`,
        );
      }
      try {
        await FolderDestination.claim(folder);
      } catch (error) {
        throw new RpcError('BAD_REQUEST', describeFailure(error).message);
      }
    }
    const sealed =
      input.kind === 's3'
        ? secrets.seal({ accessKeyId: input.accessKeyId!, secretAccessKey: input.secretAccessKey! })
        : null;
    return catalogue.write((tx) => {
      if (tx.forwarding.target(input.name) !== undefined) {
        throw new RpcError('ALREADY_EXISTS', `A target named ${input.name} exists already.`);
      }
      const record = tx.forwarding.addTarget({
        name: input.name,
        kind: input.kind,
        endpoint: input.kind === 's3' ? input.endpoint! : null,
        bucket: input.kind === 's3' ? input.bucket! : null,
        region: input.kind === 's3' ? (input.region ?? null) : null,
        pathStyle: input.kind === 's3' && input.pathStyle,
        folderPath,
        prefix: input.prefix ?? this.deps.defaultPrefix(),
        secretSealed: sealed,
        concurrency: input.concurrency,
        partSize: input.partSizeMiB * 1024 * 1024,
        schedule: input.schedule,
        readBackPercent: input.readBackPercent,
        addedBy: actor,
        addedAt: now().toISOString(),
      });
      audit.append(tx, {
        actor,
        action: 'forward.target.added',
        subject: `forward-target:${record.name}`,
        details: auditedSettings(record),
      });
      return targetView(record);
    });
  }

  /** Connection, bucket, write, read and delete of a probe object: each step's outcome. */
  async test(name: string, actor: string, signal: AbortSignal): Promise<TargetTest> {
    const target = this.require(name);
    let result: TargetTest;
    try {
      const destination = await openDestination(target, this.deps.secrets, this.deps.dataDir);
      try {
        result = await destination.test(signal);
      } finally {
        destination.close();
      }
    } catch (error) {
      const failure = describeFailure(error);
      result = {
        ok: false,
        steps: [{ step: 'connect', ok: false, code: failure.code, message: failure.message }],
        partChecksums: null,
      };
    }
    this.deps.catalogue.write((tx) => {
      if (result.partChecksums !== null) {
        tx.forwarding.setPartChecksums(target.id, result.partChecksums);
      }
      const failed = result.steps.find((s) => !s.ok);
      this.deps.audit.append(tx, {
        actor,
        action: 'forward.target.tested',
        subject: `forward-target:${target.name}`,
        details: {
          target: target.name,
          ok: result.ok,
          ...(failed && { step: failed.step, code: failed.code, message: failed.message }),
        },
      });
    });
    return result;
  }

  change(input: ChangeTarget, actor: string): ForwardTarget {
    const { catalogue, audit, secrets } = this.deps;
    const sealed =
      input.accessKeyId !== undefined
        ? secrets.seal({ accessKeyId: input.accessKeyId, secretAccessKey: input.secretAccessKey! })
        : null;
    return catalogue.write((tx) => {
      const before = tx.forwarding.target(input.name);
      if (before === undefined) {
        throw new RpcError('NOT_FOUND', `No central storage target ${input.name}.`);
      }
      if (sealed !== null && before.kind !== 's3') {
        throw new RpcError('BAD_REQUEST', 'A folder target has no keys.');
      }
      tx.forwarding.setSchedule(before.id, input);
      if (sealed !== null) tx.forwarding.setSecret(before.id, sealed);
      if (input.enabled !== undefined) tx.forwarding.setEnabled(before.id, input.enabled);
      if (input.enabled === false) tx.afterCommit(() => this.deps.withdrawn?.(before.id));
      const after = tx.forwarding.targetById(before.id)!;
      audit.append(tx, {
        actor,
        action: 'forward.target.changed',
        subject: `forward-target:${after.name}`,
        details: {
          target: after.name,
          before: auditedSettings(before),
          after: auditedSettings(after),
          ...(sealed !== null && { keys: 'replaced' }),
          ...(before.stopped !== null && after.stopped === null && { cleared: before.stopped }),
        },
      });
      return targetView(after);
    });
  }

  remove(name: string, actor: string): void {
    this.deps.catalogue.write((tx) => {
      const target = tx.forwarding.target(name);
      if (target === undefined)
        throw new RpcError('NOT_FOUND', `No central storage target ${name}.`);
      tx.forwarding.remove(target.id, this.deps.now().toISOString());
      tx.afterCommit(() => this.deps.withdrawn?.(target.id));
      this.deps.audit.append(tx, {
        actor,
        action: 'forward.target.removed',
        subject: `forward-target:${target.name}`,
        details: auditedSettings(target),
      });
    });
  }

  retry(name: string, clipId: number | undefined, actor: string): number {
    return this.deps.catalogue.write((tx) => {
      const target = tx.forwarding.target(name);
      if (target === undefined)
        throw new RpcError('NOT_FOUND', `No central storage target ${name}.`);
      const outboxId =
        clipId === undefined
          ? undefined
          : tx.forwarding.forClip(clipId).find((i) => i.targetId === target.id)?.id;
      if (clipId !== undefined && outboxId === undefined) {
        throw new RpcError('NOT_FOUND', `Clip ${clipId} is not queued for ${name}.`);
      }
      const retried = tx.forwarding.retryFailed(target.id, outboxId);
      this.deps.audit.append(tx, {
        actor,
        action: 'forward.target.changed',
        subject: `forward-target:${target.name}`,
        details: { target: target.name, retried, ...(clipId !== undefined && { clipId }) },
      });
      return retried;
    });
  }

  /** Per target: clips and bytes in each state, the oldest waiting custody, the rate. */
  status(): TargetQueue[] {
    const { catalogue, meter } = this.deps;
    return catalogue.snapshot(() =>
      catalogue.forwarding.targets().map((target) => {
        const counts = Object.fromEntries(
          OUTBOX_STATES.map((state) => [state, { clips: 0, bytes: 0 }]),
        ) as Record<(typeof OUTBOX_STATES)[number], { clips: number; bytes: number }>;
        for (const row of catalogue.forwarding.counts(target.id)) {
          counts[row.state] = { clips: row.clips, bytes: row.bytes };
        }
        // Archived since the last pass and not yet given a row: waiting all the same.
        const unqueued = catalogue.forwarding.unqueued(target);
        counts.queued.clips += unqueued.clips;
        counts.queued.bytes += unqueued.bytes;
        const oldest = [catalogue.forwarding.oldestWaiting(target.id), unqueued.oldest]
          .filter((at): at is string => at !== null)
          .sort()[0];
        return {
          target: target.name,
          enabled: target.enabled,
          stopped: target.stopped,
          ...counts,
          oldestWaiting: oldest ?? null,
          rate: Math.round(meter.rate(target.id)),
        };
      }),
    );
  }

  /** Each target's rate now (bytes a second over the last minute), by name. */
  rates(): Map<string, number> {
    const { catalogue, meter } = this.deps;
    return new Map(
      catalogue.forwarding.targets().map((t) => [t.name, Math.round(meter.rate(t.id))]),
    );
  }

  /** A clip's way to each target (the caller has already been shown the clip). */
  clip(clipId: number): ClipForwarding[] {
    const { catalogue } = this.deps;
    const names = new Map(catalogue.forwarding.targets().map((t) => [t.id, t.name]));
    return catalogue.forwarding
      .forClip(clipId)
      .filter((item) => names.has(item.targetId))
      .map((item) => ({
        target: names.get(item.targetId)!,
        state: item.state,
        bytesSent: item.bytesSent,
        attempts: item.attempts,
        failure: item.failure,
        nextTryAt: item.nextTryAt,
        verifiedAt: item.verifiedAt,
      }));
  }

  /**
   * A target's failed clips, with the server's words, as a custodian reads them; the handler
   * narrows them for whoever else asks (domain/visibility).
   */
  failures(name: string, limit: number): OutboxFailure[] {
    const target = this.require(name);
    return this.deps.catalogue.forwarding.failures(target.id, limit).map((item) => ({
      clipId: item.clipId,
      objectKey: item.objectKey,
      code: item.failureCode ?? 'FAILED',
      message: item.failure,
      attempts: item.attempts,
      nextTryAt: item.nextTryAt,
      withheld: null,
    }));
  }
}
