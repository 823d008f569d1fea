import { type ErrorCode, isErrorCode } from '../../src-main/contract';

/** Codes the client itself produces, beside the station's stable codes (contract/errors.ts). */
export type ClientOnlyCode = 'DISCONNECTED' | 'TIMEOUT' | 'BAD_RESPONSE';
export type ClientErrorCode = ErrorCode | ClientOnlyCode;

export const CLIENT_ONLY_CODES: readonly ClientOnlyCode[] = [
  'DISCONNECTED',
  'TIMEOUT',
  'BAD_RESPONSE',
];

/** A failed call: screens branch on `code`, never on the message text. */
export class StationError extends Error {
  readonly code: ClientErrorCode;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ClientErrorCode, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = 'StationError';
    this.code = code;
    this.details = details;
  }
}

export function isStationError(value: unknown): value is StationError {
  return value instanceof StationError;
}

/** The codes that mean "this session is no longer valid": the UI goes to the lock screen. */
export function isSessionLoss(code: ClientErrorCode): boolean {
  return code === 'SESSION_EXPIRED' || code === 'UNAUTHENTICATED';
}

/**
 * The codes that end the session a call was made under: the ones above, and ACCOUNT_DISABLED
 * (an admin disabled the account while it was logged in).
 */
export function endsSession(code: ClientErrorCode): boolean {
  return isSessionLoss(code) || code === 'ACCOUNT_DISABLED';
}

export function errorCodeOf(value: unknown): ClientErrorCode {
  if (value instanceof StationError) return value.code;
  return 'INTERNAL';
}

export function toStationError(body: unknown): StationError {
  if (typeof body === 'object' && body !== null) {
    const { code, message, details } = body as Record<string, unknown>;
    const detailRecord =
      typeof details === 'object' && details !== null
        ? (details as Record<string, unknown>)
        : undefined;
    return new StationError(
      isErrorCode(code) ? code : 'INTERNAL',
      typeof message === 'string' ? message : String(code),
      detailRecord,
    );
  }
  return new StationError('BAD_RESPONSE', 'malformed error from the station');
}
