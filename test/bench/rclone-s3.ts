// bench:forward's peer and its housekeeping on the Ceph RGW: `rclone copy` of the station's
// archive folder into a bucket, the check of what it left there, and emptying a bucket between
// runs so the memstore OSD (it holds every object in memory) never fills up.
import { execFile } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { promisify } from 'node:util';
import {
  AbortMultipartUploadCommand,
  DeleteBucketCommand,
  DeleteObjectCommand,
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
  type S3Client,
} from '@aws-sdk/client-s3';
import type { CephRgw } from '../support/ceph-rgw';
import { timedProcess, type TimedRun } from './timed-process';

const run = promisify(execFile);

export interface RcloneSettings {
  /** Files sent at once (evidock's --concurrency). */
  transfers: number;
  /** evidock's --part-size, in MiB. */
  partSizeMiB: number;
}

/**
 * The arguments of the peer. Everything not named here is rclone's default (its listing of the
 * destination, its checkers, its MD5 of each file stored in metadata, its own retries).
 * - `--transfers`: as many files at once as evidock sends clips at once.
 * - `--s3-chunk-size` and `--s3-upload-cutoff` at evidock's part size: the same files go up in
 *   parts, in parts of the same size (rclone's default cutoff, 200 MiB, would send most of the set
 *   in one PUT each).
 * - `--s3-upload-concurrency 1`: evidock sends one part at a time per clip; rclone's default of 4
 *   parts of one file at once would be another way of working, not the same job.
 * - `--config /dev/null`: the remote comes from the environment; no config file, no notice.
 */
export function rcloneArgs(source: string, dest: string, settings: RcloneSettings): string[] {
  return [
    'copy',
    source,
    dest,
    ...['--transfers', String(settings.transfers)],
    ...['--s3-chunk-size', `${settings.partSizeMiB}Mi`],
    ...['--s3-upload-cutoff', `${settings.partSizeMiB}Mi`],
    ...['--s3-upload-concurrency', '1'],
    ...['--config', '/dev/null'],
  ];
}

/** The remote `rgw:` in environment variables (TESTING.md, "rclone against a local S3 here"). */
export function rcloneEnv(rgw: CephRgw): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    RCLONE_CONFIG_RGW_TYPE: 's3',
    RCLONE_CONFIG_RGW_PROVIDER: 'Ceph',
    RCLONE_CONFIG_RGW_ENDPOINT: rgw.endpoint,
    RCLONE_CONFIG_RGW_ACCESS_KEY_ID: rgw.accessKeyId,
    RCLONE_CONFIG_RGW_SECRET_ACCESS_KEY: rgw.secretAccessKey,
  };
  // Debian's rclone cannot build its S3 client when this is set.
  delete env['AWS_CA_BUNDLE'];
  return env;
}

/** `rclone copy <source> rgw:<bucket>/<prefix>`, timed as a whole process. */
export function rcloneCopy(
  rgw: CephRgw,
  source: string,
  bucket: string,
  prefix: string,
  settings: RcloneSettings,
): Promise<TimedRun> {
  return timedProcess('rclone', rcloneArgs(source, `rgw:${bucket}/${prefix}`, settings), {
    env: rcloneEnv(rgw),
  });
}

/** Every file under `dir`: its path relative to it (`/`-separated) → its size. */
export function filesUnder(dir: string): Map<string, number> {
  const files = new Map<string, number>();
  const walk = (at: string) => {
    for (const entry of readdirSync(at, { withFileTypes: true })) {
      const path = join(at, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile())
        files.set(relative(dir, path).split(sep).join('/'), statSync(path).size);
    }
  };
  walk(dir);
  return files;
}

/** Every object in a bucket: key → size. */
export async function objectsIn(client: S3Client, bucket: string): Promise<Map<string, number>> {
  const objects = new Map<string, number>();
  let token: string | undefined;
  do {
    const page = await client.send(
      new ListObjectsV2Command({ Bucket: bucket, ContinuationToken: token }),
    );
    for (const o of page.Contents ?? []) objects.set(o.Key!, o.Size ?? -1);
    token = page.NextContinuationToken;
  } while (token);
  return objects;
}

/** Throws unless the bucket holds every file of `files` under `prefix`, at its size. */
export async function requireCopied(
  client: S3Client,
  bucket: string,
  prefix: string,
  files: ReadonlyMap<string, number>,
): Promise<void> {
  const objects = await objectsIn(client, bucket);
  for (const [path, size] of files) {
    const there = objects.get(`${prefix}/${path}`);
    if (there !== size) {
      throw new Error(`rclone: ${bucket}/${prefix}/${path} is ${there ?? 'missing'}, not ${size}`);
    }
  }
}

/**
 * Deletes every object and open upload of a bucket, then the bucket, and has RGW's garbage
 * collector free the deleted parts at once (it would otherwise keep them for two hours).
 */
export async function dropBucket(rgw: CephRgw, bucket: string): Promise<void> {
  const client = rgw.client();
  try {
    const uploads = await client.send(new ListMultipartUploadsCommand({ Bucket: bucket }));
    for (const u of uploads.Uploads ?? []) {
      await client.send(
        new AbortMultipartUploadCommand({ Bucket: bucket, Key: u.Key!, UploadId: u.UploadId! }),
      );
    }
    for (const key of (await objectsIn(client, bucket)).keys()) {
      await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
    }
    await client.send(new DeleteBucketCommand({ Bucket: bucket }));
  } finally {
    client.destroy();
  }
  const env = { ...process.env };
  delete env['CEPH_ARGS'];
  delete env['CEPH_CONF'];
  await run('radosgw-admin', ['-c', join(rgw.dir, 'ceph.conf'), 'gc', 'process', '--include-all'], {
    env,
    timeout: 120_000,
  });
}
