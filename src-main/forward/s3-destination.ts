import { createHash, randomBytes } from 'node:crypto';
import type { TargetTest } from '../contract';
import type { OutboxItem, PartRecord } from '../catalogue/forwarding';
import { ClipFile, md5Of, sha256Of } from './clip-file';
import {
  readBackProof,
  testSteps,
  type ClipSource,
  type Destination,
  type RemoteProof,
  type SendHooks,
  type SentClip,
} from './destination';
import { expectedEtag, partCount } from './multipart';
import { PartBuffers } from './part-buffers';
import { PartsAhead } from './parts-ahead';
import { conflict, describeFailure, ForwardRefused } from './remote-errors';
import type { RemotePart, S3Store } from './s3-store';

/** The metadata every clip object carries: what ingest proved of its bytes. */
export function clipMetadata(
  item: Pick<OutboxItem, 'sha256' | 'sm3' | 'size'>,
): Record<string, string> {
  return {
    sha256: item.sha256,
    ...(item.sm3 !== null && { sm3: item.sm3 }),
    size: String(item.size),
  };
}

/** Whether a clip of `size` goes up in parts (more than one part's worth) or in one PUT. */
export function isMultipart(size: number, partSize: number): boolean {
  return size > partSize;
}

/**
 * An S3-compatible bucket as a destination. A clip larger than a part goes up as a multipart
 * upload that survives the station being killed: its id is recorded before the first part, each
 * part as the server acknowledges it, and a resume asks the server (ListParts) which parts it
 * holds, sending only those it lacks or holds with other bytes.
 */
export class S3Destination implements Destination {
  /** Two for each clip on its way, and two spare for the next clip. */
  private readonly buffers = new PartBuffers(2);

  constructor(
    private readonly store: S3Store,
    private readonly prefix: string,
    /** Whether the server takes a part's SHA-256 (probed once per target; null: unknown). */
    private readonly partChecksums: boolean,
  ) {}

  async sendClip(source: ClipSource, hooks: SendHooks): Promise<SentClip> {
    const file = await ClipFile.open(source.path, source.item.size, this.buffers);
    try {
      return isMultipart(source.item.size, source.partSize)
        ? await this.sendInParts(file, source, hooks)
        : await this.sendWhole(file, source, hooks);
    } finally {
      await file.close();
    }
  }

  private async sendWhole(file: ClipFile, source: ClipSource, hooks: SendHooks): Promise<SentClip> {
    const { item } = source;
    const body = await file.read(0, item.size);
    file.requireProven(item.sha256);
    const md5 = md5Of(body);
    const md5Hex = md5.toString('hex');
    const there = await this.store.head(item.objectKey, hooks.signal);
    if (there !== null && matchesClip(there, item) && there.etag === md5Hex) {
      hooks.uploadStarted(null);
      hooks.partDone({ partNumber: 1, size: body.length, md5: md5Hex, etag: md5Hex });
      return { etag: there.etag, md5s: [md5Hex], multipart: false, alreadyThere: true };
    }
    hooks.uploadStarted(null);
    await hooks.throttle(body.length);
    const sha256 = sha256Of(body);
    const etag = await this.store.put(
      item.objectKey,
      body,
      { md5, sha256, ...(this.partChecksums && { checksum: sha256 }) },
      clipMetadata(item),
      hooks.signal,
    );
    hooks.sent(body.length);
    hooks.partDone({ partNumber: 1, size: body.length, md5: md5Hex, etag });
    return { etag, md5s: [md5Hex], multipart: false, alreadyThere: false };
  }

  private async sendInParts(
    file: ClipFile,
    source: ClipSource,
    hooks: SendHooks,
  ): Promise<SentClip> {
    const { item, partSize } = source;
    let uploadId = item.uploadId;
    let held = new Map<number, RemotePart>();
    if (uploadId !== null) {
      try {
        held = new Map(
          (await this.store.listParts(item.objectKey, uploadId, hooks.signal)).map((p) => [
            p.partNumber,
            p,
          ]),
        );
      } catch (error) {
        // Gone: aborted by someone, or completed just before the station stopped. (Ceph RGW
        // answers ListParts of an upload that is gone with NoSuchKey, S3 with NoSuchUpload.)
        const failure = describeFailure(error);
        if (failure.kind !== 'restart' && failure.code !== 'NoSuchKey') throw error;
        uploadId = null;
      }
    }
    if (uploadId === null) {
      // No upload to resume: the object may already be whole there (completed just before a
      // kill). It is proven from our own parts before anything is sent again.
      const whole = await this.alreadyThere(source, hooks);
      if (whole !== null) return whole;
      uploadId = await this.store.createUpload(
        item.objectKey,
        clipMetadata(item),
        this.partChecksums,
        hooks.signal,
      );
      hooks.uploadStarted(uploadId);
    }
    const total = partCount(item.size, partSize);
    const recorded = new Map(source.parts.map((p) => [p.partNumber, p]));
    const md5s: string[] = [];
    const done: (PartRecord & { sha256?: string })[] = [];
    // The next part is read and hashed while this one is on the wire: the disk, the hashing and
    // the network each wait less for the others. Two part buffers per clip, never more.
    const parts = new PartsAhead(file, item.size, partSize);
    try {
      for (let n = 1; n <= total; n++) {
        hooks.signal.throwIfAborted();
        const { body, md5, sha256 } = await parts.take(n);
        const md5Hex = md5.toString('hex');
        md5s.push(md5Hex);
        const checksum = this.partChecksums ? { sha256: sha256.toString('base64') } : {};
        const server = held.get(n);
        if (server !== undefined && server.etag === md5Hex && server.size === body.length) {
          const part = { partNumber: n, size: body.length, md5: md5Hex, etag: server.etag };
          if (recorded.get(n)?.md5 !== md5Hex) hooks.partDone(part);
          done.push({ ...part, ...checksum });
          continue;
        }
        await hooks.throttle(body.length);
        const etag = await this.store.uploadPart(
          item.objectKey,
          uploadId,
          n,
          body,
          { md5, sha256, ...(this.partChecksums && { checksum: sha256 }) },
          hooks.signal,
        );
        const part = { partNumber: n, size: body.length, md5: md5Hex, etag };
        hooks.partDone(part);
        hooks.sent(body.length);
        done.push({ ...part, ...checksum });
      }
    } finally {
      await parts.settle();
    }
    try {
      file.requireProven(item.sha256);
    } catch (error) {
      // Never made whole on the target: the parts sent are thrown away with the upload.
      await this.store.abort(item.objectKey, uploadId, hooks.signal).catch(() => undefined);
      throw error;
    }
    const etag = await this.store.complete(item.objectKey, uploadId, done, hooks.signal);
    return { etag, md5s, multipart: true, alreadyThere: false };
  }

  /**
   * The clip, when the object under its key is already exactly it: the same size and SHA-256 in
   * its metadata, and the ETag our own parts' MD5s make (read in a pass of their own, which also
   * proves our bytes are still the ones ingest proved). Null when anything differs.
   */
  private async alreadyThere(source: ClipSource, hooks: SendHooks): Promise<SentClip | null> {
    const { item, partSize } = source;
    const there = await this.store.head(item.objectKey, hooks.signal);
    if (there === null || !matchesClip(there, item)) return null;
    const file = await ClipFile.open(source.path, item.size, this.buffers);
    const parts: PartRecord[] = [];
    try {
      for (let offset = 0, n = 1; offset < item.size; offset += partSize, n++) {
        hooks.signal.throwIfAborted();
        const md5 = md5Of(await file.read(offset, Math.min(partSize, item.size - offset)));
        const size = Math.min(partSize, item.size - offset);
        parts.push({ partNumber: n, size, md5: md5.toString('hex'), etag: md5.toString('hex') });
      }
      file.requireProven(item.sha256);
    } finally {
      await file.close();
    }
    const md5s = parts.map((p) => p.md5);
    if (there.etag !== expectedEtag(md5s, true)) return null;
    hooks.uploadStarted(null);
    for (const part of parts) hooks.partDone(part);
    return { etag: there.etag, md5s, multipart: true, alreadyThere: true };
  }

  async proveClip(
    item: OutboxItem,
    parts: readonly PartRecord[],
    readBack: boolean,
    signal: AbortSignal,
  ): Promise<RemoteProof> {
    const there = await this.store.head(item.objectKey, signal);
    const fail = (problem: string, message: string): RemoteProof => ({
      ok: false,
      problem,
      message,
      readBack: false,
    });
    if (there === null) return fail('missing', `${item.objectKey} is not on the target`);
    if (there.size !== item.size) {
      return fail(
        'size',
        `${item.objectKey} is ${there.size} bytes on the target, not ${item.size}`,
      );
    }
    if (there.metadata.sha256 !== item.sha256) {
      return fail(
        'sha256',
        `${item.objectKey} carries SHA-256 ${there.metadata.sha256 ?? '(none)'}, not the clip's ${item.sha256}`,
      );
    }
    if (item.sm3 !== null && there.metadata.sm3 !== item.sm3) {
      return fail(
        'sm3',
        `${item.objectKey} carries SM3 ${there.metadata.sm3 ?? '(none)'}, not the clip's ${item.sm3}`,
      );
    }
    const multipart = isMultipart(item.size, item.partSize ?? item.size);
    const ordered = [...parts].sort((a, b) => a.partNumber - b.partNumber);
    const wanted = item.partSize ?? item.size;
    const complete =
      ordered.length === partCount(item.size, wanted) &&
      ordered.every((p, i) => p.partNumber === i + 1) &&
      ordered.reduce((sum, p) => sum + p.size, 0) === item.size;
    if (!complete) {
      return fail(
        'etag',
        `the station has no whole record of ${item.objectKey}'s parts to recompute its ETag from`,
      );
    }
    const expected = expectedEtag(
      ordered.map((p) => p.md5),
      multipart,
    );
    if (there.etag !== expected) {
      return fail(
        'etag',
        `${item.objectKey}'s ETag is ${there.etag}, not ${expected} as recomputed from the parts sent`,
      );
    }
    if (!readBack) return { ok: true, problem: null, message: null, readBack: false };
    const hash = createHash('sha256');
    let size = 0;
    for await (const chunk of await this.store.get(item.objectKey, signal)) {
      const bytes = chunk as Buffer;
      hash.update(bytes);
      size += bytes.length;
    }
    return readBackProof(item.objectKey, item, { bytes: size, sha256: hash.digest('hex') });
  }

  async putDocument(
    key: string,
    body: Buffer,
    signal: AbortSignal,
    options: { once?: boolean } = {},
  ): Promise<void> {
    const md5 = md5Of(body);
    const sha256 = sha256Of(body).toString('hex');
    if (options.once) {
      const there = await this.store.head(key, signal);
      if (there !== null) {
        if (there.size === body.length && there.metadata.sha256 === sha256) return;
        throw conflict(key);
      }
    }
    const etag = await this.store.put(
      key,
      body,
      { md5, sha256: Buffer.from(sha256, 'hex') },
      { sha256 },
      signal,
    );
    const there = await this.store.head(key, signal);
    if (
      there === null ||
      there.size !== body.length ||
      there.metadata.sha256 !== sha256 ||
      (etag !== md5.toString('hex') && there.etag !== md5.toString('hex'))
    ) {
      throw new ForwardRefused('REMOTE_DIFFERS', `${key} is not on the target as it was sent`);
    }
  }

  async test(signal: AbortSignal): Promise<TargetTest> {
    const steps: TargetTest['steps'] = [];
    const probeKey = `${this.prefix}.evidock-probe-${randomBytes(6).toString('hex')}`;
    const body = Buffer.from(`evidock probe ${new Date().toISOString()}\n`);
    let partChecksums: boolean | null = null;
    const step = testSteps(steps, signal);
    const ok =
      (await step('connect', async () => {
        // Any answer from the server (even "no such bucket") shows the endpoint and the keys work.
        try {
          await this.store.headBucket(signal);
        } catch (error) {
          const { code } = describeFailure(error);
          if (code === 'NotFound' || code === 'NoSuchBucket') return;
          throw error;
        }
      })) &&
      (await step('bucket', async () => {
        try {
          await this.store.headBucket(signal);
        } catch (error) {
          const failure = describeFailure(error);
          if (failure.code === 'NotFound') {
            throw new ForwardRefused(
              'NoSuchBucket',
              `the bucket ${this.store.location.bucket} does not exist`,
              'stop',
            );
          }
          throw error;
        }
      })) &&
      (await step('write', async () => {
        const md5 = md5Of(body);
        // Does the server check a part's SHA-256, or only take the header? Asked with a wrong one:
        // a server that checks refuses it; one that stores the body anyway does not check (Ceph
        // RGW before Reef), and its bodies are held to Content-MD5 alone.
        try {
          await this.store.put(
            probeKey,
            body,
            { md5, sha256: sha256Of(body), checksum: sha256Of(Buffer.from('not it')) },
            {},
            signal,
          );
          partChecksums = false;
        } catch (error) {
          if (!isChecksumRefusal(error)) throw error;
          partChecksums = true;
        }
        try {
          await this.store.put(
            probeKey,
            body,
            { md5, sha256: sha256Of(body), ...(partChecksums && { checksum: sha256Of(body) }) },
            {},
            signal,
          );
        } catch (error) {
          if (!partChecksums || !isChecksumRefusal(error)) throw error;
          await this.store.put(probeKey, body, { md5, sha256: sha256Of(body) }, {}, signal);
          partChecksums = false;
        }
      })) &&
      (await step('read', async () => {
        const chunks: Buffer[] = [];
        for await (const chunk of await this.store.get(probeKey, signal))
          chunks.push(chunk as Buffer);
        if (!Buffer.concat(chunks).equals(body)) {
          throw new ForwardRefused(
            'REMOTE_DIFFERS',
            'the probe object read back differs from what was written',
          );
        }
      })) &&
      (await step('delete', () => this.store.delete(probeKey, signal)));
    return { ok, steps, partChecksums };
  }

  async abortStrays(
    keep: ReadonlySet<string>,
    ours: (key: string) => boolean,
    before: Date,
    signal: AbortSignal,
  ): Promise<number> {
    let aborted = 0;
    for (const upload of await this.store.openUploads(this.prefix, signal)) {
      if (keep.has(upload.uploadId)) continue;
      if (!upload.key.startsWith(this.prefix) || !ours(upload.key)) continue;
      if (upload.initiated !== null && upload.initiated >= before) continue;
      await this.store.abort(upload.key, upload.uploadId, signal);
      aborted++;
    }
    return aborted;
  }

  close(): void {
    this.store.close();
  }
}

function matchesClip(
  there: { size: number; metadata: Record<string, string> },
  item: OutboxItem,
): boolean {
  return there.size === item.size && there.metadata.sha256 === item.sha256;
}

/** A refusal of the x-amz-checksum-* headers (or of their value), not of the request's rights. */
function isChecksumRefusal(error: unknown): boolean {
  const { code, message } = describeFailure(error);
  return (
    ['BadDigest', 'InvalidRequest', 'InvalidArgument', 'NotImplemented'].includes(code) ||
    /checksum/i.test(code) ||
    /checksum/i.test(message)
  );
}
