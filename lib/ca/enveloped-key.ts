/**
 * GM/T 0009 §7.4 SM2EnvelopedKey (key-pair protection data): how the encryption key pair the KM generated reaches its
 * owner. A fresh SM4 key encrypts d (SM4-ECB, 32 bytes, no padding); the SM4 key is SM2-encrypted (DER SM2Cipher,
 * C1C3C2) to the protecting public key — the subscriber's signature key; the protected public key travels in clear.
 */
import { randomBytes } from 'node:crypto';
import { sm2Decrypt, sm2Encrypt, sm2PublicKeyFromPrivate, sm4Ecb } from '../gm/index.ts';
import { TAG, decodeOid, parseDer, bytesEqual, type Node } from '../pki/der.ts';
import { bitString, nullDer, oid, seq } from '../pki/der-encode.ts';

/** SM4 in ECB mode (GM/T 0006: 1.2.156.10197.1.104.1). */
export const OID_SM4_ECB = '1.2.156.10197.1.104.1';

export class EnvelopeError extends Error {}

export function sealEnvelopedKey(protectingPublicKey: Uint8Array, pair: { privateKey: Uint8Array; publicKey: Uint8Array }): Uint8Array {
  const k = randomBytes(16);
  try {
    return sealEnvelopedKeyWith(k, protectingPublicKey, pair);
  } finally {
    k.fill(0);
  }
}

/** As above with an explicit SM4 key (tests); the key is zeroised by the caller. */
export function sealEnvelopedKeyWith(k: Uint8Array, protectingPublicKey: Uint8Array, pair: { privateKey: Uint8Array; publicKey: Uint8Array }): Uint8Array {
  const d = Buffer.alloc(32);
  Buffer.from(pair.privateKey).copy(d, 32 - pair.privateKey.length);
  const encD = sm4Ecb('encrypt', k, d, { padding: false });
  d.fill(0);
  return seq(seq(oid(OID_SM4_ECB), nullDer()), sm2Encrypt(protectingPublicKey, k, { format: 'der' }), bitString(pair.publicKey), bitString(encD));
}

export interface EnvelopedKeyView { symAlg: string; encryptedKey: Uint8Array; publicKey: Uint8Array; encryptedPrivateKey: Uint8Array }

export function parseEnvelopedKey(der: Uint8Array): EnvelopedKeyView {
  let root: Node;
  try { root = parseDer(der); } catch (e) { throw new EnvelopeError(`SM2EnvelopedKey is not DER: ${(e as Error).message}`); }
  const k = root.tag === TAG.SEQUENCE ? root.children ?? [] : [];
  if (k.length !== 4 || k[0]!.tag !== TAG.SEQUENCE || k[1]!.tag !== TAG.SEQUENCE || k[2]!.tag !== TAG.BIT_STRING || k[3]!.tag !== TAG.BIT_STRING)
    throw new EnvelopeError('SM2EnvelopedKey: expected SEQUENCE { AlgorithmIdentifier, SM2Cipher, BIT STRING, BIT STRING }');
  const alg = k[0]!.children?.[0];
  return { symAlg: alg ? decodeOid(alg.content) ?? '' : '', encryptedKey: k[1]!.bytes, publicKey: k[2]!.content.subarray(1), encryptedPrivateKey: k[3]!.content.subarray(1) };
}

/** Opens an envelope with the protecting private key; R09: the recovered d must match the carried public key. */
export function openEnvelopedKey(der: Uint8Array, protectingPrivateKey: Uint8Array): { privateKey: Buffer; publicKey: Buffer } {
  const v = parseEnvelopedKey(der);
  if (v.symAlg !== OID_SM4_ECB) throw new EnvelopeError(`symAlgID ${v.symAlg}: expected SM4-ECB ${OID_SM4_ECB}`);
  let k: Buffer;
  try { k = sm2Decrypt(protectingPrivateKey, v.encryptedKey, { format: 'der' }); } catch { throw new EnvelopeError('symEncryptedKey does not decrypt with this private key'); }
  if (k.length !== 16 || v.encryptedPrivateKey.length !== 32) throw new EnvelopeError('wrong SM4 key or private-key length');
  const d = sm4Ecb('decrypt', k, v.encryptedPrivateKey, { padding: false });
  k.fill(0);
  let pub: Buffer;
  try { pub = sm2PublicKeyFromPrivate(d); } catch { throw new EnvelopeError('the recovered private key is not a valid SM2 scalar'); }
  if (!bytesEqual(pub, v.publicKey)) throw new EnvelopeError('the recovered private key does not match sm2PublicKey (GM/T 0009 R09)');
  return { privateKey: d, publicKey: Buffer.from(v.publicKey) };
}
