import {
  TransportTimeoutError,
  type BulkTransport,
} from '../../src-main/devices/drivers/bulk-transport';

/**
 * A recorder that follows a script: each step is the exact command it expects next and what it
 * answers (one or more bulk transfers, or nothing: silence). Any other command is recorded as
 * unexpected and refused; `assertDone()` fails the test if that happened or steps are left.
 * Reads answer at once (silence is an immediate timeout), so protocol tests take no real time.
 */
export interface ScriptStep {
  expect: string;
  /** Transfers sent back, in order; `[]` is a recorder that never answers. */
  reply: Array<string | Uint8Array>;
}

export class ScriptedRecorder implements BulkTransport {
  readonly received: string[] = [];
  readonly unexpected: string[] = [];
  closed = false;
  private readonly steps: ScriptStep[];
  private pending: Uint8Array[] = [];

  constructor(script: ScriptStep[]) {
    this.steps = [...script];
  }

  async write(bytes: Uint8Array): Promise<void> {
    if (this.closed) throw new Error('write after close');
    const command = Buffer.from(bytes).toString('latin1');
    this.received.push(command);
    const step = this.steps[0];
    if (step === undefined || step.expect !== command) {
      this.unexpected.push(command);
      throw new Error(
        `scripted recorder: unexpected command ${JSON.stringify(command)}` +
          (step ? `, expected ${JSON.stringify(step.expect)}` : ', script finished'),
      );
    }
    this.steps.shift();
    // A new command: whatever was left of an earlier answer is gone, as on a real pipe reset.
    this.pending = step.reply.map((r) => (typeof r === 'string' ? Buffer.from(r, 'latin1') : r));
  }

  async read(maxLength: number, _timeoutMs: number): Promise<Uint8Array> {
    if (this.closed) throw new Error('read after close');
    const next = this.pending.shift();
    if (next === undefined) throw new TransportTimeoutError();
    if (next.length > maxLength) {
      this.pending.unshift(next.subarray(maxLength));
      return next.subarray(0, maxLength);
    }
    return next;
  }

  async close(): Promise<void> {
    this.closed = true;
  }

  assertDone(): void {
    if (this.unexpected.length > 0) {
      throw new Error(`scripted recorder got unexpected commands: ${this.unexpected.join(' ')}`);
    }
    if (this.steps.length > 0) {
      throw new Error(
        `scripted recorder still expects: ${this.steps.map((s) => s.expect).join(' ')}`,
      );
    }
  }
}
