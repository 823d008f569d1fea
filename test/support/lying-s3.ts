// A tiny S3-compatible server for one lie only: it keeps every object it is sent and answers
// HeadObject truthfully about what it was sent (size, metadata, the MD5 ETag), but the bytes it
// holds of a clip are not those: GetObject returns them with one byte flipped, as a disk that
// rots under a server which never re-reads it would. Only a read-back can catch it. Path-style,
// one bucket, single PUTs (clips under one part), no signature checks; nothing else of S3.
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

interface Stored {
  body: Buffer;
  etag: string;
  metadata: Record<string, string>;
}

export interface LyingS3 {
  readonly endpoint: string;
  readonly bucket: string;
  /** Keys as stored (what PutObject received). */
  readonly objects: Map<string, Stored>;
  /** Whether GetObject of `key` rots its bytes (every key but documents and probes). */
  rots(key: string): boolean;
  close(): Promise<void>;
}

/** Reads a body, decoding `aws-chunked` framing when the SDK streams with signed chunks. */
async function bodyOf(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const raw = Buffer.concat(chunks);
  const encoding = `${req.headers['content-encoding'] ?? ''}`;
  const payload = `${req.headers['x-amz-content-sha256'] ?? ''}`;
  if (!encoding.includes('aws-chunked') && !payload.startsWith('STREAMING')) return raw;
  const out: Buffer[] = [];
  let at = 0;
  for (;;) {
    const eol = raw.indexOf('\r\n', at);
    if (eol < 0) break;
    const size = parseInt(raw.subarray(at, eol).toString().split(';')[0]!, 16);
    if (!Number.isFinite(size) || size === 0) break;
    out.push(raw.subarray(eol + 2, eol + 2 + size));
    at = eol + 2 + size + 2;
  }
  return Buffer.concat(out);
}

const isDocument = (key: string) =>
  /\.(json|jsonl|log|pem)$/.test(key) || key.includes('.evidock-probe-');

export async function startLyingS3(bucket = 'lies'): Promise<LyingS3> {
  const objects = new Map<string, Stored>();
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const [, name, ...rest] = url.pathname.split('/');
    const key = decodeURIComponent(rest.join('/'));
    if (name !== bucket) {
      res.writeHead(404, { 'content-type': 'application/xml' });
      res.end('<Error><Code>NoSuchBucket</Code><Message>no such bucket</Message></Error>');
      return;
    }
    if (key === '') {
      if (req.method === 'HEAD') return void res.writeHead(200).end();
      if (req.method === 'GET' && url.searchParams.has('uploads')) {
        res.writeHead(200, { 'content-type': 'application/xml' });
        res.end(
          `<?xml version="1.0" encoding="UTF-8"?><ListMultipartUploadsResult><Bucket>${bucket}</Bucket>` +
            '<IsTruncated>false</IsTruncated></ListMultipartUploadsResult>',
        );
        return;
      }
      res.writeHead(501).end();
      return;
    }
    if (req.method === 'PUT') {
      const body = await bodyOf(req);
      const etag = createHash('md5').update(body).digest('hex');
      const metadata: Record<string, string> = {};
      for (const [header, value] of Object.entries(req.headers)) {
        if (header.startsWith('x-amz-meta-')) metadata[header.slice(11)] = `${value}`;
      }
      objects.set(key, { body, etag, metadata });
      res.writeHead(200, { etag: `"${etag}"` }).end();
      return;
    }
    const stored = objects.get(key);
    if (req.method === 'DELETE') {
      objects.delete(key);
      res.writeHead(204).end();
      return;
    }
    if (stored === undefined) {
      if (req.method === 'HEAD') return void res.writeHead(404).end();
      res.writeHead(404, { 'content-type': 'application/xml' });
      res.end('<Error><Code>NoSuchKey</Code><Message>no such key</Message></Error>');
      return;
    }
    const headers = {
      'content-length': String(stored.body.length),
      etag: `"${stored.etag}"`,
      'content-type': 'application/octet-stream',
      ...Object.fromEntries(
        Object.entries(stored.metadata).map(([k, v]) => [`x-amz-meta-${k}`, v]),
      ),
    };
    if (req.method === 'HEAD') return void res.writeHead(200, headers).end();
    if (req.method === 'GET') {
      const body = Buffer.from(stored.body);
      const middle = body.length >> 1;
      if (!isDocument(key) && body.length > 0) body[middle] = body[middle]! ^ 0xff;
      res.writeHead(200, headers).end(body);
      return;
    }
    res.writeHead(501).end();
  };
  const server: Server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    bucket,
    objects,
    rots: (key) => !isDocument(key),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
