/**
 * A strict DER reader/writer for the few small structures of GM/T 0009 and the key containers
 * (SEQUENCE, INTEGER, OCTET STRING, BIT STRING, OID, NULL, context tags).
 *
 * Written here rather than on asn1js because asn1js accepts BER (non-minimal lengths, non-minimal INTEGERs),
 * and GM/T 0009 conformance means rejecting exactly those (R03/R04). Every error names the byte offset.
 */

export class DerError extends Error {
  constructor(message: string, readonly offset: number) {
    super(`${message} at byte ${offset}`);
    this.name = 'DerError';
  }
}

export const TAG = {
  INTEGER: 0x02,
  BIT_STRING: 0x03,
  OCTET_STRING: 0x04,
  NULL: 0x05,
  OID: 0x06,
  SEQUENCE: 0x30,
} as const;

/** One TLV: its tag, where its content starts and ends (absolute offsets into the input). */
export interface Tlv {
  tag: number;
  start: number;
  contentStart: number;
  end: number;
  content: Uint8Array;
}

/** Reads one TLV at offset (single-byte tags only; definite minimal lengths only). */
export function readTlv(buf: Uint8Array, offset: number, limit = buf.length): Tlv {
  if (offset >= limit) throw new DerError('truncated: expected a tag', offset);
  const tag = buf[offset]!;
  if ((tag & 0x1f) === 0x1f) throw new DerError('multi-byte tags are not supported', offset);
  let p = offset + 1;
  if (p >= limit) throw new DerError('truncated: expected a length', p);
  const first = buf[p++]!;
  let len: number;
  if (first < 0x80) {
    len = first;
  } else {
    const n = first & 0x7f;
    if (n === 0) throw new DerError('indefinite length is not DER', p - 1);
    if (n > 4) throw new DerError('length too large', p - 1);
    if (p + n > limit) throw new DerError('truncated length', p);
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + buf[p + i]!;
    if (buf[p] === 0) throw new DerError('non-minimal length encoding', p);
    if (len < 0x80) throw new DerError('non-minimal length encoding', p - 1);
    p += n;
  }
  if (p + len > limit) throw new DerError(`content of ${len} bytes overruns the input`, p);
  return { tag, start: offset, contentStart: p, end: p + len, content: buf.subarray(p, p + len) };
}

/** Reads a TLV that must have the given tag. */
export function expectTlv(buf: Uint8Array, offset: number, tag: number, what: string, limit = buf.length): Tlv {
  const t = readTlv(buf, offset, limit);
  if (t.tag !== tag) throw new DerError(`${what}: expected tag 0x${tag.toString(16)}, got 0x${t.tag.toString(16)}`, offset);
  return t;
}

/** Reads the children of a constructed TLV. */
export function readChildren(buf: Uint8Array, parent: Tlv): Tlv[] {
  const out: Tlv[] = [];
  let p = parent.contentStart;
  while (p < parent.end) {
    const t = readTlv(buf, p, parent.end);
    out.push(t);
    p = t.end;
  }
  return out;
}

/** Parses a whole buffer as exactly one TLV (no trailing bytes). */
export function readSingle(buf: Uint8Array, tag: number, what: string): Tlv {
  const t = expectTlv(buf, 0, tag, what);
  if (t.end !== buf.length) throw new DerError(`${what}: ${buf.length - t.end} trailing bytes`, t.end);
  return t;
}

/** A DER INTEGER that must be non-negative and minimally encoded. */
export function readUnsignedInteger(buf: Uint8Array, t: Tlv, what: string): bigint {
  if (t.tag !== TAG.INTEGER) throw new DerError(`${what}: expected INTEGER`, t.start);
  const c = t.content;
  if (c.length === 0) throw new DerError(`${what}: empty INTEGER`, t.start);
  if (c[0]! & 0x80) throw new DerError(`${what}: negative INTEGER`, t.contentStart);
  if (c.length > 1 && c[0] === 0 && !(c[1]! & 0x80)) throw new DerError(`${what}: non-minimal INTEGER (superfluous leading zero)`, t.contentStart);
  return bytesToBigInt(c);
}

export function bytesToBigInt(b: Uint8Array): bigint {
  if (b.length === 0) return 0n;
  return BigInt('0x' + Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex'));
}

/** Big-endian, left-padded to len bytes. */
export function bigIntToBytes(x: bigint, len: number): Buffer {
  if (x < 0n) throw new RangeError('negative');
  const hex = x.toString(16).padStart(len * 2, '0');
  if (hex.length > len * 2) throw new RangeError(`integer does not fit in ${len} bytes`);
  return Buffer.from(hex, 'hex');
}

// ---- writer ----

function encodeLength(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

export function tlv(tag: number, content: Uint8Array): Buffer {
  return Buffer.concat([Buffer.from([tag]), encodeLength(content.length), content]);
}

export function derSequence(...children: Uint8Array[]): Buffer {
  return tlv(TAG.SEQUENCE, Buffer.concat(children));
}

/** Minimal DER INTEGER for a non-negative value. */
export function derUnsignedInteger(x: bigint): Buffer {
  if (x < 0n) throw new RangeError('negative INTEGER');
  let hex = x.toString(16);
  if (hex.length % 2) hex = '0' + hex;
  let b = Buffer.from(hex, 'hex');
  if (b[0]! & 0x80) b = Buffer.concat([Buffer.from([0]), b]);
  return tlv(TAG.INTEGER, b);
}

export function derOctetString(b: Uint8Array): Buffer {
  return tlv(TAG.OCTET_STRING, b);
}

/** BIT STRING with zero unused bits. */
export function derBitString(b: Uint8Array): Buffer {
  return tlv(TAG.BIT_STRING, Buffer.concat([Buffer.from([0]), b]));
}

/** Encodes a dotted OID. */
export function derOid(dotted: string): Buffer {
  const parts = dotted.split('.').map((s) => BigInt(s));
  if (parts.length < 2) throw new RangeError(`bad OID ${dotted}`);
  const out: number[] = [];
  const arcs = [parts[0]! * 40n + parts[1]!, ...parts.slice(2)];
  for (const arc of arcs) {
    const bytes: number[] = [];
    let v = arc;
    do {
      bytes.unshift(Number(v & 0x7fn));
      v >>= 7n;
    } while (v > 0n);
    for (let i = 0; i < bytes.length - 1; i++) bytes[i]! |= 0x80;
    out.push(...bytes);
  }
  return tlv(TAG.OID, Buffer.from(out));
}

/** Decodes OID content bytes to dotted form. */
export function oidToString(content: Uint8Array): string {
  const arcs: bigint[] = [];
  let v = 0n;
  for (let i = 0; i < content.length; i++) {
    const b = content[i]!;
    v = (v << 7n) | BigInt(b & 0x7f);
    if (!(b & 0x80)) {
      arcs.push(v);
      v = 0n;
    }
  }
  if (arcs.length === 0) return '';
  const first = arcs[0]!;
  const head = first < 40n ? [0n, first] : first < 80n ? [1n, first - 40n] : [2n, first - 80n];
  return [...head, ...arcs.slice(1)].join('.');
}
