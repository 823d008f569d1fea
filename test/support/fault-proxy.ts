import { connect, createServer, type Socket } from 'node:net';

/**
 * A TCP proxy between a client (the station's uploader) and the storage (RGW), for fault tests:
 * what a flaky network or a faulty NIC does to an upload, for real, at the byte level. The mode
 * can be changed while connections are open (keep-alive sockets included):
 *
 * - `pass`: bytes through unchanged (counted).
 * - `flipOneByte`: one byte of one request *body* is inverted on its way to the server, once,
 *   then back to `pass`. The proxy follows the HTTP/1.1 request stream (heads, Content-Length and
 *   chunked bodies) so the damage lands in the payload, as a bad cable would corrupt it, and the
 *   storage's own checks are what must catch it (Content-MD5 → BadDigest; a signed payload hash
 *   → XAmzContentSHA256Mismatch).
 * - `cutAtRandom`: connections are closed or reset (both sides) after a random number of bytes
 *   within a range, for a number of cuts and/or with a probability per connection, then back to
 *   `pass`.
 * - `stall`: new and open connections stop forwarding (bytes are held, nothing is answered): a
 *   storage that hangs rather than refuses. Back to `pass` releases what was held.
 * - `slow`: client → server bytes go at a set rate (a slow uplink); answers are not held.
 */

/** Gets the request line ("PUT /bucket/key?partNumber=2&uploadId=… HTTP/1.1"), lower-cased headers. */
export type RequestMatcher = (requestLine: string, headers: Record<string, string>) => boolean;

export type FaultMode =
  | { kind: 'pass' }
  | {
      kind: 'flipOneByte';
      /** Which requests qualify, e.g. UploadPart: `(line) => /^PUT .*partNumber=/.test(line)`. */
      match: RequestMatcher;
      /** The nth qualifying request (1-based, counted from setMode) gets the flip. Default 1. */
      nth?: number;
      /** Offset inside the body (clamped to its last byte). Default: the middle of the body. */
      offset?: number;
    }
  | {
      kind: 'cutAtRandom';
      /** A connection is cut after between minBytes and maxBytes more bytes (inclusive). */
      minBytes: number;
      maxBytes: number;
      /** Which bytes count towards the cut. Default 'both'. */
      direction?: 'up' | 'down' | 'both';
      /** Cuts to make before going back to `pass`. Default: no limit. */
      cuts?: number;
      /** Chance that a connection is armed (open ones at setMode, new ones after). Default 1. */
      probability?: number;
      /** Reset (RST: the peer sees ECONNRESET) instead of closing (FIN, after the bytes so far). */
      reset?: boolean;
    }
  | { kind: 'stall' }
  | {
      kind: 'slow';
      /** Client → server bytes a second: a slow uplink that keeps moving. */
      bytesPerSecond: number;
    };

export interface FaultProxyStats {
  connections: number;
  /** Client → server bytes, as received from the client. */
  bytesUp: number;
  /** Server → client bytes. */
  bytesDown: number;
  /** HTTP requests seen client → server (heads parsed). */
  requests: number;
  /** Their request lines, oldest first (the last 1000). */
  requestLines: string[];
  /** Bytes flipped so far (each with the request line it landed in and its body offset). */
  flips: { requestLine: string; offset: number }[];
  /** Connections cut so far. */
  cuts: number;
}

export interface FaultProxy {
  readonly port: number;
  /** http://127.0.0.1:PORT */
  readonly endpoint: string;
  readonly stats: FaultProxyStats;
  readonly mode: FaultMode;
  setMode(mode: FaultMode): void;
  /** Stops listening and destroys every open connection. */
  close(): Promise<void>;
}

const MAX_HEAD = 64 * 1024;

/**
 * Follows request boundaries in one connection's client → server bytes. `onBody` is asked, at
 * each request head, at which body offset (if any) to flip a byte.
 */
class RequestStream {
  private state:
    'head' | 'body' | 'chunk-size' | 'chunk-data' | 'chunk-crlf' | 'trailer' | 'opaque' = 'head';
  private text = '';
  private remaining = 0;
  private bodyOffset = 0;
  private flipAt: number | undefined;
  private line = '';

  constructor(
    private readonly onRequest: (
      line: string,
      headers: Record<string, string>,
      bodyLength: number | undefined,
    ) => number | undefined,
    private readonly onFlip: (line: string, offset: number) => void,
  ) {}

  /** The bytes to forward: `data` itself, or a copy with one byte flipped. */
  transform(data: Buffer): Buffer {
    let out = data;
    let i = 0;
    while (i < data.length && this.state !== 'opaque') {
      switch (this.state) {
        case 'head': {
          const before = this.text.length;
          this.text += data.toString('latin1', i);
          const end = this.text.indexOf('\r\n\r\n', Math.max(0, before - 3));
          if (end < 0) {
            if (this.text.length > MAX_HEAD) this.state = 'opaque';
            i = data.length;
            break;
          }
          i += end + 4 - before;
          this.startRequest(this.text.slice(0, end).replace(/^(\r\n)+/, ''));
          this.text = '';
          break;
        }
        case 'body':
        case 'chunk-data': {
          const n = Math.min(this.remaining, data.length - i);
          if (this.flipAt !== undefined && this.flipAt >= this.bodyOffset) {
            const at = this.flipAt - this.bodyOffset;
            if (at < n) {
              if (out === data) out = Buffer.from(data);
              out[i + at] = out[i + at]! ^ 0xff;
              this.onFlip(this.line, this.flipAt);
              this.flipAt = undefined;
            }
          }
          this.bodyOffset += n;
          this.remaining -= n;
          i += n;
          if (this.remaining === 0) {
            if (this.state === 'body') this.state = 'head';
            else {
              this.state = 'chunk-crlf';
              this.remaining = 2;
            }
          }
          break;
        }
        case 'chunk-crlf': {
          const n = Math.min(this.remaining, data.length - i);
          this.remaining -= n;
          i += n;
          if (this.remaining === 0) this.state = 'chunk-size';
          break;
        }
        case 'chunk-size':
        case 'trailer': {
          const nl = data.indexOf(0x0a, i);
          const stop = nl < 0 ? data.length : nl + 1;
          this.text += data.toString('latin1', i, stop);
          i = stop;
          if (nl < 0) {
            if (this.text.length > MAX_HEAD) this.state = 'opaque';
            break;
          }
          const text = this.text.trim();
          this.text = '';
          if (this.state === 'trailer') {
            if (text === '') this.state = 'head';
            break;
          }
          const size = Number.parseInt(text.split(';')[0]!, 16);
          if (!Number.isFinite(size) || size < 0) this.state = 'opaque';
          else if (size === 0) this.state = 'trailer';
          else {
            this.state = 'chunk-data';
            this.remaining = size;
          }
          break;
        }
      }
    }
    return out;
  }

  private startRequest(head: string): void {
    const [line = '', ...fields] = head.split('\r\n');
    const headers: Record<string, string> = {};
    for (const field of fields) {
      const colon = field.indexOf(':');
      if (colon > 0)
        headers[field.slice(0, colon).trim().toLowerCase()] = field.slice(colon + 1).trim();
    }
    this.line = line;
    this.bodyOffset = 0;
    const chunked = /\bchunked\b/i.test(headers['transfer-encoding'] ?? '');
    const length = chunked ? undefined : Number(headers['content-length'] ?? '0');
    if (length !== undefined && !Number.isSafeInteger(length)) {
      this.state = 'opaque';
      return;
    }
    this.flipAt = this.onRequest(line, headers, length);
    if (length !== undefined && this.flipAt !== undefined) {
      this.flipAt = Math.min(this.flipAt, length - 1);
    }
    if (chunked) this.state = 'chunk-size';
    else if (length! > 0) {
      this.state = 'body';
      this.remaining = length!;
    } else this.state = 'head';
  }
}

interface Link {
  client: Socket;
  server: Socket;
  /** Bytes left before this connection is cut (undefined: not armed). */
  cutAfter?: number;
  /** Being cut: nothing more is forwarded. */
  dead: boolean;
  /** What arrived while stalled, in order, with the side it was going to. */
  held: { to: Socket; data: Buffer }[];
}

function randomBetween(min: number, max: number): number {
  return min + Math.floor(Math.random() * (max - min + 1));
}

/** Listens on a free loopback port and forwards every connection to `target`. */
export async function startFaultProxy(target: {
  host?: string;
  port: number;
}): Promise<FaultProxy> {
  const host = target.host ?? '127.0.0.1';
  let mode: FaultMode = { kind: 'pass' };
  let matched = 0;
  let cutsLeft = Infinity;
  const links = new Set<Link>();
  const stats: FaultProxyStats = {
    connections: 0,
    bytesUp: 0,
    bytesDown: 0,
    requests: 0,
    requestLines: [],
    flips: [],
    cuts: 0,
  };

  const arm = (link: Link) => {
    if (mode.kind !== 'cutAtRandom') return;
    if (Math.random() < (mode.probability ?? 1)) {
      link.cutAfter = randomBetween(mode.minBytes, mode.maxBytes);
    }
  };

  const release = (link: Link) => {
    for (const { to, data } of link.held.splice(0)) if (!to.destroyed) to.write(data);
    link.client.resume();
    link.server.resume();
  };

  const setMode = (next: FaultMode) => {
    mode = next;
    matched = 0;
    cutsLeft = next.kind === 'cutAtRandom' ? (next.cuts ?? Infinity) : Infinity;
    for (const link of links) {
      link.cutAfter = undefined;
      arm(link);
      if (next.kind !== 'stall') release(link);
    }
  };

  /** Counts the cut when it is decided (so parallel connections cannot exceed `cuts`). */
  const cut = (link: Link): (() => void) => {
    link.dead = true;
    stats.cuts += 1;
    const reset = mode.kind === 'cutAtRandom' && mode.reset === true;
    cutsLeft -= 1;
    if (cutsLeft <= 0) setMode({ kind: 'pass' });
    return () => {
      for (const socket of [link.client, link.server]) {
        try {
          if (reset) socket.resetAndDestroy();
          else socket.destroy();
        } catch {
          socket.destroy(); // not connected yet: nothing to reset
        }
      }
    };
  };

  /** Forwards `data` from one side to the other under the current mode. */
  const forward = (link: Link, data: Buffer, from: Socket, to: Socket, up: boolean): void => {
    if (link.dead) return;
    if (mode.kind === 'stall') {
      // Stop reading too: the sender's TCP window fills and it blocks, as on a hung server.
      link.held.push({ to, data });
      from.pause();
      return;
    }
    if (mode.kind === 'slow' && up) {
      // Each chunk waits its share of the second before the next is read from the sender.
      from.pause();
      to.write(data);
      setTimeout(
        () => {
          if (!link.dead && mode.kind !== 'stall') from.resume();
        },
        (data.length / mode.bytesPerSecond) * 1000,
      );
      return;
    }
    if (mode.kind === 'cutAtRandom' && link.cutAfter !== undefined) {
      const direction = mode.direction ?? 'both';
      if (direction === 'both' || (direction === 'up') === up) {
        if (data.length >= link.cutAfter) {
          if (link.cutAfter > 0) to.write(data.subarray(0, link.cutAfter));
          const destroy = cut(link);
          // Let the last bytes reach the kernel first: destroying discards what is still queued.
          if (to.writableLength === 0) destroy();
          else to.once('drain', destroy);
          return;
        }
        link.cutAfter -= data.length;
      }
    }
    if (!to.write(data)) {
      from.pause();
      to.once('drain', () => {
        if (mode.kind !== 'stall') from.resume();
      });
    }
  };

  const server = createServer({ allowHalfOpen: true }, (client) => {
    stats.connections += 1;
    const upstream = connect({ host, port: target.port, allowHalfOpen: true });
    const link: Link = { client, server: upstream, dead: false, held: [] };
    links.add(link);
    arm(link);

    const requests = new RequestStream(
      (line, headers, length) => {
        stats.requests += 1;
        stats.requestLines.push(line);
        if (stats.requestLines.length > 1000) stats.requestLines.shift();
        if (mode.kind !== 'flipOneByte' || !mode.match(line, headers)) return undefined;
        matched += 1;
        if (matched !== (mode.nth ?? 1)) return undefined;
        return mode.offset ?? (length !== undefined ? Math.floor(length / 2) : 0);
      },
      (line, offset) => {
        stats.flips.push({ requestLine: line, offset });
        setMode({ kind: 'pass' });
      },
    );

    client.on('data', (data: Buffer) => {
      stats.bytesUp += data.length;
      forward(link, requests.transform(data), client, upstream, true);
    });
    upstream.on('data', (data: Buffer) => {
      stats.bytesDown += data.length;
      forward(link, data, upstream, client, false);
    });
    client.on('end', () => upstream.end());
    upstream.on('end', () => client.end());
    const close = () => {
      links.delete(link);
      client.destroy();
      upstream.destroy();
    };
    client.on('error', close);
    upstream.on('error', close);
    client.on('close', close);
    upstream.on('close', close);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('proxy has no port');
  const port = address.port;

  return {
    port,
    endpoint: `http://127.0.0.1:${port}`,
    stats,
    get mode() {
      return mode;
    },
    setMode,
    close: () =>
      new Promise<void>((resolve) => {
        for (const link of links) {
          link.client.destroy();
          link.server.destroy();
        }
        links.clear();
        server.close(() => resolve());
      }),
  };
}
