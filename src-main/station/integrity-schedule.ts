import type { Catalogue } from '../catalogue/catalogue';
import type {
  IntegrityProgress,
  IntegrityStatus,
  IntegritySweep,
  Log,
  PublishEvent,
} from '../contract';
import { RpcError } from '../contract';
import { STATION_ACTOR, type AuditLog } from '../custody/audit-log';
import { lastSweep } from '../custody/sweep-record';
import { defaultSweepScript, startSweepChild, type SweepChild } from './integrity-child';

/**
 * The station's own integrity sweep (D-NO-TAMPER): daily by default, and whenever a custodian
 * asks. One at a time — a sweep under way, here or at a terminal (`evidock verify`), is never
 * started again — in a child process at idle priority, so the station's event loop only relays
 * its progress. A sweep that finds anything, or cannot finish, is an alarm: an event to
 * custodians and supervisors, an error in the station log, and an audit entry.
 */

const HOUR_MS = 60 * 60 * 1000;

export interface IntegrityScheduleOptions {
  /** From the end of one sweep to the start of the next; a day by default. */
  intervalMs?: number;
  /**
   * The wait after the station starts before a sweep that is due runs (the docking that often
   * follows a start comes first); ten minutes by default.
   */
  firstDelayMs?: number;
  /** The evidock CLI the sweep runs; the bundle's own `cli.mjs` by default. */
  cliScript?: string | URL;
}

const DEFAULT_SWEEP_INTERVAL_MS = 24 * HOUR_MS;
const DEFAULT_FIRST_DELAY_MS = 10 * 60 * 1000;
/** When another process holds the sweep, look again this much later (or at the interval). */
const BUSY_RETRY_MS = 15 * 60 * 1000;
/** setTimeout's longest wait; a longer one is waited in steps. */
const LONGEST_TIMER_MS = 2 ** 31 - 1;

export interface IntegrityScheduleDeps {
  dataDir: string;
  catalogue: Catalogue;
  audit: AuditLog;
  publish: PublishEvent;
  log: Log;
  now: () => Date;
}

export class IntegritySchedule {
  private readonly intervalMs: number;
  private readonly firstDelayMs: number;
  private child: SweepChild | null = null;
  private progress: IntegrityProgress | null = null;
  private timer: NodeJS.Timeout | null = null;
  private nextAt: Date | null = null;
  private running: Promise<void> | null = null;
  /** Only a running station sweeps (lifecycle starts it); a command-line process does not. */
  private started = false;
  private stopped = false;

  constructor(
    private readonly deps: IntegrityScheduleDeps,
    private readonly options: IntegrityScheduleOptions = {},
  ) {
    this.intervalMs = options.intervalMs ?? DEFAULT_SWEEP_INTERVAL_MS;
    this.firstDelayMs = options.firstDelayMs ?? DEFAULT_FIRST_DELAY_MS;
    if (!(this.intervalMs > 0) || !(this.firstDelayMs >= 0)) {
      throw new RangeError('the sweep interval must be positive and the first delay not negative');
    }
  }

  /** Arms the schedule: the next sweep an interval after the last one, but not right at start. */
  start(): void {
    if (this.stopped) return;
    this.started = true;
    const last = lastSweep(this.deps.catalogue);
    const now = this.deps.now().getTime();
    const due = last === null ? now : Date.parse(last.finishedAt) + this.intervalMs;
    this.arm(Math.max(due, now + this.firstDelayMs) - now);
  }

  /** The last sweep (from the audit chain), the one under way, and when the next is due. */
  status(): IntegrityStatus {
    return {
      running: this.running !== null,
      progress: this.progress,
      last: lastSweep(this.deps.catalogue),
      nextAt: this.nextAt?.toISOString() ?? null,
    };
  }

  /** D-CUSTODIAN: a sweep now, unless one runs already; answers the status either way. */
  runNow(by: string): IntegrityStatus {
    if (this.stopped) throw new RpcError('CONFLICT', 'The station is stopping.');
    if (!this.started) {
      throw new RpcError(
        'CONFLICT',
        'No station runs in this process: start the station, or run evidock verify.',
      );
    }
    if (this.running === null) this.launch(by, 'custodian');
    return this.status();
  }

  /** Ends a sweep under way (it records nothing) and runs no more; waits for its process. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.disarm();
    await this.child?.stop();
    await this.running;
  }

  private arm(delayMs: number): void {
    this.disarm();
    if (this.stopped) return;
    const wait = Math.max(0, delayMs);
    this.nextAt = new Date(this.deps.now().getTime() + wait);
    this.timer = setTimeout(
      () => {
        this.timer = null;
        if (wait > LONGEST_TIMER_MS) this.arm(wait - LONGEST_TIMER_MS);
        else if (this.running === null) this.launch(STATION_ACTOR, 'schedule');
      },
      Math.min(wait, LONGEST_TIMER_MS),
    );
    // The schedule alone never keeps a process alive: a station is kept by what it serves.
    this.timer.unref();
  }

  private disarm(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.nextAt = null;
  }

  private launch(by: string, trigger: 'schedule' | 'custodian'): void {
    this.disarm();
    const startedAt = this.deps.now().toISOString();
    this.progress = { startedAt, clipsChecked: 0, clips: 0, bytes: 0 };
    const child = startSweepChild({
      script: this.options.cliScript ?? defaultSweepScript(),
      dataDir: this.deps.dataDir,
      onProgress: (progress) => {
        this.progress = { startedAt, ...progress };
        this.deps.publish('integrity.progress', { progress: this.progress });
      },
    });
    this.child = child;
    this.running = child.done
      .then((outcome) => this.finished(outcome))
      .catch((error: unknown) =>
        this.deps.log('error', 'the integrity sweep could not be followed', {
          error: String(error),
        }),
      )
      .finally(() => {
        this.child = null;
        this.progress = null;
        this.running = null;
      });
    this.deps.audit.record({
      actor: by,
      action: 'integrity.sweep.started',
      subject: 'archive',
      details: { trigger, pid: child.pid ?? null },
    });
    this.deps.log('info', 'the integrity sweep started', {
      trigger,
      by,
      pid: child.pid,
      priority: child.priority,
    });
  }

  private finished(outcome: Awaited<SweepChild['done']>): void {
    const { code, errorCode } = outcome;
    if (this.stopped && code !== 0 && errorCode !== 'INTEGRITY_FAILED') {
      this.deps.log('info', 'the integrity sweep stopped with the station; nothing was recorded');
      return;
    }
    if (errorCode === 'INTEGRITY_BUSY') {
      // `evidock verify` at a terminal holds the sweep: its result is recorded, and seen, as ours.
      this.deps.log('warn', 'another integrity sweep was running; this one will try again', {
        message: outcome.errorMessage,
      });
      this.arm(Math.min(BUSY_RETRY_MS, this.intervalMs));
      return;
    }
    if (code !== 0 && errorCode !== 'INTEGRITY_FAILED') {
      const message =
        outcome.errorMessage ??
        (code === null ? `ended by ${outcome.signal ?? 'a signal'}` : `exited with ${code}`);
      this.deps.audit.record({
        actor: STATION_ACTOR,
        action: 'integrity.sweep.failed',
        subject: 'archive',
        details: { reason: 'incomplete', message, errorCode, exitCode: code },
      });
    }
    const sweep = lastSweep(this.deps.catalogue);
    if (sweep !== null) this.alarm(sweep);
    this.arm(this.intervalMs);
  }

  private alarm(sweep: IntegritySweep): void {
    // The event says how it ended; each screen asks integrity.status for the findings it may see.
    this.deps.publish('integrity.finished', { sweep: { ...sweep, problems: [] } });
    if (sweep.ok) {
      this.deps.log('info', 'the integrity sweep found the archive intact', {
        clipsChecked: sweep.clipsChecked,
        bytesChecked: sweep.bytesChecked,
      });
    } else if (sweep.failure !== null) {
      this.deps.log('error', 'the integrity sweep could not finish (D-NO-TAMPER)', {
        failure: sweep.failure,
      });
    } else {
      this.deps.log('error', 'the integrity sweep found problems in the archive (D-NO-TAMPER)', {
        problems: sweep.problemCount,
        first: sweep.problems.slice(0, 5).map((p) => `${p.code}: ${p.message}`),
      });
    }
  }
}
