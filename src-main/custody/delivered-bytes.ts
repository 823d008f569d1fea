import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname } from 'node:path';
import { resolveInside } from '../archive';

/** The bytes a delivery sends (see custody/delivery): a file or bytes, and how to name them. */

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

/** What one delivery sends. */
export interface Delivered {
  /** A file in the data dir (data-dir-relative), or bytes made for this delivery. */
  source: { file: string } | { bytes: Buffer };
  mime: string;
  /** A download's file name. */
  fileName?: string;
}

/**
 * A delivery's bytes, answered with `headers` (the site's): a whole file, one range of it, or
 * bytes made for this delivery.
 */
export async function sendDelivered(
  delivered: Delivered,
  dataDir: string,
  req: IncomingMessage,
  res: ServerResponse,
  siteHeaders: Record<string, string>,
): Promise<void> {
  const headers = {
    ...siteHeaders,
    'Content-Type': delivered.mime,
    ...(delivered.fileName === undefined
      ? {}
      : {
          'Content-Disposition': `attachment; filename*=UTF-8''${encodeURIComponent(delivered.fileName)}`,
        }),
  };
  if ('bytes' in delivered.source) {
    res.writeHead(200, { ...headers, 'Content-Length': String(delivered.source.bytes.length) });
    res.end(req.method === 'HEAD' ? undefined : delivered.source.bytes);
    return;
  }
  const file = resolveInside(dataDir, delivered.source.file);
  const { size } = await stat(file);
  const range = parseRange(req.headers.range, size);
  if (range === 'unsatisfiable') {
    res.writeHead(416, { ...siteHeaders, 'Content-Range': `bytes */${size}` }).end();
    return;
  }
  const [start, end] = range ?? [0, size - 1];
  res.writeHead(range ? 206 : 200, {
    ...headers,
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

/** One `bytes=a-b` range (what media elements ask for); several ranges get the whole file. */
function parseRange(
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
