import { ZodError } from 'zod';
import { RpcError, type RpcErrorBody } from '../contract';
import { IngestBusyError, IngestRefused } from '../ingest';

/**
 * The one table from what went wrong inside the station to the stable code a client sees (UI,
 * CLI, scripts). Anything not in it is INTERNAL: logged in full, answered without its details.
 */
export function wireError(error: unknown): RpcErrorBody | null {
  if (error instanceof RpcError) return error.toBody();
  if (error instanceof IngestBusyError) return { code: 'INGEST_BUSY', message: error.message };
  if (error instanceof IngestRefused) {
    return {
      code: error.code === 'RECORDER_NOT_REGISTERED' ? 'RECORDER_NOT_REGISTERED' : 'CONFLICT',
      message: error.message,
    };
  }
  if (error instanceof ZodError) {
    const issue = error.issues[0];
    return {
      code: 'BAD_REQUEST',
      message: `${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`,
    };
  }
  // Another evidock process held the catalogue's write lock past the busy timeout.
  if ((error as { code?: unknown } | null)?.code === 'SQLITE_BUSY') {
    return {
      code: 'CONFLICT',
      message: 'The catalogue is busy: another evidock process is writing to it. Try again.',
    };
  }
  return null;
}

/** What an internal error answers: never its details, which only the log keeps. */
export const INTERNAL_ERROR: RpcErrorBody = {
  code: 'INTERNAL',
  message: 'The station hit an internal error; it was logged.',
};
