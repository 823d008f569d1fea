/** Forwarding to the unit's central storage (D-24H), proven there (D-NO-TAMPER). */
export { acquireForwardLock } from './forward-lock';
export { Forwarder, type ForwardFailure, type TargetOutcome } from './forwarder';
export { ForwardingLoop, type ForwardingLoopOptions } from './forwarding-loop';
export { ForwardTargets, targetView } from './forward-targets';
export { RemoteCheck, type RemoteProblem } from './remote-check';
export { KeyFileSecretBox, type SecretBox } from './secret-box';
