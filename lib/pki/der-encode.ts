/**
 * Minimal DER encoders for the builder. Hand-written (not asn1js) because test fixtures must also produce encodings
 * that a conforming encoder refuses to emit: explicit DEFAULT values, wrong string types, malformed times.
 */
import { encodeOid, TAG } from './der.ts';

export type Bytes = Uint8Array;

export function concat(...parts: Bytes[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) { out.set(p, o); o += p.length; }
  return out;
}

export function lengthOctets(len: number): Uint8Array {
  if (len < 0x80) return Uint8Array.of(len);
  const b: number[] = [];
  while (len > 0) { b.unshift(len & 0xff); len = Math.floor(len / 256); }
  return Uint8Array.of(0x80 | b.length, ...b);
}

export function tlv(tag: number, ...content: Bytes[]): Uint8Array {
  const c = concat(...content);
  return concat(Uint8Array.of(tag), lengthOctets(c.length), c);
}

export const seq = (...c: Bytes[]): Uint8Array => tlv(TAG.SEQUENCE, ...c);
export const set = (...c: Bytes[]): Uint8Array => tlv(TAG.SET, ...c);
export const oid = (dotted: string): Uint8Array => tlv(TAG.OID, encodeOid(dotted));
export const nullDer = (): Uint8Array => Uint8Array.of(0x05, 0x00);
export const bool = (v: boolean): Uint8Array => Uint8Array.of(0x01, 0x01, v ? 0xff : 0x00);
export const octets = (b: Bytes): Uint8Array => tlv(TAG.OCTET_STRING, b);
export const bitString = (b: Bytes, unused = 0): Uint8Array => tlv(TAG.BIT_STRING, Uint8Array.of(unused), b);
/** context-specific constructed [n] (EXPLICIT) */
export const explicit = (n: number, ...c: Bytes[]): Uint8Array => tlv(0xa0 | n, ...c);
/** context-specific primitive [n] (IMPLICIT over a primitive) */
export const implicitPrim = (n: number, content: Bytes): Uint8Array => tlv(0x80 | n, content);

/** Minimal two's-complement INTEGER from a non-negative bigint (or raw content octets, used as given). */
export function integer(v: bigint | number | Bytes): Uint8Array {
  if (v instanceof Uint8Array) return tlv(TAG.INTEGER, v);
  let x = BigInt(v);
  if (x < 0n) throw new RangeError('integer(): negative values need raw content octets');
  const b: number[] = [];
  do { b.unshift(Number(x & 0xffn)); x >>= 8n; } while (x > 0n);
  if (b[0]! & 0x80) b.unshift(0);
  return tlv(TAG.INTEGER, Uint8Array.from(b));
}

export const enumerated = (v: number): Uint8Array => tlv(TAG.ENUMERATED, Uint8Array.of(v));

export function str(tag: number, s: string): Uint8Array {
  if (tag === TAG.UTF8String) return tlv(tag, new TextEncoder().encode(s));
  if (tag === TAG.BMPString) {
    const b = new Uint8Array(s.length * 2);
    for (let i = 0; i < s.length; i++) { b[2 * i] = s.charCodeAt(i) >> 8; b[2 * i + 1] = s.charCodeAt(i) & 0xff; }
    return tlv(tag, b);
  }
  return tlv(tag, Buffer.from(s, 'latin1'));
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** RFC 5280 §4.1.2.5: UTCTime through 2049, GeneralizedTime from 2050; seconds, Z, no fractions. */
export function time(d: Date): Uint8Array {
  const y = d.getUTCFullYear();
  const rest = `${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}${pad(d.getUTCSeconds())}Z`;
  return y >= 1950 && y <= 2049 ? tlv(TAG.UTCTime, Buffer.from(pad(y % 100) + rest)) : generalizedTime(d);
}

export function generalizedTime(d: Date): Uint8Array {
  const s = `${pad(d.getUTCFullYear(), 4)}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}${pad(d.getUTCSeconds())}Z`;
  return tlv(TAG.GeneralizedTime, Buffer.from(s));
}

export function toPem(label: string, der: Bytes): string {
  const b64 = Buffer.from(der).toString('base64').replace(/(.{64})/g, '$1\n').replace(/\n$/, '');
  return `-----BEGIN ${label}-----\n${b64}\n-----END ${label}-----\n`;
}
