/**
 * The dock: recorders registered and docked, their ingest, and the officer at the dock
 * (D-CUSTODIAN, D-NO-LEAK, D-24H, D-WHO-RECORDS).
 */
export { startDock, stopDock, type DockRuntime, type DockStartOptions } from './dock-runtime';
export { lookalikeView } from './recorder-binding';
export { RecorderRegistry, type Registration } from './recorder-registry';
