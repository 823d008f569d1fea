import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname } from 'node:path';
import type { AuthService, Caller } from '../auth/auth-service';
import type { ClipRecord } from '../catalogue/clips';
import { resolveInside } from '../archive';

/** Where the UI plays clips from. */
export const PLAYBACK_PATH = '/playback/';

/** Long enough to start a clip and seek in it; every new play is a new ticket and a new audit. */
const TICKET_MS = 10 * 60 * 1000;

const MEDIA_TYPES: Record<string, string> = {
  '.mp4': 'video/mp4',
  '.mov': 'video/quicktime',
  '.avi': 'video/x-msvideo',
  '.mkv': 'video/x-matroska',
  '.ts': 'video/mp2t',
  '.wav': 'audio/wav',
  '.mp3': 'audio/mpeg',
  '.aac': 'audio/aac',
  '.amr': 'audio/amr',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.png': 'image/png',
};

export function mediaTypeOf(path: string): string {
  return MEDIA_TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream';
}

interface Ticket {
  token: string;
  /** Asked again at every request: a clip made confidential meanwhile stops playing. */
  allowed: (caller: Caller) => boolean;
  archivePath: string;
  mime: string;
  expiresAt: number;
}

/**
 * D-NO-LEAK: footage leaves the archive only through the station, to a logged-in session, on a
 * short-lived unguessable ticket (a <video> element cannot send the session itself). A ticket
 * stops working when its session ends, and is bound to the one clip it was issued for.
 */
export class Playback {
  private readonly tickets = new Map<string, Ticket>();
  /** Set in the desktop app, where the renderer is not served by the station. */
  private origin = '';

  constructor(
    private readonly dataDir: string,
    private readonly auth: AuthService,
    private readonly now: () => Date,
  ) {}

  issue(
    caller: Caller,
    clip: ClipRecord,
    allowed: (caller: Caller) => boolean,
  ): { url: string; mime: string; expiresAt: string } {
    this.sweep();
    const ticket = randomBytes(24).toString('base64url');
    const expiresAt = this.now().getTime() + TICKET_MS;
    const mime = mediaTypeOf(clip.archivePath);
    this.tickets.set(ticket, {
      token: caller.token,
      allowed,
      archivePath: clip.archivePath,
      mime,
      expiresAt,
    });
    return {
      url: `${this.origin}${PLAYBACK_PATH}${ticket}`,
      mime,
      expiresAt: new Date(expiresAt).toISOString(),
    };
  }

  private sweep(): void {
    const at = this.now().getTime();
    for (const [key, ticket] of this.tickets) {
      if (ticket.expiresAt <= at || !this.auth.peek(ticket.token)) this.tickets.delete(key);
    }
  }

  /** Answers a playback request; false when the path is not a playback path. */
  handle(req: IncomingMessage, res: ServerResponse): boolean {
    const path = new URL(req.url ?? '/', 'http://station').pathname;
    if (!path.startsWith(PLAYBACK_PATH)) return false;
    void this.serve(path.slice(PLAYBACK_PATH.length), req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500).end();
      else res.destroy();
    });
    return true;
  }

  private async serve(key: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const headers = {
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      'Cross-Origin-Resource-Policy': 'same-site',
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, headers).end();
      return;
    }
    const ticket = this.tickets.get(key);
    const caller = ticket && this.auth.peek(ticket.token);
    if (!ticket || !caller || ticket.expiresAt <= this.now().getTime() || !ticket.allowed(caller)) {
      if (ticket) this.tickets.delete(key);
      res.writeHead(403, { ...headers, 'Content-Type': 'text/plain' }).end('Playback expired\n');
      return;
    }
    const file = resolveInside(this.dataDir, ticket.archivePath);
    const { size } = await stat(file);
    const range = parseRange(req.headers.range, size);
    if (range === 'unsatisfiable') {
      res.writeHead(416, { ...headers, 'Content-Range': `bytes */${size}` }).end();
      return;
    }
    const [start, end] = range ?? [0, size - 1];
    res.writeHead(range ? 206 : 200, {
      ...headers,
      'Content-Type': ticket.mime,
      'Accept-Ranges': 'bytes',
      'Content-Length': String(size === 0 ? 0 : end - start + 1),
      ...(range ? { 'Content-Range': `bytes ${start}-${end}/${size}` } : {}),
    });
    if (req.method === 'HEAD' || size === 0) {
      res.end();
      return;
    }
    createReadStream(file, { start, end })
      .on('error', () => res.destroy())
      .pipe(res);
  }

  /**
   * The desktop app loads its pages from app://, not from the station: clips are played from a
   * loopback-only server of the station's own.
   */
  async listenOnLoopback(): Promise<() => Promise<void>> {
    const server = createServer((req, res) => {
      if (!this.handle(req, res)) res.writeHead(404).end();
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    this.origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return () =>
      new Promise<void>((resolve) => {
        this.origin = '';
        server.close(() => resolve());
        server.closeAllConnections();
      });
  }
}

/** One `bytes=a-b` range (what media elements ask for); several ranges get the whole file. */
export function parseRange(
  header: string | undefined,
  size: number,
): [number, number] | 'unsatisfiable' | null {
  if (!header) return null;
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match) return null;
  const [, from, to] = match;
  if (from === '' && to === '') return null;
  let start: number;
  let end: number;
  if (from === '') {
    start = Math.max(0, size - Number(to));
    end = size - 1;
  } else {
    start = Number(from);
    end = to === '' ? size - 1 : Math.min(Number(to), size - 1);
  }
  if (start >= size || start > end) return 'unsatisfiable';
  return [start, end];
}
