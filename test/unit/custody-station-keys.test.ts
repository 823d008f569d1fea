// The station's signing keys (rule D-NO-TAMPER): made whole or not at all, kept owner-only,
// loaded with every file checked, and never made anew over history that names them.
import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
} from 'node:crypto';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Catalogue } from '../../src-main/catalogue/catalogue';
import { CATALOGUE_FILE } from '../../src-main/catalogue/open';
import { RpcError } from '../../src-main/contract';
import { openStationAudit } from '../../src-main/custody/station-audit';
import {
  createStationKeys,
  hasKeyFiles,
  KEY_FILES,
  KeysUnusable,
  loadStationKeys,
  readPublicKeys,
} from '../../src-main/custody/station-keys';
import {
  sm2PairFromPkcs8,
  sm2PublicFromSpki,
  sm2Sign,
  sm2Verify,
} from '../../src-main/custody/sm2';
import { thrownBy } from '../support/core-station';
import { tempDir } from '../support/temp';

let dir: ReturnType<typeof tempDir>;
const keys = (name = '') => join(dir.path, 'keys', name);
const mode = (path: string) => statSync(path).mode & 0o777;
const der = (key: KeyObject, type: 'pkcs8' | 'spki') =>
  key.export({ type, format: 'der' } as never) as unknown as Buffer;

beforeEach(() => {
  dir = tempDir('evidock-keys-');
});
afterEach(() => dir.remove());

describe('making the keys', () => {
  it('writes SM2 and Ed25519 as PKCS#8 and SPKI PEM, the folder 0700 and each file 0600', () => {
    const { keys: made, created } = createStationKeys(dir.path);
    expect(created).toBe(true);
    expect(readdirSync(keys()).sort()).toEqual(Object.values(KEY_FILES).sort());
    expect(mode(keys())).toBe(0o700);
    for (const name of Object.values(KEY_FILES)) expect(mode(keys(name)), name).toBe(0o600);
    expect(readFileSync(keys(KEY_FILES.sm2), 'utf8')).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
    expect(readFileSync(keys(KEY_FILES.sm2Public), 'utf8')).toMatch(
      /^-----BEGIN PUBLIC KEY-----\n/,
    );
    // Nothing half-made is left beside the keys.
    expect(readdirSync(dir.path).filter((n) => n.startsWith('.keys'))).toEqual([]);
    expect(made.fingerprints.sm2.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(made.fingerprints.sm2.sm3).toMatch(/^[0-9a-f]{64}$/);
  });

  it('writes the SM2 key exactly as OpenSSL, under Node, exports it (same DER, both halves)', () => {
    createStationKeys(dir.path);
    const privatePem = readFileSync(keys(KEY_FILES.sm2), 'utf8');
    const publicPem = readFileSync(keys(KEY_FILES.sm2Public), 'utf8');
    // Node links OpenSSL, which knows the SM2 curve: it reads the files and writes the same bytes.
    const parsed = createPrivateKey(privatePem);
    expect(parsed.export({ type: 'pkcs8', format: 'pem' })).toBe(privatePem);
    expect(createPublicKey(parsed).export({ type: 'spki', format: 'pem' })).toBe(publicPem);
  });

  it('reads a key pair OpenSSL made, and its signatures verify (Z over the default ID)', () => {
    const node = generateKeyPairSync('ec', { namedCurve: 'SM2' });
    const pair = sm2PairFromPkcs8(der(node.privateKey, 'pkcs8'));
    expect(pair.publicKey.equals(sm2PublicFromSpki(der(node.publicKey, 'spki')))).toBe(true);
    const message = Buffer.from('{"headSeq":100}');
    const signature = sm2Sign(message, pair);
    expect(sm2Verify(message, signature, pair.publicKey)).toBe(true);
    expect(sm2Verify(Buffer.from('{"headSeq":101}'), signature, pair.publicKey)).toBe(false);
    expect(sm2Verify(message, Buffer.from('not a signature'), pair.publicKey)).toBe(false);
  });

  it('two makers at once end with one set of keys, used by both', () => {
    const first = createStationKeys(dir.path);
    const second = createStationKeys(dir.path);
    expect(second.created).toBe(false);
    expect(second.keys.fingerprints).toEqual(first.keys.fingerprints);
  });

  it('a folder a crash left half-made is never read as keys, and is cleared once stale', () => {
    const half = join(dir.path, '.keys-making-crashed');
    mkdirSync(half, { mode: 0o700 });
    writeFileSync(join(half, KEY_FILES.sm2), '-----BEGIN PRIVATE KEY-----\nMIGH');
    expect(hasKeyFiles(dir.path)).toBe(false);
    const old = new Date(Date.now() - 60 * 60 * 1000);
    utimesSync(half, old, old);

    createStationKeys(dir.path);
    expect(readdirSync(dir.path).filter((n) => n.startsWith('.keys'))).toEqual([]);
    expect(() => loadStationKeys(dir.path)).not.toThrow();
  });
});

describe('loading the keys', () => {
  beforeEach(() => {
    createStationKeys(dir.path);
  });

  it('closes a folder and files found open to others (a restore, a copy)', () => {
    chmodSync(keys(), 0o755);
    for (const name of Object.values(KEY_FILES)) chmodSync(keys(name), 0o644);
    loadStationKeys(dir.path);
    expect(mode(keys())).toBe(0o700);
    for (const name of Object.values(KEY_FILES)) expect(mode(keys(name)), name).toBe(0o600);
  });

  it('names a damaged key file', () => {
    writeFileSync(keys(KEY_FILES.ed25519), 'not a key');
    const error = thrownBy(() => loadStationKeys(dir.path));
    expect(error).toBeInstanceOf(KeysUnusable);
    expect(error).toMatchObject({ problem: 'keys-damaged' });
    expect((error as Error).message).toContain(`keys/${KEY_FILES.ed25519}`);
  });

  it('names a missing key file, and a public key that is not the private one’s half', () => {
    const other = tempDir('evidock-keys-other-');
    try {
      createStationKeys(other.path);
      writeFileSync(
        keys(KEY_FILES.sm2Public),
        readFileSync(join(other.path, 'keys', KEY_FILES.sm2Public)),
      );
      expect(thrownBy(() => loadStationKeys(dir.path))).toMatchObject({
        problem: 'keys-damaged',
        message: expect.stringContaining('not the public half of keys/sm2.pem'),
      });
      // The public keys alone still read: a check can go on with them.
      expect(() => readPublicKeys(dir.path)).not.toThrow();
    } finally {
      other.remove();
    }
    chmodSync(keys(), 0o700);
    writeFileSync(keys(KEY_FILES.sm2Public), '');
    expect(thrownBy(() => readPublicKeys(dir.path))).toMatchObject({ problem: 'keys-damaged' });
  });
});

describe('keys the history refers to', () => {
  function open(requireKeys: boolean) {
    const { catalogue } = Catalogue.open(join(dir.path, CATALOGUE_FILE));
    try {
      return {
        catalogue,
        ...openStationAudit({
          dataDir: dir.path,
          catalogue,
          now: () => new Date('2026-12-01T08:00:00.000Z'),
          onError: (message, error) => {
            throw new Error(`${message}: ${String(error)}`);
          },
          requireKeys,
        }),
      };
    } catch (error) {
      catalogue.close();
      throw error;
    }
  }

  it('are made at the first start, recorded in the chain with their public keys, and sealed', () => {
    const { catalogue, audit, checkpoints } = open(true);
    const [entry] = audit.list({ limit: 10 }).entries;
    expect(entry).toMatchObject({ seq: 1, action: 'station.keys.created', actor: 'station' });
    const stored = readPublicKeys(dir.path);
    expect(entry!.details).toEqual({ fingerprints: stored.fingerprints, publicKeys: stored.spki });
    expect(checkpoints.seal().lastCheckpoint).toMatchObject({
      seq: 1,
      headSeq: 1,
      reason: 'keys-created',
    });
    expect(audit.verify()).toMatchObject({ ok: true, findings: [] });
    catalogue.close();
  });

  it('once referred to, are never made again when keys/ is gone or empty: the start is refused', () => {
    open(true).catalogue.close();
    rmSync(keys(), { recursive: true });
    const gone = thrownBy(() => open(true));
    expect(gone).toBeInstanceOf(RpcError);
    expect(gone).toMatchObject({ code: 'KEYS_UNUSABLE', details: { problem: 'keys-missing' } });
    expect(existsSync(keys())).toBe(false);

    mkdirSync(keys(), { mode: 0o700 });
    expect(thrownBy(() => open(true))).toMatchObject({ details: { problem: 'keys-missing' } });
    expect(readdirSync(keys())).toEqual([]);
  });

  it('a station whose keys are damaged still opens to read and verify, and signs nothing', () => {
    const first = open(true);
    for (let i = 0; i < 97; i += 1) {
      first.audit.record({ actor: 'A100', action: 'auth.login', subject: `user:${i}` });
    }
    first.catalogue.close();
    for (const name of Object.values(KEY_FILES)) {
      writeFileSync(keys(name), '');
    }
    // Only empty files: the keys are damaged, not absent.
    const damaged = open(false);
    expect(damaged.checkpoints.keysProblem).toMatchObject({ problem: 'keys-damaged' });
    expect(hasKeyFiles(dir.path)).toBe(true);
    // Entry #99 goes in; #100 would need a checkpoint, and is refused with the change it records.
    damaged.audit.record({ actor: 'A100', action: 'auth.login', subject: 'user:99' });
    expect(
      thrownBy(() => damaged.audit.record({ actor: 'A100', action: 'auth.login', subject: 'x' })),
    ).toMatchObject({ code: 'KEYS_UNUSABLE' });
    expect(damaged.catalogue.audit.head()?.seq).toBe(99);
    expect(damaged.audit.verify().findings.map((f) => f.code)).toEqual(['keys-damaged']);
    damaged.catalogue.close();
  });
});
