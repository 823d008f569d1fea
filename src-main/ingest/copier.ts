import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import {
  copyClip,
  CopyError,
  type CopyPhase,
  type CopyResult,
  type CopyTask,
  type OpenSource,
} from './copy';
import type { FromWorker, ToWorker } from './worker-protocol';

export interface CopyRun {
  onProgress?: (phase: CopyPhase, bytes: number, total: number) => void;
  /** Aborting stops the copy between chunks; the partial stays for a later resume. */
  signal?: AbortSignal;
}

/** Runs copyClip somewhere: worker threads in the station, the calling thread in some tests. */
export interface ClipCopier {
  /** Resolves with the proof; rejects with a CopyError. */
  copy(task: CopyTask, run?: CopyRun): Promise<CopyResult>;
  close(): Promise<void>;
}

/**
 * The bundled worker: `ingest-worker.mjs` next to the station bundle (dist/station/). When the
 * station runs from source the file does not exist, and the error says how to build it.
 */
export function defaultWorkerScript(): URL {
  return new URL('./ingest-worker.mjs', import.meta.url);
}

interface Busy {
  id: number;
  run: CopyRun;
  resolve: (result: CopyResult) => void;
  reject: (error: CopyError) => void;
  unsubscribe: () => void;
}

interface Slot {
  worker: Worker;
  busy: Busy | null;
}

/**
 * A pool of copy workers, grown on demand up to `maxWorkers` and idle workers unref'd so they
 * never keep a finished CLI alive. How many copies run at once per disk is the engine's call
 * (DiskSlots); the pool only refuses to start more threads than that.
 */
export class WorkerCopier implements ClipCopier {
  private readonly slots: Slot[] = [];
  private readonly waiting: (() => void)[] = [];
  private nextId = 1;
  private closed = false;

  constructor(
    private readonly script: URL | string = defaultWorkerScript(),
    private readonly maxWorkers = 4,
  ) {}

  async copy(task: CopyTask, run: CopyRun = {}): Promise<CopyResult> {
    const slot = await this.acquire();
    const id = this.nextId++;
    return new Promise<CopyResult>((resolve, reject) => {
      const onAbort = () => slot.worker.postMessage({ type: 'cancel', id } satisfies ToWorker);
      run.signal?.addEventListener('abort', onAbort, { once: true });
      slot.busy = {
        id,
        run,
        resolve,
        reject,
        unsubscribe: () => run.signal?.removeEventListener('abort', onAbort),
      };
      slot.worker.ref();
      slot.worker.postMessage({ type: 'copy', id, task } satisfies ToWorker);
      if (run.signal?.aborted) onAbort();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    const slots = this.slots.splice(0);
    for (const slot of slots) {
      slot.busy?.reject(new CopyError('cancelled', 'the ingest engine closed'));
      slot.busy = null;
    }
    await Promise.all(slots.map((s) => s.worker.terminate()));
  }

  private async acquire(): Promise<Slot> {
    for (;;) {
      if (this.closed) throw new CopyError('cancelled', 'the ingest engine closed');
      const idle = this.slots.find((s) => s.busy === null);
      if (idle) return idle;
      if (this.slots.length < this.maxWorkers) return this.spawn();
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    }
  }

  private spawn(): Slot {
    const path =
      typeof this.script === 'string' ? resolve(this.script) : fileURLToPath(this.script);
    // Not a CopyError: without a worker no clip can be copied, so the docking stops.
    if (!existsSync(path)) {
      throw new Error(
        `the ingest worker ${path} is missing: build the station (node scripts/build-main.mjs)`,
      );
    }
    const slot: Slot = { worker: new Worker(path), busy: null };
    slot.worker.unref();
    slot.worker.on('message', (message: FromWorker) => this.receive(slot, message));
    const fail = (why: string) => {
      const busy = slot.busy;
      slot.busy = null;
      const index = this.slots.indexOf(slot);
      if (index >= 0) this.slots.splice(index, 1);
      busy?.unsubscribe();
      busy?.reject(new CopyError('internal', `the copy worker stopped: ${why}`));
      this.wake();
    };
    slot.worker.on('error', (error) => fail(error.message));
    slot.worker.on('exit', (code) => fail(`exit code ${code}`));
    this.slots.push(slot);
    return slot;
  }

  private receive(slot: Slot, message: FromWorker): void {
    const busy = slot.busy;
    if (!busy || busy.id !== message.id) return;
    if (message.type === 'progress') {
      busy.run.onProgress?.(message.phase, message.bytes, message.total);
      return;
    }
    slot.busy = null;
    slot.worker.unref();
    busy.unsubscribe();
    if (message.type === 'done') busy.resolve(message.result);
    else busy.reject(new CopyError(message.error.code, message.error.message, message.error.errno));
    this.wake();
  }

  private wake(): void {
    this.waiting.shift()?.();
  }
}

/**
 * Copies on the calling thread. For tests that inject faults into the source reader (an EIO a
 * plain folder cannot produce), and for tools without a worker bundle.
 */
export class InThreadCopier implements ClipCopier {
  constructor(private readonly openSource?: OpenSource) {}

  async copy(task: CopyTask, run: CopyRun = {}): Promise<CopyResult> {
    try {
      return await copyClip(task, {
        ...(this.openSource ? { openSource: this.openSource } : {}),
        ...(run.onProgress ? { onProgress: run.onProgress } : {}),
        cancelled: () => run.signal?.aborted === true,
      });
    } catch (error) {
      throw error instanceof CopyError ? error : new CopyError('internal', String(error));
    }
  }

  async close(): Promise<void> {}
}
