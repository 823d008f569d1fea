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
export { DockService, type DeviceSource, type IngestOrder } from './dock-service';
export { DockingViews, FINDINGS_SENT } from './docking-views';
export { OfficerAtDock } from './officer-at-dock';
export { RecorderRegistry, type Registration } from './recorder-registry';
