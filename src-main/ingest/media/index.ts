/** Media facts (times, duration, resolution, codec, file-name fields) and thumbnails of clips. */
export { readMediaFacts, type MediaFactsContext } from './facts';
export { fileTimeFacts, noThumbnail, type MakeThumbnail, type ReadMediaFacts } from './readers';
export { makeThumbnail } from './thumbnail';
