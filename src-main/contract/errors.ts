/**
 * Stable error codes: clients (UI, CLI, scripts) branch on these, never on message text.
 * Adding a code is fine; renaming or reusing one is a breaking change.
 */
export const ERROR_CODES = [
  'BAD_REQUEST',
  'UNKNOWN_METHOD',
  'UNAUTHENTICATED',
  'SESSION_EXPIRED',
  'FORBIDDEN',
  'INVALID_CREDENTIALS',
  'ACCOUNT_LOCKED',
  'ACCOUNT_DISABLED',
  /** A session typed too many wrong dock PINs (for anyone): its PIN checks pause for a while. */
  'TOO_MANY_ATTEMPTS',
  'SETUP_DONE',
  'SETUP_REQUIRED',
  'ALREADY_EXISTS',
  'NOT_FOUND',
  'CONFLICT',
  'SCHEMA_TOO_NEW',
  'CHAIN_BROKEN',
  /**
   * Rule D-NO-TAMPER: the station's signing keys are missing, damaged or not the ones its audit
   * checkpoints were signed with; it signs nothing with them and never makes new ones over history.
   */
  'KEYS_UNUSABLE',
  /** Rule D-NO-LEAK: a recorder nobody registered is not read. */
  'RECORDER_NOT_REGISTERED',
  /**
   * Rule D-WHO-RECORDS: a volume carries a registered recorder's serial but its device differs
   * from the one the registration is bound to; held for a custodian, nothing read.
   */
  'RECORDER_LOOKALIKE',
  /** Another evidock process ingests into this data dir (the running station, say). */
  'INGEST_BUSY',
  /** An ingest ran but did not prove every clip: not safe to undock (details say why). */
  'INGEST_INCOMPLETE',
  /** Rule D-NO-TAMPER: an archived original differs from the catalogue, or is missing. */
  'INTEGRITY_FAILED',
  /** Another integrity sweep runs on this data dir (the station's, or `evidock verify`). */
  'INTEGRITY_BUSY',
  /** So many sign-ins are being checked at once that this one is turned away: try again. */
  'SIGN_IN_BUSY',
  /** The client took the request back before it was answered. */
  'CANCELLED',
  /** The data dir belongs to another user, or cannot be made private to the station's own. */
  'DATA_DIR_UNSAFE',
  /** Another process forwards from this data dir (the running station, or `evidock forward run`). */
  'FORWARD_BUSY',
  /** D-24H: forwarding ended with clips not yet verified on every enabled target (details say which). */
  'FORWARD_INCOMPLETE',
  /** D-NO-TAMPER: a remote copy is missing or differs from the clip it should be (each one named). */
  'REMOTE_MISMATCH',
  /** A tool discs need is not installed (xorriso, par2, fuseiso): the message says which and how. */
  'DISC_TOOL_MISSING',
  /** Another process burns or checks a disc from this data dir. */
  'DISC_BUSY',
  /** D-LONGTERM: a clip larger than the medium (details name the medium that holds it). */
  'DISC_TOO_SMALL',
  /** The burn itself failed (the medium full, the drive refused): nothing is recorded as burned. */
  'DISC_BURN_FAILED',
  /** The disc in the drive is not one of this station's, or could not be read. */
  'DISC_UNKNOWN',
  'INTERNAL',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export interface RpcErrorBody {
  code: ErrorCode;
  message: string;
  /** Extra machine-readable facts, e.g. `lockedUntil` for ACCOUNT_LOCKED. */
  details?: Record<string, unknown>;
}

/** An error that crosses the contract boundary with a stable code. */
export class RpcError extends Error {
  readonly code: ErrorCode;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = 'RpcError';
    this.code = code;
    this.details = details;
  }

  toBody(): RpcErrorBody {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details };
  }
}

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && (ERROR_CODES as readonly string[]).includes(value);
}
