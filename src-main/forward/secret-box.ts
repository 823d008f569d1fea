import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, linkSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { fsyncFolderSync } from '../archive';

/** What a target needs to sign its requests: write-only, never shown back, logged or audited. */
export interface TargetSecret {
  accessKeyId: string;
  secretAccessKey: string;
}

/**
 * Seals target secrets at rest. The station seals them with a key of its own in `keys/` (0600);
 * a desktop shell may hand it a sealer backed by the OS keychain instead.
 */
export interface SecretBox {
  seal(secret: TargetSecret): Buffer;
  open(sealed: Buffer): TargetSecret;
}

const KEY_FILE = 'forward-secrets.key';
const VERSION = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** Thrown when a sealed secret cannot be opened: the key changed, or the bytes were altered. */
export class SecretUnreadable extends Error {
  constructor(reason: string) {
    super(`the target's stored secret cannot be opened (${reason}): add the target's keys again`);
    this.name = 'SecretUnreadable';
  }
}

/**
 * AES-256-GCM under a random key in `<data-dir>/keys/forward-secrets.key`, made on first use (or
 * under the key the desktop shell keeps in the OS keychain).
 * A catalogue copied off the station carries no usable secret without this file, and the
 * authentication tag refuses a sealed value that was edited.
 */
export class KeyFileSecretBox implements SecretBox {
  private key: Buffer | null;

  /**
   * `key`: one the desktop shell keeps in the OS keychain and hands over at start; then no key
   * file is read or made.
   */
  constructor(
    private readonly keysFolder: string,
    key?: Buffer,
  ) {
    if (key !== undefined && key.length !== 32) throw new Error('a sealing key is 32 bytes');
    this.key = key ?? null;
  }

  static forDataDir(dataDir: string, key?: Buffer): KeyFileSecretBox {
    return new KeyFileSecretBox(join(dataDir, 'keys'), key);
  }

  seal(secret: TargetSecret): Buffer {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.keyBytes(true), iv);
    const body = Buffer.concat([cipher.update(JSON.stringify(secret), 'utf8'), cipher.final()]);
    return Buffer.concat([Buffer.from([VERSION]), iv, cipher.getAuthTag(), body]);
  }

  open(sealed: Buffer): TargetSecret {
    if (sealed.length < 1 + IV_BYTES + TAG_BYTES || sealed[0] !== VERSION) {
      throw new SecretUnreadable('not a sealed secret of this station');
    }
    const key = this.keyBytes(false);
    const iv = sealed.subarray(1, 1 + IV_BYTES);
    const tag = sealed.subarray(1 + IV_BYTES, 1 + IV_BYTES + TAG_BYTES);
    const decipher = createDecipheriv('aes-256-gcm', key, iv);
    decipher.setAuthTag(tag);
    let text: string;
    try {
      text = Buffer.concat([
        decipher.update(sealed.subarray(1 + IV_BYTES + TAG_BYTES)),
        decipher.final(),
      ]).toString('utf8');
    } catch {
      throw new SecretUnreadable('its seal does not match the station key');
    }
    const value = JSON.parse(text) as Partial<TargetSecret>;
    if (typeof value.accessKeyId !== 'string' || typeof value.secretAccessKey !== 'string') {
      throw new SecretUnreadable('its contents are not a key pair');
    }
    return { accessKeyId: value.accessKeyId, secretAccessKey: value.secretAccessKey };
  }

  private keyBytes(create: boolean): Buffer {
    if (this.key !== null) return this.key;
    const path = join(this.keysFolder, KEY_FILE);
    try {
      this.key = readKey(path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      if (!create) throw new SecretUnreadable(`the station key ${KEY_FILE} is missing`);
      this.key = makeKey(this.keysFolder, path);
    }
    return this.key;
  }
}

function readKey(path: string): Buffer {
  const key = readFileSync(path);
  if (key.length !== 32) throw new SecretUnreadable(`the station key ${KEY_FILE} is damaged`);
  return key;
}

/**
 * Written whole under a temporary name, then linked to its name: two processes making it at once
 * end with one key (the loser's link fails with EEXIST and it reads the winner's).
 */
function makeKey(folder: string, path: string): Buffer {
  const key = randomBytes(32);
  const temporary = join(folder, `.${KEY_FILE}.${process.pid}.${randomBytes(4).toString('hex')}`);
  const fd = openSync(temporary, 'wx', 0o600);
  try {
    writeSync(fd, key);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    linkSync(temporary, path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return readKey(path);
  } finally {
    rmSync(temporary, { force: true });
  }
  fsyncFolderSync(folder);
  return key;
}
