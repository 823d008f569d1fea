import { stat } from 'node:fs/promises';
import type { RecorderProfile } from '../profile';
import { writeTimeFile } from '../time-file';
import type { RecorderDriver } from './driver';

/**
 * The universal fallback: any recorder that mounts as a volume. It has no channel to the
 * recorder besides the volume, so there is no clock to read (the station estimates the offset
 * from the clips); where the profile says the model reads a time file, it can set the clock.
 */
export class MassStorageDriver implements RecorderDriver {
  readonly kind = 'mass-storage' as const;
  readonly setClock?: (date: Date) => Promise<void>;

  constructor(
    readonly mountpoint: string,
    profile: RecorderProfile,
    options: { timeZone?: string } = {},
  ) {
    const sync = profile.clockSync;
    if (sync.method === 'time-file') {
      this.setClock = async (date) => {
        await writeTimeFile(this.mountpoint, sync, date, options);
      };
    }
  }

  async open(): Promise<void> {
    const stats = await stat(this.mountpoint);
    if (!stats.isDirectory()) throw new Error(`${this.mountpoint} is not a mounted volume`);
  }

  async close(): Promise<void> {}
}
