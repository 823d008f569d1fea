import type { Command } from 'commander';
import {
  CONFIDENTIALITY,
  ENFORCEMENT_KINDS,
  LONG_TERM_REASONS,
  STAGES,
  type FiledClip,
  type LabelPatch,
} from '../../contract';
import { withCommonOptions, withStation } from './context';
import { emit, fail, table } from './output';
import { isoTime, list, oneOf, USER_OPTION, wholeNumber, type Acting } from './option-values';

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
