import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline/promises';
import { Command } from 'commander';
import {
  type DiscPassName,
  type DiscProgress,
  type DiscRecord,
  type DiscSelection,
  type DiscSet,
  type MethodOutput,
} from '../../contract';
import { devicesArgs, drivesListed, runXorriso } from '../../disc';
import { actingWith, stopOnSignal } from './acting';
import { withCommonOptions, withStation, type CliSession } from './context';
import { list, USER_OPTION, wholeNumber, type Acting } from './option-values';
import { emit, fail, table } from './output';

interface SelectorOptions extends Acting {
  case?: string;
  clips?: string;
  longTermPending?: boolean;
  plan?: string;
  media?: string;
  copies?: string;
  par2?: string;
}

const PASS_NAMES: Record<DiscPassName, string> = {
  blocks: '1 blocks',
  md5: '2 MD5 tags',
  files: '3 files',
  signatures: '4 signatures',
};

function mib(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

/** The selection the options name: exactly one of --case, --clips, --long-term-pending. */
function selectionOf(options: SelectorOptions): DiscSelection {
  const given = [options.case, options.clips, options.longTermPending].filter(
    (v) => v !== undefined && v !== false,
  );
  if (given.length !== 1) {
    fail(
      'BAD_REQUEST',
      'Choose the clips with exactly one of --case, --clips, --long-term-pending.',
    );
  }
  if (options.case !== undefined) return { kind: 'case', caseNumber: options.case };
  if (options.clips !== undefined) {
    const ids = (list(options.clips) ?? []).map((id) => wholeNumber(id, '--clips', 1)!);
    return { kind: 'clips', clipIds: ids };
  }
  return { kind: 'long-term-pending' };
}

function withSelectors(command: Command, plan: boolean): Command {
  command
    .option('--case <no>', 'every clip filed under this case')
    .option('--clips <ids>', 'these clips (comma-separated ids)')
    .option('--long-term-pending', 'every long-term clip (D-LONGTERM) not yet on a verified disc');
  if (!plan) command.option('--plan <id>', 'a set planned before (disc plan)');
  return command
    .option('--media <m>', 'cd, dvd, dvd-dl, bd-25, bd-50, bd-100, or a size in bytes')
    .option('--copies <n>', 'copies of each disc (default 2)')
    .option('--par2 <percent>', 'recovery data, percent (default 5)')
    .option(...USER_OPTION);
}

function setText(set: DiscSet): string {
  const lines = [
    `set ${set.id} (${set.tag}): ${set.discs.length} disc(s) of ${set.medium === 'bytes' ? `${set.mediumBytes} bytes` : set.medium}, ${set.copies} copy(ies) each, ${set.par2Percent}% recovery data`,
    table(
      ['disc', 'clips', 'size', 'cases', 'copies'],
      set.discs.map((d) => [
        `${d.n}/${set.discs.length}`,
        String(d.clips),
        mib(d.bytes),
        d.caseNumbers.join(', ') || '—',
        d.copies.map((c, k) => `${k + 1}:${c === null ? 'not burned' : c.state}`).join(' '),
      ]),
    ),
  ];
  return lines.join('\n');
}

function passesText(passes: MethodOutput<'disc.burn'>['passes']): string {
  return passes
    .map(
      (p) =>
        `  pass ${PASS_NAMES[p.pass]}: ${p.ok ? 'PASS' : 'FAIL'}: ${p.detail}${p.problems
          .slice(0, 10)
          .map((problem) => `\n      ${problem}`)
          .join('')}`,
    )
    .join('\n');
}

/** The image a pseudo-drive burn of this disc writes: the base name with its volume id. */
export function imageFor(base: string, volumeId: string): string {
  const path = resolve(base);
  if (existsSync(path) && !extname(path)) return join(path, `${volumeId}.iso`);
  const ext = extname(path) || '.iso';
  return join(dirname(path), `${basename(path, extname(path))}-${volumeId}${ext}`);
}

/** Plans a set (or takes one planned before), printing why it cannot be planned. */
async function setFor(session: CliSession, options: SelectorOptions): Promise<DiscSet> {
  if (options.plan !== undefined) {
    const id = wholeNumber(options.plan, '--plan', 1)!;
    return (await session.call('disc.sets.get', { setId: id })).set;
  }
  if (options.media === undefined) fail('BAD_REQUEST', 'Name the medium with --media.');
  const planned = await session.call('disc.plan', {
    selection: selectionOf(options),
    medium: options.media,
    ...(options.copies === undefined
      ? {}
      : { copies: wholeNumber(options.copies, '--copies', 1)! }),
    ...(options.par2 === undefined ? {} : { par2Percent: wholeNumber(options.par2, '--par2', 1)! }),
  });
  if (!planned.ok) {
    fail(
      'DISC_TOO_SMALL',
      `Clips larger than the medium: ${planned.tooLarge
        .map((c) => `clip ${c.clipId} (${mib(c.size)}) fits on ${c.fitsOn ?? 'no medium'}`)
        .join('; ')}.`,
      { tooLarge: planned.tooLarge },
    );
  }
  return planned.set;
}

/** Progress of the station's disc work, on stderr, for a terminal. */
function followProgress(
  session: CliSession,
  viewer: { badge: string; role: 'custodian' },
): () => void {
  let last = '';
  return session.services.hub.subscribe({
    viewer: () => viewer,
    deliver: (name, payload) => {
      if (name !== 'disc.progress' || process.stderr.isTTY !== true) return;
      const p = (payload as { progress: DiscProgress }).progress;
      const line = `disc ${p.n} copy ${p.copy}: ${p.phase} ${p.percent.toFixed(0)}%`;
      if (line !== last) process.stderr.write(`\r${line}\u001b[K`);
      last = line;
    },
  });
}

/** Logs in and requires the custodian's power over discs (D-CUSTODIAN). */
function custodian(session: CliSession, badge: string | undefined): Promise<string> {
  return actingWith(session, badge, 'disc.manage', 'burn or re-check discs');
}

async function askForDisc(prompt: string): Promise<void> {
  if (process.stdin.isTTY !== true) {
    fail(
      'BAD_REQUEST',
      'A drive burns one disc at a time and this needs a terminal to ask for the next: burn one with --disc N --copy K.',
    );
  }
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    await rl.question(prompt);
  } finally {
    rl.close();
  }
}

function discLine(d: DiscRecord): string[] {
  return [
    String(d.id),
    d.volumeId,
    `${d.n}/${d.of}`,
    d.copy === 1 ? 'original' : `copy ${d.copy - 1}`,
    d.state,
    d.finishedAt ?? d.startedAt,
    d.nextCheckDue ?? '—',
    d.location ?? '—',
  ];
}

/** `evidock disc …`: long-term discs (D-LONGTERM). */
export function discCommand(): Command {
  const disc = new Command('disc').description(
    'long-term discs (D-LONGTERM): plan, burn and prove, re-check, register',
  );

  withCommonOptions(
    withSelectors(
      disc.command('plan').description('plan a set of discs and record it (nothing is burned)'),
      true,
    ),
  ).action(async (options: SelectorOptions) => {
    const set = await withStation(options, async (session) => {
      await custodian(session, options.user);
      return setFor(session, options);
    });
    emit(
      options,
      set,
      () => `${setText(set)}\nburn it: evidock disc burn --plan ${set.id} --drive …`,
    );
  });

  withCommonOptions(
    withSelectors(
      disc
        .command('burn')
        .description(
          'stage a whole set, then burn each disc and copy and prove it four ways; a pseudo-drive stdio:FILE writes one image per disc and copy, named with its volume id',
        )
        .requiredOption('--drive <dev>', 'a drive (/dev/sr0) or stdio:<file> for images')
        .option('--disc <n>', 'burn only this disc of the set')
        .option('--copy <k>', 'burn only this copy'),
      false,
    ),
  ).action(async (options: SelectorOptions & { drive: string; disc?: string; copy?: string }) => {
    const stop = stopOnSignal('the burn was stopped');
    const burned: MethodOutput<'disc.burn'>[] = [];
    try {
      const set = await withStation(options, async (session) => {
        const badge = await custodian(session, options.user);
        const set = await setFor(session, options);
        const unfollow = followProgress(session, { badge, role: 'custodian' });
        try {
          const onlyDisc = wholeNumber(options.disc, '--disc', 1);
          const onlyCopy = wholeNumber(options.copy, '--copy', 1);
          const pseudo = options.drive.startsWith('stdio:');
          let first = true;
          for (const d of set.discs) {
            if (onlyDisc !== undefined && d.n !== onlyDisc) continue;
            for (const [k, copy] of d.copies.entries()) {
              if (onlyCopy !== undefined && k + 1 !== onlyCopy) continue;
              if (copy?.state === 'verified') continue;
              const volumeId = d.volumeIds[k]!;
              const drive = pseudo
                ? `stdio:${imageFor(options.drive.slice('stdio:'.length), volumeId)}`
                : options.drive;
              if (!pseudo && !first) {
                await askForDisc(
                  `Insert a blank disc for ${volumeId} into ${drive} and press Enter: `,
                );
              }
              first = false;
              process.stderr.write(
                `burning ${volumeId} (disc ${d.n} of ${set.discs.length}, copy ${k + 1}) to ${drive}\n`,
              );
              const outcome = await session.call(
                'disc.burn',
                { setId: set.id, n: d.n, copy: k + 1, drive },
                stop.signal,
              );
              burned.push(outcome);
              process.stderr.write(
                `\r${volumeId}: ${outcome.disc.state.toUpperCase()}\u001b[K\n${passesText(outcome.passes)}\n`,
              );
            }
          }
        } finally {
          unfollow();
        }
        return (await session.call('disc.sets.get', { setId: set.id })).set;
      });
      const failed = burned.filter((b) => b.disc.state !== 'verified');
      emit(options, { set, burned }, () => setText(set));
      if (failed.length > 0) {
        // The document says which disc failed which pass; the exit code says one did.
        process.exitCode = 1;
        if (options.json !== true) {
          process.stderr.write(
            `evidock: ${failed.map((b) => b.disc.volumeId).join(', ')} failed a verification pass and ${failed.length === 1 ? 'is' : 'are'} recorded failed: burn a new disc (evidock disc burn --plan ${set.id} --drive …)\n`,
          );
        }
      }
    } finally {
      stop.release();
    }
  });

  withCommonOptions(
    disc
      .command('verify')
      .description('re-check a disc against the register: the four passes again, recorded')
      .requiredOption('--drive <dev>', 'the drive holding it (/dev/sr0), or stdio:<image file>')
      .option(...USER_OPTION),
  ).action(async (options: Acting & { drive: string }) => {
    const stop = stopOnSignal('the burn was stopped');
    try {
      const outcome = await withStation(options, async (session) => {
        await custodian(session, options.user);
        return session.call('disc.verify', { drive: options.drive }, stop.signal);
      });
      emit(options, outcome, () =>
        [
          `${outcome.disc.volumeId} (disc ${outcome.disc.id}, set ${outcome.disc.setTag}): ${outcome.passes.every((p) => p.ok) ? 'PASS' : 'FAIL'}`,
          passesText(outcome.passes),
          outcome.disc.nextCheckDue
            ? `next check due ${outcome.disc.nextCheckDue}`
            : 'recorded failed: burn a new disc from its set',
        ].join('\n'),
      );
      // The document says which pass failed; the exit code says one did.
      if (!outcome.passes.every((p) => p.ok)) process.exitCode = 1;
    } finally {
      stop.release();
    }
  });

  withCommonOptions(
    disc
      .command('list')
      .description('the disc register; long-term footage not yet on disc')
      .option('--due', 'only discs due for a re-check')
      .option(...USER_OPTION),
  ).action(async (options: Acting & { due?: boolean }) => {
    const result = await withStation(options, async (session) => {
      await session.loginAs(options.user);
      return session.call('disc.list', { due: options.due === true });
    });
    emit(options, result, () =>
      [
        table(
          ['id', 'volume', 'disc', 'copy', 'state', 'burned', 'next check', 'kept at'],
          result.discs.map(discLine),
        ),
        `${result.due} disc(s) due for a re-check; ${result.pending.clips} long-term clip(s) (${mib(result.pending.bytes)}) not yet on a verified disc`,
      ].join('\n'),
    );
  });

  withCommonOptions(
    disc
      .command('handover')
      .description('record a disc handed over (to a court, a review body, the archive room)')
      .requiredOption('--disc <id>', 'the disc (its id in disc list)')
      .requiredOption('--to <whom>', 'who received it')
      .requiredOption('--reason <why>', 'why')
      .option('--location <where>', 'where it is kept now')
      .option(...USER_OPTION),
  ).action(
    async (options: Acting & { disc: string; to: string; reason: string; location?: string }) => {
      const result = await withStation(options, async (session) => {
        await custodian(session, options.user);
        return session.call('disc.handover', {
          discId: wholeNumber(options.disc, '--disc', 1)!,
          toWhom: options.to,
          reason: options.reason,
          location: options.location ?? null,
        });
      });
      emit(options, result, () => `${result.disc.volumeId} handed to ${options.to}`);
    },
  );

  withCommonOptions(
    disc
      .command('label')
      .description('write the printable label and sleeve insert of a disc (PDF)')
      .requiredOption('--disc <id>', 'the disc (its id in disc list)')
      .requiredOption('--out <file>', 'where to write the PDF')
      .option(...USER_OPTION),
  ).action(async (options: Acting & { disc: string; out: string }) => {
    const out = resolve(options.out);
    const result = await withStation(options, async (session) => {
      const badge = await actingWith(session, options.user, 'disc.read', 'read the disc register');
      const label = await session.services.discRegister.printLabel(
        wholeNumber(options.disc, '--disc', 1)!,
        badge,
      );
      await writeFile(out, label.bytes, { flag: 'wx' });
      return { file: out, bytes: label.bytes.length, volumeId: label.disc.volumeId };
    });
    emit(options, result, () => `wrote the label of ${result.volumeId} to ${result.file}`);
  });

  withCommonOptions(
    disc.command('drives').description('the optical drives this machine has (xorriso -devices)'),
  ).action(async (options: Acting) => {
    const run = await runXorriso(devicesArgs());
    if (run.missing) {
      fail(
        'DISC_TOOL_MISSING',
        'xorriso is not installed: discs are burned and checked with it (Debian/Ubuntu: apt install xorriso)',
      );
    }
    const drives = drivesListed(run.output);
    emit(options, { drives }, () =>
      drives.length === 0
        ? 'no optical drive found (a pseudo-drive stdio:<file> writes an image instead)'
        : table(
            ['drive', 'vendor', 'model'],
            drives.map((d) => [d.address, d.vendor, d.model]),
          ),
    );
  });
  return disc;
}
