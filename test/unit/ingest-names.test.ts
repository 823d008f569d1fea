// File names from a recorder are untrusted: each is checked byte by byte before it can become
// part of an archive path or reach the screen.
import { describe, expect, it } from 'vitest';
import { checkName, displayName } from '../../src-main/ingest/names';

const ok = (name: string) => checkName(Buffer.from(name, 'utf8'), 'linux');

describe('checkName', () => {
  it.each(['FILE0001.MP4', '执法记录_20261121.mp4', 'a..b.mp4', '.hidden.mp4', 'clip (1).mov'])(
    'accepts %s',
    (name) => {
      expect(ok(name)).toEqual({ ok: true, name });
    },
  );

  it.each([
    ['..', 'relative path step'],
    ['.', 'relative path step'],
    ['..\\..\\evil.mp4', 'path separator'],
    ['..evil.mp4', 'begins with ..'],
    ['C:\\Windows\\x.mp4', 'path separator'],
    ['C:x.mp4', 'absolute Windows path'],
    ['a\u0000b.mp4', 'control characters'],
    ['line\nbreak.mp4', 'control characters'],
    ['bell\u0007.mp4', 'control characters'],
    ['esc\u001b[31m.mp4', 'control characters'],
    ['c1\u0085.mp4', 'control characters'],
    ['gpj\u202e4pm.exe', 'bidirectional'],
    ['', 'empty'],
  ])('refuses %j (%s)', (name, reason) => {
    const result = ok(name);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.code).toBe('unsafe-name');
      expect(result.reason).toContain(reason);
      // eslint-disable-next-line no-control-regex -- the displayed name must carry none
      expect(result.display).not.toMatch(/[\u0000-\u001f\u202e]/);
    }
  });

  it('refuses invalid UTF-8 and shows the bytes escaped', () => {
    const raw = Buffer.concat([Buffer.from('bad'), Buffer.from([0xff, 0xfe]), Buffer.from('.mp4')]);
    const result = checkName(raw, 'linux');
    expect(result).toEqual({
      ok: false,
      code: 'invalid-utf8-name',
      reason: 'the name is not valid UTF-8',
      display: 'bad\\xff\\xfe.mp4',
    });
  });

  it('refuses overlong encodings and lone surrogates (not valid UTF-8)', () => {
    expect(checkName(Buffer.from([0xc0, 0xaf]), 'linux').ok).toBe(false); // overlong '/'
    expect(checkName(Buffer.from([0xed, 0xa0, 0x80]), 'linux').ok).toBe(false); // U+D800
  });

  it('refuses names longer than 255 bytes', () => {
    expect(ok('中'.repeat(86) + '.mp4').ok).toBe(false);
  });

  it('on Windows also refuses reserved characters, device names and trailing dots', () => {
    for (const name of ['a:b.mp4', 'what?.mp4', 'CON', 'nul.mp4', 'clip.mp4.', 'clip.mp4 ']) {
      expect(checkName(Buffer.from(name), 'win32').ok, name).toBe(false);
      expect(checkName(Buffer.from(name), 'linux').ok || name.startsWith('a:'), name).toBe(true);
    }
  });
});

describe('displayName', () => {
  it('keeps printable text and escapes the rest', () => {
    expect(displayName(Buffer.from('执法\u0001x\\y'))).toBe('执法\\u0001x\\\\y');
    expect(displayName(Buffer.from([0x41, 0xe4, 0xb8]))).toBe('A\\xe4\\xb8');
  });
});
