// The station killed with SIGKILL mid-copy, or at any step between a proven copy and its
// catalogue row: after a restart every clip ends verified exactly once, nothing half-copied is
// counted, the archive holds exactly the catalogued originals, the audit chain holds.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../support/cli';
import { bundle, ingestWorkerScript } from '../support/ingest-build';
import {
  registerRecorder,
  testStation,
  testVolume,
  type TestStation,
  type TestVolume,
} from '../support/ingest-station';

const MiB = 1024 * 1024;
const child = bundle('test/support/ingest-crash-child.ts', 'ingest-crash-child');

interface Run {
  killed: boolean;
  lines: Record<string, unknown>[];
}

function runStation(
  station: TestStation,
  volume: TestVolume,
  kill: { afterProgress?: number; atStep?: string; atClip?: number } = {},
): Promise<Run> {
  const args = {
    dataDir: station.dataDir,
    mountpoint: volume.root,
    serial: 'CAM01',
    profileFile: join(REPO_ROOT, 'resources', 'recorders', 'generic-dcim.json'),
    workerScript: ingestWorkerScript(),
    chunkSize: 256 * 1024,
    killAfterProgress: kill.afterProgress ?? 0,
    killAtStep: kill.atStep ?? null,
    killAtClip: kill.atClip ?? 1,
  };
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [child, JSON.stringify(args)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    proc.stdout.on('data', (d: Buffer) => (out += d.toString()));
    proc.stderr.on('data', (d: Buffer) => (err += d.toString()));
    proc.on('error', reject);
    proc.on('close', (code, signal) => {
      const lines = out
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as Record<string, unknown>);
      if (signal === 'SIGKILL') resolve({ killed: true, lines });
      else if (code === 0) resolve({ killed: false, lines });
      else reject(new Error(`station child exited ${code}: ${err}`));
    });
  });
}

let station: TestStation;
let volume: TestVolume;
const sources = new Map<string, Buffer>();

beforeEach(() => {
  station = testStation();
  registerRecorder(station.catalogue, 'CAM01');
  station.close(); // the child processes own the catalogue now
  volume = testVolume();
  sources.clear();
  for (let i = 1; i <= 6; i += 1) {
    const path = `DCIM/100MEDIA/CLIP${i}.MP4`;
    sources.set(path, volume.add({ path, size: (i % 3) * 4 * MiB + 1000 + i }));
  }
});
afterEach(() => {
  station.remove();
  volume.remove();
});

/** Every source file is one verified clip whose archived bytes are the source's; nothing else. */
function expectExactlyOnce(): void {
  station.reopen();
  const clips = station.db
    .prepare(
      'SELECT id, original_path, sha256, archive_path, status FROM clips ORDER BY original_path',
    )
    .all() as {
    id: number;
    original_path: string;
    sha256: string;
    archive_path: string;
    status: string;
  }[];
  expect(clips.map((c) => c.original_path)).toEqual([...sources.keys()].sort());
  const archived: string[] = [];
  for (const clip of clips) {
    const bytes = sources.get(clip.original_path)!;
    expect(clip.status).toBe('verified');
    expect(clip.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
    const file = join(station.dataDir, ...clip.archive_path.split('/'));
    expect(readFileSync(file).equals(bytes)).toBe(true);
    expect(existsSync(file + '.evidock.json')).toBe(true);
    archived.push(clip.archive_path, clip.archive_path + '.evidock.json');
  }
  expect(listArchive(join(station.dataDir, 'archive'), 'archive').sort()).toEqual(archived.sort());
  expect(existsSync(join(station.dataDir, 'quarantine'))).toBe(false);
  const staged = readdirSync(join(station.dataDir, 'staging', 'CAM01'));
  expect(staged).toEqual([]);
  const perClip = station.db
    .prepare(
      `SELECT subject, count(*) AS n FROM audit_log
       WHERE action IN ('clip.archived', 'clip.recovered') GROUP BY subject`,
    )
    .all() as { subject: string; n: number }[];
  expect(perClip).toHaveLength(sources.size);
  expect(perClip.every((r) => r.n === 1)).toBe(true);
  expect(station.audit.verify().ok).toBe(true);
  const unfinished = station.db
    .prepare("SELECT count(*) AS n FROM dockings WHERE status = 'ingesting'")
    .get() as { n: number };
  expect(unfinished.n).toBe(0);
}

interface Recovery {
  placed: { outcome: string }[];
  keptForResume: number;
  discarded: unknown[];
  quarantined: unknown[];
  interruptedDockings: number[];
}

function recoveryOf(run: Run): Recovery {
  return run.lines.find((l) => 'recovery' in l)!.recovery as Recovery;
}

function listArchive(dir: string, rel: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? listArchive(join(dir, e.name), `${rel}/${e.name}`) : [`${rel}/${e.name}`],
  );
}

describe('SIGKILL of the station', () => {
  it('mid-copy, again and again: after each restart every clip ends verified exactly once', async () => {
    // Killed at the first progress report, then ever later; each restart settles what it finds.
    let keptForResume = 0;
    const first = await runStation(station, volume, { afterProgress: 1 });
    expect(first.killed).toBe(true);
    for (const afterProgress of [2, 3, 5, 8]) {
      const run = await runStation(station, volume, { afterProgress });
      keptForResume += recoveryOf(run).keptForResume;
    }
    const last = await runStation(station, volume);
    keptForResume += recoveryOf(last).keptForResume;
    expect(last.killed).toBe(false);
    expect(last.lines.at(-1)).toMatchObject({ result: { status: 'complete' } });
    // At least one kill landed mid-copy: a restart found a partial to resume.
    expect(keptForResume).toBeGreaterThan(0);
    expectExactlyOnce();
  });

  it.each(['placing-recorded', 'linked', 'sidecar-written', 'catalogued', 'cleaned'])(
    'right after the placement step "%s": the restart settles that clip exactly once',
    async (step) => {
      const killed = await runStation(station, volume, { atStep: step, atClip: 2 });
      expect(killed.killed).toBe(true);
      const restart = await runStation(station, volume);
      expect(restart.killed).toBe(false);
      const recovery = recoveryOf(restart);
      expect(recovery.interruptedDockings).toHaveLength(1);
      // The clip killed mid-placement is finished by recovery (others proven by then, too).
      if (step !== 'cleaned') expect(recovery.placed.length).toBeGreaterThanOrEqual(1);
      expectExactlyOnce();
    },
  );
});
