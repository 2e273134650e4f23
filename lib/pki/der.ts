/**
 * A strict DER walker that keeps the byte offset of every node.
 *
 * Hand-written rather than asn1js because lints must (a) say where a problem is, as an absolute byte offset into the
 * input file, and (b) see encodings that BER parsers silently accept (long-form lengths, constructed strings) so they
 * can be reported as DER violations instead of being normalised away. Violations that still allow a parse are recorded
 * in `issues`; anything that makes the structure unreadable throws `Asn1Error` carrying the offset.
 */
import { bytesToBigInt } from '../gm/der.ts';

export const TAG = {
  BOOLEAN: 0x01, INTEGER: 0x02, BIT_STRING: 0x03, OCTET_STRING: 0x04, NULL: 0x05, OID: 0x06, ENUMERATED: 0x0a,
  UTF8String: 0x0c, PrintableString: 0x13, T61String: 0x14, IA5String: 0x16, UTCTime: 0x17, GeneralizedTime: 0x18,
  VisibleString: 0x1a, UniversalString: 0x1c, BMPString: 0x1e, NumericString: 0x12,
  SEQUENCE: 0x30, SET: 0x31,
} as const;

export const TAG_NAMES: Record<number, string> = {
  0x01: 'BOOLEAN', 0x02: 'INTEGER', 0x03: 'BIT STRING', 0x04: 'OCTET STRING', 0x05: 'NULL', 0x06: 'OBJECT IDENTIFIER',
  0x0a: 'ENUMERATED', 0x0c: 'UTF8String', 0x12: 'NumericString', 0x13: 'PrintableString', 0x14: 'T61String',
  0x16: 'IA5String', 0x17: 'UTCTime', 0x18: 'GeneralizedTime', 0x1a: 'VisibleString', 0x1c: 'UniversalString',
  0x1e: 'BMPString', 0x30: 'SEQUENCE', 0x31: 'SET',
};

export function tagName(tag: number): string {
  const n = TAG_NAMES[tag];
  if (n) return n;
  const cls = tag >> 6;
  const num = tag & 0x1f;
  const c = tag & 0x20 ? ' constructed' : '';
  if (cls === 2) return `[${num}]${c}`;
  return `tag 0x${tag.toString(16).padStart(2, '0')}`;
}

/** A structural problem that stops parsing; offset is absolute in the input buffer. */
export class Asn1Error extends Error {
  constructor(message: string, readonly offset: number, readonly path = '') {
    super(message);
    this.name = 'Asn1Error';
  }
}

/** A DER rule broken by an otherwise readable encoding. */
export interface DerIssue { offset: number; message: string }

export class Node {
  children: Node[] | null = null;
  constructor(
    readonly buf: Uint8Array,
    /** identifier octet (tag numbers ≥ 31 are folded into 0x1f plus `num`) */
    readonly tag: number,
    readonly num: number,
    /** absolute offset of the identifier octet */
    readonly start: number,
    readonly hdr: number,
    readonly len: number,
  ) {}
  get constructed(): boolean { return (this.tag & 0x20) !== 0; }
  get cls(): number { return this.tag >> 6; }
  get contentStart(): number { return this.start + this.hdr; }
  get end(): number { return this.start + this.hdr + this.len; }
  /** content octets (a view, no copy) */
  get content(): Uint8Array { return this.buf.subarray(this.start + this.hdr, this.end); }
  /** the whole TLV (a view, no copy) */
  get bytes(): Uint8Array { return this.buf.subarray(this.start, this.end); }
  /** context-specific tag number, or -1 */
  get ctx(): number { return this.cls === 2 ? this.num : -1; }
}

export interface ParseOptions { maxDepth?: number }

/**
 * Parses one TLV starting at `offset` (and its constructed descendants). `limit` bounds the TLV end.
 * Records DER violations in `issues`.
 */
export function parseTlv(buf: Uint8Array, offset: number, limit: number, issues: DerIssue[], depth = 0): Node {
  if (depth > 48) throw new Asn1Error('nesting deeper than 48 levels', offset);
  if (offset >= limit) throw new Asn1Error('expected a TLV, found end of data', offset);
  const tag = buf[offset]!;
  let p = offset + 1;
  let num = tag & 0x1f;
  if (num === 0x1f) {
    num = 0;
    let first = true;
    for (;;) {
      if (p >= limit) throw new Asn1Error('truncated high tag number', offset);
      const b = buf[p++]!;
      if (first && b === 0x80) issues.push({ offset, message: 'high tag number with leading 0x80 octet' });
      first = false;
      num = num * 128 + (b & 0x7f);
      if (num > 0xffffff) throw new Asn1Error('tag number too large', offset);
      if (!(b & 0x80)) break;
    }
    if (num < 31) issues.push({ offset, message: `tag number ${num} in high-tag-number form` });
  }
  if (p >= limit) throw new Asn1Error('truncated length', offset);
  const lb = buf[p++]!;
  let len: number;
  if (lb < 0x80) len = lb;
  else if (lb === 0x80) throw new Asn1Error('indefinite length (BER, not DER)', offset);
  else {
    const n = lb & 0x7f;
    if (n > 4) throw new Asn1Error(`length of ${n} octets is unsupported`, offset);
    if (p + n > limit) throw new Asn1Error('truncated length', offset);
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + buf[p + i]!;
    if (buf[p] === 0) issues.push({ offset, message: 'length has leading zero octets (not minimal)' });
    else if (len < 0x80) issues.push({ offset, message: `length ${len} in long form (DER requires short form)` });
    p += n;
  }
  const hdr = p - offset;
  if (p + len > limit) {
    throw new Asn1Error(`${tagName(tag)} length ${len} runs past the end of its container (${limit - p} octets left)`, offset);
  }
  const node = new Node(buf, tag, num, offset, hdr, len);
  if (tag & 0x20) {
    const kids: Node[] = [];
    let q = p;
    const end = p + len;
    while (q < end) {
      const k = parseTlv(buf, q, end, issues, depth + 1);
      kids.push(k);
      q = k.end;
    }
    node.children = kids;
    if (tag >= 0x20 && tag <= 0x3f && tag !== 0x30 && tag !== 0x31) {
      issues.push({ offset, message: `constructed encoding of ${tagName(tag & ~0x20)} (BER, not DER)` });
    }
  }
  return node;
}

/** Parses a buffer that must hold exactly one TLV. */
export function parseDer(buf: Uint8Array, issues: DerIssue[] = [], base = 0, end = buf.length): Node {
  const n = parseTlv(buf, base, end, issues);
  if (n.end !== end) throw new Asn1Error(`${end - n.end} trailing octets after the top-level ${tagName(n.tag)}`, n.end);
  return n;
}

// ---------------------------------------------------------------------------------------------------------------
// Primitive decoders

export function decodeOid(content: Uint8Array): string | null {
  if (content.length === 0) return null;
  const arcs: number[] = [];
  let v = 0;
  let started = false;
  for (let i = 0; i < content.length; i++) {
    const b = content[i]!;
    if (!started && b === 0x80) return null; // non-minimal arc
    started = true;
    v = v * 128 + (b & 0x7f);
    if (v > Number.MAX_SAFE_INTEGER / 256) return null;
    if (!(b & 0x80)) {
      arcs.push(v);
      v = 0;
      started = false;
    }
  }
  if (started) return null; // last octet had the continuation bit
  const first = arcs[0]!;
  const head = first < 40 ? [0, first] : first < 80 ? [1, first - 40] : [2, first - 80];
  return [...head, ...arcs.slice(1)].join('.');
}

export function encodeOid(oid: string): Uint8Array {
  const arcs = oid.split('.').map(Number);
  const out: number[] = [];
  const push = (n: number) => {
    const tmp = [n & 0x7f];
    n = Math.floor(n / 128);
    while (n > 0) { tmp.unshift((n & 0x7f) | 0x80); n = Math.floor(n / 128); }
    out.push(...tmp);
  };
  push(arcs[0]! * 40 + arcs[1]!);
  for (const a of arcs.slice(2)) push(a);
  return Uint8Array.from(out);
}

/** Unsigned big-endian magnitude of a two's-complement INTEGER content; null if negative. */
export function integerMagnitude(content: Uint8Array): bigint | null {
  if (content.length === 0) return null;
  if (content[0]! & 0x80) return null;
  return bytesToBigInt(content);
}

export function isMinimalInteger(content: Uint8Array): boolean {
  if (content.length === 0) return false;
  if (content.length === 1) return true;
  if (content[0] === 0x00 && !(content[1]! & 0x80)) return false;
  if (content[0] === 0xff && content[1]! & 0x80) return false;
  return true;
}

export function toHex(b: Uint8Array): string {
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

const latin1 = new TextDecoder('latin1');
const utf8Strict = new TextDecoder('utf-8', { fatal: true });

/** Decodes a string type's content for display; returns null when the octets are invalid for the type. */
export function decodeString(tag: number, c: Uint8Array): string | null {
  try {
    switch (tag) {
      case TAG.UTF8String: return utf8Strict.decode(c);
      case TAG.BMPString: {
        if (c.length % 2) return null;
        let s = '';
        for (let i = 0; i < c.length; i += 2) s += String.fromCharCode((c[i]! << 8) | c[i + 1]!);
        return s;
      }
      case TAG.UniversalString: {
        if (c.length % 4) return null;
        let s = '';
        for (let i = 0; i < c.length; i += 4) {
          const cp = ((c[i]! << 24) | (c[i + 1]! << 16) | (c[i + 2]! << 8) | c[i + 3]!) >>> 0;
          if (cp > 0x10ffff) return null;
          s += String.fromCodePoint(cp);
        }
        return s;
      }
      default: return latin1.decode(c);
    }
  } catch {
    return null;
  }
}

const PRINTABLE = /^[A-Za-z0-9 '()+,\-./:=?]*$/;
export function isPrintableString(s: string): boolean { return PRINTABLE.test(s); }
export function isIa5(c: Uint8Array): boolean { for (const b of c) if (b > 0x7f) return false; return true; }
