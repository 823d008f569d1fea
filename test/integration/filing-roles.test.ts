import { mkdirSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NewClip } from '../../src-main/catalogue/clips';
import type {
  MethodInput,
  MethodName,
  MethodOutput,
  Role,
  RpcResult,
} from '../../src-main/contract';
import { startBrowserMode, type BrowserModeServer } from '../../src-main/station/http-server';
import { closeStation, openStation, type Station } from '../../src-main/station/services';
import { confirmWaitingRoles } from '../support/role-grants';
import { tempDir } from '../support/temp';

/**
 * Labels, cases and compliance through the station's RPC, as each role: an officer files only
 * their own clips, a custodian any, a supervisor reads and reports but changes nothing. Real
 * SQLite file, real audit chain, real HTTP for playback.
 */
const PASSWORD = 'correct horse 1';
const USERS: { badge: string; name: string; role: Role }[] = [
  { badge: 'ADM-1', name: '管理员', role: 'admin' },
  { badge: 'J0123', name: '李明', role: 'officer' },
  { badge: 'J0456', name: '赵强', role: 'officer' },
  { badge: 'C0001', name: '王保管', role: 'custodian' },
  { badge: 'S0001', name: '孙督察', role: 'supervisor' },
];
const CASE = '金普民宗罚〔2026〕12号';
const CLIP_BYTES = Buffer.from('0123456789'.repeat(100));

let dir: ReturnType<typeof tempDir>;
let station: Station;
let server: BrowserModeServer;
const tokens = new Map<string, string>();
/** Clip ids by officer: three of J0123's in docking 1, two of J0456's in docking 2. */
const mine: number[] = [];
const theirs: number[] = [];
let dockingOfMine = 0;
/** The station's clock: each read a millisecond later; tests move it on. */
let now = 0;

async function call<M extends MethodName>(
  badge: string,
  method: M,
  params: MethodInput<M>,
): Promise<RpcResult> {
  return station.dispatcher.dispatch({ method, params, session: tokens.get(badge) });
}

async function ok<M extends MethodName>(
  badge: string,
  method: M,
  params: MethodInput<M>,
): Promise<MethodOutput<M>> {
  const result = await call(badge, method, params);
  if (!result.ok)
    throw new Error(`${badge} ${method}: ${result.error.code} ${result.error.message}`);
  return result.value as MethodOutput<M>;
}

async function refused<M extends MethodName>(
  badge: string,
  method: M,
  params: MethodInput<M>,
): Promise<{ code: string; message: string }> {
  const result = await call(badge, method, params);
  if (result.ok) throw new Error(`${badge} ${method} was allowed`);
  return result.error;
}

/**
 * What the player does with a playback address (custody/delivery): claims its one viewing as the
 * page of `badge`'s session, and answers the headers its range requests then carry.
 */
async function claimViewing(
  badge: string,
  url: string,
  page: { origin: string; headers?: Record<string, string> } = {
    origin: server.url.replace(/\/$/, ''),
  },
): Promise<Record<string, string>> {
  const claim = await fetch(url, {
    method: 'POST',
    headers: { Origin: page.origin, 'X-Evidock-Session': tokens.get(badge)!, ...page.headers },
  });
  expect(claim.status).toBe(204);
  const cookie = claim.headers.get('set-cookie');
  return { ...page.headers, ...(cookie === null ? {} : { Cookie: cookie.split(';')[0]! }) };
}

async function loginEveryone(): Promise<void> {
  for (const user of USERS) {
    const login = await station.dispatcher.dispatch({
      method: 'auth.login',
      params: { badge: user.badge, password: PASSWORD },
    });
    if (!login.ok) throw new Error(login.error.message);
    tokens.set(user.badge, (login.value as { token: string }).token);
  }
}

function seedFootage(): void {
  station.catalogue.write((tx) => {
    const at = '2026-11-20T10:00:00.000Z';
    tx.recorders.register(
      { serial: 'CAM01', profileId: 'generic-dcim', officerBadge: 'J0123' },
      'C0001',
      at,
    );
    tx.recorders.register(
      { serial: 'CAM02', profileId: 'generic-dcim', officerBadge: 'J0456' },
      'C0001',
      at,
    );
    const dockings = tx.dockings;
    const clips = tx.clips;
    const dock = (serial: string, officer: string, custodyAt: string) => {
      const d = dockings.start(
        {
          recorderSerial: serial,
          officerBadge: officer,
          identifiedBy: 'badge-pin',
          mountpoint: '/m',
        },
        custodyAt,
      );
      dockings.finish(d.id, { status: 'complete', safeToUndock: true, error: null }, custodyAt);
      return d.id;
    };
    const add = (
      n: number,
      serial: string,
      docking: number,
      officer: string,
      start: string,
      custodyAt: string,
    ) => {
      const archivePath = `archive/2026/11/20/${serial}/C${n}.MP4`;
      const file = join(dir.path, archivePath);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, CLIP_BYTES);
      const end = new Date(Date.parse(start) + 60_000).toISOString();
      const clip: NewClip = {
        recorderSerial: serial,
        dockingId: docking,
        originalPath: `DCIM/C${n}.MP4`,
        originalSize: CLIP_BYTES.length,
        originalMtime: end,
        kind: 'video',
        sha256: n.toString(16).padStart(64, '0'),
        sm3: null,
        archivePath,
        officerBadge: officer,
        sequence: n,
        recordedStart: start,
        recordedStartSource: 'container',
        recordedEnd: end,
        recordedEndSource: 'container',
        durationMs: 60_000,
        width: 1920,
        height: 1080,
        codec: 'h264',
        custodyAt,
        clockOffsetMs: null,
        clockOffsetSource: null,
      };
      return clips.insertVerified(clip).id;
    };
    dockingOfMine = dock('CAM01', 'J0123', '2026-11-20T10:00:00.000Z');
    mine.push(
      add(
        1,
        'CAM01',
        dockingOfMine,
        'J0123',
        '2026-11-20T01:00:00.000Z',
        '2026-11-20T10:00:00.000Z',
      ),
      add(
        2,
        'CAM01',
        dockingOfMine,
        'J0123',
        '2026-11-20T02:00:00.000Z',
        '2026-11-20T10:00:00.000Z',
      ),
      add(
        3,
        'CAM01',
        dockingOfMine,
        'J0123',
        '2026-11-20T03:00:00.000Z',
        '2026-11-20T10:00:00.000Z',
      ),
    );
    // J0456 docked two days late: D-24H finds it at docking.
    const late = dock('CAM02', 'J0456', '2026-11-22T09:00:00.000Z');
    theirs.push(
      add(4, 'CAM02', late, 'J0456', '2026-11-20T04:00:00.000Z', '2026-11-22T09:00:00.000Z'),
      add(5, 'CAM02', late, 'J0456', '2026-11-20T05:00:00.000Z', '2026-11-22T09:00:00.000Z'),
    );
    for (const id of theirs) {
      dockings.addFinding(
        late,
        { code: 'late-custody', message: 'late (D-24H)', clipId: id, path: `DCIM/C${id}.MP4` },
        '2026-11-22T09:00:00.000Z',
      );
    }
  });
}

beforeAll(async () => {
  dir = tempDir();
  now = Date.parse('2026-11-22T10:00:00.000Z');
  station = openStation({ dataDir: dir.path, now: () => new Date(now++) });
  const setup = await station.dispatcher.dispatch({
    method: 'setup.createAdmin',
    params: { badge: 'ADM-1', name: '管理员', password: PASSWORD },
  });
  if (!setup.ok) throw new Error(setup.error.message);
  tokens.set('ADM-1', (setup.value as { token: string }).token);
  for (const user of USERS.slice(1))
    await ok('ADM-1', 'users.add', { ...user, password: PASSWORD });
  // The supervisor's role waits for the custodian's confirmation (D-CUSTODIAN).
  const custodian = await station.dispatcher.dispatch({
    method: 'auth.login',
    params: { badge: 'C0001', password: PASSWORD },
  });
  if (!custodian.ok) throw new Error(custodian.error.message);
  await confirmWaitingRoles(
    (c) => station.dispatcher.dispatch(c),
    (custodian.value as { token: string }).token,
  );
  await loginEveryone();
  seedFootage();
  const renderer = join(dir.path, 'renderer');
  mkdirSync(renderer);
  writeFileSync(join(renderer, 'index.html'), '<!doctype html><title>evidock</title>');
  server = await startBrowserMode(station, { host: '127.0.0.1', port: 0, rendererDir: renderer });
}, 60_000);

afterAll(async () => {
  await server?.close();
  if (station) closeStation(station);
  dir?.remove();
});

describe('an officer files their own clips, and only those', () => {
  it('sees their own unlabelled clips, oldest first, and none of another officer', async () => {
    const page = await ok('J0123', 'clips.search', {
      labelled: false,
      sort: 'recorded',
      order: 'asc',
    });
    expect(page.total).toBe(3);
    expect(page.clips.map((c) => c.id)).toEqual(mine);
    expect(page.clips[0]!.filing).toMatchObject({ labelled: false, missing: ['case'] });
    // Asking for another officer's clips still answers only one's own (D-NO-LEAK).
    const asked = await ok('J0123', 'clips.search', { officerBadge: 'J0456' });
    expect(asked.clips.every((c) => c.officerBadge === 'J0123')).toBe(true);
    expect(await refused('J0123', 'clips.get', { id: theirs[0]! })).toMatchObject({
      code: 'NOT_FOUND',
    });
  });

  it('a case number outside the unit format is refused with the example; an unknown one must be opened first', async () => {
    const bad = await refused('J0123', 'cases.create', {
      number: '2026-12',
      kind: 'penalty',
      title: '无证经营',
    });
    expect(bad.code).toBe('BAD_REQUEST');
    expect(bad.message).toContain('金普民宗罚〔2026〕12号');
    const unknown = await refused('J0123', 'clips.label', {
      target: { clipIds: mine },
      set: { caseNumber: CASE },
    });
    expect(unknown).toMatchObject({ code: 'NOT_FOUND' });
    expect(unknown.message).toContain('open it first');
  });

  it('opens an emergency case from the label form and labels a whole docking in one call', async () => {
    const created = await ok('J0123', 'cases.create', {
      number: CASE,
      kind: 'penalty',
      title: '某商户无证经营',
      emergency: true,
      acts: ['site-inspection', 'hearing'],
    });
    expect(created.case).toMatchObject({
      number: CASE,
      handlingOfficer: 'J0123',
      emergency: true,
      approvedAt: null,
      status: 'open',
    });
    expect(created.case.approvalDueBy).not.toBeNull();
    const result = await ok('J0123', 'clips.label', {
      target: { dockingId: dockingOfMine },
      set: {
        caseNumber: CASE,
        stage: 'investigation',
        place: '金普新区某农贸市场',
        parties: ['张三'],
        partyIds: ['210211199001011234'],
        notes: '现场检查，商户无证经营',
      },
    });
    expect(result).toMatchObject({ updated: 3, labelled: 3 });
    const page = await ok('J0123', 'clips.search', { labelled: false });
    expect(page.total).toBe(0);
    const filed = await ok('J0123', 'clips.get', { id: mine[0]! });
    // The clip takes the case's kind; the station fills D-LABEL's production facts itself.
    expect(filed.clip.filing.label).toMatchObject({ caseNumber: CASE, kind: 'penalty' });
    expect(filed.clip.filing.productionMethod).toBe('body-camera');
    expect(filed.clip.filing.retention).toMatchObject({ retentionClass: 'evidence', dueAt: null });
  });

  it('every change keeps its before and after in the audit chain (ID numbers masked)', async () => {
    await ok('J0123', 'clips.label', {
      target: { clipIds: [mine[0]!] },
      set: { place: '某市场东门' },
    });
    const entries = station.audit.listBySubject(`clip:${mine[0]}`);
    expect(entries[0]).toMatchObject({
      actor: 'J0123',
      action: 'clip.labelled',
      details: { before: { place: '金普新区某农贸市场' }, after: { place: '某市场东门' } },
    });
    const first = entries.find((e) => (e.details.after as Record<string, unknown>).caseNumber)!;
    expect(JSON.stringify(first.details)).not.toContain('210211199001011234');
    expect((first.details.after as { partyIds: string[] }).partyIds).toEqual(['…1234']);
    expect(station.audit.verify()).toMatchObject({ ok: true });
  });

  it("may not label another officer's clips, by id or by time range", async () => {
    expect(
      await refused('J0123', 'clips.label', {
        target: { clipIds: [theirs[0]!] },
        set: { notes: 'x' },
      }),
    ).toMatchObject({ code: 'NOT_FOUND' });
    expect(
      await refused('J0123', 'clips.label', {
        target: { from: '2026-11-20T00:00:00Z', to: '2026-11-21T00:00:00Z', officerBadge: 'J0456' },
        set: { notes: 'x' },
      }),
    ).toMatchObject({ code: 'FORBIDDEN' });
    expect(await ok('C0001', 'clips.get', { id: theirs[0]! })).toMatchObject({
      clip: { filing: { label: null } },
    });
  });
});

describe('a custodian files any clip; D-24H exceptions; finishing at the dock', () => {
  it("labels another officer's clips by time range as daily enforcement", async () => {
    const result = await ok('C0001', 'clips.label', {
      target: { from: '2026-11-20T04:00:00Z', to: '2026-11-20T04:30:00Z', officerBadge: 'J0456' },
      set: { caseNumber: null, matter: '节前农贸市场巡查', kind: 'inspection' },
    });
    expect(result).toMatchObject({ updated: 1, labelled: 1 });
  });

  it('an officer cannot finish at the dock with clips unlabelled unless they say why', async () => {
    const late = (await ok('J0456', 'clips.get', { id: theirs[1]! })).clip.dockingId;
    const refusal = await refused('J0456', 'dock.finish', { dockingId: late });
    expect(refusal.code).toBe('CONFLICT');
    expect(refusal.message).toContain('1 clip');
    expect(
      await ok('J0456', 'dock.finish', { dockingId: late, deferReason: '连续执勤，明早补录' }),
    ).toEqual({
      unlabelled: 1,
      deferred: true,
    });
    expect(await ok('J0123', 'dock.finish', { dockingId: dockingOfMine })).toEqual({
      unlabelled: 0,
      deferred: false,
    });
    expect(await refused('J0123', 'dock.finish', { dockingId: late })).toMatchObject({
      code: 'NOT_FOUND',
    });
  });

  it('records a late-custody exception: custody within 24 h of the return clears the clip, later stays late', async () => {
    const [onTime, stillLate] = theirs;
    const cleared = await ok('J0456', 'clips.custodyException', {
      clipIds: [onTime!],
      exception: { kind: 'off-site', returnedAt: '2026-11-21T20:00:00+08:00', note: '异地执法' },
    });
    expect(cleared.clips).toEqual([{ id: onTime, lateCustody: false }]);
    const kept = await ok('C0001', 'clips.custodyException', {
      clipIds: [stillLate!],
      exception: { kind: 'continuous-duty', returnedAt: '2026-11-20T12:00:00+08:00', note: null },
    });
    expect(kept.clips).toEqual([{ id: stillLate, lateCustody: true }]);
    const late = await ok('C0001', 'clips.search', { lateCustody: true });
    expect(late.clips.map((c) => c.id)).toEqual([stillLate]);
    expect(
      await refused('J0123', 'clips.custodyException', {
        clipIds: [mine[0]!],
        exception: { kind: 'off-site', returnedAt: '2026-11-20T12:00:00Z', note: null },
      }),
    ).toMatchObject({ code: 'CONFLICT' });
  });
});

describe('confidential footage and playback (D-CONFIDENTIAL, D-NO-LEAK)', () => {
  it('a supervisor does not see confidential clips in the browser; a custodian does', async () => {
    await ok('J0123', 'clips.label', {
      target: { clipIds: [mine[1]!] },
      set: { confidentiality: 'privacy' },
    });
    const supervisor = await ok('S0001', 'clips.search', { limit: 50 });
    expect(supervisor.clips.map((c) => c.id)).not.toContain(mine[1]);
    expect(await refused('S0001', 'clips.get', { id: mine[1]! })).toMatchObject({
      code: 'NOT_FOUND',
    });
    expect(await refused('S0001', 'clips.thumbnail', { id: mine[1]! })).toMatchObject({
      code: 'NOT_FOUND',
    });
    const listed = await ok('S0001', 'clips.list', {});
    expect(listed.clips.map((c) => c.id)).not.toContain(mine[1]);
    expect(listed.total).toBe(4);
    const custodian = await ok('C0001', 'clips.search', { limit: 50 });
    expect(custodian.total).toBe(5);
    // The parties' ID numbers are for the recording officer and custodians only.
    const seen = supervisor.clips.find((c) => c.id === mine[0])!;
    expect(seen.filing.label?.partyIds).toEqual([]);
    expect(custodian.clips.find((c) => c.id === mine[0])!.filing.label?.partyIds).toEqual([
      '210211199001011234',
    ]);
  });

  it('a state-secret clip is played by custodians only, through the station, every play audited', async () => {
    await ok('J0123', 'clips.label', {
      target: { clipIds: [mine[2]!] },
      set: { confidentiality: 'state' },
    });
    const own = await ok('J0123', 'clips.get', { id: mine[2]! });
    expect(own.clip.filing.playable).toBe(false);
    expect(await refused('J0123', 'clips.play', { id: mine[2]! })).toMatchObject({
      code: 'FORBIDDEN',
    });
    const play = await ok('C0001', 'clips.play', { id: mine[2]! });
    expect(play.mime).toBe('video/mp4');
    const base = server.url.replace(/\/$/, '');
    const page = await claimViewing('C0001', `${base}${play.url}`);
    const whole = await fetch(`${base}${play.url}`, { headers: page });
    expect(whole.status).toBe(200);
    expect(Buffer.from(await whole.arrayBuffer())).toEqual(CLIP_BYTES);
    const part = await fetch(`${base}${play.url}`, { headers: { ...page, Range: 'bytes=10-19' } });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe(`bytes 10-19/${CLIP_BYTES.length}`);
    expect(await part.text()).toBe('0123456789');
    expect(station.audit.listBySubject(`clip:${mine[2]}`)[0]).toMatchObject({
      actor: 'C0001',
      action: 'clip.played',
    });
    expect((await fetch(`${base}/playback/made-up-ticket`)).status).toBe(403);
  });

  it('thumbnails come through the station on a ticket, for who may see the clip, while they may', async () => {
    const rel = 'thumbnails/ab/thumb-of-mine.jpg';
    mkdirSync(join(dir.path, 'thumbnails', 'ab'), { recursive: true });
    writeFileSync(join(dir.path, ...rel.split('/')), Buffer.from('jpeg bytes'));
    station.catalogue.write((tx) => tx.clips.setThumbnail(mine[0]!, rel));
    const base = server.url.replace(/\/$/, '');

    // Fetched by the session it was issued to, once (D-NO-LEAK).
    const as = (badge: string) => ({ headers: { 'X-Evidock-Session': tokens.get(badge)! } });
    const thumb = await ok('J0123', 'clips.thumbnail', { id: mine[0]! });
    expect(thumb).toMatchObject({ mime: 'image/jpeg' });
    const first = await fetch(`${base}${thumb!.url}`, as('J0123'));
    expect(first.status).toBe(200);
    expect(await first.text()).toBe('jpeg bytes');
    // Another officer's clip does not exist for them, its thumbnail neither.
    expect(await refused('J0456', 'clips.thumbnail', { id: mine[0]! })).toMatchObject({
      code: 'NOT_FOUND',
    });
    // Marked confidential since: the supervisor's ticket stops working at once (D-CONFIDENTIAL).
    const seen = await ok('S0001', 'clips.thumbnail', { id: mine[0]! });
    expect((await fetch(`${base}${seen!.url}`, as('S0001'))).status).toBe(200);
    const supervisors = await ok('S0001', 'clips.thumbnail', { id: mine[0]! });
    await ok('C0001', 'clips.label', {
      target: { clipIds: [mine[0]!] },
      set: { confidentiality: 'privacy' },
    });
    expect((await fetch(`${base}${supervisors!.url}`, as('S0001'))).status).toBe(403);
    await ok('C0001', 'clips.label', {
      target: { clipIds: [mine[0]!] },
      set: { confidentiality: 'none' },
    });
    // A clip without a thumbnail answers null.
    expect(await ok('J0123', 'clips.thumbnail', { id: mine[1]! })).toBeNull();
  });

  it('a playback address stops working when its session ends', async () => {
    const login = await station.dispatcher.dispatch({
      method: 'auth.login',
      params: { badge: 'J0123', password: PASSWORD },
    });
    const token = (login as { value: { token: string } }).value.token;
    const play = await station.dispatcher.dispatch({
      method: 'clips.play',
      params: { id: mine[0] },
      session: token,
    });
    const url = `${server.url.replace(/\/$/, '')}${(play as { value: { url: string } }).value.url}`;
    const claim = await fetch(url, {
      method: 'POST',
      headers: { Origin: server.url.replace(/\/$/, ''), 'X-Evidock-Session': token },
    });
    const page = { Cookie: claim.headers.get('set-cookie')!.split(';')[0]! };
    expect((await fetch(url, { headers: page })).status).toBe(200);
    await station.dispatcher.dispatch({ method: 'auth.logout', params: {}, session: token });
    expect((await fetch(url, { headers: page })).status).toBe(403);
  });

  it('in the desktop app, clips play from the station’s own loopback port', async () => {
    const { close, key } = await station.delivery.listenOnLoopback();
    try {
      const play = await ok('C0001', 'clips.play', { id: mine[0]! });
      expect(play.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/playback\//);
      // The window's requests carry the key the shell adds (electron/policy.ts).
      const page = await claimViewing('C0001', play.url, {
        origin: 'app://evidock',
        headers: { 'X-Evidock-Shell': key },
      });
      const response = await fetch(play.url, { headers: { ...page, Range: 'bytes=0-9' } });
      expect(response.status).toBe(206);
      expect(await response.text()).toBe('0123456789');
      expect((await fetch(play.url.replace(/playback\/.*/, 'index.html'))).status).toBe(404);
      // It answers only requests addressed to it: a name rebound to 127.0.0.1 gets nothing.
      const port = new URL(play.url).port;
      const status = await new Promise<number>((resolve, reject) => {
        request(
          {
            host: '127.0.0.1',
            port,
            path: new URL(play.url).pathname,
            headers: { Host: 'evil.example' },
          },
          (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
          },
        )
          .on('error', reject)
          .end();
      });
      expect(status).toBe(421);
    } finally {
      await close();
    }
  });
});

describe('cases: acts, closing, archiving', () => {
  it('shows the acts that lack footage or a reason, and fills them (D-AV-REQUIRED)', async () => {
    const before = await ok('J0123', 'cases.get', { number: CASE });
    expect(before.acts.filter((a) => a.missing).map((a) => a.act)).toEqual([
      'site-inspection',
      'hearing',
    ]);
    expect(before.case.clips).toBe(3);
    expect(
      await refused('J0123', 'cases.setAct', {
        number: CASE,
        act: 'site-inspection',
        link: [theirs[0]!],
      }),
    ).toMatchObject({ code: 'CONFLICT' });
    await ok('J0123', 'cases.setAct', { number: CASE, act: 'site-inspection', link: [mine[0]!] });
    const after = await ok('J0123', 'cases.setAct', {
      number: CASE,
      act: 'hearing',
      notRecorded: { reason: 'secret-or-privacy', text: '当事人申请不公开听证' },
    });
    expect(after.acts.every((a) => !a.missing)).toBe(true);
    expect(await refused('J0456', 'cases.setAct', { number: CASE, act: 'sampling' })).toMatchObject(
      {
        code: 'NOT_FOUND',
      },
    );
  });

  it('closing sets the archive-by date (close + 30 days); a custodian approves and archives', async () => {
    // Two days on: every session has idled out, so everyone logs in again.
    now = Date.parse('2026-11-24T08:00:00.000Z');
    await loginEveryone();
    const closed = await ok('J0123', 'cases.close', {
      number: CASE,
      closedAt: '2026-11-23T00:00:00Z',
    });
    expect(closed.case).toMatchObject({
      status: 'closed',
      closedAt: '2026-11-23T00:00:00.000Z',
      archiveBy: '2026-12-23T00:00:00.000Z',
    });
    expect(await refused('J0123', 'cases.approve', { number: CASE })).toMatchObject({
      code: 'FORBIDDEN',
    });
    const approved = await ok('C0001', 'cases.approve', { number: CASE });
    expect(approved.case.approvedAt).not.toBeNull();
    const archived = await ok('C0001', 'cases.archive', { number: CASE });
    expect(archived.case.status).toBe('archived');
    const history = (await ok('S0001', 'cases.get', { number: CASE })).history.map((e) => e.action);
    expect(history).toEqual(
      expect.arrayContaining([
        'case.created',
        'case.act.changed',
        'case.closed',
        'case.approved',
        'case.archived',
      ]),
    );
  });
});

describe('the unit decides which label fields are required (D-CONTENT)', () => {
  it('a clip without a required field does not count as labelled until it has it', async () => {
    await ok('C0001', 'policy.set', { key: 'labelRequiredFields', value: ['place', 'stage'] });
    expect(await ok('J0456', 'filing.policy', {})).toMatchObject({
      labelRequiredFields: ['place', 'stage'],
      caseNumberFormat: { example: '金普民宗罚〔2026〕12号' },
    });
    const without = await ok('J0456', 'clips.label', {
      target: { clipIds: [theirs[1]!] },
      set: { caseNumber: null, matter: '夜间巡查', stage: 'investigation' },
    });
    expect(without.clips).toEqual([{ id: theirs[1], labelled: false, missing: ['place'] }]);
    const withIt = await ok('J0456', 'clips.label', {
      target: { clipIds: [theirs[1]!] },
      set: { place: '某小区门口' },
    });
    expect(withIt.clips).toEqual([{ id: theirs[1], labelled: true, missing: [] }]);
    await ok('C0001', 'policy.set', { key: 'labelRequiredFields', value: [] });
    // Labelled once again for the report below: clip 5 stays the one unlabelled clip there.
    await ok('C0001', 'clips.label', {
      target: { clipIds: [theirs[1]!] },
      set: { matter: null },
    });
  });

  it('a case-number format that its own example does not match is refused', async () => {
    expect(
      await refused('C0001', 'policy.set', {
        key: 'caseNumberFormat',
        value: { pattern: '^X\\d+$', example: '金普民宗罚〔2026〕12号' },
      }),
    ).toMatchObject({ code: 'BAD_REQUEST' });
  });

  it('an admin runs accounts, not footage', async () => {
    for (const [method, params] of [
      ['clips.search', {}],
      ['cases.list', {}],
      ['report.compliance', { from: '2026-11-01', to: '2026-11-30' }],
    ] as const) {
      expect(await refused('ADM-1', method, params as never)).toMatchObject({ code: 'FORBIDDEN' });
    }
  });
});

describe('a supervisor reads and reports, and changes nothing', () => {
  it('is refused every change by the station', async () => {
    expect(
      await refused('S0001', 'clips.label', {
        target: { clipIds: [mine[0]!] },
        set: { notes: 'x' },
      }),
    ).toMatchObject({
      code: 'FORBIDDEN',
    });
    expect(
      await refused('S0001', 'cases.create', {
        number: '金普民宗罚〔2026〕13号',
        kind: 'penalty',
        title: 'x',
      }),
    ).toMatchObject({ code: 'FORBIDDEN' });
    expect(await refused('S0001', 'dock.finish', { dockingId: dockingOfMine })).toMatchObject({
      code: 'FORBIDDEN',
    });
    expect(
      await refused('J0123', 'report.compliance', { from: '2026-11-01', to: '2026-11-30' }),
    ).toMatchObject({
      code: 'FORBIDDEN',
    });
  });

  it("the compliance report counts each officer's clips, late custody with and without exception, unlabelled and deferrals", async () => {
    const report = await ok('S0001', 'report.compliance', { from: '2026-11-01', to: '2026-11-30' });
    const byBadge = new Map(report.officers.map((o) => [o.badge, o]));
    expect(byBadge.get('J0123')).toMatchObject({
      clips: 3,
      unlabelled: 0,
      lateCustody: 0,
      deferrals: 0,
    });
    expect(byBadge.get('J0456')).toMatchObject({
      clips: 2,
      unlabelled: 1,
      lateCustody: 2,
      lateCustodyExcepted: 1,
      lateCustodyUnexcepted: 1,
      deferrals: 1,
    });
    expect(report.unit).toMatchObject({ clips: 5, unlabelled: 1, lateCustody: 2, deferrals: 1 });
    const csv = await ok('S0001', 'report.export', {
      from: '2026-11-01',
      to: '2026-11-30',
      format: 'csv',
    });
    expect(csv.fileName).toBe('compliance-2026-11-01_2026-11-30.csv');
    // Downloaded from the station once, on the supervisor's session: the address then stops.
    const download = `${server.url.replace(/\/$/, '')}${csv.url}`;
    const session = { headers: { 'X-Evidock-Session': tokens.get('S0001')! } };
    expect((await fetch(download)).status).toBe(403);
    const response = await fetch(download, session);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-disposition')).toContain('attachment');
    const text = await response.text();
    expect(text).toContain('赵强');
    expect((await fetch(download, session)).status).toBe(403);
    expect(station.audit.list({ limit: 5, action: 'report.exported' }).entries[0]).toMatchObject({
      actor: 'S0001',
    });
  });

  it('counts the clips not in central storage within 24 h of custody, or says there is none (D-24H)', async () => {
    const period = { from: '2026-11-01', to: '2026-11-30' };
    const without = await ok('S0001', 'report.compliance', period);
    expect(without.unit).toMatchObject({ centralTargets: 0, lateCentralStorage: null });
    expect(without.officers.every((o) => o.lateCentralStorage === null)).toBe(true);

    // A shared folder set up on 1 November. J0123's clips came into custody on 20 November at
    // 10:00, J0456's on 22 November at 09:00; the report is made on 24 November, after both 24 h.
    station.catalogue.write((tx) => {
      const target = tx.forwarding.addTarget({
        name: '单位共享文件夹',
        kind: 'folder',
        endpoint: null,
        bucket: null,
        region: null,
        pathStyle: false,
        folderPath: join(dir.path, 'central'),
        prefix: '',
        secretSealed: null,
        concurrency: 2,
        partSize: 8 * 1024 * 1024,
        schedule: { windows: [], otherwise: null },
        readBackPercent: 0,
        addedBy: 'C0001',
        addedAt: '2026-11-01T00:00:00.000Z',
      });
      tx.forwarding.queueNewClips(target, '2026-11-20T10:00:00.000Z');
      const proven = (clip: number, at: string) =>
        tx.forwarding.markVerified(
          tx.forwarding.forClip(clip).find((i) => i.targetId === target.id)!.id,
          at,
          false,
        );
      proven(mine[0]!, '2026-11-20T11:00:00.000Z'); // on time
      proven(mine[1]!, '2026-11-21T10:00:00.001Z'); // a millisecond late
      proven(theirs[0]!, '2026-11-23T09:00:00.000Z'); // exactly 24 h: on time
      // mine[2] and theirs[1]: never proven
    });
    const report = await ok('S0001', 'report.compliance', period);
    expect(report.unit).toMatchObject({ centralTargets: 1, lateCentralStorage: 3 });
    const byBadge = new Map(report.officers.map((o) => [o.badge, o.lateCentralStorage]));
    expect(byBadge.get('J0123')).toBe(2);
    expect(byBadge.get('J0456')).toBe(1);
  });
});

describe('what the station refuses, so that the record stays true', () => {
  it('an officer may not lower a clip’s confidentiality (D-CONFIDENTIAL); a custodian may', async () => {
    const secret = mine[2]!;
    expect(
      await refused('J0123', 'clips.label', {
        target: { clipIds: [secret] },
        set: { confidentiality: 'none' },
      }),
    ).toMatchObject({ code: 'FORBIDDEN' });
    expect(await refused('J0123', 'clips.play', { id: secret })).toMatchObject({
      code: 'FORBIDDEN',
    });
    await ok('C0001', 'clips.label', {
      target: { clipIds: [secret] },
      set: { confidentiality: 'privacy' },
    });
  });

  it('a supervisor’s audit log withholds what the labels of confidential clips say', async () => {
    await ok('C0001', 'clips.label', {
      target: { clipIds: [mine[1]!] },
      set: { notes: '当事人隐私细节' },
    });
    const page = await ok('S0001', 'audit.list', { action: 'clip.labelled', limit: 200 });
    const ofSecret = page.entries.filter((e) => e.subject === `clip:${mine[1]}`);
    expect(ofSecret.length).toBeGreaterThan(0);
    expect(ofSecret.every((e) => e.details.withheld === 'D-CONFIDENTIAL')).toBe(true);
    expect(JSON.stringify(page.entries)).not.toContain('当事人隐私细节');
    const custodian = await ok('C0001', 'audit.list', { action: 'clip.labelled', limit: 200 });
    expect(JSON.stringify(custodian.entries)).toContain('当事人隐私细节');
  });

  it('an officer may not file footage under another officer’s case, nor into an archived one', async () => {
    const theirsCase = '金普民宗罚〔2026〕77号';
    await ok('J0456', 'cases.create', {
      number: theirsCase,
      kind: 'inspection',
      title: '某工地检查',
    });
    // Refused exactly as a case that does not exist: the label form is no way to learn which
    // case numbers other officers hold (the case pages answer NOT_FOUND too).
    const intoTheirs = await refused('J0123', 'clips.label', {
      target: { clipIds: [mine[0]!] },
      set: { caseNumber: theirsCase },
    });
    const noneSuch = '金普民宗罚〔2026〕78号';
    const intoNone = await refused('J0123', 'clips.label', {
      target: { clipIds: [mine[0]!] },
      set: { caseNumber: noneSuch },
    });
    expect(intoTheirs).toMatchObject({ code: 'NOT_FOUND' });
    expect(intoTheirs.message.replace(theirsCase, '#')).toBe(
      intoNone.message.replace(noneSuch, '#'),
    );
    expect(await refused('J0123', 'cases.get', { number: theirsCase })).toMatchObject({
      code: 'NOT_FOUND',
    });
    // mine[0] is in the file of the archived case: it stays there.
    expect(
      await refused('C0001', 'clips.label', {
        target: { clipIds: [mine[0]!] },
        set: { caseNumber: theirsCase },
      }),
    ).toMatchObject({ code: 'CONFLICT' });
    expect(
      await refused('C0001', 'clips.label', {
        target: { clipIds: [theirs[1]!] },
        set: { caseNumber: CASE },
      }),
    ).toMatchObject({ code: 'CONFLICT' });
  });

  it('footage that leaves a case no longer counts for its acts (D-AV-REQUIRED)', async () => {
    const number = '金普民宗罚〔2026〕88号';
    await ok('J0456', 'cases.create', {
      number,
      kind: 'penalty',
      title: '某饭店油烟',
      acts: ['sampling'],
    });
    await ok('J0456', 'clips.label', {
      target: { clipIds: [theirs[1]!] },
      set: { caseNumber: number },
    });
    await ok('J0456', 'cases.setAct', { number, act: 'sampling', link: [theirs[1]!] });
    expect(
      await refused('J0456', 'cases.setAct', {
        number,
        act: 'sampling',
        unlink: [999_999],
        remove: true,
      }),
    ).toMatchObject({ code: 'CONFLICT' });
    await ok('J0456', 'clips.label', {
      target: { clipIds: [theirs[1]!] },
      set: { caseNumber: null },
    });
    const kase = await ok('J0456', 'cases.get', { number });
    expect(kase.case.clips).toBe(0);
    expect(kase.acts).toEqual([
      expect.objectContaining({ act: 'sampling', clipIds: [], missing: true }),
    ]);
  });

  it('a return to the unit after custody, an approval before the opening, a date that does not exist', async () => {
    expect(
      await refused('J0456', 'clips.custodyException', {
        clipIds: [theirs[0]!],
        exception: { kind: 'off-site', returnedAt: '2026-11-23T00:00:00Z', note: null },
      }),
    ).toMatchObject({ code: 'BAD_REQUEST' });
    await ok('J0456', 'cases.create', {
      number: '金普民宗罚〔2026〕99号',
      kind: 'coercion',
      title: '紧急查封',
      emergency: true,
    });
    expect(
      await refused('C0001', 'cases.approve', {
        number: '金普民宗罚〔2026〕99号',
        approvedAt: '2020-01-01T00:00:00Z',
      }),
    ).toMatchObject({ code: 'BAD_REQUEST' });
    expect(
      await refused('J0456', 'cases.close', {
        number: '金普民宗罚〔2026〕99号',
        closedAt: '2031-01-01T00:00:00Z',
      }),
    ).toMatchObject({ code: 'BAD_REQUEST' });
    expect(
      await refused('S0001', 'report.compliance', { from: '2026-02-01', to: '2026-02-30' }),
    ).toMatchObject({
      code: 'BAD_REQUEST',
    });
    expect(
      await refused('S0001', 'report.export', {
        from: '2026-02-01',
        to: '2026-02-30',
        format: 'csv',
      }),
    ).toMatchObject({ code: 'BAD_REQUEST' });
  });

  it('a PDF report without a Chinese font says how to install one; nothing is exported', async () => {
    const before = process.env['EVIDOCK_REPORT_FONT'];
    process.env['EVIDOCK_REPORT_FONT'] = '/no-such-folder/no-such-font-here.ttf';
    try {
      const error = await refused('S0001', 'report.export', {
        from: '2026-11-01',
        to: '2026-11-30',
        format: 'pdf',
      });
      expect(error).toMatchObject({ code: 'CONFLICT' });
      expect(error.message).toMatch(/no-such-font-here\.ttf.*fonts-noto-cjk/s);
    } finally {
      if (before === undefined) delete process.env['EVIDOCK_REPORT_FONT'];
      else process.env['EVIDOCK_REPORT_FONT'] = before;
    }
    const exported = station.audit.list({ limit: 50, action: 'report.exported' }).entries;
    expect(exported.filter((e) => (e.details as { format?: string }).format === 'pdf')).toEqual([]);
  });

  it('"Done" pressed twice at the dock counts one deferral', async () => {
    const late = (await ok('J0456', 'clips.get', { id: theirs[0]! })).clip.dockingId;
    await ok('J0456', 'dock.finish', { dockingId: late, deferReason: '再次点击' });
    const report = await ok('S0001', 'report.compliance', { from: '2026-11-01', to: '2026-11-30' });
    expect(report.officers.find((o) => o.badge === 'J0456')).toMatchObject({ deferrals: 1 });
  });

  it('a change of required fields decides again which clips count as labelled', async () => {
    const unlabelledNow = (await ok('C0001', 'clips.search', { labelled: false })).total;
    await ok('C0001', 'policy.set', { key: 'labelRequiredFields', value: ['officersPresent'] });
    const searched = await ok('C0001', 'clips.search', { labelled: false, limit: 50 });
    expect(searched.total).toBe(5);
    expect(searched.clips.every((c) => !c.filing.labelled)).toBe(true);
    await ok('C0001', 'policy.set', { key: 'labelRequiredFields', value: [] });
    expect((await ok('C0001', 'clips.search', { labelled: false })).total).toBe(unlabelledNow);
  });

  it('a playback address stops working once the clip is made confidential', async () => {
    const clip = theirs[0]!;
    const play = await ok('S0001', 'clips.play', { id: clip });
    const url = `${server.url.replace(/\/$/, '')}${play.url}`;
    const page = await claimViewing('S0001', url);
    expect((await fetch(url, { headers: page })).status).toBe(200);
    await ok('J0456', 'clips.label', {
      target: { clipIds: [clip] },
      set: { confidentiality: 'privacy' },
    });
    expect((await fetch(url, { headers: page })).status).toBe(403);
  });
});
