// The archive disk full (a small tmpfs data dir, mounted as root): the ingest stops cleanly with
// a clear error; the clip in progress is not counted, nothing is cleared, no partial is left.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { IngestEngine } from '../../src-main/ingest/engine';
import {
  loadProfile,
  openTestEngine,
  registerRecorder,
  testStation,
  testVolume,
  type TestStation,
  type TestVolume,
} from '../support/ingest-station';

const MiB = 1024 * 1024;
const profile = loadProfile('generic-dcim');

function mountTmpfs(sizeMiB: number): { path: string; unmount: () => void } | string {
  if (process.getuid?.() !== 0) return 'not root: a small tmpfs cannot be mounted';
  const path = mkdtempSync(join(tmpdir(), 'evidock-full-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeMiB}m,mode=0700`, 'tmpfs', path]);
  } catch (error) {
    rmSync(path, { recursive: true, force: true });
    return `mount -t tmpfs failed: ${(error as Error).message}`;
  }
  return {
    path,
    unmount: () => {
      execFileSync('umount', [path]);
      rmSync(path, { recursive: true, force: true });
    },
  };
}

const probe = mountTmpfs(1);
const unavailable = typeof probe === 'string' ? probe : null;
if (typeof probe !== 'string') probe.unmount();

describe.skipIf(unavailable !== null)(`a full archive disk ${unavailable ?? ''}`, () => {
  let disk: { path: string; unmount: () => void };
  let station: TestStation;
  let volume: TestVolume;
  let engine: IngestEngine;

  beforeEach(() => {
    disk = mountTmpfs(40) as { path: string; unmount: () => void };
    station = testStation(disk.path);
    registerRecorder(station.catalogue, 'CAM01');
    station.catalogue.write((tx) => tx.settings.set('clearAfterIngest', true));
    volume = testVolume();
    for (let i = 1; i <= 4; i += 1) volume.add({ path: `DCIM/A${i}.MP4`, size: 7 * MiB });
    volume.add({ path: 'DCIM/B.MP4', size: 16 * MiB });
  });
  afterEach(async () => {
    await engine?.close();
    station.close();
    volume.remove();
    disk.unmount();
  });

  it.each([
    ['refused before writing (free space checked per clip)', true],
    ['stopped by a real ENOSPC from the write', false],
  ])('%s', async (_name, checkSpace) => {
    engine = await openTestEngine(station, { checkSpace, spaceReserveBytes: MiB });
    const result = await engine.ingest({
      mountpoint: volume.root,
      recorderSerial: 'CAM01',
      profile,
    }).done;

    expect(result.status).toBe('failed');
    expect(result.error?.code).toBe('archive-full');
    expect(result.error?.message).toMatch(/full/);
    expect(result.safeToUndock).toBe(false);
    expect(result.counts.archived).toBeGreaterThan(0);
    expect(result.counts.archived).toBeLessThan(5);
    expect(result.counts.cleared).toBe(0);
    // Nothing deleted from the recorder, nothing half-copied counted or left behind.
    expect(readdirSync(volume.abs('DCIM')).sort()).toEqual([
      'A1.MP4',
      'A2.MP4',
      'A3.MP4',
      'A4.MP4',
      'B.MP4',
    ]);
    const staged = readdirSync(join(station.dataDir, 'staging', 'CAM01'));
    expect(staged.filter((n) => n.endsWith('.partial'))).toEqual([]);
    const rows = station.db.prepare('SELECT count(*) AS n FROM clips').get() as { n: number };
    expect(rows.n).toBe(result.counts.archived);
    expect(result.findings.map((f) => f.code)).toContain('archive-full');
    expect(station.audit.verify().ok).toBe(true);
  });
});
