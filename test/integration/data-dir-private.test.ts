// The data dir holds footage, thumbnails of confidential clips, the catalogue (password hashes),
// the log and the keys. A folder that already existed with loose permissions (made by hand, by an
// older version, restored from a backup) is tightened at every start, not only when evidock makes
// it (D-NO-LEAK, D-CONFIDENTIAL). Real `evidock station` and CLI processes on real folders.
import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CLI, runCli } from '../support/cli';
import { startStationProcess } from '../support/station-process';
import { tempDir } from '../support/temp';

const ADMIN_PW = 'admin pass 1';
/** Someone else on the workstation: the account `nobody`. */
const OTHER_UID = 65534;
const asRoot = process.getuid?.() === 0;

let parent: ReturnType<typeof tempDir>;
let mounts: ReturnType<typeof tempDir>;
let data: string;

function mode(path: string): number {
  return statSync(path).mode & 0o777;
}

/** Whether another, unprivileged user can read the file (root runs the check as `nobody`). */
function othersCanRead(file: string): boolean {
  const run = spawnSync('cat', [file], { uid: OTHER_UID, gid: OTHER_UID, stdio: 'ignore' });
  return run.status === 0;
}

beforeEach(() => {
  parent = tempDir();
  mounts = tempDir();
  // mkdtemp makes its folder 0700; the workstation's folders above a data dir usually are not.
  chmodSync(parent.path, 0o755);
  data = join(parent.path, 'evidock');
});

afterEach(() => {
  parent.remove();
  mounts.remove();
});

/** A data dir as an older version or a hand-made folder left it: everything readable by all. */
async function looseDataDir(): Promise<{ thumbnail: string; original: string; log: string }> {
  mkdirSync(data, { mode: 0o755 });
  chmodSync(data, 0o755);
  const first = await runCli(
    ['users', 'add', '--badge', 'A001', '--name', 'Admin', '--role', 'admin', '--data-dir', data],
    `${ADMIN_PW}\n`,
  );
  expect(first.code, first.stderr).toBe(0);
  chmodSync(data, 0o755);
  chmodSync(join(data, 'catalogue.sqlite'), 0o644);
  const thumbs = join(data, 'thumbnails', 'ab');
  mkdirSync(thumbs, { recursive: true, mode: 0o755 });
  chmodSync(join(data, 'thumbnails'), 0o755);
  chmodSync(thumbs, 0o755);
  const thumbnail = join(thumbs, `ab${'0'.repeat(62)}.jpg`);
  writeFileSync(thumbnail, Buffer.from([0xff, 0xd8, 0xff, 0xd9]), { mode: 0o644 });
  chmodSync(thumbnail, 0o644);
  const day = join(data, 'archive', '2026', '11', '20', 'CAM01');
  mkdirSync(day, { recursive: true, mode: 0o755 });
  for (const folder of ['archive', 'archive/2026', 'archive/2026/11', 'archive/2026/11/20']) {
    chmodSync(join(data, folder), 0o755);
  }
  chmodSync(day, 0o755);
  const original = join(day, 'C1.MP4');
  writeFileSync(original, 'footage');
  chmodSync(original, 0o444);
  const logs = join(data, 'logs');
  mkdirSync(logs, { recursive: true });
  chmodSync(logs, 0o755);
  const log = join(logs, 'station.log.1');
  writeFileSync(log, '{"message":"an old log"}\n');
  chmodSync(log, 0o644);
  return { thumbnail, original, log };
}

describe('a data dir that already exists with loose permissions', () => {
  it('is closed to other users when the station starts: the folder, thumbnails, catalogue, log', async () => {
    const { thumbnail, log } = await looseDataDir();
    if (asRoot) expect(othersCanRead(thumbnail), 'the attack: readable before').toBe(true);

    const station = await startStationProcess(data, ['--mount-root', mounts.path]);
    expect(await station.stop()).toBe(0);

    for (const path of [data, join(data, 'thumbnails'), join(data, 'thumbnails', 'ab')]) {
      expect(mode(path) & 0o077, path).toBe(0);
    }
    for (const path of [thumbnail, log, join(data, 'catalogue.sqlite'), join(data, 'logs')]) {
      expect(mode(path) & 0o077, path).toBe(0);
    }
    // The archive folder is closed (what it holds was checked and moved aside at the start).
    expect(mode(join(data, 'archive')) & 0o077).toBe(0);
    if (asRoot) expect(othersCanRead(thumbnail), 'readable after the start').toBe(false);
  });

  it('is closed by any command that opens it, not only by the station', async () => {
    const { thumbnail, original } = await looseDataDir();
    const list = await runCli(['users', 'list', '--json', '--data-dir', data]);
    expect(list.code, list.stderr).toBe(0);
    expect(mode(data)).toBe(0o700);
    expect(mode(thumbnail) & 0o077).toBe(0);
    expect(mode(join(data, 'archive', '2026', '11', '20', 'CAM01')) & 0o077).toBe(0);
    // D-NO-TAMPER: an archived original stays read-only, for its owner too.
    expect(mode(original)).toBe(0o400);
  });

  it.skipIf(!asRoot)('owned by another user, is refused: the station does not start', async () => {
    await looseDataDir();
    chownSync(data, OTHER_UID, OTHER_UID);

    const list = await runCli(['users', 'list', '--json', '--data-dir', data]);
    expect(list.code).not.toBe(0);
    expect(list.json()).toMatchObject({
      error: { code: 'DATA_DIR_UNSAFE', message: expect.stringContaining('another user') },
    });
    const station = spawnSync(
      process.execPath,
      [CLI, 'station', '--data-dir', data, '--port', '0', '--json', '--mount-root', mounts.path],
      { encoding: 'utf8', timeout: 20_000 },
    );
    expect(station.status).toBe(1);
    expect(JSON.parse(station.stdout)).toMatchObject({ error: { code: 'DATA_DIR_UNSAFE' } });
    // Nothing was changed in a folder that is not the station's.
    expect(mode(data)).toBe(0o755);
  });
});
