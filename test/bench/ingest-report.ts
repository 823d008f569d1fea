// What bench:ingest prints (the set, how it was measured, the table, the ratios last) and the raw
// figures it writes to test-output/bench/ingest.json.
import { cpus, release } from 'node:os';
import type { EvidockRun } from './evidock-run';
import type { FootageSet } from './footage-set';
import { faster, median, mibPerSecond, table, throughput, type Contender } from './report';

export interface IngestBench {
  footage: FootageSet;
  runs: number;
  /** The archive disk, as findmnt names it. */
  disk: string;
  /** Clips on each of the recorders docked at once. */
  parts: number[];
  one: Contender;
  cp: Contender;
  rclone: Contender;
  four: Contender;
  evidockRuns: { one: EvidockRun[]; four: EvidockRun[] };
}

const MiB = 1 << 20;

export function ratios(bench: IngestBench) {
  return {
    evidockVsCp: faster(bench.one, bench.cp),
    evidockVsRclone: faster(bench.one, bench.rclone),
    fourVsOne: throughput(bench.four, bench.one),
  };
}

export function goals(bench: IngestBench) {
  const r = ratios(bench);
  return {
    fasterThanCp: r.evidockVsCp > 1,
    fasterThanRclone: r.evidockVsRclone > 1,
    fourAtOnceKeepsThroughput: r.fourVsOne >= 0.9,
  };
}

export function reportLines(bench: IngestBench): string[] {
  const { footage, parts } = bench;
  const sizes = footage.clips.map((c) => c.bytes / MiB);
  const at = parts.length;
  const thumbs = (runs: EvidockRun[]) => ({
    before: median(runs.map((r) => r.thumbnailsBeforeDone)),
    after: median(runs.map((r) => r.thumbnailSecondsAfter)).toFixed(2),
  });
  const [t1, t4] = [thumbs(bench.evidockRuns.one), thumbs(bench.evidockRuns.four)];
  const r = ratios(bench);
  const g = goals(bench);
  const met = (ok: boolean) => (ok ? 'met' : 'NOT met');
  return [
    '',
    `bench:ingest — ${footage.clips.length} MP4 clips made by ffmpeg, ` +
      `${(footage.bytes / MiB).toFixed(1)} MiB (${Math.min(...sizes).toFixed(0)} to ` +
      `${Math.max(...sizes).toFixed(0)} MiB each):`,
    `  ${footage.recipe}.`,
    '  From zram recorders (ext4) mounted under /media to test-output/bench/ on ' +
      `${bench.disk}, ${bench.runs} runs per contender,`,
    '  interleaved, the page cache dropped before each run and its output deleted after.',
    'evidock: from engine.ingest() until done is complete and safe to undock (worker threads, ' +
      'ffprobe media facts).',
    '  Thumbnails are not waited for. The engine makes them once no docking is copying: those made',
    `  before done count (median ${t1.before} of ${footage.clips.length} with 1 recorder, ` +
      `${t4.before} with ${at}), the rest do not (${t1.after} s and ${t4.after} s more).`,
    `${at} recorders at once: the same clips dealt out ${parts.join('+')}, one engine, the ` +
      'default 4 copies per disk.',
    'CPU s: median CPU time of the process and its children; the kernel’s page cache and disk ' +
      'work is not in it.',
    '',
    table([bench.one, bench.cp, bench.rclone, bench.four]),
    '',
    `goals: faster than cp+sync+sha256sum+dd ${met(g.fasterThanCp)}; faster than rclone ` +
      `${met(g.fasterThanRclone)}; ${at} at once ≥ 0.9× one ${met(g.fourAtOnceKeepsThroughput)}`,
    `evidock vs cp+sync+sha256sum+dd: ${r.evidockVsCp.toFixed(2)}× faster`,
    `evidock vs rclone copy: ${r.evidockVsRclone.toFixed(2)}× faster`,
    `${at} recorders at once vs one: ${r.fourVsOne.toFixed(2)}× throughput`,
  ];
}

export function rawFigures(bench: IngestBench, keys: Record<string, Contender>): string {
  const figures = {
    at: new Date().toISOString(),
    machine: { cpu: cpus()[0]?.model ?? null, cores: cpus().length, kernel: release() },
    node: process.version,
    archiveDisk: bench.disk,
    recorder: 'zram block device, ext4',
    footage: {
      clips: bench.footage.clips.length,
      bytes: bench.footage.bytes,
      recipe: bench.footage.recipe,
      files: bench.footage.clips.map(({ relPath, bytes, sha256 }) => ({ relPath, bytes, sha256 })),
    },
    runsPerContender: bench.runs,
    recordersAtOnce: bench.parts,
    contenders: Object.entries(keys).map(([key, c]) => ({
      key,
      name: c.name,
      bytes: c.bytes,
      seconds: c.seconds,
      cpuSeconds: c.cpuSeconds,
      medianSeconds: median(c.seconds),
      mibPerSecond: mibPerSecond(c),
    })),
    thumbnails: {
      one: bench.evidockRuns.one.map(thumbnailFigures),
      four: bench.evidockRuns.four.map(thumbnailFigures),
    },
    ratios: ratios(bench),
    goals: goals(bench),
  };
  return JSON.stringify(figures, null, 2) + '\n';
}

function thumbnailFigures(run: EvidockRun) {
  return { beforeDone: run.thumbnailsBeforeDone, secondsAfterDone: run.thumbnailSecondsAfter };
}
