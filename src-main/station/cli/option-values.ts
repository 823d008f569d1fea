import type { CommonOptions } from './context';
import { fail } from './output';

/** Option values as commands take them, refused with the flag's name when they are not. */

export interface Acting extends CommonOptions {
  user?: string;
}

export const USER_OPTION = [
  '--user <badge>',
  'who is doing this (password from the terminal or stdin)',
] as const;

export function oneOf<T extends string>(
  value: string | undefined,
  allowed: readonly T[],
  flag: string,
) {
  if (value === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(value)) {
    fail('BAD_REQUEST', `${flag} must be one of ${allowed.join(', ')}, not "${value}".`);
  }
  return value as T;
}

/** Comma-separated (Chinese 、 and ， too: officers type them). */
export function list(value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  return value
    .split(/[,，、]/)
    .map((part) => part.trim())
    .filter((part) => part !== '');
}

export function isoTime(value: string | undefined, flag: string): string | undefined {
  if (value === undefined) return undefined;
  const ms = Date.parse(value);
  if (Number.isNaN(ms))
    fail('BAD_REQUEST', `${flag} must be a time such as 2026-11-22T08:00:00+08:00.`);
  return new Date(ms).toISOString();
}

/** A whole-number option (`--limit 50`), refused with the flag's name when it is not one. */
export function wholeNumber(
  value: string | undefined,
  flag: string,
  min: number,
): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) {
    fail('BAD_REQUEST', `${flag} must be a whole number of at least ${min}, not "${value}".`);
  }
  return n;
}
