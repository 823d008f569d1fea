import {
  METHODS,
  RpcError,
  isMethodName,
  roleHasPermission,
  type MethodName,
  type RpcResult,
} from '../contract';
import type { AuthService, Caller } from '../auth/auth-service';
import type { CallContext, Handlers } from './handlers/handler-types';
import { INTERNAL_ERROR, wireError } from './wire-errors';

export interface RpcCall {
  method: string;
  params?: unknown;
  session?: string | undefined;
  /** Aborted when the client takes the request back: the answer is then CANCELLED. */
  signal?: AbortSignal | undefined;
  /**
   * Aborted when the client's connection closes (the page went away): what was issued to that
   * page alone, a playback's viewing, ends with it. The command line has none.
   */
  page?: AbortSignal | undefined;
}

export interface DispatcherOptions {
  /** Where internal errors are reported (never to the client). */
  onInternalError?: (error: unknown, method: string) => void;
  /**
   * Check every answer against the method's output schema (tests run with this on): an answer
   * the contract does not describe is an internal error, not something a client must cope with.
   */
  checkOutputs?: boolean;
}

/**
 * The single door to the station: every transport (WebSocket, MessagePort, the CLI) calls
 * `dispatch`. It accepts only contract methods, checks the session and the method's permission
 * here, server-side, validates input against the contract, and never lets an exception escape
 * as anything but a stable error code.
 */
export class Dispatcher {
  private readonly onInternalError: (error: unknown, method: string) => void;

  constructor(
    private readonly auth: AuthService,
    private readonly handlers: Handlers,
    private readonly options: DispatcherOptions = {},
  ) {
    this.onInternalError = options.onInternalError ?? (() => {});
  }

  async dispatch(call: RpcCall): Promise<RpcResult> {
    try {
      return { ok: true, value: await this.run(call) };
    } catch (error) {
      const known = wireError(error);
      if (known !== null) return { ok: false, error: known };
      this.onInternalError(error, call.method);
      return { ok: false, error: INTERNAL_ERROR };
    }
  }

  /** The session a token stands for, if it is live; used to filter pushed events. */
  peekCaller(token: string | undefined): Caller | undefined {
    return this.auth.peek(token);
  }

  private async run(call: RpcCall): Promise<unknown> {
    if (!isMethodName(call.method)) {
      throw new RpcError('UNKNOWN_METHOD', `No such method: ${call.method}`);
    }
    const method: MethodName = call.method;
    const spec = METHODS[method];
    const caller = spec.permission === 'public' ? null : this.auth.resolve(call.session);
    if (caller && !roleHasPermission(caller.user.role, spec.permission)) {
      throw new RpcError(
        'FORBIDDEN',
        `The ${caller.user.role} role may not call ${method} (needs ${spec.permission}).`,
        { permission: spec.permission },
      );
    }
    const parsed = spec.input.safeParse(call.params ?? {});
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue?.path.length ? `${issue.path.join('.')}: ` : '';
      throw new RpcError('BAD_REQUEST', `${method}: ${where}${issue?.message ?? 'invalid input'}`, {
        issues: parsed.error.issues.map((i) => ({ path: i.path.map(String), message: i.message })),
      });
    }
    const signal = call.signal ?? NEVER_ABORTED;
    if (signal.aborted) throw cancelled(method);
    const handler = this.handlers[method] as (params: unknown, context: CallContext) => unknown;
    let value: unknown;
    try {
      value = await handler(parsed.data, { caller, signal, page: call.page ?? NEVER_ABORTED });
    } catch (error) {
      // Work stopped because the client took it back is an answer, not a fault.
      if (signal.aborted && stoppedBy(signal, error)) throw cancelled(method);
      throw error;
    }
    // A cancel that arrives after the work is done changes nothing: what was committed and
    // audited is answered as it is, never as CANCELLED (a client would retry a done change).
    if (this.options.checkOutputs) {
      const checked = spec.output.safeParse(value);
      if (!checked.success) {
        const issue = checked.error.issues[0];
        throw new Error(
          `${method} answered outside its contract: ${issue?.path.join('.') ?? ''}: ${issue?.message ?? ''}`,
        );
      }
    }
    return value;
  }
}

/** A signal for calls nobody can take back (the command line). */
const NEVER_ABORTED = new AbortController().signal;

/** Whether a handler's failure is the cancel itself, not a failure of its own. */
function stoppedBy(signal: AbortSignal, error: unknown): boolean {
  return (
    error === signal.reason ||
    (error instanceof Error && error.name === 'AbortError') ||
    (error instanceof RpcError && error.code === 'CANCELLED')
  );
}

function cancelled(method: string): RpcError {
  return new RpcError('CANCELLED', `${method} was cancelled by the client.`);
}
