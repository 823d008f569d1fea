import { Agent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import type { Readable } from 'node:stream';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  ListPartsCommand,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
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

/** Checksums sent with a body: MD5 always (Content-MD5), SHA-256 where the server takes it. */
export interface BodyDigests {
  md5: Buffer;
  sha256?: Buffer;
}

/**
 * One S3-compatible bucket, driven request by request: no lib-storage (it cannot resume across a
 * restart and buffers queueSize × partSize), no SDK retries (the outbox retries, durably, with
 * its own backoff), no checksum headers the server did not ask for (several S3-compatible
 * servers refuse them), and time limits on every connection so no request hangs for ever.
 */
export class S3Store {
  private readonly client: S3Client;

  constructor(
    readonly location: S3Location,
    secret: TargetSecret,
  ) {
    const https = location.endpoint.startsWith('https:');
    this.client = new S3Client({
      endpoint: location.endpoint,
      region: location.region ?? 'us-east-1',
      forcePathStyle: location.pathStyle,
      credentials: { accessKeyId: secret.accessKeyId, secretAccessKey: secret.secretAccessKey },
      maxAttempts: 1,
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
      requestHandler: {
        connectionTimeout: 10_000,
        // The longest a socket may sit idle mid-request (a stalled server) before it is given up;
        // without throwOnRequestTimeout the SDK only warns and goes on waiting.
        requestTimeout: 120_000,
        throwOnRequestTimeout: true,
        ...(https
          ? { httpsAgent: new HttpsAgent({ keepAlive: true, maxSockets: 32 }) }
          : { httpAgent: new Agent({ keepAlive: true, maxSockets: 32 }) }),
      },
    });
  }

  private get bucket(): string {
    return this.location.bucket;
  }

  async headBucket(signal?: AbortSignal): Promise<void> {
    await this.client.send(new HeadBucketCommand({ Bucket: this.bucket }), { abortSignal: signal });
  }

  /** The object, or null when there is none (a 404). */
  async head(key: string, signal?: AbortSignal): Promise<RemoteObject | null> {
    try {
      const out = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }), {
        abortSignal: signal,
      });
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
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: key,
        Body: body,
        ContentLength: body.length,
        ContentMD5: digests.md5.toString('base64'),
        ...(digests.sha256 && {
          ChecksumAlgorithm: 'SHA256',
          ChecksumSHA256: digests.sha256.toString('base64'),
        }),
        Metadata: metadata,
      }),
      { abortSignal: signal },
    );
    return bareEtag(out.ETag);
  }

  async get(key: string, signal?: AbortSignal): Promise<Readable> {
    const out = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }), {
      abortSignal: signal,
    });
    return out.Body as Readable;
  }

  async delete(key: string, signal?: AbortSignal): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }), {
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
      new CreateMultipartUploadCommand({
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
      new UploadPartCommand({
        Bucket: this.bucket,
        Key: key,
        UploadId: uploadId,
        PartNumber: partNumber,
        Body: body,
        ContentLength: body.length,
        ContentMD5: digests.md5.toString('base64'),
        ...(digests.sha256 && { ChecksumSHA256: digests.sha256.toString('base64') }),
      }),
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
        new ListPartsCommand({
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
      new CompleteMultipartUploadCommand({
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
      new AbortMultipartUploadCommand({ Bucket: this.bucket, Key: key, UploadId: uploadId }),
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
        new ListMultipartUploadsCommand({
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
