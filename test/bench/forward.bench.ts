// `npm run bench:forward`: the station's archive forwarded to a Ceph RGW on this machine by
// evidock (`forward run --until-idle`, its remote verification included) against `rclone copy` of
// the same archive folder with the same concurrency and part size; the station's peak memory while
// forwarding; and how closely a 20 MB/s bandwidth limit holds. Contenders take turns (the order
// swaps each round), each run into a fresh bucket on a cold page cache; the bucket is emptied
// after it. test/bench/run.mjs bundles and starts this, with the station CLI bundled beside it.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { cephUnavailable, startCephRgw, type CephRgw } from '../support/ceph-rgw';
import { REPO_ROOT } from '../support/cli';
import { CUSTODIAN_PW } from '../support/forward-station';
import { benchStation, type BenchStation } from './forward-archive';
import {
  bandwidthFigures,
  rawFigures,
  reportLines,
  type EvidockRun,
  type ForwardBench,
  type RcloneRun,
} from './forward-report';
import { stopAll } from './interrupt';
import { dropBucket, filesUnder, rcloneCopy, requireCopied } from './rclone-s3';
import { diskOf, dropCaches } from './system';
import { GNU_TIME, timedProcess, type Sample } from './timed-process';

const BENCH_DIR = join(REPO_ROOT, 'test-output', 'bench');
const STATION_DIR = join(BENCH_DIR, 'forward-station');
const RUNS = Number(process.env['EVIDOCK_BENCH_RUNS'] ?? '5');
/** evidock's defaults, given explicitly so that rclone gets the same. */
const CONCURRENCY = 2;
const PART_SIZE_MIB = 16;
/**
 * The bandwidth limit checked, as a custodian types it. What it means in bytes a second is the
 * station's business (a MB is 1024 × 1024 bytes in evidock): the limit is measured against the
 * bytes a second the target was added with.
 */
const LIMIT = '20MB/s';
/** Where both put the archive in each bucket. */
const PREFIX = 'station-1';
/** How often evidock's writes and resident set are sampled (ms). */
const SAMPLE_MS = 100;
const MiB = 1 << 20;

async function main(): Promise<void> {
  const cli = argument('--cli');
  mkdirSync(BENCH_DIR, { recursive: true });
  const unavailable = forwardBenchUnavailable();
  if (unavailable !== undefined) {
    console.log(`bench:forward skipped: ${unavailable}`);
    return;
  }
  if (!Number.isInteger(RUNS) || RUNS < 1) throw new Error('EVIDOCK_BENCH_RUNS must be 1 or more');

  progress('starting a Ceph RGW (one mon, one memstore OSD, radosgw)');
  rgw = await startCephRgw();
  progress(`making the station in ${STATION_DIR}: accounts, a recorder, the clips ingested`);
  const station = await benchStation(cli, STATION_DIR);
  const archive = join(STATION_DIR, 'archive');
  const files = filesUnder(archive);
  const fileBytes = [...files.values()].reduce((sum, size) => sum + size, 0);

  let n = 0;
  const evidock = async (schedule: string[] = []) => {
    n += 1;
    return forwardWithEvidock(rgw!, station, `bench-${n}`, schedule);
  };
  const rclone = async () => {
    n += 1;
    const bucket = `bench-${n}`;
    await rgw!.createBucket(bucket);
    try {
      dropCaches();
      const run = await rcloneCopy(rgw!, archive, bucket, PREFIX, {
        transfers: CONCURRENCY,
        partSizeMiB: PART_SIZE_MIB,
      });
      const client = rgw!.client();
      try {
        await requireCopied(client, bucket, PREFIX, files);
      } finally {
        client.destroy();
      }
      return run;
    } finally {
      await dropBucket(rgw!, bucket);
    }
  };

  // RGW makes its data pools on the first writes: one untimed run of each first.
  progress('warm-up: one run of each, not counted');
  await evidock();
  await rclone();

  const evidockRuns: EvidockRun[] = [];
  const rcloneRuns: RcloneRun[] = [];
  for (let round = 0; round < RUNS; round += 1) {
    const order =
      round % 2 === 0 ? (['evidock', 'rclone'] as const) : (['rclone', 'evidock'] as const);
    for (const who of order) {
      if (who === 'evidock') {
        const run = await evidock();
        evidockRuns.push(run);
        progress(
          `run ${round + 1}/${RUNS}  evidock: ${run.seconds.toFixed(2)} s, ` +
            `peak RSS ${(run.peakRssBytes / 1e6).toFixed(0)} MB (sending ` +
            `${(run.sendingPeakRssBytes / 1e6).toFixed(0)} MB), ${run.readBack} read back ` +
            `(nothing left: ${run.idleSeconds.toFixed(2)} s)`,
        );
      } else {
        const run = await rclone();
        rcloneRuns.push(run);
        progress(
          `run ${round + 1}/${RUNS}  rclone copy: ${run.seconds.toFixed(2)} s, ` +
            `peak RSS ${(run.peakRssBytes / 1e6).toFixed(0)} MB`,
        );
      }
    }
  }

  progress(`bandwidth: one evidock run limited to ${LIMIT} (about a minute)`);
  const limited = await evidock(['--otherwise', LIMIT]);
  if (limited.limitBytes === null) throw new Error(`the target added with ${LIMIT} has no limit`);
  const bandwidth = bandwidthFigures(limited, station.bytes, limited.limitBytes);
  progress(
    `limited run: ${limited.seconds.toFixed(2)} s, ${(bandwidth.steadyRate / MiB).toFixed(2)} ` +
      `MiB/s against ${(limited.limitBytes / MiB).toFixed(2)} MiB/s`,
  );

  const bench: ForwardBench = {
    clips: station.clips,
    clipBytes: station.bytes,
    files: files.size,
    fileBytes,
    runs: RUNS,
    concurrency: CONCURRENCY,
    partSizeMiB: PART_SIZE_MIB,
    disk: diskOf(STATION_DIR),
    evidock: evidockRuns,
    rclone: rcloneRuns,
    limit: {
      text: LIMIT,
      bytesPerSecond: limited.limitBytes,
      run: limited,
      figures: bandwidth,
    },
    rcloneVersion: execFileSync('rclone', ['version'], { encoding: 'utf8' }).split('\n')[0]!,
  };
  writeFileSync(join(BENCH_DIR, 'forward.json'), rawFigures(bench));
  console.log(reportLines(bench).join('\n'));
}

/**
 * One evidock run: a new target on a new bucket (a new target queues every clip archived), then
 * `forward run --until-idle` for it, timed as a whole process on a cold page cache; then the
 * same command again with nothing left to send (its fixed cost: start, catalogue, login, the
 * checks a pass makes), the target removed and the bucket emptied.
 */
async function forwardWithEvidock(
  rgw: CephRgw,
  station: BenchStation,
  name: string,
  schedule: string[],
): Promise<EvidockRun> {
  const bucket = name;
  await rgw.createBucket(bucket);
  try {
    const added = await station.must(
      [
        ...['forward', 'targets', 'add', '--name', name, '--kind', 's3'],
        ...['--endpoint', rgw.endpoint, '--bucket', bucket, '--path-style', '--prefix', PREFIX],
        ...['--concurrency', String(CONCURRENCY), '--part-size', String(PART_SIZE_MIB)],
        ...schedule,
        ...['--user', 'C001'],
      ],
      `${CUSTODIAN_PW}\n${rgw.accessKeyId}\n${rgw.secretAccessKey}\n`,
    );
    const forwardRun = [
      station.cli,
      ...['forward', 'run', '--until-idle', '--target', name, '--user', 'C001'],
      ...['--data-dir', station.dataDir, '--json'],
    ];
    dropCaches();
    const run = await timedProcess(process.execPath, forwardRun, {
      stdin: `${CUSTODIAN_PW}\n`,
      sampleMs: SAMPLE_MS,
    });
    const doc = JSON.parse(run.stdout) as {
      complete: boolean;
      targets: { target: string; verified: { clips: number; bytes: number } }[];
    };
    const queue = doc.targets.find((t) => t.target === name);
    if (!doc.complete || queue?.verified.clips !== station.clips.length) {
      throw new Error(`evidock: not every clip was verified on ${name}: ${run.stdout}`);
    }
    const idle = await timedProcess(process.execPath, forwardRun, { stdin: `${CUSTODIAN_PW}\n` });
    await station.must(
      ['forward', 'targets', 'remove', '--name', name, '--user', 'C001'],
      `${CUSTODIAN_PW}\n`,
    );
    return {
      ...run,
      ...rssByPhase(run.samples),
      limitBytes: (JSON.parse(added) as { target: { schedule: { otherwise: number | null } } })
        .target.schedule.otherwise,
      readBack: readBackCount(station.dataDir, name),
      idleSeconds: idle.seconds,
    };
  } finally {
    await dropBucket(rgw, bucket);
  }
}

/**
 * The resident set before the first part's bytes were out (start-up and the custodian's login,
 * whose scrypt takes 128 MiB for half a second) and from then on, while clips were being sent.
 */
function rssByPhase(samples: readonly Sample[]): {
  startPeakRssBytes: number;
  sendingPeakRssBytes: number;
} {
  const first = samples[0]?.bytes ?? 0;
  const sending = (s: Sample) => s.bytes - first >= PART_SIZE_MIB * MiB;
  const peak = (list: Sample[]) => Math.max(0, ...list.map((s) => s.rssBytes));
  return {
    startPeakRssBytes: peak(samples.filter((s) => !sending(s))),
    sendingPeakRssBytes: peak(samples.filter(sending)),
  };
}

/** How many of the target's clips the run read back whole (its random sample, default 5%). */
function readBackCount(dataDir: string, target: string): number {
  const db = new Database(join(dataDir, 'catalogue.sqlite'), { readonly: true });
  try {
    const row = db
      .prepare(
        `SELECT count(*) AS n FROM forward_outbox o JOIN forward_targets t ON t.id = o.target_id
         WHERE t.name = ? AND o.read_back_at IS NOT NULL`,
      )
      .get(target) as { n: number };
    return row.n;
  } finally {
    db.close();
  }
}

function forwardBenchUnavailable(): string | undefined {
  const ceph = cephUnavailable();
  if (ceph !== undefined) return ceph;
  const onPath = (tool: string) =>
    (process.env['PATH'] ?? '').split(':').some((dir) => dir !== '' && existsSync(join(dir, tool)));
  if (!onPath('rclone')) return 'needs rclone on PATH (Debian: rclone)';
  if (!existsSync(GNU_TIME)) return `needs GNU time at ${GNU_TIME} (Debian: time)`;
  if (!existsSync('/proc/sys/vm/drop_caches')) return 'needs /proc/sys/vm/drop_caches';
  return undefined;
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

let rgw: CephRgw | undefined;

/** Once, whoever asks first: the end of main, its failure, or a signal. */
let cleaning: Promise<void> | null = null;
function cleanUp(): Promise<void> {
  cleaning ??= (async () => {
    await stopAll();
    await rgw?.stop();
    rmSync(STATION_DIR, { recursive: true, force: true });
  })();
  return cleaning;
}

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    progress(`${signal}: stopping`);
    void cleanUp().finally(() => process.exit(130));
  });
}

main()
  .then(cleanUp, async (error: unknown) => {
    if (stopping) return;
    console.error(
      `bench:forward failed: ${error instanceof Error ? error.message : String(error)}`,
    );
    process.exitCode = 1;
    await cleanUp();
  })
  .catch((error: unknown) => {
    console.error(`bench:forward could not clean up: ${String(error)}`);
    process.exitCode = 1;
  });
