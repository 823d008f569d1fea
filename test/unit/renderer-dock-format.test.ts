import { createInstance, type TFunction } from 'i18next';
import { describe, expect, it } from 'vitest';
import {
  abbreviateHash,
  baseName,
  formatBytes,
  formatBytesOf,
  formatDuration,
  formatEta,
  formatOffset,
  formatRate,
  formatResolution,
  percentDone,
} from '../../src-renderer/shared/format';
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
const MB = 1024 * 1024;

describe('Dock screen numbers', () => {
  it('write sizes in 1024-based units with two or three significant digits', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(1023)).toBe('1023 B');
    expect(formatBytes(1024)).toBe('1 KB');
    expect(formatBytes(1536)).toBe('1.5 KB');
    expect(formatBytes(12.34 * MB)).toBe('12.3 MB');
    expect(formatBytes(350 * MB)).toBe('350 MB');
    expect(formatBytes(1.25 * 1024 * MB)).toBe('1.25 GB');
    expect(formatBytes(3 * 1024 * 1024 * MB)).toBe('3 TB');
    // Just under a unit never reads "1024 KB".
    expect(formatBytes(MB - 1)).toBe('1 MB');
    expect(formatBytes(-1)).toBe('—');
    expect(formatBytes(Number.NaN)).toBe('—');
    expect(formatBytes(null)).toBe('—');
  });

  it('write done / total with the unit once when both share it', () => {
    expect(formatBytesOf(1.2 * 1024 * MB, 3.4 * 1024 * MB)).toBe('1.2 / 3.4 GB');
    expect(formatBytesOf(500 * MB, 2 * 1024 * MB)).toBe('500 MB / 2 GB');
    expect(formatBytesOf(0, 0)).toBe('0 / 0 B');
  });

  it('write the copy rate in MB/s and nothing when nothing moves', () => {
    expect(formatRate(42.3 * MB)).toBe('42.3 MB/s');
    expect(formatRate(120 * MB)).toBe('120 MB/s');
    expect(formatRate(1.5 * MB)).toBe('1.5 MB/s');
    expect(formatRate(0.5 * MB)).toBe('0.5 MB/s');
    expect(formatRate(1000)).toBe('< 0.1 MB/s');
    expect(formatRate(0)).toBe('—');
    expect(formatRate(Number.POSITIVE_INFINITY)).toBe('—');
    expect(formatRate(null)).toBe('—');
  });

  it('write the time left in the UI language, rounding up', () => {
    expect(formatEta(zh, null)).toBe('—');
    expect(formatEta(zh, 0)).toBe('不到 1 秒');
    expect(formatEta(zh, 0.2)).toBe('1 秒');
    expect(formatEta(zh, 44.1)).toBe('45 秒');
    expect(formatEta(zh, 185)).toBe('3 分 05 秒');
    expect(formatEta(zh, 3725)).toBe('1 小时 02 分');
    expect(formatEta(english, 0)).toBe('< 1 s');
    expect(formatEta(english, 59)).toBe('59 s');
    expect(formatEta(english, 60)).toBe('1 min 00 s');
    expect(formatEta(english, 7200)).toBe('2 h 00 min');
    expect(formatEta(english, -5)).toBe('—');
  });

  it('write a clip length as a clock reading', () => {
    expect(formatDuration(5000)).toBe('0:05');
    expect(formatDuration(4600)).toBe('0:05');
    expect(formatDuration(750_000)).toBe('12:30');
    expect(formatDuration(3_723_000)).toBe('1:02:03');
    expect(formatDuration(null)).toBe('—');
  });

  it('write a clock offset signed, ahead as +', () => {
    expect(formatOffset(zh, 12_000)).toBe('+12 秒');
    expect(formatOffset(zh, -2_345)).toBe('−2.3 秒');
    expect(formatOffset(english, 0)).toBe('±0 s');
    expect(formatOffset(english, 400)).toBe('+0.4 s');
    expect(formatOffset(english, -3_600_000 - 5 * 60_000)).toBe('−1 h 05 min');
    expect(formatOffset(english, 95_000)).toBe('+1 min 35 s');
  });

  it('abbreviate a SHA-256 to 8…4 hex digits', () => {
    const hash = 'a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e9f0e';
    expect(abbreviateHash(hash)).toBe('a1b2c3d4…9f0e');
    expect(abbreviateHash('abc')).toBe('abc');
  });

  it('give whole percents, never 100 before the end', () => {
    expect(percentDone(0, 0)).toBe(0);
    expect(percentDone(50, 200)).toBe(25);
    expect(percentDone(999, 1000)).toBe(99);
    expect(percentDone(1000, 1000)).toBe(100);
    expect(percentDone(1200, 1000)).toBe(100);
  });

  it('name files and resolutions', () => {
    expect(baseName('DCIM/100MEDIA/CLIP0001.MP4')).toBe('CLIP0001.MP4');
    expect(baseName('DCIM\\CLIP0002.MP4')).toBe('CLIP0002.MP4');
    expect(formatResolution(1920, 1080)).toBe('1920×1080');
    expect(formatResolution(null, null)).toBe('—');
  });
});
