/** Media facts (times, duration, resolution, codec, file-name fields) and thumbnails of clips. */
export { readMediaFacts } from './facts';
export type { MediaFacts, MediaFactsContext, TimeSource } from './facts';
export { makeThumbnail } from './thumbnail';
