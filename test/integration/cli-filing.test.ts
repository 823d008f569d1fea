// `evidock clips label|search`, `cases create|show|close` and `report compliance` as a custodian,
// an officer or a supervisor runs them: the built program in its own process, a real data dir,
// clips ingested from a folder laid out like a recorder.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli';
import { testVolume, type TestVolume } from '../support/ingest-station';
import { confirmWaitingRolesByCli } from '../support/role-grants';
import { tempDir } from '../support/temp';

const PW = {
  A001: 'admin pass 1',
  C001: 'custodian pass 1',
  P100: 'officer pass 1',
  S001: 'supervisor pass 1',
} as const;
const CASE = '金普民宗罚〔2026〕12号';

interface SearchDocument {
  total: number;
  clips: { id: number; officerBadge: string; filing: { labelled: boolean; label: unknown } }[];
}

let dir: ReturnType<typeof tempDir>;
let volume: TestVolume;
const at = (...args: string[]): string[] => [...args, '--data-dir', dir.path, '--json'];
const as = (badge: keyof typeof PW, ...args: string[]) =>
  runCli(at(...args, '--user', badge), `${PW[badge]}\n`);
let clipIds: number[] = [];

beforeAll(async () => {
  dir = tempDir();
  volume = testVolume();
  await runCli(
    at('users', 'add', '--badge', 'A001', '--name', '管理', '--role', 'admin'),
    `${PW.A001}\n`,
  );
  for (const [badge, role] of [
    ['C001', 'custodian'],
    ['P100', 'officer'],
    ['S001', 'supervisor'],
  ] as const) {
    const added = await runCli(
      at('users', 'add', '--badge', badge, '--name', `${role}者`, '--role', role, '--user', 'A001'),
      `${PW.A001}\n${PW[badge]}\n`,
    );
    expect(added.code, added.stdout).toBe(0);
  }
  // The supervisor's role waits for the custodian, the station's first (D-CUSTODIAN).
  await confirmWaitingRolesByCli(dir.path, 'C001', PW.C001);
  expect(
    (
      await as(
        'C001',
        'recorders',
        'register',
        '--serial',
        'CAM01',
        '--profile',
        'generic-dcim',
        '--officer',
        'P100',
      )
    ).code,
  ).toBe(0);
  for (const n of [1, 2, 3]) volume.add({ path: `DCIM/100MEDIA/CLIP000${n}.MP4`, size: 2000 + n });
  const ingest = await as('P100', 'ingest', volume.root, '--recorder', 'CAM01');
  expect(ingest.code, ingest.stdout + ingest.stderr).toBe(0);
  clipIds = (ingest.json() as { clips: { id: number }[] }).clips.map((c) => c.id);
}, 120_000);

afterAll(() => {
  volume?.remove();
  dir?.remove();
});

describe('evidock clips, cases and report', () => {
  it('searches need a login; an officer finds their unlabelled clips', async () => {
    const anonymous = await runCli(at('clips', 'search', '--unlabelled'));
    expect(anonymous.code).not.toBe(0);
    expect(anonymous.json()).toMatchObject({ error: { code: 'UNAUTHENTICATED' } });
    const run = await as('P100', 'clips', 'search', '--unlabelled', '--officer', 'P100');
    expect(run.code, run.stdout).toBe(0);
    const doc = run.json() as SearchDocument;
    expect(doc.total).toBe(3);
    expect(doc.clips.map((c) => c.id).sort()).toEqual([...clipIds].sort());
    expect(doc.clips.every((c) => !c.filing.labelled)).toBe(true);
  });

  it('refuses a case number in the wrong format with the example, then opens the case', async () => {
    const bad = await as(
      'P100',
      'cases',
      'create',
      '--number',
      '罚2026-12',
      '--kind',
      'penalty',
      '--title',
      't',
    );
    expect(bad.code).not.toBe(0);
    expect(bad.json()).toMatchObject({ error: { code: 'BAD_REQUEST' } });
    expect(JSON.stringify(bad.json())).toContain('金普民宗罚〔2026〕12号');
    const made = await as(
      'P100',
      'cases',
      'create',
      '--number',
      CASE,
      '--kind',
      'penalty',
      '--title',
      '某商户无证经营',
      '--acts',
      'site-inspection,hearing',
    );
    expect(made.code, made.stdout).toBe(0);
    expect(made.json()).toMatchObject({
      case: { number: CASE, handlingOfficer: 'P100', status: 'open' },
    });
  });

  it('labels clips in bulk; bad flags say what is wrong; a supervisor may not label', async () => {
    const both = await as(
      'P100',
      'clips',
      'label',
      String(clipIds[0]),
      '--case',
      CASE,
      '--no-case',
    );
    expect(both.json()).toMatchObject({ error: { code: 'BAD_REQUEST' } });
    const kind = await as(
      'P100',
      'clips',
      'label',
      String(clipIds[0]),
      '--case',
      CASE,
      '--kind',
      'fine',
    );
    expect(JSON.stringify(kind.json())).toContain('--kind must be one of');
    const supervisor = await as('S001', 'clips', 'label', String(clipIds[0]), '--case', CASE);
    expect(supervisor.json()).toMatchObject({ error: { code: 'FORBIDDEN' } });
    const run = await as(
      'P100',
      'clips',
      'label',
      ...clipIds.map(String),
      '--case',
      CASE,
      '--stage',
      'investigation',
      '--place',
      '金普新区某农贸市场',
      '--parties',
      '张三、李四',
    );
    expect(run.code, run.stdout).toBe(0);
    expect(run.json(), run.stdout).toMatchObject({ updated: 3, labelled: 3 });
    const found = (await as('C001', 'clips', 'search', '--case', CASE)).json() as SearchDocument;
    expect(found.total).toBe(3);
    const text = (
      await as('C001', 'clips', 'search', '--text', '农贸市场')
    ).json() as SearchDocument;
    expect(text.total).toBe(3);
    const none = (await as('P100', 'clips', 'search', '--unlabelled')).json() as SearchDocument;
    expect(none.total).toBe(0);
  });

  it('shows a case with its missing acts and closes it with an archive-by date', async () => {
    const shown = await runCli(
      ['cases', 'show', '--number', CASE, '--user', 'S001', '--data-dir', dir.path],
      `${PW.S001}\n`,
    );
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.stdout).toContain('site-inspection: MISSING');
    const closed = await as('P100', 'cases', 'close', '--number', CASE);
    expect(closed.code, closed.stdout).toBe(0);
    const doc = closed.json() as { case: { closedAt: string; archiveBy: string } };
    expect(Date.parse(doc.case.archiveBy) - Date.parse(doc.case.closedAt)).toBe(30 * 86_400_000);
  });

  it('writes the compliance report as JSON, CSV and PDF; an officer may not', async () => {
    const today = new Date();
    const day = (d: Date) =>
      `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
    const from = day(new Date(today.getTime() - 40 * 86_400_000));
    const to = day(today);
    const officer = await as('P100', 'report', 'compliance', '--from', from, '--to', to);
    expect(officer.json()).toMatchObject({ error: { code: 'FORBIDDEN' } });
    const json = await runCli(
      [
        'report',
        'compliance',
        '--from',
        from,
        '--to',
        to,
        '--user',
        'S001',
        '--data-dir',
        dir.path,
      ],
      `${PW.S001}\n`,
    );
    expect(json.code, json.stderr).toBe(0);
    const report = json.json() as {
      unit: { clips: number; unlabelled: number };
      officers: { badge: string; clips: number; unlabelled: number; lateCustody: number }[];
    };
    expect(report.unit).toMatchObject({ clips: 3, unlabelled: 0 });
    expect(report.officers).toEqual([
      expect.objectContaining({ badge: 'P100', clips: 3, unlabelled: 0, lateCustody: 0 }),
    ]);
    const csvFile = join(dir.path, 'report.csv');
    const csv = await as(
      'S001',
      'report',
      'compliance',
      '--from',
      from,
      '--to',
      to,
      '--format',
      'csv',
      '--out',
      csvFile,
    );
    expect(csv.code, csv.stdout).toBe(0);
    expect(readFileSync(csvFile, 'utf8')).toContain('P100');
    const pdfFile = join(dir.path, 'report.pdf');
    const pdf = await as(
      'C001',
      'report',
      'compliance',
      '--from',
      from,
      '--to',
      to,
      '--format',
      'pdf',
      '--out',
      pdfFile,
    );
    expect(pdf.code, pdf.stdout).toBe(0);
    expect(existsSync(pdfFile)).toBe(true);
    expect(readFileSync(pdfFile).subarray(0, 5).toString()).toBe('%PDF-');
    const audit = (await runCli(at('audit', 'list', '--action', 'report.exported'))).json() as {
      entries: { actor: string }[];
    };
    expect(audit.entries.map((e) => e.actor)).toEqual(['C001', 'S001']);
  });
});
