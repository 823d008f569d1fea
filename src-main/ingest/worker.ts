/**
 * Entry of a copy worker thread (bundled as dist/station/ingest-worker.mjs). Copying, hashing and
 * reading back run here so the station's event loop, and with it the RPC, stays responsive.
 */
import { parentPort } from 'node:worker_threads';
import { copyClip, CopyError, type CopyTask } from './copy';
import { WORKER_PROGRESS_INTERVAL_MS, type FromWorker, type ToWorker } from './worker-protocol';

const port = parentPort;
if (port === null) throw new Error('the ingest worker runs only as a worker thread');

const cancelled = new Set<number>();
const post = (message: FromWorker) => port.postMessage(message);

port.on('message', (message: ToWorker) => {
  if (message.type === 'cancel') cancelled.add(message.id);
  else void run(message.id, message.task);
});

async function run(id: number, task: CopyTask): Promise<void> {
  let last = 0;
  try {
    const result = await copyClip(task, {
      cancelled: () => cancelled.has(id),
      onProgress: (phase, bytes, total) => {
        const now = Date.now();
        if (now - last < WORKER_PROGRESS_INTERVAL_MS && bytes < total) return;
        last = now;
        post({ type: 'progress', id, phase, bytes, total });
      },
    });
    post({ type: 'done', id, result });
  } catch (error) {
    const failure =
      error instanceof CopyError
        ? { code: error.code, message: error.message, errno: error.errno }
        : { code: 'internal' as const, message: String(error), errno: null };
    post({ type: 'failed', id, error: failure });
  } finally {
    cancelled.delete(id);
  }
}
