/**
 * SM2 signing and verification on Node's OpenSSL (measured fastest here: see docs/selftest.md).
 *
 * Only one path through Node produces GB/T 32918 signatures: load the key from DER (OpenSSL then types it as an SM2
 * key), hash Z‖M with `createSign('sm3')`, and let EVP_PKEY_sign sign that digest e. One-shot `crypto.sign` hashes with
 * an empty ID, and Node does not know the SM2 key type, so `dsaEncoding` is ignored: signatures are always DER.
 * Loading a key costs about as much as a signature, so KeyObjects are cached (private keys under their SM3 digest).
 */
import { createHash, createPrivateKey, createPublicKey, createSign, createVerify, getCurves, type KeyObject } from 'node:crypto';
import { derBitString, derOctetString, derOid, derSequence, derUnsignedInteger, tlv } from './der.ts';

const OID_EC_PUBLIC_KEY = '1.2.840.10045.2.1';
const OID_SM2P256V1 = '1.2.156.10197.1.301';

class LruCache<V> {
  private readonly map = new Map<string, V>();
  constructor(private readonly max: number) {}
  get(k: string): V | undefined {
    const v = this.map.get(k);
    if (v !== undefined) {
      this.map.delete(k);
      this.map.set(k, v);
    }
    return v;
  }
  set(k: string, v: V): void {
    this.map.set(k, v);
    if (this.map.size > this.max) this.map.delete(this.map.keys().next().value as string);
  }
}

const privCache = new LruCache<KeyObject>(64);
const pubCache = new LruCache<KeyObject>(256);

/** SEC1 ECPrivateKey DER for an SM2 key (d 32 bytes, pub 65 bytes). */
export function sec1Der(d: Uint8Array, pub: Uint8Array): Buffer {
  return derSequence(derUnsignedInteger(1n), derOctetString(d), tlv(0xa0, derOid(OID_SM2P256V1)), tlv(0xa1, derBitString(pub)));
}

/** SubjectPublicKeyInfo DER for an SM2 public key (65 bytes, 04‖x‖y). */
export function spkiDer(pub: Uint8Array): Buffer {
  return derSequence(derSequence(derOid(OID_EC_PUBLIC_KEY), derOid(OID_SM2P256V1)), derBitString(pub));
}

function privateKeyObject(d: Uint8Array, pub: Uint8Array): KeyObject {
  const id = createHash('sm3').update(d).update(pub).digest('base64');
  let k = privCache.get(id);
  if (!k) {
    k = createPrivateKey({ key: sec1Der(d, pub), format: 'der', type: 'sec1' });
    privCache.set(id, k);
  }
  return k;
}

function publicKeyObject(pub: Uint8Array): KeyObject {
  const id = Buffer.from(pub).toString('base64');
  let k = pubCache.get(id);
  if (!k) {
    k = createPublicKey({ key: spkiDer(pub), format: 'der', type: 'spki' });
    pubCache.set(id, k);
  }
  return k;
}

/** An OpenSSL key object for d (uncached): for callers that keep their own prepared signer. */
export function opensslSm2PrivateKey(d: Uint8Array, pub: Uint8Array): KeyObject {
  return createPrivateKey({ key: sec1Der(d, pub), format: 'der', type: 'sec1' });
}

/** Signs SM3(prefix‖M) with a loaded key; prefix is Z (or empty for a caller that wants e = SM3(M)). DER signature. */
export function opensslSm2SignWithKey(key: KeyObject, prefix: Uint8Array, message: Uint8Array): Buffer {
  return createSign('sm3').update(prefix).update(message).sign(key);
}

/** Signs e = SM3(Z‖M) with OpenSSL's SM2; returns the DER signature. */
export function opensslSm2Sign(d: Uint8Array, pub: Uint8Array, z: Uint8Array, message: Uint8Array): Buffer {
  return createSign('sm3').update(z).update(message).sign(privateKeyObject(d, pub));
}

/** Verifies a DER signature over SM3(Z‖M) with OpenSSL's SM2. */
export function opensslSm2Verify(pub: Uint8Array, z: Uint8Array, message: Uint8Array, derSignature: Uint8Array): boolean {
  try {
    return createVerify('sm3').update(z).update(message).verify(publicKeyObject(pub), derSignature);
  } catch {
    return false;
  }
}

/** Whether this Node's OpenSSL has the SM2 curve at all (builds without SM2 exist). */
export const OPENSSL_HAS_SM2 = getCurves().includes('SM2');
