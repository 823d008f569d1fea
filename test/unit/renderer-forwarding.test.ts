// The Forwarding screen's words and numbers: the timetable in both languages, limits typed in
// MB/s as the contract's bytes a second, and the time left at the queue's rate (D-24H).
import { createInstance, type TFunction } from 'i18next';
import { describe, expect, it } from 'vitest';
import type { TargetQueue } from '../../src-main/contract';
import { forwardScheduleSchema } from '../../src-main/contract';
import {
  bytesPerSecondOf,
  daysText,
  etaSeconds,
  MB,
  mbPerSecondOf,
  scheduleFields,
  scheduleOf,
  scheduleSummary,
  waitedPastDay,
} from '../../src-renderer/features/forwarding/forwardingFormat';
import en from '../../src-renderer/i18n/en.json';
import zhCN from '../../src-renderer/i18n/zh-CN.json';

function translator(language: 'zh-CN' | 'en'): TFunction {
  const i18n = createInstance();
  void i18n.init({
    resources: { 'zh-CN': { translation: zhCN }, en: { translation: en } },
    lng: language,
    fallbackLng: false,
    initAsync: false,
    interpolation: { escapeValue: false },
  });
  return i18n.t;
}

const zh = translator('zh-CN');
const english = translator('en');

const counts = (clips: number, bytes: number) => ({ clips, bytes });
function queue(over: Partial<TargetQueue> = {}): TargetQueue {
  return {
    target: 'central',
    enabled: true,
    stopped: null,
    queued: counts(0, 0),
    uploading: counts(0, 0),
    uploaded: counts(0, 0),
    verified: counts(0, 0),
    failed: counts(0, 0),
    oldestWaiting: null,
    rate: 0,
    ...over,
  };
}

describe('forwarding timetable words', () => {
  it('names runs of days as ranges and the rest one by one', () => {
    expect(daysText(zh, [1, 2, 3, 4, 5])).toBe('周一至周五');
    expect(daysText(zh, [6, 7])).toBe('周六、周日');
    expect(daysText(zh, [7, 1, 3, 4, 5])).toBe('周一、周三至周五、周日');
    expect(daysText(zh, [1, 2, 3, 4, 5, 6, 7])).toBe('每天');
    expect(daysText(english, [1, 2, 3, 4, 5])).toBe('Mon–Fri');
    expect(daysText(english, [6, 7])).toBe('Sat, Sun');
  });

  it('says the whole week in one line: each window, then any other time', () => {
    const schedule = {
      windows: [{ days: [1, 2, 3, 4, 5], from: '08:00', to: '18:00', bytesPerSecond: 5 * MB }],
      otherwise: null,
    };
    expect(scheduleSummary(zh, schedule)).toBe(
      '周一至周五 08:00–18:00 限速 5 MB/s；其他时间不限速',
    );
    expect(scheduleSummary(english, schedule)).toBe(
      'Mon–Fri 08:00–18:00 5 MB/s; otherwise unlimited',
    );
    expect(scheduleSummary(zh, { windows: [], otherwise: null })).toBe('全天不限速');
    expect(scheduleSummary(zh, { windows: [], otherwise: 2.5 * MB })).toBe('全天限速 2.5 MB/s');
    expect(scheduleSummary(english, { windows: [], otherwise: MB })).toBe('1 MB/s at all times');
  });
});

describe('forwarding limits', () => {
  it('turns MB/s typed in the editor into bytes a second and back; empty is no limit', () => {
    expect(bytesPerSecondOf(5)).toBe(5 * MB);
    expect(bytesPerSecondOf(0.5)).toBe(MB / 2);
    expect(bytesPerSecondOf(null)).toBeNull();
    expect(bytesPerSecondOf(undefined)).toBeNull();
    expect(bytesPerSecondOf(0)).toBeNull();
    expect(mbPerSecondOf(5 * MB)).toBe(5);
    expect(mbPerSecondOf(1_000_000)).toBe(0.95);
    expect(mbPerSecondOf(null)).toBeNull();
  });

  it('gives the contract a timetable it accepts, and shows a stored one as it was typed', () => {
    const fields = {
      windows: [{ days: [5, 1, 3], from: ' 08:00', to: '18:00 ', mbPerSecond: 5 }],
      otherwise: null,
    };
    const schedule = scheduleOf(fields);
    expect(schedule).toEqual({
      windows: [{ days: [1, 3, 5], from: '08:00', to: '18:00', bytesPerSecond: 5 * MB }],
      otherwise: null,
    });
    expect(forwardScheduleSchema.safeParse(schedule).success).toBe(true);
    expect(scheduleFields(schedule)).toEqual({
      windows: [{ days: [1, 3, 5], from: '08:00', to: '18:00', mbPerSecond: 5 }],
      otherwise: null,
    });
    expect(scheduleOf(undefined)).toEqual({ windows: [], otherwise: null });
  });
});

describe('forwarding queue figures', () => {
  it('estimates the time left from the bytes queued and uploading over the rate', () => {
    const waiting = queue({
      queued: counts(3, 30 * MB),
      uploading: counts(1, 10 * MB),
      uploaded: counts(1, 99 * MB),
      verified: counts(9, 900 * MB),
      failed: counts(2, 500 * MB),
      rate: 4 * MB,
    });
    expect(etaSeconds(waiting)).toBe(10);
    expect(etaSeconds(queue({ verified: counts(9, 900 * MB) }))).toBe(0);
  });

  it('knows no time left while nothing moves, or the target is off or stopped', () => {
    const queued = { queued: counts(1, MB), rate: MB };
    expect(etaSeconds(queue({ ...queued, rate: 0 }))).toBeNull();
    expect(etaSeconds(queue({ ...queued, enabled: false }))).toBeNull();
    const stopped = { code: 'InvalidAccessKeyId', reason: 'bad key', at: '2026-11-22T05:00:00Z' };
    expect(etaSeconds(queue({ ...queued, stopped }))).toBeNull();
  });

  it('flags a clip waiting more than a day since custody (D-24H)', () => {
    const now = Date.parse('2026-11-23T06:00:00Z');
    expect(waitedPastDay('2026-11-22T05:59:00Z', now)).toBe(true);
    expect(waitedPastDay('2026-11-22T06:01:00Z', now)).toBe(false);
    expect(waitedPastDay(null, now)).toBe(false);
  });
});
