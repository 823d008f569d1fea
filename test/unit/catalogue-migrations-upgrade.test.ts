// Upgrading a catalogue a station has been using. For every schema version, a real catalogue file
// is built as a station of that version left it (each version's migration, then the rows that
// version wrote, in its own SQL: test/fixtures/catalogue-versions.ts), closed, and opened the way
// the station opens it today. Nothing the old station wrote may be lost or altered beyond what the
// migrations declare, SQLite must find the file sound, and what the newer schema adds (labels,
// full text, triggers, cases, the compliance report) must work on the old rows.
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Catalogue } from '../../src-main/catalogue/catalogue';
import type { ClipSearchFilters } from '../../src-main/catalogue/clip-search';
import type { LabelInput } from '../../src-main/catalogue/labels';
import { MIGRATIONS } from '../../src-main/catalogue/migrations';
import type { MigrationOutcome } from '../../src-main/catalogue/migrate';
import { CATALOGUE_FILE } from '../../src-main/catalogue/open';
import { isUnitPolicyKey } from '../../src-main/contract';
import { AuditLog } from '../../src-main/custody/audit-log';
import { CONTINUITY_CODES } from '../../src-main/domain';
import {
  buildCatalogue,
  columnsOf,
  expectedAfterUpgrade,
  keyOf,
  primaryKey,
  snapshot,
  storedTables,
  type Snapshot,
} from '../fixtures/catalogue-upgrade';
import { badgeKey, CATALOGUE_VERSIONS, type Row } from '../fixtures/catalogue-versions';
import { tempDir } from '../support/temp';

const LATEST = MIGRATIONS.length;
const VERSIONS = MIGRATIONS.map((m) => m.version);
const AT = '2026-12-10T02:00:00.000Z';
const RETENTION = { now: AT, dailyYears: 2, caseFileYears: 30 };

function schemaOf(db: Database.Database): unknown[] {
  return db
    .prepare('SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name')
    .all();
}

const LABEL: LabelInput = {
  caseNumber: null,
  matter: '占道经营',
  kind: 'inspection',
  stage: 'investigation',
  place: '中山路农贸市场',
  parties: ['王芳'],
  partyIds: [],
  officersPresent: [],
  confidentiality: 'none',
  notes: '当事人拒绝签字',
  longTerm: null,
};

describe('the catalogues of earlier versions', () => {
  it('are described for every schema version, in order', () => {
    expect(
      CATALOGUE_VERSIONS.map((v) => v.version),
      'test/fixtures/catalogue-versions.ts needs an entry for every migration: the rows its ' +
        'version writes, and what it does to the rows of earlier versions',
    ).toEqual(VERSIONS);
  });
});

describe.each(VERSIONS)('a catalogue left at schema version %i', (k) => {
  const dir = tempDir('evidock-upgrade-');
  const file = join(dir.path, CATALOGUE_FILE);
  let old: Snapshot;
  let want: Snapshot;
  let opened: { catalogue: Catalogue; migration: MigrationOutcome };
  let catalogue: Catalogue;
  let db: Database.Database;

  beforeAll(() => {
    buildCatalogue(file, k);
    const before = new Database(file);
    old = snapshot(before);
    before.close();
    want = expectedAfterUpgrade(old, k);
    opened = Catalogue.open(file);
    catalogue = opened.catalogue;
    db = catalogue.db;
  });

  afterAll(() => {
    if (catalogue?.isOpen) catalogue.close();
    dir.remove();
  });

  let ingested: { id: number; docking: number } | undefined;

  /** An old clip; a catalogue from before clips gets one now, for one of its old officers. */
  function anOldClip(which: (clip: Row) => boolean = () => true): { id: number; docking: number } {
    const clip = (want.tables['clips'] ?? []).find(which);
    if (clip) return { id: Number(clip['id']), docking: Number(clip['docking_id']) };
    ingested ??= ingestForAnOldOfficer();
    return ingested;
  }

  function ingestForAnOldOfficer(): { id: number; docking: number } {
    const officer = String(old.tables['users']?.find((u) => u['role'] === 'officer')?.['badge']);
    // The dock knows the badge in another spelling than the users table's.
    const docked =
      officer === officer.toUpperCase() ? officer.toLowerCase() : officer.toUpperCase();
    catalogue.write((tx) =>
      tx.recorders.register(
        { serial: 'DSJ-NEW-0001', profileId: 'dsj-standard', officerBadge: officer },
        'ADMIN',
        AT,
      ),
    );
    const docking = catalogue.write((tx) =>
      tx.dockings.start(
        {
          recorderSerial: 'DSJ-NEW-0001',
          officerBadge: docked,
          identifiedBy: 'assigned',
          mountpoint: '/media/evidock/NEW',
        },
        AT,
      ),
    );
    const inserted = catalogue.write((tx) =>
      tx.clips.insertVerified({
        recorderSerial: 'DSJ-NEW-0001',
        dockingId: docking.id,
        originalPath: 'DCIM/NEW0001.MP4',
        originalSize: 1000,
        originalMtime: AT,
        kind: 'video',
        sha256: 'f'.repeat(64),
        sm3: null,
        archivePath: 'archive/NEW0001.MP4',
        officerBadge: docked,
        sequence: 1,
        recordedStart: AT,
        recordedStartSource: 'container',
        recordedEnd: null,
        recordedEndSource: null,
        durationMs: 1000,
        width: null,
        height: null,
        codec: null,
        custodyAt: AT,
        clockOffsetMs: null,
        clockOffsetSource: null,
      }),
    );
    // Stored as the users table spells the badge, whatever spelling the dock used.
    expect(inserted.officerBadge).toBe(officer);
    return { id: inserted.id, docking: docking.id };
  }

  it('is opened at the newest version, running only the migrations it lacked', () => {
    expect(opened.migration).toEqual({
      from: k,
      to: LATEST,
      applied: MIGRATIONS.slice(k).map((m) => m.name),
    });
    expect(db.pragma('user_version', { simple: true })).toBe(LATEST);
  });

  it('keeps every row the old station wrote, changed only as the migrations declare', () => {
    const now = storedTables(db);
    for (const [table, rows] of Object.entries(want.tables)) {
      expect(now, `the table ${table} of version ${k} is gone after the upgrade`).toContain(table);
      const undeclared = columnsOf(db, table).filter((c) => !want.columns[table]?.includes(c));
      expect(
        undeclared,
        `${table} has columns that are new since version ${k}; say in ` +
          'test/fixtures/catalogue-versions.ts (upgrade) what an old row holds in them',
      ).toEqual([]);
      const pk = primaryKey(db, table);
      const found = new Map(
        db
          .prepare<[], Row>(`SELECT * FROM "${table}"`)
          .all()
          .map((row) => [keyOf(row, pk), row]),
      );
      for (const row of rows) {
        const key = keyOf(row, pk);
        expect(found.get(key), `${table} ${key}, written at version ${k}`).toEqual(row);
      }
    }
  });

  // Where migration 0004 ran over clips at the upgrade, its changes checked by hand as well.
  if (k >= 2 && k < 4) {
    it('spells old clips’ badges as the users table does, and flags their late custody (0004)', () => {
      const clip = db.prepare<[number], Row>(
        'SELECT officer_badge, late_custody, labelled FROM clips WHERE id = ?',
      );
      expect(clip.get(2001)).toEqual({ officer_badge: 'A100', late_custody: 1, labelled: 0 });
      expect(clip.get(2002)).toEqual({ officer_badge: 'A100', late_custody: 0, labelled: 0 });
      expect(clip.get(2003)).toEqual({ officer_badge: 'b200', late_custody: 1, labelled: 0 });
      expect(clip.get(2004)).toEqual({ officer_badge: null, late_custody: 0, labelled: 0 });
      expect(clip.get(2005)).toEqual({ officer_badge: 'X999', late_custody: 0, labelled: 0 });
      if (k >= 3) {
        expect(clip.get(3001)).toEqual({ officer_badge: 'A100', late_custody: 1, labelled: 0 });
        expect(clip.get(3003)).toEqual({ officer_badge: 'E500', late_custody: 0, labelled: 0 });
      }
      // Recorders and dockings keep the badge as it was typed; they compare case-insensitively.
      expect(
        db
          .prepare("SELECT officer_badge FROM recorders WHERE serial = 'DSJ-A1-0001'")
          .pluck()
          .get(),
      ).toBe('a100');
    });
  }

  it('is sound: integrity, foreign keys, full-text index, and the schema a new catalogue has', () => {
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(db.pragma('foreign_key_check')).toEqual([]);
    expect(() =>
      db
        .prepare(
          "INSERT INTO clip_label_text (clip_label_text, rank) VALUES ('integrity-check', 1)",
        )
        .run(),
    ).not.toThrow();
    const fresh = Catalogue.open(':memory:').catalogue.db;
    expect(schemaOf(db)).toEqual(schemaOf(fresh));
    fresh.close();
  });

  it('keeps its audit chain whole, and the chain goes on from its old head', () => {
    const log = new AuditLog(catalogue, () => new Date(AT));
    const entries = old.tables['audit_log'] ?? [];
    const head = entries[entries.length - 1]!;
    expect(log.verify()).toMatchObject({ ok: true, entries: entries.length, headSeq: head['seq'] });

    const next = log.record({
      actor: 'station',
      action: 'catalogue.migrated',
      subject: 'catalogue',
      details: { ...opened.migration },
    });
    expect(next).toMatchObject({ seq: Number(head['seq']) + 1, prevHash: head['hash'] });
    expect(log.verify()).toMatchObject({ ok: true, entries: entries.length + 1 });
    expect(() => db.prepare("UPDATE audit_log SET actor = 'x' WHERE seq = 1").run()).toThrow(
      /append-only/,
    );
    expect(() => db.prepare('DELETE FROM audit_log WHERE seq = 1').run()).toThrow(/append-only/);
  });

  it('reads the unit policy the old station stored', () => {
    const settings = catalogue.settings;
    expect(settings.problems()).toEqual([]);
    const policy = settings.policy();
    for (const { key, value } of (old.tables['unit_settings'] ?? []) as {
      key: string;
      value: string;
    }[]) {
      expect(isUnitPolicyKey(key), key).toBe(true);
      if (isUnitPolicyKey(key)) expect(policy[key], key).toEqual(JSON.parse(value));
    }
  });

  it('reports the old clips per officer, whatever the spelling of their badges', () => {
    const report = catalogue.compliance({
      from: '2026-01-01T00:00:00.000Z',
      to: '2027-01-01T00:00:00.000Z',
      asOf: AT,
      now: AT,
      archiveDays: 30,
    });
    const clips = want.tables['clips'] ?? [];
    const dockings = want.tables['dockings'] ?? [];
    const findings = want.tables['docking_findings'] ?? [];
    const users = old.tables['users'] ?? [];
    const badges = [...clips, ...dockings]
      .map((r) => r['officer_badge'])
      .filter((b): b is string => typeof b === 'string' && b !== '');
    const keys = [...new Set(badges.map(badgeKey))].sort();
    const of = (row: Row, key: string) =>
      typeof row['officer_badge'] === 'string' && badgeKey(row['officer_badge']) === key;
    const expected = keys.map((key) => {
      const user = users.find((u) => badgeKey(String(u['badge'])) === key);
      const mine = clips.filter((c) => of(c, key));
      const docked = dockings.filter((d) => of(d, key)).map((d) => d['id']);
      return {
        badge: user?.['badge'] ?? badges.find((b) => badgeKey(b) === key),
        name: user?.['name'] ?? null,
        clips: mine.length,
        dockings: docked.length,
        lateCustody: mine.filter((c) => c['late_custody'] === 1).length,
        unlabelled: mine.filter((c) => c['labelled'] === 0).length,
        continuityFindings: findings.filter(
          (f) =>
            docked.includes(f['docking_id']) &&
            (CONTINUITY_CODES as readonly unknown[]).includes(f['code']),
        ).length,
      };
    });
    expect(
      report.officers.map((o) => ({
        badge: o.badge,
        name: o.name,
        clips: o.clips,
        dockings: o.dockings,
        lateCustody: o.lateCustody,
        unlabelled: o.unlabelled,
        continuityFindings: o.continuityFindings,
      })),
    ).toEqual(expected);
    expect(report.unit.clips).toBe(clips.length);
  });

  it('labels an old clip, finds it by full text, and follows a change of its label', () => {
    const { id } = anOldClip((c) => c['labelled'] === 0);
    const search = catalogue.search;
    const found = (text: string) => {
      const filters: ClipSearchFilters = {
        text,
        sort: 'recorded',
        order: 'desc',
        limit: 50,
        offset: 0,
      };
      return search.search(filters, RETENTION).clipIds;
    };

    catalogue.write((tx) => tx.labels.save(id, LABEL, true, 'A100', AT));
    expect(db.prepare('SELECT labelled FROM clips WHERE id = ?').pluck().get(id)).toBe(1);
    expect(found('农贸市场')).toContain(id);
    expect(found('占道经营')).toEqual([id]);
    // A two-character word (a name) is found through the index's vocabulary.
    expect(found('王芳')).toEqual([id]);

    catalogue.write((tx) =>
      tx.labels.save(id, { ...LABEL, matter: '夜间施工噪声' }, true, 'A100', AT),
    );
    expect(found('占道经营')).toEqual([]);
    expect(found('施工噪声')).toEqual([id]);
    expect(() =>
      db
        .prepare(
          "INSERT INTO clip_label_text (clip_label_text, rank) VALUES ('integrity-check', 1)",
        )
        .run(),
    ).not.toThrow();
  });

  it('flags an old clip late when a late-custody finding names it', () => {
    const { id, docking } = anOldClip((c) => c['late_custody'] === 0);
    const before = db.prepare('SELECT late_custody FROM clips WHERE id = ?').pluck().get(id);
    expect(before).toBe(0);
    catalogue.write((tx) =>
      tx.dockings.addFinding(
        docking,
        { code: 'late-custody', message: 'stored 30 h after the recording ended', clipId: id },
        AT,
      ),
    );
    expect(db.prepare('SELECT late_custody FROM clips WHERE id = ?').pluck().get(id)).toBe(1);
  });

  it('files an old clip under a case act, its officer an old user', () => {
    const { id } = anOldClip();
    const officer = String(old.tables['users']?.find((u) => u['role'] === 'officer')?.['badge']);
    catalogue.write((tx) =>
      tx.cases.create(
        {
          number: '金普交罚〔2026〕9号',
          kind: 'penalty',
          title: '某运输公司超限运输案',
          openedAt: AT,
          handlingOfficer: officer,
          emergency: false,
        },
        officer,
        AT,
      ),
    );
    const act = catalogue.write((tx) => tx.cases.addAct('金普交罚〔2026〕9号', 'seizure'));
    catalogue.write((tx) => tx.cases.linkClip(act, id));
    expect(catalogue.cases.acts('金普交罚〔2026〕9号')).toMatchObject([
      { act: 'seizure', clipIds: [id] },
    ]);
    expect(db.pragma('foreign_key_check')).toEqual([]);
  });
});
