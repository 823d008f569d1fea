// When a timed command's helpers ran: the tools it starts (par2 inside a disc's staging, say)
// report no times of their own, so the bench looks for them among the command's descendants in
// /proc as it runs. A span is known to within one look at each end.
import { readdirSync, readFileSync } from 'node:fs';

export interface Span {
  /** The helper's command name (/proc/<pid>/comm). */
  name: string;
  pid: number;
  /** Seconds since the timed command was started: first and last seen running. */
  from: number;
  to: number;
}

/** Every process below `pid`, children before grandchildren; [] once it is gone. */
export function descendants(pid: number): number[] {
  const found: number[] = [];
  const queue = [pid];
  while (queue.length > 0) {
    const parent = queue.shift()!;
    let tasks: string[];
    try {
      tasks = readdirSync(`/proc/${parent}/task`);
    } catch {
      continue;
    }
    // A child belongs to the thread that spawned it, not always the main one.
    for (const task of tasks) {
      let children = '';
      try {
        children = readFileSync(`/proc/${parent}/task/${task}/children`, 'utf8').trim();
      } catch {
        continue;
      }
      for (const child of children.split(' ')) {
        if (child === '') continue;
        found.push(Number(child));
        queue.push(Number(child));
      }
    }
  }
  return found;
}

function commandName(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return undefined;
  }
}

/** Records, at each look, which of the named helpers run below `pid` (a new pid, a new span). */
export class SpanWatcher {
  private readonly spans = new Map<number, Span>();

  constructor(
    private readonly pid: number,
    private readonly names: ReadonlySet<string>,
  ) {}

  look(at: number): void {
    for (const child of descendants(this.pid)) {
      const seen = this.spans.get(child);
      if (seen !== undefined) {
        seen.to = at;
        continue;
      }
      const name = commandName(child);
      if (name !== undefined && this.names.has(name)) {
        this.spans.set(child, { name, pid: child, from: at, to: at });
      }
    }
  }

  result(): Span[] {
    return [...this.spans.values()].sort((a, b) => a.from - b.from);
  }
}
