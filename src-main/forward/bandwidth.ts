import { rateLimitAt } from '../domain';
import type { ForwardSchedule } from '../contract';

/**
 * A target's bandwidth, shared by all its transfers: the bytes each is about to send get the
 * next slot of the limit its timetable sets now, and it waits for that slot to begin. A transfer
 * that finishes within its slot leaves the rest of it idle, so over any stretch the rate stays at
 * the limit (a request's bytes go out at the link's speed, not trickled: the limit is an average).
 */
export class Bandwidth {
  /** When the bytes granted so far will have gone out at the limit. */
  private freeAt = 0;

  constructor(
    private schedule: ForwardSchedule,
    private readonly now: () => Date = () => new Date(),
  ) {}

  setSchedule(schedule: ForwardSchedule): void {
    this.schedule = schedule;
  }

  /** The limit in force now (bytes a second; null: none). */
  get limit(): number | null {
    return rateLimitAt(this.schedule, this.now());
  }

  async take(bytes: number, signal?: AbortSignal): Promise<void> {
    const limit = this.limit;
    const at = Date.now();
    if (limit === null) {
      this.freeAt = at;
      return;
    }
    const start = Math.max(at, this.freeAt);
    this.freeAt = start + (bytes / limit) * 1000;
    if (start > at) await sleep(start - at, signal);
  }
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason as Error);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason as Error);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
