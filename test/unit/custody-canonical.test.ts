// The canonical encoding every audit hash is computed over (rule D-NO-TAMPER): the same facts
// must always give the same bytes, and what cannot be written faithfully must be refused.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../src-main/custody/canonical';

describe('canonicalJson', () => {
  it('the order in which an object was built does not change its encoding', () => {
    const a = { subject: 'clip:42', actor: 'A100', details: { from: 1, to: 2 } };
    const b = { details: { to: 2, from: 1 }, actor: 'A100', subject: 'clip:42' };

    expect(canonicalJson(a)).toBe(canonicalJson(b));
    expect(canonicalJson(a)).toBe(
      '{"actor":"A100","details":{"from":1,"to":2},"subject":"clip:42"}',
    );
  });

  it('nested objects and arrays are sorted at every depth, arrays keep their order, no whitespace', () => {
    const value = {
      z: [3, 1, 2],
      a: { y: { b: true, a: null }, x: ['b', 'a'] },
    };
    expect(canonicalJson(value)).toBe('{"a":{"x":["b","a"],"y":{"a":null,"b":true}},"z":[3,1,2]}');
  });

  it('an undefined field is left out, as if it were never set; undefined in an array becomes null', () => {
    expect(canonicalJson({ a: 1, b: undefined })).toBe(canonicalJson({ a: 1 }));
    expect(canonicalJson({ nested: { keep: 'x', drop: undefined } })).toBe(
      '{"nested":{"keep":"x"}}',
    );
    expect(canonicalJson([1, undefined, 3])).toBe('[1,null,3]');
  });

  it('plain values encode as JSON does', () => {
    expect(canonicalJson(null)).toBe('null');
    expect(canonicalJson(true)).toBe('true');
    expect(canonicalJson(0)).toBe('0');
    expect(canonicalJson(-12.5)).toBe('-12.5');
    expect(canonicalJson('say "hi"\n')).toBe('"say \\"hi\\"\\n"');
    expect(canonicalJson({})).toBe('{}');
    expect(canonicalJson([])).toBe('[]');
  });

  it.each([
    ['NaN', { size: Number.NaN }],
    ['Infinity', { size: Number.POSITIVE_INFINITY }],
    ['-Infinity', { size: Number.NEGATIVE_INFINITY }],
    ['a function', { callback: () => 1 }],
    ['a bigint', { bytes: 10n }],
    ['a symbol', { tag: Symbol('x') }],
  ])('%s is refused rather than silently changed', (_label, value) => {
    expect(() => canonicalJson(value)).toThrow(TypeError);
  });

  it('a refusal names where the bad value is', () => {
    expect(() => canonicalJson({ clip: { sizes: [1, Number.NaN] } })).toThrow(
      /value\.clip\.sizes\[1\]/,
    );
  });

  it('Chinese text is kept as itself and always hashes to the same bytes', () => {
    const details = { case: '辽金民宗罚〔2025〕12号', stage: '调查取证', officer: '王 伟' };
    const encoded = canonicalJson(details);

    expect(encoded).toBe('{"case":"辽金民宗罚〔2025〕12号","officer":"王 伟","stage":"调查取证"}');
    expect(
      canonicalJson({ stage: '调查取证', officer: '王 伟', case: '辽金民宗罚〔2025〕12号' }),
    ).toBe(encoded);
    const sha = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');
    expect(sha(encoded)).toBe(sha(canonicalJson(JSON.parse(encoded))));
    // Keys in Chinese sort stably too (by UTF-16 code unit).
    expect(canonicalJson({ 案号: 1, 备注: 2, a: 0 })).toBe('{"a":0,"备注":2,"案号":1}');
  });

  it('what it writes reads back as the same value', () => {
    const value = { n: 1.5, s: '证据', list: [{ b: 2, a: 1 }], none: null, yes: false };
    expect(JSON.parse(canonicalJson(value))).toEqual(value);
  });

  it('a Date or a Map is refused or written faithfully, never silently emptied to {}', () => {
    // JSON writes a Date as its ISO time; an audit entry that recorded `{}` instead would
    // lose the fact while still verifying (the hash is taken over the same emptied encoding).
    const attempt = (value: unknown): string | 'refused' => {
      try {
        return canonicalJson(value);
      } catch {
        return 'refused';
      }
    };
    const at = attempt({ at: new Date('2025-03-01T08:00:00.000Z') });
    expect(['refused', '{"at":"2025-03-01T08:00:00.000Z"}']).toContain(at);
    expect(attempt({ ids: new Map([['A100', 1]]) })).not.toBe('{"ids":{}}');
  });
});
