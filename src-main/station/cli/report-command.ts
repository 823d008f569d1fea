import { Command } from 'commander';
import { writeFile } from 'node:fs/promises';
import { withCommonOptions, withStation } from './context';
import { emit, fail } from './output';
import { REPORT_LOCALES } from '../../reports';
import { oneOf, USER_OPTION, type Acting } from './option-values';

export function reportCommand(): Command {
  const report = new Command('report').description('reports for supervisors');
  withCommonOptions(
    report
      .command('compliance')
      .description('who fell short in a period: per officer and for the unit (D-SUPERVISION)')
      .requiredOption('--from <date>', 'first day, YYYY-MM-DD')
      .requiredOption('--to <date>', 'last day, YYYY-MM-DD')
      .option('--format <format>', 'json, csv or pdf', 'json')
      .option('--out <file>', 'write the report to this file (default: JSON on stdout)')
      .option('--locale <locale>', 'zh-CN or en (CSV and PDF words)', 'zh-CN')
      .option(...USER_OPTION),
  ).action(
    async (
      options: Acting & { from: string; to: string; format: string; out?: string; locale: string },
    ) => {
      const format = oneOf(options.format, ['json', 'csv', 'pdf'] as const, '--format')!;
      const locale = oneOf(options.locale, REPORT_LOCALES, '--locale')!;
      if (format !== 'json' && options.out === undefined)
        fail('BAD_REQUEST', `--format ${format} needs --out FILE.`);
      const written = await withStation(options, async (session) => {
        await session.loginAs(options.user);
        if (format === 'json') {
          return {
            json: await session.call('report.compliance', { from: options.from, to: options.to }),
          };
        }
        const file = await session.call('report.export', {
          from: options.from,
          to: options.to,
          format,
          locale,
        });
        return { bytes: await session.services.delivery.take(file.url) };
      });
      if ('json' in written) {
        if (options.out !== undefined) {
          await writeFile(options.out, `${JSON.stringify(written.json, null, 2)}\n`);
          emit(options, { out: options.out }, () => `wrote ${options.out}`);
        } else {
          process.stdout.write(`${JSON.stringify(written.json, null, 2)}\n`);
        }
        return;
      }
      await writeFile(options.out!, written.bytes);
      emit(
        options,
        { out: options.out, bytes: written.bytes.length },
        () => `wrote ${options.out} (${written.bytes.length} bytes)`,
      );
    },
  );
  return report;
}
