// What bench:forward prints (the set, how it was measured, the table, memory, the bandwidth
// limit, the ratio last) and the raw figures it writes to test-output/bench/forward.json.
import { cpus, release } from 'node:os';
import type { ArchiveClip } from './forward-archive';
import { faster, median, table, type Contender } from './report';
import type { TimedRun } from './timed-process';

export interface EvidockRun extends TimedRun {
  /** The target's limit outside any window, in bytes a second, as the station took it. */
  limitBytes: number | null;
  /** Peak resident set before the first part was out: start-up and login. */
  startPeakRssBytes: number;
  /** Peak resident set from then on, while clips were sent and proven. */
  sendingPeakRssBytes: number;
  /** Clips the run read back whole and hashed (its random sample). */
  readBack: number;
  /** The same command again at once, with nothing left to send. */
  idleSeconds: number;
}

export type RcloneRun = TimedRun;

export interface BandwidthFigures {
  /** Bytes a second written between 10% and 90% of the clips' bytes (NaN: not sampled). */
  steadyRate: number;
  /** steadyRate / limit − 1. */
  deviation: number;
  /** The clips' bytes over the whole command's wall time (start, login and proofs included). */
  endToEndRate: number;
  /** The stretch steadyRate was measured over, in seconds. */
  window: number;
}

export interface ForwardBench {
  clips: ArchiveClip[];
  clipBytes: number;
  /** Files in the archive folder rclone copies (clips and their sidecars), and their bytes. */
  files: number;
  fileBytes: number;
  runs: number;
  concurrency: number;
  partSizeMiB: number;
  disk: string;
  evidock: EvidockRun[];
  rclone: RcloneRun[];
  limit: { text: string; bytesPerSecond: number; run: EvidockRun; figures: BandwidthFigures };
  rcloneVersion: string;
}

const MiB = 1 << 20;
const RSS_GOAL = 250e6;
const RATE_TOLERANCE = 0.05;

/**
 * The rate the limited run's bytes left at, from the samples of what the process had written:
 * between the first samples past 10% and past 90% of the clips' bytes, so neither the start
 * (process, login, probe) nor the proofs at the end dilute it.
 */
export function bandwidthFigures(
  run: TimedRun,
  clipBytes: number,
  limit: number,
): BandwidthFigures {
  const endToEndRate = clipBytes / run.seconds;
  const [first] = run.samples;
  const past = (share: number) =>
    run.samples.find((s) => first !== undefined && s.bytes - first.bytes >= share * clipBytes);
  const from = past(0.1);
  const to = past(0.9);
  if (from === undefined || to === undefined || to.at <= from.at) {
    return { steadyRate: Number.NaN, deviation: Number.NaN, endToEndRate, window: 0 };
  }
  const steadyRate = (to.bytes - from.bytes) / (to.at - from.at);
  return { steadyRate, deviation: steadyRate / limit - 1, endToEndRate, window: to.at - from.at };
}

function contender(name: string, bytes: number, runs: readonly TimedRun[]): Contender {
  return {
    name,
    bytes,
    seconds: runs.map((r) => r.seconds),
    cpuSeconds: runs.map((r) => r.cpuSeconds),
  };
}

export function ratios(bench: ForwardBench) {
  const evidock = contender('evidock', bench.clipBytes, bench.evidock);
  const rclone = contender('rclone', bench.clipBytes, bench.rclone);
  return { evidockVsRclone: faster(evidock, rclone) };
}

export function goals(bench: ForwardBench) {
  const runs = [...bench.evidock, bench.limit.run];
  return {
    atLeastRclone: ratios(bench).evidockVsRclone >= 1,
    sendingRssUnder250MB: Math.max(...runs.map((r) => r.sendingPeakRssBytes)) < RSS_GOAL,
    processRssUnder250MB: Math.max(...runs.map((r) => r.peakRssBytes)) < RSS_GOAL,
    limitWithin5Percent: Math.abs(bench.limit.figures.deviation) <= RATE_TOLERANCE,
  };
}

const mb = (bytes: number) => `${(bytes / 1e6).toFixed(0)} MB`;

export function reportLines(bench: ForwardBench): string[] {
  const sizes = bench.clips.map((c) => c.size / MiB);
  const evidock = contender(
    `evidock forward run (${bench.concurrency} at once, ${bench.partSizeMiB} MiB parts)`,
    bench.clipBytes,
    bench.evidock,
  );
  const rclone = contender('rclone copy (same)', bench.clipBytes, bench.rclone);
  const rss = (runs: readonly TimedRun[]) => runs.map((r) => r.peakRssBytes);
  const evidockRuns = [...bench.evidock, bench.limit.run];
  const sendingRss = evidockRuns.map((r) => r.sendingPeakRssBytes);
  const startRss = evidockRuns.map((r) => r.startPeakRssBytes);
  const { figures, text } = bench.limit;
  const g = goals(bench);
  const met = (ok: boolean) => (ok ? 'met' : 'NOT met');
  const percent = (x: number) => `${x >= 0 ? '+' : ''}${(x * 100).toFixed(1)}%`;
  const readBack = bench.evidock.map((r) => r.readBack);
  return [
    '',
    `bench:forward — ${bench.clips.length} clips of random bytes (as incompressible as footage), ` +
      `${(bench.clipBytes / MiB).toFixed(1)} MiB (${Math.min(...sizes).toFixed(0)} to ` +
      `${Math.max(...sizes).toFixed(0)} MiB each),`,
    `  ingested through the station CLI into test-output/bench/ on ${bench.disk}; forwarded to a ` +
      'Ceph RGW (pacific, memstore OSD) on this machine.',
    `evidock: \`forward run --until-idle\` to a new target (every clip queued), concurrency ` +
      `${bench.concurrency}, ${bench.partSizeMiB} MiB parts, the default read-back sample`,
    '  (5%); each clip proven there (HeadObject: size, SHA-256 in metadata, ETag recomputed from ' +
      'the parts sent), its sidecar sent and proven, then the label documents and audit segments.',
    `rclone: \`rclone copy <data dir>/archive rgw:<bucket>/<prefix> --transfers ${bench.concurrency} ` +
      `--s3-chunk-size ${bench.partSizeMiB}Mi --s3-upload-cutoff ${bench.partSizeMiB}Mi ` +
      '--s3-upload-concurrency 1`,',
    `  rclone's defaults otherwise (${bench.rcloneVersion}); it copies the ${bench.files} files of ` +
      `the archive folder, ${(bench.fileBytes / MiB).toFixed(1)} MiB: the clips and their sidecars.`,
    'Both timed as a whole process from start to exit (start-up included), under GNU time (CPU s, ' +
      'peak RSS);',
    `  ${bench.runs} runs each after one warm-up run each, interleaved (the order swapped each ` +
      'round), the page cache dropped before each, a fresh bucket each, emptied after.',
    '  MiB/s is the clips’ bytes over the median time.',
    '',
    table([evidock, rclone]),
    '',
    `evidock's fixed cost (the same command again with nothing left to send): median ` +
      `${median(bench.evidock.map((r) => r.idleSeconds)).toFixed(2)} s`,
    `evidock read back whole (random 5% sample): ${readBack.join(' ')} clips in the runs above`,
    `evidock's peak RSS while sending (from the first part out to exit, sampled every 0.1 s): ` +
      `median ${mb(median(sendingRss))}, max ${mb(Math.max(...sendingRss))} (largest clip ` +
      `${Math.max(...sizes).toFixed(0)} MiB);`,
    `  the whole process (GNU time): median ${mb(median(rss(evidockRuns)))}, max ` +
      `${mb(Math.max(...rss(evidockRuns)))}; before the first part was out (start-up and the ` +
      `custodian's login, whose scrypt takes 128 MiB): max ${mb(Math.max(...startRss))};`,
    `  rclone's whole process: median ${mb(median(rss(bench.rclone)))}`,
    `bandwidth limit --otherwise ${text}, which the station took as ${bench.limit.bytesPerSecond} ` +
      `bytes a second (${(bench.limit.bytesPerSecond / MiB).toFixed(2)} MiB/s):`,
    `  measured ${(figures.steadyRate / MiB).toFixed(2)} MiB/s (${percent(figures.deviation)}), ` +
      `the process's writes between 10% and 90% of the clips' bytes (${figures.window.toFixed(1)} s);`,
    `  end to end (start, login and proofs included): ` +
      `${(figures.endToEndRate / MiB).toFixed(2)} MiB/s over ${bench.limit.run.seconds.toFixed(1)} s`,
    '',
    `goals: ≥ 1.0× rclone ${met(g.atLeastRclone)}; peak RSS under 250 MB while sending ` +
      `${met(g.sendingRssUnder250MB)} (whole process ${met(g.processRssUnder250MB)}); ` +
      `limit within ±5% ${met(g.limitWithin5Percent)}`,
    `evidock vs rclone copy: ${ratios(bench).evidockVsRclone.toFixed(2)}× ` +
      '(rclone’s median time / evidock’s; above 1 evidock is faster)',
  ];
}

export function rawFigures(bench: ForwardBench): string {
  const runFigures = (r: TimedRun) => ({
    seconds: r.seconds,
    cpuSeconds: r.cpuSeconds,
    peakRssBytes: r.peakRssBytes,
  });
  const evidockFigures = (r: EvidockRun) => ({
    ...runFigures(r),
    limitBytes: r.limitBytes,
    startPeakRssBytes: r.startPeakRssBytes,
    sendingPeakRssBytes: r.sendingPeakRssBytes,
    readBack: r.readBack,
    idleSeconds: r.idleSeconds,
  });
  const figures = {
    at: new Date().toISOString(),
    machine: { cpu: cpus()[0]?.model ?? null, cores: cpus().length, kernel: release() },
    node: process.version,
    rcloneVersion: bench.rcloneVersion,
    stationDisk: bench.disk,
    clips: bench.clips,
    clipBytes: bench.clipBytes,
    archiveFiles: bench.files,
    archiveBytes: bench.fileBytes,
    concurrency: bench.concurrency,
    partSizeMiB: bench.partSizeMiB,
    runsPerContender: bench.runs,
    evidock: bench.evidock.map(evidockFigures),
    rclone: bench.rclone.map(runFigures),
    bandwidth: {
      limit: bench.limit.text,
      bytesPerSecond: bench.limit.bytesPerSecond,
      run: evidockFigures(bench.limit.run),
      ...bench.limit.figures,
      samples: bench.limit.run.samples,
    },
    ratios: ratios(bench),
    goals: goals(bench),
  };
  return JSON.stringify(figures, null, 2) + '\n';
}
