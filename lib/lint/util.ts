/** Shared helpers for lints: SM2 point and signature checks, signature verification with the GM/T 0009 Z value. */
import { createHash } from 'node:crypto';
import { bytesToBigInt } from '../gm/der.ts';
import { sm2Verify, sm2VerifyDigest, sm3, SM2_DEFAULT_ID } from '../gm/index.ts';
import { Asn1Error, integerMagnitude, isMinimalInteger, parseDer, TAG, type Node } from '../pki/der.ts';
import { OID } from '../pki/oids.ts';
import { findExtension, type Certificate, type Extension } from '../pki/x509.ts';
import type { LintOptions } from './types.ts';

/** SM2 curve parameters (GB/T 32918.5; certificates-gmt0015.md §8). */
export const SM2_P = 0xfffffffeffffffffffffffffffffffffffffffff00000000ffffffffffffffffn;
export const SM2_A = SM2_P - 3n;
export const SM2_B = 0x28e9fa9e9d9f5e344d5a9e4bcf6509a7f39789f515ab8f92ddbcbd414d940e93n;
export const SM2_N = 0xfffffffeffffffffffffffffffffffff7203df6b21c6052b53bbf40939d54123n;

const pointMemo = new Map<string, string | null>();

/**
 * Why an uncompressed SM2 public key is invalid, or null when it is a valid 04‖X‖Y point on the curve.
 * Memoised: a CA's key is checked once for every certificate it signed.
 */
export function sm2PointProblem(key: Uint8Array): string | null {
  if (key.length === 33 && (key[0] === 2 || key[0] === 3)) return null; // compressed: own notice lint
  if (key.length !== 65) return `public key is ${key.length} octets, expected 65 (04‖X‖Y)`;
  if (key[0] !== 4) return `public key starts with 0x${key[0]!.toString(16).padStart(2, '0')}, expected 0x04 (uncompressed)`;
  const memoKey = Buffer.from(key.buffer, key.byteOffset, key.length).toString('latin1');
  const hit = pointMemo.get(memoKey);
  if (hit !== undefined) return hit;
  const out = curveEquationProblem(key);
  if (pointMemo.size > 4096) pointMemo.clear();
  pointMemo.set(memoKey, out);
  return out;
}

function curveEquationProblem(key: Uint8Array): string | null {
  const x = bytesToBigInt(key.subarray(1, 33));
  const y = bytesToBigInt(key.subarray(33));
  if (x >= SM2_P || y >= SM2_P) return 'public key coordinate not below p';
  const lhs = (y * y) % SM2_P;
  const rhs = (((x * x % SM2_P) * x) + SM2_A * x + SM2_B) % SM2_P;
  if (lhs !== rhs) return 'public key is not a point on the SM2 curve';
  return null;
}

/** Checks a GM/T 0009 SM2Signature: DER SEQUENCE { r INTEGER, s INTEGER }, minimal integers, r, s ∈ [1, n−1]. */
export function sm2SignatureProblem(sig: Uint8Array): string | null {
  let n: Node;
  try {
    const issues: { offset: number; message: string }[] = [];
    n = parseDer(sig, issues);
    if (issues.length) return `signature value not DER: ${issues[0]!.message}`;
  } catch (e) {
    return `signature value is not a DER SEQUENCE { r, s }: ${(e as Asn1Error).message}`;
  }
  const k = n.children;
  if (n.tag !== TAG.SEQUENCE || !k || k.length !== 2 || k[0]!.tag !== TAG.INTEGER || k[1]!.tag !== TAG.INTEGER) {
    return 'signature value is not a DER SEQUENCE { r INTEGER, s INTEGER } (raw r‖s?)';
  }
  for (const [name, node] of [['r', k[0]!], ['s', k[1]!]] as const) {
    if (!isMinimalInteger(node.content)) return `${name} is not a minimal INTEGER encoding`;
    const v = integerMagnitude(node.content);
    if (v === null || v < 1n || v >= SM2_N) return `${name} is outside [1, n−1]`;
  }
  return null;
}

export type VerifyOutcome = 'valid' | 'invalid' | 'empty-id' | 'no-z' | 'malformed';

const verifyCache = new Map<string, VerifyOutcome>();

/** Empties the verification memo (benchmarks measure cold verification). */
export function clearVerifyCache(): void { verifyCache.clear(); }

/**
 * Verifies an SM2-with-SM3 signature over `tbs` with Z computed from the configured ID (default 1234567812345678).
 * When that fails, diagnoses the two known signer bugs: Z over an empty ID, and no Z at all (e = SM3(M)).
 * Results are memoised per (key, tbs, signature) because chains repeat the same CA certificate.
 */
export function verifySm2(publicKey: Uint8Array, tbs: Uint8Array, sig: Uint8Array, options: LintOptions = {}): VerifyOutcome {
  if (sm2PointProblem(publicKey) !== null || publicKey.length !== 65) return 'malformed';
  if (sm2SignatureProblem(sig) !== null) return 'malformed';
  // memo key only (not a security use): one native digest over everything that decides the outcome
  const id0 = options.sm2Id ?? new Uint8Array(0);
  const lens = Buffer.from(`${sig.length},${id0.length},`);
  const key = createHash('sha256').update(lens).update(publicKey).update(sig).update(id0).update(tbs).digest('base64');
  const hit = verifyCache.get(key);
  if (hit) return hit;
  const id = options.sm2Id ?? SM2_DEFAULT_ID;
  let out: VerifyOutcome = 'invalid';
  if (sm2Verify(publicKey, tbs, sig, { id })) out = 'valid';
  else if (sm2Verify(publicKey, tbs, sig, { id: new Uint8Array(0) })) out = 'empty-id';
  else if (sm2VerifyDigest(publicKey, sm3(tbs), sig)) out = 'no-z';
  if (verifyCache.size > 4096) verifyCache.clear();
  verifyCache.set(key, out);
  return out;
}

/** True when the algorithm identifier names SM2-with-SM3 (the profile's only certificate signature algorithm). */
export const isSm2Sm3 = (oid: string): boolean => oid === OID.sm2WithSm3;

export function ext(c: Certificate, oid: string): Extension | undefined {
  return findExtension(c.extensions, oid);
}

export function hasExt(c: Certificate, oid: string): boolean {
  return findExtension(c.extensions, oid) !== undefined;
}

/** The subject's SM2 key is an SM2 key when SPKI says id-ecPublicKey + sm2p256v1. */
export function isSm2Key(c: Certificate): boolean {
  const a = c.spki.algorithm;
  return a.oid === OID.ecPublicKey && a.params?.tag === TAG.OID && a.params.len === 8 && Buffer.from(a.params.content).equals(Buffer.from([0x2a, 0x81, 0x1c, 0xcf, 0x55, 0x01, 0x82, 0x2d]));
}
