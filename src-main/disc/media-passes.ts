import { open } from 'node:fs/promises';
import { notPlainUnder } from './disc-files';
import {
  burnArgs,
  burnProgress,
  burnSpeed,
  checkMd5Args,
  checkMediaArgs,
  driveType,
  md5AllMatch,
  md5Mismatches,
  md5TagRanges,
  mediaRegions,
  runXorriso,
  tocArgs,
  XORRISO_MISSING,
  type DriveAddress,
} from './xorriso';

/** The four verification passes of a disc, in the order they run. */
export type DiscPass = 'blocks' | 'md5' | 'files' | 'signatures';

/** One pass's outcome, as the register records it. */
export interface PassResult {
  pass: DiscPass;
  ok: boolean;
  /** One line for the custodian: what was checked and what was found. */
  detail: string;
  /** What failed: unreadable block ranges, or the files that differ. */
  problems: string[];
  /** Pass 1: the sectors read back (the session's extent, for the image's hash). */
  sectors?: number;
  ms?: number;
}

/** A pass with the time it took. */
export async function timed(pass: Promise<PassResult>): Promise<PassResult> {
  const started = performance.now();
  const result = await pass;
  return { ...result, ms: Math.round(performance.now() - started) };
}

export class XorrisoMissing extends Error {
  readonly code = 'XORRISO_MISSING';
  constructor() {
    super(XORRISO_MISSING);
  }
}

export class BurnFailed extends Error {
  readonly code = 'BURN_FAILED';
}

/** The burn of one staged disc, its progress (0–100) reported as xorriso writes. */
export async function burnDisc(
  spec: { drive: DriveAddress; volumeId: string; staged: string },
  options: { onProgress?: (percent: number) => void; signal?: AbortSignal } = {},
): Promise<{ speed: string | null }> {
  // A disc holds plain files only: xorriso would burn a link as a link.
  const odd = await notPlainUnder(spec.staged);
  if (odd.length > 0) {
    throw new BurnFailed(`a disc holds plain files only, not ${odd.slice(0, 5).join(', ')}`);
  }
  if (spec.drive.startsWith('stdio:')) {
    // A pseudo-drive is a new image, created here (O_EXCL: not over a file, not through a link);
    // xorriso takes the empty file as a blank medium.
    const image = spec.drive.slice('stdio:'.length);
    try {
      await (await open(image, 'wx')).close();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      throw new BurnFailed(`${image} already exists: an image is never written over`);
    }
  }
  let speed: string | null = null;
  const run = await runXorriso(burnArgs(spec), {
    signal: options.signal,
    onLine: (line) => {
      const percent = burnProgress(line);
      if (percent !== null) options.onProgress?.(percent);
      speed = burnSpeed(line) ?? speed;
    },
  });
  if (run.missing) throw new XorrisoMissing();
  if (run.code !== 0 || !/completed successfully/.test(run.output)) {
    throw new BurnFailed(`the burn to ${spec.drive} failed: ${lastProblem(run.output)}`);
  }
  options.onProgress?.(100);
  return { speed };
}

/** The drive's vendor, model and firmware revision, as xorriso reads them; null if it cannot. */
export async function readDriveFacts(
  drive: DriveAddress,
): Promise<{ vendor: string; model: string; revision: string } | null> {
  const run = await runXorriso(tocArgs(drive));
  if (run.missing) throw new XorrisoMissing();
  return driveType(run.output);
}

/**
 * Pass 1: every block of the session is read back, and the session's MD5 tag compared. A block
 * that cannot be read, or a session whose MD5 no longer matches, fails the pass.
 */
export async function checkBlocks(drive: DriveAddress, signal?: AbortSignal): Promise<PassResult> {
  const run = await runXorriso(checkMediaArgs(drive), { signal });
  if (run.missing) throw new XorrisoMissing();
  const regions = mediaRegions(run.output);
  const tags = md5TagRanges(run.output);
  const unreadable = regions
    .filter((r) => !r.readable)
    .map((r) => `sectors ${r.lba}–${r.lba + r.sectors - 1}: ${r.quality}`);
  const mismatched = tags
    .filter((t) => !t.match)
    .map((t) => `MD5 session tag over sectors ${t.lba}–${t.lba + t.sectors - 1} does not match`);
  const read = regions.filter((r) => r.readable && r.quality !== 'untested');
  const sectors = read.reduce((sum, r) => sum + r.sectors, 0);
  if (regions.length === 0 || tags.length === 0) {
    return {
      pass: 'blocks',
      ok: false,
      detail: `the medium could not be checked: ${lastProblem(run.output)}`,
      problems: [lastProblem(run.output)],
    };
  }
  const problems = [...unreadable, ...mismatched];
  return {
    pass: 'blocks',
    ok: problems.length === 0,
    detail:
      problems.length === 0
        ? `${sectors} sectors read back, the session's MD5 tag matches`
        : `${problems.length} problem(s) reading the medium back`,
    problems,
    sectors: tags.reduce((end, t) => Math.max(end, t.lba + t.sectors), 0),
  };
}

/** Pass 2: every file's content against the MD5 recorded for it when it was burned. */
export async function checkFileMd5s(
  drive: DriveAddress,
  signal?: AbortSignal,
): Promise<PassResult> {
  const run = await runXorriso(checkMd5Args(drive), { signal });
  if (run.missing) throw new XorrisoMissing();
  const differ = md5Mismatches(run.output);
  const ok = run.code === 0 && differ.length === 0 && md5AllMatch(run.output);
  return {
    pass: 'md5',
    ok,
    detail: ok
      ? "every file's content matches the MD5 recorded when it was burned"
      : differ.length > 0
        ? `${differ.length} file(s) differ from the MD5 recorded when they were burned`
        : `the files' MD5s could not be checked: ${lastProblem(run.output)}`,
    problems: differ.length > 0 ? differ : ok ? [] : [lastProblem(run.output)],
  };
}

/** xorriso's last FAILURE or SORRY line, or its last line: the words a custodian is shown. */
function lastProblem(output: string): string {
  const lines = output
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');
  const problem = [...lines].reverse().find((l) => /: (FAILURE|SORRY|FATAL|ABORT) :/.test(l));
  return (problem ?? lines.at(-1) ?? 'no output').replace(/^xorriso : /, '');
}
