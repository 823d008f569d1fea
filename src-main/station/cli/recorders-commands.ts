import { Command } from 'commander';
import type { Recorder } from '../../contract';
import { withCommonOptions, withStation, type CommonOptions } from './context';
import { emit, table } from './output';

interface RegisterOptions extends CommonOptions {
  serial: string;
  profile: string;
  officer?: string;
  user?: string;
}

function describe(recorder: Recorder): string {
  const officer = recorder.officerBadge
    ? `${recorder.officerBadge}${recorder.officerName ? ` ${recorder.officerName}` : ''}`
    : 'no officer';
  return `${recorder.serial} (${recorder.profileId}, ${officer})`;
}

/** Registration (rules D-CUSTODIAN, D-NO-LEAK): only registered recorders are ingested. */
export function recordersCommand(): Command {
  const recorders = new Command('recorders').description(
    'the recorders this station ingests from (a custodian registers them)',
  );

  withCommonOptions(
    recorders
      .command('register')
      .description('register a recorder and its assigned officer')
      .requiredOption('--serial <serial>', 'the serial printed on the recorder or reported by it')
      .requiredOption('--profile <id>', 'recorder profile, e.g. generic-dcim')
      .option('--officer <badge>', 'the officer the recorder is assigned to')
      .option('--user <badge>', 'the custodian doing this (password from the terminal or stdin)'),
  ).action(async (options: RegisterOptions) => {
    const recorder = await withStation(options, async (session) => {
      await session.loginAs(options.user);
      return (
        await session.call('recorders.register', {
          serial: options.serial,
          profileId: options.profile,
          officerBadge: options.officer ?? null,
        })
      ).recorder;
    });
    emit(options, { recorder }, () => `registered ${describe(recorder)}`);
  });

  withCommonOptions(
    recorders
      .command('retire')
      .description('stop ingesting from a recorder (its clips stay in the archive)')
      .requiredOption('--serial <serial>', 'the recorder')
      .option('--user <badge>', 'the custodian doing this (password from the terminal or stdin)'),
  ).action(async (options: CommonOptions & { serial: string; user?: string }) => {
    const recorder = await withStation(options, async (session) => {
      await session.loginAs(options.user);
      return (await session.call('recorders.retire', { serial: options.serial })).recorder;
    });
    emit(options, { recorder }, () => `retired ${describe(recorder)}`);
  });

  withCommonOptions(recorders.command('list').description('list registered recorders')).action(
    async (options: CommonOptions) => {
      const list = await withStation(options, async (session) => session.services.recorders.list());
      emit(options, { recorders: list }, () =>
        table(
          ['serial', 'profile', 'officer', 'registered by', 'registered'],
          list.map((r) => [
            r.serial,
            r.profileId,
            r.officerBadge ? `${r.officerBadge} ${r.officerName ?? ''}`.trim() : '—',
            r.registeredBy,
            r.registeredAt,
          ]),
        ),
      );
    },
  );

  withCommonOptions(
    recorders
      .command('profiles')
      .description('the recorder models this station knows (resources/recorders)'),
  ).action(async (options: CommonOptions) => {
    const profiles = await withStation(options, async (session) =>
      session.services.profiles.map((p) => ({ id: p.id, name: p.name, driver: p.driver })),
    );
    emit(options, { profiles }, () =>
      table(
        ['id', 'driver', 'name'],
        profiles.map((p) => [p.id, p.driver, p.name.en]),
      ),
    );
  });
  return recorders;
}
