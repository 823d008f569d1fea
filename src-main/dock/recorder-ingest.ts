import type { RecorderRecord } from '../catalogue/recorders';
import { STATION_ACTOR } from '../custody/audit-log';
import {
  createDriver,
  errorText,
  identifyRecorder,
  matchProfile,
  type DockedVolume,
  type Identification,
  type RecorderDriver,
  type RecorderProfile,
  type UsbInfo,
} from '../devices';
import { RpcError } from '../contract';
import { clockOffset } from '../domain';
import { IngestRefused, type IngestJob, type IngestRequest } from '../ingest';
import type { DockServiceOptions, IngestOrder } from './dock-options';
import type { RecorderBindings } from './recorder-binding';

/** What an amba-bulk recorder's driver did before the recorder came back as a volume. */
interface PreparedOverUsb {
  serial: string;
  clockSetAt: string | null;
}

/** How preparing a recorder over USB ended. */
type UsbPreparation =
  | { outcome: 'no-password' }
  | { outcome: 'gone' }
  | { outcome: 'unregistered'; serial: string }
  | { outcome: 'prepared'; serial: string };

/**
 * A registered recorder from its identification to a running ingest: its profile and serial,
 * its driver (clock read and set, storage mode over USB), the request the engine runs.
 */
export class RecorderIngest {
  private readonly preparedOverUsb = new Map<string, PreparedOverUsb>();

  constructor(
    private readonly options: DockServiceOptions,
    private readonly bindings: RecorderBindings,
    /** A docking started: the screens are told. */
    private readonly started: (dockingId: number) => void,
  ) {}

  /**
   * Ingests one mounted recorder volume: matched to its profile, identified, and only if its
   * recorder is registered (D-NO-LEAK). The CLI's `evidock ingest` and a docking alike.
   */
  async ingestVolume(order: IngestOrder): Promise<{ job: IngestJob; recorder: RecorderRecord }> {
    const volume: DockedVolume = order.volume ?? {
      device: order.mountpoint,
      mountpoint: order.mountpoint,
      label: null,
      size: null,
      isUSB: null,
    };
    const match = await matchProfile(volume, this.options.profiles);
    let serial = order.serial ?? null;
    if (serial === null) {
      if (match === undefined) {
        throw new IngestRefused(
          'RECORDER_NOT_REGISTERED',
          `${volume.mountpoint} does not look like any known recorder and names no serial; name it with --recorder SERIAL`,
        );
      }
      const identified = await this.identify(volume, match.profile);
      if (identified.serial === undefined) {
        throw new IngestRefused(
          'RECORDER_NOT_REGISTERED',
          `the recorder's serial could not be read (${identified.reason}); name it with --recorder SERIAL`,
        );
      }
      serial = identified.serial;
    }
    const recorder = this.options.catalogue.recorders.getActive(serial);
    if (!recorder) {
      throw new IngestRefused(
        'RECORDER_NOT_REGISTERED',
        `recorder ${serial} is not registered: a custodian must register it before its clips are read (D-NO-LEAK)`,
      );
    }
    const profile = this.profileFor(recorder) ?? match?.profile;
    if (profile === undefined) {
      throw new IngestRefused(
        'RECORDER_NOT_REGISTERED',
        `recorder ${recorder.serial} is registered with profile ${recorder.profileId}, which this station does not have`,
      );
    }
    // D-WHO-RECORDS: named by hand or not, its device must be the one the recorder is bound to.
    const admission = this.bindings.admit(recorder, volume);
    if (!admission.admitted) {
      const { lookalike } = admission;
      throw new RpcError(
        'RECORDER_LOOKALIKE',
        `${volume.mountpoint} carries recorder ${recorder.serial}'s serial, but its device differs from the one the recorder is bound to (${lookalike.differs.join(', ')}): held as look-alike ${lookalike.id} for a custodian to confirm or refuse; nothing was read`,
        { lookalikeId: lookalike.id, differs: lookalike.differs },
      );
    }
    const job = await this.start(volume, recorder, profile, order);
    return { job, recorder };
  }

  /**
   * The recorder's serial: what its driver read over USB on this very port moments ago (it has
   * just come back as a volume), else what the profile's sources give.
   */
  async identify(volume: DockedVolume, profile: RecorderProfile): Promise<Identification> {
    const prepared =
      volume.usb?.port === undefined ? undefined : this.preparedOverUsb.get(volume.usb.port);
    if (prepared !== undefined) {
      return { serial: prepared.serial, source: 'driver', attempts: [{ source: 'driver' }] };
    }
    return identifyRecorder(volume, profile);
  }
  profileFor(recorder: RecorderRecord): RecorderProfile | undefined {
    return this.options.profiles.find((p) => p.id === recorder.profileId);
  }
  async start(
    volume: DockedVolume,
    recorder: RecorderRecord,
    profile: RecorderProfile,
    order: IngestOrder,
  ): Promise<IngestJob> {
    const prepared =
      volume.usb?.port === undefined ? undefined : this.preparedOverUsb.get(volume.usb.port);
    // An amba-bulk recorder's clock was set over USB before it became a volume.
    const driver = profile.driver === 'mass-storage' ? this.driverFor(profile, volume) : undefined;
    await driver?.open();
    let offset = null;
    if (driver?.readClock) {
      const stationTime = this.options.now().toISOString();
      offset = clockOffset({
        recorderTime: (await driver.readClock()).toISOString(),
        stationTime,
      });
    }
    const setClock = driver?.setClock?.bind(driver);
    const request: IngestRequest = {
      mountpoint: volume.mountpoint,
      recorderSerial: recorder.serial,
      profile,
      actor: order.actor ?? STATION_ACTOR,
      identifiedBy:
        order.identifiedBy === undefined
          ? recorder.officerBadge === null
            ? null
            : 'assigned'
          : order.identifiedBy,
      clockOffset: offset,
      ...(order.officerBadge === undefined ? {} : { officerBadge: order.officerBadge }),
      ...(setClock === undefined
        ? {}
        : {
            setClock: async () => {
              const at = this.options.now();
              await setClock(at);
              return at;
            },
          }),
    };
    const job = this.options.engine.ingest(request);
    void job.done.finally(() => driver?.close());
    if (prepared !== undefined && volume.usb?.port !== undefined) {
      this.preparedOverUsb.delete(volume.usb.port);
      if (prepared.clockSetAt !== null)
        this.recordClockSet(job.dockingId, recorder, prepared.clockSetAt);
    }
    this.started(job.dockingId);
    return job;
  }
  private driverFor(profile: RecorderProfile, volume: DockedVolume): RecorderDriver {
    return createDriver(profile, {
      mountpoint: volume.mountpoint,
      ...(this.options.timeZone === undefined ? {} : { timeZone: this.options.timeZone }),
    });
  }

  /**
   * An Ambarella recorder before it shows its storage: its id read over USB, and only if it is
   * registered, its clock set and storage mode asked for (D-NO-LEAK: an unregistered one is
   * never opened up). It comes back as a volume on the same port, which is then ingested.
   */
  async prepareOverUsb(
    usb: UsbInfo,
    profile: RecorderProfile,
    entry: { gone(): boolean; registered(serial: string): void },
  ): Promise<UsbPreparation> {
    const password = this.options.catalogue.settings.get('ambaPassword');
    if (password === null) return { outcome: 'no-password' };
    const driver = createDriver(profile, {
      usb,
      ambaPassword: password,
      ...(this.options.timeZone === undefined ? {} : { timeZone: this.options.timeZone }),
      ...(this.options.openTransport === undefined
        ? {}
        : { openTransport: this.options.openTransport }),
    });
    await driver.open();
    try {
      const serial = await driver.deviceId!();
      if (entry.gone()) return { outcome: 'gone' };
      const recorder = this.options.catalogue.recorders.getActive(serial);
      if (!recorder) return { outcome: 'unregistered', serial };
      let clockSetAt: string | null = null;
      try {
        await driver.setClock!(this.options.now());
        clockSetAt = this.options.now().toISOString();
      } catch (error) {
        this.options.log('warn', "a recorder's clock could not be set", {
          serial,
          error: errorText(error),
        });
      }
      if (usb.port !== undefined) this.preparedOverUsb.set(usb.port, { serial, clockSetAt });
      entry.registered(serial);
      await driver.prepareStorage!();
      return { outcome: 'prepared', serial };
    } finally {
      await driver.close();
    }
  }
  private recordClockSet(dockingId: number, recorder: RecorderRecord, at: string): void {
    this.options.catalogue.write((tx) => {
      tx.dockings.setClockSet(dockingId, at);
      this.options.audit.append(tx, {
        actor: STATION_ACTOR,
        action: 'recorder.clock.set',
        subject: `recorder:${recorder.serial}`,
        details: { dockingId, setTo: at, over: 'usb' },
      });
    });
  }
}
