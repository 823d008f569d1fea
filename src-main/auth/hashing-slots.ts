import { RpcError } from '../contract';

/**
 * Each scrypt at the station's cost takes 128 MiB and about half a second of one of libuv's four
 * threads, which the archive's file reads share. A flood of sign-ins (unknown badges cost a decoy
 * hash too) must neither exhaust memory nor stall ingest and everyone else's sign-in: at most two
 * hashes run at once, a bounded number wait their turn in order, and beyond that the station
 * answers at once that it is busy.
 */
const RUNNING_AT_ONCE = 2;
const WAITING_AT_MOST = 8;

let running = 0;
const waiting: (() => void)[] = [];

export async function withHashingSlot<T>(work: () => Promise<T>): Promise<T> {
  if (running >= RUNNING_AT_ONCE) {
    if (waiting.length >= WAITING_AT_MOST) {
      throw new RpcError(
        'SIGN_IN_BUSY',
        'The station is busy checking sign-ins; try again in a moment.',
      );
    }
    await new Promise<void>((resolve) => waiting.push(resolve));
  } else {
    running += 1;
  }
  try {
    return await work();
  } finally {
    // The slot passes straight to the next in line, so the count never drops in between.
    const next = waiting.shift();
    if (next) next();
    else running -= 1;
  }
}
