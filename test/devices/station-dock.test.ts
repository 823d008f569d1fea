// The whole station with real hot-plugged block devices: `evidock station` running as its own
// process, a zram recorder mounted under its mount root, a client on the RPC socket watching
// what the Dock screen would show: detected → identified → ingested → verified → undocked.
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Clip, DockedVolume, Docking } from '../../src-main/contract';
import { runCli } from '../support/cli';
import { dockingUnavailable, dockRecorder, undockAll, uniqueLabel } from '../support/dock-recorder';
import { photo, video } from '../support/footage';
import { SocketClient } from '../support/socket-client';
import { startStationProcess, type StationProcess } from '../support/station-process';
import { tempDir } from '../support/temp';

const unavailable = dockingUnavailable();
const ADMIN = { badge: 'A0001', password: 'admin pass 1' };
const CUSTODIAN = { badge: 'C0001', password: 'custodian pass 1' };
const OFFICER = { badge: 'J0123', password: 'officer pass 1' };
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

async function cli(args: string[], stdin: string): Promise<unknown> {
  const run = await runCli([...args, '--json'], stdin);
  if (run.code !== 0) throw new Error(`evidock ${args.join(' ')}: ${run.stdout}${run.stderr}`);
  return run.json();
}

async function until<T>(probe: () => T | undefined, ms = 30_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe.skipIf(unavailable !== undefined)(
  `the station docking real block devices${unavailable ? ` — skipped: ${unavailable}` : ''}`,
  () => {
    let data: { path: string; remove: () => void };
    let mountRoot: string;
    let station: StationProcess;
    let officer: SocketClient;

    const volumes = (): DockedVolume[] => {
      for (let i = officer.events.length - 1; i >= 0; i -= 1) {
        const e = officer.events[i]!;
        if (e.name === 'dock.volumes') return (e.payload as { volumes: DockedVolume[] }).volumes;
      }
      return [];
    };
    const latest = (serial: string): Docking | undefined => {
      for (let i = officer.events.length - 1; i >= 0; i -= 1) {
        const e = officer.events[i]!;
        const docking = e.name === 'dock.docking' && (e.payload as { docking: Docking }).docking;
        if (docking && docking.recorderSerial === serial) return docking;
      }
      return undefined;
    };

    beforeAll(async () => {
      data = tempDir('evidock-station-dock-');
      mountRoot = await mkdtemp(join(tmpdir(), 'evidock-mounts-'));
      const dir = ['--data-dir', data.path];
      await cli(
        ['users', 'add', '--badge', ADMIN.badge, '--name', '管理员', '--role', 'admin', ...dir],
        `${ADMIN.password}\n`,
      );
      for (const [who, role] of [
        [CUSTODIAN, 'custodian'],
        [OFFICER, 'officer'],
      ] as const) {
        await cli(
          [
            'users',
            'add',
            '--badge',
            who.badge,
            '--name',
            role,
            '--role',
            role,
            '--user',
            ADMIN.badge,
            ...dir,
          ],
          `${ADMIN.password}\n${who.password}\n`,
        );
      }
      station = await startStationProcess(data.path, ['--mount-root', mountRoot]);
      officer = await SocketClient.open(station.url, `http://127.0.0.1:${station.port}`);
      await officer.login(OFFICER.badge, OFFICER.password);
    }, 120_000);

    afterEach(async () => {
      await undockAll();
    });

    afterAll(async () => {
      officer?.close();
      await station?.stop();
      await undockAll();
      if (mountRoot !== undefined) await rm(mountRoot, { recursive: true, force: true });
      data?.remove();
    });

    async function register(serial: string): Promise<void> {
      await cli(
        [
          'recorders',
          'register',
          '--serial',
          serial,
          '--profile',
          'generic-dcim',
          '--officer',
          OFFICER.badge,
          '--user',
          CUSTODIAN.badge,
          '--data-dir',
          data.path,
        ],
        `${CUSTODIAN.password}\n`,
      );
    }

    for (const fs of ['ext4', 'vfat'] as const) {
      it(`${fs}: detected and identified at once, ingested, verified, safe to undock, undocked`, async () => {
        const serial = uniqueLabel(fs === 'ext4' ? 'EXT' : 'FAT');
        await register(serial);
        const clip = readFileSync(
          await video({ seconds: 2, creationTime: new Date().toISOString() }),
        );
        // A photo of its own per recorder: the same bytes twice would be one clip, seen twice.
        const still = readFileSync(await photo({ size: fs === 'ext4' ? '640x480' : '800x600' }));
        const mountedAt = Date.now();
        const recorder = await dockRecorder({
          fs,
          label: serial,
          mountRoot,
          files: { 'DCIM/100MEDIA/VID0001.MP4': clip, 'DCIM/100MEDIA/IMG0002.JPG': still },
        });
        const seen = await until(() => volumes().find((v) => v.serial === serial));
        const detectedMs = Date.now() - mountedAt;
        console.log(`${fs}: identified ${detectedMs} ms after the mount`);
        expect(seen).toMatchObject({ state: 'recorder', mountpoint: recorder.mountpoint });

        const done = await until(() => {
          const d = latest(serial);
          return d && ['complete', 'interrupted', 'failed'].includes(d.phase) ? d : undefined;
        });
        expect(done).toMatchObject({
          phase: 'complete',
          safeToUndock: true,
          clipsDone: 2,
          officerBadge: OFFICER.badge,
        });

        const listed = await officer.call('clips.list', { dockingId: done.id });
        if (!listed.ok) throw new Error(listed.error.message);
        const clips = (listed.value as { clips: Clip[] }).clips;
        expect(new Map(clips.map((c) => [c.originalPath, c.sha256]))).toEqual(
          new Map([
            ['DCIM/100MEDIA/VID0001.MP4', sha256(clip)],
            ['DCIM/100MEDIA/IMG0002.JPG', sha256(still)],
          ]),
        );
        const verify = await runCli(['verify', '--data-dir', data.path, '--json']);
        expect(verify.code, verify.stdout).toBe(0);

        await recorder.undock();
        await until(() => (volumes().some((v) => v.serial === serial) ? undefined : true));
        const status = await officer.call('dock.status', {});
        if (!status.ok) throw new Error(status.error.message);
        const after = (status.value as { dockings: Docking[] }).dockings.find(
          (d) => d.id === done.id,
        );
        expect(after).toMatchObject({ phase: 'complete', safeToUndock: true });
      });
    }

    it('a USB stick that is not a recorder is ignored and audited, and never read', async () => {
      const label = uniqueLabel('STICK');
      const stick = await dockRecorder({
        fs: 'ext4',
        label,
        mountRoot,
        mountOptions: ['strictatime'],
        files: { 'notes/report.txt': 'not footage' },
      });
      const file = join(stick.mountpoint, 'notes', 'report.txt');
      const accessed = statSync(file).atimeMs;
      const seen = await until(() => volumes().find((v) => v.mountpoint === stick.mountpoint));
      expect(seen.state).toBe('ignored');
      // strictatime: any read of the file would have moved its access time.
      expect(statSync(file).atimeMs).toBe(accessed);
      const { stdout } = await runCli([
        'audit',
        'list',
        '--action',
        'volume.ignored',
        '--data-dir',
        data.path,
        '--json',
      ]);
      const entries = (JSON.parse(stdout) as { entries: { details: { label: string } }[] }).entries;
      expect(entries.map((e) => e.details.label)).toContain(label);
    });
  },
);
