// Signed checkpoints of the audit chain (rule D-NO-TAMPER): when they are made, that the hundredth
// entry and its checkpoint commit together, and that the checkpoint log outside the catalogue
// gets every checkpoint, in order, even across processes and after a crash.
import { appendFileSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Catalogue } from '../../src-main/catalogue/catalogue';
import { CATALOGUE_FILE } from '../../src-main/catalogue/open';
import type { AuditLog } from '../../src-main/custody/audit-log';
import { checkpointLine, parseCheckpointLine } from '../../src-main/custody/checkpoint-format';
import { CHECKPOINT_LOG_FILE } from '../../src-main/custody/checkpoint-log';
import { CHECKPOINT_HOURLY_MS, type AuditCheckpoints } from '../../src-main/custody/checkpoints';
import { openStationAudit } from '../../src-main/custody/station-audit';
import { testClock, thrownBy, type TestClock } from '../support/core-station';
import { tempDir } from '../support/temp';

let dir: ReturnType<typeof tempDir>;
let clock: TestClock;
const opened: Catalogue[] = [];
const errors: string[] = [];

interface Opened {
  catalogue: Catalogue;
  audit: AuditLog;
  checkpoints: AuditCheckpoints;
}

function open(): Opened {
  const { catalogue } = Catalogue.open(join(dir.path, CATALOGUE_FILE));
  opened.push(catalogue);
  return {
    catalogue,
    ...openStationAudit({
      dataDir: dir.path,
      catalogue,
      now: clock.now,
      onError: (message) => errors.push(message),
      requireKeys: true,
    }),
  };
}

function append(audit: AuditLog, count: number): void {
  for (let i = 0; i < count; i += 1) {
    clock.advanceSeconds(1);
    audit.record({ actor: 'P100', action: 'clip.played', subject: `clip:${i}` });
  }
}

const logLines = () =>
  readFileSync(join(dir.path, CHECKPOINT_LOG_FILE), 'utf8').split('\n').filter(Boolean);
const logSeqs = () => logLines().map((line) => parseCheckpointLine(line).seq);

beforeEach(() => {
  dir = tempDir('evidock-checkpoints-');
  clock = testClock('2026-12-01T08:00:00.000Z');
  errors.length = 0;
});
afterEach(() => {
  for (const catalogue of opened.splice(0)) catalogue.close();
  dir.remove();
});

describe('when the chain is sealed', () => {
  it('every hundredth entry, in the transaction that appends it; the log line once it commits', () => {
    const { catalogue, audit } = open();
    append(audit, 98); // entries #2–#99 (#1 recorded the keys)
    expect(catalogue.checkpoints.newest()?.headSeq).toBe(1);

    // The change that the hundredth entry records fails: neither commits, nor a line is written.
    expect(
      thrownBy(() =>
        catalogue.write((tx) => {
          audit.append(tx, { actor: 'P100', action: 'clip.played', subject: 'clip:x' });
          throw new Error('the change it recorded failed');
        }),
      ),
    ).toMatchObject({ message: 'the change it recorded failed' });
    expect(catalogue.checkpoints.newest()?.seq).toBe(1);
    expect(logSeqs()).toEqual([1]);

    append(audit, 1);
    const newest = catalogue.checkpoints.newest()!;
    expect(newest).toMatchObject({ seq: 2, headSeq: 100, reason: 'entries' });
    expect(newest.headHash).toBe(catalogue.audit.head()!.hash);
    expect(logLines()).toEqual(catalogue.checkpoints.all().map(checkpointLine));
    expect(errors).toEqual([]);
  });

  it('every hour that saw entries, and not in an hour that saw none', () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const { catalogue, audit, checkpoints } = open();
    const stop = checkpoints.everyHour();
    try {
      vi.advanceTimersByTime(CHECKPOINT_HOURLY_MS);
      expect(catalogue.checkpoints.all()).toHaveLength(1); // the keys' own, nothing since
      append(audit, 3);
      vi.advanceTimersByTime(CHECKPOINT_HOURLY_MS - 1);
      expect(catalogue.checkpoints.all()).toHaveLength(1);
      vi.advanceTimersByTime(1);
      vi.advanceTimersByTime(CHECKPOINT_HOURLY_MS);
      expect(catalogue.checkpoints.all().map((c) => [c.reason, c.headSeq])).toEqual([
        ['keys-created', 1],
        ['hourly', 4],
      ]);
    } finally {
      stop();
      vi.useRealTimers();
    }
  });

  it('at a stop of a process that appended entries, unless the head is sealed already', () => {
    const { catalogue, audit, checkpoints } = open();
    append(audit, 5);
    expect(checkpoints.sealOnClose()).toBe(true);
    expect(checkpoints.sealOnClose()).toBe(false);
    // A process that only reads (a verify, say) signs nothing as it stops.
    expect(open().checkpoints.sealOnClose()).toBe(false);
    expect(catalogue.checkpoints.all().map((c) => [c.reason, c.headSeq])).toEqual([
      ['keys-created', 1],
      ['stop', 6],
    ]);
    expect(audit.verify()).toMatchObject({
      ok: true,
      checkpoints: { count: 2, last: { seq: 2, headSeq: 6, reason: 'stop' } },
    });
  });
});

describe('the checkpoint log', () => {
  it('two connections sealing in turn write one log, numbered in order', () => {
    const a = open();
    const b = open();
    for (let i = 0; i < 6; i += 1) {
      const side = i % 2 === 0 ? a : b;
      append(side.audit, 1);
      side.checkpoints.sealHead('hourly');
    }
    expect(logSeqs()).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(a.audit.verify()).toMatchObject({ ok: true });
  });

  it('gets, with the next checkpoint, the lines a crash kept out; a line cut short is dropped', () => {
    const { catalogue, audit, checkpoints } = open();
    append(audit, 2);
    checkpoints.sealHead('hourly');
    append(audit, 2);
    checkpoints.sealHead('hourly');
    const whole = readFileSync(join(dir.path, CHECKPOINT_LOG_FILE), 'utf8');
    const lines = logLines();
    // A crash after checkpoint #3 committed, half-way through writing its line.
    truncateSync(
      join(dir.path, CHECKPOINT_LOG_FILE),
      Buffer.byteLength(whole) - Buffer.byteLength(lines[2]!) + 40 - 1,
    );
    expect(audit.verify().findings.map((f) => [f.code, f.checkpointSeq])).toEqual([
      ['log-lines-lost', 3],
    ]);

    append(audit, 1);
    checkpoints.sealHead('hourly');
    expect(logSeqs()).toEqual([1, 2, 3, 4]);
    expect(logLines()).toEqual(catalogue.checkpoints.all().map(checkpointLine));
    expect(audit.verify()).toMatchObject({ ok: true });
  });

  it('a checkpoint number issued far past the rest is named as one run, not counted out', () => {
    const { catalogue, audit } = open();
    catalogue.db
      .prepare("UPDATE sqlite_sequence SET seq = 1000000000000 WHERE name = 'audit_checkpoints'")
      .run();
    const started = Date.now();
    expect(audit.verify().findings).toEqual([
      expect.objectContaining({
        code: 'table-cut',
        checkpointSeq: 2,
        message: expect.stringContaining('#2–#1000000000000'),
      }),
    ]);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('a line that is not a checkpoint is named, by its line number', () => {
    const { audit } = open();
    appendFileSync(join(dir.path, CHECKPOINT_LOG_FILE), 'hello\n');
    expect(audit.verify().findings).toEqual([
      expect.objectContaining({
        code: 'log-unreadable',
        message: expect.stringContaining('line 2'),
      }),
    ]);
  });

  it('an emptied log file is named as lost lines, the catalogue still holding the checkpoints', () => {
    const { audit } = open();
    writeFileSync(join(dir.path, CHECKPOINT_LOG_FILE), '');
    expect(audit.verify().findings).toEqual([
      expect.objectContaining({ code: 'log-lines-lost', checkpointSeq: 1 }),
    ]);
  });
});
