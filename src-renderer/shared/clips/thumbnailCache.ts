import { useEffect, useState } from 'react';
import type { DeliveryAddress } from '../../../src-main/contract';
import { fetchDelivered } from '../delivery';
import { useStation } from '../StationContext';

/** What `clips.thumbnail` answers: where to fetch a JPEG, or null when the clip has none. */
export type ThumbnailAnswer = DeliveryAddress | null;

/**
 * Thumbnails as object URLs, fetched once per clip and kept in memory only (never in storage:
 * the pictures are footage, D-NO-LEAK), the least recently used dropped (and released) beyond
 * `limit`. Each is fetched with the page's session (`session`, read at the fetch): the station
 * serves a thumbnail's address once, to the session that asked for it. A failed fetch is not
 * remembered, so the next look asks again, for a new address.
 */
export class ThumbnailCache {
  private readonly entries = new Map<number, Promise<string | null>>();
  private readonly ready = new Map<number, string | null>();

  constructor(
    private readonly ask: (id: number) => Promise<ThumbnailAnswer>,
    private readonly session: () => string | null,
    private readonly limit = 400,
  ) {}

  private load(address: DeliveryAddress): Promise<Blob> {
    return fetchDelivered(address, this.session());
  }

  /** The object URL if it is already here (undefined: not fetched yet). */
  peek(id: number): string | null | undefined {
    return this.ready.get(id);
  }

  get(id: number): Promise<string | null> {
    const hit = this.entries.get(id);
    if (hit !== undefined) {
      this.entries.delete(id);
      this.entries.set(id, hit);
      return hit;
    }
    const promise = this.ask(id)
      .then(async (answer) =>
        answer === null ? null : URL.createObjectURL(await this.load(answer)),
      )
      .then(
        (url) => {
          if (this.entries.get(id) === promise) this.ready.set(id, url);
          else if (url !== null) URL.revokeObjectURL(url);
          return url;
        },
        (error: unknown) => {
          if (this.entries.get(id) === promise) this.entries.delete(id);
          throw error;
        },
      );
    this.entries.set(id, promise);
    while (this.entries.size > this.limit) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.forget(oldest);
    }
    return promise;
  }

  get size(): number {
    return this.entries.size;
  }

  clear(): void {
    for (const id of [...this.entries.keys()]) this.forget(id);
  }

  private forget(id: number): void {
    const url = this.ready.get(id);
    if (url) URL.revokeObjectURL(url);
    this.entries.delete(id);
    this.ready.delete(id);
  }
}

/**
 * A screen's thumbnails (`clips.thumbnail`): one cache for as long as the screen is shown, its
 * pictures released when it goes (footage stays in the screen's memory only, D-NO-LEAK).
 */
export function useThumbnailCache(): ThumbnailCache {
  const { client } = useStation();
  const [cache] = useState(
    () =>
      new ThumbnailCache(
        (id) => client.call('clips.thumbnail', { id }),
        () => client.token,
      ),
  );
  useEffect(() => () => cache.clear(), [cache]);
  return cache;
}
