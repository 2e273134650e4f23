/**
 * SM2 key exchange protocol (GB/T 32918.3-2016 §6), used by TLCP's ECDHE_SM4_*_SM3 suites (GB/T 38636).
 *
 * User A is the initiator, user B the responder; Z_A/Z_B, R_A=(x1,y1) and R_B=(x2,y2) always keep these roles,
 * whichever side computes. In TLCP the server is the initiator (GB/T 38636 §6.4.5.4).
 */
import type { Sm2Curve, Sm2Point } from './sm2-curve.ts';
import { SM2_P256V1 } from './sm2-curve.ts';
import { bigIntToBytes } from './der.ts';
import { sm3 } from './sm3.ts';
import { type Sm2KeyPair, Sm2KeyError, parsePrivateKey, parsePublicKey, sm2Kdf, sm2Z } from './sm2.ts';

export interface Sm2KeyExchangeParams {
  role: 'initiator' | 'responder';
  /** Own ID (default 1234567812345678). */
  selfId?: Uint8Array | string;
  selfStatic: Sm2KeyPair;
  /** The ephemeral pair (r, R = [r]G) of this run; its private part is the random r of steps A1/B1. */
  selfEphemeral: Sm2KeyPair;
  peerId?: Uint8Array | string;
  peerStaticPublic: Uint8Array;
  peerEphemeralPublic: Uint8Array;
  /** Shared key length in bytes. */
  klen: number;
  curve?: Sm2Curve;
}

export interface Sm2KeyExchangeResult {
  /** The shared key K_A = K_B (klen bytes). */
  key: Buffer;
  /**
   * The 0x02 confirmation hash, SM3(0x02 ‖ y ‖ SM3(x ‖ Z_A ‖ Z_B ‖ x1 ‖ y1 ‖ x2 ‖ y2)):
   * the responder's S_B (sent to A), and for the initiator its S_1 (compare with the received S_B).
   */
  s1: Buffer;
  /**
   * The 0x03 confirmation hash, SM3(0x03 ‖ y ‖ SM3(…)):
   * the initiator's S_A (sent to B), and for the responder its S_2 (compare with the received S_A).
   */
  s2: Buffer;
}

/** x̄ = 2^w + (x & (2^w − 1)). */
function xbar(x: bigint, w: number): bigint {
  const two = 1n << BigInt(w);
  return two + (x & (two - 1n));
}

/** Computes the shared key and both confirmation hashes for one side of the protocol. */
export function sm2KeyExchange(p: Sm2KeyExchangeParams): Sm2KeyExchangeResult {
  const curve = p.curve ?? SM2_P256V1;
  const { n, fieldLen: L } = curve;
  if (p.role !== 'initiator' && p.role !== 'responder') throw new RangeError(`role must be 'initiator' or 'responder', got ${String(p.role)}`);
  if (!Number.isInteger(p.klen) || p.klen < 1) throw new RangeError('klen must be a positive number of bytes');
  const d = parsePrivateKey(p.selfStatic.privateKey, curve);
  const r = parsePrivateKey(p.selfEphemeral.privateKey, curve);
  const selfP = parsePublicKey(p.selfStatic.publicKey, curve);
  const selfR = parsePublicKey(p.selfEphemeral.publicKey, curve);
  if (!curve.Point.BASE.multiply(d).equals(selfP)) throw new Sm2KeyError('selfStatic: public key does not match private key');
  if (!curve.Point.BASE.multiply(r).equals(selfR)) throw new Sm2KeyError('selfEphemeral: public key does not match private key');
  // Steps A6/B5: the peer's ephemeral point must satisfy the curve equation (parsePublicKey checks it).
  const peerP = parsePublicKey(p.peerStaticPublic, curve);
  const peerR = parsePublicKey(p.peerEphemeralPublic, curve);

  const zSelf = sm2Z(p.selfStatic.publicKey, p.selfId, curve);
  const zPeer = sm2Z(p.peerStaticPublic, p.peerId, curve);
  const initiator = p.role === 'initiator';
  const [zA, zB] = initiator ? [zSelf, zPeer] : [zPeer, zSelf];
  const [RA, RB]: [Sm2Point, Sm2Point] = initiator ? [selfR, peerR] : [peerR, selfR];

  // t = (d + x̄_self · r) mod n; U/V = [h·t](P_peer + [x̄_peer] R_peer)
  const t = (d + xbar(selfR.x, curve.w) * r) % n;
  const W = peerP.add(peerR.multiplyUnsafe(xbar(peerR.x, curve.w)));
  const ht = (curve.h * t) % n;
  if (ht === 0n) throw new Sm2KeyError('key exchange failed: h·t ≡ 0 mod n');
  const U = W.multiply(ht);
  if (U.is0()) throw new Sm2KeyError('key exchange failed: shared point is infinity');
  const xU = bigIntToBytes(U.x, L);
  const yU = bigIntToBytes(U.y, L);
  const key = sm2Kdf(Buffer.concat([xU, yU, zA, zB]), p.klen);
  const inner = sm3(xU, zA, zB, bigIntToBytes(RA.x, L), bigIntToBytes(RA.y, L), bigIntToBytes(RB.x, L), bigIntToBytes(RB.y, L));
  return {
    key,
    s1: sm3(Buffer.from([0x02]), yU, inner),
    s2: sm3(Buffer.from([0x03]), yU, inner),
  };
}
