// Forwarding to a real S3 (Ceph RGW on this machine) as a custodian runs it: the built CLI in
// its own process, a real data dir with ingested clips, objects checked with the SDK directly.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  AbortMultipartUploadCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  PutObjectCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
  type S3Client,
} from '@aws-sdk/client-s3';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCephRgw, type CephRgw } from '../support/ceph-rgw';
import {
  addS3Target,
  CUSTODIAN_PW,
  forwardStation,
  OFFICER_PW,
  type ForwardStation,
} from '../support/forward-station';

const MiB = 1024 * 1024;

interface Queue {
  target: string;
  queued: { clips: number };
  uploading: { clips: number };
  verified: { clips: number; bytes: number };
  failed: { clips: number };
  stopped: { code: string; reason: string } | null;
}

async function allKeys(client: S3Client, bucket: string): Promise<string[]> {
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const page = await client.send(
      new ListObjectsV2Command({ Bucket: bucket, ContinuationToken: token }),
    );
    keys.push(...(page.Contents ?? []).map((o) => o.Key!));
    token = page.NextContinuationToken;
  } while (token);
  return keys.sort();
}

async function openUploads(client: S3Client, bucket: string): Promise<number> {
  const out = await client.send(new ListMultipartUploadsCommand({ Bucket: bucket }));
  return (out.Uploads ?? []).length;
}

async function bodyOf(client: S3Client, bucket: string, key: string): Promise<Buffer> {
  const out = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return Buffer.from(await out.Body!.transformToByteArray());
}

const md5 = (b: Buffer) => createHash('md5').update(b).digest();

describe('forwarding to S3 (Ceph RGW)', () => {
  let rgw: CephRgw;
  let client: S3Client;

  beforeAll(async () => {
    rgw = await startCephRgw();
    client = rgw.client();
  }, 120_000);
  afterAll(async () => {
    client?.destroy();
    await rgw?.stop();
  });

  describe('a station with clips of several sizes', () => {
    let station: ForwardStation;
    const bucket = 'evidence-a';

    beforeAll(async () => {
      await rgw.createBucket(bucket);
      // One clip of three 5 MiB parts and a bit; two that go up in one PUT each.
      station = await forwardStation([15 * MiB + 12_345, 700_000, 3000]);
    }, 120_000);
    afterAll(() => station?.remove());

    it('keeps the keys write-only: sealed in the catalogue, never listed, logged or audited', async () => {
      const added = await addS3Target(
        station,
        {
          name: 'central',
          endpoint: rgw.endpoint,
          bucket,
          accessKeyId: rgw.accessKeyId,
          secretAccessKey: rgw.secretAccessKey,
        },
        ['--part-size', '5', '--prefix', 'unit-7/station-1'],
      );
      expect(added.code, added.stdout + added.stderr).toBe(0);
      const listed = await station.cli(['forward', 'targets', 'list']);
      expect(listed.stdout).not.toContain(rgw.secretAccessKey);
      expect(listed.stdout).not.toContain(rgw.accessKeyId);
      expect(listed.json()).toMatchObject({
        targets: [
          { name: 'central', kind: 's3', bucket, prefix: 'unit-7/station-1/', hasSecret: true },
        ],
      });
      const catalogue = readFileSync(join(station.dataDir, 'catalogue.sqlite'));
      expect(catalogue.includes(Buffer.from(rgw.secretAccessKey))).toBe(false);
      const audit = await station.cli(['audit', 'list', '--limit', '1000']);
      expect(audit.stdout).not.toContain(rgw.secretAccessKey);
      expect(audit.stdout).toContain('forward.target.added');
      const tested = await station.cli(
        ['forward', 'targets', 'test', '--name', 'central', '--user', 'C001'],
        `${CUSTODIAN_PW}\n`,
      );
      expect(tested.code, tested.stdout).toBe(0);
      expect((tested.json() as { steps: { step: string; ok: boolean }[] }).steps).toEqual([
        expect.objectContaining({ step: 'connect', ok: true }),
        expect.objectContaining({ step: 'bucket', ok: true }),
        expect.objectContaining({ step: 'write', ok: true }),
        expect.objectContaining({ step: 'read', ok: true }),
        expect.objectContaining({ step: 'delete', ok: true }),
      ]);
    });

    it('forwards every clip with its sidecar and label document, and proves each there', async () => {
      const run = await station.cli(
        ['forward', 'run', '--until-idle', '--user', 'C001'],
        `${CUSTODIAN_PW}\n`,
      );
      expect(run.code, run.stdout + run.stderr).toBe(0);
      const status = (await station.cli(['forward', 'status'])).json() as { targets: Queue[] };
      expect(status.targets[0]).toMatchObject({
        target: 'central',
        queued: { clips: 0 },
        failed: { clips: 0 },
        verified: { clips: 3 },
        stopped: null,
      });
      for (const clip of station.clips) {
        const key = `unit-7/station-1/${clip.archivePath}`;
        const head = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
        expect(head.ContentLength).toBe(clip.size);
        expect(head.Metadata?.sha256).toBe(clip.sha256);
        const original = readFileSync(join(station.dataDir, ...clip.archivePath.split('/')));
        if (clip.size > 5 * MiB) {
          // The multipart ETag, recomputed from the original's 5 MiB parts.
          const parts = [0, 1, 2, 3].map((i) =>
            md5(original.subarray(i * 5 * MiB, (i + 1) * 5 * MiB)),
          );
          expect(head.ETag).toBe(`"${md5(Buffer.concat(parts)).toString('hex')}-4"`);
        } else {
          expect(head.ETag).toBe(`"${md5(original).toString('hex')}"`);
        }
        const sidecar = await bodyOf(client, bucket, `${key}.evidock.json`);
        expect(JSON.parse(sidecar.toString())).toMatchObject({
          clip: expect.objectContaining({ sha256: clip.sha256 }),
        });
      }
      const keys = await allKeys(client, bucket);
      expect(keys.filter((k) => /\.labels-\d+\.json$/.test(k))).toHaveLength(3);
      expect(keys.some((k) => /^unit-7\/station-1\/audit\/segment-\d+-\d+\.jsonl$/.test(k))).toBe(
        true,
      );
      expect(await openUploads(client, bucket)).toBe(0);
      // Each clip proven once, under the custodian who ran it (D-NO-TAMPER).
      const db = new Database(join(station.dataDir, 'catalogue.sqlite'), { readonly: true });
      try {
        const forwarded = db
          .prepare("SELECT subject, actor FROM audit_log WHERE action = 'clip.forwarded'")
          .all() as { subject: string; actor: string }[];
        expect(forwarded.map((f) => f.subject).sort()).toEqual(
          station.clips.map((c) => `clip:${c.id}`).sort(),
        );
        expect(new Set(forwarded.map((f) => f.actor))).toEqual(new Set(['C001']));
      } finally {
        db.close();
      }
      // Again: nothing is sent twice; only the audit log's newest segment (that run's entries).
      const again = await station.cli(
        ['forward', 'run', '--until-idle', '--user', 'C001'],
        `${CUSTODIAN_PW}\n`,
      );
      expect(again.code).toBe(0);
      const footage = (list: string[]) => list.filter((k) => !k.includes('/audit/'));
      expect(footage(await allKeys(client, bucket))).toEqual(footage(keys));
    });
  });

  describe('after the first forwarding', () => {
    let station: ForwardStation;
    const bucket = 'evidence-b';
    const prefix = 'st-b/';
    const run = () =>
      station.cli(['forward', 'run', '--until-idle', '--user', 'C001'], `${CUSTODIAN_PW}\n`);
    // 0: the clip of 11 MiB (three parts), 1: the small one.
    const clipOf = (i: number) =>
      station.clips.filter((c) => c.size === (i === 0 ? 11 * MiB : 40_000))[0]!;
    const keyOf = (i: number) => `${prefix}${clipOf(i).archivePath}`;

    beforeAll(async () => {
      await rgw.createBucket(bucket);
      station = await forwardStation([11 * MiB, 40_000]);
      const added = await addS3Target(
        station,
        {
          name: 'central',
          endpoint: rgw.endpoint,
          bucket,
          accessKeyId: rgw.accessKeyId,
          secretAccessKey: rgw.secretAccessKey,
        },
        ['--part-size', '5', '--prefix', prefix],
      );
      expect(added.code, added.stdout + added.stderr).toBe(0);
      expect((await run()).code).toBe(0);
    }, 120_000);
    afterAll(() => station?.remove());

    it('sends a new label document when an officer relabels a clip, keeping the old one', async () => {
      const labelled = await station.cli(
        [
          'clips',
          'label',
          String(clipOf(1).id),
          '--no-case',
          '--matter',
          '日常巡查',
          '--place',
          '中山路',
          '--user',
          'P100',
        ],
        `${OFFICER_PW}\n`,
      );
      expect(labelled.code, labelled.stdout + labelled.stderr).toBe(0);
      const before = (await allKeys(client, bucket)).filter((k) =>
        k.startsWith(`${keyOf(1)}.labels-`),
      );
      expect(before).toHaveLength(1);
      expect((await run()).code).toBe(0);
      const after = (await allKeys(client, bucket)).filter((k) =>
        k.startsWith(`${keyOf(1)}.labels-`),
      );
      expect(after).toHaveLength(2);
      const newest = JSON.parse((await bodyOf(client, bucket, after.at(-1)!)).toString()) as {
        labels: { matter: string; place: string };
        clip: { sha256: string };
      };
      expect(newest.labels).toMatchObject({ matter: '日常巡查', place: '中山路' });
      expect(newest.clip.sha256).toBe(clipOf(1).sha256);
    });

    it('names a copy deleted or replaced on the target when proving again, and sends it again', async () => {
      await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: keyOf(1) }));
      // Another object of the same size under the big clip's key: only its ETag and hash differ.
      const impostor = Buffer.alloc(11 * MiB, 7);
      await client.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: keyOf(0),
          Body: impostor,
          Metadata: { sha256: clipOf(0).sha256 },
        }),
      );
      const check = await station.cli(
        ['forward', 'verify', '--sample', '0', '--user', 'C001'],
        `${CUSTODIAN_PW}\n`,
      );
      expect(check.code).not.toBe(0);
      expect(check.json()).toMatchObject({ error: { code: 'REMOTE_MISMATCH' } });
      expect(check.stdout).toContain(`${keyOf(1)}: missing`);
      expect(check.stdout).toContain(`${keyOf(0)}: etag`);
      expect((await run()).code).toBe(0);
      for (const i of [0, 1]) {
        const head = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: keyOf(i) }));
        expect(head.ContentLength).toBe(clipOf(i).size);
      }
      const all = await station.cli(
        ['forward', 'verify', '--all', '--user', 'C001'],
        `${CUSTODIAN_PW}\n`,
      );
      expect(all.code, all.stdout).toBe(0);
      expect(all.json()).toMatchObject({ report: { checked: 2, readBack: 2, problems: [] } });
    });

    it('aborts multipart uploads of its own clips that nothing will finish, and leaves others alone', async () => {
      // Begun for one of its clips by a station killed before it recorded the upload's id.
      const stray = await client.send(
        new CreateMultipartUploadCommand({ Bucket: bucket, Key: keyOf(1) }),
      );
      // Under its prefix, but no clip of its own: another station sharing the prefix.
      const sharing = await client.send(
        new CreateMultipartUploadCommand({ Bucket: bucket, Key: `${prefix}archive/CAM9/A.MP4` }),
      );
      const foreign = await client.send(
        new CreateMultipartUploadCommand({ Bucket: bucket, Key: 'another-station/clip.MP4' }),
      );
      await new Promise((r) => setTimeout(r, 1100));
      expect((await run()).code).toBe(0);
      const open = await client.send(new ListMultipartUploadsCommand({ Bucket: bucket }));
      expect((open.Uploads ?? []).map((u) => u.UploadId).sort()).toEqual(
        [foreign.UploadId, sharing.UploadId].sort(),
      );
      expect(stray.UploadId).toBeDefined();
      await client.send(
        new AbortMultipartUploadCommand({
          Bucket: bucket,
          Key: `${prefix}archive/CAM9/A.MP4`,
          UploadId: sharing.UploadId,
        }),
      );
      await client.send(
        new AbortMultipartUploadCommand({
          Bucket: bucket,
          Key: 'another-station/clip.MP4',
          UploadId: foreign.UploadId,
        }),
      );
    });

    it('starts an upload again when the one it was resuming was aborted on the server', async () => {
      const [clip] = await station.ingest([12 * MiB]);
      const db = new Database(join(station.dataDir, 'catalogue.sqlite'));
      // As a station killed after its first part would have left it: an upload under way.
      const created = await client.send(
        new CreateMultipartUploadCommand({ Bucket: bucket, Key: `${prefix}${clip!.archivePath}` }),
      );
      await client.send(
        new AbortMultipartUploadCommand({
          Bucket: bucket,
          Key: `${prefix}${clip!.archivePath}`,
          UploadId: created.UploadId,
        }),
      );
      db.prepare(
        `INSERT INTO forward_outbox (target_id, clip_id, custody_at, size, state, object_key,
           upload_id, part_size, queued_at)
         SELECT id, ?, '2026-12-07T00:00:00.000Z', ?, 'uploading', ?, ?, ?,
           '2026-12-07T00:00:00.000Z' FROM forward_targets`,
      ).run(clip!.id, clip!.size, `${prefix}${clip!.archivePath}`, created.UploadId, 5 * MiB);
      db.close();
      const finished = await run();
      expect(finished.code, finished.stdout + finished.stderr).toBe(0);
      const head = await client.send(
        new HeadObjectCommand({ Bucket: bucket, Key: `${prefix}${clip!.archivePath}` }),
      );
      expect(head.Metadata?.sha256).toBe(clip!.sha256);
    });
  });
});
