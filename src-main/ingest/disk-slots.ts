/**
 * How many copies may write to one destination disk at once, across every docking in the
 * process: four recorders docked together share the archive disk, and more concurrent writers
 * than it can serve only make each slower (seek thrash on spinning disks).
 */
export class Semaphore {
  private active = 0;
  private readonly queue: (() => void)[] = [];

  constructor(private limit: number) {}

  setLimit(limit: number): void {
    this.limit = Math.max(1, limit);
    this.drain();
  }

  get inUse(): number {
    return this.active;
  }

  /** Resolves with a release function once a slot is free; rejects if `signal` aborts first. */
  acquire(signal?: AbortSignal): Promise<() => void> {
    return new Promise((resolve, reject) => {
      const grant = () => {
        signal?.removeEventListener('abort', onAbort);
        this.active += 1;
        let released = false;
        resolve(() => {
          if (released) return;
          released = true;
          this.active -= 1;
          this.drain();
        });
      };
      const onAbort = () => {
        const index = this.queue.indexOf(grant);
        if (index >= 0) this.queue.splice(index, 1);
        reject(signal?.reason ?? new Error('aborted'));
      };
      if (signal?.aborted) return onAbort();
      signal?.addEventListener('abort', onAbort, { once: true });
      this.queue.push(grant);
      this.drain();
    });
  }

  private drain(): void {
    while (this.active < this.limit && this.queue.length > 0) this.queue.shift()!();
  }
}

const perDisk = new Map<string, Semaphore>();

/** The process-wide semaphore of the disk with device id `dev`, its limit set to `limit`. */
export function diskSlots(dev: number | bigint, limit: number): Semaphore {
  const key = String(dev);
  let slots = perDisk.get(key);
  if (!slots) {
    slots = new Semaphore(limit);
    perDisk.set(key, slots);
  } else {
    slots.setLimit(limit);
  }
  return slots;
}
