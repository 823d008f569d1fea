// The devices layer: what the station wires (detection, profiles, identification, drivers,
// officer identification at the dock). Pure Node; native modules load lazily and may be absent.
export {
  CardReader,
  type CardReaderEvents,
  type CardReaderOptions,
  type HidHandle,
} from './card-reader';
export {
  DeviceWatcher,
  defaultMountRoots,
  type DeviceWatcherEvents,
  type DeviceWatcherOptions,
} from './device-watcher';
export { AmbaBulkDriver, type AmbaBulkOptions } from './drivers/amba-bulk';
export {
  AmbaError,
  AmbaSession,
  checkAmbaPassword,
  type AmbaErrorCode,
} from './drivers/amba-protocol';
export { TransportTimeoutError, type BulkTransport } from './drivers/bulk-transport';
export { createDriver, type DriverContext } from './drivers/create-driver';
export type { RecorderDriver } from './drivers/driver';
export { MassStorageDriver } from './drivers/mass-storage';
export { openUsbBulkTransport, type UsbBulkTarget } from './drivers/usb-bulk-transport';
export { KeyboardWedgeDecoder, type KeyboardWedgeOptions } from './hid-keyboard';
export {
  identifyRecorder,
  type Identification,
  type SerialAttempt,
  type SerialSource,
} from './identify';
export { volumeAt } from './linux-block';
export { defaultDevicesLog, errorText, type DevicesLog } from './log';
export { matchProfile, matchUsbProfile, type MatchedBy, type ProfileMatch } from './match';
export { mediaKindOf, recorderProfileSchema, type RecorderProfile } from './profile';
export {
  loadProfiles,
  ProfileLoadError,
  resolveProfilesDir,
  type ProfileProblem,
} from './profiles';
export { writeTimeFile, type TimeFileSpec } from './time-file';
export type { DockedVolume, UsbInfo } from './volume';
export { formatWallClock } from './wall-clock';
