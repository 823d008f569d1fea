// The station bench:forward sends from (and bench:disc burns from): a data dir on the real disk
// with the accounts a unit has (admin, custodian, officer), one registered recorder, and a shift's
// worth of clips ingested through the station CLI bundled from today's sources (test/bench/run.mjs
// gives its path), so the archive, sidecars and catalogue are exactly what a station holds.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import { testVolume } from '../support/ingest-station';
import { ADMIN_PW, CUSTODIAN_PW, OFFICER_PW } from '../support/forward-station';
import { onInterrupt } from './interrupt';

const MiB = 1 << 20;

/**
 * Clip sizes in MiB, in the order recorded: three long recordings of 200 to 384 MiB among short
 * ones (1 to 96 MiB), 1137 MiB in all. Each gets a few odd bytes more (below), so that no clip is
 * a whole number of parts and the last part of each is short, as with camera footage. Clips up to
 * one part go up in one PUT, the rest in parts.
 */
export const CLIP_MIB = [384, 6, 256, 22, 3, 200, 40, 11, 96, 1, 64, 17, 9, 28] as const;

export interface ArchiveClip {
  id: number;
  archivePath: string;
  size: number;
}

export interface BenchStation {
  dataDir: string;
  /** The station CLI bundle. */
  cli: string;
  clips: ArchiveClip[];
  /** The clips' bytes (what both contenders must move). */
  bytes: number;
  /** `node <cli> <args> --data-dir … --json`; rejects unless it exits 0. */
  must(args: string[], stdin?: string): Promise<string>;
}

/**
 * A fresh station in `dataDir` (anything there is removed first) holding clips of these sizes in
 * MiB (bench:forward's mix unless told).
 */
export async function benchStation(
  cli: string,
  dataDir: string,
  clipMib: readonly number[] = CLIP_MIB,
): Promise<BenchStation> {
  rmSync(dataDir, { recursive: true, force: true });
  mkdirSync(dataDir, { recursive: true });
  const must = (args: string[], stdin = '') =>
    runCli(cli, [...args, '--data-dir', dataDir, '--json'], stdin);
  await must(
    ['users', 'add', '--badge', 'A001', '--name', '管理员', '--role', 'admin'],
    `${ADMIN_PW}\n`,
  );
  for (const [badge, name, role, pw] of [
    ['C001', '保管员', 'custodian', CUSTODIAN_PW],
    ['P100', '执法员', 'officer', OFFICER_PW],
  ] as const) {
    await must(
      ['users', 'add', '--badge', badge, '--name', name, '--role', role, '--user', 'A001'],
      `${ADMIN_PW}\n${pw}\n`,
    );
  }
  await must(
    [
      ...['recorders', 'register', '--serial', 'CAM01', '--profile', 'generic-dcim'],
      ...['--officer', 'P100', '--user', 'C001'],
    ],
    `${CUSTODIAN_PW}\n`,
  );
  const volume = testVolume();
  try {
    for (const [i, mib] of clipMib.entries()) {
      // Random bytes: as incompressible as camera footage, and no two clips alike.
      volume.add({
        path: `DCIM/100MEDIA/VID${String(i + 1).padStart(5, '0')}.MP4`,
        bytes: randomBytes(Math.round(mib * MiB) + 1 + ((i * 7919) % 65_536)),
      });
    }
    const out = await must(
      ['ingest', volume.root, '--recorder', 'CAM01', '--user', 'P100'],
      `${OFFICER_PW}\n`,
    );
    const doc = JSON.parse(out) as {
      clips: { id: number; archivePath: string; size: number }[];
    };
    const clips = doc.clips.map(({ id, archivePath, size }) => ({ id, archivePath, size }));
    if (clips.length !== clipMib.length) {
      throw new Error(`ingest archived ${clips.length} clips, not ${clipMib.length}: ${out}`);
    }
    return {
      dataDir,
      cli,
      clips,
      bytes: clips.reduce((sum, c) => sum + c.size, 0),
      must,
    };
  } finally {
    volume.remove();
  }
}

/** The bundled CLI in its own process; its stdout, or an error carrying what it printed. */
export function runCli(cli: string, args: string[], stdin = ''): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    const forget = onInterrupt(() => child.kill('SIGKILL'));
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    child.on('error', (error) => {
      forget();
      reject(error);
    });
    child.on('close', (code) => {
      forget();
      if (code === 0) resolve(stdout);
      else reject(new Error(`evidock ${args.join(' ')}: exit ${code}: ${stdout}${stderr}`));
    });
    child.stdin.end(stdin);
  });
}
