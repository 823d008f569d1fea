// Ctrl-C in the middle of a run must still leave the machine as it was: the engine closed and the
// child processes stopped first (an open file keeps a recorder from unmounting), then undocked.

const stoppers = new Set<() => unknown>();

/** Registers how to stop what is running now; call the returned function once it has ended. */
export function onInterrupt(stop: () => unknown): () => void {
  stoppers.add(stop);
  return () => stoppers.delete(stop);
}

/** Stops everything registered, in no particular order, waiting for each to settle. */
export async function stopAll(): Promise<void> {
  const running = [...stoppers];
  stoppers.clear();
  await Promise.allSettled(running.map(async (stop) => stop()));
}
