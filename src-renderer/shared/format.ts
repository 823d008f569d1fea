import type { TFunction } from 'i18next';

/**
 * Numbers on the Dock screen. Sizes use 1024-based units written KB/MB/GB, as the workstation's
 * file manager shows them, so an officer can compare the two.
 */

const UNITS = ['B', 'KB', 'MB', 'GB', 'TB'] as const;
const MIB = 1024 * 1024;

/** Placeholder for a value that is not known (yet). */
export const UNKNOWN = '—';

/** Three significant digits at most, no trailing zeros: 1.25, 12.3, 350, 2. */
function decimals(value: number): string {
  const places = value >= 100 ? 0 : value >= 10 ? 1 : 2;
  return String(Number(value.toFixed(places)));
}

export function formatBytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined || !Number.isFinite(bytes) || bytes < 0) return UNKNOWN;
  if (bytes < 1024) return `${Math.round(bytes)} B`;
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  // 1023.96 KB would round to "1024 KB": say "1 MB" instead.
  if (Number(decimals(value)) >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${decimals(value)} ${UNITS[unit]}`;
}

/** "done / total" with one unit when both share it ("1.2 / 3.4 GB"), else each with its own. */
export function formatBytesOf(done: number, total: number): string {
  const a = formatBytes(done);
  const b = formatBytes(total);
  const unitA = a.split(' ')[1];
  const unitB = b.split(' ')[1];
  if (unitA !== undefined && unitA === unitB) return `${a.split(' ')[0]} / ${b}`;
  return `${a} / ${b}`;
}

/** Copy rate in MB/s (bytes per second in); nothing moving shows as unknown. */
export function formatRate(bytesPerSecond: number | null | undefined): string {
  if (
    bytesPerSecond === null ||
    bytesPerSecond === undefined ||
    !Number.isFinite(bytesPerSecond) ||
    bytesPerSecond <= 0
  ) {
    return UNKNOWN;
  }
  const mb = bytesPerSecond / MIB;
  if (mb < 0.1) return '< 0.1 MB/s';
  return `${decimals(mb)} MB/s`;
}

/** A span of time in words of the UI language ("3 分 05 秒", "3 min 05 s"). */
export function formatSpan(t: TFunction, seconds: number): string {
  if (seconds < 60) {
    const s = seconds < 10 && !Number.isInteger(seconds) ? seconds.toFixed(1) : Math.round(seconds);
    return t('dock.span.seconds', { s });
  }
  const whole = Math.round(seconds);
  if (whole < 3600) {
    const m = Math.floor(whole / 60);
    return t('dock.span.minutes', { m, s: String(whole % 60).padStart(2, '0') });
  }
  const h = Math.floor(whole / 3600);
  const m = Math.floor((whole % 3600) / 60);
  return t('dock.span.hours', { h, m: String(m).padStart(2, '0') });
}

/** Time left at the current rate; null is unknown. */
export function formatEta(t: TFunction, seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds) || seconds < 0) {
    return UNKNOWN;
  }
  const whole = Math.ceil(seconds);
  if (whole < 1) return t('dock.span.lessThanSecond');
  return formatSpan(t, whole);
}

/** A clip's length as a clock reading: 0:05, 12:30, 1:02:03. */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms) || ms < 0) return UNKNOWN;
  const total = Math.round(ms / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const ss = String(s).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

export function formatResolution(width: number | null, height: number | null): string {
  return width !== null && height !== null ? `${width}×${height}` : UNKNOWN;
}

/** A hash short enough for a table cell and long enough to compare by eye: 8…4 hex digits. */
export function abbreviateHash(hash: string): string {
  return hash.length <= 14 ? hash : `${hash.slice(0, 8)}…${hash.slice(-4)}`;
}

/** Whole percent of work done, 0–100, never 100 before it is all done. */
export function percentDone(done: number, total: number): number {
  if (!(total > 0) || !(done > 0)) return 0;
  if (done >= total) return 100;
  return Math.min(99, Math.floor((done / total) * 100));
}

/**
 * A clock offset, signed: "+12 s" means the recorder's clock is ahead of the station's.
 * Offsets under 10 s keep one decimal.
 */
export function formatOffset(t: TFunction, ms: number): string {
  const sign = ms > 0 ? '+' : ms < 0 ? '−' : '±';
  const abs = Math.round(Math.abs(ms) / 100) / 10;
  return `${sign}${formatSpan(t, abs)}`;
}

/** The file name of a path from the recorder, whichever separator it uses. */
export function baseName(path: string): string {
  const parts = path.split(/[\\/]/);
  return parts[parts.length - 1] || path;
}

/** A USB vendor or product id as four hex digits. */
export function hex4(value: number): string {
  return value.toString(16).padStart(4, '0');
}

/** Four hex digits (0x allowed) back to the id; null when it is not one. */
export function parseHex4(text: string): number | null {
  return /^(0x)?[0-9a-f]{1,4}$/i.test(text.trim())
    ? Number.parseInt(text.trim().replace(/^0x/i, ''), 16)
    : null;
}
