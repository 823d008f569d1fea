// Progress is data, at most ~4 updates a second per job (DESIGN.md), and concurrent copies per
// disk are limited across every docking.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { diskSlots, Semaphore } from '../../src-main/ingest/disk-slots';
import { RateMeter, Throttle } from '../../src-main/ingest/progress';

afterEach(() => vi.useRealTimers());

describe('Throttle', () => {
  it('fires at once, then coalesces requests into one trailing call per interval', () => {
    vi.useFakeTimers();
    const calls: number[] = [];
    const throttle = new Throttle(250, () => calls.push(Date.now()));
    const start = Date.now();
    throttle.request();
    for (let i = 0; i < 100; i += 1) {
      vi.advanceTimersByTime(10);
      throttle.request();
    }
    vi.advanceTimersByTime(300);
    expect(calls.map((t) => t - start)).toEqual([0, 250, 500, 750, 1000, 1250]);
  });

  it('flush delivers a pending call now; stop drops it', () => {
    vi.useFakeTimers();
    let n = 0;
    const throttle = new Throttle(250, () => (n += 1));
    throttle.request();
    throttle.request();
    throttle.flush();
    expect(n).toBe(2);
    throttle.request();
    throttle.stop();
    vi.advanceTimersByTime(1000);
    expect(n).toBe(2);
  });
});

describe('RateMeter', () => {
  it('rate over the recent window and the time left', () => {
    let now = 0;
    const meter = new RateMeter(() => now);
    for (let s = 0; s <= 10; s += 1) {
      now = s * 1000;
      meter.update(s * 1_000_000);
    }
    expect(meter.figures(10_000_000, 30_000_000)).toEqual({
      bytes: 10_000_000,
      total: 30_000_000,
      rate: 1_000_000,
      eta: 20,
    });
    expect(new RateMeter(() => 0).figures(0, 10).eta).toBeNull();
    expect(meter.figures(30, 30).eta).toBe(0);
  });
});

describe('disk slots', () => {
  it('never grants more than the limit; aborting a wait leaves the queue', async () => {
    const slots = new Semaphore(2);
    const a = await slots.acquire();
    const b = await slots.acquire();
    let third = false;
    const waiting = slots.acquire().then((release) => {
      third = true;
      return release;
    });
    const abort = new AbortController();
    const cancelled = slots.acquire(abort.signal);
    abort.abort(new Error('stop'));
    await expect(cancelled).rejects.toThrow('stop');
    await Promise.resolve();
    expect(third).toBe(false);
    a();
    a(); // releasing twice frees one slot only
    const c = await waiting;
    expect(third).toBe(true);
    expect(slots.inUse).toBe(2);
    b();
    c();
    expect(slots.inUse).toBe(0);
  });

  it('one semaphore per destination disk, shared by every docking', () => {
    expect(diskSlots(12345, 4)).toBe(diskSlots(12345, 2));
    expect(diskSlots(12345, 2)).not.toBe(diskSlots(54321, 2));
  });
});
