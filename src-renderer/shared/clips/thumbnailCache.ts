/** What `clips.thumbnail` answers: a JPEG, or null when the clip has none. */
export type ThumbnailAnswer = { mime: string; base64: string } | null;

/**
 * Thumbnails as data URLs, fetched once per clip and kept in memory only (never in storage: the
 * pictures are footage, D-NO-LEAK), the least recently used dropped beyond `limit`.
 * A failed fetch is not remembered, so the next look tries again.
 */
export class ThumbnailCache {
  private readonly entries = new Map<number, Promise<string | null>>();
  private readonly ready = new Map<number, string | null>();

  constructor(
    private readonly fetch: (id: number) => Promise<ThumbnailAnswer>,
    private readonly limit = 400,
  ) {}

  /** The data URL if it is already here (undefined: not fetched yet). */
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
    const promise = this.fetch(id).then(
      (answer) => {
        const url = answer === null ? null : `data:${answer.mime};base64,${answer.base64}`;
        if (this.entries.get(id) === promise) this.ready.set(id, url);
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
      this.entries.delete(oldest);
      this.ready.delete(oldest);
    }
    return promise;
  }

  get size(): number {
    return this.entries.size;
  }

  clear(): void {
    this.entries.clear();
    this.ready.clear();
  }
}
