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
export {
  devicesArgs,
  drivesListed,
  isDriveAddress,
  runXorriso,
  type DriveAddress,
  type OpticalDrive,
} from './xorriso';
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
export {
  CUSTODY_FILE,
  CUSTODY_FORMAT,
  custodyExtract,
  type CustodyCatalogue,
  type CustodyCheckpoint,
  type CustodyDocument,
  type CustodyInput,
  type CustodyLink,
} from './custody-extract';
export { checkCustodyDocument, type CustodyCheck } from './custody-check';
export { DiscSets, type PlanInput, type PlanOutcome } from './disc-sets';
export { DiscBurner, type BurnOutcome, type BurnRequest, type DiscOutcome } from './disc-burner';
export { DiscRegister } from './disc-register';
export { withDiscMounted, DiscNotMounted } from './disc-mount';
export {
  macosBurnCommand,
  macosDrivesCommand,
  macosDrivesListed,
  nativeDone,
  nativeError,
  nativeProgress,
  windowsBurnCommand,
  windowsDrivesCommand,
  windowsDrivesListed,
  windowsEjectCommand,
  type NativeCommand,
} from './native-burners';
export { checkDiscOffline, type OfflineCheck } from './offline-check';
export {
  discLabelPdf,
  discReadmePdf,
  evidenceListPdf,
  type DiscLabelInfo,
  type DiscReadmeInfo,
  type EvidenceListInfo,
} from './disc-documents';
export { checkTreesAgree } from './tree-check';
export { checkListedFiles, LIST_FILES, sealDiscLists } from './disc-lists';
