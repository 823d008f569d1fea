// What goes wrong between a station and its central storage, done for real: a station killed
// mid-part, a byte flipped on the wire, connections cut, a slow uplink and a hung server, wrong
// keys, a missing bucket, the storage going away and coming back, and archived bytes that are no
// longer the ones proven.
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, openSync, readSync, writeSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import {
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
  type S3Client,
} from '@aws-sdk/client-s3';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCephRgw, type CephRgw } from '../support/ceph-rgw';
import { CLI } from '../support/cli';
import { S3Store } from '../../src-main/forward/s3-store';
import { startFaultProxy, type FaultProxy } from '../support/fault-proxy';
import {
  addS3Target,
  CUSTODIAN_PW,
  forwardStation,
  type ForwardStation,
} from '../support/forward-station';
import { startStationProcess } from '../support/station-process';

const MiB = 1024 * 1024;

interface Queue {
  target: string;
  queued: { clips: number };
  verified: { clips: number };
  failed: { clips: number };
  stopped: { code: string; reason: string } | null;
}

async function keysIn(client: S3Client, bucket: string): Promise<string[]> {
  const out = await client.send(new ListObjectsV2Command({ Bucket: bucket }));
  return (out.Contents ?? []).map((o) => o.Key!).sort();
}

async function openUploads(client: S3Client, bucket: string): Promise<number> {
  const out = await client.send(new ListMultipartUploadsCommand({ Bucket: bucket }));
  return (out.Uploads ?? []).length;
}

function forwardedEntries(station: ForwardStation): { subject: string; details: string }[] {
  const db = new Database(join(station.dataDir, 'catalogue.sqlite'), { readonly: true });
  try {
    return db
      .prepare("SELECT subject, details FROM audit_log WHERE action = 'clip.forwarded'")
      .all() as { subject: string; details: string }[];
  } finally {
    db.close();
  }
}

function partsRecorded(station: ForwardStation): number {
  const db = new Database(join(station.dataDir, 'catalogue.sqlite'), { readonly: true });
  try {
    return (db.prepare('SELECT count(*) AS n FROM forward_parts').get() as { n: number }).n;
  } finally {
    db.close();
  }
}

const runUntilIdle = (station: ForwardStation) =>
  station.cli(['forward', 'run', '--until-idle', '--user', 'C001'], `${CUSTODIAN_PW}\n`);

async function status(station: ForwardStation): Promise<Queue> {
  return ((await station.cli(['forward', 'status'])).json() as { targets: Queue[] }).targets[0]!;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('forwarding faults (Ceph RGW)', () => {
  let rgw: CephRgw;
  let client: S3Client;
  let proxy: FaultProxy;
  let buckets = 0;

  beforeAll(async () => {
    rgw = await startCephRgw();
    client = rgw.client();
    proxy = await startFaultProxy({ port: rgw.port });
  }, 120_000);
  afterAll(async () => {
    await proxy?.close();
    client?.destroy();
    await rgw?.stop();
  });

  /** A fresh bucket and a station with clips, its target reached through the proxy. */
  async function stationWith(sizes: number[], extra: string[] = []) {
    const bucket = `faults-${++buckets}`;
    await rgw.createBucket(bucket);
    const station = await forwardStation(sizes);
    const added = await addS3Target(
      station,
      {
        name: 'central',
        endpoint: proxy.endpoint,
        bucket,
        accessKeyId: rgw.accessKeyId,
        secretAccessKey: rgw.secretAccessKey,
      },
      ['--part-size', '5', '--prefix', 'st', ...extra],
    );
    expect(added.code, added.stdout + added.stderr).toBe(0);
    return { bucket, station };
  }

  it('resumes a multipart upload killed mid-part five times, at the next missing part', async () => {
    const size = 36 * MiB + 777;
    const { bucket, station } = await stationWith([size], ['--otherwise', '12MB/s']);
    try {
      const upBefore = proxy.stats.bytesUp;
      for (let kill = 0; kill < 5; kill++) {
        const before = partsRecorded(station);
        const child = spawn(
          process.execPath,
          [CLI, 'forward', 'run', '--until-idle', '--user', 'C001', '--data-dir', station.dataDir],
          { stdio: ['pipe', 'ignore', 'ignore'] },
        );
        child.stdin.end(`${CUSTODIAN_PW}\n`);
        const exited = new Promise((done) => child.once('exit', done));
        // Killed once it has got at least one part further, in the middle of the next.
        const deadline = Date.now() + 30_000;
        while (partsRecorded(station) <= before && Date.now() < deadline) await sleep(50);
        await sleep(150);
        child.kill('SIGKILL');
        await exited;
      }
      expect(await openUploads(client, bucket)).toBe(1);
      const finish = await runUntilIdle(station);
      expect(finish.code, finish.stdout + finish.stderr).toBe(0);
      expect(forwardedEntries(station)).toHaveLength(1);
      expect(await keysIn(client, bucket)).toEqual(
        expect.arrayContaining([`st/${station.clips[0]!.archivePath}`]),
      );
      expect((await keysIn(client, bucket)).filter((k) => k.endsWith('.MP4'))).toHaveLength(1);
      expect(await openUploads(client, bucket)).toBe(0);
      // Resumed, not restarted: at most the parts each kill cut short were sent twice.
      const sent = proxy.stats.bytesUp - upBefore;
      expect(sent).toBeLessThan(size + 5 * 5 * MiB + 2 * MiB);
      const head = await client.send(
        new HeadObjectCommand({ Bucket: bucket, Key: `st/${station.clips[0]!.archivePath}` }),
      );
      expect(head.ContentLength).toBe(size);
      expect(head.Metadata?.sha256).toBe(station.clips[0]!.sha256);
    } finally {
      station.remove();
    }
  }, 180_000);

  it('has a part with a flipped byte refused by the server (BadDigest), sends it again, and proves the clip', async () => {
    const { bucket, station } = await stationWith([12 * MiB]);
    try {
      const flipsBefore = proxy.stats.flips.length;
      proxy.setMode({ kind: 'flipOneByte', match: (line) => /^PUT .*partNumber=2/.test(line) });
      const run = await runUntilIdle(station);
      expect(run.code, run.stdout + run.stderr).toBe(0);
      expect(proxy.stats.flips.length).toBe(flipsBefore + 1);
      expect(forwardedEntries(station)).toHaveLength(1);
      expect(await openUploads(client, bucket)).toBe(0);
      const db = new Database(join(station.dataDir, 'catalogue.sqlite'), { readonly: true });
      const row = db.prepare('SELECT attempts FROM forward_outbox').get() as { attempts: number };
      db.close();
      expect(row.attempts).toBe(1);
    } finally {
      proxy.setMode({ kind: 'pass' });
      station.remove();
    }
  }, 120_000);

  it('gets every clip through connections cut at random', async () => {
    const { station } = await stationWith([11 * MiB, 2 * MiB, 40_000]);
    try {
      const cutsBefore = proxy.stats.cuts;
      proxy.setMode({ kind: 'cutAtRandom', minBytes: 20_000, maxBytes: 3 * MiB, cuts: 3 });
      const run = await runUntilIdle(station);
      expect(run.code, run.stdout + run.stderr).toBe(0);
      expect(proxy.stats.cuts - cutsBefore).toBe(3);
      expect((await status(station)).verified.clips).toBe(3);
      expect(forwardedEntries(station)).toHaveLength(3);
    } finally {
      proxy.setMode({ kind: 'pass' });
      station.remove();
    }
  }, 120_000);

  it('lets a slow upload take as long as it keeps moving, and gives up on a server that hangs', async () => {
    const bucket = `faults-${++buckets}`;
    await rgw.createBucket(bucket);
    // The idle limit shortened from two minutes to two seconds, so that a test can wait it out.
    const store = await S3Store.open(
      { endpoint: proxy.endpoint, bucket, region: null, pathStyle: true },
      { accessKeyId: rgw.accessKeyId, secretAccessKey: rgw.secretAccessKey },
      { idleTimeoutMs: 2_000 },
    );
    try {
      // 24 MiB at 8 MiB/s: three seconds in all, longer than the idle limit, with writes
      // completing all along (the kernel's buffers on loopback hold well under two seconds of it).
      const body = randomBytes(24 * MiB);
      const md5 = createHash('md5').update(body).digest();
      const sha256 = createHash('sha256').update(body).digest();
      proxy.setMode({ kind: 'slow', bytesPerSecond: 8 * MiB });
      const started = Date.now();
      const etag = await store.put('slow-uplink', body, { md5, sha256 }, {}, undefined);
      expect(Date.now() - started).toBeGreaterThan(2_500);
      expect(etag).toBe(md5.toString('hex'));

      proxy.setMode({ kind: 'stall' });
      const asked = Date.now();
      await expect(store.head('slow-uplink')).rejects.toMatchObject({ name: 'TimeoutError' });
      expect(Date.now() - asked).toBeLessThan(10_000);
      proxy.setMode({ kind: 'pass' });
      expect((await store.head('slow-uplink'))?.size).toBe(body.length);
    } finally {
      proxy.setMode({ kind: 'pass' });
      store.close();
    }
  }, 60_000);

  it('stops a target with a wrong secret at once, with the server’s reason, instead of retrying', async () => {
    const bucket = `faults-${++buckets}`;
    await rgw.createBucket(bucket);
    const station = await forwardStation([50_000]);
    try {
      await addS3Target(station, {
        name: 'central',
        endpoint: proxy.endpoint,
        bucket,
        accessKeyId: rgw.accessKeyId,
        secretAccessKey: `${rgw.secretAccessKey}x`,
      });
      const requestsBefore = proxy.stats.requests;
      const run = await runUntilIdle(station);
      expect(run.code).not.toBe(0);
      expect(run.json()).toMatchObject({ error: { code: 'FORWARD_INCOMPLETE' } });
      const queue = await status(station);
      expect(queue.stopped?.code).toMatch(/SignatureDoesNotMatch|Forbidden/);
      expect(queue.queued.clips).toBe(1);
      expect(proxy.stats.requests - requestsBefore).toBeLessThan(5);
      // Stopped stays stopped: another run asks nothing of the server.
      const requestsAfter = proxy.stats.requests;
      await runUntilIdle(station);
      expect(proxy.stats.requests).toBe(requestsAfter);
    } finally {
      station.remove();
    }
  }, 120_000);

  it('stops a target whose bucket does not exist (NoSuchBucket)', async () => {
    const station = await forwardStation([50_000]);
    try {
      await addS3Target(station, {
        name: 'central',
        endpoint: rgw.endpoint,
        bucket: 'no-such-bucket',
        accessKeyId: rgw.accessKeyId,
        secretAccessKey: rgw.secretAccessKey,
      });
      const run = await runUntilIdle(station);
      expect(run.code).not.toBe(0);
      expect((await status(station)).stopped?.code).toBe('NoSuchBucket');
    } finally {
      station.remove();
    }
  }, 120_000);

  it('never forwards a clip whose archived bytes no longer match their hash (D-NO-TAMPER)', async () => {
    const { bucket, station } = await stationWith([9 * MiB, 30_000]);
    try {
      const altered = station.clips.find((c) => c.size === 9 * MiB)!;
      const path = join(station.dataDir, ...altered.archivePath.split('/'));
      chmodSync(path, 0o644);
      const fd = openSync(path, 'r+');
      const byte = Buffer.alloc(1);
      readSync(fd, byte, 0, 1, 7 * MiB);
      byte[0] = byte[0]! ^ 0xff;
      writeSync(fd, byte, 0, 1, 7 * MiB);
      closeSync(fd);
      const run = await runUntilIdle(station);
      expect(run.code).not.toBe(0);
      expect(run.stdout).toContain('ARCHIVE_MISMATCH');
      const keys = await keysIn(client, bucket);
      expect(keys.some((k) => k.endsWith(altered.archivePath))).toBe(false);
      expect(
        keys.some((k) => k.endsWith(station.clips.find((c) => c !== altered)!.archivePath)),
      ).toBe(true);
      expect(await openUploads(client, bucket)).toBe(0);
      const db = new Database(join(station.dataDir, 'catalogue.sqlite'), { readonly: true });
      const held = db
        .prepare("SELECT subject, details FROM audit_log WHERE action = 'clip.forward.failed'")
        .all() as { subject: string; details: string }[];
      db.close();
      expect(held).toEqual([
        { subject: `clip:${altered.id}`, details: expect.stringContaining('ARCHIVE_MISMATCH') },
      ]);
    } finally {
      station.remove();
    }
  }, 120_000);

  it('has the running station pick the queue up again by itself after the storage went away', async () => {
    const { station } = await stationWith([20 * MiB + 5], ['--otherwise', '10MB/s']);
    const running = await startStationProcess(station.dataDir);
    try {
      // While the station forwards, a command-line run is refused.
      const busy = await runUntilIdle(station);
      expect(busy.json()).toMatchObject({ error: { code: 'FORWARD_BUSY' } });
      const deadline = Date.now() + 30_000;
      while (partsRecorded(station) < 1 && Date.now() < deadline) await sleep(50);
      await rgw.stopGateway();
      await sleep(3000);
      await rgw.startGateway();
      const until = Date.now() + 90_000;
      let queue = await status(station);
      while (queue.verified.clips < 1 && Date.now() < until) {
        await sleep(500);
        queue = await status(station);
      }
      expect(queue).toMatchObject({ verified: { clips: 1 }, stopped: null });
    } finally {
      await running.stop();
      station.remove();
    }
  }, 180_000);
});
