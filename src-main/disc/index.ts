/** Long-term discs (D-LONGTERM): burned, proven, registered, re-checked. */
export { checkFilesAt, type ExpectedFile } from './file-pass';
export {
  BurnFailed,
  burnDisc,
  checkBlocks,
  checkFileMd5s,
  XorrisoMissing,
  type DiscPass,
  type PassResult,
} from './media-passes';
export { drivesListed, isDriveAddress, type DriveAddress, type OpticalDrive } from './xorriso';
export {
  checkManifestSignatures,
  checksumList,
  MANIFEST_FILES,
  MANIFEST_FORMAT,
  manifestBytes,
  writeManifest,
  type DiscManifest,
  type ManifestFile,
} from './manifest';
export {
  createRecoveryData,
  par2CreateArgs,
  RECOVERY_FOLDER,
  RECOVERY_INDEX,
  RecoveryFailed,
} from './recovery';
export { VERIFY_PS1, VERIFY_SH, writeVerifiers } from './verifier-scripts';
