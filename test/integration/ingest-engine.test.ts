// Ingest end to end on real files: a temp folder as the docked volume, real worker threads
// copying and reading back, a real SQLite catalogue and audit chain.
import { createHash } from 'node:crypto';
import {
  appendFileSync,
  existsSync,
  readdirSync,
  readFileSync,
  renameSync,
  statSync,
  utimesSync,
} from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InThreadCopier, WorkerCopier, type ClipCopier } from '../../src-main/ingest/copier';
import { openSourceFile, type OpenSource } from '../../src-main/ingest/copy';
import type { DockingProgress, IngestEngine, IngestResult } from '../../src-main/ingest';
import { readMediaFacts } from '../../src-main/ingest/media';
import { ingestWorkerScript } from '../support/ingest-build';
import {
  loadProfile,
  openTestEngine,
  registerRecorder,
  testStation,
  testVolume,
  type TestStation,
  type TestVolume,
} from '../support/ingest-station';

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const profile = loadProfile('generic-dcim');
const MiB = 1024 * 1024;

let station: TestStation;
let volume: TestVolume;
let engine: IngestEngine;

beforeEach(async () => {
  station = testStation();
  registerRecorder(station.catalogue, 'CAM01');
  volume = testVolume();
  engine = await openTestEngine(station);
});
afterEach(async () => {
  await engine.close();
  station.remove();
  volume.remove();
});

function ingest(
  over: { mountpoint?: string; recorderSerial?: string } = {},
): Promise<IngestResult> {
  return engine.ingest({
    mountpoint: over.mountpoint ?? volume.root,
    recorderSerial: over.recorderSerial ?? 'CAM01',
    profile,
  }).done;
}

function auditActions(prefix: string): string[] {
  return (
    station.db
      .prepare('SELECT action FROM audit_log WHERE action LIKE ? ORDER BY seq')
      .all(`${prefix}%`) as { action: string }[]
  ).map((r) => r.action);
}

function findingCodes(result: IngestResult): [string, string | null][] {
  return result.findings.map((f) => [f.code, f.path]);
}

async function reopen(options: Parameters<typeof openTestEngine>[1] = {}): Promise<void> {
  await engine.close();
  engine = await openTestEngine(station, options);
}

describe('a full ingest', () => {
  it('archives every clip verified, read-only, with a sidecar and an audit entry', async () => {
    const a = volume.add({ path: 'DCIM/100MEDIA/FILE0001.MP4', size: 3 * MiB + 17 });
    const b = volume.add({ path: 'DCIM/100MEDIA/FILE0002.MP4', size: 12345 });
    const c = volume.add({ path: 'DCIM/100MEDIA/IMG0003.JPG', size: 999 });

    const result = await ingest();

    expect(result.status).toBe('complete');
    expect(result.safeToUndock).toBe(true);
    expect(result.error).toBeNull();
    expect(result.counts).toMatchObject({ onVolume: 3, planned: 3, archived: 3, failed: 0 });
    expect(result.docking).toMatchObject({ status: 'complete', clipsPlanned: 3 });
    const byPath = new Map(result.clips.map((c) => [c.originalPath, c.clip]));
    for (const [path, bytes] of [
      ['DCIM/100MEDIA/FILE0001.MP4', a],
      ['DCIM/100MEDIA/FILE0002.MP4', b],
      ['DCIM/100MEDIA/IMG0003.JPG', c],
    ] as const) {
      const clip = byPath.get(path)!;
      expect(clip.status).toBe('verified');
      expect(clip.sha256).toBe(sha256(bytes));
      expect(clip.archivePath).toMatch(
        /^archive\/\d{4}\/\d{2}\/\d{2}\/CAM01\/[A-Z0-9]+\.(MP4|JPG)$/,
      );
      const archived = join(station.dataDir, ...clip.archivePath.split('/'));
      expect(readFileSync(archived).equals(bytes)).toBe(true);
      expect(statSync(archived).mode & 0o777).toBe(0o444);
      const sidecar = JSON.parse(readFileSync(archived + '.evidock.json', 'utf8'));
      expect(sidecar.clip).toMatchObject({ sha256: clip.sha256, archivePath: clip.archivePath });
      expect(sidecar.readBack).toEqual({ method: 'direct', reason: null });
      expect(sidecar.custody.map((e: { event: string }) => e.event)).toEqual([
        'copied',
        'verified',
        'archived',
      ]);
    }
    expect(auditActions('clip.').concat(auditActions('docking.'))).toEqual([
      'clip.archived',
      'clip.archived',
      'clip.archived',
      'docking.started',
      'docking.finished',
    ]);
    expect(station.audit.verify().ok).toBe(true);
    expect(readdirSync(join(station.dataDir, 'staging', 'CAM01'))).toEqual([]);
    // Clearing is off by default: the recorder keeps its files.
    expect(existsSync(volume.abs('DCIM/100MEDIA/FILE0001.MP4'))).toBe(true);
  });

  it('without a copy worker the docking fails with the reason, not clip by clip', async () => {
    await reopen({ workerScript: join(station.dataDir, 'no-such-worker.mjs') });
    volume.add({ path: 'DCIM/A.MP4', size: 100 });
    volume.add({ path: 'DCIM/B.MP4', size: 100 });
    const result = await ingest();
    expect(result.status).toBe('failed');
    expect(result.error?.message).toMatch(/ingest worker .* is missing/);
    expect(result.counts.failed).toBe(0);
    expect(result.safeToUndock).toBe(false);
  });

  it('refuses an unregistered recorder before reading anything (D-NO-LEAK)', () => {
    expect(() =>
      engine.ingest({ mountpoint: volume.root, recorderSerial: 'NOPE', profile }),
    ).toThrow(/not registered/);
  });

  it('docked again: nothing is copied twice', async () => {
    volume.add({ path: 'DCIM/A.MP4', size: 5000 });
    volume.add({ path: 'DCIM/B.MP4', size: 6000 });
    await ingest();
    volume.add({ path: 'DCIM/C.MP4', size: 7000 });
    const again = await ingest();
    expect(again.counts).toMatchObject({ planned: 1, archived: 1, alreadyProven: 2 });
    const third = await ingest();
    expect(third.counts).toMatchObject({ planned: 0, archived: 0, alreadyProven: 3 });
    expect(third.safeToUndock).toBe(true);
    expect(auditActions('clip.archived')).toHaveLength(3);
  });

  it('identical bytes already archived become a sighting, not a second copy', async () => {
    const bytes = volume.add({ path: 'DCIM/A.MP4', size: 40_000 });
    volume.add({ path: 'DCIM/COPY/A-again.MP4', bytes });
    const first = await ingest();
    expect(first.counts).toMatchObject({ archived: 1, sighted: 1 });
    // Copied side by side: whichever is proven second is the sighting.
    const duplicate = first.findings.filter((f) => f.code === 'duplicate');
    expect(duplicate).toHaveLength(1);
    expect(['DCIM/A.MP4', 'DCIM/COPY/A-again.MP4']).toContain(duplicate[0]!.path);

    registerRecorder(station.catalogue, 'CAM02');
    const other = testVolume([{ path: 'DCIM/X.MP4', bytes }]);
    try {
      const second = await ingest({ mountpoint: other.root, recorderSerial: 'CAM02' });
      expect(second.counts).toMatchObject({ archived: 0, sighted: 1 });
      const count = station.db.prepare('SELECT count(*) AS n FROM clips').get() as { n: number };
      expect(count.n).toBe(1);
      expect(auditActions('clip.sighted')).toHaveLength(2);
      // A sighting is proven too: docked again, it is not copied again.
      const third = await ingest({ mountpoint: other.root, recorderSerial: 'CAM02' });
      expect(third.counts).toMatchObject({ planned: 0, alreadyProven: 1 });
    } finally {
      other.remove();
    }
  });

  it('a name already taken in the archive gets a suffix, never overwrites', async () => {
    volume.add({ path: 'DCIM/FILE0001.MP4', size: 1000 });
    const first = await ingest();
    // The recorder was formatted and reused the name the same day.
    const when = new Date(Date.now() - 1_800_000);
    volume.add({ path: 'DCIM/FILE0001.MP4', size: 2000, mtime: when });
    const second = await ingest();
    const [a, b] = [first.clips[0]!.clip.archivePath, second.clips[0]!.clip.archivePath];
    if (a.split('/').slice(0, 5).join('/') === b.split('/').slice(0, 5).join('/')) {
      expect(b).toMatch(/FILE0001~2\.MP4$/);
      expect(findingCodes(second)).toContainEqual(['renamed-in-archive', 'DCIM/FILE0001.MP4']);
    }
    expect(sha256(readFileSync(join(station.dataDir, a)))).toBe(first.clips[0]!.clip.sha256);
  });

  it('hashes SM3 as well when the unit asks for it', async () => {
    station.catalogue.write((tx) => tx.settings.set('hashes', ['sha256', 'sm3']));
    const bytes = volume.add({ path: 'DCIM/A.MP4', size: 70_000 });
    const result = await ingest();
    const clip = result.clips[0]!.clip;
    expect(clip.sm3).toBe(createHash('sm3').update(bytes).digest('hex'));
  });
});

describe('progress and concurrency', () => {
  it('reports progress at most about four times a second per docking', async () => {
    station.catalogue.write((tx) => tx.settings.set('copyConcurrencyPerDisk', 1));
    await reopen({ copier: new InThreadCopier(slowSource(12)), chunkSize: 64 * 1024 });
    for (let i = 0; i < 3; i += 1) volume.add({ path: `DCIM/F${i}.MP4`, size: 2 * MiB });
    const events: { at: number; progress: DockingProgress }[] = [];
    engine.on('progress', (progress) => events.push({ at: Date.now(), progress }));
    const started = Date.now();
    const result = await ingest();
    const seconds = (Date.now() - started) / 1000;
    expect(result.status).toBe('complete');
    expect(seconds).toBeGreaterThan(1);
    // Phase changes are sent at once; everything else is coalesced to one every 250 ms.
    expect(events.length).toBeLessThanOrEqual(Math.ceil(seconds * 4) + 4);
    const copying = events.filter((e) => e.progress.phase === 'copying');
    const middle = copying.find((e) => e.progress.clips.length > 0)!.progress;
    expect(middle.total).toBe(6 * MiB);
    expect(middle.clips[0]).toMatchObject({ phase: expect.stringMatching(/copying|verifying/) });
    expect(events.at(-1)!.progress).toMatchObject({ phase: 'complete', safeToUndock: true });
    const rates = copying.map((e) => e.progress.rate).filter((r) => r > 0);
    expect(rates.length).toBeGreaterThan(0);
  });

  it('several recorders at once share the disk limit', async () => {
    station.catalogue.write((tx) => tx.settings.set('copyConcurrencyPerDisk', 2));
    const counting = new CountingCopier(new WorkerCopier(ingestWorkerScript(), 4));
    await reopen({ copier: counting });
    const volumes = [volume, testVolume(), testVolume()];
    try {
      const serials = ['CAM01', 'CAM02', 'CAM03'];
      for (const [i, v] of volumes.entries()) {
        if (i > 0) registerRecorder(station.catalogue, serials[i]!);
        for (let f = 0; f < 4; f += 1) v.add({ path: `DCIM/${serials[i]}_${f}.MP4`, size: MiB });
      }
      const results = await Promise.all(
        volumes.map((v, i) => ingest({ mountpoint: v.root, recorderSerial: serials[i]! })),
      );
      expect(results.map((r) => r.counts.archived)).toEqual([4, 4, 4]);
      expect(counting.maxInFlight).toBeLessThanOrEqual(2);
      expect(counting.maxInFlight).toBe(2);
      expect(engine.status()).toEqual([]);
    } finally {
      volumes.slice(1).forEach((v) => v.remove());
    }
  });
});

describe('clearing the recorder (policy, off by default)', () => {
  it('deletes only proven files, each audited, then the recorder is safe to undock', async () => {
    station.catalogue.write((tx) => tx.settings.set('clearAfterIngest', true));
    volume.add({ path: 'DCIM/A.MP4', size: 3000 });
    volume.add({ path: 'DCIM/B.MP4', size: 4000 });
    volume.add({ path: 'DCIM/empty.MP4', bytes: Buffer.alloc(0) });
    const result = await ingest();
    expect(result.status).toBe('complete');
    expect(result.counts.cleared).toBe(2);
    expect(result.safeToUndock).toBe(true);
    expect(existsSync(volume.abs('DCIM/A.MP4'))).toBe(false);
    expect(existsSync(volume.abs('DCIM/B.MP4'))).toBe(false);
    expect(existsSync(volume.abs('DCIM/empty.MP4'))).toBe(true); // never ingested, never deleted
    expect(auditActions('recorder.file.deleted')).toHaveLength(2);
    for (const { clip } of result.clips) {
      const row = station.db.prepare('SELECT cleared_at FROM clips WHERE id = ?').get(clip.id) as {
        cleared_at: string | null;
      };
      expect(row.cleared_at).not.toBeNull();
      const sidecar = JSON.parse(
        readFileSync(join(station.dataDir, clip.archivePath + '.evidock.json'), 'utf8'),
      );
      expect(sidecar.custody.at(-1).event).toBe('recorder-copy-deleted');
    }
  });

  it('a file rewritten after its copy was proven is not deleted', async () => {
    station.catalogue.write((tx) => tx.settings.set('clearAfterIngest', true));
    station.catalogue.write((tx) => tx.settings.set('copyConcurrencyPerDisk', 1)); // A, then B
    volume.add({ path: 'DCIM/A.MP4', size: 3000 });
    volume.add({ path: 'DCIM/B.MP4', size: 4000 });
    await reopen({
      onPlaceStep: (step, path) => {
        if (step === 'cleaned' && path === 'DCIM/B.MP4') {
          const later = new Date(Date.now() - 60_000);
          utimesSync(volume.abs('DCIM/A.MP4'), later, later);
        }
      },
    });
    const result = await ingest();
    expect(existsSync(volume.abs('DCIM/A.MP4'))).toBe(true);
    expect(existsSync(volume.abs('DCIM/B.MP4'))).toBe(false);
    expect(findingCodes(result)).toContainEqual(['clear-skipped', 'DCIM/A.MP4']);
    expect(result.safeToUndock).toBe(false);
  });
});

describe('bad input: a clear finding, nothing lost', () => {
  it('an unreadable sector (EIO): that clip is flagged, the others continue', async () => {
    await reopen({ copier: new InThreadCopier(failingSource('B.MP4', 'EIO')) });
    volume.add({ path: 'DCIM/A.MP4', size: 3000 });
    volume.add({ path: 'DCIM/B.MP4', size: 300_000 });
    volume.add({ path: 'DCIM/C.MP4', size: 5000 });
    const result = await ingest();
    expect(result.status).toBe('complete');
    expect(result.counts).toMatchObject({ archived: 2, failed: 1 });
    expect(result.safeToUndock).toBe(false);
    const flagged = result.findings.find((f) => f.code === 'read-error')!;
    expect(flagged.path).toBe('DCIM/B.MP4');
    expect(flagged.details).toEqual({ errno: 'EIO' });
    expect(result.clips.map((c) => c.originalPath).sort()).toEqual(['DCIM/A.MP4', 'DCIM/C.MP4']);
  });

  it('a file that grows while it is copied is not counted, and is taken at the next docking', async () => {
    volume.add({ path: 'DCIM/GROW.MP4', size: 32 * MiB });
    volume.add({ path: 'DCIM/STILL.MP4', size: 1000 });
    let grown = false;
    await reopen({
      chunkSize: 256 * 1024,
      onCopyProgress: (path) => {
        if (path === 'DCIM/GROW.MP4' && !grown) {
          grown = true;
          appendFileSync(volume.abs('DCIM/GROW.MP4'), Buffer.alloc(4096, 1));
        }
      },
    });
    const result = await ingest();
    expect(grown).toBe(true);
    expect(findingCodes(result)).toContainEqual(['changed-during-copy', 'DCIM/GROW.MP4']);
    expect(result.counts).toMatchObject({ archived: 1, failed: 1 });
    expect(result.clips.map((c) => c.originalPath)).toEqual(['DCIM/STILL.MP4']);
    expect(readdirSync(join(station.dataDir, 'staging', 'CAM01'))).toEqual([]);

    const later = await ingest();
    expect(later.counts).toMatchObject({ archived: 1, alreadyProven: 1 });
    const clip = later.clips.find((c) => c.originalPath === 'DCIM/GROW.MP4')!.clip;
    expect(clip.originalSize).toBe(32 * MiB + 4096);
  });

  it('the recorder pulled out mid-copy: interrupted, the partial kept, resumed at the next docking', async () => {
    const big = volume.add({ path: 'DCIM/100MEDIA/BIG.MP4', size: 48 * MiB });
    volume.add({ path: 'DCIM/100MEDIA/SMALL.MP4', size: 1000 });
    let pulled = false;
    await reopen({
      chunkSize: 64 * 1024,
      onCopyProgress: (path, phase, bytes) => {
        if (path.endsWith('BIG.MP4') && phase === 'copying' && bytes > 0 && !pulled) {
          pulled = true;
          renameSync(volume.abs('DCIM'), volume.abs('DCIM.away'));
        }
      },
    });
    const cut = await ingest();
    expect(pulled).toBe(true);
    expect(cut.status).toBe('interrupted');
    expect(cut.error?.code).toBe('volume-gone');
    expect(cut.safeToUndock).toBe(false);
    // Two lanes copy at once: whichever notices first names its own file.
    const gone = findingCodes(cut).filter(([code]) => code === 'volume-gone');
    expect(gone.length).toBeGreaterThan(0);
    expect(gone.some(([, path]) => path?.startsWith('DCIM/100MEDIA/'))).toBe(true);
    const staged = readdirSync(join(station.dataDir, 'staging', 'CAM01'));
    expect(staged.filter((n) => n.endsWith('.partial'))).toHaveLength(1);
    const clipsNow = station.db.prepare('SELECT original_path FROM clips').all();
    expect(clipsNow).not.toContainEqual({ original_path: 'DCIM/100MEDIA/BIG.MP4' });

    renameSync(volume.abs('DCIM.away'), volume.abs('DCIM'));
    await reopen({ chunkSize: 64 * 1024 });
    const again = await ingest();
    expect(again.status).toBe('complete');
    const resumed = again.findings.find((f) => f.code === 'resumed')!;
    expect(resumed.path).toBe('DCIM/100MEDIA/BIG.MP4');
    expect(resumed.details.resumedFrom).toBeGreaterThan(0);
    const clip = again.clips.find((c) => c.originalPath === 'DCIM/100MEDIA/BIG.MP4')!.clip;
    expect(clip.sha256).toBe(sha256(big));
    const count = station.db
      .prepare("SELECT count(*) AS n FROM clips WHERE original_path = 'DCIM/100MEDIA/BIG.MP4'")
      .get() as { n: number };
    expect(count.n).toBe(1);
    expect(readdirSync(join(station.dataDir, 'staging', 'CAM01'))).toEqual([]);
  });

  it('refused files are findings on the docking, and the rest is ingested', async () => {
    volume.add({ path: 'DCIM/ok.MP4', size: 100 });
    volume.add({ path: 'DCIM/zero.MP4', bytes: Buffer.alloc(0) });
    volume.add({ path: 'DCIM/tab\there.MP4', size: 100 });
    const result = await ingest();
    expect(result.counts.archived).toBe(1);
    expect(findingCodes(result)).toEqual(
      expect.arrayContaining([
        ['empty-file', 'DCIM/zero.MP4'],
        ['unsafe-name', 'DCIM/tab\\u0009here.MP4'],
      ]),
    );
    const stored = station.db
      .prepare('SELECT code FROM docking_findings WHERE docking_id = ?')
      .all(result.docking.id) as { code: string }[];
    expect(stored.map((r) => r.code).sort()).toEqual(['empty-file', 'unsafe-name']);
  });

  it('cancelled: interrupted, partials kept, nothing counted that was not proven', async () => {
    volume.add({ path: 'DCIM/A.MP4', size: 16 * MiB });
    await reopen({ copier: new InThreadCopier(slowSource(20)), chunkSize: 256 * 1024 });
    const job = engine.ingest({ mountpoint: volume.root, recorderSerial: 'CAM01', profile });
    setTimeout(() => job.cancel(), 200);
    const result = await job.done;
    expect(result.status).toBe('interrupted');
    expect(result.counts.archived).toBe(0);
    expect(readdirSync(join(station.dataDir, 'staging', 'CAM01')).sort()).toHaveLength(2);
  });
});

describe('rules checked at docking', () => {
  it('D-CONTINUOUS: a gap in the sequence numbers is a finding', async () => {
    const dsj = loadProfile('dsj-standard');
    registerRecorder(station.catalogue, 'DSJ0001', 'dsj-standard');
    await reopen({ readMediaFacts });
    const stamp = (minutes: number) => {
      const d = new Date(Date.now() - 3 * 3600_000 + minutes * 60_000);
      const local = new Date(d.getTime() + 8 * 3600_000); // file names carry China time
      return local.toISOString().replace(/[-:T]/g, '').slice(0, 14);
    };
    for (const [seq, minute] of [
      [1, 0],
      [2, 1],
      [5, 2],
    ] as const) {
      volume.add({
        path: `DCIM/DSJ0001_A1234_${stamp(minute)}_${String(seq).padStart(4, '0')}.MP4`,
        size: 1000,
        mtime: new Date(Date.now() - 3 * 3600_000 + (minute + 1) * 60_000),
      });
    }
    const result = await engine.ingest({
      mountpoint: volume.root,
      recorderSerial: 'DSJ0001',
      profile: dsj,
    }).done;
    expect(result.counts.archived).toBe(3);
    const gap = result.findings.find((f) => f.code === 'sequence-gap')!;
    expect(gap.message).toMatch(/D-CONTINUOUS/);
    expect(gap.path).toMatch(/_0005\.MP4$/);
  });

  it('D-24H: custody more than 24 hours after the recording ended is flagged', async () => {
    volume.add({ path: 'DCIM/OLD.MP4', size: 100, mtime: new Date(Date.now() - 3 * 86_400_000) });
    volume.add({ path: 'DCIM/NEW.MP4', size: 100 });
    const result = await ingest();
    expect(findingCodes(result).filter(([code]) => code === 'late-custody')).toEqual([
      ['late-custody', 'DCIM/OLD.MP4'],
    ]);
  });
});

/** Sleeps before each read: a copy slow enough to watch. */
function slowSource(msPerRead: number): OpenSource {
  return async (path) => {
    const real = await openSourceFile(path);
    return {
      ...real,
      read: async (...args) => {
        await new Promise((resolve) => setTimeout(resolve, msPerRead));
        return real.read(...args);
      },
    };
  };
}

/** The recorder's reads of `name` fail past 64 KiB, as a bad sector does. */
function failingSource(name: string, code: string): OpenSource {
  return async (path) => {
    const real = await openSourceFile(path);
    if (!path.endsWith(name)) return real;
    return {
      ...real,
      read: async (buffer, offset, length, position) => {
        if (position >= 64 * 1024) {
          throw Object.assign(new Error(`${code}: i/o error, read`), { code });
        }
        return real.read(buffer, offset, length, position);
      },
    };
  };
}

/** Counts copies in flight across every docking. */
class CountingCopier implements ClipCopier {
  inFlight = 0;
  maxInFlight = 0;
  constructor(private readonly inner: ClipCopier) {}
  async copy(...args: Parameters<ClipCopier['copy']>) {
    this.inFlight += 1;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      return await this.inner.copy(...args);
    } finally {
      this.inFlight -= 1;
    }
  }
  close() {
    return this.inner.close();
  }
}
