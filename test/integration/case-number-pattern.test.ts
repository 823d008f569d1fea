// The unit's case-number pattern is a regular expression a custodian types; every case number
// anyone enters is matched against it, on the station's one thread. A pattern that backtracks
// without bound (catastrophic backtracking) would freeze the whole station for everyone on one
// wrong case number. Real station process, real WebSocket RPC.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ok,
  refused,
  seedClip,
  seededStation,
  type SeededStation,
} from '../support/seeded-station';

/** Far beyond a normal answer, far below the freeze (seconds per character more). */
const PROMPTLY_MS = 2_000;
/** An input that the stored pattern takes about ten seconds to refuse on a backtracking engine. */
const ATTACK = `${'a'.repeat(29)}!`;

const PEOPLE = [
  { badge: 'C001', role: 'custodian' },
  { badge: 'P100', role: 'officer' },
] as const;

describe('saving a case-number pattern that backtracks without bound', () => {
  let station: SeededStation;

  beforeAll(async () => {
    station = await seededStation(PEOPLE);
  });
  afterAll(() => station.stop());

  it.each([
    ['^(a+)+$', 'aaa'],
    ['^(a|a)+$', 'aaa'],
    ['^([a-z]+)*$', 'abc'],
    ['^(\\d+)*号$', '12号'],
    ['^[\\p{Script=Han}]+(\\d+\\d+)+号$', '罚12号'],
  ])('is refused, naming the part that does it: %s', async (pattern, example) => {
    const custodian = await station.as('C001');
    const error = await refused(custodian, 'policy.set', {
      key: 'caseNumberFormat',
      value: { pattern, example },
    });
    expect(error.code).toBe('BAD_REQUEST');
    expect(error.message).toMatch(/more than one way/);
    expect(error.details).toMatchObject({
      key: 'caseNumberFormat',
      problem: 'pattern-backtracks',
      fragment: expect.any(String),
    });
    const { policy } = await ok(custodian, 'policy.get', {});
    expect(policy.caseNumberFormat.pattern).not.toBe(pattern);
  });

  it('a pattern that matches each number in one way only is kept', async () => {
    const custodian = await station.as('C001');
    const format = {
      pattern: '^金普民宗罚〔\\d{4}〕\\d{1,5}号$',
      example: '金普民宗罚〔2026〕12号',
    };
    const { policy } = await ok(custodian, 'policy.set', {
      key: 'caseNumberFormat',
      value: format,
    });
    expect(policy.caseNumberFormat).toEqual(format);
  });
});

describe('a backtracking pattern already stored in the catalogue', () => {
  let station: SeededStation;

  beforeAll(async () => {
    // Saved before the station checked patterns (or written into the file directly).
    station = await seededStation(
      PEOPLE,
      (tx) => {
        seedClip(tx, {
          officer: 'P100',
          serial: 'CAM01',
          recordedStart: new Date(Date.now() - 3_600_000).toISOString(),
          custodyAt: new Date().toISOString(),
        });
      },
      (db) => {
        db.prepare('INSERT INTO unit_settings (key, value) VALUES (?, ?)').run(
          'caseNumberFormat',
          JSON.stringify({ pattern: '^(a+)+$', example: 'aaa' }),
        );
      },
    );
  });
  afterAll(() => station.stop());

  it('no longer freezes the station on a long wrong case number', async () => {
    const officer = await station.as('P100');
    const started = Date.now();
    const [created, labelled] = await Promise.all([
      officer.call('cases.create', { number: ATTACK, kind: 'penalty', title: '某案' }),
      officer.call('clips.label', { target: { clipIds: [1] }, set: { caseNumber: ATTACK } }),
    ]);
    const took = Date.now() - started;
    expect(took).toBeLessThan(PROMPTLY_MS);
    expect(created).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    expect(labelled).toMatchObject({ ok: false });
  });

  it('is not used: the default format stands in, and the policy says why', async () => {
    const custodian = await station.as('C001');
    const { policy } = await ok(custodian, 'policy.get', {});
    expect(policy.caseNumberFormat.pattern).not.toBe('^(a+)+$');
    expect(policy.refused).toEqual([
      expect.objectContaining({
        key: 'caseNumberFormat',
        problem: expect.stringMatching(/more than one way/),
      }),
    ]);
  });
});
