import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { link, readFile, realpath, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { LockFile, within } from '../archive';
import type { Catalogue } from '../catalogue/catalogue';
import type { DiscBurnRecord, DiscSetRecord } from '../catalogue/discs';
import { RpcError, type DiscProgress, type DiscRecord } from '../contract';
import { STATION_ACTOR, type AuditLog } from '../custody/audit-log';
import type { AuditCheckpoints } from '../custody/checkpoints';
import { discMediumName, parseDiscMedium } from '../domain';
import { withDiscMounted, DiscNotMounted } from './disc-mount';
import { plainFileOnDisc } from './disc-files';
import {
  deviceImage,
  failureOf,
  hashOf,
  imageAsBurned,
  runPasses,
  type PassesDeps,
} from './disc-passes';
import type { DiscSets } from './disc-sets';
import { MANIFEST_FILES } from './manifest';
import {
  BurnFailed,
  burnDisc,
  readDriveFacts,
  XorrisoMissing,
  type PassResult,
} from './media-passes';
import { RecoveryFailed } from './recovery';
import { SetStaging } from './set-staging';
import { StagingFailed, type StagedCopy } from './staging';
import {
  devicesArgs,
  drivesListed,
  isDriveAddress,
  runXorriso,
  type OpticalDrive,
} from './xorriso';

export interface DiscBurnerDeps {
  catalogue: Catalogue;
  audit: AuditLog;
  checkpoints: AuditCheckpoints;
  sets: DiscSets;
  dataDir: string;
  now: () => Date;
  /** The station's name on its discs: `station-<first 16 hex of its Ed25519 key's SHA-256>`. */
  stationId: () => string;
  publish?: (progress: DiscProgress) => void;
}

export interface BurnRequest {
  setId: number;
  n: number;
  copy: number;
  drive: string;
}

export interface DiscOutcome {
  disc: DiscRecord;
  passes: PassResult[];
}

export interface BurnOutcome extends DiscOutcome {
  timings: { stagingMs: number; burnMs: number };
}

/** `<data-dir>/disc.lock`: one process burns or checks discs of a data dir at a time. */
const LOCK_FILE = 'disc.lock';
/** Progress goes out at most this often (a burn reports many lines a second). */
const PROGRESS_EVERY_MS = 250;

/**
 * How long a burn or a check waits for the lock before it says another one runs: a reading of the
 * register takes it for an instant (to record burns a dead process left), a burn for an hour.
 */
const LOCK_PATIENCE_MS = 2000;

async function acquirePatiently(file: string, patienceMs: number): Promise<LockFile> {
  const until = Date.now() + patienceMs;
  for (;;) {
    try {
      return await LockFile.acquire(
        file,
        'disc lock',
        (pid) =>
          new RpcError('DISC_BUSY', `another process burns or checks a disc (pid ${pid})`, {
            pid,
          }),
      );
    } catch (error) {
      const busy = error instanceof RpcError && error.code === 'DISC_BUSY';
      if (!busy || Date.now() >= until) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

/** What a tool missing or failing means to the custodian, as an error the contract carries. */
function asRpcError(error: unknown): unknown {
  if (error instanceof XorrisoMissing) return new RpcError('DISC_TOOL_MISSING', error.message);
  if (error instanceof RecoveryFailed) {
    return new RpcError(
      error.code === 'PAR2_MISSING' ? 'DISC_TOOL_MISSING' : 'DISC_BURN_FAILED',
      error.message,
    );
  }
  if (error instanceof DiscNotMounted) {
    return new RpcError(
      error.code === 'FUSEISO_MISSING' ? 'DISC_TOOL_MISSING' : 'DISC_UNKNOWN',
      error.message,
    );
  }
  if (error instanceof StagingFailed) {
    return new RpcError(
      error.code === 'STAGING_FAILED' ? 'DISC_BURN_FAILED' : 'INTEGRITY_FAILED',
      error.message,
    );
  }
  return error;
}

function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * Burning and re-checking discs (D-LONGTERM, D-NO-TAMPER). A set is staged whole before its
 * first disc is burned; each disc is burned in one closed session and proven four ways, and the
 * register records each pass. A disc that fails any pass is recorded failed, its clips stay "not
 * yet on disc", and it is burned anew; one cut off by a crash is recorded interrupted.
 */
export class DiscBurner {
  private lastProgress = 0;
  private readonly staging: SetStaging;
  private readonly passDeps: PassesDeps;

  constructor(private readonly deps: DiscBurnerDeps) {
    const progress = this.progress.bind(this);
    this.staging = new SetStaging({ ...deps, progress });
    this.passDeps = { catalogue: deps.catalogue, checkpoints: deps.checkpoints, progress };
  }

  /** The optical drives xorriso finds. */
  async drives(): Promise<OpticalDrive[]> {
    const run = await runXorriso(devicesArgs());
    if (run.missing) throw new RpcError('DISC_TOOL_MISSING', new XorrisoMissing().message);
    return drivesListed(run.output);
  }

  /** Takes the data dir's disc lock for `work`; burns a crash left "burning" are interrupted. */
  private async locked<T>(work: () => Promise<T>, patienceMs = LOCK_PATIENCE_MS): Promise<T> {
    const lock = await acquirePatiently(join(this.deps.dataDir, LOCK_FILE), patienceMs);
    try {
      this.interruptStale();
      return await work();
    } finally {
      await lock.release();
    }
  }

  /** Records as interrupted the burns no process is doing any more (the lock is ours). */
  private interruptStale(): void {
    const { catalogue, audit, now } = this.deps;
    const stale = catalogue.discs.burning();
    if (stale.length === 0) return;
    catalogue.write((tx) => {
      for (const burn of tx.discs.burning()) {
        tx.discs.finishBurn(burn.id, {
          state: 'interrupted',
          at: now().toISOString(),
          problem: 'the burn was cut off before it was proven (the process stopped)',
          imageSha256: null,
          imageBytes: null,
          nextCheckDue: null,
        });
        audit.append(tx, {
          // Found by whoever looked next, done by no one: the station records what it found.
          actor: STATION_ACTOR,
          action: 'disc.burn.interrupted',
          subject: `disc:${burn.id}`,
          details: factsOf(burn),
        });
      }
    });
  }

  /** Marks burns a dead process left as interrupted, if no process burns now. */
  async reconcile(): Promise<void> {
    // A reading of the register takes the lock only when a burn is recorded under way.
    if (this.deps.catalogue.discs.burning().length === 0) return;
    try {
      await this.locked(async () => {}, 0);
    } catch (error) {
      if (!(error instanceof RpcError && error.code === 'DISC_BUSY')) throw error;
    }
  }

  async burn(request: BurnRequest, actor: string, signal?: AbortSignal): Promise<BurnOutcome> {
    const { catalogue } = this.deps;
    requireDrive(request.drive);
    const set = catalogue.discs.set(request.setId);
    if (set === undefined) throw new RpcError('NOT_FOUND', `no disc set ${request.setId}`);
    if (request.n > set.discs || request.copy > set.copies) {
      throw new RpcError(
        'BAD_REQUEST',
        `set ${set.tag} has ${set.discs} disc(s) of ${set.copies} copy(ies)`,
      );
    }
    try {
      return await this.locked(() => this.burnLocked(set, request, actor, signal));
    } catch (error) {
      throw asRpcError(error);
    }
  }

  private async burnLocked(
    set: DiscSetRecord,
    request: BurnRequest,
    actor: string,
    signal: AbortSignal | undefined,
  ): Promise<BurnOutcome> {
    const { catalogue, now } = this.deps;
    const live = catalogue.discs
      .burnsOfSet(set.id)
      .find((b) => b.n === request.n && b.copy === request.copy && b.state === 'verified');
    if (live !== undefined) {
      throw new RpcError(
        'CONFLICT',
        `disc ${request.n} copy ${request.copy} of ${set.tag} is burned and verified already (disc ${live.id})`,
      );
    }
    // Whether the tool is there is known before anything is recorded.
    await requireXorriso();
    const stagingStarted = performance.now();
    const staged = (await this.staging.staged(set, actor, signal)).find(
      (s) => s.n === request.n && s.copy === request.copy,
    )!;
    this.checkFits(set, staged);
    const image = request.drive.startsWith('stdio:') ? request.drive.slice('stdio:'.length) : null;
    if (image !== null) await this.checkImagePath(image, request.drive);
    const facts = image === null ? await readDriveFacts(request.drive) : null;

    const burn = catalogue.write((tx) => {
      // Checked again inside the transaction: two requests for the same disc meet here.
      const taken = tx.discs
        .burnsOfSet(set.id)
        .find(
          (b) =>
            b.n === request.n &&
            b.copy === request.copy &&
            (b.state === 'burning' || b.state === 'verified'),
        );
      if (taken !== undefined) {
        throw new RpcError(
          'CONFLICT',
          `disc ${request.n} copy ${request.copy} of ${set.tag} is ${taken.state} (disc ${taken.id})`,
        );
      }
      return tx.discs.startBurn({
        setId: set.id,
        n: request.n,
        copy: request.copy,
        volumeId: staged.volumeId,
        drive: request.drive,
        driveModel: facts === null ? null : `${facts.vendor} ${facts.model}`.trim(),
        driveFirmware: facts?.revision ?? null,
        speed: null,
        manifestSha256: staged.manifestSha256,
        burnedBy: actor,
        startedAt: now().toISOString(),
      });
    });

    // The image is written under a name of this burn's own, and named as asked only once proven.
    const partial = image === null ? null : `${image}.${burn.id}.partial`;
    const target = partial === null ? request.drive : `stdio:${partial}`;
    const stagingMs = Math.round(performance.now() - stagingStarted);
    const burnStarted = performance.now();
    let speed: string | null = null;
    try {
      ({ speed } = await burnDisc(
        { drive: target, volumeId: staged.volumeId, staged: staged.folder },
        { signal, onProgress: (percent) => this.progress(set.id, request, 'burning', percent) },
      ));
    } catch (error) {
      if (partial !== null) await rm(partial, { force: true });
      const cut = signal?.aborted === true;
      this.finish(burn, actor, {
        state: cut ? 'interrupted' : 'failed',
        problem: cut ? 'the burn was stopped' : (error as Error).message,
        passes: [],
        image: null,
        speed,
      });
      if (cut)
        throw new RpcError('CANCELLED', 'the burn was stopped: the disc is recorded interrupted');
      if (error instanceof BurnFailed) throw new RpcError('DISC_BURN_FAILED', error.message);
      throw error;
    }

    const burnMs = Math.round(performance.now() - burnStarted);
    // An image's hash is taken while the passes read it (another core, the same cached pages).
    const [passes, imageHash] = await Promise.all([
      runPasses(this.passDeps, target, set, request.n, burn.manifestSha256, request, signal),
      partial === null ? null : hashOf(partial),
    ]);
    const ok = passes.every((p) => p.ok);
    const imageFacts = imageHash ?? (await deviceImage(request.drive, passes));
    this.finish(burn, actor, {
      state: ok ? 'verified' : 'failed',
      problem: ok ? null : failureOf(passes),
      passes,
      image: imageFacts,
      speed,
    });
    if (image !== null) await placeImage(partial!, ok ? image : `${image}.failed`, burn.id);
    if (this.deps.sets.get(set.id).complete)
      await rm(this.staging.root(set), { recursive: true, force: true });
    return {
      disc: this.deps.sets.record(catalogue.discs.burn(burn.id)!),
      passes,
      timings: { stagingMs, burnMs },
    };
  }

  /**
   * Re-checks the disc in a drive (D-LONGTERM: discs age): it is known by the manifest on it, which
   * must be one the register recorded; the four passes run again against the catalogue, and the
   * result is recorded. A verified disc that fails is recorded failed, and its clips are "not yet
   * on disc" again until a new one is burned.
   */
  async verify(drive: string, actor: string, signal?: AbortSignal): Promise<DiscOutcome> {
    requireDrive(drive);
    if (drive.startsWith('stdio:') && !existsSync(drive.slice('stdio:'.length))) {
      throw new RpcError('NOT_FOUND', `no image ${drive.slice('stdio:'.length)}`);
    }
    try {
      return await this.locked(() => this.verifyLocked(drive, actor, signal));
    } catch (error) {
      throw asRpcError(error);
    }
  }

  private async verifyLocked(
    drive: string,
    actor: string,
    signal?: AbortSignal,
  ): Promise<DiscOutcome> {
    const { catalogue, audit, now } = this.deps;
    await requireXorriso();
    const candidates = await withDiscMounted(drive, (root) => this.registered(root));
    const burn = await this.whichBurn(candidates, drive);
    const set = catalogue.discs.set(burn.setId)!;
    const passes = await runPasses(
      this.passDeps,
      drive,
      set,
      burn.n,
      burn.manifestSha256,
      burn,
      signal,
      burn.imageSha256 === null || burn.imageBytes === null
        ? undefined
        : { sha256: burn.imageSha256, bytes: burn.imageBytes },
    );
    const ok = passes.every((p) => p.ok);
    const at = now().toISOString();
    const years = catalogue.settings.get('discCheckYears');
    catalogue.write((tx) => {
      for (const pass of passes) tx.discs.addCheck(checkOf(burn.id, 'recheck', pass, actor, at));
      tx.discs.recordRecheck(burn.id, {
        ok,
        at,
        problem: ok ? null : failureOf(passes),
        nextCheckDue: ok ? yearsAfter(at, years) : null,
      });
      audit.append(tx, {
        actor,
        action: 'disc.checked',
        subject: `disc:${burn.id}`,
        details: {
          ...factsOf(burn, drive),
          set: set.tag,
          ok,
          passes: Object.fromEntries(passes.map((p) => [p.pass, p.ok])),
          ...problemsOf(passes, null),
        },
      });
    });
    return { disc: this.deps.sets.record(catalogue.discs.burn(burn.id)!), passes };
  }

  /**
   * The register's burns of the disc mounted at `root`, known by its manifest's hash: burned whole
   * (verified, or failed a pass), newest last. A failed disc and the one burned again after it
   * share their staged manifest; their images tell them apart (whichBurn).
   */
  private async registered(root: string): Promise<DiscBurnRecord[]> {
    const { catalogue } = this.deps;
    let bytes: Buffer;
    let manifest: unknown;
    try {
      bytes = await readFile(await plainFileOnDisc(root, MANIFEST_FILES.json));
      manifest = JSON.parse(bytes.toString('utf8'));
    } catch (error) {
      throw new RpcError(
        'DISC_UNKNOWN',
        `the disc has no readable ${MANIFEST_FILES.json}: it is not an evidock disc (${(error as Error).message})`,
      );
    }
    const id = (manifest as { set?: { id?: unknown } } | null)?.set?.id;
    const tag = typeof id === 'string' ? id : null;
    const set = tag === null ? undefined : catalogue.discs.setByTag(tag);
    const hash = sha256(bytes);
    const burns =
      set === undefined
        ? []
        : catalogue.discs
            .burnsOfSet(set.id)
            .filter(
              (b) => b.manifestSha256 === hash && (b.state === 'verified' || b.state === 'failed'),
            );
    if (burns.length === 0) {
      throw new RpcError(
        'DISC_UNKNOWN',
        `the disc's manifest (SHA-256 ${hash}${tag === null ? '' : `, set ${tag}`}) is not one this station's register recorded for a burned disc`,
      );
    }
    return burns;
  }

  /**
   * Which of the burns of one manifest the disc in the drive is: the one whose image it still is.
   * One burn alone is that disc, whatever it reads back as (a disc that aged fails its re-check);
   * among several, a disc that is none of them as burned is not recorded against any.
   */
  private async whichBurn(burns: DiscBurnRecord[], drive: string): Promise<DiscBurnRecord> {
    if (burns.length === 1) return burns[0]!;
    for (const burn of [...burns].reverse()) {
      if (burn.imageSha256 === null || burn.imageBytes === null) continue;
      const read = await imageAsBurned(drive, burn.imageBytes);
      if (read?.sha256 === burn.imageSha256) return burn;
    }
    throw new RpcError(
      'DISC_UNKNOWN',
      `discs ${burns.map((b) => b.id).join(', ')} were burned from this disc's manifest and it reads back as none of them: it is not recorded against any`,
    );
  }

  /** A burn's end, its passes and outcome recorded with its audit entry in one transaction. */
  private finish(
    burn: DiscBurnRecord,
    actor: string,
    outcome: {
      state: 'verified' | 'failed' | 'interrupted';
      problem: string | null;
      passes: PassResult[];
      image: { sha256: string; bytes: number } | null;
      speed: string | null;
    },
  ): void {
    const { catalogue, audit, now } = this.deps;
    const at = now().toISOString();
    const years = catalogue.settings.get('discCheckYears');
    catalogue.write((tx) => {
      for (const pass of outcome.passes) {
        tx.discs.addCheck(checkOf(burn.id, 'burn', pass, actor, at));
      }
      tx.discs.finishBurn(burn.id, {
        state: outcome.state,
        at,
        problem: outcome.problem,
        imageSha256: outcome.image?.sha256 ?? null,
        imageBytes: outcome.image?.bytes ?? null,
        nextCheckDue: outcome.state === 'verified' ? yearsAfter(at, years) : null,
      });
      if (outcome.speed !== null) tx.discs.setSpeed(burn.id, outcome.speed);
      audit.append(tx, {
        actor,
        action:
          outcome.state === 'verified'
            ? 'disc.burned'
            : outcome.state === 'failed'
              ? 'disc.burn.failed'
              : 'disc.burn.interrupted',
        subject: `disc:${burn.id}`,
        details: {
          ...factsOf(burn),
          manifestSha256: burn.manifestSha256,
          imageSha256: outcome.image?.sha256 ?? null,
          passes: Object.fromEntries(outcome.passes.map((p) => [p.pass, p.ok])),
          // The passes' problems name originals (case, officer, file): they stay in the register,
          // shown to whoever may see those clips; the chain records how many there were.
          ...problemsOf(outcome.passes, outcome.passes.length === 0 ? outcome.problem : null),
        },
      });
    });
  }

  /**
   * An image is written where it is asked for, never over a file and never into the data dir
   * (the archive, the catalogue, a set's staging). What a burn of this drive that was cut off
   * left under its own name is removed; nothing else is.
   */
  private async checkImagePath(image: string, drive: string): Promise<void> {
    if (existsSync(image)) {
      throw new RpcError('CONFLICT', `${image} already exists: an image is never written over`);
    }
    const folder = await realpath(dirname(image)).catch(() => null);
    if (folder === null)
      throw new RpcError('NOT_FOUND', `no folder ${dirname(image)} for the image`);
    const dataDir = await realpath(this.deps.dataDir);
    if (folder === dataDir || within(dataDir, folder)) {
      throw new RpcError('BAD_REQUEST', `an image is not written into the station's data folder`);
    }
    for (const burn of this.deps.catalogue.discs.burns({ limit: 10_000 })) {
      if (burn.drive === drive && burn.state === 'interrupted') {
        await rm(`${image}.${burn.id}.partial`, { force: true });
      }
    }
  }

  /** A medium smaller than the staged disc is refused before anything is written. */
  private checkFits(set: DiscSetRecord, staged: StagedCopy): void {
    const medium = parseDiscMedium(set.medium === 'bytes' ? String(set.mediumBytes) : set.medium);
    const capacity = medium?.bytes ?? set.mediumBytes;
    // The file system's own areas: volume descriptors, path tables, directories in three trees.
    const needed = staged.bytes + 2 * 1024 * 1024;
    if (needed > capacity) {
      throw new RpcError(
        'DISC_TOO_SMALL',
        `disc ${staged.n} of ${set.tag} needs ${needed} bytes, more than ${medium === null ? capacity : discMediumName(medium)} holds`,
      );
    }
  }

  private progress(
    setId: number,
    where: { n: number; copy: number },
    phase: DiscProgress['phase'],
    percent: number,
  ): void {
    const publish = this.deps.publish;
    if (publish === undefined) return;
    const at = Date.now();
    if (percent > 0 && percent < 100 && at - this.lastProgress < PROGRESS_EVERY_MS) return;
    this.lastProgress = at;
    publish({
      setId,
      n: where.n,
      copy: where.copy,
      phase,
      percent: Math.max(0, Math.min(100, percent)),
    });
  }
}

function checkOf(
  discId: number,
  occasion: 'burn' | 'recheck',
  pass: PassResult,
  checkedBy: string,
  checkedAt: string,
) {
  return {
    discId,
    occasion,
    pass: pass.pass,
    ok: pass.ok,
    detail: pass.detail,
    problems: pass.problems,
    checkedBy,
    checkedAt,
  };
}

/** What the audit log records of a burn, besides what happened to it. */
function factsOf(burn: DiscBurnRecord, drive = burn.drive) {
  return { set: burn.setId, n: burn.n, copy: burn.copy, volumeId: burn.volumeId, drive };
}

/** A drive address the station hands to xorriso, or a clear refusal. */
function requireDrive(drive: string): void {
  if (!isDriveAddress(drive)) {
    throw new RpcError(
      'BAD_REQUEST',
      `not a drive: ${drive} (a /dev/… device or stdio:/absolute/path)`,
    );
  }
}

/** The proven (or failed) image under its name, never over a file already there. */
async function placeImage(partial: string, name: string, burnId: number): Promise<void> {
  for (const candidate of [name, name.replace(/(\.failed)?$/, `.${burnId}$1`)]) {
    try {
      await link(partial, candidate);
      await rm(partial, { force: true });
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  // Both names taken meanwhile: the image stays under this burn's own name.
}

/** xorriso is installed, or the custodian is told how to install it. */
async function requireXorriso(): Promise<void> {
  if ((await runXorriso(['-no_rc', '-version'])).missing) throw new XorrisoMissing();
}

/** What the audit entry of a burn or check says went wrong: counts, or a burn's own failure. */
function problemsOf(passes: readonly PassResult[], burnProblem: string | null) {
  const problems = passes.reduce((n, p) => n + p.problems.length, 0);
  return {
    ...(problems === 0 ? {} : { problems }),
    ...(burnProblem === null ? {} : { problem: burnProblem }),
  };
}

export function yearsAfter(iso: string, years: number): string {
  const at = new Date(iso);
  at.setUTCFullYear(at.getUTCFullYear() + years);
  return at.toISOString();
}
