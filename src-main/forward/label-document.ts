import type { Catalogue } from '../catalogue/catalogue';
import type { OutboxItem } from '../catalogue/forwarding';

/** `<object key>.labels-<audit seq>.json`: every version kept side by side on the target. */
export function labelDocumentKey(objectKey: string, version: number): string {
  return `${objectKey}.labels-${String(version).padStart(12, '0')}.json`;
}

/**
 * What the central side needs to file a clip without the station (D-LABEL, D-CONTENT): the facts
 * ingest proved and recorded (hashes, recorder, producer, times, custody) and the label as it
 * stands at audit sequence `version`. It is the unit's own storage: the label goes whole.
 */
export function labelDocument(
  catalogue: Catalogue,
  item: OutboxItem,
  version: number,
): Record<string, unknown> {
  const clip = catalogue.clips.get(item.clipId)!;
  return {
    format: 'evidock.clip-labels/1',
    version,
    object: item.objectKey,
    clip: {
      archivePath: clip.archivePath,
      size: clip.originalSize,
      sha256: clip.sha256,
      sm3: clip.sm3,
      kind: clip.kind,
      recorderSerial: clip.recorderSerial,
      // D-WHO-RECORDS: the producer is the officer who recorded.
      producer: clip.officerBadge,
      recordedStart: clip.recordedStart,
      recordedEnd: clip.recordedEnd,
      custodyAt: clip.custodyAt,
      originalPath: clip.originalPath,
    },
    labels: catalogue.labels.get(item.clipId) ?? null,
  };
}
