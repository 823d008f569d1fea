import { Command } from 'commander';
import { canonicalJson } from '../../custody/canonical';
import { withCommonOptions, withStation, type CommonOptions } from './context';
import { emit, fail, table } from './output';
import { wholeNumber } from './option-values';

interface ListOptions extends CommonOptions {
  limit: string;
  before?: string;
  action?: string;
  actor?: string;
}

export function auditCommand(): Command {
  const audit = new Command('audit').description('the tamper-evident audit log (rule D-NO-TAMPER)');

  withCommonOptions(
    audit
      .command('list')
      .description('list audit entries, newest first')
      .option('--limit <n>', 'how many entries', '50')
      .option('--before <seq>', 'only entries before this sequence number')
      .option('--action <action>', 'only this action, e.g. auth.login.failed')
      .option('--actor <badge>', 'only entries by this actor'),
  ).action(async (options: ListOptions) => {
    const limit = wholeNumber(options.limit, '--limit', 1) ?? 50;
    const page = await withStation(options, async (session) =>
      session.services.audit.list({
        limit: Math.min(limit, 100_000),
        beforeSeq: wholeNumber(options.before, '--before', 1),
        action: options.action,
        actor: options.actor,
      }),
    );
    emit(
      options,
      page,
      () =>
        table(
          ['seq', 'time', 'actor', 'action', 'subject', 'details'],
          page.entries.map((e) => [
            String(e.seq),
            e.at,
            e.actor,
            e.action,
            e.subject,
            canonicalJson(e.details),
          ]),
        ) + `\n(${page.entries.length} of ${page.total})`,
    );
  });

  withCommonOptions(
    audit
      .command('verify')
      .description('walk the whole hash chain; exits non-zero naming the first bad entry'),
  ).action(async (options: CommonOptions) => {
    const verification = await withStation(options, async (session) =>
      session.services.audit.verify(),
    );
    if (!verification.ok) {
      fail(
        'CHAIN_BROKEN',
        `The audit chain is broken at entry #${verification.firstBadSeq}: ${verification.problem}`,
        {
          ...verification,
        },
      );
    }
    emit(
      options,
      { verification },
      () => `audit chain intact: ${verification.entries} entries, head #${verification.headSeq}`,
    );
  });
  return audit;
}
