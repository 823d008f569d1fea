import { mkdir, readdir, stat } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import { RECOVERY_BLOCKS, recoveryBlockSize } from '../domain';
import { runTool } from './tool-run';

/**
 * Recovery data on every disc (Debian package `par2`, PAR 2.0): a disc with a few unreadable
 * sectors years from now can have its originals repaired from the rest. Written over the whole
 * `evidence/` folder into `par2/`, 5 % by default, in one recovery file next to the index.
 */
export const RECOVERY_FOLDER = 'par2';
export const RECOVERY_INDEX = 'par2/evidence.par2';

export const PAR2_MISSING =
  'par2 is not installed: discs carry recovery data made with it (Debian/Ubuntu: apt install par2)';

export class RecoveryFailed extends Error {
  constructor(
    readonly code: 'PAR2_MISSING' | 'RECOVERY_FAILED',
    message: string,
  ) {
    super(message);
  }
}

/**
 * `par2 create` over the staged disc's `evidence/`, paths recorded relative to its root: the
 * recovery share in RECOVERY_BLOCKS blocks of `recoveryBlockSize` (par2's own choice of many
 * small blocks takes minutes per gigabyte, and refuses more files than blocks).
 */
export function par2CreateArgs(staged: string, percent: number, blockBytes: number): string[] {
  if (!isAbsolute(staged)) throw new Error('the staged folder must be an absolute path');
  if (!Number.isInteger(percent) || percent < 1 || percent > 100) {
    throw new Error(`recovery data is 1 to 100 percent, not ${percent}`);
  }
  return [
    'create',
    ...['-q', '-q'],
    `-c${RECOVERY_BLOCKS}`,
    `-s${blockBytes}`,
    '-n1',
    '-R',
    ...['-B', staged],
    join(staged, RECOVERY_INDEX),
    join(staged, 'evidence'),
  ];
}

/** Writes the recovery data into the staged disc. */
export async function createRecoveryData(
  staged: string,
  percent: number,
  signal?: AbortSignal,
): Promise<void> {
  await mkdir(join(staged, RECOVERY_FOLDER), { recursive: true });
  const bytes = await bytesUnder(join(staged, 'evidence'));
  const args = par2CreateArgs(staged, percent, recoveryBlockSize(bytes, percent));
  const { code, output, missing } = await runTool('par2', args, {
    signal,
    keep: 16_384,
  });
  if (missing) throw new RecoveryFailed('PAR2_MISSING', PAR2_MISSING);
  if (code !== 0) {
    throw new RecoveryFailed(
      'RECOVERY_FAILED',
      `par2 could not make the recovery data (exit ${code}): ${output.trim().split('\n').at(-1) ?? ''}`,
    );
  }
}

async function bytesUnder(dir: string): Promise<number> {
  let bytes = 0;
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    bytes += (await stat(join(entry.parentPath, entry.name))).size;
  }
  return bytes;
}
