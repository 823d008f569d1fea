import { Command } from 'commander';
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { STATION_ACTOR } from '../../custody/audit-log';
import { volumeAt } from '../../devices';
import { type IngestResult } from '../../ingest';
import { findingView } from '../../catalogue/dockings';
import { clipView } from '../../filing';
import { startStationDock, stopStationDock, type StationServices } from '../services';
import { withCommonOptions, withStation, type CommonOptions } from './context';
import { emit, fail } from './output';

interface IngestOptions extends CommonOptions {
  recorder?: string;
  user?: string;
}

/** What `evidock ingest --json` prints: the docking, its recorder, its clips and findings. */
function report(services: StationServices, result: IngestResult) {
  const docking = services.dock.require().service.docking(result.docking.id)!;
  const recorder = services.catalogue.recorders.get(result.docking.recorderSerial)!;
  return {
    docking,
    recorder,
    counts: result.counts,
    clips: result.clips.map((outcome) => ({
      ...clipView(outcome.clip),
      // The path on this recorder; a sighting's clip was first archived from elsewhere.
      originalPath: outcome.originalPath,
      outcome: outcome.outcome,
      cleared: outcome.cleared,
    })),
    findings: result.findings.map(findingView),
  };
}

export function ingestCommand(): Command {
  return withCommonOptions(
    new Command('ingest')
      .description(
        'ingest a mounted recorder now: every new clip copied, proven and archived (the same engine as docking)',
      )
      .argument('<mountpoint>', 'where the recorder volume is mounted')
      .option('--recorder <serial>', "the recorder's serial, where the volume does not carry one")
      .option(
        '--user <badge>',
        'who docks it (password from the terminal or stdin); an officer is recorded as the officer at the dock',
      ),
  ).action(async (mountpoint: string, options: IngestOptions) => {
    const path = resolve(mountpoint);
    // Refused just below, with the path, when it is not a folder.
    const folder = await stat(path).catch(() => undefined);
    if (!folder?.isDirectory()) fail('BAD_REQUEST', `${path} is not a mounted folder.`);
    const { outcome, complete } = await withStation(options, async (session) => {
      let actor = STATION_ACTOR;
      let officer: { officerBadge: string; identifiedBy: 'cli' } | undefined;
      if (options.user !== undefined) {
        await session.loginAs(options.user);
        const { user } = await session.call('auth.whoami', {});
        actor = user.badge;
        if (user.role === 'officer') officer = { officerBadge: user.badge, identifiedBy: 'cli' };
      }
      try {
        const dock = await startStationDock(session.services, { watcher: false });
        const { job } = await dock.service.ingestVolume({
          mountpoint: path,
          serial: options.recorder ?? null,
          actor,
          volume: await volumeAt(path),
          ...officer,
        });
        const result = await job.done;
        // Thumbnails are made after the copies; the engine finishes them before it closes.
        await dock.service.engine.thumbnailsSettled();
        return { outcome: report(session.services, result), complete: result.safeToUndock };
      } finally {
        await stopStationDock(session.services);
      }
    });
    emit(options, outcome, () => {
      const d = outcome.docking;
      const lines = [
        `docking ${d.id}: recorder ${d.recorderSerial}, ${d.phase}; ${outcome.counts.archived} archived, ${outcome.counts.sighted} seen before, ${outcome.counts.alreadyProven} already proven, ${outcome.counts.failed} not proven`,
        ...outcome.findings.map((f) => `  ${f.code}: ${f.path ? `${f.path}: ` : ''}${f.message}`),
        complete
          ? 'every clip is proven: safe to undock'
          : `NOT safe to undock${d.error ? `: ${d.error}` : ''}`,
      ];
      return lines.join('\n');
    });
    if (!complete) process.exitCode = 1;
  });
}
