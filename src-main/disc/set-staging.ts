import { createHash } from 'node:crypto';
import { readFile, statfs } from 'node:fs/promises';
import { join } from 'node:path';
import type { Catalogue } from '../catalogue/catalogue';
import type { DiscClipFacts, DiscSetRecord } from '../catalogue/discs';
import type { AuditLog } from '../custody/audit-log';
import type { AuditCheckpoints } from '../custody/checkpoints';
import type { StationKeys } from '../custody/station-keys';
import { discMediumName, parseDiscMedium } from '../domain';
import { custodyExtract } from './custody-extract';
import type { ReportProgress } from './disc-passes';
import { plainFileOnDisc } from './disc-files';
import { discReadmePdf, evidenceListPdf } from './disc-documents';
import { localTime, volumeIdOf } from './disc-sets';
import { MANIFEST_FILES, MANIFEST_FORMAT, type DiscManifest, type ManifestFile } from './manifest';
import {
  copyFolder,
  sectorBytes,
  stageSet,
  StagingFailed,
  type DiscToStage,
  type StagedCopy,
} from './staging';

export interface SetStagingDeps {
  catalogue: Catalogue;
  audit: AuditLog;
  checkpoints: AuditCheckpoints;
  dataDir: string;
  now: () => Date;
  stationId: () => string;
  progress: ReportProgress;
}

/** `<data-dir>/discs/staging/<set tag>`: on the archive's file system, so originals are linked. */
const STAGING = join('discs', 'staging');

function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** What staging leaves free on the archive's disk, for the dockings that go on meanwhile. */
const HEADROOM_BYTES = 1024 ** 3;
/** A copy's own files besides the originals and the recovery data: documents, lists, keys. */
const COPY_FILES_BYTES = 16 * 1024 * 1024;

/**
 * A set's discs staged from the catalogue (D-LONGTERM): each original where the plan put it, the
 * manifest of each copy signed, its README, 清单 and custody record made, the whole set before
 * its first disc is burned. What an earlier staging left is used again if every copy is there.
 */
export class SetStaging {
  constructor(private readonly deps: SetStagingDeps) {}

  /** The set's staged copies: staged now, whole, if they are not (or no longer) all there. */
  async staged(set: DiscSetRecord, actor: string, signal?: AbortSignal): Promise<StagedCopy[]> {
    const root = this.root(set);
    if (set.stagedAt !== null) {
      const found = await this.readStaged(set, root);
      if (found !== null) return found;
    }
    return this.stage(set, root, actor, signal);
  }

  /**
   * Staging links the originals (they cost no room) but writes each disc's recovery data and each
   * copy's documents onto the archive's disk: refused, saying how much, where that would leave
   * less than a gigabyte for the dockings that go on meanwhile.
   */
  private async checkRoom(set: DiscSetRecord, discs: DiscToStage[]): Promise<void> {
    const originals = discs.flatMap((d) => d.originals).reduce((n, o) => n + o.file.size, 0);
    const needed =
      Math.ceil((originals * set.par2Percent) / 100) + set.discs * set.copies * COPY_FILES_BYTES;
    const fs = await statfs(this.deps.dataDir);
    const free = fs.bavail * fs.bsize;
    if (free < needed + HEADROOM_BYTES) {
      throw new StagingFailed(
        'STAGING_FAILED',
        `staging set ${set.tag} needs ${Math.ceil(needed / 1024 ** 2)} MiB on the archive's disk and ${Math.floor(free / 1024 ** 2)} MiB are free (1 GiB is kept for docking): free room first`,
      );
    }
  }

  root(set: DiscSetRecord): string {
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
    await this.checkRoom(set, discs);
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
      onProgress: (phase, n, percent) => this.deps.progress(set.id, { n, copy: 1 }, phase, percent),
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
}

/** An original as the manifest lists it, its times on the station's clock with their offset. */
function manifestFile(f: DiscClipFacts, path: string): ManifestFile {
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
