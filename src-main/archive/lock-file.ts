import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { link, readFile, rm, writeFile } from 'node:fs/promises';

/** Whether a process with this pid runs (EPERM: it does, as another user). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** This boot of the machine (Linux); null where the OS does not say. */
function bootId(): string | null {
  try {
    return readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
  } catch {
    return null;
  }
}

/** When a process started, in clock ticks since boot (Linux); null where the OS does not say. */
function startedAt(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (in parentheses) may hold spaces: fields are counted after its end.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
  } catch {
    return null;
  }
}

/** When a process started, on the wall clock, in ms (Linux); null where the OS does not say. */
function startedAtMs(pid: number): number | null {
  const ticks = Number(startedAt(pid));
  if (!Number.isFinite(ticks)) return null;
  try {
    const btime = /^btime (\d+)$/m.exec(readFileSync('/proc/stat', 'utf8'))?.[1];
    // USER_HZ is 100 on every Linux the station runs on (sysconf(_SC_CLK_TCK)).
    return btime === undefined ? null : Number(btime) * 1000 + ticks * 10;
  } catch {
    return null;
  }
}

interface Holder {
  pid: number;
  at?: string;
  boot?: string | null;
  start?: string | null;
}

/**
 * Whether the process that wrote a lock still runs. A pid alone is not enough: after a power cut
 * or a reboot, the pid in a lock left behind may belong to any process now, and the lock would
 * never be taken over. The boot and the process's start time say whether it is the same process.
 */
function holderRuns(holder: Holder): boolean {
  if (!alive(holder.pid)) return false;
  const boot = bootId();
  if (holder.boot && boot && holder.boot !== boot) return false;
  const start = startedAt(holder.pid);
  if (holder.start && start && holder.start !== start) return false;
  // A lock that says nothing of its process's start (an older one): a process that started
  // after the lock was written cannot be the one that wrote it.
  const written = holder.at === undefined ? NaN : Date.parse(holder.at);
  const began = startedAtMs(holder.pid);
  if (!holder.start && began !== null && Number.isFinite(written) && began > written + 2_000) {
    return false;
  }
  return true;
}

/**
 * A file that one process holds for a data dir: created exclusively, holding `{ pid, at, boot,
 * start }`, so a second process finds whose it is. A lock left by a killed process (its pid no
 * longer runs, or now names another process, or the file torn by a crash while it was written) is
 * taken over.
 */
export class LockFile {
  private constructor(private readonly path: string) {}

  /**
   * Takes the lock at `path`, or throws what `busy` makes of the live process holding it. `name`
   * says which lock it is, should it still not be taken after a stale one was removed.
   */
  static async acquire(
    path: string,
    name: string,
    busy: (pid: number) => Error,
  ): Promise<LockFile> {
    for (let attempt = 0; attempt < 2; attempt += 1) {
      try {
        const holder = {
          pid: process.pid,
          at: new Date().toISOString(),
          boot: bootId(),
          start: startedAt(process.pid),
        };
        // Written whole beside it, then linked into place: the lock is never seen empty or
        // half-written by another process (which would take it for a crash's and remove it).
        const draft = `${path}.${process.pid}.${randomBytes(6).toString('hex')}`;
        await writeFile(draft, JSON.stringify(holder), { flag: 'wx', mode: 0o600 });
        try {
          await link(draft, path);
        } finally {
          await rm(draft, { force: true });
        }
        return new LockFile(path);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      let holder: Holder | null = null;
      try {
        holder = JSON.parse(await readFile(path, 'utf8')) as Holder;
      } catch {
        // Unreadable: a crash while it was written. Stale, taken over below.
      }
      if (holder !== null && Number.isInteger(holder.pid) && holderRuns(holder)) {
        throw busy(holder.pid);
      }
      await rm(path, { force: true });
    }
    throw new Error(`could not take the ${name} ${path}`);
  }

  async release(): Promise<void> {
    await rm(this.path, { force: true });
  }
}
