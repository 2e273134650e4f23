import { sm2Z, sm3, SM2_DEFAULT_ID } from '../../lib/gm/index.ts';
import { TAG, parseDer } from '../../lib/pki/der.ts';
import { bitString, seq } from '../../lib/pki/der-encode.ts';
import type { ResourcePool } from '../pool/pool.ts';

/**
 * An SM2 signing key that lives in a pool device (GM/T 0034 7: CA keys only inside approved devices). The platform
 * computes e = SM3(Z‖M) and the device signs e (SDF_InternalSign_ECC); the private key never leaves the device.
 */
export class DeviceSigner {
  readonly publicKey: Buffer;
  private readonly z: Buffer;
  constructor(private readonly pool: ResourcePool, readonly deviceId: string, readonly slot: number) {
    this.publicKey = pool.get(deviceId).exportPublicKey(slot);
    this.z = sm2Z(this.publicKey, SM2_DEFAULT_ID);
  }

  static generate(pool: ResourcePool): DeviceSigner {
    const dev = pool.schedule();
    return new DeviceSigner(pool, dev.info.id, dev.generateEccKeyPair('sm2-sign'));
  }

  /** DER SM2Signature over M with the default signer ID. */
  sign(message: Uint8Array): Buffer {
    return this.pool.get(this.deviceId).signDigest(this.slot, sm3(this.z, message));
  }

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
