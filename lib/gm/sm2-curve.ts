/**
 * SM2 curve parameters and point arithmetic (on @noble/curves' generic short-Weierstrass implementation).
 *
 * The SM2 algorithms take a curve so that the GB/T 32918 parts 2–4 worked examples, which use a different
 * example curve, can be run as known-answer tests beside the recommended curve of GB/T 32918.5.
 */
import { weierstrass, type WeierstrassPoint, type WeierstrassPointCons } from '@noble/curves/abstract/weierstrass.js';

export type Sm2Point = WeierstrassPoint<bigint>;

export interface Sm2CurveParams {
  name: string;
  p: bigint;
  a: bigint;
  b: bigint;
  gx: bigint;
  gy: bigint;
  n: bigint;
  h: bigint;
}

export interface Sm2Curve extends Sm2CurveParams {
  Point: WeierstrassPointCons<bigint>;
  /** Field element length in bytes. */
  fieldLen: number;
  /** w = ceil(ceil(log2 n) / 2) − 1 of the key-exchange protocol (GB/T 32918.3 §6.1). */
  w: number;
  /** a, b, xG, yG as fixed-length bytes, for Z. */
  zPrefix: Buffer;
}

function hexBig(h: string): bigint {
  return BigInt('0x' + h.replace(/\s+/g, ''));
}

function toFixed(x: bigint, len: number): Buffer {
  return Buffer.from(x.toString(16).padStart(len * 2, '0'), 'hex');
}

/** Builds a curve (and validates its parameters through noble: G on curve, sizes). */
export function makeSm2Curve(params: Sm2CurveParams): Sm2Curve {
  const Point = weierstrass({ p: params.p, n: params.n, h: params.h, a: params.a, b: params.b, Gx: params.gx, Gy: params.gy });
  const fieldLen = Math.ceil(params.p.toString(2).length / 8);
  const nBits = params.n.toString(2).length;
  const w = Math.ceil(nBits / 2) - 1;
  const zPrefix = Buffer.concat([params.a, params.b, params.gx, params.gy].map((x) => toFixed(x, fieldLen)));
  // Fixed-base multiplications (keygen, signing, encryption) dominate; an 8-bit window table pays off at once.
  Point.BASE.precompute(8, true);
  return { ...params, Point, fieldLen, w, zPrefix };
}

/** The recommended curve sm2p256v1 (GB/T 32918.5-2017; OID 1.2.156.10197.1.301). */
export const SM2_P256V1: Sm2Curve = makeSm2Curve({
  name: 'sm2p256v1',
  p: hexBig('FFFFFFFE FFFFFFFF FFFFFFFF FFFFFFFF FFFFFFFF 00000000 FFFFFFFF FFFFFFFF'),
  a: hexBig('FFFFFFFE FFFFFFFF FFFFFFFF FFFFFFFF FFFFFFFF 00000000 FFFFFFFF FFFFFFFC'),
  b: hexBig('28E9FA9E 9D9F5E34 4D5A9E4B CF6509A7 F39789F5 15AB8F92 DDBCBD41 4D940E93'),
  gx: hexBig('32C4AE2C 1F198119 5F990446 6A39C994 8FE30BBF F2660BE1 715A4589 334C74C7'),
  gy: hexBig('BC3736A2 F4F6779C 59BDCEE3 6B692153 D0A9877C C62A4740 02DF32E5 2139F0A0'),
  n: hexBig('FFFFFFFE FFFFFFFF FFFFFFFF FFFFFFFF 7203DF6B 21C6052B 53BBF409 39D54123'),
  h: 1n,
});

/**
 * The Fp-256 example curve of the worked examples in GB/T 32918.2/.3/.4 Annex A (also draft-shen-sm2-ecdsa-02).
 * For known-answer tests only; never for keys.
 */
export const SM2_EXAMPLE_FP256: Sm2Curve = makeSm2Curve({
  name: 'GB/T 32918 example Fp-256',
  p: hexBig('8542D69E 4C044F18 E8B92435 BF6FF7DE 45728391 5C45517D 722EDB8B 08F1DFC3'),
  a: hexBig('787968B4 FA32C3FD 2417842E 73BBFEFF 2F3C848B 6831D7E0 EC65228B 3937E498'),
  b: hexBig('63E4C6D3 B23B0C84 9CF84241 484BFE48 F61D59A5 B16BA06E 6E12D1DA 27C5249A'),
  gx: hexBig('421DEBD6 1B62EAB6 746434EB C3CC315E 32220B3B ADD50BDC 4C4E6C14 7FEDD43D'),
  gy: hexBig('0680512B CBB42C07 D47349D2 153B70C4 E5D7FDFC BFA36EA1 A85841B9 E46E09A2'),
  n: hexBig('8542D69E 4C044F18 E8B92435 BF6FF7DD 29772063 0485628D 5AE74EE7 C32E79B7'),
  h: 1n,
});
