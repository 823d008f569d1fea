import { Command } from 'commander';
import { clipView } from '../../filing';
import { withCommonOptions, withStation, type CommonOptions } from './context';
import { addFilingClipCommands } from './label-commands';
import { emit, fail, table } from './output';
import { wholeNumber } from './option-values';

interface ListOptions extends CommonOptions {
  recorder?: string;
  since?: string;
  docking?: string;
  limit: string;
}

export function clipsCommand(): Command {
  const clips = new Command('clips').description('clips in the archive, each proven bit-for-bit');

  withCommonOptions(
    clips
      .command('list')
      .description('list archived clips, in recording order')
      .option('--recorder <serial>', "only this recorder's clips")
      .option('--since <time>', 'only clips taken into custody at or after this ISO time')
      .option('--docking <id>', "only this docking's clips")
      .option('--limit <n>', 'at most this many (0: all)', '0'),
  ).action(async (options: ListOptions) => {
    if (options.since !== undefined && Number.isNaN(Date.parse(options.since))) {
      fail('BAD_REQUEST', `--since must be an ISO time such as 2026-11-22T08:00:00+08:00.`);
    }
    const limit = wholeNumber(options.limit, '--limit', 0) ?? 0;
    const page = await withStation(options, async (session) =>
      session.services.catalogue.clips.list({
        recorderSerial: options.recorder,
        since: options.since,
        dockingId: wholeNumber(options.docking, '--docking', 1),
        limit: limit === 0 ? undefined : limit,
      }),
    );
    const list = page.clips.map(clipView);
    emit(
      options,
      { total: page.total, clips: list },
      () =>
        table(
          ['id', 'recorder', 'original', 'size', 'recorded', 'custody', 'sha256'],
          list.map((c) => [
            String(c.id),
            c.recorderSerial,
            c.originalPath,
            String(c.size),
            c.recordedStart ?? '—',
            `${c.custodyAt}${c.lateCustody ? ' (late, D-24H)' : ''}`,
            c.sha256.slice(0, 16),
          ]),
        ) + `\n(${list.length} of ${page.total})`,
    );
  });
  addFilingClipCommands(clips);
  return clips;
}
