import { TAG, parseDer } from '../../lib/pki/der.ts';
import { bitString, seq } from '../../lib/pki/der-encode.ts';
import type { ResourcePool } from '../pool/pool.ts';
import type { CryptoWorkers } from '../devices/crypto-workers.ts';

/**
 * An SM2 signing key that lives in a pool device (GM/T 0034 7: CA keys only inside approved devices). The device
 * computes e = SM3(Z‖M) and signs it (SDF_HashInit with Z, SDF_InternalSign_ECC); the private key never leaves it.
 */
export class DeviceSigner {
  readonly publicKey: Buffer;
  constructor(private readonly pool: ResourcePool, readonly deviceId: string, readonly slot: number) {
    this.publicKey = pool.get(deviceId).exportPublicKey(slot);
  }

  static generate(pool: ResourcePool): DeviceSigner {
    const dev = pool.schedule();
    return new DeviceSigner(pool, dev.info.id, dev.generateEccKeyPair('sm2-sign'));
  }

  /**
   * DER SM2Signature over M with the default signer ID. The device forms e = SM3(Z‖M) itself (SDF_HashInit with the
   * public key and ID), which lets it sign with OpenSSL; the result is what signDigest(SM3(Z‖M)) gives.
   */
  sign(message: Uint8Array): Buffer {
    return this.pool.get(this.deviceId).signMessage(this.slot, Buffer.from(message.buffer, message.byteOffset, message.byteLength));
  }

  /** sign() on one of the platform's crypto worker threads when `workers` is given (a busy OCSP responder). */
  signAsync(message: Uint8Array, workers?: CryptoWorkers): Promise<Buffer> {
    return this.pool.get(this.deviceId).signMessageAsync(this.slot, Buffer.from(message.buffer, message.byteOffset, message.byteLength), {}, workers);
  }

  /** The lib/pki builder's signer hook: certificates, CRLs and OCSP responses are signed in the device as they are built. */
  readonly tbsSigner = (tbs: Uint8Array): Uint8Array => this.sign(tbs);

  signDigest(e: Uint8Array): Buffer {
    return this.pool.get(this.deviceId).signDigest(this.slot, Buffer.from(e));
  }
}

/**
 * Replaces the signature of a signed structure SEQUENCE { tbs, algorithm, BIT STRING } (certificate, CRL) by one
 * made inside the device over the same tbs: lib/pki builds the structure, the device signs it.
 */
export function resign(der: Uint8Array, signer: DeviceSigner): Buffer {
  const root = parseDer(der);
  const [tbs, alg] = root.children ?? [];
  if (root.tag !== TAG.SEQUENCE || !tbs || !alg) throw new Error('resign: not a signed structure');
  return Buffer.from(seq(tbs.bytes, alg.bytes, bitString(signer.sign(tbs.bytes))));
}
