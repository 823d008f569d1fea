import { randomBytes } from 'node:crypto';
import { sm2, sm3 } from 'sm-crypto-v2';

/**
 * SM2 signatures per GB/T 32918.2 (SM3 digest over Z‖M, Z from the default signer ID
 * `1234567812345678`), and SM2 keys in the files OpenSSL reads: PKCS#8 for the private key,
 * SubjectPublicKeyInfo for the public one.
 *
 * Node's own crypto is not used for SM2: `crypto.sign('sm3', …)` leaves Z out, so OpenSSL rejects
 * its signatures and Node rejects OpenSSL's; and the desktop app's runtime (Electron, on
 * BoringSSL) has no SM2 curve at all. sm-crypto-v2 computes Z, and the DER is written here.
 */
const SM2_DEFAULT_ID = '1234567812345678';

/** The curve order n of SM2 (GB/T 32918.5). A private key is an integer in [1, n − 2]. */
const ORDER = BigInt('0xFFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFF7203DF6B21C6052B53BBF40939D54123');

/** AlgorithmIdentifier { id-ecPublicKey, sm2 (1.2.156.10197.1.301) }. */
const ALGORITHM = Buffer.from('301306072a8648ce3d020106082a811ccf5501822d', 'hex');

export interface Sm2KeyPair {
  /** The private scalar d, 32 bytes big-endian. */
  privateKey: Buffer;
  /** The public point, uncompressed: 04‖x‖y, 65 bytes. */
  publicKey: Buffer;
}

class Sm2KeyError extends Error {}

export function generateSm2KeyPair(): Sm2KeyPair {
  for (;;) {
    const privateKey = randomBytes(32);
    const d = BigInt(`0x${privateKey.toString('hex')}`);
    if (d >= 1n && d <= ORDER - 2n) return { privateKey, publicKey: sm2PublicOf(privateKey) };
  }
}

function sm2PublicOf(privateKey: Buffer): Buffer {
  return Buffer.from(sm2.getPublicKeyFromPrivateKey(privateKey.toString('hex')), 'hex');
}

/** A DER signature (SEQUENCE of r and s), as OpenSSL writes and reads them. */
export function sm2Sign(message: Uint8Array, pair: Sm2KeyPair): Buffer {
  const signature = sm2.doSignature(message, pair.privateKey.toString('hex'), {
    hash: true,
    der: true,
    publicKey: pair.publicKey.toString('hex'),
    userId: SM2_DEFAULT_ID,
  });
  return Buffer.from(signature, 'hex');
}

export function sm2Verify(message: Uint8Array, signature: Buffer, publicKey: Buffer): boolean {
  return sm2Verifier(publicKey)(message, signature);
}

/**
 * A verifier for one public key, its point multiples computed once: checking thousands of
 * checkpoints takes about a seventh of the time it takes with the bare point.
 */
export function sm2Verifier(
  publicKey: Buffer,
): (message: Uint8Array, signature: Buffer) => boolean {
  let point: ReturnType<typeof sm2.precomputePublicKey> | null = null;
  return (message, signature) => {
    try {
      point ??= sm2.precomputePublicKey(publicKey.toString('hex'), 8);
      return sm2.doVerifySignature(message, signature.toString('hex'), point, {
        hash: true,
        der: true,
        userId: SM2_DEFAULT_ID,
      });
    } catch (error) {
      // Garbage where a signature or a point should be: a signature that does not verify.
      if (error instanceof Error) return false;
      throw error;
    }
  };
}

/** SM3 of `bytes`, hex. */
export function sm3Hex(bytes: Uint8Array): string {
  return sm3(bytes);
}

// --- DER: only what these two key structures need ---

function tlv(tag: number, content: Buffer): Buffer {
  const n = content.length;
  const length =
    n < 0x80
      ? Buffer.from([n])
      : n < 0x100
        ? Buffer.from([0x81, n])
        : Buffer.from([0x82, n >> 8, n & 0xff]);
  return Buffer.concat([Buffer.from([tag]), length, content]);
}

interface Node {
  tag: number;
  content: Buffer;
}

/** The TLVs one after another in `bytes`; throws on anything malformed. */
function children(bytes: Buffer): Node[] {
  const nodes: Node[] = [];
  let at = 0;
  while (at < bytes.length) {
    const tag = bytes[at];
    let length = bytes[at + 1];
    if (tag === undefined || length === undefined) throw new Sm2KeyError('truncated DER');
    at += 2;
    if (length & 0x80) {
      const octets = length & 0x7f;
      if (octets < 1 || octets > 2 || at + octets > bytes.length) {
        throw new Sm2KeyError('bad DER length');
      }
      length = bytes.readUIntBE(at, octets);
      at += octets;
    }
    if (at + length > bytes.length) throw new Sm2KeyError('truncated DER');
    nodes.push({ tag, content: bytes.subarray(at, at + length) });
    at += length;
  }
  return nodes;
}

function only(bytes: Buffer, tag: number, what: string): Buffer {
  const nodes = children(bytes);
  if (nodes.length !== 1 || nodes[0]!.tag !== tag) throw new Sm2KeyError(`not ${what}`);
  return nodes[0]!.content;
}

function assertSm2Algorithm(node: Node | undefined): void {
  if (node === undefined || !tlv(node.tag, node.content).equals(ALGORITHM)) {
    throw new Sm2KeyError(
      'not an SM2 key (its algorithm is not id-ecPublicKey with the SM2 curve)',
    );
  }
}

/** SubjectPublicKeyInfo DER of an SM2 public point. */
export function sm2SpkiDer(publicKey: Buffer): Buffer {
  return tlv(
    0x30,
    Buffer.concat([ALGORITHM, tlv(0x03, Buffer.concat([Buffer.from([0]), publicKey]))]),
  );
}

/** PKCS#8 PrivateKeyInfo DER of an SM2 key pair (with its public key, as OpenSSL writes it). */
export function sm2Pkcs8Der(pair: Sm2KeyPair): Buffer {
  const ecPrivateKey = tlv(
    0x30,
    Buffer.concat([
      Buffer.from('020101', 'hex'),
      tlv(0x04, pair.privateKey),
      tlv(0xa1, tlv(0x03, Buffer.concat([Buffer.from([0]), pair.publicKey]))),
    ]),
  );
  return tlv(
    0x30,
    Buffer.concat([Buffer.from('020100', 'hex'), ALGORITHM, tlv(0x04, ecPrivateKey)]),
  );
}

/** The public point in an SM2 SubjectPublicKeyInfo; throws Sm2KeyError if it is not one. */
export function sm2PublicFromSpki(der: Buffer): Buffer {
  const [algorithm, bits, ...rest] = children(only(der, 0x30, 'a public key (SPKI)'));
  assertSm2Algorithm(algorithm);
  if (bits?.tag !== 0x03 || rest.length > 0) throw new Sm2KeyError('not a public key (SPKI)');
  const point = bits.content.subarray(1);
  if (bits.content[0] !== 0 || point.length !== 65 || point[0] !== 4) {
    throw new Sm2KeyError('the public key is not an uncompressed SM2 point');
  }
  if (!sm2.verifyPublicKey(point.toString('hex'))) {
    throw new Sm2KeyError('the public key is not a point on the SM2 curve');
  }
  return Buffer.from(point);
}

/** The key pair in an SM2 PKCS#8 PrivateKeyInfo; throws Sm2KeyError if it is not one. */
export function sm2PairFromPkcs8(der: Buffer): Sm2KeyPair {
  const [version, algorithm, wrapped] = children(only(der, 0x30, 'a private key (PKCS#8)'));
  if (version?.tag !== 0x02 || wrapped?.tag !== 0x04) {
    throw new Sm2KeyError('not a private key (PKCS#8)');
  }
  assertSm2Algorithm(algorithm);
  const [ecVersion, scalar, ...optional] = children(
    only(wrapped.content, 0x30, 'an EC private key'),
  );
  if (ecVersion?.tag !== 0x02 || scalar?.tag !== 0x04 || scalar.content.length !== 32) {
    throw new Sm2KeyError('not an EC private key of 32 bytes');
  }
  const d = BigInt(`0x${scalar.content.toString('hex')}`);
  if (d < 1n || d > ORDER - 2n) throw new Sm2KeyError('the private key is out of range');
  const privateKey = Buffer.from(scalar.content);
  const publicKey = sm2PublicOf(privateKey);
  const stated = optional.find((node) => node.tag === 0xa1);
  if (stated !== undefined) {
    const bits = only(stated.content, 0x03, 'a public key');
    if (!bits.subarray(1).equals(publicKey)) {
      throw new Sm2KeyError('the public key inside the private key file does not belong to it');
    }
  }
  return { privateKey, publicKey };
}
