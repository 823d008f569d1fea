// The station runs in an Electron utility process: Node with the native modules, no window, no
// Electron imports of its own. This module owns its life cycle and hands out MessagePorts to it.
import { MessageChannelMain, utilityProcess } from 'electron';
import type { MessagePortMain, UtilityProcess } from 'electron';
import { DELIVERY_ORIGIN_PATTERN, SHELL_KEY_PATTERN } from '../contract/bridge';
import type { DeliveryServer } from './policy';
import { stationArgs } from './options';

/** The messages main sends on the utility process's parentPort (see the station's utility.ts). */
export const STATION_PORT_MESSAGE = { type: 'evidock:port' } as const;
export const STATION_STOP_MESSAGE = { type: 'evidock:stop' } as const;

/** Checkpointing the catalogue takes well under a second; this is the ceiling, not the norm. */
const STOP_GRACE_MS = 5_000;
/** After SIGTERM, how long to wait before quitting regardless. */
const KILL_GRACE_MS = 2_000;

export interface StationOptions {
  /** dist/station/utility.mjs */
  modulePath: string;
  /** Undefined: the station's own default (see options.ts). */
  dataDir: string | undefined;
  /** See stationEnv in options.ts. */
  env: Record<string, string>;
  /** Called when the process exits without having been asked to stop. */
  onUnexpectedExit: (exitCode: number) => void;
}

export class StationProcess {
  readonly #options: StationOptions;
  #child: UtilityProcess | null = null;
  #stopping: Promise<void> | null = null;
  #delivery: DeliveryServer | null = null;

  constructor(options: StationOptions) {
    this.#options = options;
  }

  /**
   * The station's loopback delivery server, once it has said where it is, with the key its
   * delivery routes ask of the window's requests (D-NO-LEAK).
   */
  get delivery(): DeliveryServer | null {
    return this.#delivery;
  }

  get running(): boolean {
    return this.#child !== null;
  }

  start(): void {
    if (this.#child !== null) return;
    this.#stopping = null;
    const child = utilityProcess.fork(
      this.#options.modulePath,
      stationArgs(this.#options.dataDir),
      { serviceName: 'evidock-station', env: this.#options.env, stdio: 'inherit' },
    );
    child.on('error', (type, location) => {
      console.error(`evidock: station fatal error (${type}) at ${location}`);
    });
    child.on('message', (message: unknown) => {
      const said = message as { type?: unknown; origin?: unknown; key?: unknown } | null;
      if (said?.type !== 'evidock:delivery') return;
      const { origin, key } = said;
      if (typeof origin !== 'string' || !DELIVERY_ORIGIN_PATTERN.test(origin)) return;
      if (typeof key !== 'string' || !SHELL_KEY_PATTERN.test(key)) return;
      this.#delivery = { origin, key };
    });
    child.once('exit', (code) => {
      this.#delivery = null;
      if (this.#child === child) this.#child = null;
      if (this.#stopping === null) this.#options.onUnexpectedExit(code);
    });
    this.#child = child;
  }

  /**
   * Opens a fresh channel: one end goes to the station, the other to `deliver` (the window).
   * Each renderer load gets its own channel, so a reload never inherits a half-used port.
   * Returns false when the station is not running.
   */
  connect(deliver: (port: MessagePortMain) => void): boolean {
    const child = this.#child;
    if (child === null || this.#stopping !== null) return false;
    const { port1, port2 } = new MessageChannelMain();
    child.postMessage(STATION_PORT_MESSAGE, [port1]);
    deliver(port2);
    return true;
  }

  /**
   * Asks the station to stop (it checkpoints the catalogue and exits), sends SIGTERM if it has not
   * exited after STOP_GRACE_MS, and gives up waiting KILL_GRACE_MS later. Idempotent.
   */
  stop(): Promise<void> {
    if (this.#stopping !== null) return this.#stopping;
    const child = this.#child;
    if (child === null) return Promise.resolve();
    this.#stopping = new Promise<void>((resolve) => {
      const timers: NodeJS.Timeout[] = [];
      const done = (): void => {
        for (const timer of timers) clearTimeout(timer);
        resolve();
      };
      child.once('exit', done);
      timers.push(setTimeout(() => child.kill(), STOP_GRACE_MS));
      timers.push(setTimeout(done, STOP_GRACE_MS + KILL_GRACE_MS));
      child.postMessage(STATION_STOP_MESSAGE);
    });
    return this.#stopping;
  }
}
