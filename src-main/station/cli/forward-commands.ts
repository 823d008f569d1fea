import { Command } from 'commander';
import { type ForwardTarget, type TargetQueue } from '../../contract';
import { actingWith, stopOnSignal } from './acting';
import { acquireForwardLock, type ForwardFailure } from '../../forward';
import type { Station } from '../services';
import { withCommonOptions, withStation, type CliSession, type CommonOptions } from './context';
import { collect, parseSchedule } from './forward-schedule-option';
import { oneOf, wholeNumber, USER_OPTION } from './option-values';
import { emit, fail, table } from './output';

interface AddOptions extends CommonOptions {
  name: string;
  kind: string;
  endpoint?: string;
  bucket?: string;
  region?: string;
  prefix?: string;
  pathStyle?: boolean;
  path?: string;
  concurrency?: string;
  partSize?: string;
  readBack?: string;
  window?: string[];
  otherwise?: string;
  user?: string;
}

/** How many tries a clip gets within one `forward run --until-idle` before the run gives up. */
const RUN_ATTEMPTS = 8;

function mib(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

function describeTarget(t: ForwardTarget): string {
  const where = t.kind === 's3' ? `${t.endpoint} bucket ${t.bucket}` : `folder ${t.folderPath}`;
  const state = t.stopped
    ? `STOPPED: ${t.stopped.code}: ${t.stopped.reason}`
    : t.enabled
      ? 'enabled'
      : 'disabled';
  return `${t.name} (${t.kind}: ${where}, prefix "${t.prefix}", ${state})`;
}

/** Logs in and requires the custodian's power over forwarding (D-CUSTODIAN). */
function custodian(session: CliSession, badge: string | undefined): Promise<string> {
  return actingWith(session, badge, 'forward.manage', 'forward clips');
}

/** Whether every clip due is verified on every enabled target, and none is stopped. */
function allVerified(queues: readonly TargetQueue[]): boolean {
  return queues
    .filter((q) => q.enabled)
    .every(
      (q) =>
        q.stopped === null &&
        q.queued.clips + q.uploading.clips + q.uploaded.clips + q.failed.clips === 0,
    );
}

function queueTable(queues: readonly TargetQueue[]): string {
  return table(
    ['target', 'queued', 'uploading', 'verified', 'failed', 'rate', 'oldest waiting', 'state'],
    queues.map((q) => [
      q.target,
      `${q.queued.clips} (${mib(q.queued.bytes)})`,
      `${q.uploading.clips + q.uploaded.clips}`,
      `${q.verified.clips} (${mib(q.verified.bytes)})`,
      `${q.failed.clips}`,
      `${mib(q.rate)}/s`,
      q.oldestWaiting ?? '—',
      q.stopped ? `STOPPED ${q.stopped.code}` : q.enabled ? 'enabled' : 'disabled',
    ]),
  );
}

/**
 * Waits for the earliest retry on the targets run, while some clip still has tries left in this
 * run; false when nothing is left to wait for.
 */
async function waitForRetry(
  station: Station,
  target: string | undefined,
  signal: AbortSignal,
): Promise<boolean> {
  const { catalogue, now } = station;
  const times = catalogue.forwarding
    .targets()
    .filter((t) => t.enabled && t.stopped === null && (target === undefined || t.name === target))
    .map((t) => catalogue.forwarding.nextTry(t.id, RUN_ATTEMPTS))
    .filter((at): at is string => at !== null)
    .map((at) => Date.parse(at));
  if (times.length === 0) return false;
  const wait = Math.max(0, Math.min(...times) - now().getTime());
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, wait);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    });
  });
  return !signal.aborted;
}

export function forwardCommand(): Command {
  const forward = new Command('forward').description(
    'forwarding to the unit’s central storage (S3-compatible or a mounted share), proven there',
  );
  const targets = forward.command('targets').description('the central storage targets');

  withCommonOptions(
    targets
      .command('add')
      .description(
        'add a target (stdin: the custodian’s password, then for S3 the access key id, then the secret key)',
      )
      .requiredOption('--name <name>', 'what the target is called')
      .requiredOption('--kind <kind>', 's3 or folder')
      .option('--endpoint <url>', 'S3: the endpoint, e.g. https://oss.example.gov.cn')
      .option('--bucket <bucket>', 'S3: the bucket')
      .option('--region <region>', 'S3: the region (us-east-1 when the server has none)')
      .option('--prefix <prefix>', 'where keys start (default: one of this station’s own)')
      .option('--path-style', 'S3: address the bucket in the path (most on-premises servers)')
      .option('--path <dir>', 'folder: where the share is mounted')
      .option('--concurrency <n>', 'clips sent at once (default 2)')
      .option('--part-size <MiB>', 'multipart part size in MiB (default 16)')
      .option('--read-back <percent>', 'share of copies read back whole after upload (default 5)')
      .option('--window <spec>', 'a bandwidth window, e.g. "1-5 08:00-18:00 5MB/s"', collect)
      .option('--otherwise <rate>', 'the limit outside every window (default unlimited)')
      .option(...USER_OPTION),
  ).action(async (options: AddOptions) => {
    const kind = oneOf(options.kind, ['s3', 'folder'] as const, '--kind')!;
    const schedule = parseSchedule(options.window, options.otherwise);
    const target = await withStation(options, async (session) => {
      await session.loginAs(options.user);
      const keys =
        kind === 's3'
          ? {
              accessKeyId: await session.passwords.next('Access key id: '),
              secretAccessKey: await session.passwords.next('Secret key: '),
            }
          : {};
      return (
        await session.call('forward.targets.add', {
          name: options.name,
          kind,
          ...(options.endpoint !== undefined && { endpoint: options.endpoint }),
          ...(options.bucket !== undefined && { bucket: options.bucket }),
          ...(options.region !== undefined && { region: options.region }),
          ...(options.prefix !== undefined && { prefix: options.prefix }),
          pathStyle: options.pathStyle === true,
          ...(options.path !== undefined && { folderPath: options.path }),
          ...(options.concurrency !== undefined && {
            concurrency: wholeNumber(options.concurrency, '--concurrency', 1)!,
          }),
          ...(options.partSize !== undefined && {
            partSizeMiB: wholeNumber(options.partSize, '--part-size', 5)!,
          }),
          ...(options.readBack !== undefined && {
            readBackPercent: wholeNumber(options.readBack, '--read-back', 0)!,
          }),
          ...(schedule !== undefined && { schedule }),
          ...keys,
        })
      ).target;
    });
    emit(options, { target }, () => `added ${describeTarget(target)}`);
  });

  withCommonOptions(targets.command('list').description('list the targets')).action(
    async (options: CommonOptions) => {
      const list = await withStation(options, async (session) =>
        session.services.forwardTargets.list(),
      );
      emit(options, { targets: list }, () => list.map(describeTarget).join('\n') || 'no targets');
    },
  );

  withCommonOptions(
    targets
      .command('test')
      .description('connection, bucket, write, read and delete of a probe object')
      .requiredOption('--name <name>', 'the target')
      .option(...USER_OPTION),
  ).action(async (options: CommonOptions & { name: string; user?: string }) => {
    const result = await withStation(options, async (session) => {
      await session.loginAs(options.user);
      return session.call('forward.targets.test', { name: options.name });
    });
    emit(options, result, () =>
      result.steps
        .map((s) => `${s.step}: ${s.ok ? 'OK' : `FAILED ${s.code}: ${s.message}`}`)
        .join('\n'),
    );
    if (!result.ok) process.exitCode = 1;
  });

  withCommonOptions(
    targets
      .command('remove')
      .description('stop forwarding to a target (what it holds stays there)')
      .requiredOption('--name <name>', 'the target')
      .option(...USER_OPTION),
  ).action(async (options: CommonOptions & { name: string; user?: string }) => {
    await withStation(options, async (session) => {
      await session.loginAs(options.user);
      await session.call('forward.targets.remove', { name: options.name });
    });
    emit(options, { removed: options.name }, () => `removed ${options.name}`);
  });

  withCommonOptions(
    forward
      .command('run')
      .description('forward what is due now (the running station does this by itself)')
      .option('--target <name>', 'only this target')
      .option(
        '--until-idle',
        'go on until nothing is left; exit 0 only if every clip due is verified on every enabled target',
      )
      .option(...USER_OPTION),
  ).action(
    async (options: CommonOptions & { target?: string; untilIdle?: boolean; user?: string }) => {
      const { signal, release } = stopOnSignal('forwarding was stopped');
      let failures: ForwardFailure[] = [];
      let queues: TargetQueue[];
      try {
        queues = await withStation(options, async (session) => {
          const actor = await custodian(session, options.user);
          const station = session.services;
          if (
            options.target !== undefined &&
            !station.catalogue.forwarding.target(options.target)
          ) {
            fail('NOT_FOUND', `No central storage target ${options.target}.`);
          }
          const lock = await acquireForwardLock(station.dataDir);
          try {
            const startedAt = station.now();
            for (;;) {
              const outcomes = await station.forwarder.pass({
                ...(options.target !== undefined && { target: options.target }),
                actor,
                signal,
                straysBefore: startedAt,
              });
              failures = outcomes.flatMap((o) => o.failures);
              if (options.untilIdle !== true) break;
              if (!(await waitForRetry(station, options.target, signal))) break;
            }
          } finally {
            await lock.release();
          }
          return station.forwardTargets
            .status()
            .filter((q) => options.target === undefined || q.target === options.target);
        });
      } catch (error) {
        if (signal.aborted) fail('CANCELLED', 'Forwarding was stopped; it resumes where it stood.');
        throw error;
      } finally {
        release();
      }
      const complete = allVerified(queues);
      if (options.untilIdle === true && !complete) {
        const named = failures.map((f) => `${f.target}: ${f.objectKey}: ${f.code}: ${f.message}`);
        const stopped = queues
          .filter((q) => q.stopped !== null)
          .map((q) => `${q.target} stopped: ${q.stopped!.code}: ${q.stopped!.reason}`);
        fail(
          'FORWARD_INCOMPLETE',
          [
            'Not every clip due is verified on every enabled target (D-24H):',
            ...stopped,
            ...named,
          ].join('\n'),
          { targets: queues, failures },
        );
      }
      emit(options, { targets: queues, failures, complete }, () => queueTable(queues));
    },
  );

  withCommonOptions(
    forward.command('status').description('per target: queued, uploading, verified, failed'),
  ).action(async (options: CommonOptions) => {
    const queues = await withStation(options, async (session) =>
      session.services.forwardTargets.status(),
    );
    emit(options, { targets: queues }, () => queueTable(queues));
  });

  withCommonOptions(
    forward
      .command('verify')
      .description(
        'prove the copies on the targets again; exits non-zero naming each missing or different one',
      )
      .option('--target <name>', 'only this target')
      .option('--all', 'read every copy back whole and hash it')
      .option('--sample <percent>', 'read back this share of the copies (default 5)')
      .option(...USER_OPTION),
  ).action(
    async (
      options: CommonOptions & { target?: string; all?: boolean; sample?: string; user?: string },
    ) => {
      const { signal, release } = stopOnSignal('forwarding was stopped');
      const sample = options.all ? 100 : (wholeNumber(options.sample, '--sample', 0) ?? 5);
      if (sample > 100) fail('BAD_REQUEST', '--sample is a percentage, at most 100.');
      let report;
      try {
        report = await withStation(options, async (session) => {
          const actor = await custodian(session, options.user);
          return session.services.remoteCheck.run({
            ...(options.target !== undefined && { target: options.target }),
            readBackPercent: sample,
            actor,
            signal,
          });
        });
      } finally {
        release();
      }
      if (report.problems.length > 0) {
        fail(
          'REMOTE_MISMATCH',
          [
            `${report.problems.length} copie(s) missing or different (D-NO-TAMPER); they are queued to be sent again:`,
            ...report.problems.map(
              (p) => `${p.target}: ${p.objectKey}: ${p.problem}: ${p.message}`,
            ),
          ].join('\n'),
          { report },
        );
      }
      emit(
        options,
        { report },
        () =>
          `${report.checked} copies proven on their targets (${report.readBack} read back whole and hashed)`,
      );
    },
  );
  return forward;
}
