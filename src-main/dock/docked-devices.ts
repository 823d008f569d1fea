import type { LookalikeRecord } from '../catalogue/recorders';
import type { DockedVolume as VolumeView } from '../contract';
import type { DockedVolume, RecorderProfile, UsbInfo } from '../devices';
import { lookalikeView } from './recorder-binding';

type EntryState = 'deciding' | 'recorder' | 'unregistered' | 'ignored' | 'held' | 'refused';

/** One thing plugged in: a volume, or an amba-bulk recorder that has no volume yet. */
export interface Entry {
  key: string;
  volume: DockedVolume | null;
  usb: UsbInfo | undefined;
  state: EntryState;
  profile: RecorderProfile | null;
  serial: string | null;
  dockingId: number | null;
  problem: string | null;
  /** Unplugged: whatever was still being decided about it is dropped. */
  gone: boolean;
  /** Its refusal is audited once per docking, not at every recheck. */
  refusalAudited: boolean;
  /** Held (or refused) as a look-alike of its recorder: its facts differ from the binding. */
  lookalike: LookalikeRecord | null;
}

/** What is plugged into the dock now: volumes, and amba-bulk recorders not yet volumes. */
export class DockedDevices {
  private readonly entries = new Map<string, Entry>();

  /** A volume mounted, or a USB recorder plugged in: decided from here on. */
  add(key: string, volume: DockedVolume | null, usb: UsbInfo | undefined): Entry {
    const entry: Entry = {
      key,
      volume,
      usb,
      state: 'deciding',
      profile: null,
      serial: null,
      dockingId: null,
      problem: null,
      gone: false,
      refusalAudited: false,
      lookalike: null,
    };
    this.entries.set(key, entry);
    return entry;
  }

  get(key: string): Entry | undefined {
    return this.entries.get(key);
  }

  has(key: string): boolean {
    return this.entries.has(key);
  }

  /** Unplugged: whatever was still being decided about it is dropped. */
  drop(entry: Entry): void {
    entry.gone = true;
    this.entries.delete(entry.key);
  }

  all(): IterableIterator<Entry> {
    return this.entries.values();
  }

  /** Dockings whose recorder is plugged in now, newest first. */
  dockedNow(): number[] {
    const ids: number[] = [];
    for (const entry of this.entries.values())
      if (entry.dockingId !== null) ids.push(entry.dockingId);
    return ids.sort((a, b) => b - a);
  }

  /** The look-alikes whose volume is docked now. */
  lookalikesDocked(): Set<number> {
    const ids = new Set<number>();
    for (const entry of this.entries.values())
      if (entry.lookalike !== null) ids.add(entry.lookalike.id);
    return ids;
  }

  views(): VolumeView[] {
    const views: VolumeView[] = [];
    for (const entry of this.entries.values()) {
      if (entry.state === 'deciding') continue;
      const usb = entry.usb;
      views.push({
        device: entry.volume?.device ?? `usb:${usb?.port ?? usbKey(usb!)}`,
        mountpoint: entry.volume?.mountpoint ?? '',
        label: entry.volume?.label ?? null,
        usb:
          usb === undefined
            ? null
            : {
                vendorId: usb.vendorId,
                productId: usb.productId,
                serial: usb.serial ?? null,
                manufacturer: usb.manufacturer ?? null,
                product: usb.product ?? null,
              },
        state: entry.state,
        profileId: entry.profile?.id ?? null,
        serial: entry.serial,
        dockingId: entry.dockingId,
        problem: entry.problem,
        // As recorded; each screen is shown what its viewer may see of it (volumeFor).
        lookalike: entry.lookalike === null ? null : lookalikeView(entry.lookalike, true),
      });
    }
    return views;
  }
}

export function volumeKey(volume: DockedVolume): string {
  return `${volume.device}\u0000${volume.mountpoint}`;
}

export function usbKey(usb: UsbInfo): string {
  return `usb\u0000${usb.port ?? `${usb.vendorId}:${usb.productId}:${usb.serial ?? ''}`}`;
}

export function usbIds(usb: UsbInfo | undefined): Record<string, unknown> | null {
  return usb === undefined
    ? null
    : { vendorId: usb.vendorId, productId: usb.productId, serial: usb.serial ?? null };
}
