// The Forwarding screen's failures list (`forward.failures`) against a real data dir: clips
// ingested with the built CLI, a real folder target whose share goes missing, real passes of the
// forwarding engine. Custodians read every failure whole; a supervisor reads a confidential clip's
// failure without its object key or the words that could repeat it (D-CONFIDENTIAL,
// D-SUPERVISION); officers and admins read none.
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OutboxFailure, RpcResult } from '../../src-main/contract';
import { FOLDER_MARKER } from '../../src-main/forward/folder-destination';
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
const TARGET = 'share-1';

let prepared: ForwardStation;
let share: { path: string; remove: () => void };
let station: Station;
const sessions: Record<string, string> = {};

const call = (method: string, params: unknown, as: string): Promise<RpcResult> =>
  station.dispatcher.dispatch({ method, params, session: sessions[as] });

async function ok<T>(method: string, params: unknown, as: string): Promise<T> {
  const result = await call(method, params, as);
  if (!result.ok)
    throw new Error(`${method} as ${as}: ${result.error.code} ${result.error.message}`);
  return result.value as T;
}

async function logIn(badge: string, password: string): Promise<void> {
  const result = await station.dispatcher.dispatch({
    method: 'auth.login',
    params: { badge, password },
  });
  if (!result.ok) throw new Error(`login ${badge}: ${result.error.message}`);
  sessions[badge] = (result.value as { token: string }).token;
}

const pass = () =>
  station.forwarder.pass({
    actor: 'station',
    signal: new AbortController().signal,
    straysBefore: new Date(),
  });

const failuresAs = async (badge: string) =>
  (await ok<{ failures: OutboxFailure[] }>('forward.failures', { name: TARGET }, badge)).failures;

beforeAll(async () => {
  prepared = await forwardStation([70_000, 80_000, 90_000]);
  share = tempDir('evidock-share-');
  station = openStation({ dataDir: prepared.dataDir });
  await logIn('A001', ADMIN_PW);
  await logIn('C001', CUSTODIAN_PW);
  await logIn('P100', OFFICER_PW);
  await ok(
    'users.add',
    { badge: 'S001', name: '监督员', role: 'supervisor', password: SUPERVISOR_PW },
    'A001',
  );
  await confirmWaitingRoles((c) => station.dispatcher.dispatch(c), sessions['C001']!);
  await logIn('S001', SUPERVISOR_PW);
  // The second clip is personal privacy (D-CONFIDENTIAL): a supervisor may not see it.
  await ok(
    'clips.label',
    { target: { clipIds: [prepared.clips[1]!.id] }, set: { confidentiality: 'privacy' } },
    'C001',
  );
  await ok('forward.targets.add', { name: TARGET, kind: 'folder', folderPath: share.path }, 'C001');
});

afterAll(() => {
  if (station !== undefined) closeStation(station);
  share?.remove();
  prepared?.remove();
});

describe('forward.failures', () => {
  it('lists each clip that failed, with the code, the words, the attempts and the next try', async () => {
    // The share is unmounted: its marker is gone, so nothing may be written into the folder.
    rmSync(join(share.path, FOLDER_MARKER));
    await pass();
    const failures = await failuresAs('C001');
    expect(failures.map((f) => f.clipId).sort()).toEqual(prepared.clips.map((c) => c.id).sort());
    for (const failure of failures) {
      const clip = prepared.clips.find((c) => c.id === failure.clipId)!;
      expect(failure.code).toBe('SHARE_NOT_MOUNTED');
      expect(failure.message).toContain('not mounted');
      expect(failure.attempts).toBe(1);
      expect(failure.nextTryAt).not.toBeNull();
      expect(failure.objectKey!.endsWith(clip.archivePath)).toBe(true);
      expect(failure.withheld).toBeNull();
    }
    const [queue] = (
      await ok<{ targets: { failed: { clips: number } }[] }>('forward.status', {}, 'C001')
    ).targets;
    expect(queue!.failed.clips).toBe(3);
    expect(
      (
        await ok<{ failures: OutboxFailure[] }>(
          'forward.failures',
          { name: TARGET, limit: 2 },
          'C001',
        )
      ).failures,
    ).toHaveLength(2);
  });

  it('withholds a confidential clip’s object key and words from a supervisor, not that it failed', async () => {
    const custodians = await failuresAs('C001');
    const supervisors = await failuresAs('S001');
    expect(supervisors).toHaveLength(3);
    expect(supervisors.map((f) => f.clipId)).toEqual(custodians.map((f) => f.clipId));
    const secret = prepared.clips[1]!.id;
    for (const failure of supervisors) {
      const whole = custodians.find((f) => f.clipId === failure.clipId)!;
      if (failure.clipId === secret) {
        expect(failure).toEqual({
          ...whole,
          objectKey: null,
          message: null,
          withheld: 'D-CONFIDENTIAL',
        });
      } else {
        expect(failure).toEqual(whole);
      }
    }
    expect(JSON.stringify(supervisors)).not.toContain(prepared.clips[1]!.archivePath);
  });

  it('is refused to officers and admins, and names an unknown target', async () => {
    for (const badge of ['P100', 'A001']) {
      expect(await call('forward.failures', { name: TARGET }, badge)).toMatchObject({
        ok: false,
        error: { code: 'FORBIDDEN' },
      });
    }
    expect(await call('forward.failures', { name: 'no-such' }, 'C001')).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
  });

  it('empties once the share is back and the custodian retries', async () => {
    writeFileSync(join(share.path, FOLDER_MARKER), 'evidock central storage target\n');
    const retried = await ok<{ retried: number }>(
      'forward.retry',
      { name: TARGET, clipId: prepared.clips[0]!.id },
      'C001',
    );
    expect(retried.retried).toBe(1);
    await pass();
    expect((await failuresAs('C001')).map((f) => f.clipId).sort()).toEqual(
      prepared.clips
        .slice(1)
        .map((c) => c.id)
        .sort(),
    );
    expect((await ok<{ retried: number }>('forward.retry', { name: TARGET }, 'C001')).retried).toBe(
      2,
    );
    await pass();
    expect(await failuresAs('C001')).toEqual([]);
    expect(await failuresAs('S001')).toEqual([]);
  });
});
