import { constants as fsConstants } from 'node:fs';
import { open } from 'node:fs/promises';
import type { Catalogue } from '../catalogue/catalogue';
import type { OutboxItem, TargetRecord } from '../catalogue/forwarding';
import { resolveInside, SIDECAR_SUFFIX } from '../archive';
import type { Log } from '../contract';
import type { AuditLog } from '../custody/audit-log';
import { retryDelayMs } from '../domain';
import { Bandwidth } from './bandwidth';
import type { Destination } from './destination';
import { openDestination } from './destinations';
import { partSizeFor } from './multipart';
import { RateMeter } from './rate-meter';
import { describeFailure, ForwardRefused, type RemoteFailure } from './remote-errors';
import type { SecretBox } from './secret-box';
import { AuditSegments } from './audit-segments';
import { labelDocument, labelDocumentKey } from './label-document';

export interface ForwarderDeps {
  catalogue: Catalogue;
  audit: AuditLog;
  dataDir: string;
  secrets: SecretBox;
  now: () => Date;
  log: Log;
  /** [0, 1): the jitter of retry delays and the read-back sample. */
  random?: () => number;
}

/** A clip that could not be proven on a target in a run, and why. */
export interface ForwardFailure {
  target: string;
  clipId: number;
  objectKey: string;
  code: string;
  message: string;
}

export interface TargetOutcome {
  target: string;
  verified: number;
  failures: ForwardFailure[];
  stopped: { code: string; reason: string } | null;
}

export interface PassOptions {
  /** Only this target (by name). */
  target?: string;
  /** Who the audit log names for what this pass does. */
  actor: string;
  signal: AbortSignal;
  /** Stray multipart uploads begun before this are aborted (the pass's own never are). */
  straysBefore: Date;
}

/**
 * The outbox's engine: takes each enabled target in turn, queues what was archived since, and
 * sends what is due, `concurrency` clips at a time, most urgent first, within the target's
 * bandwidth. Each clip is proven on the target (size, hashes, ETag recomputed from our own parts,
 * a read-back for a sample) before it counts as verified, and every outcome is durable: the
 * station can be killed at any moment and the next pass resumes exactly where this one stood.
 */
export class Forwarder {
  readonly meter = new RateMeter();
  private readonly bandwidths = new Map<number, Bandwidth>();
  private readonly random: () => number;
  /** Targets whose stray uploads were looked for in this process. */
  private readonly swept = new Set<number>();
  /** The pass under way to each target, to stop it when the target is withdrawn. */
  private readonly passes = new Map<number, AbortController>();

  constructor(private readonly deps: ForwarderDeps) {
    this.random = deps.random ?? Math.random;
  }

  /** One pass over every enabled target (or the one named): answers what each came to. */
  async pass(options: PassOptions): Promise<TargetOutcome[]> {
    const { catalogue } = this.deps;
    const targets = catalogue.forwarding
      .targets()
      .filter((t) => options.target === undefined || t.name === options.target)
      .filter((t) => t.enabled && t.stopped === null);
    const outcomes: TargetOutcome[] = [];
    for (const target of targets) {
      options.signal.throwIfAborted();
      outcomes.push(await this.forwardTo(target, options));
    }
    return outcomes;
  }

  /**
   * A target removed or turned off: what is under way to it stops where it is (an upload stays
   * open to resume should the target come back; stray ones are aborted by a later pass).
   */
  withdraw(targetId: number): void {
    this.passes.get(targetId)?.abort(new Error('the target was withdrawn'));
  }

  private bandwidthOf(target: TargetRecord): Bandwidth {
    let bandwidth = this.bandwidths.get(target.id);
    if (bandwidth === undefined) {
      bandwidth = new Bandwidth(target.schedule, this.deps.now);
      this.bandwidths.set(target.id, bandwidth);
    }
    bandwidth.setSchedule(target.schedule);
    return bandwidth;
  }

  private async forwardTo(target: TargetRecord, options: PassOptions): Promise<TargetOutcome> {
    const { catalogue, now } = this.deps;
    const outcome: TargetOutcome = {
      target: target.name,
      verified: 0,
      failures: [],
      stopped: null,
    };
    catalogue.write((tx) => tx.forwarding.queueNewClips(target, now().toISOString()));
    // Registered before the destination is opened (the first S3 target loads the SDK), so that
    // a withdraw meanwhile is not missed.
    const halt = new AbortController();
    const signal = AbortSignal.any([options.signal, halt.signal]);
    this.passes.set(target.id, halt);
    let destination: Destination;
    try {
      destination = await openDestination(target, this.deps.secrets, this.deps.dataDir);
    } catch (error) {
      // Keys that cannot be opened stop the target; the SDK failing to load is the station's
      // trouble, not the target's, and the next pass tries again.
      if (this.passes.get(target.id) === halt) this.passes.delete(target.id);
      this.passFailed(target, error, options, outcome, halt);
      return outcome;
    }
    try {
      if (target.kind === 's3' && target.partChecksums === null) {
        // Once per target: does the server take a part's SHA-256? (Ceph before Reef does not.)
        const probe = await destination.test(signal);
        if (probe.partChecksums !== null) {
          catalogue.write((tx) => tx.forwarding.setPartChecksums(target.id, probe.partChecksums!));
          destination.close();
          target = catalogue.forwarding.targetById(target.id)!;
          destination = await openDestination(target, this.deps.secrets, this.deps.dataDir);
        }
      }
      if (!this.swept.has(target.id)) {
        const keep = catalogue.forwarding.openUploads(target.id);
        const aborted = await destination.abortStrays(
          keep,
          (key) => catalogue.forwarding.isOwnKey(target.id, key),
          options.straysBefore,
          signal,
        );
        this.swept.add(target.id);
        if (aborted > 0) {
          this.deps.audit.record({
            actor: options.actor,
            action: 'forward.uploads.aborted',
            subject: `forward-target:${target.name}`,
            details: { target: target.name, aborted },
          });
        }
      }
      const inFlight = new Set<number>();
      const worker = async (): Promise<void> => {
        for (;;) {
          if (signal.aborted) return;
          // Another process (or a request) may have removed, turned off or stopped the target.
          if (!stillForwarding(catalogue.forwarding.targetById(target.id))) {
            halt.abort(new Error('the target was withdrawn'));
            return;
          }
          const [item] = catalogue.forwarding.due(target.id, now().toISOString(), 1, [...inFlight]);
          if (item === undefined) return;
          inFlight.add(item.id);
          try {
            await this.forwardClip(target, destination, item, options.actor, signal, outcome, halt);
          } finally {
            inFlight.delete(item.id);
          }
        }
      };
      await Promise.all(Array.from({ length: target.concurrency }, worker));
      if (!signal.aborted) await this.sendLabelDocuments(target, destination, signal);
      if (!signal.aborted) {
        await new AuditSegments(this.deps).send(target, destination, signal);
      }
    } catch (error) {
      this.passFailed(target, error, options, outcome, halt);
    } finally {
      if (this.passes.get(target.id) === halt) this.passes.delete(target.id);
      destination.close();
    }
    return outcome;
  }

  /**
   * A pass that ended in an error: a fault of the target's own (keys, bucket, rights, clock)
   * stops it with the server's reason; anything else pauses it until the next pass. A station
   * shutting down passes the error on; a target withdrawn says nothing more.
   */
  private passFailed(
    target: TargetRecord,
    error: unknown,
    options: PassOptions,
    outcome: TargetOutcome,
    halt: AbortController,
  ): void {
    if (options.signal.aborted) throw error;
    const failure = describeFailure(error);
    if (failure.kind === 'stop') this.stopTarget(target, failure, options.actor, outcome);
    else if (!halt.signal.aborted) {
      this.deps.log('warn', `forwarding to ${target.name} paused: ${failure.message}`, {
        target: target.name,
        code: failure.code,
      });
    }
  }

  private async forwardClip(
    target: TargetRecord,
    destination: Destination,
    item: OutboxItem,
    actor: string,
    signal: AbortSignal,
    outcome: TargetOutcome,
    halt: AbortController,
  ): Promise<void> {
    const { catalogue, now, dataDir } = this.deps;
    const at = () => now().toISOString();
    const partSize = item.partSize ?? partSizeFor(item.size, target.partSize);
    let alreadyThere = false;
    try {
      const path = resolveInside(dataDir, item.archivePath);
      if (item.state !== 'uploaded') {
        const sent = await destination.sendClip(
          { item, path, parts: catalogue.forwarding.parts(item.id), partSize },
          {
            uploadStarted: (uploadId) =>
              catalogue.write((tx) => tx.forwarding.startUpload(item.id, uploadId, partSize)),
            partDone: (part) => catalogue.write((tx) => tx.forwarding.recordPart(item.id, part)),
            throttle: (bytes) => this.bandwidthOf(target).take(bytes, signal),
            sent: (bytes) => this.meter.add(target.id, bytes),
            signal,
          },
        );
        alreadyThere = sent.alreadyThere;
        catalogue.write((tx) => tx.forwarding.markUploaded(item.id, sent.etag, item.size, at()));
      }
      const uploaded = catalogue.forwarding.item(item.id)!;
      const readBack = this.random() * 100 < target.readBackPercent;
      const proof = await destination.proveClip(
        uploaded,
        catalogue.forwarding.parts(item.id),
        readBack,
        signal,
      );
      if (!proof.ok) {
        throw Object.assign(new Error(proof.message ?? 'the copy on the target differs'), {
          Code: `REMOTE_${(proof.problem ?? 'differs').toUpperCase()}`,
        });
      }
      const sidecar = await sidecarOf(dataDir, item);
      await destination.putDocument(`${item.objectKey}${SIDECAR_SUFFIX}`, sidecar, signal);
      catalogue.write((tx) => {
        tx.forwarding.markVerified(item.id, at(), proof.readBack);
        this.deps.audit.append(tx, {
          actor,
          action: 'clip.forwarded',
          subject: `clip:${item.clipId}`,
          details: {
            target: target.name,
            key: item.objectKey,
            etag: uploaded.etag,
            size: item.size,
            sha256: item.sha256,
            readBack: proof.readBack,
            ...(alreadyThere && { alreadyThere: true }),
          },
        });
      });
      outcome.verified += 1;
    } catch (error) {
      if (signal.aborted) return;
      const failure = describeFailure(error);
      if (failure.kind === 'stop') {
        // The target, not this clip: the clip keeps its place and its upload.
        this.stopTarget(target, failure, actor, outcome);
        halt.abort(new Error(failure.message));
        return;
      }
      this.recordFailure(target, item, failure, actor);
      outcome.failures.push({
        target: target.name,
        clipId: item.clipId,
        objectKey: item.objectKey,
        code: failure.code,
        message: failure.message,
      });
    }
  }

  private recordFailure(
    target: TargetRecord,
    item: OutboxItem,
    failure: RemoteFailure,
    actor: string,
  ): void {
    const { catalogue, now } = this.deps;
    const attempts = item.attempts + 1;
    const nextTryAt =
      failure.kind === 'hold'
        ? null
        : failure.kind === 'restart'
          ? now().toISOString()
          : new Date(now().getTime() + retryDelayMs(attempts, this.random())).toISOString();
    catalogue.write((tx) => {
      tx.forwarding.markFailed(item.id, {
        code: failure.code,
        message: failure.message,
        nextTryAt,
        keepUpload: failure.kind === 'retry',
      });
      // A clip held back is a custody matter (D-NO-TAMPER); a retry is the queue's business.
      if (failure.kind === 'hold') {
        this.deps.audit.append(tx, {
          actor,
          action: 'clip.forward.failed',
          subject: `clip:${item.clipId}`,
          details: { target: target.name, code: failure.code, message: failure.message },
        });
      }
    });
  }

  private stopTarget(
    target: TargetRecord,
    failure: RemoteFailure,
    actor: string,
    outcome: TargetOutcome,
  ): void {
    const { catalogue, now } = this.deps;
    if (outcome.stopped !== null) return;
    outcome.stopped = { code: failure.code, reason: failure.message };
    catalogue.write((tx) => {
      tx.forwarding.stop(target.id, failure.code, failure.message, now().toISOString());
      this.deps.audit.append(tx, {
        actor,
        action: 'forward.target.stopped',
        subject: `forward-target:${target.name}`,
        details: { target: target.name, code: failure.code, reason: failure.message },
      });
    });
    this.deps.log('warn', `forwarding to ${target.name} stopped: ${failure.message}`, {
      target: target.name,
      code: failure.code,
    });
  }

  /**
   * Each verified clip's label document, sent again whenever its labels change: versioned by
   * the audit sequence of the change, so the central side keeps every version.
   */
  private async sendLabelDocuments(
    target: TargetRecord,
    destination: Destination,
    signal: AbortSignal,
  ): Promise<void> {
    const { catalogue } = this.deps;
    for (;;) {
      const due = catalogue.forwarding.labelsDue(target.id, 50);
      if (due.length === 0) return;
      for (const item of due) {
        signal.throwIfAborted();
        const version = catalogue.forwarding.labelVersion(item.clipId);
        if (version !== item.labelsSentSeq) {
          const body = Buffer.from(
            `${JSON.stringify(labelDocument(catalogue, item, version), null, 2)}\n`,
          );
          await destination.putDocument(labelDocumentKey(item.objectKey, version), body, signal, {
            once: true,
          });
        }
        catalogue.write((tx) => {
          // A change made while the document was on its way leaves the next version due.
          const current = tx.forwarding.labelVersion(item.clipId) === version;
          tx.forwarding.labelsSent(item.id, version, !current);
        });
      }
    }
  }
}

/**
 * The clip's own sidecar, read as it is (never through a link) and sent only when it names this
 * very clip: a file put in its place (another clip's, or a link to a key) is not what goes out
 * with the clip, and the clip waits for a custodian (D-NO-TAMPER).
 */
async function sidecarOf(dataDir: string, item: OutboxItem): Promise<Buffer> {
  const path = `${resolveInside(dataDir, item.archivePath)}${SIDECAR_SUFFIX}`;
  const refuse = (why: string) =>
    new ForwardRefused(
      'SIDECAR_MISMATCH',
      `the sidecar of ${item.archivePath} ${why}: the clip is not forwarded; run the integrity check (D-NO-TAMPER)`,
      'hold',
    );
  let body: Buffer;
  try {
    const handle = await open(path, fsConstants.O_RDONLY | (fsConstants.O_NOFOLLOW ?? 0));
    try {
      body = await handle.readFile();
    } finally {
      await handle.close();
    }
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw refuse('is missing');
    if (code === 'ELOOP') throw refuse('is a link');
    throw error;
  }
  let named: { format?: unknown; clip?: { sha256?: unknown; archivePath?: unknown } };
  try {
    named = JSON.parse(body.toString('utf8')) as typeof named;
  } catch {
    throw refuse('is not a sidecar');
  }
  if (
    named.format !== 'evidock-sidecar/1' ||
    named.clip?.sha256 !== item.sha256 ||
    named.clip?.archivePath !== item.archivePath
  ) {
    throw refuse('names another file');
  }
  return body;
}

function stillForwarding(target: TargetRecord | undefined): boolean {
  return (
    target !== undefined && target.removedAt === null && target.enabled && target.stopped === null
  );
}
