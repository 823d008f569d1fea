import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { open, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { LockFile } from '../archive';
import type { Catalogue } from '../catalogue/catalogue';
import type { DiscBurnRecord, DiscClipFacts, DiscSetRecord } from '../catalogue/discs';
import { RpcError, type DiscProgress, type DiscRecord } from '../contract';
import type { AuditLog } from '../custody/audit-log';
import type { AuditCheckpoints } from '../custody/checkpoints';
import type { StationKeys } from '../custody/station-keys';
import { discMediumName, parseDiscMedium, SECTOR_BYTES } from '../domain';
import { custodyExtract } from './custody-extract';
import { discReadmePdf, evidenceListPdf } from './disc-documents';
import { withDiscMounted, DiscNotMounted } from './disc-mount';
import { plainFileOnDisc } from './disc-files';
import { checkFilesAt, type ExpectedFile } from './file-pass';
import {
  MANIFEST_FILES,
  MANIFEST_FORMAT,
  checkManifestSignatures,
  type DiscManifest,
} from './manifest';
import {
  BurnFailed,
  burnDisc,
  checkBlocks,
  checkFileMd5s,
  readDriveFacts,
  timed,
  XorrisoMissing,
  type PassResult,
} from './media-passes';
import { RecoveryFailed } from './recovery';
import {
  copyFolder,
  sectorBytes,
  stageSet,
  StagingFailed,
  type DiscToStage,
  type StagedCopy,
} from './staging';
import { localTime, volumeIdOf, type DiscSets } from './disc-sets';
import {
  drivesListed,
  isDriveAddress,
  runXorriso,
  devicesArgs,
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
const STAGING = join('discs', 'staging');
/** Progress goes out at most this often (a burn reports many lines a second). */
const PROGRESS_EVERY_MS = 250;

/** What a tool missing or failing means to the custodian, as an error the contract carries. */
function asRpcError(error: unknown): unknown {
  if (error instanceof XorrisoMissing) return new RpcError('DISC_TOOL_MISSING', error.message);
  if (error instanceof RecoveryFailed) {
    return new RpcError(
      error.code === 'PAR2_MISSING' ? 'DISC_TOOL_MISSING' : 'INTERNAL',
      error.message,
    );
  }
  if (error instanceof DiscNotMounted) {
    return new RpcError(
      error.code === 'FUSEISO_MISSING' ? 'DISC_TOOL_MISSING' : 'DISC_UNKNOWN',
      error.message,
    );
  }
  if (error instanceof StagingFailed) return new RpcError('INTEGRITY_FAILED', error.message);
  return error;
}

function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** The SHA-256 and size of the first `limit` bytes of a file or device (the whole image). */
async function hashOf(
  path: string,
  limit = Number.POSITIVE_INFINITY,
): Promise<{ sha256: string; bytes: number }> {
  const hash = createHash('sha256');
  const handle = await open(path, 'r');
  const buffer = Buffer.allocUnsafe(4 << 20);
  let bytes = 0;
  try {
    while (bytes < limit) {
      const { bytesRead } = await handle.read(
        buffer,
        0,
        Math.min(buffer.length, limit - bytes),
        null,
      );
      if (bytesRead === 0) break;
      hash.update(buffer.subarray(0, bytesRead));
      bytes += bytesRead;
    }
  } finally {
    await handle.close();
  }
  return { sha256: hash.digest('hex'), bytes };
}

/**
 * Burning and re-checking discs (D-LONGTERM, D-NO-TAMPER). A set is staged whole before its
 * first disc is burned; each disc is burned in one closed session and proven four ways, and the
 * register records each pass. A disc that fails any pass is recorded failed, its clips stay "not
 * yet on disc", and it is burned anew; one cut off by a crash is recorded interrupted.
 */
export class DiscBurner {
  private lastProgress = 0;

  constructor(private readonly deps: DiscBurnerDeps) {}

  /** The optical drives xorriso finds. */
  async drives(): Promise<OpticalDrive[]> {
    const run = await runXorriso(devicesArgs());
    if (run.missing) throw new RpcError('DISC_TOOL_MISSING', new XorrisoMissing().message);
    return drivesListed(run.output);
  }

  /** Takes the data dir's disc lock for `work`; burns a crash left "burning" are interrupted. */
  private async locked<T>(actor: string, work: () => Promise<T>): Promise<T> {
    const lock = await LockFile.acquire(
      join(this.deps.dataDir, LOCK_FILE),
      'disc lock',
      (pid) =>
        new RpcError('DISC_BUSY', `another process burns or checks a disc (pid ${pid})`, { pid }),
    );
    try {
      this.interruptStale(actor);
      return await work();
    } finally {
      await lock.release();
    }
  }

  /** Records as interrupted the burns no process is doing any more (the lock is ours). */
  private interruptStale(actor: string): void {
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
          actor,
          action: 'disc.burn.interrupted',
          subject: `disc:${burn.id}`,
          details: {
            set: burn.setId,
            n: burn.n,
            copy: burn.copy,
            volumeId: burn.volumeId,
            drive: burn.drive,
          },
        });
      }
    });
  }

  /** Marks burns a dead process left as interrupted, if no process burns now. */
  async reconcile(actor: string): Promise<void> {
    try {
      await this.locked(actor, async () => {});
    } catch (error) {
      if (!(error instanceof RpcError && error.code === 'DISC_BUSY')) throw error;
    }
  }

  async burn(request: BurnRequest, actor: string, signal?: AbortSignal): Promise<BurnOutcome> {
    const { catalogue } = this.deps;
    if (!isDriveAddress(request.drive)) {
      throw new RpcError(
        'BAD_REQUEST',
        `not a drive: ${request.drive} (a /dev/… device or stdio:/absolute/path)`,
      );
    }
    const set = catalogue.discs.set(request.setId);
    if (set === undefined) throw new RpcError('NOT_FOUND', `no disc set ${request.setId}`);
    if (request.n > set.discs || request.copy > set.copies) {
      throw new RpcError(
        'BAD_REQUEST',
        `set ${set.tag} has ${set.discs} disc(s) of ${set.copies} copy(ies)`,
      );
    }
    try {
      return await this.locked(actor, () => this.burnLocked(set, request, actor, signal));
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
    const version = await runXorriso(['-no_rc', '-version']);
    if (version.missing) throw new XorrisoMissing();
    const stagingStarted = performance.now();
    const staged = (await this.staged(set, actor, signal)).find(
      (s) => s.n === request.n && s.copy === request.copy,
    )!;
    this.checkFits(set, staged);
    const image = request.drive.startsWith('stdio:') ? request.drive.slice('stdio:'.length) : null;
    const partial = image === null ? null : `${image}.partial`;
    if (image !== null) await this.clearPartial(image, partial!, request.drive);
    const target = partial === null ? request.drive : `stdio:${partial}`;
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
      this.passes(target, set, request.n, burn.manifestSha256, request, signal),
      partial === null ? null : hashOf(partial),
    ]);
    const ok = passes.every((p) => p.ok);
    const imageFacts = imageHash ?? (await this.deviceImage(request.drive, passes));
    this.finish(burn, actor, {
      state: ok ? 'verified' : 'failed',
      problem: ok ? null : failureOf(passes),
      passes,
      image: imageFacts,
      speed,
    });
    if (image !== null) await rename(partial!, ok ? image : `${image}.failed`);
    if (this.deps.sets.get(set.id).complete)
      await rm(this.stagingRoot(set), { recursive: true, force: true });
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
    if (!isDriveAddress(drive)) {
      throw new RpcError(
        'BAD_REQUEST',
        `not a drive: ${drive} (a /dev/… device or stdio:/absolute/path)`,
      );
    }
    if (drive.startsWith('stdio:') && !existsSync(drive.slice('stdio:'.length))) {
      throw new RpcError('NOT_FOUND', `no image ${drive.slice('stdio:'.length)}`);
    }
    try {
      return await this.locked(actor, () => this.verifyLocked(drive, actor, signal));
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
    const version = await runXorriso(['-no_rc', '-version']);
    if (version.missing) throw new XorrisoMissing();
    const burn = await withDiscMounted(drive, (root) => this.registered(root));
    const set = catalogue.discs.set(burn.setId)!;
    const passes = await this.passes(drive, set, burn.n, burn.manifestSha256, burn, signal);
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
          set: set.tag,
          n: burn.n,
          copy: burn.copy,
          volumeId: burn.volumeId,
          drive,
          ok,
          passes: Object.fromEntries(passes.map((p) => [p.pass, p.ok])),
          ...(ok ? {} : { problem: failureOf(passes) }),
        },
      });
    });
    return { disc: this.deps.sets.record(catalogue.discs.burn(burn.id)!), passes };
  }

  /** The register's burn of the disc mounted at `root`, known by its manifest's hash. */
  private async registered(root: string): Promise<DiscBurnRecord> {
    const { catalogue } = this.deps;
    let bytes: Buffer;
    let manifest: Partial<DiscManifest>;
    try {
      bytes = await readFile(await plainFileOnDisc(root, MANIFEST_FILES.json));
      manifest = JSON.parse(bytes.toString('utf8')) as Partial<DiscManifest>;
    } catch (error) {
      throw new RpcError(
        'DISC_UNKNOWN',
        `the disc has no readable ${MANIFEST_FILES.json}: it is not an evidock disc (${(error as Error).message})`,
      );
    }
    const tag = typeof manifest.set?.id === 'string' ? manifest.set.id : null;
    const set = tag === null ? undefined : catalogue.discs.setByTag(tag);
    const hash = sha256(bytes);
    const burn =
      set === undefined
        ? undefined
        : catalogue.discs
            .burnsOfSet(set.id)
            .filter(
              (b) => b.manifestSha256 === hash && (b.state === 'verified' || b.state === 'failed'),
            )
            .at(-1);
    if (burn === undefined) {
      throw new RpcError(
        'DISC_UNKNOWN',
        `the disc's manifest (SHA-256 ${hash}${tag === null ? '' : `, set ${tag}`}) is not one this station's register recorded for a burned disc`,
      );
    }
    return burn;
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
          set: burn.setId,
          n: burn.n,
          copy: burn.copy,
          volumeId: burn.volumeId,
          drive: burn.drive,
          manifestSha256: burn.manifestSha256,
          imageSha256: outcome.image?.sha256 ?? null,
          passes: Object.fromEntries(outcome.passes.map((p) => [p.pass, p.ok])),
          ...(outcome.problem === null ? {} : { problem: outcome.problem }),
        },
      });
    });
  }

  /** A partial image left by an interrupted burn of this drive is removed; anything else stays. */
  private async clearPartial(image: string, partial: string, drive: string): Promise<void> {
    if (existsSync(image)) {
      throw new RpcError('CONFLICT', `${image} already exists: an image is never written over`);
    }
    if (!existsSync(partial)) return;
    const ours = this.deps.catalogue.discs
      .burns({ limit: 10_000 })
      .some((b) => b.drive === drive && b.state === 'interrupted');
    if (!ours) {
      throw new RpcError(
        'CONFLICT',
        `${partial} already exists and no interrupted burn of this station left it`,
      );
    }
    await rm(partial, { force: true });
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

  /** The set's staged copies: staged now, whole, if they are not (or no longer) all there. */
  private async staged(
    set: DiscSetRecord,
    actor: string,
    signal?: AbortSignal,
  ): Promise<StagedCopy[]> {
    const root = this.stagingRoot(set);
    if (set.stagedAt !== null) {
      const found = await this.readStaged(set, root);
      if (found !== null) return found;
    }
    return this.stage(set, root, actor, signal);
  }

  private stagingRoot(set: DiscSetRecord): string {
    return join(this.deps.dataDir, STAGING, set.tag);
  }

  /** What an earlier staging left, if every copy is there with a manifest of this set. */
  private async readStaged(set: DiscSetRecord, root: string): Promise<StagedCopy[] | null> {
    const staged: StagedCopy[] = [];
    for (let n = 1; n <= set.discs; n++) {
      for (let copy = 1; copy <= set.copies; copy++) {
        const folder = copyFolder(root, n, copy);
        try {
          const bytes = await readFile(await plainFileOnDisc(folder, MANIFEST_FILES.json));
          const manifest = JSON.parse(bytes.toString('utf8')) as DiscManifest;
          if (manifest.set.id !== set.tag || manifest.disc.n !== n || manifest.disc.copy !== copy)
            return null;
          staged.push({
            n,
            copy,
            volumeId: volumeIdOf(set, n, copy),
            folder,
            manifestSha256: sha256(bytes),
            bytes: await sectorBytes(folder),
          });
        } catch {
          return null;
        }
      }
    }
    return staged;
  }

  private async stage(
    set: DiscSetRecord,
    root: string,
    actor: string,
    signal?: AbortSignal,
  ): Promise<StagedCopy[]> {
    const { catalogue, checkpoints, dataDir, now } = this.deps;
    const keys: StationKeys = checkpoints.requireKeys();
    const placed = catalogue.discs.setClips(set.id);
    const facts = new Map(
      catalogue.discs.clipFacts(placed.map((p) => p.clipId)).map((f) => [f.id, f]),
    );
    const createdAt = now().toISOString();
    const user = catalogue.users.get(actor);
    const createdBy = { badge: actor, name: user?.name ?? actor };
    const stationId = this.deps.stationId();
    const medium =
      set.medium === 'bytes'
        ? `${set.mediumBytes} bytes`
        : discMediumName(parseDiscMedium(set.medium)!);
    const discs: DiscToStage[] = Array.from({ length: set.discs }, (_, i) => ({
      n: i + 1,
      originals: placed
        .filter((p) => p.n === i + 1)
        .map((p) => {
          const f = facts.get(p.clipId)!;
          return {
            source: join(dataDir, ...f.archivePath.split('/')),
            file: manifestFile(f, p.path),
          };
        }),
      copies: Array.from({ length: set.copies }, (_, k) => ({
        copy: k + 1,
        volumeId: volumeIdOf(set, i + 1, k + 1),
      })),
    }));
    // The custody record covers every entry of these clips up to now: the head is sealed first.
    checkpoints.sealHead('disc');
    const staged = await stageSet({
      root,
      tag: set.tag,
      discCount: set.discs,
      keys,
      par2Percent: set.par2Percent,
      discs,
      signal,
      onProgress: (phase, n, percent) => this.progress(set.id, { n, copy: 1 }, phase, percent),
      manifest: (disc, copy): DiscManifest => ({
        format: MANIFEST_FORMAT,
        station: { id: stationId, keys: keys.fingerprints },
        set: { id: set.tag, discs: set.discs },
        disc: { n: disc.n, copy: copy.copy, volumeId: copy.volumeId, medium },
        createdAt,
        createdBy: actor,
        files: disc.originals.map((o) => o.file),
      }),
      documents: async (manifest, manifestSha256) => {
        const files = manifest.files;
        const custody = custodyExtract({
          catalogue,
          clipIds: files.map((f) => f.clipId),
          stationId,
          keys,
        });
        return {
          readme: await discReadmePdf({
            stationId,
            setId: set.tag,
            n: manifest.disc.n,
            of: set.discs,
            copy: manifest.disc.copy,
            volumeId: manifest.disc.volumeId,
            medium,
            createdAt,
            createdBy,
            fingerprints: keys.fingerprints,
            files: files.length,
            bytes: files.reduce((sum, f) => sum + f.size, 0),
          }),
          evidenceList: await evidenceListPdf(manifest, { createdBy, manifestSha256 }),
          custody: Buffer.from(`${JSON.stringify(custody, null, 2)}\n`),
        };
      },
    });
    catalogue.write((tx) => {
      tx.discs.markStaged(set.id, now().toISOString());
      this.deps.audit.append(tx, {
        actor,
        action: 'disc.set.staged',
        subject: `discset:${set.tag}`,
        details: {
          copies: staged.map((s) => ({
            n: s.n,
            copy: s.copy,
            volumeId: s.volumeId,
            manifestSha256: s.manifestSha256,
          })),
        },
      });
    });
    return staged;
  }

  /**
   * The four passes over a burned disc: (1) every block and the session's MD5 tag; (2) every
   * file's MD5 tag; (3) every original read back through the mounted file system and hashed
   * against the catalogue (not against anything on the disc); (4) the manifest's signatures,
   * with this station's keys, and the manifest being the one the register recorded.
   */
  private async passes(
    drive: string,
    set: DiscSetRecord,
    n: number,
    manifestSha256: string,
    where: { n: number; copy: number },
    signal?: AbortSignal,
  ): Promise<PassResult[]> {
    const { catalogue, checkpoints } = this.deps;
    // An image is read from the page cache and can be read by two passes at once (on two cores);
    // a drive is held by one reader at a time, and two would only make it seek.
    const image = drive.startsWith('stdio:');
    this.progress(set.id, where, 'blocks', 0);
    const [blocks, md5] = image
      ? await Promise.all([timed(checkBlocks(drive, signal)), timed(checkFileMd5s(drive, signal))])
      : [await timed(checkBlocks(drive, signal)), await timed(checkFileMd5s(drive, signal))];
    const expected = expectedFiles(catalogue, set.id, n);
    const [files, signatures] = await withDiscMounted(drive, async (root) => {
      this.progress(set.id, where, 'files', 0);
      const files = await timed(
        checkFilesAt(root, expected, {
          signal,
          onFile: (done, total) => this.progress(set.id, where, 'files', (done / total) * 100),
        }),
      );
      this.progress(set.id, where, 'signatures', 0);
      const signatures = await timed(
        checkManifestSignatures(root, checkpoints.requireKeys()).then((result) =>
          withRegisteredManifest(result, root, manifestSha256),
        ),
      );
      return [files, signatures] as const;
    });
    return [blocks, md5, files, signatures];
  }

  /**
   * A real disc's image hashed from the device, as far as the session reaches (pass 1 names its
   * sectors); null where it cannot be read whole.
   */
  private async deviceImage(
    drive: string,
    passes: PassResult[],
  ): Promise<{ sha256: string; bytes: number } | null> {
    const sectors = passes.find((p) => p.pass === 'blocks')?.sectors;
    if (sectors === undefined || sectors === 0) return null;
    try {
      return await hashOf(drive, sectors * SECTOR_BYTES);
    } catch {
      return null;
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

/** One line saying which passes failed and their first problem. */
function failureOf(passes: readonly PassResult[]): string {
  return passes
    .filter((p) => !p.ok)
    .map(
      (p) =>
        `pass ${p.pass}: ${p.detail}${p.problems[0] === undefined ? '' : ` (${p.problems[0]})`}`,
    )
    .join('; ');
}

/** Pass 4 also holds the disc to the manifest the register recorded for it. */
async function withRegisteredManifest(
  result: PassResult,
  root: string,
  manifestSha256: string,
): Promise<PassResult> {
  let onDisc: string;
  try {
    onDisc = sha256(await readFile(await plainFileOnDisc(root, MANIFEST_FILES.json)));
  } catch (error) {
    onDisc = `unreadable (${(error as Error).message})`;
  }
  if (onDisc === manifestSha256) return result;
  const problem = `MANIFEST.json on the disc (SHA-256 ${onDisc}) is not the one the register recorded (${manifestSha256})`;
  return {
    ...result,
    ok: false,
    detail: `${result.detail}; ${problem}`,
    problems: [...result.problems, problem],
  };
}

/** The originals disc n of a set must hold, with the hashes the catalogue proved at ingest. */
export function expectedFiles(catalogue: Catalogue, setId: number, n: number): ExpectedFile[] {
  const placed = catalogue.discs.setClips(setId).filter((p) => p.n === n);
  const facts = new Map(
    catalogue.discs.clipFacts(placed.map((p) => p.clipId)).map((f) => [f.id, f]),
  );
  return placed.map((p) => {
    const f = facts.get(p.clipId)!;
    return { path: p.path, size: f.size, sha256: f.sha256, sm3: f.sm3 };
  });
}

function manifestFile(f: DiscClipFacts, path: string) {
  return {
    path,
    size: f.size,
    sha256: f.sha256,
    sm3: f.sm3,
    clipId: f.id,
    recordedStart: f.recordedStart === null ? null : localTime(f.recordedStart),
    recordedEnd: f.recordedEnd === null ? null : localTime(f.recordedEnd),
    recorderSerial: f.recorderSerial,
    officerBadge: f.officerBadge,
    caseNumber: f.caseNumber,
    custodyAt: localTime(f.custodyAt),
  };
}

export function yearsAfter(iso: string, years: number): string {
  const at = new Date(iso);
  at.setUTCFullYear(at.getUTCFullYear() + years);
  return at.toISOString();
}
