import { fatal } from './errors.ts';

export function concat(...parts: Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

export function u8(v: number): Uint8Array {
  return Uint8Array.of(v & 0xff);
}
export function u16(v: number): Uint8Array {
  return Uint8Array.of((v >>> 8) & 0xff, v & 0xff);
}
export function u24(v: number): Uint8Array {
  return Uint8Array.of((v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff);
}
export function u64(v: bigint): Uint8Array {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setBigUint64(0, v);
  return b;
}
export function vec8(b: Uint8Array): Uint8Array {
  return concat(u8(b.length), b);
}
export function vec16(b: Uint8Array): Uint8Array {
  return concat(u16(b.length), b);
}
export function vec24(b: Uint8Array): Uint8Array {
  return concat(u24(b.length), b);
}

export function toHex(b: Uint8Array): string {
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');
}
export function fromHex(h: string): Uint8Array {
  if (h.length % 2 !== 0 || /[^0-9a-fA-F]/.test(h)) throw new Error(`not a hex string: ${h.slice(0, 40)}`);
  return new Uint8Array(Buffer.from(h, 'hex'));
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Bounds-checked reader over untrusted bytes. Every overrun becomes a decode_error alert naming the field,
 * so parsers never throw anything else.
 */
export class Reader {
  private pos = 0;
  constructor(private readonly buf: Uint8Array, private readonly what: string) {}

  get offset(): number {
    return this.pos;
  }
  get remaining(): number {
    return this.buf.length - this.pos;
  }
  private need(n: number, field: string): void {
    if (this.pos + n > this.buf.length) {
      throw fatal('decode_error', `${this.what}: ${field} needs ${n} bytes at offset ${this.pos}, ${this.remaining} left`);
    }
  }
  u8(field: string): number {
    this.need(1, field);
    return this.buf[this.pos++]!;
  }
  u16(field: string): number {
    this.need(2, field);
    const v = (this.buf[this.pos]! << 8) | this.buf[this.pos + 1]!;
    this.pos += 2;
    return v;
  }
  u24(field: string): number {
    this.need(3, field);
    const v = (this.buf[this.pos]! << 16) | (this.buf[this.pos + 1]! << 8) | this.buf[this.pos + 2]!;
    this.pos += 3;
    return v;
  }
  bytes(n: number, field: string): Uint8Array {
    this.need(n, field);
    const v = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return v;
  }
  vec8(field: string): Uint8Array {
    return this.bytes(this.u8(`${field} length`), field);
  }
  vec16(field: string): Uint8Array {
    return this.bytes(this.u16(`${field} length`), field);
  }
  vec24(field: string): Uint8Array {
    return this.bytes(this.u24(`${field} length`), field);
  }
  rest(): Uint8Array {
    return this.bytes(this.remaining, 'rest');
  }
  end(): void {
    if (this.remaining !== 0) {
      throw fatal('decode_error', `${this.what}: ${this.remaining} trailing bytes at offset ${this.pos}`);
    }
  }
}
