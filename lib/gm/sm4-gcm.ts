/**
 * SM4-GCM: Galois/Counter Mode (NIST SP 800-38D) over SM4, as used by RFC 8998 (TLS 1.3 SM suites),
 * GB/T 36624 and TLCP's ECC/ECDHE_SM4_GCM_SM3 suites.
 *
 * Node's OpenSSL has SM4 but no SM4-GCM, so GCM is built here: the keystream comes from native SM4-CTR
 * (split where GCM's 32-bit counter increment differs from OpenSSL's 128-bit one), GHASH from ./ghash.ts.
 * The mode itself is cipher-agnostic (`GcmMode`), which lets the tests check it against Node's AES-GCM.
 */
import { createCipheriv } from 'node:crypto';
import { Ghash, GhashKey } from './ghash.ts';
import { timingSafeEqualBytes } from './sm3.ts';

/** The only error sm4GcmDecrypt throws for a bad tag, tampered ciphertext/AAD/IV or a wrong key. */
export class GcmAuthError extends Error {
  constructor() {
    super('GCM authentication failed');
    this.name = 'GcmAuthError';
  }
}

export interface GcmOptions {
  /** Tag length in bytes, 12..16 (default 16). */
  tagLength?: number;
}

/** A 128-bit block cipher as GCM needs it: one-block encryption and a 128-bit-increment counter-mode keystream. */
export interface GcmBlockCipher {
  encryptBlock(block: Uint8Array): Buffer;
  /** CTR over data starting at counter block `counter`, incrementing the whole block as a big-endian integer. */
  ctr(counter: Uint8Array, data: Uint8Array): Buffer;
  /**
   * Optional: a CTR keystream from `counter` (128-bit increment) applied across successive update() calls,
   * each a multiple of 16 bytes except possibly the last. Lets GCM take E(J0) and GCTR from one cipher set-up.
   */
  ctrStream?(counter: Uint8Array): { update(data: Uint8Array): Buffer };
}

/** GCM over any 128-bit block cipher; holds the per-key GHASH tables, so reuse one instance per key. */
export class GcmMode {
  private readonly ghashKey: GhashKey;

  constructor(private readonly cipher: GcmBlockCipher) {
    this.ghashKey = new GhashKey(cipher.encryptBlock(new Uint8Array(16)));
  }

  encrypt(iv: Uint8Array, plaintext: Uint8Array, aad: Uint8Array = EMPTY, opts: GcmOptions = {}): { ciphertext: Buffer; tag: Buffer } {
    const tagLength = checkTagLength(opts.tagLength ?? 16);
    checkInputs(iv, plaintext, aad);
    const j0 = this.j0(iv);
    const { ekJ0, out: ciphertext } = this.keystream(j0, plaintext);
    const tag = this.tag(ekJ0, aad, ciphertext).subarray(0, tagLength);
    return { ciphertext, tag };
  }

  /** Verifies the tag (constant time) before releasing any plaintext. */
  decrypt(iv: Uint8Array, ciphertext: Uint8Array, tag: Uint8Array, aad: Uint8Array = EMPTY): Buffer {
    checkInputs(iv, ciphertext, aad);
    if (!(tag instanceof Uint8Array) || tag.length < 12 || tag.length > 16) throw new GcmAuthError();
    const j0 = this.j0(iv);
    // The plaintext is computed alongside E(J0) (one cipher pass) but released only after the tag verifies.
    const { ekJ0, out: plaintext } = this.keystream(j0, ciphertext);
    const expected = this.tag(ekJ0, aad, ciphertext).subarray(0, tag.length);
    if (!timingSafeEqualBytes(expected, tag)) {
      plaintext.fill(0);
      throw new GcmAuthError();
    }
    return plaintext;
  }

  /**
   * E(J0) for the tag and GCTR(inc32(J0), data). When the cipher offers a streaming CTR and the low counter word
   * cannot wrap, both come from one native CTR pass starting at J0 (its first keystream block is E(J0)); this saves
   * a cipher set-up per record, which is a measurable share of a 16 KiB TLCP record.
   */
  protected keystream(j0: Buffer, data: Uint8Array): { ekJ0: Uint8Array; out: Buffer } {
    const blocks = Math.ceil(data.length / 16);
    if (this.cipher.ctrStream && j0.readUInt32BE(12) + blocks < 0x1_0000_0000) {
      const s = this.cipher.ctrStream(j0);
      const ekJ0 = s.update(ZERO_BLOCK);
      return { ekJ0, out: data.length === 0 ? Buffer.alloc(0) : s.update(data) };
    }
    return { ekJ0: this.cipher.encryptBlock(j0), out: this.gctr(inc32(j0), data) };
  }

  private j0(iv: Uint8Array): Buffer {
    if (iv.length === 12) {
      const j = Buffer.alloc(16);
      j.set(iv);
      j[15] = 1;
      return j;
    }
    return new Ghash(this.ghashKey).updatePadded(iv).updateLengths(0, iv.length).digest();
  }

  private tag(ek: Uint8Array, aad: Uint8Array, ciphertext: Uint8Array): Buffer {
    const s = new Ghash(this.ghashKey).updatePadded(aad).updatePadded(ciphertext).updateLengths(aad.length, ciphertext.length).digest();
    for (let i = 0; i < 16; i++) s[i]! ^= ek[i]!;
    return s;
  }

  /**
   * GCTR with GCM's inc32 (only the low 32 bits count, wrapping). The native CTR carries into the upper 96 bits,
   * so the data is cut where the low word would wrap and each piece restarts from a counter with the same upper bits.
   */
  protected gctr(icb: Buffer, data: Uint8Array): Buffer {
    if (data.length === 0) return Buffer.alloc(0);
    const low = icb.readUInt32BE(12);
    const blocksBeforeWrap = 0x1_0000_0000 - low;
    if (data.length <= blocksBeforeWrap * 16) return this.cipher.ctr(icb, data);
    const out = Buffer.allocUnsafe(data.length);
    let offset = 0;
    let counter = Buffer.from(icb);
    let room = blocksBeforeWrap * 16;
    while (offset < data.length) {
      const n = Math.min(room, data.length - offset);
      this.cipher.ctr(counter, data.subarray(offset, offset + n)).copy(out, offset);
      offset += n;
      counter = Buffer.from(counter);
      counter.writeUInt32BE(0, 12);
      room = 0x1_0000_0000 * 16;
    }
    return out;
  }
}

const EMPTY = new Uint8Array(0);
const ZERO_BLOCK = new Uint8Array(16);

function inc32(block: Buffer): Buffer {
  const out = Buffer.from(block);
  out.writeUInt32BE((out.readUInt32BE(12) + 1) >>> 0, 12);
  return out;
}

function checkTagLength(n: number): number {
  if (!Number.isInteger(n) || n < 12 || n > 16) throw new RangeError(`GCM tag length must be 12..16 bytes, got ${n}`);
  return n;
}

function checkInputs(iv: Uint8Array, data: Uint8Array, aad: Uint8Array): void {
  if (!(iv instanceof Uint8Array) || iv.length === 0) throw new RangeError('GCM IV must be a non-empty Uint8Array');
  if (!(data instanceof Uint8Array)) throw new TypeError('GCM data must be a Uint8Array');
  if (!(aad instanceof Uint8Array)) throw new TypeError('GCM AAD must be a Uint8Array');
  // SP 800-38D limit: plaintext ≤ 2^39 − 256 bits; far beyond a Buffer here, so only the IV needs a bound.
  if (iv.length > 0x1fff_ffff) throw new RangeError('GCM IV too long');
}

/** SM4 as a GCM block cipher, on native sm4-ecb / sm4-ctr. */
export function sm4BlockCipher(key: Uint8Array): GcmBlockCipher {
  if (!(key instanceof Uint8Array) || key.length !== 16) throw new RangeError(`SM4 key must be 16 bytes, got ${key?.length}`);
  const k = Buffer.from(key);
  return {
    encryptBlock(block) {
      const c = createCipheriv('sm4-ecb', k, null);
      c.setAutoPadding(false);
      return c.update(block);
    },
    ctr(counter, data) {
      // A stream mode: update() returns every byte and final() nothing, so no concatenation copy is needed.
      return createCipheriv('sm4-ctr', k, counter).update(data);
    },
    ctrStream(counter) {
      return createCipheriv('sm4-ctr', k, counter);
    },
  };
}

/** SM4-GCM bound to one key: build once per key (e.g. per TLCP connection direction) to reuse the GHASH tables. */
export class Sm4Gcm extends GcmMode {
  constructor(key: Uint8Array) {
    super(sm4BlockCipher(key));
  }
}

/** SM4-GCM encryption; tag 16 bytes unless opts.tagLength (12..16). */
export function sm4GcmEncrypt(key: Uint8Array, iv: Uint8Array, plaintext: Uint8Array, aad?: Uint8Array, opts?: GcmOptions): { ciphertext: Buffer; tag: Buffer } {
  return new Sm4Gcm(key).encrypt(iv, plaintext, aad, opts);
}

/** SM4-GCM decryption; throws GcmAuthError (and nothing more specific) when the tag does not verify. */
export function sm4GcmDecrypt(key: Uint8Array, iv: Uint8Array, ciphertext: Uint8Array, tag: Uint8Array, aad?: Uint8Array): Buffer {
  return new Sm4Gcm(key).decrypt(iv, ciphertext, tag, aad);
}
