import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  sign,
  verify,
  type KeyObject,
} from 'node:crypto';
import {
  chmodSync,
  closeSync,
  fsyncSync,
  lstatSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { fsyncFolderSync } from '../archive';
import type { KeyFingerprints } from '../contract';
import {
  generateSm2KeyPair,
  sm2PairFromPkcs8,
  sm2Pkcs8Der,
  sm2PublicFromSpki,
  sm2Sign,
  sm2SpkiDer,
  sm2Verifier,
  sm3Hex,
  type Sm2KeyPair,
} from './sm2';

/**
 * The station's signing keys (rule D-NO-TAMPER), in `<data-dir>/keys/` (0700, files 0600):
 *
 *   sm2.pem          SM2 private key, PKCS#8 PEM      sm2.pub.pem      its SubjectPublicKeyInfo PEM
 *   ed25519.pem      Ed25519 private key, PKCS#8 PEM  ed25519.pub.pem  its SubjectPublicKeyInfo PEM
 *
 * Both are standard files OpenSSL reads (`openssl pkey -in keys/sm2.pem -noout -text`). The
 * station signs every audit checkpoint with both keys: SM2 (GB/T 32918.2) for the national
 * standard, Ed25519 for tools everywhere else.
 */
const KEYS_FOLDER = 'keys';
export const KEY_FILES = {
  sm2: 'sm2.pem',
  sm2Public: 'sm2.pub.pem',
  ed25519: 'ed25519.pem',
  ed25519Public: 'ed25519.pub.pem',
} as const;

/** A key folder being made: never read as keys, removed at a later start once it is stale. */
const MAKING_PREFIX = '.keys-making-';
const STALE_MS = 10 * 60 * 1000;

/** Why the station's keys cannot be used: missing, or not whole. */
export class KeysUnusable extends Error {
  constructor(
    readonly problem: 'keys-missing' | 'keys-damaged' | 'keys-replaced',
    message: string,
  ) {
    super(message);
    this.name = 'KeysUnusable';
  }
}

/** SM2 signatures this process found good, by key, signature and message (a bounded memo). */
const VERIFIED_SM2 = new Set<string>();
const VERIFIED_LIMIT = 1_000_000;

function remember(memo: string): void {
  if (VERIFIED_SM2.size >= VERIFIED_LIMIT) VERIFIED_SM2.clear();
  VERIFIED_SM2.add(memo);
}

/** Both signatures over one message: SM2 (DER) and Ed25519 (64 bytes). */
export interface KeySignatures {
  sm2: Buffer;
  ed25519: Buffer;
}

/** The public halves, enough to check a signature and to name the keys by their fingerprints. */
export class StationPublicKeys {
  readonly fingerprints: KeyFingerprints;
  private readonly sm2Verify: (message: Uint8Array, signature: Buffer) => boolean;

  constructor(
    readonly sm2Point: Buffer,
    private readonly ed25519Key: KeyObject,
  ) {
    this.sm2Verify = sm2Verifier(sm2Point);
    const sm2Spki = sm2SpkiDer(sm2Point);
    const edSpki = ed25519Key.export({ type: 'spki', format: 'der' });
    this.fingerprints = {
      sm2: { sha256: sha256Hex(sm2Spki), sm3: sm3Hex(sm2Spki) },
      ed25519: { sha256: sha256Hex(edSpki) },
    };
  }

  /** The public keys as base64 SubjectPublicKeyInfo DER: what the chain records of them. */
  get spki(): { sm2: string; ed25519: string } {
    return {
      sm2: sm2SpkiDer(this.sm2Point).toString('base64'),
      ed25519: this.ed25519Key.export({ type: 'spki', format: 'der' }).toString('base64'),
    };
  }

  /** The public keys as PEM, as in keys/*.pub.pem. */
  get pem(): { sm2: string; ed25519: string } {
    return {
      sm2: pem('PUBLIC KEY', sm2SpkiDer(this.sm2Point)),
      ed25519: this.ed25519Key.export({ type: 'spki', format: 'pem' }) as string,
    };
  }

  verify(message: Uint8Array, signatures: KeySignatures): { sm2: boolean; ed25519: boolean } {
    let ed25519 = false;
    try {
      ed25519 = verify(null, message, this.ed25519Key, signatures.ed25519);
    } catch (error) {
      // A signature of the wrong length, say: one that does not verify.
      if (!(error instanceof Error)) throw error;
    }
    // SM2 in JavaScript takes milliseconds a signature: one this process found good for these
    // very bytes and this very key is not checked again (the answer cannot have changed).
    const memo = createHash('sha256')
      .update(`${this.fingerprints.sm2.sha256}:${signatures.sm2.length}:`)
      .update(signatures.sm2)
      .update(message)
      .digest('base64');
    let sm2 = VERIFIED_SM2.has(memo);
    if (!sm2) {
      sm2 = this.sm2Verify(message, signatures.sm2);
      if (sm2) remember(memo);
    }
    return { sm2, ed25519 };
  }
}

/** The key pairs: what signs checkpoints. Only ever built from whole, checked files. */
export class StationKeys extends StationPublicKeys {
  constructor(
    private readonly sm2Pair: Sm2KeyPair,
    private readonly ed25519Private: KeyObject,
  ) {
    super(sm2Pair.publicKey, createPublicKey(ed25519Private));
  }

  sign(message: Uint8Array): KeySignatures {
    return {
      sm2: sm2Sign(message, this.sm2Pair),
      ed25519: sign(null, message, this.ed25519Private),
    };
  }
}

function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function pem(label: string, der: Buffer): string {
  const lines = der.toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

function derOf(text: string, label: string): Buffer {
  const match = new RegExp(
    `-----BEGIN ${label}-----([A-Za-z0-9+/=\\s]+)-----END ${label}-----`,
  ).exec(text);
  if (match === null) throw new Error(`not a PEM "${label}"`);
  return Buffer.from(match[1]!.replace(/\s+/g, ''), 'base64');
}

/** Where the keys are; whether the folder holds any key file. */
function keysFolder(dataDir: string): string {
  return join(dataDir, KEYS_FOLDER);
}

export function hasKeyFiles(dataDir: string): boolean {
  try {
    const names = new Set(readdirSync(keysFolder(dataDir)));
    return Object.values(KEY_FILES).some((name) => names.has(name));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}

/** Reads one key file; a missing or unreadable one makes the keys unusable, named. */
function keyFile(dataDir: string, name: string): string {
  const path = join(keysFolder(dataDir), name);
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new KeysUnusable(
      code === 'ENOENT' ? 'keys-missing' : 'keys-damaged',
      code === 'ENOENT'
        ? `the station key file keys/${name} is missing`
        : `the station key file keys/${name} cannot be read (${code})`,
    );
  }
}

function damaged(name: string, why: string): KeysUnusable {
  return new KeysUnusable('keys-damaged', `the station key file keys/${name} is damaged: ${why}`);
}

/** Key file `name` made a key by `parse`; a file that `parse` refuses is damaged, named. */
function keyFrom<T>(dataDir: string, name: string, parse: (text: string) => T): T {
  const text = keyFile(dataDir, name);
  try {
    return parse(text);
  } catch (error) {
    throw damaged(name, (error as Error).message);
  }
}

/** `key`, if it is an Ed25519 key. */
function ed25519Only(key: KeyObject, half: 'public' | 'private'): KeyObject {
  if (key.asymmetricKeyType !== 'ed25519') throw new Error(`not an Ed25519 ${half} key`);
  return key;
}

function readSm2Public(dataDir: string): Buffer {
  return keyFrom(dataDir, KEY_FILES.sm2Public, (text) =>
    sm2PublicFromSpki(derOf(text, 'PUBLIC KEY')),
  );
}

function readEd25519Public(dataDir: string): KeyObject {
  return keyFrom(dataDir, KEY_FILES.ed25519Public, (text) =>
    ed25519Only(createPublicKey(text), 'public'),
  );
}

/** Public keys from their base64 SubjectPublicKeyInfo DER (as `spki` gives them). */
export function publicKeysFromSpki(spki: { sm2: string; ed25519: string }): StationPublicKeys {
  const ed25519 = ed25519Only(
    createPublicKey({ key: Buffer.from(spki.ed25519, 'base64'), format: 'der', type: 'spki' }),
    'public',
  );
  return new StationPublicKeys(sm2PublicFromSpki(Buffer.from(spki.sm2, 'base64')), ed25519);
}

/** The public keys in keys/, for checking signatures; throws KeysUnusable, named. */
export function readPublicKeys(dataDir: string): StationPublicKeys {
  return new StationPublicKeys(readSm2Public(dataDir), readEd25519Public(dataDir));
}

/**
 * The key pairs in keys/, each private key checked against its public file (a pair that does
 * not belong together is damage, not a key to sign with), the permissions closed to the owner.
 */
export function loadStationKeys(dataDir: string): StationKeys {
  const keys = readStationKeys(dataDir);
  keepPrivate(dataDir);
  return keys;
}

/** The key pairs in keys/, checked as loadStationKeys does, changing nothing (for a check). */
export function readStationKeys(dataDir: string): StationKeys {
  const sm2Point = readSm2Public(dataDir);
  const ed25519Public = readEd25519Public(dataDir);
  const sm2Pair = keyFrom(dataDir, KEY_FILES.sm2, (text) =>
    sm2PairFromPkcs8(derOf(text, 'PRIVATE KEY')),
  );
  if (!sm2Pair.publicKey.equals(sm2Point)) {
    throw damaged(KEY_FILES.sm2Public, `it is not the public half of keys/${KEY_FILES.sm2}`);
  }
  const ed25519Private = keyFrom(dataDir, KEY_FILES.ed25519, (text) =>
    ed25519Only(createPrivateKey(text), 'private'),
  );
  const derived = createPublicKey(ed25519Private).export({ type: 'spki', format: 'der' });
  if (!derived.equals(ed25519Public.export({ type: 'spki', format: 'der' }))) {
    throw damaged(
      KEY_FILES.ed25519Public,
      `it is not the public half of keys/${KEY_FILES.ed25519}`,
    );
  }
  return new StationKeys(sm2Pair, ed25519Private);
}

/** The folder 0700 and its files 0600, whatever they were found with (a restore, a copy). */
function keepPrivate(dataDir: string): void {
  if (process.platform === 'win32') return;
  const folder = keysFolder(dataDir);
  if ((statSync(folder).mode & 0o077) !== 0) chmodSync(folder, 0o700);
  for (const name of Object.values(KEY_FILES)) {
    const path = join(folder, name);
    if ((lstatSync(path).mode & 0o177) !== 0) chmodSync(path, 0o600);
  }
}

function writeNew(path: string, text: string): void {
  const fd = openSync(path, 'wx', 0o600);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * Makes the station's keys, whole or not at all: every file is written and flushed in a folder
 * of its own beside keys/, which is then renamed to keys/ in one step. A crash before the rename
 * leaves a folder nobody reads as keys (removed at a later start); keys/ never holds half a key.
 * Two processes making keys at once: the second rename fails, and both use the first's keys.
 * Answers the keys now in keys/, and whether this call made them.
 */
export function createStationKeys(dataDir: string): { keys: StationKeys; created: boolean } {
  removeStaleMaking(dataDir);
  const making = mkdtempSync(join(dataDir, MAKING_PREFIX));
  try {
    const sm2Pair = generateSm2KeyPair();
    const ed = generateKeyPairSync('ed25519');
    writeNew(join(making, KEY_FILES.sm2), pem('PRIVATE KEY', sm2Pkcs8Der(sm2Pair)));
    writeNew(join(making, KEY_FILES.sm2Public), pem('PUBLIC KEY', sm2SpkiDer(sm2Pair.publicKey)));
    writeNew(
      join(making, KEY_FILES.ed25519),
      ed.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
    );
    writeNew(
      join(making, KEY_FILES.ed25519Public),
      ed.publicKey.export({ type: 'spki', format: 'pem' }) as string,
    );
    fsyncFolderSync(making);
    let created = true;
    try {
      // Replaces an empty keys/ folder; refuses one with anything in it.
      renameSync(making, keysFolder(dataDir));
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ENOTEMPTY' && code !== 'EEXIST' && code !== 'EPERM') throw error;
      created = false;
    }
    fsyncFolderSync(dataDir);
    return { keys: loadStationKeys(dataDir), created };
  } finally {
    rmSync(making, { recursive: true, force: true });
  }
}

/** Folders a crash left half-made: they are no one's keys. */
function removeStaleMaking(dataDir: string): void {
  for (const name of readdirSync(dataDir)) {
    if (!name.startsWith(MAKING_PREFIX)) continue;
    const path = join(dataDir, name);
    try {
      // Another process may be making keys right now: only folders older than that are stale.
      if (Date.now() - lstatSync(path).mtimeMs > STALE_MS) {
        rmSync(path, { recursive: true, force: true });
      }
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
}
