import type { LookalikeRecord, RecorderRecord } from '../catalogue/recorders';
import type { DockedVolume as VolumeView, Docking } from '../contract';
import { STATION_ACTOR } from '../custody/audit-log';
import {
  DeviceWatcher,
  errorText,
  matchProfile,
  matchUsbProfile,
  type DockedVolume,
  type RecorderProfile,
  type UsbInfo,
} from '../devices';
import type { IngestEngine, IngestJob } from '../ingest';
import type { DeviceSource, DockServiceOptions, IngestOrder } from './dock-options';
import { DockedDevices, usbIds, usbKey, volumeKey, type Entry } from './docked-devices';
import { DockingViews } from './docking-views';
import { RecorderBindings } from './recorder-binding';
import { RecorderIngest } from './recorder-ingest';

/** How long the Dock screen keeps listing a docking after it started. */
const RECENT_MS = 12 * 3600_000;
/** Unregistered recorders still docked are looked at again this often (registered elsewhere?). */
const RECHECK_MS = 2000;

/**
 * The dock: what is plugged in, what it is, and its ingest. A registered recorder is ingested
 * as soon as it is identified, if its device is the one its registration is bound to; a volume
 * that only carries a registered serial is held for a custodian (D-WHO-RECORDS); a look-alike
 * nobody registered is shown for a custodian and never read (D-NO-LEAK, D-CUSTODIAN); anything
 * else is ignored and audited once.
 */
export class DockService {
  private readonly views: DockingViews;
  private readonly devices = new DockedDevices();
  private readonly bindings: RecorderBindings;
  private readonly ingest: RecorderIngest;
  private readonly deciding = new Set<Promise<void>>();
  private watcher: DeviceSource | undefined;
  private recheck: NodeJS.Timeout | undefined;
  private closed = false;

  private constructor(private readonly options: DockServiceOptions) {
    this.views = new DockingViews(options.catalogue);
    this.bindings = new RecorderBindings(options.catalogue, options.audit, options.now);
    this.ingest = new RecorderIngest(options, this.bindings, (dockingId) =>
      this.publishDocking(dockingId),
    );
    const { engine } = options;
    engine.on('progress', (live) => this.publishDocking(live.dockingId));
    engine.on('thumbnail', ({ dockingId }) => this.publishDocking(dockingId));
    engine.on('finished', (result) => this.publishDocking(result.docking.id));
  }

  /** Starts watching (when asked to); volumes docked already are reported during the start. */
  static async start(options: DockServiceOptions): Promise<DockService> {
    const service = new DockService(options);
    if (options.watcher !== false) {
      const watcher =
        'start' in options.watcher
          ? options.watcher
          : new DeviceWatcher({ log: options.log, ...options.watcher });
      watcher.on('volume-attached', (volume) => service.attached(volume));
      watcher.on('volume-detached', (volume) => service.detached(volume));
      watcher.on('usb-attached', (usb) => service.usbAttached(usb));
      watcher.on('usb-detached', (usb) => service.usbDetached(usb));
      service.watcher = watcher;
      await watcher.start();
      service.recheck = setInterval(() => service.recheckUnregistered(), RECHECK_MS);
      service.recheck.unref();
    }
    return service;
  }

  get engine(): IngestEngine {
    return this.options.engine;
  }

  /** Everything plugged in now, and the dockings of the last hours (running ones included). */
  status(): { volumes: VolumeView[]; dockings: Docking[] } {
    const since = new Date(this.options.now().getTime() - RECENT_MS).toISOString();
    return {
      volumes: this.devices.views(),
      dockings: this.views.recent(since, this.options.engine.status()),
    };
  }

  /** Dockings whose recorder is plugged in now, newest first. */
  dockedNow(): number[] {
    return this.devices.dockedNow();
  }

  /** Look-alikes whose volume is plugged in now. */
  lookalikesDocked(): Set<number> {
    return this.devices.lookalikesDocked();
  }

  /**
   * A custodian decided on a held look-alike: confirmed, it is ingested if it is docked (its
   * facts are the binding's now); refused, it stays shown as refused and is never read.
   */
  lookalikeDecided(record: LookalikeRecord): void {
    for (const entry of this.devices.all()) {
      if (entry.lookalike?.id !== record.id) continue;
      entry.lookalike = record;
      if (record.decision === 'refused') {
        entry.state = 'refused';
        this.publishVolumes();
      } else if (record.decision === 'confirmed') {
        entry.state = 'deciding';
        this.decide(entry, () => this.reconsider(entry));
      }
    }
  }

  docking(id: number): Docking | undefined {
    return this.views.get(id, this.live(id));
  }

  /** Resolves once every plug-in seen so far is decided (ingest started, or refused). */
  async settled(): Promise<void> {
    while (this.deciding.size > 0) await Promise.allSettled([...this.deciding]);
  }

  /**
   * A custodian registered a recorder: if it is docked now, its ingest starts. `mountpoint`
   * names the docked volume the serial was typed for, when the volume could not tell its own.
   */
  recorderRegistered(serial: string, mountpoint?: string): void {
    for (const entry of this.devices.all()) {
      if (entry.state !== 'unregistered') continue;
      if (
        entry.serial === null &&
        mountpoint !== undefined &&
        entry.volume?.mountpoint === mountpoint
      ) {
        entry.serial = serial;
      }
      if (entry.serial?.toUpperCase() === serial.toUpperCase())
        this.decide(entry, () => this.reconsider(entry));
    }
  }

  /**
   * Ingests one mounted recorder volume: matched to its profile, identified, and only if its
   * recorder is registered (D-NO-LEAK). The CLI's `evidock ingest` and a docking alike.
   */
  ingestVolume(order: IngestOrder): Promise<{ job: IngestJob; recorder: RecorderRecord }> {
    return this.ingest.ingestVolume(order);
  }

  /** Stops watching, ends running dockings (interrupted, partials kept) and closes the engine. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.recheck !== undefined) clearInterval(this.recheck);
    await this.watcher?.stop();
    await this.settled();
    await this.options.engine.close();
  }

  // -- what is plugged in ---------------------------------------------------------------

  private attached(volume: DockedVolume): void {
    const entry = this.devices.add(volumeKey(volume), volume, volume.usb);
    this.decide(entry, () => this.decideVolume(entry));
  }

  private detached(volume: DockedVolume): void {
    const entry = this.devices.get(volumeKey(volume));
    if (!entry) return;
    this.drop(entry);
    if (entry.dockingId !== null) {
      this.options.engine.cancel(entry.dockingId, {
        code: 'volume-gone',
        message: 'the recorder was undocked before every clip was proven; dock it again to resume',
      });
    }
  }

  private usbAttached(usb: UsbInfo): void {
    const profile = matchUsbProfile(usb, this.options.profiles);
    if (profile?.driver !== 'amba-bulk') return;
    const key = usbKey(usb);
    if (this.devices.has(key)) return;
    const entry = this.devices.add(key, null, usb);
    entry.profile = profile;
    this.decide(entry, () => this.prepareOverUsb(entry, profile));
  }

  private usbDetached(usb: UsbInfo): void {
    const entry = this.devices.get(usbKey(usb));
    if (entry) this.drop(entry);
  }

  private drop(entry: Entry): void {
    this.devices.drop(entry);
    this.publishVolumes();
  }

  private decide(entry: Entry, work: () => Promise<void>): void {
    const run = work()
      .catch((error: unknown) => {
        entry.problem = errorText(error);
        if (entry.state === 'deciding') entry.state = 'unregistered';
        this.options.log('warn', 'a docked device could not be handled', {
          device: entry.volume?.device ?? entry.key,
          error: entry.problem,
        });
        this.publishVolumes();
      })
      .finally(() => this.deciding.delete(run));
    this.deciding.add(run);
  }

  private async decideVolume(entry: Entry): Promise<void> {
    const volume = entry.volume!;
    const match = await matchProfile(volume, this.options.profiles);
    if (entry.gone) return;
    if (match === undefined) {
      entry.state = 'ignored';
      // D-NO-LEAK: a stick that is not a recorder is never read, and its docking is on record.
      this.options.audit.record({
        actor: STATION_ACTOR,
        action: 'volume.ignored',
        subject: `volume:${volume.device}`,
        details: { mountpoint: volume.mountpoint, label: volume.label, usb: usbIds(volume.usb) },
      });
      this.publishVolumes();
      return;
    }
    entry.profile = match.profile;
    const identified = await this.ingest.identify(volume, match.profile);
    if (entry.gone) return;
    if (identified.serial === undefined) {
      entry.problem = `the serial could not be read: ${identified.reason}`;
      this.refuse(entry);
      return;
    }
    entry.serial = identified.serial;
    await this.reconsider(entry);
  }

  /** A look-alike's serial is known: ingest it if registered, else show it to a custodian. */
  private async reconsider(entry: Entry): Promise<void> {
    if (entry.gone || entry.serial === null || entry.profile === null) return;
    const recorder = this.options.catalogue.recorders.getActive(entry.serial);
    if (!recorder) {
      this.refuse(entry);
      return;
    }
    if (entry.volume === null) {
      await this.prepareOverUsb(entry, entry.profile);
      return;
    }
    const profile = this.ingest.profileFor(recorder);
    if (profile === undefined) {
      entry.state = 'recorder';
      entry.problem = `registered with profile ${recorder.profileId}, which this station does not have`;
      this.publishVolumes();
      return;
    }
    // D-WHO-RECORDS: the serial it carries is not enough; its device must be the bound one.
    const admission = this.bindings.admit(recorder, entry.volume);
    if (!admission.admitted) {
      entry.state = 'held';
      entry.lookalike = admission.lookalike;
      this.publishVolumes();
      return;
    }
    const confirmed = entry.lookalike?.decision === 'confirmed' ? entry.lookalike : null;
    entry.lookalike = null;
    try {
      const job = await this.ingest.start(entry.volume, recorder, profile, {
        mountpoint: entry.volume.mountpoint,
      });
      entry.dockingId = job.dockingId;
      entry.problem = null;
      if (confirmed !== null) this.bindings.ingestedAs(confirmed, job.dockingId);
    } catch (error) {
      entry.problem = errorText(error);
    }
    entry.state = 'recorder';
    this.publishVolumes();
  }

  private refuse(entry: Entry): void {
    entry.state = 'unregistered';
    if (!entry.refusalAudited) {
      entry.refusalAudited = true;
      this.options.audit.record({
        actor: STATION_ACTOR,
        action: 'recorder.unregistered.docked',
        subject: `recorder:${entry.serial ?? 'unknown'}`,
        details: {
          device: entry.volume?.device ?? null,
          mountpoint: entry.volume?.mountpoint ?? null,
          profileId: entry.profile?.id ?? null,
          usb: usbIds(entry.usb),
          problem: entry.problem,
        },
      });
    }
    this.publishVolumes();
  }

  /**
   * An Ambarella recorder before it shows its storage: only if it is registered is its clock
   * set and storage mode asked for (D-NO-LEAK: an unregistered one is never opened up). It
   * comes back as a volume on the same port, which is then ingested.
   */
  private async prepareOverUsb(entry: Entry, profile: RecorderProfile): Promise<void> {
    const prepared = await this.ingest.prepareOverUsb(entry.usb!, profile, {
      gone: () => entry.gone,
      registered: (serial) => {
        entry.serial = serial;
        entry.state = 'recorder';
        entry.problem = null;
        this.publishVolumes();
      },
    });
    if (prepared.outcome === 'no-password') {
      entry.problem =
        "the unit's password for this recorder model is not configured (a custodian sets it in the docking policy)";
      this.refuse(entry);
    } else if (prepared.outcome === 'unregistered') {
      entry.serial = prepared.serial;
      this.refuse(entry);
    }
  }

  /** USB-only recorders that could not be opened (no unit password then) are tried again. */
  retryUsbRecorders(): void {
    for (const entry of this.devices.all()) {
      if (entry.volume === null && entry.state === 'unregistered' && entry.profile !== null) {
        const profile = entry.profile;
        entry.refusalAudited = false;
        this.decide(entry, () => this.prepareOverUsb(entry, profile));
      }
    }
  }

  private recheckUnregistered(): void {
    for (const entry of this.devices.all()) {
      if (entry.state === 'unregistered' && entry.serial !== null) {
        if (this.options.catalogue.recorders.getActive(entry.serial))
          this.decide(entry, () => this.reconsider(entry));
      }
    }
  }

  // -- what the screen is told ----------------------------------------------------------

  private live(dockingId: number) {
    return this.options.engine.status().find((p) => p.dockingId === dockingId);
  }

  publishDocking(dockingId: number): void {
    const docking = this.docking(dockingId);
    if (docking) this.options.publish('dock.docking', { docking });
  }

  /** What is docked, told again to every screen (each as it may see it, station/viewer-views). */
  publishVolumes(): void {
    if (this.closed) return;
    this.options.publish('dock.volumes', { volumes: this.devices.views() });
  }
}
