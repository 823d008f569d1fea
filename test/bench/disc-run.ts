// One timed evidock burn for bench:disc: `disc burn` of every clip as a new one-disc set, one
// copy, to a pseudo-drive, as a custodian runs it; its phases from the JSON it prints, and par2's
// share of the staging from /proc (the station does not report it apart).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmdirSync, rmSync } from 'node:fs';
import { basename } from 'node:path';
import { CUSTODIAN_PW } from '../support/forward-station';
import type { BenchStation } from './forward-archive';
import { timedProcess } from './timed-process';

export interface EvidockDiscRun {
  seconds: number;
  cpuSeconds: number;
  peakRssBytes: number;
  /** Staging the set, par2 included (the station's stagingMs). */
  stagingS: number;
  /** par2 running, as seen from outside: within stagingS. */
  par2S: number;
  burnS: number;
  /** Passes 1 and 2 run at once on an image: the longer of the two. */
  passes12S: number;
  pass3S: number;
  pass4S: number;
  /** Each pass's own time, as the station reports it (ms). */
  passMs: Record<string, number>;
  volumeId: string;
  imageBytes: number;
}

/** How often the bench looks for par2 below the command (ms). */
export const LOOK_MS = 50;

interface BurnDocument {
  set: { discs: unknown[] };
  burned: {
    disc: { state: string; volumeId: string; drive: string; imageBytes: number | null };
    passes: { pass: string; ok: boolean; detail: string; ms?: number }[];
    timings: { stagingMs: number; burnMs: number };
  }[];
}

/**
 * Burns every clip of the station to `<base>-<VOLUMEID>.iso` and checks that the station proved
 * it (one disc, verified, every pass passed, the image there); the image is deleted after.
 */
export async function burnWithEvidock(
  station: BenchStation,
  base: string,
  mediumBytes: number,
  before: () => void,
): Promise<EvidockDiscRun> {
  const args = [
    station.cli,
    ...['disc', 'burn', '--clips', station.clips.map((c) => c.id).join(',')],
    ...['--media', String(mediumBytes), '--copies', '1', '--drive', `stdio:${base}`],
    ...['--user', 'C001', '--data-dir', station.dataDir, '--json'],
  ];
  before();
  const run = await timedProcess(process.execPath, args, {
    stdin: `${CUSTODIAN_PW}\n`,
    watch: { names: ['par2'], everyMs: LOOK_MS },
  });
  const doc = JSON.parse(run.stdout) as BurnDocument;
  const [burned] = doc.burned;
  if (doc.set.discs.length !== 1 || doc.burned.length !== 1 || burned === undefined) {
    throw new Error(`evidock: the set is not one disc burned once: ${run.stdout.slice(0, 2000)}`);
  }
  const failed = burned.passes.filter((p) => !p.ok);
  if (burned.disc.state !== 'verified' || failed.length > 0 || burned.passes.length !== 4) {
    throw new Error(
      `evidock: ${burned.disc.volumeId} is ${burned.disc.state}: ` +
        failed.map((p) => `${p.pass}: ${p.detail}`).join('; '),
    );
  }
  const image = burned.disc.drive.slice('stdio:'.length);
  if (!existsSync(image)) throw new Error(`evidock: no image at ${image}`);
  rmSync(image);
  const ms = Object.fromEntries(burned.passes.map((p) => [p.pass, p.ms ?? Number.NaN]));
  const par2 = run.spans.filter((s) => s.name === 'par2');
  if (par2.length === 0) throw new Error('evidock: par2 was never seen running');
  return {
    seconds: run.seconds,
    cpuSeconds: run.cpuSeconds,
    peakRssBytes: run.peakRssBytes,
    stagingS: burned.timings.stagingMs / 1000,
    par2S: par2.reduce((sum, s) => sum + (s.to - s.from), 0),
    burnS: burned.timings.burnMs / 1000,
    passes12S: Math.max(ms['blocks']!, ms['md5']!) / 1000,
    pass3S: ms['files']! / 1000,
    pass4S: ms['signatures']! / 1000,
    passMs: ms,
    volumeId: burned.disc.volumeId,
    imageBytes: burned.disc.imageBytes ?? Number.NaN,
  };
}

/**
 * What a burn stopped by Ctrl-C leaves mounted: the bench kills the station CLI outright, and the
 * fuseiso serving its image for pass 3 runs on in a session of its own. Only the mounts of
 * images under `dir` are undone (other processes on the machine may have their own).
 */
export function unmountLeftovers(dir: string): void {
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    let argv: string[];
    try {
      argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    } catch {
      continue;
    }
    const [command, image, root] = argv;
    if (basename(command ?? '') !== 'fuseiso' || !image?.startsWith(`${dir}/`) || !root) continue;
    spawnSync('fusermount', ['-u', root]);
    try {
      rmdirSync(root);
    } catch {
      // Still mounted, or not ours to remove: left as it is.
    }
  }
}
