import type { MethodName, MethodOutput, MethodParams } from '../../contract';
import type { Caller } from '../../auth/auth-service';

export interface CallContext {
  /** Null only for `public` methods called without a session. */
  caller: Caller | null;
  /** Aborted when the client takes the request back; long work stops where it can. */
  signal: AbortSignal;
  /** Aborted when the client's connection closes: what only that page may use ends with it. */
  page: AbortSignal;
}

export type Handler<M extends MethodName> = (
  params: MethodParams<M>,
  context: CallContext,
) => Promise<MethodOutput<M>> | MethodOutput<M>;

/** One handler per contract method; the type makes a missing one a compile error. */
export type Handlers = { [M in MethodName]: Handler<M> };

export function requireCaller(context: CallContext): Caller {
  // The dispatcher resolves a caller for every non-public method before a handler runs.
  if (!context.caller) throw new Error('handler reached without a caller');
  return context.caller;
}

/** The handlers of some of the contract's methods. */
export type HandlersOf<M extends MethodName> = { [K in M]: Handler<K> };
