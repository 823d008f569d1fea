/**
 * The dock: recorders registered and docked, their ingest, and the officer at the dock
 * (D-CUSTODIAN, D-NO-LEAK, D-24H, D-WHO-RECORDS).
 */
export {
  startDock,
  stopDock,
  type DockDeps,
  type DockRuntime,
  type DockStartOptions,
} from './dock-runtime';
export { DockService } from './dock-service';
export type { DeviceSource, DockServiceOptions, IngestOrder } from './dock-options';
export { DockingViews, FINDINGS_SENT } from './docking-views';
export { OfficerAtDock } from './officer-at-dock';
export { RecorderRegistry, type Registration } from './recorder-registry';
