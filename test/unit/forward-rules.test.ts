// The small rules forwarding rests on: the bandwidth timetable, the retry backoff, the part
// layout and the ETag S3 computes, the timetable as the CLI takes it, and the sealed keys.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { forwardScheduleSchema, prefixSchema, type ForwardSchedule } from '../../src-main/contract';
import { rateLimitAt, retryDelayMs } from '../../src-main/domain';
import { expectedEtag, partCount, partSizeFor } from '../../src-main/forward/multipart';
import { KeyFileSecretBox, SecretUnreadable } from '../../src-main/forward/secret-box';
import { parseRate, parseSchedule } from '../../src-main/station/cli/forward-schedule-option';
import { CliFailure } from '../../src-main/station/cli/output';
import { tempDir } from '../support/temp';

const MiB = 1024 * 1024;
/** Mon–Fri 08:00–18:00 5 MB/s, otherwise unlimited (a MB is 1024 × 1024 bytes, as on screen). */
const MB = 1024 * 1024;
const OFFICE_HOURS: ForwardSchedule = {
  windows: [{ days: [1, 2, 3, 4, 5], from: '08:00', to: '18:00', bytesPerSecond: 5 * MB }],
  otherwise: null,
};
/** A moment in the station's local time: 2026-12-07 is a Monday. */
const at = (day: number, clock: string) =>
  new Date(`2026-12-${String(6 + day).padStart(2, '0')}T${clock}:00`);

describe('the weekly bandwidth timetable', () => {
  it('limits office hours on weekdays and nothing otherwise', () => {
    expect(rateLimitAt(OFFICE_HOURS, at(1, '08:00'))).toBe(5 * MB);
    expect(rateLimitAt(OFFICE_HOURS, at(5, '17:59'))).toBe(5 * MB);
    expect(rateLimitAt(OFFICE_HOURS, at(5, '18:00'))).toBeNull();
    expect(rateLimitAt(OFFICE_HOURS, at(3, '07:59'))).toBeNull();
    expect(rateLimitAt(OFFICE_HOURS, at(6, '10:00'))).toBeNull();
    expect(rateLimitAt(OFFICE_HOURS, at(7, '10:00'))).toBeNull();
  });

  it('takes the first window that holds, and the otherwise limit outside them all', () => {
    const schedule: ForwardSchedule = {
      windows: [
        { days: [1], from: '12:00', to: '13:00', bytesPerSecond: null },
        { days: [1, 2], from: '08:00', to: '18:00', bytesPerSecond: 1_000_000 },
      ],
      otherwise: 20_000_000,
    };
    expect(rateLimitAt(schedule, at(1, '12:30'))).toBeNull();
    expect(rateLimitAt(schedule, at(1, '13:00'))).toBe(1_000_000);
    expect(rateLimitAt(schedule, at(2, '12:30'))).toBe(1_000_000);
    expect(rateLimitAt(schedule, at(3, '12:30'))).toBe(20_000_000);
  });

  it('refuses a window that ends before it starts, or a day that is not one', () => {
    const bad = (window: object) =>
      forwardScheduleSchema.safeParse({ windows: [window], otherwise: null }).success;
    expect(bad({ days: [1], from: '18:00', to: '08:00', bytesPerSecond: 1 })).toBe(false);
    expect(bad({ days: [8], from: '08:00', to: '18:00', bytesPerSecond: 1 })).toBe(false);
    expect(bad({ days: [1], from: '8:00', to: '18:00', bytesPerSecond: 1 })).toBe(false);
    expect(bad({ days: [1], from: '00:00', to: '24:00', bytesPerSecond: 1 })).toBe(true);
  });

  it('is written at the command line as days, hours and a rate', () => {
    expect(parseSchedule(['1-5 08:00-18:00 5MB/s'], 'unlimited')).toEqual(OFFICE_HOURS);
    expect(parseSchedule(['6,7 00:00-24:00 800KiB/s'], '20MB/s')).toEqual({
      windows: [{ days: [6, 7], from: '00:00', to: '24:00', bytesPerSecond: 800 * 1024 }],
      otherwise: 20 * MB,
    });
    expect(parseSchedule(undefined, undefined)).toBeUndefined();
    expect(parseRate('1.5 MB/s', '--otherwise')).toBe(1.5 * MB);
    expect(parseRate('1.5 MiB/s', '--otherwise')).toBe(1.5 * MB);
    expect(() => parseRate('fast', '--otherwise')).toThrow(CliFailure);
    expect(() => parseSchedule(['weekdays 8-18 5MB/s'], undefined)).toThrow(/--window/);
    expect(() => parseSchedule(['5-1 08:00-18:00 5MB/s'], undefined)).toThrow(/forwards/);
  });
});

describe('retries', () => {
  it('back off exponentially, with jitter, up to a cap', () => {
    expect(retryDelayMs(1, 0)).toBe(2_000);
    expect(retryDelayMs(1, 0.999)).toBeLessThanOrEqual(4_000);
    expect(retryDelayMs(3, 0)).toBe(8_000);
    expect(retryDelayMs(30, 0.5)).toBeLessThanOrEqual(15 * 60_000);
    expect(retryDelayMs(30, 0)).toBe(7.5 * 60_000);
    // Two items failing together come back at different moments.
    expect(retryDelayMs(4, 0.1)).not.toBe(retryDelayMs(4, 0.9));
  });
});

describe('multipart uploads', () => {
  it('grow the part size only where a clip would need more than 10,000 parts', () => {
    expect(partSizeFor(1024 * MiB, 16 * MiB)).toBe(16 * MiB);
    expect(partSizeFor(200 * 1024 * MiB, 16 * MiB)).toBe(21 * MiB);
    expect(partCount(200 * 1024 * MiB, 21 * MiB)).toBeLessThanOrEqual(10_000);
    expect(partCount(0, 16 * MiB)).toBe(1);
  });

  it('compute the ETag S3 gives: the MD5 of the parts’ MD5s and their count', () => {
    const parts = [Buffer.alloc(5 * MiB, 1), Buffer.alloc(1000, 2)];
    const md5s = parts.map((p) => createHash('md5').update(p).digest('hex'));
    const whole = createHash('md5')
      .update(Buffer.concat(md5s.map((m) => Buffer.from(m, 'hex'))))
      .digest('hex');
    expect(expectedEtag(md5s, true)).toBe(`${whole}-2`);
    expect(expectedEtag([md5s[0]!], false)).toBe(md5s[0]);
  });

  it('take keys under a prefix of safe folders only', () => {
    expect(prefixSchema.parse('unit-7/station-1')).toBe('unit-7/station-1/');
    // Never the whole bucket: what is open under its prefix a station takes for its own.
    expect(prefixSchema.safeParse('').success).toBe(false);
    expect(prefixSchema.safeParse('../escape/').success).toBe(false);
    expect(prefixSchema.safeParse('/abs/').success).toBe(false);
  });
});

describe('target keys at rest', () => {
  it('are sealed under a 0600 key of the station’s own, and open only with it', () => {
    const dir = tempDir();
    try {
      const keys = join(dir.path, 'keys');
      mkdirSync(keys, { mode: 0o700 });
      const box = new KeyFileSecretBox(keys);
      const secret = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG' };
      const sealed = box.seal(secret);
      expect(sealed.includes(Buffer.from(secret.secretAccessKey))).toBe(false);
      expect(new KeyFileSecretBox(keys).open(sealed)).toEqual(secret);
      expect(statSync(join(keys, 'forward-secrets.key')).mode & 0o777).toBe(0o600);
      // Sealed twice, two different values (a fresh IV each time).
      expect(box.seal(secret).equals(sealed)).toBe(false);
      const edited = Buffer.from(sealed);
      edited[edited.length - 1]! ^= 1;
      expect(() => box.open(edited)).toThrow(SecretUnreadable);
      // Another station's key does not open it.
      writeFileSync(join(keys, 'forward-secrets.key'), Buffer.alloc(32, 9));
      expect(() => new KeyFileSecretBox(keys).open(sealed)).toThrow(/does not match/);
      expect(readFileSync(join(keys, 'forward-secrets.key'))).toHaveLength(32);
    } finally {
      dir.remove();
    }
  });

  it('are sealed under the desktop shell’s keychain key when it hands one over, and no key file is made', () => {
    const dir = tempDir();
    try {
      const keys = join(dir.path, 'keys');
      const secret = { accessKeyId: 'AKID', secretAccessKey: 'secret' };
      const sealed = new KeyFileSecretBox(keys, Buffer.alloc(32, 3)).seal(secret);
      expect(new KeyFileSecretBox(keys, Buffer.alloc(32, 3)).open(sealed)).toEqual(secret);
      expect(existsSync(join(keys, 'forward-secrets.key'))).toBe(false);
      expect(() => new KeyFileSecretBox(keys, Buffer.alloc(32, 4)).open(sealed)).toThrow(
        SecretUnreadable,
      );
    } finally {
      dir.remove();
    }
  });
});
