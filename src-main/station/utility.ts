/**
 * The station inside the desktop app: Electron main forks this file as a utilityProcess and
 * hands it one end of a MessageChannel per window (message `{type:'evidock:port'}` with the port).
 * It never imports electron: the types it needs are described here.
 */
import { parseArgs } from 'node:util';
import { openConnection } from './connection';
import { resolveDataDir } from './data-dir';
import { startStation, stopOnSignals } from './lifecycle';
import { errorDetails } from './logger';
import { startStationDock } from './services';

interface PortMessageEvent {
  data: unknown;
  ports: UtilityPort[];
}

interface UtilityPort {
  on(event: 'message', listener: (event: { data: unknown }) => void): void;
  on(event: 'close', listener: () => void): void;
  postMessage(message: unknown): void;
  start(): void;
  close(): void;
}

interface ParentPort {
  on(event: 'message', listener: (event: PortMessageEvent) => void): void;
  postMessage(message: unknown): void;
}

const parentPort = (process as unknown as { parentPort?: ParentPort }).parentPort;
if (!parentPort) {
  console.error('evidock: utility.mjs runs inside the desktop app; use `evidock station` instead.');
  process.exit(2);
}

const { values } = parseArgs({
  options: { 'data-dir': { type: 'string' }, 'idle-timeout': { type: 'string' } },
  strict: false,
});
const idle = Number(values['idle-timeout']);
// The shell's keychain-kept key for target keys: taken out of the environment at once, so that
// nothing this process starts inherits it.
const forwardKey = process.env.EVIDOCK_FORWARD_KEY;
delete process.env.EVIDOCK_FORWARD_KEY;
const station = startStation(
  {
    dataDir: resolveDataDir(values['data-dir'] as string | undefined),
    ...(Number.isInteger(idle) && idle > 0 ? { authPolicy: { idleTimeoutSeconds: idle } } : {}),
    ...(forwardKey !== undefined && { forwardKey: Buffer.from(forwardKey, 'base64') }),
  },
  'desktop',
);
stopOnSignals(station);

parentPort.on('message', (event) => {
  const message = event.data as { type?: string } | null;
  if (message?.type === 'evidock:stop') {
    void station.stop('desktop app quit').then(() => process.exit(0));
    return;
  }
  const port = event.ports[0];
  if (message?.type !== 'evidock:port' || !port) return;
  const connection = openConnection(station.services, (text) => port.postMessage(text));
  port.on('message', ({ data }) => {
    if (typeof data === 'string') void connection.receive(data);
  });
  port.on('close', () => connection.close());
  port.start();
});

// After the window's port listener: a window that opens meanwhile must not be missed.
try {
  // Footage and files come from the station's own loopback server: the window's pages come from
  // app://. The shell lets the window reach that one origin, and nothing else on the network.
  // The key goes to the shell alone, which adds it to its window's playback requests (D-NO-LEAK).
  const { origin, key } = await station.services.delivery.listenOnLoopback();
  parentPort.postMessage({ type: 'evidock:delivery', origin, key });
  await startStationDock(station.services, { watcher: {} });
} catch (error) {
  station.services.log('error', 'the dock could not start', errorDetails(error));
  await station.stop('the dock could not start');
  process.exit(1);
}
