// Forwarding to a file share: a separate file system mounted at a folder (an ext4 image on a
// loop device, as an NFS or SMB share would be mounted), unmounted in the middle of a copy.
import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI } from '../support/cli';
import { CUSTODIAN_PW, forwardStation, type ForwardStation } from '../support/forward-station';
import { tempDir } from '../support/temp';

const MiB = 1024 * 1024;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function shareUnavailable(): string | undefined {
  if (process.platform !== 'linux') return 'needs Linux';
  if (process.getuid?.() !== 0) return 'needs root (mount)';
  return undefined;
}

/** Every file under a folder, relative, `/`-separated. */
function filesUnder(root: string, prefix = ''): string[] {
  if (!existsSync(root)) return [];
  return readdirSync(root, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? filesUnder(join(root, entry.name), `${prefix}${entry.name}/`)
      : [`${prefix}${entry.name}`],
  );
}

function attempts(station: ForwardStation): number {
  const db = new Database(join(station.dataDir, 'catalogue.sqlite'), { readonly: true });
  try {
    return (
      (db.prepare('SELECT attempts FROM forward_outbox').get() as { attempts: number } | undefined)
        ?.attempts ?? 0
    );
  } finally {
    db.close();
  }
}

const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

describe.skipIf(shareUnavailable() !== undefined)('forwarding to a mounted share', () => {
  const work = tempDir('evidock-share-');
  const image = join(work.path, 'share.img');
  const share = join(work.path, 'share');

  const mount = () => execFileSync('mount', ['-o', 'loop', image, share]);
  const unmount = (lazy = false) =>
    execFileSync('umount', lazy ? ['-l', share] : [share], { stdio: 'ignore' });
  const mounted = () => readFileSync('/proc/self/mountinfo', 'utf8').includes(` ${share} `);

  beforeAll(() => {
    mkdirSync(share);
    execFileSync('truncate', ['-s', '160M', image]);
    execFileSync('mkfs.ext4', ['-q', '-F', image]);
    mount();
  });
  afterAll(() => {
    if (mounted()) unmount();
    work.remove();
  });

  async function stationWithShare(sizes: number[], extra: string[] = []) {
    const station = await forwardStation(sizes);
    const added = await station.cli(
      [
        'forward',
        'targets',
        'add',
        '--name',
        'share',
        '--kind',
        'folder',
        '--path',
        share,
        '--prefix',
        `st${Date.now()}`,
        '--user',
        'C001',
        ...extra,
      ],
      `${CUSTODIAN_PW}\n`,
    );
    expect(added.code, added.stdout + added.stderr).toBe(0);
    const prefix = (added.json() as { target: { prefix: string } }).target.prefix;
    return { station, prefix };
  }

  it('writes each clip whole, renamed from .partial, read back and proven', async () => {
    const { station, prefix } = await stationWithShare([3 * MiB + 5, 20_000]);
    try {
      const run = await station.cli(
        ['forward', 'run', '--until-idle', '--user', 'C001'],
        `${CUSTODIAN_PW}\n`,
      );
      expect(run.code, run.stdout + run.stderr).toBe(0);
      for (const clip of station.clips) {
        const copy = join(share, prefix, ...clip.archivePath.split('/'));
        expect(sha256(copy)).toBe(clip.sha256);
        expect(existsSync(`${copy}.evidock.json`)).toBe(true);
      }
      expect(filesUnder(share).filter((f) => f.endsWith('.partial'))).toEqual([]);
    } finally {
      station.remove();
    }
  });

  it('writes nothing while the share is not mounted, and finishes once it is back', async () => {
    const { station, prefix } = await stationWithShare([40 * MiB], ['--otherwise', '8MB/s']);
    try {
      const child = spawn(
        process.execPath,
        [
          CLI,
          'forward',
          'run',
          '--until-idle',
          '--user',
          'C001',
          '--data-dir',
          station.dataDir,
          '--json',
        ],
        { stdio: ['pipe', 'pipe', 'pipe'] },
      );
      child.stdin.end(`${CUSTODIAN_PW}\n`);
      let out = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      const exited = new Promise<number | null>((done) => child.once('exit', done));
      const deadline = Date.now() + 30_000;
      while (!filesUnder(share).some((f) => f.endsWith('.partial')) && Date.now() < deadline) {
        await sleep(50);
      }
      await sleep(500);
      // The share goes away mid-copy (lazily: the copy's open file keeps the old mount alive).
      unmount(true);
      // The copy fails (its rename finds no share), and the next tries find no marker file.
      const failedBy = Date.now() + 60_000;
      while (attempts(station) < 2 && Date.now() < failedBy) await sleep(100);
      expect(attempts(station)).toBeGreaterThanOrEqual(2);
      // Meanwhile nothing landed in the bare mount point, on the station's own disk.
      expect(filesUnder(share)).toEqual([]);
      // The old mount is gone for good once the failed copy closed its file: mounted again.
      mount();
      const code = await exited;
      expect(code, out).toBe(0);
      const clip = station.clips[0]!;
      expect(sha256(join(share, prefix, ...clip.archivePath.split('/')))).toBe(clip.sha256);
      expect(filesUnder(share).filter((f) => f.endsWith('.partial'))).toEqual([]);
      const db = new Database(join(station.dataDir, 'catalogue.sqlite'), { readonly: true });
      const row = db.prepare('SELECT state FROM forward_outbox').get() as { state: string };
      db.close();
      expect(row.state).toBe('verified');
    } finally {
      station.remove();
      rmSync(join(share, prefix), { recursive: true, force: true });
    }
  });
});
