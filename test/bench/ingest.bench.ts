// `npm run bench:ingest`: evidock's ingest against two peers doing the same job by hand, from the
// same docked recorder to the same disk in the same run, and four recorders at once against one.
// Contenders take turns (the order rotates each round); the page cache is dropped before every
// run and every run's output deleted after it. test/bench/run.mjs bundles and starts this.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../support/cli';
import {
  dockRecorderWithFiles,
  undockAll,
  uniqueLabel,
  type DockedRecorder,
} from '../support/dock-recorder';
import { evidockRun, type Docked, type EvidockRun } from './evidock-run';
import { benchFootage, dealt, sha256File, type BenchClip } from './footage-set';
import { stopAll } from './interrupt';
import { measure, type Measured } from './measure';
import { cpSyncSha256sumDd, rcloneCopy, type PeerRun } from './peers';
import { rawFigures, reportLines, type IngestBench } from './ingest-report';
import type { Contender } from './report';
import { benchUnavailable, diskOf, dropCaches } from './system';

const BENCH_DIR = join(REPO_ROOT, 'test-output', 'bench');
const RUNS_DIR = join(BENCH_DIR, 'runs');
const RUNS = Number(process.env['EVIDOCK_BENCH_RUNS'] ?? '5');
const AT_ONCE = 4;
const MEDIA_FOLDER = 'DCIM';

interface Entrant extends Contender {
  key: string;
  /** One run writing into `dir`. */
  run: (dir: string) => Promise<Measured>;
}

async function main(): Promise<void> {
  const worker = argument('--worker');
  mkdirSync(BENCH_DIR, { recursive: true });
  const unavailable = benchUnavailable(BENCH_DIR);
  if (unavailable !== undefined) {
    console.log(`bench:ingest skipped: ${unavailable}`);
    return;
  }
  if (!Number.isInteger(RUNS) || RUNS < 1) throw new Error('EVIDOCK_BENCH_RUNS must be 1 or more');

  progress('footage: ffmpeg clips, cached in test-output/bench/footage/');
  const footage = await benchFootage(join(BENCH_DIR, 'footage'));
  progress(`docking ${1 + AT_ONCE} zram recorders (ext4)`);
  const whole = await dock(footage.clips);
  const parts: Docked[] = [];
  for (const clips of dealt(footage.clips, AT_ONCE)) {
    parts.push({ recorder: await dock(clips), clips });
  }
  const source = join(whole.mountpoint, MEDIA_FOLDER);
  const evidockRuns: Record<'one' | 'four', EvidockRun[]> = { one: [], four: [] };
  const entrant = (key: string, name: string, run: Entrant['run']): Entrant => ({
    key,
    name,
    bytes: footage.bytes,
    seconds: [],
    cpuSeconds: [],
    run,
  });
  const entrants = [
    entrant('evidock-1', 'evidock, 1 recorder', async (dir) => {
      const run = await evidockRun([{ recorder: whole, clips: footage.clips }], dir, worker);
      evidockRuns.one.push(run);
      return run;
    }),
    entrant('cp', 'cp + sync + sha256sum + dd direct', (dir) =>
      peer(() => cpSyncSha256sumDd(source, dir), footage.clips),
    ),
    entrant('rclone', 'rclone copy', (dir) => peer(() => rcloneCopy(source, dir), footage.clips)),
    entrant('evidock-4', `evidock, ${AT_ONCE} recorders at once`, async (dir) => {
      const run = await evidockRun(parts, dir, worker);
      evidockRuns.four.push(run);
      return run;
    }),
  ] as const;

  await interleaved(entrants);

  const [one, cp, rclone, four] = entrants;
  const bench: IngestBench = {
    footage,
    runs: RUNS,
    disk: diskOf(BENCH_DIR),
    parts: parts.map((p) => p.clips.length),
    one,
    cp,
    rclone,
    four,
    evidockRuns,
  };
  const keyed = Object.fromEntries(entrants.map((e) => [e.key, e]));
  writeFileSync(join(BENCH_DIR, 'ingest.json'), rawFigures(bench, keyed));
  console.log(reportLines(bench).join('\n'));
}

/** RUNS rounds of every contender, the order rotated each round; each run on a cold cache. */
async function interleaved(entrants: readonly Entrant[]): Promise<void> {
  rmSync(RUNS_DIR, { recursive: true, force: true });
  for (let round = 0; round < RUNS; round += 1) {
    const order = entrants.map((_, i) => entrants[(i + round) % entrants.length]!);
    for (const contender of order) {
      const dir = join(RUNS_DIR, `${round + 1}-${contender.key}`);
      dropCaches();
      let result: Measured;
      try {
        result = await contender.run(dir);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
      contender.seconds.push(result.seconds);
      contender.cpuSeconds.push(result.cpuSeconds);
      progress(`run ${round + 1}/${RUNS}  ${contender.name}: ${result.seconds.toFixed(2)} s`);
    }
  }
}

/** A peer's run, measured; its copy is checked afterwards (not timed) against the set's hashes. */
async function peer(copy: () => Promise<PeerRun>, clips: readonly BenchClip[]): Promise<Measured> {
  const { value: run, ...measured } = await measure(copy);
  for (const clip of clips) {
    const path = join(run.copy, ...clip.relPath.split('/').slice(1));
    if ((await sha256File(path)) !== clip.sha256) {
      throw new Error(`${path}: the peer's copy does not hash to the clip's SHA-256`);
    }
  }
  return measured;
}

async function dock(clips: readonly BenchClip[]): Promise<DockedRecorder> {
  const bytes = clips.reduce((sum, c) => sum + c.bytes, 0);
  // Room for ext4's own tables and journal besides the files.
  const sizeMiB = Math.ceil((bytes / (1 << 20)) * 1.1) + 64;
  return dockRecorderWithFiles(
    { fs: 'ext4', label: uniqueLabel('BENCH'), sizeMiB },
    Object.fromEntries(clips.map((c) => [c.relPath, c.file])),
  );
}

function argument(name: string): string {
  const at = process.argv.indexOf(name);
  const value = at >= 0 ? process.argv[at + 1] : undefined;
  if (value === undefined)
    throw new Error(`${name} PATH is required (test/bench/run.mjs gives it)`);
  return value;
}

function progress(line: string): void {
  process.stderr.write(`  ${line}\n`);
}

/** Once, whoever asks first: the end of main, its failure, or a signal. */
let cleaning: Promise<void> | null = null;
function cleanUp(): Promise<void> {
  cleaning ??= (async () => {
    await stopAll();
    await undockAll();
    rmSync(RUNS_DIR, { recursive: true, force: true });
  })();
  return cleaning;
}

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    progress(`${signal}: stopping and undocking`);
    void cleanUp().finally(() => process.exit(130));
  });
}

main()
  .then(cleanUp, async (error: unknown) => {
    if (stopping) return;
    console.error(`bench:ingest failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
    await cleanUp();
  })
  .catch((error: unknown) => {
    console.error(`bench:ingest could not clean up: ${String(error)}`);
    process.exitCode = 1;
  });
