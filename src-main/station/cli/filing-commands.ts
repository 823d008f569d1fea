import { Command } from 'commander';
import { writeFile } from 'node:fs/promises';
import {
  CONFIDENTIALITY,
  ENFORCEMENT_KINDS,
  LONG_TERM_REASONS,
  PROCEDURAL_ACTS,
  STAGES,
  type FiledClip,
  type LabelPatch,
} from '../../contract';
import { withCommonOptions, withStation, type CommonOptions } from './context';
import { emit, fail, table, wholeNumber } from './output';

interface Acting extends CommonOptions {
  user?: string;
}

const USER_OPTION = [
  '--user <badge>',
  'who is doing this (password from the terminal or stdin)',
] as const;

function oneOf<T extends string>(value: string | undefined, allowed: readonly T[], flag: string) {
  if (value === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(value)) {
    fail('BAD_REQUEST', `${flag} must be one of ${allowed.join(', ')}, not "${value}".`);
  }
  return value as T;
}

/** Comma-separated (Chinese 、 and ， too: officers type them). */
function list(value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  return value
    .split(/[,，、]/)
    .map((part) => part.trim())
    .filter((part) => part !== '');
}

function isoTime(value: string | undefined, flag: string): string | undefined {
  if (value === undefined) return undefined;
  const ms = Date.parse(value);
  if (Number.isNaN(ms))
    fail('BAD_REQUEST', `${flag} must be a time such as 2026-11-22T08:00:00+08:00.`);
  return new Date(ms).toISOString();
}

interface LabelOptions extends Acting {
  case?: string;
  noCase?: boolean;
  matter?: string;
  kind?: string;
  stage?: string;
  place?: string;
  parties?: string;
  partyIds?: string;
  officers?: string;
  confidentiality?: string;
  notes?: string;
  longTerm?: string;
  longTermText?: string;
  docking?: string;
  from?: string;
  to?: string;
  officer?: string;
}

function patchFrom(options: LabelOptions): LabelPatch {
  if (options.case !== undefined && options.noCase) {
    fail('BAD_REQUEST', 'Give either --case NO or --no-case --matter M, not both.');
  }
  if (options.noCase && !options.matter) {
    fail(
      'BAD_REQUEST',
      'Daily enforcement without a case needs the matter: --no-case --matter M (D-LABEL).',
    );
  }
  const patch: LabelPatch = {};
  if (options.case !== undefined) patch.caseNumber = options.case;
  if (options.noCase) patch.caseNumber = null;
  if (options.matter !== undefined) patch.matter = options.matter;
  const kind = oneOf(options.kind, ENFORCEMENT_KINDS, '--kind');
  if (kind) patch.kind = kind;
  const stage = oneOf(options.stage, STAGES, '--stage');
  if (stage) patch.stage = stage;
  if (options.place !== undefined) patch.place = options.place;
  const parties = list(options.parties);
  if (parties) patch.parties = parties;
  const partyIds = list(options.partyIds);
  if (partyIds) patch.partyIds = partyIds;
  const officers = list(options.officers);
  if (officers) patch.officersPresent = officers;
  const confidentiality = oneOf(options.confidentiality, CONFIDENTIALITY, '--confidentiality');
  if (confidentiality) patch.confidentiality = confidentiality;
  if (options.notes !== undefined) patch.notes = options.notes;
  const longTerm = oneOf(options.longTerm, LONG_TERM_REASONS, '--long-term');
  if (longTerm) patch.longTerm = { reason: longTerm, text: options.longTermText ?? null };
  if (Object.keys(patch).length === 0)
    fail('BAD_REQUEST', 'Nothing to label: give --case or --no-case --matter, or a field.');
  return patch;
}

function clipRow(c: FiledClip): string[] {
  const label = c.filing.label;
  return [
    String(c.id),
    c.officerBadge ?? '—',
    c.recordedStart ?? '—',
    label?.caseNumber ?? (label?.matter ? `(${label.matter})` : '—'),
    c.filing.labelled ? 'yes' : `no: ${c.filing.missing.join(', ')}`,
    c.lateCustody ? 'late (D-24H)' : '',
  ];
}

/** Labelling and finding clips (D-LABEL, D-CONTENT, D-CONFIDENTIAL), as the Label and Clips screens. */
export function addFilingClipCommands(clips: Command): void {
  withCommonOptions(
    clips
      .command('label')
      .description(
        'label clips (by id, a whole docking, or a time range): case number or daily-enforcement matter, and the rest',
      )
      .argument('[clipIds...]', 'the clips')
      .option('--docking <id>', 'every clip of this docking')
      .option('--from <time>', 'every clip recorded from this time…')
      .option('--to <time>', '…to this time (with --officer or your own)')
      .option('--officer <badge>', 'whose clips, with --from/--to (a custodian names them)')
      .option('--case <number>', 'the case number, e.g. 金普民宗罚〔2026〕12号')
      .option('--no-case', 'daily enforcement without a case (needs --matter)')
      .option('--matter <text>', 'what was done')
      .option('--kind <kind>', `enforcement kind: ${ENFORCEMENT_KINDS.join(', ')}`)
      .option('--stage <stage>', `stage: ${STAGES.join(', ')}`)
      .option('--place <text>', 'where')
      .option('--parties <names>', 'parties, comma-separated')
      .option('--party-ids <ids>', "the parties' ID numbers (personal data), comma-separated")
      .option('--officers <badges>', 'officers present, comma-separated badges')
      .option('--confidentiality <c>', `confidentiality: ${CONFIDENTIALITY.join(', ')}`)
      .option('--notes <text>', 'notes')
      .option(
        '--long-term <reason>',
        `keep long-term (D-LONGTERM): ${LONG_TERM_REASONS.join(', ')}`,
      )
      .option('--long-term-text <text>', 'why, in words')
      .option(...USER_OPTION),
  ).action(async (ids: string[], raw: Omit<LabelOptions, 'case'> & { case?: string | boolean }) => {
    // commander turns --no-case into case: false
    const options: LabelOptions = {
      ...raw,
      case: typeof raw.case === 'string' ? raw.case : undefined,
      noCase: raw.case === false,
    };
    const patch = patchFrom(options);
    const clipIds = ids.map((id) => wholeNumber(id, 'clip id', 1)!);
    const ways = [
      clipIds.length > 0,
      options.docking !== undefined,
      options.from !== undefined || options.to !== undefined,
    ];
    if (ways.filter(Boolean).length !== 1) {
      fail('BAD_REQUEST', 'Say which clips: clip ids, or --docking ID, or --from T --to T.');
    }
    const target =
      clipIds.length > 0
        ? { clipIds }
        : options.docking !== undefined
          ? { dockingId: wholeNumber(options.docking, '--docking', 1)! }
          : {
              from: isoTime(options.from, '--from') ?? fail('BAD_REQUEST', '--to needs --from.'),
              to: isoTime(options.to, '--to') ?? fail('BAD_REQUEST', '--from needs --to.'),
              ...(options.officer ? { officerBadge: options.officer } : {}),
            };
    const result = await withStation(options, async (session) => {
      await session.loginAs(options.user);
      return session.call('clips.label', { target, set: patch });
    });
    emit(options, result, () => {
      const open = result.clips.filter((c) => !c.labelled);
      return (
        `labelled ${result.labelled} of ${result.clips.length} clip(s) (${result.updated} changed)` +
        (open.length > 0
          ? `\nstill missing: ${open.map((c) => `${c.id} (${c.missing.join(', ')})`).join('; ')}`
          : '')
      );
    });
  });

  withCommonOptions(
    clips
      .command('search')
      .description(
        'find clips: by officer, recorder, time, case, kind, stage, place, label status, late custody, findings, retention, full text',
      )
      .option('--officer <badge>', 'the recording officer')
      .option('--recorder <serial>', 'the recorder')
      .option('--docking <id>', 'the docking')
      .option('--from <time>', 'recorded at or after')
      .option('--to <time>', 'recorded before')
      .option('--case <number>', 'filed under this case')
      .option('--kind <kind>', `enforcement kind: ${ENFORCEMENT_KINDS.join(', ')}`)
      .option('--stage <stage>', `stage: ${STAGES.join(', ')}`)
      .option('--place <text>', 'a part of the place')
      .option('--unlabelled', 'only clips not yet labelled (D-LABEL)')
      .option('--labelled', 'only labelled clips')
      .option('--late', 'only clips late in custody with no exception (D-24H)')
      .option('--findings', 'only clips with findings')
      .option('--retention-due', 'only clips due for retention review (D-RETAIN)')
      .option('--text <text>', 'full text over matter, place, notes and parties')
      .option('--sort <by>', 'recorded or custody', 'recorded')
      .option('--order <order>', 'asc or desc', 'desc')
      .option('--limit <n>', 'at most this many', '50')
      .option('--offset <n>', 'skip this many', '0')
      .option(...USER_OPTION),
  ).action(
    async (
      options: Acting & {
        officer?: string;
        recorder?: string;
        docking?: string;
        from?: string;
        to?: string;
        case?: string;
        kind?: string;
        stage?: string;
        place?: string;
        unlabelled?: boolean;
        labelled?: boolean;
        late?: boolean;
        findings?: boolean;
        retentionDue?: boolean;
        text?: string;
        sort: string;
        order: string;
        limit: string;
        offset: string;
      },
    ) => {
      if (options.unlabelled && options.labelled)
        fail('BAD_REQUEST', 'Either --unlabelled or --labelled.');
      const params = {
        officerBadge: options.officer,
        recorderSerial: options.recorder,
        dockingId: wholeNumber(options.docking, '--docking', 1),
        from: isoTime(options.from, '--from'),
        to: isoTime(options.to, '--to'),
        caseNumber: options.case,
        kind: oneOf(options.kind, ENFORCEMENT_KINDS, '--kind'),
        stage: oneOf(options.stage, STAGES, '--stage'),
        place: options.place,
        labelled: options.unlabelled ? false : options.labelled ? true : undefined,
        lateCustody: options.late ? true : undefined,
        hasFindings: options.findings ? true : undefined,
        retentionDue: options.retentionDue ? true : undefined,
        text: options.text,
        sort: oneOf(options.sort, ['recorded', 'custody'] as const, '--sort'),
        order: oneOf(options.order, ['asc', 'desc'] as const, '--order'),
        limit: wholeNumber(options.limit, '--limit', 1),
        offset: wholeNumber(options.offset, '--offset', 0),
      };
      const defined = Object.fromEntries(Object.entries(params).filter(([, v]) => v !== undefined));
      const result = await withStation(options, async (session) => {
        await session.loginAs(options.user);
        return session.call('clips.search', defined);
      });
      emit(
        options,
        result,
        () =>
          table(
            ['id', 'officer', 'recorded', 'case / matter', 'labelled', ''],
            result.clips.map(clipRow),
          ) + `\n(${result.clips.length} of ${result.total})`,
      );
    },
  );
}

/** Cases (D-KINDS, D-LATE-START, D-AV-REQUIRED, D-ARCHIVE). */
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

/** The D-SUPERVISION compliance report. */
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
      const locale = oneOf(options.locale, ['zh-CN', 'en'] as const, '--locale')!;
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
        return { bytes: Buffer.from(file.base64, 'base64') };
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
