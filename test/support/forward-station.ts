import { createHash, randomBytes } from 'node:crypto';
import { cpSync } from 'node:fs';
import { runCli, type CliRun } from './cli';
import { testVolume } from './ingest-station';
import { tempDir } from './temp';

export const ADMIN_PW = 'admin pass 1';
export const CUSTODIAN_PW = 'custodian pass 1';
export const OFFICER_PW = 'officer pass 1';

export interface ArchivedClip {
  id: number;
  archivePath: string;
  size: number;
  sha256: string;
}

/** A data dir with accounts (A001 admin, C001 custodian, P100 officer) and clips ingested. */
export interface ForwardStation {
  dataDir: string;
  clips: ArchivedClip[];
  /** `evidock <args> --data-dir … --json`. */
  cli(args: string[], stdin?: string, env?: NodeJS.ProcessEnv): Promise<CliRun>;
  /** Ingests more clips of these sizes from a recorder's volume. */
  ingest(sizes: readonly number[]): Promise<ArchivedClip[]>;
  remove(): void;
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

let volumes = 0;

/**
 * Accounts and a registered recorder, made once per test process with the real CLI (three scrypt
 * hashes and as many logins: seconds) and copied for each station that starts from them.
 */
let accounts: Promise<string> | undefined;

async function accountsDataDir(): Promise<string> {
  const dir = tempDir('evidock-forward-accounts-');
  process.once('exit', dir.remove);
  const must = async (args: string[], stdin = '') => {
    const run = await runCli([...args, '--data-dir', dir.path, '--json'], stdin);
    if (run.code !== 0) throw new Error(`evidock ${args.join(' ')}: ${run.stdout}${run.stderr}`);
  };
  await must(
    ['users', 'add', '--badge', 'A001', '--name', '管理员', '--role', 'admin'],
    `${ADMIN_PW}\n`,
  );
  for (const [badge, name, role, pw] of [
    ['C001', '保管员', 'custodian', CUSTODIAN_PW],
    ['P100', '执法员', 'officer', OFFICER_PW],
  ] as const) {
    await must(
      ['users', 'add', '--badge', badge, '--name', name, '--role', role, '--user', 'A001'],
      `${ADMIN_PW}\n${pw}\n`,
    );
  }
  await must(
    [
      'recorders',
      'register',
      '--serial',
      'CAM01',
      '--profile',
      'generic-dcim',
      '--officer',
      'P100',
      '--user',
      'C001',
    ],
    `${CUSTODIAN_PW}\n`,
  );
  return dir.path;
}

/** The station the forwarding tests start from, made with the real CLI as a custodian would. */
export async function forwardStation(sizes: readonly number[]): Promise<ForwardStation> {
  const dir = tempDir('evidock-forward-');
  cpSync(await (accounts ??= accountsDataDir()), dir.path, { recursive: true });
  const cli = (args: string[], stdin = '', env: NodeJS.ProcessEnv = {}) =>
    runCli([...args, '--data-dir', dir.path, '--json'], stdin, env);
  const must = async (args: string[], stdin = '') => {
    const run = await cli(args, stdin);
    if (run.code !== 0) throw new Error(`evidock ${args.join(' ')}: ${run.stdout}${run.stderr}`);
    return run;
  };
  const station: ForwardStation = {
    dataDir: dir.path,
    clips: [],
    cli,
    async ingest(more) {
      const volume = testVolume();
      const expected = new Map<string, string>();
      try {
        for (const [i, size] of more.entries()) {
          const bytes = randomBytes(size);
          volumes += 1;
          volume.add({ path: `DCIM/100MEDIA/V${volumes}_${i}.MP4`, bytes });
          expected.set(sha256(bytes), `V${volumes}_${i}`);
        }
        const run = await must(
          ['ingest', volume.root, '--recorder', 'CAM01', '--user', 'P100'],
          `${OFFICER_PW}\n`,
        );
        const doc = run.json() as {
          clips: { id: number; archivePath: string; size: number; sha256: string }[];
        };
        const clips = doc.clips.map(({ id, archivePath, size, sha256: hash }) => ({
          id,
          archivePath,
          size,
          sha256: hash,
        }));
        station.clips.push(...clips);
        return clips;
      } finally {
        volume.remove();
      }
    },
    remove: dir.remove,
  };
  if (sizes.length > 0) await station.ingest(sizes);
  return station;
}

/** `forward targets add` for an S3 target, keys on stdin after the custodian's password. */
export function addS3Target(
  station: ForwardStation,
  target: {
    name: string;
    endpoint: string;
    bucket: string;
    accessKeyId: string;
    secretAccessKey: string;
  },
  extra: string[] = [],
): Promise<CliRun> {
  return station.cli(
    [
      'forward',
      'targets',
      'add',
      '--name',
      target.name,
      '--kind',
      's3',
      '--endpoint',
      target.endpoint,
      '--bucket',
      target.bucket,
      '--path-style',
      '--user',
      'C001',
      ...extra,
    ],
    `${CUSTODIAN_PW}\n${target.accessKeyId}\n${target.secretAccessKey}\n`,
  );
}
