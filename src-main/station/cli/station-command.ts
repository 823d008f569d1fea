import { Command } from 'commander';
import { fileURLToPath } from 'node:url';
import { resolveDataDir } from '../data-dir';
import { startBrowserMode } from '../http-server';
import { startStation, stopOnSignals } from '../lifecycle';
import { startStationDock } from '../services';
import { assertLoopbackHost } from '../loopback';
import { withCommonOptions, type CommonOptions } from './context';
import { wholeNumber } from './option-values';
import { emit, fail } from './output';

export const DEFAULT_PORT = 47810;

interface StationCommandOptions extends CommonOptions {
  host: string;
  port: string;
  idleTimeout?: string;
  mountRoot?: string[];
  sweepHours?: string;
}

/** The integrity sweep runs at least weekly (D-NO-TAMPER): a longer wait is refused. */
const LONGEST_SWEEP_HOURS = 168;

/** The built renderer sits beside the bundled station: dist/station/cli.mjs → dist/renderer. */
function rendererDir(): string {
  return fileURLToPath(new URL('../renderer', import.meta.url));
}

export function stationCommand(): Command {
  return withCommonOptions(
    new Command('station')
      .description(
        'run the station headless and serve its UI to a browser on this machine (loopback only)',
      )
      .option('--port <port>', 'TCP port (0 picks a free one)', String(DEFAULT_PORT))
      .option('--host <host>', 'loopback address to listen on', '127.0.0.1')
      .option(
        '--idle-timeout <seconds>',
        'lock the UI and end sessions after this long idle (default 300)',
      )
      .option(
        '--mount-root <dir>',
        'a folder where the OS mounts removable volumes (repeatable; default: /media, /run/media/$USER, /Volumes)',
        (dir: string, dirs: string[] = []) => [...dirs, dir],
      )
      .option(
        '--sweep-hours <hours>',
        `hours between two integrity sweeps of the archive (1–${LONGEST_SWEEP_HOURS}, default 24)`,
      ),
  ).action(async (options: StationCommandOptions) => {
    assertLoopbackHost(options.host);
    const port = Number(options.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535)
      fail('BAD_REQUEST', `--port must be 0–65535, not "${options.port}".`);
    const idle = options.idleTimeout === undefined ? undefined : Number(options.idleTimeout);
    if (idle !== undefined && (!Number.isInteger(idle) || idle < 1)) {
      fail(
        'BAD_REQUEST',
        `--idle-timeout must be a whole number of seconds, not "${options.idleTimeout}".`,
      );
    }
    const sweepHours = wholeNumber(options.sweepHours, '--sweep-hours', 1);
    if (sweepHours !== undefined && sweepHours > LONGEST_SWEEP_HOURS) {
      fail('BAD_REQUEST', `--sweep-hours must be at most ${LONGEST_SWEEP_HOURS} (a week).`);
    }
    const dataDir = resolveDataDir(options.dataDir);
    let server: Awaited<ReturnType<typeof startBrowserMode>> | undefined;
    const station = startStation(
      {
        dataDir,
        ...(idle ? { authPolicy: { idleTimeoutSeconds: idle } } : {}),
        ...(sweepHours ? { integrity: { intervalMs: sweepHours * 60 * 60 * 1000 } } : {}),
      },
      'browser',
      async () => server?.close(),
    );
    try {
      await startStationDock(station.services, {
        watcher: options.mountRoot === undefined ? {} : { mountRoots: options.mountRoot },
      });
    } catch (error) {
      await station.stop('the dock could not start');
      throw error;
    }
    try {
      server = await startBrowserMode(station.services, {
        host: options.host,
        port,
        rendererDir: rendererDir(),
      });
    } catch (error) {
      await station.stop('failed to listen');
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EADDRINUSE')
        fail('CONFLICT', `Port ${port} is already in use: is another station running? Try --port.`);
      throw error;
    }
    stopOnSignals(station);
    const { url } = server;
    emit(options, { url, dataDir, pid: process.pid }, () =>
      [
        `evidock station ${station.services.version} — data in ${dataDir}`,
        `Open ${url} in a browser. Ctrl+C stops the station.`,
      ].join('\n'),
    );
  });
}
