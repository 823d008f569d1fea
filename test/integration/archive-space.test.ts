// The archive disk's room on Home (`station.storage`; D-NO-TAMPER: records must not be lost for
// want of storage): figures held against the OS's own statfs of a real data dir with clips
// ingested by the built CLI, the intake of the last 14 days against the bytes known archived, and
// (as root) a tmpfs archive disk filled past 80 % and 95 % for the warning and the critical level.
import { execFileSync } from 'node:child_process';
import { mkdirSync, statfsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ArchiveStorage, RpcResult } from '../../src-main/contract';
import { closeStation, openStation, type Station } from '../../src-main/station/services';
import {
  ADMIN_PW,
  CUSTODIAN_PW,
  forwardStation,
  OFFICER_PW,
  type ForwardStation,
} from '../support/forward-station';
import { confirmWaitingRoles } from '../support/role-grants';
import { tempDir } from '../support/temp';

const SUPERVISOR_PW = 'supervisor pass 1';
const SIZES = [300_000, 500_000, 700_000];
const DAY_MS = 24 * 60 * 60 * 1000;
const MiB = 1024 * 1024;

async function session(station: Station, badge: string, password: string): Promise<string> {
  const result = await station.dispatcher.dispatch({
    method: 'auth.login',
    params: { badge, password },
  });
  if (!result.ok) throw new Error(`login ${badge}: ${result.error.message}`);
  return (result.value as { token: string }).token;
}

function storage(station: Station, token: string): Promise<RpcResult> {
  return station.dispatcher.dispatch({ method: 'station.storage', params: {}, session: token });
}

async function measured(station: Station, token: string): Promise<ArchiveStorage> {
  const result = await storage(station, token);
  if (!result.ok) throw new Error(`station.storage: ${result.error.message}`);
  return result.value as ArchiveStorage;
}

function disk(path: string): { total: number; free: number } {
  const fs = statfsSync(path);
  return { total: fs.blocks * fs.bsize, free: fs.bavail * fs.bsize };
}

describe('station.storage on a real data dir', () => {
  let prepared: ForwardStation;
  let station: Station;
  let custodian: string;

  beforeAll(async () => {
    prepared = await forwardStation(SIZES);
    station = openStation({ dataDir: prepared.dataDir });
    custodian = await session(station, 'C001', CUSTODIAN_PW);
  });

  afterAll(() => {
    if (station !== undefined) closeStation(station);
    prepared?.remove();
  });

  it('reports the archive folder’s file system as statfs does, and the intake of the last 14 days', async () => {
    const archive = join(prepared.dataDir, 'archive');
    const before = disk(archive);
    const space = await measured(station, custodian);
    const after = disk(archive);
    expect(space.totalBytes).toBe(before.total);
    // Other processes write to the same disk meanwhile: the answer lies between two readings.
    expect(space.freeBytes).toBeGreaterThanOrEqual(Math.min(before.free, after.free) - 64 * MiB);
    expect(space.freeBytes).toBeLessThanOrEqual(Math.max(before.free, after.free) + 64 * MiB);
    const archived = SIZES.reduce((a, b) => a + b, 0);
    expect(prepared.clips.reduce((sum, clip) => sum + clip.size, 0)).toBe(archived);
    expect(space.intakeDays).toBe(14);
    expect(space.archivedBytes).toBe(archived);
    expect(space.bytesPerDay).toBeCloseTo(archived / 14, 6);
    expect(space.daysLeft).toBe(Math.floor(space.freeBytes / (archived / 14)));
    const used = ((space.totalBytes - space.freeBytes) / space.totalBytes) * 100;
    expect(Math.abs(space.usedPercent - used)).toBeLessThanOrEqual(0.05);
    expect(space.level).toBe(used >= 95 ? 'critical' : used >= 80 ? 'warning' : 'ok');
  });

  it('answers custodians and supervisors alike, and refuses officers and admins', async () => {
    const admin = await session(station, 'A001', ADMIN_PW);
    const added = await station.dispatcher.dispatch({
      method: 'users.add',
      params: { badge: 'S001', name: '监督员', role: 'supervisor', password: SUPERVISOR_PW },
      session: admin,
    });
    expect(added.ok).toBe(true);
    await confirmWaitingRoles((c) => station.dispatcher.dispatch(c), custodian);
    const supervisor = await session(station, 'S001', SUPERVISOR_PW);
    const seen = await measured(station, supervisor);
    expect(seen.archivedBytes).toBe((await measured(station, custodian)).archivedBytes);
    for (const token of [admin, await session(station, 'P100', OFFICER_PW)]) {
      expect(await storage(station, token)).toMatchObject({
        ok: false,
        error: { code: 'FORBIDDEN' },
      });
    }
  });

  it('counts clips taken into custody within the last 14 days only; none means no day count', async () => {
    const custodyAt = Date.now();
    for (const [days, expected] of [
      [13.9, SIZES.reduce((a, b) => a + b, 0)],
      [14.1, 0],
    ] as const) {
      const later = openStation({
        dataDir: prepared.dataDir,
        now: () => new Date(custodyAt + days * DAY_MS),
        log: () => {},
      });
      try {
        const space = await measured(later, await session(later, 'C001', CUSTODIAN_PW));
        expect(space.archivedBytes, `${days} days later`).toBe(expected);
        if (expected === 0) {
          expect(space.bytesPerDay).toBe(0);
          expect(space.daysLeft).toBeNull();
        } else {
          expect(space.daysLeft).not.toBeNull();
        }
      } finally {
        closeStation(later);
      }
    }
  });
});

const notRoot = process.getuid?.() !== 0;

describe.skipIf(notRoot)(
  `station.storage on a small archive disk (tmpfs)${notRoot ? ' — skipped: mounting a tmpfs needs root' : ''}`,
  () => {
    let mount: { path: string; remove: () => void };
    let station: Station;
    let custodian: string;

    beforeAll(async () => {
      mount = tempDir('evidock-space-');
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=48m,mode=0700', 'tmpfs', mount.path]);
      const admin = 'A001';
      station = openStation({ dataDir: mount.path, log: () => {} });
      const setup = await station.dispatcher.dispatch({
        method: 'setup.createAdmin',
        params: { badge: admin, name: '管理员', password: ADMIN_PW },
      });
      if (!setup.ok) throw new Error(setup.error.message);
      const adminToken = (setup.value as { token: string }).token;
      const added = await station.dispatcher.dispatch({
        method: 'users.add',
        params: { badge: 'C001', name: '保管员', role: 'custodian', password: CUSTODIAN_PW },
        session: adminToken,
      });
      if (!added.ok) throw new Error(added.error.message);
      custodian = await session(station, 'C001', CUSTODIAN_PW);
    });

    afterAll(() => {
      if (station !== undefined) closeStation(station);
      if (mount !== undefined) {
        execFileSync('umount', [mount.path]);
        mount.remove();
      }
    });

    /** Fills the disk with a ballast file until this share of it is used. */
    function fillTo(percent: number): void {
      const archive = join(mount.path, 'archive');
      mkdirSync(archive, { recursive: true });
      const { total, free } = disk(archive);
      const more = Math.floor((percent / 100) * total - (total - free));
      if (more > 0) writeFileSync(join(archive, `ballast-${percent}`), Buffer.alloc(more, 1));
    }

    it('asks the data dir before the archive folder exists, exactly as statfs answers', async () => {
      const space = await measured(station, custodian);
      const { total, free } = disk(mount.path);
      expect(space.totalBytes).toBe(48 * MiB);
      expect(space.totalBytes).toBe(total);
      expect(space.freeBytes).toBe(free);
      expect(space.level).toBe('ok');
      expect(space.archivedBytes).toBe(0);
      expect(space.daysLeft).toBeNull();
    });

    it('warns from 80 % used and is critical from 95 %', async () => {
      fillTo(85);
      const warning = await measured(station, custodian);
      expect(warning.freeBytes).toBe(disk(join(mount.path, 'archive')).free);
      expect(warning.usedPercent).toBeGreaterThanOrEqual(85);
      expect(warning.usedPercent).toBeLessThan(95);
      expect(warning.level).toBe('warning');
      fillTo(96);
      const critical = await measured(station, custodian);
      expect(critical.usedPercent).toBeGreaterThanOrEqual(96);
      expect(critical.level).toBe('critical');
    });
  },
);
