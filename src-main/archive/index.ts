/**
 * The archive on disk: where originals, sidecars, staging copies and thumbnails live, how a
 * proven copy is placed (read-only, never over another file), and how any of them is read back
 * past the page cache. Ingest copies with it, custody re-proves with it, forwarding and discs
 * read from it.
 */
export {
  AlignedBufferPool,
  DIRECT_IO_ALIGNMENT,
  directTransferOk,
  isPageAligned,
} from './aligned-buffers';
export { DiskFile, errnoOf, UncachedWriter, type ReadBack } from './disk-file';
export { fsyncFolder, makeFolderInside, writeFileDurably } from './durable';
export {
  ARCHIVE_FOLDER,
  archiveFolderFor,
  candidateName,
  OutsideDataDirError,
  resolveInside,
  SIDECAR_SUFFIX,
  THUMBNAILS_FOLDER,
  thumbnailPathFor,
  within,
} from './paths';
export {
  freeArchivePath,
  linkIntoArchive,
  present,
  READ_ONLY,
  unlinkOwnArchiveName,
  type LinkOutcome,
} from './placement';
export { readBlocks, type BlockReader, type ReadLoop } from './read-loop';
export {
  readSidecar,
  sidecarPath,
  writeSidecar,
  type CustodyEvent,
  type Sidecar,
  type SidecarClip,
} from './sidecar';
export { hashFromDisk, type DiskDigest, type DiskReadOptions } from './verify';
