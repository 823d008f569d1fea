import { Command } from 'commander';
import { fingerprintGroups, type ChainVerification } from '../../contract';
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
    const page = await withStation(
      options,
      async (session) =>
        session.services.audit.list({
          limit: Math.min(limit, 100_000),
          beforeSeq: wholeNumber(options.before, '--before', 1),
          action: options.action,
          actor: options.actor,
        }),
      { auditOnly: true },
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
      .description(
        'walk the whole hash chain and hold it to every signed checkpoint (catalogue and audit-checkpoints.log) with the station keys; exits non-zero naming each kind of damage',
      ),
  ).action(async (options: CommonOptions) => {
    // Works with the keys missing or damaged: that is one of the things it names.
    const verification = await withStation(
      options,
      async (session) => session.services.audit.verify(),
      { auditOnly: true },
    );
    if (!verification.ok) {
      const more =
        verification.findingsOmitted > 0
          ? `; and ${verification.findingsOmitted} more of the same kinds`
          : '';
      const count = verification.findings.length + verification.findingsOmitted;
      fail(
        'CHAIN_BROKEN',
        `The audit chain failed verification (${count} finding${count === 1 ? '' : 's'}): ` +
          verification.findings.map((f) => `[${f.code}] ${f.message}`).join('; ') +
          more +
          (verification.beforeKeys === null ? '' : `. Notice: ${verification.beforeKeys.message}`),
        { ...verification },
      );
    }
    emit(options, { verification }, () => intactText(verification));
  });
  return audit;
}

/** What a terminal shows of an intact chain: how far it is sealed, and by which keys. */
function intactText(verification: ChainVerification): string {
  const last = verification.checkpoints.last;
  const keys = verification.keys;
  return [
    `audit chain intact: ${verification.entries} entries, head #${verification.headSeq}`,
    last === null
      ? 'no signed checkpoint yet'
      : `${verification.checkpoints.count} signed checkpoints; the last (#${last.seq}, ${last.reason}) seals entry #${last.headSeq} at ${last.at}`,
    ...(keys === null
      ? []
      : [
          `SM2 key     SHA-256 ${fingerprintGroups(keys.sm2.sha256)}`,
          `            SM3     ${fingerprintGroups(keys.sm2.sm3)}`,
          `Ed25519 key SHA-256 ${fingerprintGroups(keys.ed25519.sha256)}`,
        ]),
    // D-NO-TAMPER: not a failure, but never left unsaid.
    ...(verification.beforeKeys === null ? [] : [`notice: ${verification.beforeKeys.message}`]),
  ].join('\n');
}
