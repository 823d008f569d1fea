import { rm } from 'node:fs/promises';
import type { Catalogue } from '../catalogue/catalogue';
import type { Log } from '../contract';
import type { ClipRecord, NewClip, SightingRecord } from '../catalogue/clips';
import type { AuditLog } from '../custody/audit-log';
import {
  archiveFolderFor,
  freeArchivePath,
  hashFromDisk,
  linkIntoArchive,
  present,
  resolveInside,
  SIDECAR_SUFFIX,
  unlinkOwnArchiveName,
  writeSidecar,
  type CustodyEvent,
} from '../archive';
import type { Staging, StagingManifest } from './staging';

/** What a clip's sidecar holds: its catalogue row and its name on the recorder. */
export type SidecarOfClip = NewClip & { originalName: string };

export interface PlaceContext {
  dataDir: string;
  staging: Staging;
  catalogue: Catalogue;
  audit: AuditLog;
  actor: string;
  now: () => Date;
  log?: Log;
  /** Test hook: called as each durable step completes, to crash the process exactly there. */
  step?: (name: PlaceStep) => void;
}

export type PlaceStep =
  'placing-recorded' | 'linked' | 'sidecar-written' | 'catalogued' | 'cleaned';

export type Placement =
  | { kind: 'archived'; clip: ClipRecord; renamed: boolean }
  | { kind: 'sighted'; clip: ClipRecord; sighting: SightingRecord | null }
  /** Found already catalogued (a restart after the catalogue commit): only staging was cleaned. */
  | { kind: 'already'; clip: ClipRecord };

/** Thrown when a manifest cannot be completed: the clip is not counted and will be copied again. */
export class PlacementError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PlacementError';
  }
}

/**
 * Takes a proven staging copy the rest of the way. Each step is durable before the next starts
 * and each can be repeated after a crash without doing anything twice:
 *
 *   manifest `placing` + archive path → link into the archive (never overwriting), read-only →
 *   sidecar → catalogue row + audit entry in one transaction → staging removed.
 *
 * Identical bytes already catalogued become a sighting instead, never a second copy.
 * Callers run one placement at a time (the duplicate check and the insert must not interleave).
 */
export async function placeVerified(ctx: PlaceContext, input: StagingManifest): Promise<Placement> {
  const manifest = { ...input };
  const { proof, clip: prepared } = manifest;
  if (!proof || !prepared || manifest.state === 'copying') {
    throw new PlacementError('the staging copy was never proven');
  }
  const serial = manifest.recorderSerial;
  const partial = ctx.staging.partial(serial, manifest.key);

  const holder = ctx.catalogue.clips.findBySha256(proof.sha256);
  if (holder && manifest.archivePath !== undefined && holder.archivePath === manifest.archivePath) {
    await ctx.staging.discard(serial, manifest.key);
    return { kind: 'already', clip: holder };
  }
  if (holder) {
    if (manifest.state === 'placing' && manifest.archivePath !== undefined) {
      await unlinkOwnArchiveName(ctx.dataDir, partial, manifest.archivePath);
    }
    return recordSighting(ctx, manifest, holder);
  }

  if (manifest.state === 'verified') {
    const recordedAt = new Date(
      prepared.recordedStart ?? prepared.recordedEnd ?? manifest.originalMtime,
    );
    const folder = archiveFolderFor(recordedAt, serial);
    manifest.archivePath = await freeArchivePath(ctx.dataDir, folder, manifest.originalName);
    manifest.state = 'placing';
    await ctx.staging.write(manifest);
    ctx.step?.('placing-recorded');
  }
  const archivePath = manifest.archivePath!;

  if (!(await present(partial))) {
    // Only a hand can remove a partial while its manifest says placing: prove what is left.
    await provenArchiveCopy(ctx.dataDir, archivePath, proof.sha256);
  } else {
    await linkIntoArchive(ctx.dataDir, partial, archivePath);
  }
  ctx.step?.('linked');

  const archivedAt = ctx.now().toISOString();
  const clip = { ...prepared, archivePath };
  const custody: CustodyEvent[] = [
    {
      event: 'copied',
      at: proof.copiedAt,
      by: ctx.actor,
      details: {
        recorderSerial: serial,
        dockingId: manifest.dockingId,
        originalPath: manifest.originalPath,
        resumedFrom: proof.resumedFrom,
      },
    },
    {
      event: 'verified',
      at: proof.verifiedAt,
      by: ctx.actor,
      details: { sha256: proof.sha256, sm3: proof.sm3, readBack: proof.readBack },
    },
    { event: 'archived', at: archivedAt, by: ctx.actor, details: { archivePath } },
  ];
  await writeSidecar(ctx.dataDir, ctx.staging.scratch, {
    format: 'evidock-sidecar/1',
    clip: { ...clip, originalName: manifest.originalName },
    readBack: proof.readBack,
    custody,
  });
  ctx.step?.('sidecar-written');

  const record = ctx.catalogue.write((tx) => {
    const inserted = tx.clips.insertVerified(clip);
    ctx.audit.append(tx, {
      actor: ctx.actor,
      action: 'clip.archived',
      subject: `clip:${inserted.id}`,
      details: {
        recorderSerial: serial,
        dockingId: manifest.dockingId,
        originalPath: manifest.originalPath,
        size: manifest.originalSize,
        sha256: proof.sha256,
        sm3: proof.sm3,
        archivePath,
        readBack: proof.readBack.method,
        // What the integrity sweep holds the row's times, lateness (D-24H) and officer
        // (D-WHO-RECORDS) to; the officer as the catalogue spells it.
        custodyAt: inserted.custodyAt,
        recordedStart: inserted.recordedStart,
        recordedEnd: inserted.recordedEnd,
        clockOffsetMs: inserted.clockOffsetMs,
        clockOffsetSource: inserted.clockOffsetSource,
        officerBadge: inserted.officerBadge,
      },
    });
    return inserted;
  });
  ctx.step?.('catalogued');

  await ctx.staging.discard(serial, manifest.key);
  ctx.step?.('cleaned');
  return {
    kind: 'archived',
    clip: record,
    renamed: !archivePath.endsWith(`/${manifest.originalName}`),
  };
}

/**
 * Takes back a placement the archive disk had no room to finish, so that nothing is left behind
 * on the full disk: the archive name this placement linked (never another's), the sidecar it
 * wrote, and the staging copy. The clip was never counted; the next docking copies it again. A
 * placement whose catalogue row was committed is finished, and only its staging goes.
 */
export async function abandonPlacement(
  ctx: Pick<PlaceContext, 'dataDir' | 'staging' | 'catalogue'>,
  serial: string,
  key: string,
): Promise<void> {
  const manifest = await ctx.staging.read(serial, key);
  const archivePath = manifest?.archivePath;
  if (manifest?.state === 'placing' && archivePath !== undefined) {
    if (!ctx.catalogue.clips.findByArchivePath(archivePath)) {
      await unlinkOwnArchiveName(ctx.dataDir, ctx.staging.partial(serial, key), archivePath);
      await rm(resolveInside(ctx.dataDir, `${archivePath}${SIDECAR_SUFFIX}`), { force: true });
    }
  }
  await ctx.staging.discard(serial, key);
}

async function recordSighting(
  ctx: PlaceContext,
  manifest: StagingManifest,
  holder: ClipRecord,
): Promise<Placement> {
  const key = {
    originalPath: manifest.originalPath,
    originalSize: manifest.originalSize,
    originalMtime: manifest.originalMtime,
  };
  // A restart after the sighting's commit must not record it twice.
  const earlier = ctx.catalogue.clips
    .sightingsByDocking(manifest.dockingId)
    .find((s) => s.clipId === holder.id && s.originalPath === key.originalPath);
  let sighting: SightingRecord | null = null;
  if (!earlier) {
    sighting = ctx.catalogue.write((tx) => {
      const added = tx.clips.addSighting(
        { clipId: holder.id, dockingId: manifest.dockingId, ...key },
        ctx.now().toISOString(),
      );
      ctx.audit.append(tx, {
        actor: ctx.actor,
        action: 'clip.sighted',
        subject: `clip:${holder.id}`,
        details: {
          recorderSerial: manifest.recorderSerial,
          dockingId: manifest.dockingId,
          originalPath: key.originalPath,
          size: key.originalSize,
          sha256: holder.sha256,
          archivePath: holder.archivePath,
        },
      });
      return added;
    });
  }
  ctx.step?.('catalogued');
  await ctx.staging.discard(manifest.recorderSerial, manifest.key);
  return { kind: 'sighted', clip: holder, sighting: sighting ?? earlier ?? null };
}

/** The archive copy left by an interrupted placement counts only if it still hashes right. */
async function provenArchiveCopy(
  dataDir: string,
  archivePath: string,
  sha256: string,
): Promise<void> {
  const file = resolveInside(dataDir, archivePath);
  if (!(await present(file))) {
    throw new PlacementError(`neither the staging copy nor ${archivePath} exists`);
  }
  const digest = await hashFromDisk(file, ['sha256']);
  if (digest.sha256 !== sha256) {
    throw new PlacementError(`${archivePath} does not hash to the proven copy`);
  }
}
