import { SIDECAR_SUFFIX } from '../archive';

/**
 * File names on a recorder are untrusted input: they become part of the archive path and of
 * what the UI shows, so each is checked byte by byte before anything else looks at it.
 */

export type NameCheck =
  | { ok: true; name: string }
  | { ok: false; code: 'invalid-utf8-name' | 'unsafe-name'; reason: string; display: string };

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** C0, DEL and C1 controls: invisible, and some terminals and logs act on them. */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/u;
/** Bidirectional overrides make `gpj.exe` read as `exe.jpg`. */
const BIDI = /[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]/u;
const DRIVE = /^[A-Za-z]:/;
/** Characters NTFS refuses and names Windows reserves for devices. */
const WINDOWS_FORBIDDEN = /[<>:"|?*]/;
const WINDOWS_DEVICE = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(\.|$)/i;
/**
 * The archive keeps a recorder's name and adds to it: `~N` when the name is taken, and the
 * sidecar `.evidock.json` beside it. Both must stay within the 255 bytes file systems allow, or
 * the clip could be copied but never archived.
 */
const MAX_NAME_BYTES = 255 - SIDECAR_SUFFIX.length - '~999999'.length;

/** A printable rendering of any name: invalid bytes as \xNN, controls as \uNNNN. */
export function displayName(raw: Buffer): string {
  let out = '';
  let i = 0;
  while (i < raw.length) {
    const length = sequenceLength(raw, i);
    if (length === 0) {
      out += `\\x${raw[i]!.toString(16).padStart(2, '0')}`;
      i += 1;
      continue;
    }
    const ch = raw.toString('utf8', i, i + length);
    out +=
      CONTROL.test(ch) || BIDI.test(ch)
        ? `\\u${ch.codePointAt(0)!.toString(16).padStart(4, '0')}`
        : ch === '\\'
          ? '\\\\'
          : ch;
    i += length;
  }
  return out;
}

/** Length of the valid UTF-8 sequence starting at `i`, or 0 when the bytes there are invalid. */
function sequenceLength(raw: Buffer, i: number): number {
  for (const length of [1, 2, 3, 4]) {
    if (i + length > raw.length) break;
    try {
      strictUtf8.decode(raw.subarray(i, i + length));
      return length;
    } catch {
      // try a longer sequence
    }
  }
  return 0;
}

/**
 * Accepts a single path component only if it is valid UTF-8 and cannot escape, hide or fake a
 * path: no `..`, no separators, nothing absolute, no control or bidirectional characters.
 */
export function checkName(raw: Buffer, platform: NodeJS.Platform = process.platform): NameCheck {
  let name: string;
  try {
    name = strictUtf8.decode(raw);
  } catch {
    // Refused with its own finding below: the name is not valid UTF-8.
    return {
      ok: false,
      code: 'invalid-utf8-name',
      reason: 'the name is not valid UTF-8',
      display: displayName(raw),
    };
  }
  const unsafe = (reason: string): NameCheck => ({
    ok: false,
    code: 'unsafe-name',
    reason,
    display: displayName(raw),
  });
  if (name.length === 0) return unsafe('the name is empty');
  if (CONTROL.test(name)) return unsafe('the name contains control characters');
  if (BIDI.test(name)) return unsafe('the name contains bidirectional override characters');
  if (name === '.' || name === '..') return unsafe('the name is a relative path step');
  if (name.includes('/') || name.includes('\\'))
    return unsafe('the name contains a path separator');
  // `..x` is harmless on its own, but joined naively it reads as a parent-folder step.
  if (name.startsWith('..')) return unsafe('the name begins with .., a parent-folder step');
  if (DRIVE.test(name)) return unsafe('the name looks like an absolute Windows path');
  if (raw.length > MAX_NAME_BYTES) {
    return unsafe(
      `the name is longer than ${MAX_NAME_BYTES} bytes, too long to archive with its sidecar`,
    );
  }
  if (platform === 'win32') {
    if (WINDOWS_FORBIDDEN.test(name)) return unsafe('the name has characters Windows forbids');
    if (WINDOWS_DEVICE.test(name)) return unsafe('the name is a Windows device name');
    if (/[. ]$/.test(name)) return unsafe('Windows would drop the trailing dot or space');
  }
  return { ok: true, name };
}
