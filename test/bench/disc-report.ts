// What bench:disc prints (the set, how it was measured, the table, where evidock's time went, the
// ratio last) and the raw figures it writes to test-output/bench/disc.json.
import { cpus, release, totalmem } from 'node:os';
import { RECOVERY_BLOCKS } from '../../src-main/domain';
import type { PeerRun } from './disc-peer';
import { LOOK_MS, type EvidockDiscRun } from './disc-run';
import type { ArchiveClip } from './forward-archive';
import { median, table, type Contender } from './report';

export interface DiscBench {
  clips: ArchiveClip[];
  clipBytes: number;
  mediumBytes: number;
  par2Percent: number;
  runs: number;
  disk: string;
  /** Whether the page cache was dropped before each run (root only). */
  coldCache: boolean;
  evidock: EvidockDiscRun[];
  peer: PeerRun[];
  /** `disc list` as the same custodian: start-up, the catalogue opened, the login (seconds). */
  fixedSeconds: number[];
  xorrisoVersion: string;
  par2Version: string;
}

/** The goal: evidock at most this many times the bare pair's time. */
export const GOAL = 1.3;
/** Below this the footage is smaller than the goal is set for. */
const GOAL_BYTES = 1 << 30;
const MiB = 1 << 20;

/** One phase of evidock's burn, seconds in each run. */
interface Phase {
  name: string;
  seconds: (run: EvidockDiscRun) => number;
}

const PHASES: Phase[] = [
  {
    name: 'staging besides par2 (links, signed manifest, PDFs, custody record)',
    seconds: (r) => r.stagingS - r.par2S,
  },
  { name: 'par2 recovery data (within staging)', seconds: (r) => r.par2S },
  { name: 'burn (xorriso -commit)', seconds: (r) => r.burnS },
  { name: 'passes 1 + 2 at once (-check_media, -check_md5_r)', seconds: (r) => r.passes12S },
  { name: 'pass 3 (every original hashed through fuseiso)', seconds: (r) => r.pass3S },
  { name: 'pass 4 (signatures)', seconds: (r) => r.pass4S },
  {
    name: 'the rest (start-up, login, plan, mount, image hash tail, record)',
    seconds: (r) => r.seconds - r.stagingS - r.burnS - r.passes12S - r.pass3S - r.pass4S,
  },
];

function contender(
  name: string,
  bytes: number,
  runs: readonly { seconds: number; cpuSeconds: number }[],
): Contender {
  return {
    name,
    bytes,
    seconds: runs.map((r) => r.seconds),
    cpuSeconds: runs.map((r) => r.cpuSeconds),
  };
}

/** evidock's median time over the bare pair's: at most GOAL is the goal. */
export function ratio(bench: DiscBench): number {
  return median(bench.evidock.map((r) => r.seconds)) / median(bench.peer.map((r) => r.seconds));
}

export function machineLine(disk: string): string {
  const cpu = cpus()[0]?.model.trim() ?? 'unknown CPU';
  return (
    `machine: ${cpus().length} × ${cpu}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, ` +
    `Linux ${release()}, Node ${process.version}, ${disk}`
  );
}

const seconds = (s: number) => `${s.toFixed(2)} s`;

export function reportLines(bench: DiscBench): string[] {
  const sizes = bench.clips.map((c) => c.size / MiB);
  const evidockS = median(bench.evidock.map((r) => r.seconds));
  const peerS = median(bench.peer.map((r) => r.seconds));
  const r = ratio(bench);
  const verdict = r <= GOAL ? 'met' : 'NOT MET';
  const small =
    bench.clipBytes < GOAL_BYTES
      ? `; ${(bench.clipBytes / MiB).toFixed(0)} MiB, below the 1 GiB the goal is set for`
      : '';
  const width = Math.max(...PHASES.map((p) => p.name.length));
  const phaseLines = PHASES.map((p) => {
    const s = median(bench.evidock.map(p.seconds));
    return `  ${p.name.padEnd(width)}  ${s.toFixed(2).padStart(6)} s  ${((s / evidockS) * 100).toFixed(0).padStart(3)}%`;
  });
  const image = (bytes: readonly number[]) => `${(median(bytes) / MiB).toFixed(1)} MiB`;
  return [
    '',
    `bench:disc — ${bench.clips.length} clips of random bytes (as incompressible as footage), ` +
      `${(bench.clipBytes / MiB).toFixed(1)} MiB (${Math.min(...sizes).toFixed(0)} to ` +
      `${Math.max(...sizes).toFixed(0)} MiB each),`,
    `  ingested through the station CLI into test-output/bench/, images written beside it.`,
    machineLine(bench.disk),
    `evidock: \`disc burn --clips <all> --media ${bench.mediumBytes} --copies 1 --drive stdio:<image>\` ` +
      `(a new one-disc set each run, ${bench.par2Percent}% par2 in ${RECOVERY_BLOCKS} blocks): the set staged, burned, ` +
      'passes 1–4, the image hashed, the register written;',
    `  image ${image(bench.evidock.map((r) => r.imageBytes))}.`,
    `bare pair: \`xorriso -no_rc -abort_on FAILURE -md5 on -outdev stdio:<image> -volid PEER -joliet on ` +
      '-rockridge on -compliance iso_9660_level=3 -map <originals> / -close on -commit`',
    `  then \`xorriso -no_rc -md5 on -indev stdio:<image> -check_md5_r FAILURE / --\` over hard links ` +
      `to the same archived files; image ${image(bench.peer.map((r) => r.imageBytes))}.`,
    `  ${bench.xorrisoVersion}; ${bench.par2Version}.`,
    `Both timed from process start to exit (evidock's start-up and the custodian's login included), ` +
      `under GNU time; ${bench.runs} run${bench.runs === 1 ? '' : 's'} each after one`,
    `  warm-up run each, interleaved (the order swapped each round), ` +
      (bench.coldCache
        ? 'the page cache dropped before each;'
        : 'on a warm page cache (dropping it needs root);') +
      ' each image created empty first and deleted after.',
    '',
    table([
      contender('evidock disc burn', bench.clipBytes, bench.evidock),
      contender('xorriso burn + check_md5_r', bench.clipBytes, bench.peer),
    ]),
    '',
    "where evidock's time goes (each phase's median, which need not add up; its share of the " +
      `median time): from the JSON it prints, par2 seen in /proc every ${LOOK_MS} ms, the rest ` +
      "what's left of the whole command:",
    ...phaseLines,
    `  the bare pair: burn ${seconds(median(bench.peer.map((p) => p.burnSeconds)))}, ` +
      `check_md5_r ${seconds(median(bench.peer.map((p) => p.checkSeconds)))}`,
    `  \`disc list\` as the same custodian (start-up, catalogue, login; measured apart): median ` +
      `${seconds(median(bench.fixedSeconds))}`,
    '',
    `disc: evidock ${evidockS.toFixed(1)} s vs bare xorriso burn + check_md5_r ${peerS.toFixed(1)} s = ` +
      `${r.toFixed(2)}× (goal ≤ ${GOAL.toFixed(2)}×: ${verdict}${small})`,
  ];
}

export function rawFigures(bench: DiscBench): string {
  const figures = {
    at: new Date().toISOString(),
    machine: {
      cpu: cpus()[0]?.model ?? null,
      cores: cpus().length,
      memoryBytes: totalmem(),
      kernel: release(),
    },
    node: process.version,
    xorriso: bench.xorrisoVersion,
    par2: bench.par2Version,
    disk: bench.disk,
    coldCache: bench.coldCache,
    clips: bench.clips,
    clipBytes: bench.clipBytes,
    mediumBytes: bench.mediumBytes,
    runsPerContender: bench.runs,
    evidock: bench.evidock,
    peer: bench.peer,
    fixedSeconds: bench.fixedSeconds,
    ratio: ratio(bench),
    goal: { atMost: GOAL, met: ratio(bench) <= GOAL },
  };
  return JSON.stringify(figures, null, 2) + '\n';
}
