import type { CopyErrorCode, CopyPhase, CopyResult, CopyTask } from './copy';

/** Messages between the station and a copy worker (structured-clone data only). */
export type ToWorker =
  { type: 'copy'; id: number; task: CopyTask } | { type: 'cancel'; id: number };

export type FromWorker =
  | { type: 'progress'; id: number; phase: CopyPhase; bytes: number; total: number }
  | { type: 'done'; id: number; result: CopyResult }
  | {
      type: 'failed';
      id: number;
      error: { code: CopyErrorCode; message: string; errno: string | null };
    };

/** A worker reports progress at most this often; the engine rate-limits again per docking. */
export const WORKER_PROGRESS_INTERVAL_MS = 100;
