import type { ChainFinding, ChainProblem } from '../contract';
import type { SigningKeys } from './checkpoints';

/** How many findings are listed; more of the same kinds are counted, not listed. */
const LISTED = 100;

/** What a verification of the audit chain found: each finding once, the first hundred listed. */
export class Findings {
  readonly list: ChainFinding[] = [];
  omitted = 0;
  private readonly seen = new Set<string>();

  add(
    code: ChainProblem,
    message: string,
    at: { entrySeq?: number | null; checkpointSeq?: number | null } = {},
  ): void {
    const entrySeq = at.entrySeq ?? null;
    const checkpointSeq = at.checkpointSeq ?? null;
    const key = `${code}:${entrySeq}:${checkpointSeq}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    if (this.list.length >= LISTED) this.omitted += 1;
    else this.list.push({ code, entrySeq, checkpointSeq, message });
  }
}

/** A run of entries or checkpoints as a finding names it: `#4` or `#4–#9`. */
export function span([a, b]: [number, number]): string {
  return a === b ? `#${a}` : `#${a}–#${b}`;
}

/** Keys as a finding names them: the start of each fingerprint. */
export function shortKeys(keys: SigningKeys): string {
  return `SM2 ${keys.sm2.slice(0, 16)}…, Ed25519 ${keys.ed25519.slice(0, 16)}…`;
}
