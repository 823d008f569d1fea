import { Agent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import type { Readable } from 'node:stream';
import type * as S3SdkModule from '@aws-sdk/client-s3';
import type { S3Client } from '@aws-sdk/client-s3';
import type { TargetSecret } from './secret-box';
import { bareEtag } from './multipart';

// The SDK warns on Node 20 about its releases after January 2027 needing Node 22; the station's
// lockfile pins the release it ships with, so the warning would only alarm whoever reads stderr.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

export interface S3Location {
  endpoint: string;
  bucket: string;
  region: string | null;
  pathStyle: boolean;
}

/** What HeadObject says of an object. */
export interface RemoteObject {
  size: number;
  etag: string;
  metadata: Record<string, string>;
}

export interface RemotePart {
  partNumber: number;
  etag: string;
  size: number;
}

export interface OpenUpload {
  key: string;
  uploadId: string;
  initiated: Date | null;
}

/** Checksums sent with a body, taken once by the station as it reads the bytes. */
export interface BodyDigests {
  /** Content-MD5: every server checks it, and a part's ETag is built from it. */
  md5: Buffer;
  /**
   * The body's SHA-256, which signs the payload (x-amz-content-sha256). Handed to the signer so
   * that it does not hash every part a second time.
   */
  sha256: Buffer;
  /** x-amz-checksum-sha256: only to servers that refuse a wrong one (probed once per target). */
  checksum?: Buffer;
}

type S3Sdk = typeof S3SdkModule;
let loading: Promise<S3Sdk> | null = null;

/** How long a request may go without a byte moving either way before the server is given up. */
const IDLE_TIMEOUT_MS = 120_000;

/**
 * The AWS SDK, loaded with the first S3 target a process opens: some 21 MB and 100 ms that
 * docking, the CLI's other commands and a station with only file shares have no use for, and
 * that would otherwise sit under the 128 MiB of every sign-in's scrypt.
 */
function s3Sdk(): Promise<S3Sdk> {
  // A load that failed (files being replaced by an upgrade, no file handles left) is tried
  // again by the next pass rather than remembered for the life of the process.
  loading ??= import('@aws-sdk/client-s3').catch((error: unknown) => {
    loading = null;
    throw error;
  });
  return loading;
}

interface WithMiddleware {
  middlewareStack: {
    add(
      middleware: (
        next: (args: { request: unknown }) => Promise<unknown>,
      ) => (args: { request: unknown }) => Promise<unknown>,
      options: { step: 'build'; name: string },
    ): void;
  };
}

/**
 * The command, its payload signed with the SHA-256 the station already took of the body. The
 * signer takes an x-amz-content-sha256 header as the payload's hash; the server still hashes
 * what arrives and refuses a body that does not match it.
 */
function signedWith<C>(command: C, sha256: Buffer): C {
  (command as unknown as WithMiddleware).middlewareStack.add(
    (next) => async (args) => {
      const request = args.request as { headers?: Record<string, string> };
      if (request.headers) request.headers['x-amz-content-sha256'] = sha256.toString('hex');
      return next(args);
    },
    { step: 'build', name: 'evidockPayloadSha256' },
  );
  return command;
}

/**
 * One S3-compatible bucket, driven request by request: no lib-storage (it cannot resume across a
 * restart and buffers queueSize × partSize), no SDK retries (the outbox retries, durably, with
 * its own backoff), no checksum headers the server did not ask for (several S3-compatible
 * servers refuse them), and time limits on every connection so no request hangs for ever.
 */
export class S3Store {
  private constructor(
    readonly location: S3Location,
    private readonly sdk: S3Sdk,
    private readonly client: S3Client,
  ) {}

  static async open(
    location: S3Location,
    secret: TargetSecret,
    options: { idleTimeoutMs?: number } = {},
  ): Promise<S3Store> {
    const sdk = await s3Sdk();
    const https = location.endpoint.startsWith('https:');
    const client = new sdk.S3Client({
      endpoint: location.endpoint,
      region: location.region ?? 'us-east-1',
      forcePathStyle: location.pathStyle,
      credentials: { accessKeyId: secret.accessKeyId, secretAccessKey: secret.secretAccessKey },
      maxAttempts: 1,
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
      requestHandler: {
        connectionTimeout: 10_000,
        // The longest a socket may sit idle mid-request (a hung server) before it is given up.
        // Not the SDK's requestTimeout: that one counts from the start of the request to the
        // answer, so on a slow uplink (16 MiB at 1 Mbit/s takes over two minutes) every part
        // would run out of time however steadily it moved.
        socketTimeout: options.idleTimeoutMs ?? IDLE_TIMEOUT_MS,
        ...(https
          ? { httpsAgent: new HttpsAgent({ keepAlive: true, maxSockets: 32 }) }
          : { httpAgent: new Agent({ keepAlive: true, maxSockets: 32 }) }),
      },
    });
    return new S3Store(location, sdk, client);
  }

  private get bucket(): string {
    return this.location.bucket;
  }

  async headBucket(signal?: AbortSignal): Promise<void> {
    await this.client.send(new this.sdk.HeadBucketCommand({ Bucket: this.bucket }), {
      abortSignal: signal,
    });
  }

  /** The object, or null when there is none (a 404). */
  async head(key: string, signal?: AbortSignal): Promise<RemoteObject | null> {
    try {
      const out = await this.client.send(
        new this.sdk.HeadObjectCommand({ Bucket: this.bucket, Key: key }),
        {
          abortSignal: signal,
        },
      );
      return {
        size: out.ContentLength ?? -1,
        etag: bareEtag(out.ETag),
        metadata: out.Metadata ?? {},
      };
    } catch (error) {
      const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata
        ?.httpStatusCode;
      if (status === 404) return null;
      throw error;
    }
  }

  async put(
    key: string,
    body: Buffer,
    digests: BodyDigests,
    metadata: Record<string, string>,
    signal?: AbortSignal,
  ): Promise<string> {
    const out = await this.client.send(
      signedWith(
        new this.sdk.PutObjectCommand({
          Bucket: this.bucket,
          Key: key,
          Body: body,
          ContentLength: body.length,
          ContentMD5: digests.md5.toString('base64'),
          ...(digests.checksum && {
            ChecksumAlgorithm: 'SHA256',
            ChecksumSHA256: digests.checksum.toString('base64'),
          }),
          Metadata: metadata,
        }),
        digests.sha256,
      ),
      { abortSignal: signal },
    );
    return bareEtag(out.ETag);
  }

  async get(key: string, signal?: AbortSignal): Promise<Readable> {
    const out = await this.client.send(
      new this.sdk.GetObjectCommand({ Bucket: this.bucket, Key: key }),
      {
        abortSignal: signal,
      },
    );
    return out.Body as Readable;
  }

  async delete(key: string, signal?: AbortSignal): Promise<void> {
    await this.client.send(new this.sdk.DeleteObjectCommand({ Bucket: this.bucket, Key: key }), {
      abortSignal: signal,
    });
  }

  async createUpload(
    key: string,
    metadata: Record<string, string>,
    partChecksums: boolean,
    signal?: AbortSignal,
  ): Promise<string> {
    const out = await this.client.send(
      new this.sdk.CreateMultipartUploadCommand({
        Bucket: this.bucket,
        Key: key,
        Metadata: metadata,
        ...(partChecksums && { ChecksumAlgorithm: 'SHA256' }),
      }),
      { abortSignal: signal },
    );
    if (!out.UploadId) throw new Error('the server began a multipart upload without an id');
    return out.UploadId;
  }

  async uploadPart(
    key: string,
    uploadId: string,
    partNumber: number,
    body: Buffer,
    digests: BodyDigests,
    signal?: AbortSignal,
  ): Promise<string> {
    const out = await this.client.send(
      signedWith(
        new this.sdk.UploadPartCommand({
          Bucket: this.bucket,
          Key: key,
          UploadId: uploadId,
          PartNumber: partNumber,
          Body: body,
          ContentLength: body.length,
          ContentMD5: digests.md5.toString('base64'),
          ...(digests.checksum && { ChecksumSHA256: digests.checksum.toString('base64') }),
        }),
        digests.sha256,
      ),
      { abortSignal: signal },
    );
    return bareEtag(out.ETag);
  }

  /** Every part the server holds of an upload (ListParts, every page). */
  async listParts(key: string, uploadId: string, signal?: AbortSignal): Promise<RemotePart[]> {
    const parts: RemotePart[] = [];
    let marker: string | undefined;
    for (;;) {
      const out = await this.client.send(
        new this.sdk.ListPartsCommand({
          Bucket: this.bucket,
          Key: key,
          UploadId: uploadId,
          PartNumberMarker: marker,
        }),
        { abortSignal: signal },
      );
      for (const p of out.Parts ?? []) {
        if (p.PartNumber === undefined) continue;
        parts.push({ partNumber: p.PartNumber, etag: bareEtag(p.ETag), size: p.Size ?? -1 });
      }
      if (!out.IsTruncated || out.NextPartNumberMarker === undefined) return parts;
      marker = out.NextPartNumberMarker;
    }
  }

  async complete(
    key: string,
    uploadId: string,
    parts: readonly { partNumber: number; etag: string; sha256?: string }[],
    signal?: AbortSignal,
  ): Promise<string> {
    const out = await this.client.send(
      new this.sdk.CompleteMultipartUploadCommand({
        Bucket: this.bucket,
        Key: key,
        UploadId: uploadId,
        MultipartUpload: {
          Parts: parts.map((p) => ({
            PartNumber: p.partNumber,
            ETag: `"${p.etag}"`,
            ...(p.sha256 && { ChecksumSHA256: p.sha256 }),
          })),
        },
      }),
      { abortSignal: signal },
    );
    return bareEtag(out.ETag);
  }

  async abort(key: string, uploadId: string, signal?: AbortSignal): Promise<void> {
    await this.client.send(
      new this.sdk.AbortMultipartUploadCommand({
        Bucket: this.bucket,
        Key: key,
        UploadId: uploadId,
      }),
      { abortSignal: signal },
    );
  }

  /** Every multipart upload open under a prefix (every page). */
  async openUploads(prefix: string, signal?: AbortSignal): Promise<OpenUpload[]> {
    const uploads: OpenUpload[] = [];
    let keyMarker: string | undefined;
    let uploadIdMarker: string | undefined;
    for (;;) {
      const out = await this.client.send(
        new this.sdk.ListMultipartUploadsCommand({
          Bucket: this.bucket,
          Prefix: prefix,
          KeyMarker: keyMarker,
          UploadIdMarker: uploadIdMarker,
        }),
        { abortSignal: signal },
      );
      for (const u of out.Uploads ?? []) {
        if (!u.Key || !u.UploadId) continue;
        uploads.push({ key: u.Key, uploadId: u.UploadId, initiated: u.Initiated ?? null });
      }
      if (!out.IsTruncated) return uploads;
      keyMarker = out.NextKeyMarker;
      uploadIdMarker = out.NextUploadIdMarker;
      if (keyMarker === undefined && uploadIdMarker === undefined) return uploads;
    }
  }

  close(): void {
    this.client.destroy();
  }
}
