import type { LockFile } from '../archive';
import { RpcError, type Log, type PublishEvent, type TargetQueue } from '../contract';
import type { Forwarder } from './forwarder';
import { acquireForwardLock } from './forward-lock';
import type { ForwardTargets } from './forward-targets';

/** How often the queue's counts are read again for the progress pushed ~4 times a second. */
const COUNT_EVERY_MS = 1_000;

export interface ForwardingLoopDeps {
  forwarder: Forwarder;
  targets: ForwardTargets;
  dataDir: string;
  actor: string;
  log: Log;
  publish: PublishEvent;
  catalogue: { forwarding: { targets(): { id: number }[]; nextTry(id: number): string | null } };
  now: () => Date;
}

export interface ForwardingLoopOptions {
  /** The longest wait between passes when nothing wakes the loop; 30 s by default. */
  idleMs?: number;
  /** How often progress is pushed while a pass runs; 250 ms (~4 a second) by default. */
  progressMs?: number;
}

/**
 * The running station's forwarding (D-24H): a pass whenever a clip is archived or a target
 * changes, after a failure's backoff, and at least every `idleMs`; so a target that was down
 * (the storage restarting, the network cut) is picked up again by itself. One forwarder per data
 * dir: while `evidock forward run` holds it, the station waits and tries again later.
 */
export class ForwardingLoop {
  private readonly idleMs: number;
  private readonly progressMs: number;
  private readonly stop$ = new AbortController();
  private wakeUp: (() => void) | null = null;
  private woken = false;
  private running: Promise<void> | null = null;
  private lock: LockFile | null = null;
  private counted: { at: number; targets: TargetQueue[] } | null = null;

  constructor(
    private readonly deps: ForwardingLoopDeps,
    options: ForwardingLoopOptions = {},
  ) {
    this.idleMs = options.idleMs ?? 30_000;
    this.progressMs = options.progressMs ?? 250;
  }

  start(): void {
    this.running ??= this.loop();
  }

  /** Something is due now: a clip archived, a target added, changed or retried. */
  wake(): void {
    this.woken = true;
    this.wakeUp?.();
  }

  async stop(): Promise<void> {
    this.stop$.abort(new Error('the station is stopping'));
    this.wakeUp?.();
    await this.running;
  }

  private async loop(): Promise<void> {
    const startedAt = this.deps.now();
    const signal = this.stop$.signal;
    try {
      while (!signal.aborted) {
        if (this.lock === null) {
          try {
            this.lock = await acquireForwardLock(this.deps.dataDir);
          } catch (error) {
            if (!(error instanceof RpcError && error.code === 'FORWARD_BUSY')) throw error;
            this.deps.log('warn', `forwarding waits: ${error.message}`);
            await this.rest(this.idleMs);
            continue;
          }
        }
        this.woken = false;
        const progress = setInterval(() => this.publishProgress(), this.progressMs);
        try {
          await this.deps.forwarder.pass({
            actor: this.deps.actor,
            signal,
            straysBefore: startedAt,
          });
        } catch (error) {
          if (signal.aborted) break;
          this.deps.log('error', 'a forwarding pass failed', {
            error: error instanceof Error ? error.message : String(error),
          });
        } finally {
          clearInterval(progress);
          this.counted = null;
          this.publishProgress();
        }
        if (!this.woken) await this.rest(this.untilNextTry());
      }
    } catch (error) {
      this.deps.log('error', 'forwarding stopped', {
        error: error instanceof Error ? error.message : String(error),
      });
    } finally {
      await this.lock?.release();
      this.lock = null;
    }
  }

  /** Until the earliest retry of any target, but never longer than `idleMs`. */
  private untilNextTry(): number {
    const { catalogue, now } = this.deps;
    let wait = this.idleMs;
    for (const target of catalogue.forwarding.targets()) {
      const next = catalogue.forwarding.nextTry(target.id);
      if (next !== null) wait = Math.min(wait, Math.max(0, Date.parse(next) - now().getTime()));
    }
    return Math.max(100, wait);
  }

  private rest(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.wakeUp = () => {
        this.wakeUp = null;
        done();
      };
      if (this.stop$.signal.aborted || this.woken) this.wakeUp();
    });
  }

  private publishProgress(): void {
    try {
      // The counts read every outbox row of a target: once a second; the rates at every push.
      const at = Date.now();
      if (this.counted === null || at - this.counted.at >= COUNT_EVERY_MS) {
        this.counted = { at, targets: this.deps.targets.status() };
      } else {
        const rates = this.deps.targets.rates();
        this.counted.targets = this.counted.targets.map((q) => ({
          ...q,
          rate: rates.get(q.target) ?? 0,
        }));
      }
      this.deps.publish('forward.progress', { targets: this.counted.targets });
    } catch (error) {
      this.deps.log('warn', 'forwarding progress could not be published', {
        error: error instanceof Error ? error.message : String(error),
      });
    }
  }
}
