import { Command } from 'commander';
import { ENFORCEMENT_KINDS, PROCEDURAL_ACTS } from '../../contract';
import { withCommonOptions, withStation } from './context';
import { emit } from './output';
import { isoTime, list, oneOf, USER_OPTION, type Acting } from './option-values';

export function casesCommand(): Command {
  const cases = new Command('cases').description('enforcement cases and the footage they need');

  withCommonOptions(
    cases
      .command('create')
      .description('open a case')
      .requiredOption(
        '--number <no>',
        'the case number in the unit’s format, e.g. 金普民宗罚〔2026〕12号',
      )
      .requiredOption('--kind <kind>', `enforcement kind: ${ENFORCEMENT_KINDS.join(', ')}`)
      .requiredOption('--title <title>', 'what the case is about')
      .option('--opened <time>', 'when it was opened (default now)')
      .option('--handling <badge>', 'the handling officer (officers: themselves)')
      .option('--emergency', 'opened in an emergency, to be approved afterwards (D-LATE-START)')
      .option(
        '--acts <acts>',
        `procedural acts that need footage (D-AV-REQUIRED), comma-separated: ${PROCEDURAL_ACTS.join(', ')}`,
      )
      .option(...USER_OPTION),
  ).action(
    async (
      options: Acting & {
        number: string;
        kind: string;
        title: string;
        opened?: string;
        handling?: string;
        emergency?: boolean;
        acts?: string;
      },
    ) => {
      const acts = (list(options.acts) ?? []).map((a) => oneOf(a, PROCEDURAL_ACTS, '--acts')!);
      const result = await withStation(options, async (session) => {
        await session.loginAs(options.user);
        return session.call('cases.create', {
          number: options.number,
          kind: oneOf(options.kind, ENFORCEMENT_KINDS, '--kind')!,
          title: options.title,
          ...(options.opened ? { openedAt: isoTime(options.opened, '--opened')! } : {}),
          ...(options.handling ? { handlingOfficer: options.handling } : {}),
          emergency: options.emergency === true,
          acts,
        });
      });
      emit(
        options,
        result,
        () => `opened case ${result.case.number} (${result.case.kind}): ${result.case.title}`,
      );
    },
  );

  withCommonOptions(
    cases
      .command('show')
      .description('a case: its facts, deadlines, procedural acts (what is missing) and history')
      .requiredOption('--number <no>', 'the case number')
      .option(...USER_OPTION),
  ).action(async (options: Acting & { number: string }) => {
    const result = await withStation(options, async (session) => {
      await session.loginAs(options.user);
      return session.call('cases.get', { number: options.number });
    });
    emit(options, result, () => {
      const c = result.case;
      const lines = [
        `${c.number}  ${c.title}`,
        `kind ${c.kind}, ${c.status}, opened ${c.openedAt}${c.closedAt ? `, closed ${c.closedAt}` : ''}`,
        `handling officer ${c.handlingOfficer ?? '—'}, ${c.clips} clip(s)`,
      ];
      if (c.emergency) {
        lines.push(
          `emergency: approval due by ${c.approvalDueBy}${c.approvedAt ? `, approved ${c.approvedAt}` : ', not approved yet'}${c.lateApproval ? ' (late, D-LATE-START)' : ''}`,
        );
      }
      if (c.archiveBy)
        lines.push(`archive by ${c.archiveBy}${c.pastArchiveBy ? ' (past due, D-ARCHIVE)' : ''}`);
      for (const act of result.acts) {
        const how =
          act.clipIds.length > 0
            ? `clips ${act.clipIds.join(', ')}`
            : act.notRecorded
              ? `not recorded: ${act.notRecorded.reason} — ${act.notRecorded.text}`
              : 'MISSING footage or a reason (D-AV-REQUIRED)';
        lines.push(`  ${act.act}: ${how}`);
      }
      return lines.join('\n');
    });
  });

  withCommonOptions(
    cases
      .command('close')
      .description('close a case; sets its archive-by date (D-ARCHIVE)')
      .requiredOption('--number <no>', 'the case number')
      .option('--at <time>', 'when it closed (default now)')
      .option(...USER_OPTION),
  ).action(async (options: Acting & { number: string; at?: string }) => {
    const result = await withStation(options, async (session) => {
      await session.loginAs(options.user);
      return session.call('cases.close', {
        number: options.number,
        ...(options.at ? { closedAt: isoTime(options.at, '--at')! } : {}),
      });
    });
    emit(
      options,
      result,
      () => `closed ${result.case.number}; archive by ${result.case.archiveBy}`,
    );
  });
  return cases;
}
