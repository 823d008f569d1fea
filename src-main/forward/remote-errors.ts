/**
 * What a failure means for the queue. `stop`: retrying cannot fix it (credentials, a missing
 * bucket, access, the clock): the target stops with the server's reason until a custodian mends
 * it. `hold`: this clip must not be sent as it is (its archived bytes are not the ones proven at
 * ingest, D-NO-TAMPER): it waits for a custodian, the others go on. `restart`: the upload the
 * outbox held is gone; begin it again. `retry`: anything else (the network, a busy or restarting
 * server, a part refused for its digest).
 */
export type FailureKind = 'stop' | 'hold' | 'restart' | 'retry';

export interface RemoteFailure {
  kind: FailureKind;
  /** The server's error code, or the system's (ECONNREFUSED), or ours. */
  code: string;
  /** The server's words, as it said them. */
  message: string;
}

const STOPPING = new Set([
  'InvalidAccessKeyId',
  'SignatureDoesNotMatch',
  'NoSuchBucket',
  'AccessDenied',
  'AllAccessDisabled',
  'AccountProblem',
  'InvalidBucketName',
  'RequestTimeTooSkewed',
  'InvalidArgument',
  'NotImplemented',
  'Forbidden',
]);

const RESTARTING = new Set(['NoSuchUpload']);

/** A failure found by the station itself (its own check, the local file), not the server. */
export class ForwardRefused extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly kind: FailureKind = 'retry',
  ) {
    super(message);
    this.name = 'ForwardRefused';
  }
}

interface ServiceErrorShape {
  name?: string;
  Code?: string;
  code?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number };
}

export function describeFailure(error: unknown): RemoteFailure {
  if (error instanceof ForwardRefused) {
    return { kind: error.kind, code: error.code, message: error.message };
  }
  const shape = (typeof error === 'object' && error !== null ? error : {}) as ServiceErrorShape;
  const status = shape.$metadata?.httpStatusCode;
  // The SDK names a service error after its code; a bare 403 or 404 on a HEAD has no body.
  let code = shape.Code ?? shape.name ?? shape.code ?? 'Error';
  if (code === 'UnknownError' || code === 'Error') {
    if (status === 403) code = 'Forbidden';
    else if (status === 404) code = 'NotFound';
    else if (typeof shape.code === 'string') code = shape.code;
  }
  const message = shape.message && shape.message !== 'UnknownError' ? shape.message : code;
  if (STOPPING.has(code)) return { kind: 'stop', code, message };
  if (RESTARTING.has(code)) return { kind: 'restart', code, message };
  return { kind: 'retry', code, message: status ? `${message} (HTTP ${status})` : message };
}

/** A write-once document found on the target with other contents than ours. */
export function conflict(key: string): ForwardRefused {
  return new ForwardRefused(
    'REMOTE_CONFLICT',
    `${key} is already on the target with other contents; it is never overwritten (D-NO-TAMPER): ` +
      "the station's record and the central copy disagree",
    'stop',
  );
}
