/**
 * SM4 (GB/T 32907-2016) in ECB, CBC and CTR modes, on Node's native OpenSSL SM4.
 * Keys and IVs are 16 bytes. `padding: true` applies PKCS#7; without it the data length must be a multiple of 16.
 */
import { createCipheriv, createDecipheriv } from 'node:crypto';

export const SM4_BLOCK_SIZE = 16;
export const SM4_KEY_SIZE = 16;

export type Sm4Op = 'encrypt' | 'decrypt';

/** Thrown for wrong key/IV/data lengths and for bad PKCS#7 padding on decryption. */
export class Sm4Error extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'Sm4Error';
  }
}

function checkLen(what: string, b: Uint8Array, n: number): void {
  if (!(b instanceof Uint8Array)) throw new Sm4Error(`SM4 ${what} must be a Uint8Array`);
  if (b.length !== n) throw new Sm4Error(`SM4 ${what} must be ${n} bytes, got ${b.length}`);
}

function run(algorithm: string, op: Sm4Op, key: Uint8Array, iv: Uint8Array | null, data: Uint8Array, padding: boolean): Buffer {
  if (op !== 'encrypt' && op !== 'decrypt') throw new Sm4Error(`SM4 operation must be 'encrypt' or 'decrypt', got ${String(op)}`);
  checkLen('key', key, SM4_KEY_SIZE);
  if (iv) checkLen('IV', iv, SM4_BLOCK_SIZE);
  if (!(data instanceof Uint8Array)) throw new Sm4Error('SM4 data must be a Uint8Array');
  if ((!padding || op === 'decrypt') && data.length % SM4_BLOCK_SIZE !== 0) {
    throw new Sm4Error(`SM4 ${op} data length ${data.length} is not a multiple of 16${padding ? '' : ' (padding disabled)'}`);
  }
  const c = op === 'encrypt' ? createCipheriv(algorithm, key, iv) : createDecipheriv(algorithm, key, iv);
  c.setAutoPadding(padding);
  try {
    return Buffer.concat([c.update(data), c.final()]);
  } catch {
    // OpenSSL's only failure here is bad padding on decryption; one error type, no detail.
    throw new Sm4Error('SM4 decryption failed: bad padding');
  }
}

/** Encrypts one 16-byte block under a 16-byte key (the bare SM4 permutation). */
export function sm4EncryptBlock(key: Uint8Array, block: Uint8Array): Buffer {
  checkLen('block', block, SM4_BLOCK_SIZE);
  return run('sm4-ecb', 'encrypt', key, null, block, false);
}

/** Decrypts one 16-byte block under a 16-byte key. */
export function sm4DecryptBlock(key: Uint8Array, block: Uint8Array): Buffer {
  checkLen('block', block, SM4_BLOCK_SIZE);
  return run('sm4-ecb', 'decrypt', key, null, block, false);
}

/** SM4-ECB. Only for single blocks / key wrapping (e.g. GM/T 0009 SM2EnvelopedKey); never for bulk data. */
export function sm4Ecb(op: Sm4Op, key: Uint8Array, data: Uint8Array, opts: { padding?: boolean } = {}): Buffer {
  return run('sm4-ecb', op, key, null, data, opts.padding ?? false);
}

/** SM4-CBC with a 16-byte IV. */
export function sm4Cbc(op: Sm4Op, key: Uint8Array, iv: Uint8Array, data: Uint8Array, opts: { padding?: boolean } = {}): Buffer {
  return run('sm4-cbc', op, key, iv, data, opts.padding ?? false);
}

/**
 * SM4-CTR: the 16-byte IV is the initial counter block, incremented as one 128-bit big-endian integer
 * (OpenSSL semantics). Encryption and decryption are the same operation; any data length.
 */
export function sm4Ctr(key: Uint8Array, iv: Uint8Array, data: Uint8Array): Buffer {
  checkLen('key', key, SM4_KEY_SIZE);
  checkLen('IV', iv, SM4_BLOCK_SIZE);
  if (!(data instanceof Uint8Array)) throw new Sm4Error('SM4 data must be a Uint8Array');
  const c = createCipheriv('sm4-ctr', key, iv);
  return Buffer.concat([c.update(data), c.final()]);
}
