// The station's own integrity sweep (D-NO-TAMPER): on its schedule (a short interval here), in a
// child process running the real `evidock verify`, its result read through the RPC door and its
// alarm raised to custodians and supervisors: an event, an error in the station log, an audit
// entry. One sweep at a time, a terminal's `evidock verify` included; none outlives the station.
import Database from 'better-sqlite3';
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type {
  ComplianceReport,
  EventName,
  IntegrityStatus,
  IntegritySweep,
  LogLevel,
  Role,
  RpcResult,
} from '../../src-main/contract';
import { acquireSweepLock } from '../../src-main/custody/sweep-lock';
import type { ClipRecord } from '../../src-main/catalogue/clips';
import { startStation, type RunningStation } from '../../src-main/station/lifecycle';
import { seedUser } from '../support/core-station';
import { bundle } from '../support/ingest-build';
import {
  loadProfile,
  openTestEngine,
  registerRecorder,
  testStation,
  testVolume,
} from '../support/ingest-station';
import { tempDir } from '../support/temp';

const PASSWORD = 'correct horse 1';
const PEOPLE: Record<Role, string> = {
  custodian: 'CUS-1',
  supervisor: 'SUP-1',
  officer: 'OFF-1',
  admin: 'ADM-1',
};

let dir: ReturnType<typeof tempDir>;
let clips: ClipRecord[];
let running: RunningStation | null = null;
let logged: { level: LogLevel; message: string; details?: Record<string, unknown> }[];
/** Events as each role's connection received them. */
let received: Record<Role, { name: EventName; payload: unknown }[]>;
const tokens = new Map<Role, string>();

/** The real CLI, bundled for this test (dist/ is rebuilt by other test runs meanwhile). */
const cliScript = () => bundle('src-main/station/cli.ts', 'evidock-cli');

/** `evidock verify --json` at a terminal: its JSON document. */
function verifyAtTerminal(): unknown {
  const run = spawnSync(
    process.execPath,
    [cliScript(), 'verify', '--data-dir', dir.path, '--json'],
    {
      encoding: 'utf8',
    },
  );
  return JSON.parse(run.stdout) as unknown;
}

/** The I/O scheduling class of a process as `ionice -p` reports it, or null without ionice. */
function ioClassOf(pid: number): string | null {
  try {
    return execFileSync('ionice', ['-p', String(pid)], { encoding: 'utf8' }).trim();
  } catch {
    return null;
  }
}

async function until<T>(probe: () => T | undefined | null | false, ms = 60_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function start(intervalMs: number, firstDelayMs: number): RunningStation {
  const station = startStation(
    {
      dataDir: dir.path,
      log: (level, message, details) => logged.push({ level, message, details }),
      integrity: { intervalMs, firstDelayMs, cliScript: cliScript() },
    },
    'browser',
  );
  for (const role of Object.keys(PEOPLE) as Role[]) {
    station.services.hub.subscribe({
      viewer: () => ({ badge: PEOPLE[role], role }),
      deliver: (name, payload) => received[role].push({ name, payload }),
    });
  }
  running = station;
  return station;
}

async function call(method: string, params: unknown, as: Role): Promise<RpcResult> {
  const { dispatcher } = running!.services;
  if (!tokens.has(as)) {
    const login = await dispatcher.dispatch({
      method: 'auth.login',
      params: { badge: PEOPLE[as], password: PASSWORD },
    });
    if (!login.ok) throw new Error(`login ${as}: ${login.error.message}`);
    tokens.set(as, (login.value as { token: string }).token);
  }
  return dispatcher.dispatch({ method, params, session: tokens.get(as) });
}

const finishedFor = (role: Role): IntegritySweep[] =>
  received[role]
    .filter((e) => e.name === 'integrity.finished')
    .map((e) => (e.payload as { sweep: IntegritySweep }).sweep);

const auditActions = (): { action: string; actor: string; details: string }[] => {
  const db = new Database(join(dir.path, 'catalogue.sqlite'), { readonly: true });
  try {
    return db
      .prepare<[], { action: string; actor: string; details: string }>(
        "SELECT action, actor, details FROM audit_log WHERE action LIKE 'integrity.%' ORDER BY seq",
      )
      .all();
  } finally {
    db.close();
  }
};

beforeEach(async () => {
  dir = tempDir();
  logged = [];
  received = { custodian: [], supervisor: [], officer: [], admin: [] };
  tokens.clear();
  const seeding = testStation(dir.path);
  for (const role of Object.keys(PEOPLE) as Role[]) {
    seedUser(seeding.catalogue, { badge: PEOPLE[role], role, password: PASSWORD });
  }
  registerRecorder(seeding.catalogue, 'CAM07');
  const volume = testVolume();
  for (const name of ['A', 'B', 'C']) volume.add({ path: `DCIM/${name}.MP4`, size: 30_000 });
  const engine = await openTestEngine(seeding);
  const result = await engine.ingest({
    mountpoint: volume.root,
    recorderSerial: 'CAM07',
    profile: loadProfile(),
  }).done;
  await engine.close();
  clips = result.clips.map((c) => c.clip!);
  seeding.close();
  volume.remove();
});

afterEach(async () => {
  await running?.stop('test over');
  running = null;
  dir.remove();
});

/** An insider's swap: other bytes in the file, the row's hash and the sidecar made to match. */
function swapClip(clip: ClipRecord): string {
  const abs = (rel: string) => join(dir.path, ...rel.split('/'));
  const bytes = randomBytes(clip.originalSize);
  const forged = createHash('sha256').update(bytes).digest('hex');
  chmodSync(abs(clip.archivePath), 0o644);
  writeFileSync(abs(clip.archivePath), bytes);
  const sidecarPath = abs(`${clip.archivePath}.evidock.json`);
  const sidecar = JSON.parse(readFileSync(sidecarPath, 'utf8')) as { clip: { sha256: string } };
  sidecar.clip.sha256 = forged;
  chmodSync(sidecarPath, 0o644);
  writeFileSync(sidecarPath, JSON.stringify(sidecar));
  const db = new Database(join(dir.path, 'catalogue.sqlite'));
  db.exec('DROP TRIGGER IF EXISTS clips_keep_proven_facts');
  db.prepare('UPDATE clips SET sha256 = ? WHERE id = ?').run(forged, clip.id);
  db.close();
  return forged;
}

describe('the station sweeps the archive on its own', () => {
  it('finds a swapped clip on schedule: readable through the RPC, an alarm raised', async () => {
    const swapped = clips[1]!;
    swapClip(swapped);
    // A confidential clip swapped too: supervisors learn of it without where it is (D-CONFIDENTIAL).
    const secret = clips[2]!;
    swapClip(secret);
    const db = new Database(join(dir.path, 'catalogue.sqlite'));
    db.prepare(
      `INSERT INTO clip_labels (clip_id, matter, confidentiality, updated_by, updated_at)
       VALUES (?, 'x', 'privacy', ?, ?)`,
    ).run(secret.id, PEOPLE.custodian, new Date().toISOString());
    db.close();
    const station = start(400, 100);

    const [sweep] = await until(
      () => finishedFor('custodian').length > 0 && finishedFor('custodian'),
    );
    expect(sweep).toMatchObject({ ok: false, failure: null, clipsChecked: 3, by: 'station' });
    expect(sweep!.problemCount).toBe(2);

    // The alarm: custodians and supervisors hear it; officers and admins do not.
    expect(finishedFor('supervisor')[0]).toEqual(sweep);
    expect(finishedFor('officer')).toEqual([]);
    expect(finishedFor('admin')).toEqual([]);
    expect(
      received.custodian.some(
        (e) =>
          e.name === 'integrity.progress' &&
          (e.payload as { progress: { clipsChecked: number } }).progress.clipsChecked === 3,
      ),
    ).toBe(true);
    expect(logged).toContainEqual(
      expect.objectContaining({
        level: 'error',
        message: 'the integrity sweep found problems in the archive (D-NO-TAMPER)',
      }),
    );
    const actions = auditActions();
    expect(actions.map((a) => a.action)).toEqual(
      expect.arrayContaining([
        'integrity.sweep.started',
        'integrity.problem',
        'integrity.checked',
        'integrity.sweep.failed',
      ]),
    );
    expect(
      JSON.parse(actions.find((a) => a.action === 'integrity.sweep.started')!.details),
    ).toMatchObject({
      trigger: 'schedule',
    });

    // Read through the station's one door, as the Home screen does.
    const problemsFor = async (role: Role) => {
      const status = await call('integrity.status', {}, role);
      expect(status.ok).toBe(true);
      const value = (status as { value: IntegrityStatus }).value;
      expect(value.last).toMatchObject({ ok: false, problemCount: 2 });
      return new Map(value.last!.problems.map((p) => [p.clipId, p]));
    };
    const custodianSees = await problemsFor('custodian');
    for (const clip of [swapped, secret]) {
      expect(custodianSees.get(clip.id)).toMatchObject({
        code: 'rewritten',
        archivePath: clip.archivePath,
        details: { recorderSerial: 'CAM07', chainSha256: clip.sha256 },
      });
    }
    const supervisorSees = await problemsFor('supervisor');
    expect(supervisorSees.get(swapped.id)).toEqual(custodianSees.get(swapped.id));
    expect(supervisorSees.get(secret.id)).toMatchObject({
      code: 'rewritten',
      archivePath: '',
      message: '',
      details: { withheld: 'D-CONFIDENTIAL' },
    });
    expect((await call('integrity.status', {}, 'officer')).ok).toBe(false);
    expect(await call('integrity.start', {}, 'supervisor')).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });

    // The compliance report of the day counts it (D-SUPERVISION).
    const now = new Date();
    const day = [now.getFullYear(), now.getMonth() + 1, now.getDate()]
      .map((n) => String(n).padStart(2, '0'))
      .join('-');
    const report = await call('report.compliance', { from: day, to: day }, 'supervisor');
    expect(report.ok).toBe(true);
    const integrity = (report as { value: ComplianceReport }).value.integrity;
    expect(integrity.withProblems).toBeGreaterThanOrEqual(1);
    expect(integrity.last).toMatchObject({ ok: false, clipsChecked: 3 });

    // The interval goes on: another sweep follows the first, never alongside it.
    await until(() => finishedFor('custodian').length >= 2);
    const starts = auditActions().filter((a) => a.action === 'integrity.sweep.started').length;
    const ends = auditActions().filter((a) => a.action === 'integrity.checked').length;
    expect(starts - ends).toBeLessThanOrEqual(1);
    await station.stop('test over');
    running = null;
  });

  it('a custodian starts one from Home; one at a time, with the terminal too; none outlives the station', async () => {
    const station = start(24 * 60 * 60 * 1000, 24 * 60 * 60 * 1000);
    const idle = (await call('integrity.status', {}, 'custodian')) as { value: IntegrityStatus };
    expect(idle.value).toMatchObject({ running: false, last: null });
    expect(Date.parse(idle.value.nextAt!)).toBeGreaterThan(Date.now() + 23 * 60 * 60 * 1000);

    // A sweep at a terminal holds the archive: the custodian's sweep waits, raises no alarm.
    const terminal = await acquireSweepLock(dir.path);
    const started = (await call('integrity.start', {}, 'custodian')) as { value: IntegrityStatus };
    expect(started.value.running).toBe(true);
    const again = (await call('integrity.start', {}, 'custodian')) as { value: IntegrityStatus };
    expect(again.value.running).toBe(true);
    await until(() =>
      logged.some((l) => l.message.startsWith('another integrity sweep was running')),
    );
    expect(finishedFor('custodian')).toEqual([]);
    expect(verifyAtTerminal()).toMatchObject({ error: { code: 'INTEGRITY_BUSY' } });
    await terminal.release();
    const started1 = auditActions().filter((a) => a.action === 'integrity.sweep.started');
    expect(started1).toHaveLength(1);
    expect(started1[0]!.actor).toBe(PEOPLE.custodian);

    // Now it runs, and finds the archive intact.
    await call('integrity.start', {}, 'custodian');
    const [sweep] = await until(
      () => finishedFor('custodian').length > 0 && finishedFor('custodian'),
    );
    expect(sweep).toMatchObject({ ok: true, clipsChecked: 3, problemCount: 0 });
    expect(auditActions().some((a) => a.action === 'integrity.sweep.failed')).toBe(false);

    // Stopped mid-sweep: its process ends, its lock goes, nothing is recorded as a result.
    const checkedBefore = auditActions().filter((a) => a.action === 'integrity.checked').length;
    const mid = (await call('integrity.start', {}, 'custodian')) as { value: IntegrityStatus };
    expect(mid.value.running).toBe(true);
    const pid = JSON.parse(
      auditActions()
        .filter((a) => a.action === 'integrity.sweep.started')
        .at(-1)!.details,
    ).pid as number;
    // Linux with ionice: the sweep's process reads in the idle I/O class (ionice -c 3).
    if (ioClassOf(process.pid) !== null) {
      // Sampled while it runs (a sweep of three small clips may end first).
      const alive = () => spawnSync('kill', ['-0', String(pid)]).status === 0;
      const ioClass = await until(() => ioClassOf(pid) ?? (alive() ? null : 'ended'), 10_000);
      expect(['idle', 'ended']).toContain(ioClass);
      expect(logged).toContainEqual(
        expect.objectContaining({
          message: 'the integrity sweep started',
          details: expect.objectContaining({ priority: 'idle I/O class (ionice -c 3), nice 19' }),
        }),
      );
    }
    await station.stop('test over');
    running = null;
    expect(() => process.kill(pid, 0)).toThrow();
    expect(existsSync(join(dir.path, 'integrity.lock'))).toBe(false);
    const after = auditActions();
    expect(after.filter((a) => a.action === 'integrity.checked').length).toBeLessThanOrEqual(
      checkedBefore + 1,
    );
    expect(after.some((a) => a.action === 'integrity.sweep.failed')).toBe(false);
  });
});
