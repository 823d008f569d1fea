import { createHash, randomBytes } from 'node:crypto';
import { constants as fsConstants } from 'node:fs';
import {
  link,
  mkdir,
  open,
  readFile,
  realpath,
  rename,
  rm,
  stat,
  writeFile,
  type FileHandle,
} from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { TargetTest } from '../contract';
import type { OutboxItem, PartRecord } from '../catalogue/forwarding';
import { fsyncFolder, hashFromDisk, resolveInside, within } from '../archive';
import { ClipFile } from './clip-file';
import { PartBuffers } from './part-buffers';
import {
  readBackProof,
  testSteps,
  type ClipSource,
  type Destination,
  type RemoteProof,
  type SendHooks,
  type SentClip,
} from './destination';
import { conflict, ForwardRefused } from './remote-errors';

/**
 * Written at the folder's root when the target is added. A share that is not mounted leaves its
 * mount point an empty local folder: without this file there, nothing is written into it (the
 * clips would land on the station's own disk and be counted as forwarded).
 */
export const FOLDER_MARKER = '.evidock-target';

const CHUNK = 4 << 20;

/** Flags of every file the station creates on a share: new, never through a link. */
const CREATE_FLAGS =
  fsConstants.O_WRONLY | fsConstants.O_CREAT | fsConstants.O_EXCL | (fsConstants.O_NOFOLLOW ?? 0);
const READ_FLAGS = fsConstants.O_RDONLY | (fsConstants.O_NOFOLLOW ?? 0);

/**
 * A folder the OS mounts (an SMB or NFS share) as a destination: rclone's way, `.partial` in the
 * same folder, fsync, rename, fsync the folder, then the copy is read back and hashed. Whoever can
 * write to the share could plant links in it: every folder written into is checked, once made, to
 * be inside the share and outside the station's data folder as they really are, and every file is
 * created new, never opened through a link.
 */
export class FolderDestination implements Destination {
  /** The chunks clips are read in, kept from one clip to the next for the pass. */
  private readonly buffers = new PartBuffers(2);

  constructor(
    private readonly root: string,
    /** The station's data folder: nothing is ever written into it through the share. */
    private readonly dataDir: string,
  ) {}

  /** Makes a folder a target: it must exist; the marker is written into it. */
  static async claim(root: string): Promise<void> {
    const info = await stat(root).catch((error: NodeJS.ErrnoException) => {
      throw new ForwardRefused(
        error.code ?? 'ENOENT',
        `the folder ${root} cannot be used: ${error.message}`,
        'stop',
      );
    });
    if (!info.isDirectory()) {
      throw new ForwardRefused('ENOTDIR', `${root} is not a folder`, 'stop');
    }
    await writeFile(join(root, FOLDER_MARKER), 'evidock central storage target\n', { flag: 'w' });
    await fsyncFolder(root);
  }

  private async requireMounted(): Promise<void> {
    try {
      await stat(join(this.root, FOLDER_MARKER));
    } catch (error) {
      throw new ForwardRefused(
        'SHARE_NOT_MOUNTED',
        `${join(this.root, FOLDER_MARKER)} is missing: the share is not mounted, nothing is written (${(error as Error).message})`,
      );
    }
  }

  private pathOf(key: string): string {
    return resolveInside(this.root, key);
  }

  /**
   * Makes the folder `path` goes in and answers it once it is known to be inside the share and
   * outside the data folder, links resolved: a link planted on the share to elsewhere is refused.
   */
  private async folderFor(path: string): Promise<string> {
    const folder = dirname(path);
    await mkdir(folder, { recursive: true });
    const [real, root, dataDir] = await Promise.all([
      realpath(folder),
      realpath(this.root),
      realpath(this.dataDir).catch(() => this.dataDir),
    ]);
    if (!(real === root || within(root, real)) || real === dataDir || within(dataDir, real)) {
      throw new ForwardRefused(
        'SHARE_LINK_REFUSED',
        `${folder} leads out of the share (to ${real}) through a link: nothing is written there`,
        'stop',
      );
    }
    return folder;
  }

  /** A new file at `partial` (any file or link already there is removed first, never followed). */
  private async createPartial(partial: string): Promise<FileHandle> {
    await rm(partial, { force: true });
    return open(partial, CREATE_FLAGS, 0o644);
  }

  async sendClip(source: ClipSource, hooks: SendHooks): Promise<SentClip> {
    await this.requireMounted();
    const { item } = source;
    const file = await ClipFile.open(source.path, item.size, this.buffers);
    const destination = this.pathOf(item.objectKey);
    const partial = `${destination}.partial`;
    const md5 = createHash('md5');
    hooks.uploadStarted(null);
    try {
      await this.folderFor(destination);
      const out = await this.createPartial(partial);
      try {
        for (let offset = 0; offset < item.size; offset += CHUNK) {
          hooks.signal.throwIfAborted();
          const chunk = await file.read(offset, Math.min(CHUNK, item.size - offset));
          md5.update(chunk);
          await hooks.throttle(chunk.length);
          await out.write(chunk, 0, chunk.length);
          hooks.sent(chunk.length);
        }
        file.requireProven(item.sha256);
        await out.sync();
      } finally {
        await out.close();
      }
      // rename() replaces whatever is at the name (a link too) and never writes through it.
      await rename(partial, destination);
      await fsyncFolder(dirname(destination));
    } catch (error) {
      await rm(partial, { force: true }).catch(() => undefined);
      throw error;
    } finally {
      await file.close();
    }
    const md5Hex = md5.digest('hex');
    hooks.partDone({ partNumber: 1, size: item.size, md5: md5Hex, etag: md5Hex });
    return { etag: md5Hex, md5s: [md5Hex], multipart: false, alreadyThere: false };
  }

  async proveClip(
    item: OutboxItem,
    _parts: readonly PartRecord[],
    _readBack: boolean,
    signal: AbortSignal,
  ): Promise<RemoteProof> {
    await this.requireMounted();
    const path = this.pathOf(item.objectKey);
    // A share has no server-side checksum to ask: the copy is always read back and hashed.
    let digest;
    try {
      digest = await hashFromDisk(path, ['sha256'], { checkpoint: () => signal.throwIfAborted() });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        return {
          ok: false,
          problem: 'missing',
          message: `${path} is not on the share`,
          readBack: false,
        };
      }
      throw error;
    }
    return readBackProof(path, item, digest);
  }

  async putDocument(
    key: string,
    body: Buffer,
    signal: AbortSignal,
    options: { once?: boolean } = {},
  ): Promise<void> {
    await this.requireMounted();
    signal.throwIfAborted();
    const destination = this.pathOf(key);
    const partial = `${destination}.partial`;
    await this.folderFor(destination);
    if (options.once && (await this.sameAs(destination, body, key))) return;
    const out = await this.createPartial(partial);
    try {
      await out.write(body, 0, body.length);
      await out.sync();
    } finally {
      await out.close();
    }
    try {
      if (options.once) {
        // Written once: link() fails where a document already is, where rename() would replace it.
        try {
          await link(partial, destination);
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
          if (!(await this.sameAs(destination, body, key))) throw conflict(key);
        }
      } else {
        await rename(partial, destination);
      }
    } finally {
      await rm(partial, { force: true });
    }
    await fsyncFolder(dirname(destination));
    if (!(await readBack(destination))?.equals(body)) {
      throw new ForwardRefused(
        'REMOTE_DIFFERS',
        `${destination} read back differs from what was written`,
      );
    }
  }

  /**
   * Whether the share holds exactly `body` at `path` (read without following a link); false when
   * there is nothing there; a conflict when something else is (a write-once document).
   */
  private async sameAs(path: string, body: Buffer, key: string): Promise<boolean> {
    let there: Buffer | null;
    try {
      there = await readBack(path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ELOOP') throw conflict(key);
      throw error;
    }
    if (there === null) return false;
    if (there.equals(body)) return true;
    throw conflict(key);
  }

  async test(signal: AbortSignal): Promise<TargetTest> {
    const steps: TargetTest['steps'] = [];
    const probe = join(this.root, `.evidock-probe-${randomBytes(6).toString('hex')}`);
    const body = Buffer.from(`evidock probe ${new Date().toISOString()}\n`);
    const step = testSteps(steps, signal);
    const ok =
      (await step('connect', async () => {
        const info = await stat(this.root);
        if (!info.isDirectory())
          throw new ForwardRefused('ENOTDIR', `${this.root} is not a folder`);
      })) &&
      (await step('bucket', () => this.requireMounted())) &&
      (await step('write', async () => {
        const out = await open(
          probe,
          fsConstants.O_WRONLY | fsConstants.O_CREAT | fsConstants.O_EXCL,
          0o644,
        );
        try {
          await out.write(body, 0, body.length);
          await out.sync();
        } finally {
          await out.close();
        }
      })) &&
      (await step('read', async () => {
        if (!(await readFile(probe)).equals(body)) {
          throw new ForwardRefused(
            'REMOTE_DIFFERS',
            'the probe file read back differs from what was written',
          );
        }
      })) &&
      (await step('delete', () => rm(probe)));
    return { ok, steps, partChecksums: null };
  }

  async abortStrays(): Promise<number> {
    // A share has no open uploads: a `.partial` left by a kill is overwritten by the next try.
    return 0;
  }

  close(): void {}
}

/** A file on the share as it is, never through a link; null when there is none. */
async function readBack(path: string): Promise<Buffer | null> {
  let handle: FileHandle;
  try {
    handle = await open(path, READ_FLAGS);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  try {
    return await handle.readFile();
  } finally {
    await handle.close();
  }
}
