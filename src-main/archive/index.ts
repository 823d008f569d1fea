/**
 * The archive on disk: where originals, sidecars, staging copies and thumbnails live, how a
 * proven copy is placed (read-only, never over another file), and how any of them is read back
 * past the page cache. Ingest copies with it, custody re-proves with it, forwarding and discs
 * read from it.
 */
export { AlignedBufferPool, DIRECT_IO_ALIGNMENT, isPageAligned } from './aligned-buffers';
export { DiskFile, errnoOf, UncachedWriter, type ReadBack } from './disk-file';
export { fsyncFolder, fsyncFolderSync, makeFolderInside, writeFileDurably } from './durable';
export { archiveFiles } from './listing';
export { LockFile } from './lock-file';
export {
  ARCHIVE_FOLDER,
  archiveFolderFor,
  resolveInside,
  SIDECAR_SUFFIX,
  thumbnailPathFor,
  within,
} from './paths';
export { freeArchivePath, linkIntoArchive, present, unlinkOwnArchiveName } from './placement';
export { readBlocks } from './read-loop';
export { readSidecar, writeSidecar, type CustodyEvent } from './sidecar';
export { hashFromDisk, type DiskDigest } from './verify';
