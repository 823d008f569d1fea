// The test support for central storage proves itself against the real thing: a single-node Ceph
// RGW (test/support/ceph-rgw.ts) and the fault-injecting proxy (test/support/fault-proxy.ts). It
// also pins down what this RGW (Ceph 16.2, pacific) and the SDK do and do not check, which
// forwarding relies on (D-24H: the unit's storage must hold what the station proved;
// D-NO-TAMPER: a damaged copy must never pass for the original):
//
// - Content-MD5 is checked: a wrong one (or a byte damaged on the way) gets 400 BadDigest, on
//   PutObject and on UploadPart.
// - The SDK signs a Buffer body with its SHA-256 (x-amz-content-sha256), which RGW checks first:
//   a damaged Buffer body gets 400 XAmzContentSHA256Mismatch. A stream body goes out as
//   UNSIGNED-PAYLOAD: then Content-MD5 is the only check, and without it a damaged body is
//   stored as it arrived (only its ETag, the MD5 of what arrived, differs).
// - x-amz-checksum-sha256 is NOT checked: PutObject and UploadPart with ChecksumAlgorithm
//   'SHA256' and a WRONG ChecksumSHA256 succeed (200), and HeadObject (ChecksumMode ENABLED)
//   returns no checksum. Forwarding must prove its copies with Content-MD5 and its own checks,
//   never by trusting a SHA-256 checksum header.
// - A multipart object's ETag is md5(concat of each part's binary MD5) + "-N"; parts below 5 MiB
//   (except the last) fail CompleteMultipartUpload with 400 EntityTooSmall.
// - An aborted (or unknown) upload: ListParts → 404 NoSuchKey (AWS: NoSuchUpload), UploadPart and
//   AbortMultipartUpload → 404 NoSuchUpload, CompleteMultipartUpload → 500 InternalError.
// - Errors: wrong secret → 403 SignatureDoesNotMatch; unknown access key → 403 InvalidAccessKeyId;
//   missing bucket → 404 NoSuchBucket; missing key → 404 NoSuchKey; HeadObject of either → 404
//   NotFound (no body); another user's bucket → 403 AccessDenied. RGW sends no error message:
//   the SDK's message is "UnknownError", so callers must read the error's name, not its message.
// - Gateway stopped: ECONNREFUSED. Restarted on the same port: objects and open multipart uploads
//   are still there. A stalled server needs requestHandler { requestTimeout,
//   throwOnRequestTimeout: true }: without the latter this SDK only logs a warning and waits.
import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListBucketsCommand,
  ListMultipartUploadsCommand,
  ListPartsCommand,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { s3Config, startCephRgw, type CephRgw } from '../support/ceph-rgw';
import { startFaultProxy, type FaultProxy } from '../support/fault-proxy';

const MiB = 1024 * 1024;
const md5 = (data: Buffer) => createHash('md5').update(data).digest();
const md5Base64 = (data: Buffer) => md5(data).toString('base64');
const sha256Base64 = (data: Buffer) => createHash('sha256').update(data).digest('base64');
const stream = (data: Buffer) => Readable.from([data]);
const isUploadPart = (line: string) => /^PUT \S*[?&]partNumber=/.test(line);

/** The error an S3 call fails with (the test fails if it succeeds). */
async function failure(
  call: Promise<unknown>,
): Promise<Error & { $metadata?: { httpStatusCode?: number }; code?: string }> {
  try {
    await call;
  } catch (error) {
    return error as Error;
  }
  throw new Error('the call succeeded');
}

async function read(s3: S3Client, bucket: string, key: string): Promise<Buffer> {
  const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return Buffer.from(await object.Body!.transformToByteArray());
}

describe('Ceph RGW and the fault proxy (test support for central storage)', () => {
  let rgw: CephRgw;
  let s3: S3Client;
  const bucket = 'evidence-central';

  beforeAll(async () => {
    rgw = await startCephRgw();
    // Start time here: ~2 s (printed so a slow machine shows in the log).
    console.log(`Ceph RGW started in ${rgw.startedInMs} ms at ${rgw.endpoint}`);
    s3 = rgw.client();
    await rgw.createBucket(bucket);
  }, 120_000);

  afterAll(async () => {
    s3?.destroy();
    await rgw?.stop();
  }, 60_000);

  it('stores an object sent with its Content-MD5 and gives back the same bytes', async () => {
    const body = randomBytes(100_000);
    const put = await s3.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: 'clips/a.mp4',
        Body: body,
        ContentMD5: md5Base64(body),
      }),
    );
    expect(put.ETag).toBe(`"${md5(body).toString('hex')}"`);
    expect((await read(s3, bucket, 'clips/a.mp4')).equals(body)).toBe(true);
  });

  it('refuses a wrong Content-MD5 with BadDigest', async () => {
    const body = randomBytes(1000);
    const error = await failure(
      s3.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: 'clips/bad.mp4',
          Body: body,
          ContentMD5: md5Base64(randomBytes(8)),
        }),
      ),
    );
    expect(error.name).toBe('BadDigest');
    expect(error.$metadata?.httpStatusCode).toBe(400);
  });

  it('completes a multipart upload whose ETag is md5(part digests)-N', async () => {
    const key = 'clips/multipart.mp4';
    const parts = [randomBytes(5 * MiB), randomBytes(1 * MiB + 17)];
    const { UploadId } = await s3.send(
      new CreateMultipartUploadCommand({ Bucket: bucket, Key: key }),
    );
    const etags: string[] = [];
    for (const [index, body] of parts.entries()) {
      const part = await s3.send(
        new UploadPartCommand({
          Bucket: bucket,
          Key: key,
          UploadId,
          PartNumber: index + 1,
          Body: body,
          ContentMD5: md5Base64(body),
        }),
      );
      expect(part.ETag).toBe(`"${md5(body).toString('hex')}"`);
      etags.push(part.ETag!);
    }
    const listed = await s3.send(new ListPartsCommand({ Bucket: bucket, Key: key, UploadId }));
    expect(listed.Parts?.map((p) => [p.PartNumber, p.ETag, p.Size])).toEqual(
      parts.map((body, index) => [index + 1, etags[index], body.length]),
    );
    await s3.send(
      new CompleteMultipartUploadCommand({
        Bucket: bucket,
        Key: key,
        UploadId,
        MultipartUpload: { Parts: etags.map((ETag, index) => ({ PartNumber: index + 1, ETag })) },
      }),
    );
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    const expected = md5(Buffer.concat(parts.map(md5))).toString('hex');
    expect(head.ETag).toBe(`"${expected}-${parts.length}"`);
    expect(head.ContentLength).toBe(parts[0]!.length + parts[1]!.length);
    expect((await read(s3, bucket, key)).equals(Buffer.concat(parts))).toBe(true);
  });

  it('lists an unfinished multipart upload and aborts it', async () => {
    const key = 'clips/abandoned.mp4';
    const { UploadId } = await s3.send(
      new CreateMultipartUploadCommand({ Bucket: bucket, Key: key }),
    );
    const body = randomBytes(1000);
    await s3.send(
      new UploadPartCommand({
        Bucket: bucket,
        Key: key,
        UploadId,
        PartNumber: 1,
        Body: body,
        ContentMD5: md5Base64(body),
      }),
    );
    const open = await s3.send(new ListMultipartUploadsCommand({ Bucket: bucket, Prefix: key }));
    expect(open.Uploads?.map((u) => [u.Key, u.UploadId])).toEqual([[key, UploadId]]);

    await s3.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId }));
    const after = await s3.send(new ListMultipartUploadsCommand({ Bucket: bucket, Prefix: key }));
    expect(after.Uploads ?? []).toEqual([]);
    // What a resumed upload meets once its upload is gone. RGW (pacific) says NoSuchKey for
    // ListParts where AWS says NoSuchUpload, and CompleteMultipartUpload fails with a 500
    // InternalError (retryable to the SDK, but it never succeeds): forwarding must check an upload
    // with ListParts (NoSuchUpload or NoSuchKey: start it again) before completing it.
    const gone = async (call: Promise<unknown>) => {
      const error = await failure(call);
      return [error.name, error.$metadata?.httpStatusCode];
    };
    expect({
      listParts: await gone(s3.send(new ListPartsCommand({ Bucket: bucket, Key: key, UploadId }))),
      uploadPart: await gone(
        s3.send(
          new UploadPartCommand({ Bucket: bucket, Key: key, UploadId, PartNumber: 2, Body: body }),
        ),
      ),
      complete: await gone(
        s3.send(
          new CompleteMultipartUploadCommand({
            Bucket: bucket,
            Key: key,
            UploadId,
            MultipartUpload: { Parts: [{ PartNumber: 1, ETag: `"${md5(body).toString('hex')}"` }] },
          }),
        ),
      ),
      abortAgain: await gone(
        s3.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId })),
      ),
    }).toEqual({
      listParts: ['NoSuchKey', 404],
      uploadPart: ['NoSuchUpload', 404],
      complete: ['InternalError', 500],
      abortAgain: ['NoSuchUpload', 404],
    });
  });

  it('refuses parts below 5 MiB (except the last) with EntityTooSmall at completion', async () => {
    const key = 'clips/small-parts.mp4';
    const { UploadId } = await s3.send(
      new CreateMultipartUploadCommand({ Bucket: bucket, Key: key }),
    );
    const etags: string[] = [];
    for (const partNumber of [1, 2]) {
      const body = randomBytes(1000);
      const part = await s3.send(
        new UploadPartCommand({
          Bucket: bucket,
          Key: key,
          UploadId,
          PartNumber: partNumber,
          Body: body,
        }),
      );
      etags.push(part.ETag!);
    }
    const error = await failure(
      s3.send(
        new CompleteMultipartUploadCommand({
          Bucket: bucket,
          Key: key,
          UploadId,
          MultipartUpload: { Parts: etags.map((ETag, index) => ({ PartNumber: index + 1, ETag })) },
        }),
      ),
    );
    expect(error.name).toBe('EntityTooSmall');
    await s3.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId }));
  });

  it('names wrong credentials and a missing bucket or key', async () => {
    const config = s3Config(rgw.endpoint, rgw);
    const wrongSecret = new S3Client({
      ...config,
      credentials: {
        accessKeyId: rgw.accessKeyId,
        secretAccessKey: randomBytes(30).toString('base64'),
      },
    });
    const unknownKey = new S3Client({
      ...config,
      credentials: { accessKeyId: 'EVDUNKNOWNKEY0000000', secretAccessKey: rgw.secretAccessKey },
    });
    try {
      const badSecret = await failure(wrongSecret.send(new ListBucketsCommand({})));
      expect([badSecret.name, badSecret.$metadata?.httpStatusCode]).toEqual([
        'SignatureDoesNotMatch',
        403,
      ]);
      const badKey = await failure(unknownKey.send(new ListBucketsCommand({})));
      expect([badKey.name, badKey.$metadata?.httpStatusCode]).toEqual(['InvalidAccessKeyId', 403]);
    } finally {
      wrongSecret.destroy();
      unknownKey.destroy();
    }
    const noBucket = await failure(
      s3.send(new PutObjectCommand({ Bucket: 'no-such-bucket', Key: 'x', Body: Buffer.from('x') })),
    );
    expect([noBucket.name, noBucket.$metadata?.httpStatusCode]).toEqual(['NoSuchBucket', 404]);
    // RGW's error documents carry no message: the code is all there is to go on.
    expect(noBucket.message).toBe('UnknownError');
    const noKey = await failure(
      s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'no/such/key' })),
    );
    expect([noKey.name, noKey.$metadata?.httpStatusCode]).toEqual(['NoSuchKey', 404]);
    // A HEAD answer has no body, so no code either: only the status.
    const headMissing = await failure(
      s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'no/such/key' })),
    );
    expect([headMissing.name, headMissing.$metadata?.httpStatusCode]).toEqual(['NotFound', 404]);
  });

  it('a second user has its own keys and cannot write into this bucket', async () => {
    const other = await rgw.addUser('another-unit');
    const s3Other = new S3Client(s3Config(rgw.endpoint, other));
    try {
      const denied = await failure(
        s3Other.send(
          new PutObjectCommand({ Bucket: bucket, Key: 'intruder', Body: Buffer.from('x') }),
        ),
      );
      expect([denied.name, denied.$metadata?.httpStatusCode]).toEqual(['AccessDenied', 403]);
    } finally {
      s3Other.destroy();
    }
  });

  describe('through the fault proxy', () => {
    let proxy: FaultProxy;
    let viaProxy: S3Client;

    beforeAll(async () => {
      proxy = await startFaultProxy({ port: rgw.port });
      // One attempt: the tests look at what a single request meets, not at the SDK's retries.
      viaProxy = rgw.client({ endpoint: proxy.endpoint, maxAttempts: 1 });
    });
    afterAll(async () => {
      viaProxy?.destroy();
      await proxy?.close();
    });

    it('passes requests through and counts them', async () => {
      const before = { ...proxy.stats };
      const body = randomBytes(10_000);
      await viaProxy.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: 'proxy/plain',
          Body: body,
          ContentMD5: md5Base64(body),
        }),
      );
      expect((await read(viaProxy, bucket, 'proxy/plain')).equals(body)).toBe(true);
      expect(proxy.stats.requests - before.requests).toBe(2);
      expect(proxy.stats.bytesUp - before.bytesUp).toBeGreaterThan(body.length);
      expect(proxy.stats.bytesDown - before.bytesDown).toBeGreaterThan(body.length);
      expect(proxy.stats.requestLines.at(-2)).toMatch(/^PUT \/evidence-central\/proxy\/plain/);
    });

    it('a byte flipped in a streamed UploadPart body is refused with BadDigest; the retry passes', async () => {
      const key = 'proxy/flipped.mp4';
      const body = randomBytes(5 * MiB);
      const { UploadId } = await viaProxy.send(
        new CreateMultipartUploadCommand({ Bucket: bucket, Key: key }),
      );
      // A stream, as forwarding reads a clip from the archive: the SDK signs it UNSIGNED-PAYLOAD,
      // so Content-MD5 is the only check on the bytes.
      const part = () =>
        viaProxy.send(
          new UploadPartCommand({
            Bucket: bucket,
            Key: key,
            UploadId,
            PartNumber: 1,
            Body: stream(body),
            ContentLength: body.length,
            ContentMD5: md5Base64(body),
          }),
        );
      proxy.setMode({ kind: 'flipOneByte', match: isUploadPart });
      const error = await failure(part());
      expect([error.name, error.$metadata?.httpStatusCode]).toEqual(['BadDigest', 400]);
      expect(proxy.stats.flips.at(-1)).toEqual({
        requestLine: expect.stringMatching(
          /^PUT \/evidence-central\/proxy\/flipped\.mp4\?.*partNumber=1/,
        ),
        offset: body.length / 2,
      });
      expect(proxy.mode.kind).toBe('pass');

      const retried = await part();
      expect(retried.ETag).toBe(`"${md5(body).toString('hex')}"`);
      await viaProxy.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId }));
    });

    it('a byte flipped in a Buffer body fails the signed payload hash (XAmzContentSHA256Mismatch)', async () => {
      // A Buffer body is signed with its SHA-256 (x-amz-content-sha256), which RGW checks before
      // Content-MD5: forwarding must take both codes as "damaged on the way".
      const key = 'proxy/flipped-signed.mp4';
      const body = randomBytes(5 * MiB);
      const { UploadId } = await viaProxy.send(
        new CreateMultipartUploadCommand({ Bucket: bucket, Key: key }),
      );
      proxy.setMode({ kind: 'flipOneByte', match: isUploadPart });
      const error = await failure(
        viaProxy.send(
          new UploadPartCommand({
            Bucket: bucket,
            Key: key,
            UploadId,
            PartNumber: 1,
            Body: body,
            ContentMD5: md5Base64(body),
          }),
        ),
      );
      expect([error.name, error.$metadata?.httpStatusCode]).toEqual([
        'XAmzContentSHA256Mismatch',
        400,
      ]);
      await viaProxy.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId }));
    });

    it('a streamed body without Content-MD5 is stored damaged as it arrived: only the ETag tells', async () => {
      const body = randomBytes(64 * 1024);
      proxy.setMode({
        kind: 'flipOneByte',
        match: (line) => line.startsWith('PUT '),
        offset: 1000,
      });
      const put = await viaProxy.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: 'proxy/unguarded',
          Body: stream(body),
          ContentLength: body.length,
        }),
      );
      expect(proxy.stats.flips.at(-1)?.offset).toBe(1000);
      const damaged = Buffer.from(body);
      damaged[1000] = damaged[1000]! ^ 0xff;
      expect(put.ETag).toBe(`"${md5(damaged).toString('hex')}"`);
      expect((await read(s3, bucket, 'proxy/unguarded')).equals(damaged)).toBe(true);
    });

    it('this RGW does not check x-amz-checksum-sha256: a wrong one is accepted', async () => {
      // The headers really go out (seen at the proxy), and RGW stores the object regardless.
      const seen: Record<string, string>[] = [];
      proxy.setMode({
        kind: 'flipOneByte',
        match: (_line, headers) => (seen.push(headers), false),
      });
      const body = randomBytes(4096);
      const wrong = sha256Base64(randomBytes(8));
      const put = await viaProxy.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: 'proxy/sha256',
          Body: body,
          ChecksumAlgorithm: 'SHA256',
          ChecksumSHA256: wrong,
        }),
      );
      expect(put.ETag).toBe(`"${md5(body).toString('hex')}"`);
      const { UploadId } = await viaProxy.send(
        new CreateMultipartUploadCommand({
          Bucket: bucket,
          Key: 'proxy/sha256-mp',
          ChecksumAlgorithm: 'SHA256',
        }),
      );
      const part = await viaProxy.send(
        new UploadPartCommand({
          Bucket: bucket,
          Key: 'proxy/sha256-mp',
          UploadId,
          PartNumber: 1,
          Body: body,
          ChecksumAlgorithm: 'SHA256',
          ChecksumSHA256: wrong,
        }),
      );
      expect(part.ETag).toBe(`"${md5(body).toString('hex')}"`);
      proxy.setMode({ kind: 'pass' });
      expect(seen.filter((headers) => headers['x-amz-checksum-sha256'] === wrong)).toHaveLength(2);
      const head = await s3.send(
        new HeadObjectCommand({ Bucket: bucket, Key: 'proxy/sha256', ChecksumMode: 'ENABLED' }),
      );
      expect(head.ChecksumSHA256).toBeUndefined();
      await s3.send(
        new AbortMultipartUploadCommand({ Bucket: bucket, Key: 'proxy/sha256-mp', UploadId }),
      );
    });

    it('cuts a connection mid-upload, once, then passes again', async () => {
      const body = randomBytes(1 * MiB);
      const cutsBefore = proxy.stats.cuts;
      proxy.setMode({
        kind: 'cutAtRandom',
        minBytes: 1000,
        maxBytes: 500_000,
        direction: 'up',
        cuts: 1,
      });
      const error = await failure(
        viaProxy.send(
          new PutObjectCommand({
            Bucket: bucket,
            Key: 'proxy/cut',
            Body: body,
            ContentMD5: md5Base64(body),
          }),
        ),
      );
      expect(error.name).not.toBe('BadDigest');
      expect(proxy.stats.cuts - cutsBefore).toBe(1);
      expect(proxy.mode.kind).toBe('pass');
      // The half-sent object was not stored.
      expect(
        (await failure(s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'proxy/cut' })))).name,
      ).toBe('NotFound');
      await viaProxy.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: 'proxy/cut',
          Body: body,
          ContentMD5: md5Base64(body),
        }),
      );
      expect((await read(s3, bucket, 'proxy/cut')).equals(body)).toBe(true);
    });

    it('a reset cut reaches the client as ECONNRESET', async () => {
      proxy.setMode({
        kind: 'cutAtRandom',
        minBytes: 100,
        maxBytes: 200,
        direction: 'up',
        cuts: 1,
        reset: true,
      });
      const body = randomBytes(100_000);
      const error = await failure(
        viaProxy.send(new PutObjectCommand({ Bucket: bucket, Key: 'proxy/reset', Body: body })),
      );
      expect(error.code ?? error.name).toBe('ECONNRESET');
    });

    it('a stalled storage makes a request time out, and passes again after', async () => {
      const stalled = rgw.client({
        endpoint: proxy.endpoint,
        maxAttempts: 1,
        // Without throwOnRequestTimeout this SDK only logs a warning and keeps waiting.
        requestHandler: { requestTimeout: 1_000, throwOnRequestTimeout: true },
      });
      try {
        proxy.setMode({ kind: 'stall' });
        const error = await failure(stalled.send(new ListBucketsCommand({})));
        expect(error.name).toBe('TimeoutError');
        proxy.setMode({ kind: 'pass' });
        expect(
          (await stalled.send(new ListBucketsCommand({}))).Buckets?.map((b) => b.Name),
        ).toContain(bucket);
      } finally {
        stalled.destroy();
      }
    });
  });

  it('the gateway stops (connection refused) and comes back with the data on the same port', async () => {
    const body = randomBytes(50_000);
    await s3.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: 'clips/kept.mp4',
        Body: body,
        ContentMD5: md5Base64(body),
      }),
    );
    const key = 'clips/interrupted.mp4';
    const { UploadId } = await s3.send(
      new CreateMultipartUploadCommand({ Bucket: bucket, Key: key }),
    );
    const part = randomBytes(5 * MiB);
    const uploaded = await s3.send(
      new UploadPartCommand({
        Bucket: bucket,
        Key: key,
        UploadId,
        PartNumber: 1,
        Body: part,
        ContentMD5: md5Base64(part),
      }),
    );

    await rgw.stopGateway();
    const once = rgw.client({ maxAttempts: 1 });
    try {
      const error = await failure(
        once.send(new HeadObjectCommand({ Bucket: bucket, Key: 'clips/kept.mp4' })),
      );
      expect(error.code ?? error.name).toBe('ECONNREFUSED');
    } finally {
      once.destroy();
    }

    await rgw.startGateway();
    expect((await read(s3, bucket, 'clips/kept.mp4')).equals(body)).toBe(true);
    // The upload in progress survived the outage: it can be resumed from its listed parts.
    const listed = await s3.send(new ListPartsCommand({ Bucket: bucket, Key: key, UploadId }));
    expect(listed.Parts?.map((p) => [p.PartNumber, p.ETag])).toEqual([[1, uploaded.ETag]]);
    await s3.send(
      new CompleteMultipartUploadCommand({
        Bucket: bucket,
        Key: key,
        UploadId,
        MultipartUpload: { Parts: [{ PartNumber: 1, ETag: uploaded.ETag }] },
      }),
    );
    expect((await read(s3, bucket, key)).equals(part)).toBe(true);
  });
});
