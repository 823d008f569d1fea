// `evidock recorders`, `ingest`, `clips list` and `verify` as a custodian or a script runs them:
// the built program in its own process, a real data dir, a folder laid out like a recorder.
import { chmodSync, rmSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli';
import { testVolume, type TestVolume } from '../support/ingest-station';
import { startStationProcess } from '../support/station-process';
import { tempDir } from '../support/temp';

const ADMIN_PW = 'admin pass 1';
const CUSTODIAN_PW = 'custodian pass 1';
const OFFICER_PW = 'officer pass 1';
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

interface IngestDocument {
  docking: { id: number; phase: string; safeToUndock: boolean; officerBadge: string | null };
  recorder: { serial: string; profileId: string; officerBadge: string | null };
  counts: { archived: number; alreadyProven: number; failed: number };
  clips: {
    id: number;
    originalPath: string;
    size: number;
    sha256: string;
    status: string;
    archivePath: string;
    recordedStart: string | null;
    recordedEnd: string | null;
    custodyAt: string;
    outcome: string;
  }[];
  findings: { code: string; message: string; path: string | null }[];
}

describe('evidock ingest and friends', () => {
  let dir: ReturnType<typeof tempDir>;
  let volume: TestVolume;
  const at = (...args: string[]): string[] => [...args, '--data-dir', dir.path, '--json'];

  beforeEach(async () => {
    dir = tempDir();
    volume = testVolume();
    await runCli(
      at('users', 'add', '--badge', 'A001', '--name', '管理', '--role', 'admin'),
      `${ADMIN_PW}\n`,
    );
    for (const [badge, role, pw] of [
      ['C001', 'custodian', CUSTODIAN_PW],
      ['P100', 'officer', OFFICER_PW],
    ] as const) {
      const added = await runCli(
        at('users', 'add', '--badge', badge, '--name', role, '--role', role, '--user', 'A001'),
        `${ADMIN_PW}\n${pw}\n`,
      );
      expect(added.code, added.stdout).toBe(0);
    }
  });
  afterEach(() => {
    volume.remove();
    dir.remove();
  });

  const register = (serial: string, user = 'C001', pw = CUSTODIAN_PW) =>
    runCli(
      at(
        'recorders',
        'register',
        '--serial',
        serial,
        '--profile',
        'generic-dcim',
        '--officer',
        'P100',
        '--user',
        user,
      ),
      `${pw}\n`,
    );

  it('registers as a custodian only, and lists what is registered', async () => {
    const byOfficer = await register('CAM01', 'P100', OFFICER_PW);
    expect(byOfficer.code).not.toBe(0);
    expect(byOfficer.json()).toMatchObject({ error: { code: 'FORBIDDEN' } });
    const registered = await register('CAM01');
    expect(registered.code).toBe(0);
    expect(registered.json()).toMatchObject({
      recorder: {
        serial: 'CAM01',
        profileId: 'generic-dcim',
        officerBadge: 'P100',
        registeredBy: 'C001',
      },
    });
    expect((await register('CAM01')).json()).toMatchObject({ error: { code: 'ALREADY_EXISTS' } });
    const list = await runCli(at('recorders', 'list'));
    expect(
      (list.json() as { recorders: { serial: string }[] }).recorders.map((r) => r.serial),
    ).toEqual(['CAM01']);
  });

  it('ingests every clip proven, prints the documented document, and only new clips next time', async () => {
    await register('CAM01');
    const a = volume.add({ path: 'DCIM/100MEDIA/CLIP0001.MP4', size: 300_000 });
    const b = volume.add({ path: 'DCIM/100MEDIA/CLIP0002.MP4', size: 5000 });
    const run = await runCli(
      at('ingest', volume.root, '--recorder', 'CAM01', '--user', 'P100'),
      `${OFFICER_PW}\n`,
    );
    expect(run.code, run.stdout + run.stderr).toBe(0);
    const doc = run.json() as IngestDocument;
    expect(doc.docking).toMatchObject({
      phase: 'complete',
      safeToUndock: true,
      officerBadge: 'P100',
    });
    expect(doc.recorder).toMatchObject({ serial: 'CAM01', profileId: 'generic-dcim' });
    expect(doc.clips.map((c) => [c.originalPath, c.size, c.sha256, c.status])).toEqual(
      expect.arrayContaining([
        ['DCIM/100MEDIA/CLIP0001.MP4', 300_000, sha256(a), 'verified'],
        ['DCIM/100MEDIA/CLIP0002.MP4', 5000, sha256(b), 'verified'],
      ]),
    );
    for (const clip of doc.clips) {
      expect(clip.archivePath).toMatch(/^archive\/\d{4}\/\d\d\/\d\d\/CAM01\/CLIP000\d\.MP4$/);
      expect(clip).toHaveProperty('recordedStart');
      expect(clip).toHaveProperty('recordedEnd');
      expect(Date.parse(clip.custodyAt)).not.toBeNaN();
    }

    volume.add({ path: 'DCIM/100MEDIA/CLIP0003.MP4', size: 1000 });
    const again = (
      await runCli(at('ingest', volume.root, '--recorder', 'CAM01'))
    ).json() as IngestDocument;
    expect(again.counts).toMatchObject({ archived: 1, alreadyProven: 2, failed: 0 });

    const clips = await runCli(at('clips', 'list', '--recorder', 'CAM01'));
    expect((clips.json() as { total: number }).total).toBe(3);
    const future = await runCli(at('clips', 'list', '--since', '2999-01-01T00:00:00Z'));
    expect((future.json() as { total: number }).total).toBe(0);
  });

  it('refuses a recorder nobody registered before reading anything (D-NO-LEAK)', async () => {
    volume.add({ path: 'DCIM/100MEDIA/CLIP0001.MP4', size: 1000 });
    const run = await runCli(at('ingest', volume.root, '--recorder', 'CAM77'));
    expect(run.code).not.toBe(0);
    expect(run.json()).toMatchObject({ error: { code: 'RECORDER_NOT_REGISTERED' } });
    const noSerial = await runCli(at('ingest', volume.root));
    expect(noSerial.json()).toMatchObject({ error: { code: 'RECORDER_NOT_REGISTERED' } });
    expect((noSerial.json() as { error: { message: string } }).error.message).toMatch(/--recorder/);
    expect((await runCli(at('clips', 'list'))).json()).toMatchObject({ total: 0 });
    const missing = await runCli(at('ingest', join(volume.root, 'nope')));
    expect(missing.json()).toMatchObject({ error: { code: 'BAD_REQUEST' } });
  });

  it('will not ingest into a data dir a running station owns', async () => {
    await register('CAM01');
    volume.add({ path: 'DCIM/100MEDIA/CLIP0001.MP4', size: 1000 });
    const station = await startStationProcess(dir.path, [
      '--mount-root',
      join(dir.path, 'no-mounts'),
    ]);
    try {
      const run = await runCli(at('ingest', volume.root, '--recorder', 'CAM01'));
      expect(run.code).not.toBe(0);
      expect(run.json()).toMatchObject({ error: { code: 'INGEST_BUSY' } });
    } finally {
      await station.stop();
    }
  });

  it('verify names each altered or missing original (D-NO-TAMPER)', async () => {
    await register('CAM01');
    volume.add({ path: 'DCIM/100MEDIA/A.MP4', size: 4000 });
    volume.add({ path: 'DCIM/100MEDIA/B.MP4', size: 4000 });
    const doc = (
      await runCli(at('ingest', volume.root, '--recorder', 'CAM01'))
    ).json() as IngestDocument;
    expect((await runCli(at('verify'))).code).toBe(0);

    const [first, second] = doc.clips.map((c) => join(dir.path, c.archivePath));
    chmodSync(first!, 0o644);
    writeFileSync(first!, 'y'.repeat(4000));
    chmodSync(second!, 0o644);
    rmSync(second!);
    const run = await runCli(at('verify'));
    expect(run.code).not.toBe(0);
    const body = run.json() as { error: { code: string; message: string } };
    expect(body.error.code).toBe('INTEGRITY_FAILED');
    expect(body.error.message).toContain(doc.clips[0]!.archivePath);
    expect(body.error.message).toContain(doc.clips[1]!.archivePath);
    expect(body.error.message).toMatch(/mismatch/);
    expect(body.error.message).toMatch(/missing/);
  });
});
