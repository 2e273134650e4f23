import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { hmacSm3, sm3, sm4GcmDecrypt, sm4GcmEncrypt } from '../../lib/gm/index.ts';

/**
 * The storage master key that seals every key, device key and credential secret at rest (SM4-GCM).
 * First slice: one 128-bit key in a 0600 file of the data directory (or in memory for an ephemeral platform);
 * the Shamir-split, custodian-held form replaces this file when the seal/unseal ceremony lands.
 */
export class MasterKey {
  private constructor(private readonly key: Buffer) {}

  static openOrCreate(dataDir: string | ':memory:'): MasterKey {
    if (dataDir === ':memory:') return new MasterKey(randomBytes(16));
    const file = join(dataDir, 'master.key');
    if (existsSync(file)) {
      const k = readFileSync(file);
      if (k.length !== 16) throw new Error(`${file}: master key must be 16 bytes, found ${k.length}`);
      return new MasterKey(k);
    }
    const k = randomBytes(16);
    writeFileSync(file, k, { mode: 0o600, flag: 'wx' });
    return new MasterKey(k);
  }

  /** iv(12) ‖ tag(16) ‖ ciphertext; `context` binds the blob to its row so blobs cannot be swapped between rows. */
  seal(plaintext: Uint8Array, context: string): Buffer {
    const iv = randomBytes(12);
    const { ciphertext, tag } = sm4GcmEncrypt(this.key, iv, plaintext, Buffer.from(context, 'utf8'));
    return Buffer.concat([iv, tag, ciphertext]);
  }

  /** HMAC-SM3 under a subkey of the master key: integrity of stored policies and configuration (§6.5.8). */
  mac(context: string, data: Uint8Array): Buffer {
    return hmacSm3(sm3(this.key, Buffer.from('gmeval integrity subkey')), Buffer.from(context, 'utf8'), data);
  }

  unseal(blob: Uint8Array, context: string): Buffer {
    const b = Buffer.from(blob);
    return sm4GcmDecrypt(this.key, b.subarray(0, 12), b.subarray(28), b.subarray(12, 28), Buffer.from(context, 'utf8'));
  }
}
