// What the audit log tells each session, pushed and listed alike (D-CONFIDENTIAL, D-NO-LEAK,
// D-SUPERVISION). The attack: a supervisor's and an admin's pages stay open over the real
// WebSocket while an officer files a clip as personal privacy; whatever the station pushes them
// must say no more than what `audit.list` answers them, and neither may say what the label says.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../src-main/contract';
import { openFilingStation, PASSWORD, type FilingStation } from '../support/filing-station';
import { SocketClient } from '../support/socket-client';

const SECRET_NOTES = '当事人隐私细节：家中情况';
const SECRET_PARTY = '王某某';
const SECRET_ID = '210211199001011234';
const SECRET_MATTER = '家庭纠纷调解';
const RETURN_NOTE = '连续执勤，返回单位时间见值班记录';
const ORDINARY_NOTES = '普通路面巡查';

let filing: FilingStation;
let privacyClip: number;
let ordinaryClip: number;
const sockets: SocketClient[] = [];

async function session(badge: string): Promise<SocketClient> {
  const client = await SocketClient.open(filing.server.url, filing.origin);
  await client.login(badge, PASSWORD);
  sockets.push(client);
  return client;
}

function pushedEntries(client: SocketClient): AuditEntry[] {
  return client.events
    .filter((e) => e.name === 'audit.appended')
    .map((e) => (e.payload as { entry: AuditEntry }).entry);
}

async function listed(client: SocketClient): Promise<AuditEntry[]> {
  const result = await client.call('audit.list', { limit: 500 });
  if (!result.ok) throw new Error(result.error.message);
  return (result.value as { entries: AuditEntry[] }).entries;
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 150));

beforeAll(async () => {
  filing = await openFilingStation();
  privacyClip = filing.addClip('J0123', Buffer.from('privacy footage'));
  ordinaryClip = filing.addClip('J0123', Buffer.from('ordinary footage'));
});

afterAll(async () => {
  for (const client of sockets) client.close();
  await filing?.close();
});

describe('audit entries pushed while an officer files a privacy clip', () => {
  let supervisor: SocketClient;
  let admin: SocketClient;
  let custodian: SocketClient;

  beforeAll(async () => {
    supervisor = await session('S0001');
    admin = await session('ADM-1');
    custodian = await session('C0001');
    for (const client of [supervisor, admin, custodian]) client.events.length = 0;

    await filing.ok('J0123', 'clips.label', {
      target: { clipIds: [privacyClip] },
      set: {
        confidentiality: 'privacy',
        matter: SECRET_MATTER,
        notes: SECRET_NOTES,
        parties: [SECRET_PARTY],
        partyIds: [SECRET_ID],
      },
    });
    await filing.ok('J0123', 'clips.label', {
      target: { clipIds: [privacyClip] },
      set: { notes: `${SECRET_NOTES}（补充）` },
    });
    await filing.ok('J0123', 'clips.custodyException', {
      clipIds: [privacyClip],
      exception: {
        kind: 'continuous-duty',
        returnedAt: '2026-11-22T08:00:00.000Z',
        note: RETURN_NOTE,
      },
    });
    await filing.ok('J0123', 'clips.play', { id: privacyClip });
    await filing.ok('J0123', 'clips.label', {
      target: { clipIds: [ordinaryClip] },
      set: { notes: ORDINARY_NOTES, matter: '道路巡查' },
    });
    await settle();
  });

  it('a supervisor is pushed exactly what audit.list tells them, and no word of the privacy label', async () => {
    const pushed = pushedEntries(supervisor);
    const aboutPrivacy = pushed.filter((e) => e.subject === `clip:${privacyClip}`);
    // They learn that it happened (D-SUPERVISION), not what was written (D-CONFIDENTIAL).
    expect(aboutPrivacy.map((e) => e.action)).toEqual([
      'clip.labelled',
      'clip.labelled',
      'clip.custody.excepted',
      'clip.played',
    ]);
    for (const entry of aboutPrivacy) expect(entry.details).toEqual({ withheld: 'D-CONFIDENTIAL' });
    const text = JSON.stringify(pushed);
    for (const secret of [SECRET_NOTES, SECRET_PARTY, SECRET_MATTER, RETURN_NOTE, '1234']) {
      expect(text).not.toContain(secret);
    }
    // An ordinary clip's history stays readable for oversight.
    expect(text).toContain(ORDINARY_NOTES);

    const list = new Map((await listed(supervisor)).map((e) => [e.seq, e]));
    for (const entry of pushed) expect(entry).toEqual(list.get(entry.seq));
  });

  it('an admin runs accounts: no footage-related details, pushed or listed', async () => {
    const pushed = pushedEntries(admin);
    const footage = pushed.filter((e) => /^(clip|case):/.test(e.subject));
    expect(footage.length).toBeGreaterThanOrEqual(5);
    for (const entry of footage) expect(entry.details).toEqual({ withheld: 'D-NO-LEAK' });
    const text = JSON.stringify(pushed);
    for (const secret of [SECRET_NOTES, SECRET_PARTY, SECRET_MATTER, RETURN_NOTE, ORDINARY_NOTES]) {
      expect(text).not.toContain(secret);
    }

    const everything = await listed(admin);
    const listText = JSON.stringify(everything);
    for (const secret of [SECRET_NOTES, SECRET_PARTY, SECRET_MATTER, RETURN_NOTE, ORDINARY_NOTES]) {
      expect(listText).not.toContain(secret);
    }
    const list = new Map(everything.map((e) => [e.seq, e]));
    for (const entry of pushed) expect(entry).toEqual(list.get(entry.seq));
    // What admins are there for stays readable: everything not about footage, as the custodian
    // reads it (logins, accounts).
    const whole = new Map((await listed(custodian)).map((e) => [e.seq, e]));
    const notFootage = everything.filter((e) => !/^(clip|case):/.test(e.subject));
    expect(notFootage.some((e) => e.action === 'auth.login')).toBe(true);
    for (const entry of notFootage) expect(entry).toEqual(whole.get(entry.seq));
  });

  it('a custodian, who runs the archive, reads the whole history', async () => {
    const text = JSON.stringify(pushedEntries(custodian));
    expect(text).toContain(SECRET_NOTES);
    expect(text).toContain(RETURN_NOTE);
  });

  it('what a lowering of confidentiality recorded stays withheld from a supervisor', async () => {
    supervisor.events.length = 0;
    await filing.ok('C0001', 'clips.label', {
      target: { clipIds: [privacyClip] },
      set: { confidentiality: 'none', notes: '已脱敏' },
    });
    await settle();
    const [lowered] = pushedEntries(supervisor).filter(
      (e) => e.subject === `clip:${privacyClip}` && e.action === 'clip.labelled',
    );
    // Its "before" is the privacy label: that is what confidentiality rules protect.
    expect(lowered?.details).toEqual({ withheld: 'D-CONFIDENTIAL' });
    const list = new Map((await listed(supervisor)).map((e) => [e.seq, e]));
    expect(list.get(lowered!.seq)).toEqual(lowered);
  });
});

describe('an admin reads no footage-related details of dockings, the archive or look-alikes', () => {
  const SERIAL = 'CAMSECRET01';
  const FILE = 'VID_20261121_0931.MP4';
  const PATH = `2026/11/21/${SERIAL}/${FILE}`;
  const REATTRIBUTED = '记录仪实为赵警官当班使用';
  const DEFERRED = '现场处置当事人隐私纠纷，晚些标注';
  const QUARANTINED = '归档目录中出现未登记的文件';
  const LOOKALIKE = '非本单位配发的存储设备';
  const FACT = '1A2B-3C4D';

  it('dockings, integrity problems, quarantines and look-alike decisions: withheld, pushed or listed', async () => {
    const admin = await session('ADM-1');
    const supervisor = await session('S0001');
    const custodian = await session('C0001');
    for (const client of [admin, supervisor, custodian]) client.events.length = 0;
    const record = (action: string, subject: string, details: Record<string, unknown>) =>
      filing.station.audit.record({
        actor: 'C0001',
        action: action as never,
        subject,
        details,
      });
    record('docking.reattributed', 'docking:7', {
      recorderSerial: SERIAL,
      reason: REATTRIBUTED,
      before: { officerBadge: 'J0456', identifiedBy: 'badge-pin' },
      after: { officerBadge: 'J0123', identifiedBy: 'reattributed' },
    });
    record('docking.labels.deferred', 'docking:7', {
      officerBadge: 'J0123',
      clips: 3,
      reason: DEFERRED,
    });
    record('integrity.problem', `archive:${PATH}`, {
      code: 'uncatalogued',
      archivePath: PATH,
      message: `${FILE} is in the archive but not in the catalogue`,
    });
    record('archive.quarantined', `archive:${PATH}`, {
      archivePath: PATH,
      movedTo: `quarantine/${FILE}`,
      reason: QUARANTINED,
    });
    record('recorder.lookalike.refused', `recorder:${SERIAL}`, {
      lookalikeId: 1,
      reason: LOOKALIKE,
    });
    record('recorder.bound', `recorder:${SERIAL}`, {
      facts: { usbVendorId: 0x2a3c, usbProductId: 0x1001, usbSerial: SERIAL, fsUuid: FACT },
      first: true,
      device: '/dev/sdb',
    });
    record('user.pin.set', 'user:J0123', { badge: 'J0123' });
    await settle();

    const pushed = pushedEntries(admin);
    const everything = await listed(admin);
    for (const [what, entries] of [
      ['pushed', pushed],
      ['listed', everything],
    ] as const) {
      const text = JSON.stringify(entries);
      for (const secret of [REATTRIBUTED, DEFERRED, QUARANTINED, LOOKALIKE, FILE, FACT]) {
        expect(text, `${what}: ${secret}`).not.toContain(secret);
      }
    }
    // Each still says that it happened (D-SUPERVISION), and why it says no more.
    expect(pushed.map((e) => e.action)).toEqual([
      'docking.reattributed',
      'docking.labels.deferred',
      'integrity.problem',
      'archive.quarantined',
      'recorder.lookalike.refused',
      'recorder.bound',
      'user.pin.set',
    ]);
    for (const entry of pushed.slice(0, 6)) {
      expect(entry.details, entry.action).toEqual({ withheld: 'D-NO-LEAK' });
    }
    const list = new Map(everything.map((e) => [e.seq, e]));
    for (const entry of pushed) expect(entry).toEqual(list.get(entry.seq));
    // Accounts stay readable, as the custodian reads them.
    const whole = new Map((await listed(custodian)).map((e) => [e.seq, e]));
    expect(pushed.at(-1)).toEqual(whole.get(pushed.at(-1)!.seq));

    // Supervisors oversee the dockings and the archive: the reasons stay theirs to read, the
    // facts a recorder is bound to do not (they would let a stick pass as the recorder).
    const supervised = JSON.stringify(await listed(supervisor));
    for (const reason of [REATTRIBUTED, DEFERRED, QUARANTINED, LOOKALIKE]) {
      expect(supervised).toContain(reason);
    }
    expect(supervised).not.toContain(FACT);
  });
});
