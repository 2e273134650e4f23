/**
 * GHASH (NIST SP 800-38D §6.4) in portable JavaScript.
 *
 * Node's OpenSSL exposes no GHASH with a caller-chosen H, so SM4-GCM needs its own. Speed matters (TLCP bulk
 * records): this uses per-key "64 KiB" tables — for each of the 16 byte positions j, T_j[b] = (b at position j)·H —
 * so one block multiplication is 16 table lookups and 64 XORs on 32-bit words, no shifts, no BigInt.
 * Table lookups are indexed by data; like OpenSSL's table-driven GHASH this is not cache-timing hardened.
 *
 * Field elements are four 32-bit big-endian words: word 0 holds bytes 0..3, and GCM's bit 0 is its most significant bit.
 */

/** The per-key multiplication tables for H. */
export class GhashKey {
  /** 16 positions × 256 byte values × 4 words. */
  readonly table: Int32Array;

  constructor(h: Uint8Array) {
    if (h.length !== 16) throw new RangeError('GHASH key H must be 16 bytes');
    // p[k] = H·x^k for k = 0..127 (multiplying by x is a right shift with reduction by R = 0xE1 || 0^120).
    const p = new Int32Array(128 * 4);
    let w0 = readU32(h, 0), w1 = readU32(h, 4), w2 = readU32(h, 8), w3 = readU32(h, 12);
    for (let k = 0; k < 128; k++) {
      p[k * 4] = w0; p[k * 4 + 1] = w1; p[k * 4 + 2] = w2; p[k * 4 + 3] = w3;
      const carry = w3 & 1;
      w3 = (w3 >>> 1) | (w2 << 31);
      w2 = (w2 >>> 1) | (w1 << 31);
      w1 = (w1 >>> 1) | (w0 << 31);
      w0 = (w0 >>> 1) ^ (carry ? 0xe1000000 : 0);
    }
    const t = new Int32Array(16 * 256 * 4);
    for (let j = 0; j < 16; j++) {
      const base = j * 1024;
      for (let b = 1; b < 256; b++) {
        // Byte value b at position j: its bit (0x80 >> i) stands for x^(8j+i). Build from b without its lowest set bit.
        const low = b & -b;
        const i = 7 - (31 - Math.clz32(low));
        const rest = base + (b ^ low) * 4;
        const pk = (8 * j + i) * 4;
        const o = base + b * 4;
        t[o] = t[rest]! ^ p[pk]!;
        t[o + 1] = t[rest + 1]! ^ p[pk + 1]!;
        t[o + 2] = t[rest + 2]! ^ p[pk + 2]!;
        t[o + 3] = t[rest + 3]! ^ p[pk + 3]!;
      }
    }
    this.table = t;
  }
}

function readU32(b: Uint8Array, o: number): number {
  return ((b[o]! << 24) | (b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!) | 0;
}

/** A running GHASH state Y (starts at zero). */
export class Ghash {
  private y0 = 0;
  private y1 = 0;
  private y2 = 0;
  private y3 = 0;

  constructor(private readonly key: GhashKey) {}

  /** Absorbs data zero-padded to a multiple of 16 bytes (how GCM feeds A and C). */
  updatePadded(data: Uint8Array): this {
    const n = data.length;
    const full = n - (n % 16);
    if (full > 0) this.blocks(new DataView(data.buffer, data.byteOffset, full), full);
    if (full < n) {
      const last = new Uint8Array(16);
      last.set(data.subarray(full));
      this.blocks(new DataView(last.buffer), 16);
    }
    return this;
  }

  /** Absorbs the 64-bit bit lengths block len(A) || len(C) (byte counts below 2^53, as any Uint8Array's). */
  updateLengths(aadBytes: number, dataBytes: number): this {
    const blk = new DataView(new ArrayBuffer(16));
    // bits = bytes · 8 split into 32-bit halves without BigInt: high = floor(bytes / 2^29), low = (bytes mod 2^29) · 8
    blk.setUint32(0, Math.floor(aadBytes / 0x2000_0000));
    blk.setUint32(4, (aadBytes % 0x2000_0000) * 8);
    blk.setUint32(8, Math.floor(dataBytes / 0x2000_0000));
    blk.setUint32(12, (dataBytes % 0x2000_0000) * 8);
    this.blocks(blk, 16);
    return this;
  }

  /** The current Y as 16 bytes. */
  digest(): Buffer {
    const out = Buffer.allocUnsafe(16);
    out.writeInt32BE(this.y0, 0);
    out.writeInt32BE(this.y1, 4);
    out.writeInt32BE(this.y2, 8);
    out.writeInt32BE(this.y3, 12);
    return out;
  }

  /**
   * Y = (Y xor X_i)·H for each full block in the first `end` bytes of d. Words are read through a DataView
   * (big-endian getInt32), which V8 compiles to one load and a byte swap: about three times faster than
   * assembling each word from four byte reads, and the data needs no alignment.
   */
  private blocks(d: DataView, end: number): void {
    const t = this.key.table;
    let y0 = this.y0, y1 = this.y1, y2 = this.y2, y3 = this.y3;
    for (let o = 0; o < end; o += 16) {
      y0 ^= d.getInt32(o);
      y1 ^= d.getInt32(o + 4);
      y2 ^= d.getInt32(o + 8);
      y3 ^= d.getInt32(o + 12);
      let z0 = 0, z1 = 0, z2 = 0, z3 = 0, i: number;
      i = ((y0 >>> 24) << 2);                 z0 ^= t[i]!; z1 ^= t[i + 1]!; z2 ^= t[i + 2]!; z3 ^= t[i + 3]!;
      i = 1024 + (((y0 >>> 16) & 255) << 2);  z0 ^= t[i]!; z1 ^= t[i + 1]!; z2 ^= t[i + 2]!; z3 ^= t[i + 3]!;
      i = 2048 + (((y0 >>> 8) & 255) << 2);   z0 ^= t[i]!; z1 ^= t[i + 1]!; z2 ^= t[i + 2]!; z3 ^= t[i + 3]!;
      i = 3072 + ((y0 & 255) << 2);           z0 ^= t[i]!; z1 ^= t[i + 1]!; z2 ^= t[i + 2]!; z3 ^= t[i + 3]!;
      i = 4096 + ((y1 >>> 24) << 2);          z0 ^= t[i]!; z1 ^= t[i + 1]!; z2 ^= t[i + 2]!; z3 ^= t[i + 3]!;
      i = 5120 + (((y1 >>> 16) & 255) << 2);  z0 ^= t[i]!; z1 ^= t[i + 1]!; z2 ^= t[i + 2]!; z3 ^= t[i + 3]!;
      i = 6144 + (((y1 >>> 8) & 255) << 2);   z0 ^= t[i]!; z1 ^= t[i + 1]!; z2 ^= t[i + 2]!; z3 ^= t[i + 3]!;
      i = 7168 + ((y1 & 255) << 2);           z0 ^= t[i]!; z1 ^= t[i + 1]!; z2 ^= t[i + 2]!; z3 ^= t[i + 3]!;
      i = 8192 + ((y2 >>> 24) << 2);          z0 ^= t[i]!; z1 ^= t[i + 1]!; z2 ^= t[i + 2]!; z3 ^= t[i + 3]!;
      i = 9216 + (((y2 >>> 16) & 255) << 2);  z0 ^= t[i]!; z1 ^= t[i + 1]!; z2 ^= t[i + 2]!; z3 ^= t[i + 3]!;
      i = 10240 + (((y2 >>> 8) & 255) << 2); z0 ^= t[i]!; z1 ^= t[i + 1]!; z2 ^= t[i + 2]!; z3 ^= t[i + 3]!;
      i = 11264 + ((y2 & 255) << 2);          z0 ^= t[i]!; z1 ^= t[i + 1]!; z2 ^= t[i + 2]!; z3 ^= t[i + 3]!;
      i = 12288 + ((y3 >>> 24) << 2);         z0 ^= t[i]!; z1 ^= t[i + 1]!; z2 ^= t[i + 2]!; z3 ^= t[i + 3]!;
      i = 13312 + (((y3 >>> 16) & 255) << 2); z0 ^= t[i]!; z1 ^= t[i + 1]!; z2 ^= t[i + 2]!; z3 ^= t[i + 3]!;
      i = 14336 + (((y3 >>> 8) & 255) << 2);  z0 ^= t[i]!; z1 ^= t[i + 1]!; z2 ^= t[i + 2]!; z3 ^= t[i + 3]!;
      i = 15360 + ((y3 & 255) << 2);          z0 ^= t[i]!; z1 ^= t[i + 1]!; z2 ^= t[i + 2]!; z3 ^= t[i + 3]!;
      y0 = z0; y1 = z1; y2 = z2; y3 = z3;
    }
    this.y0 = y0; this.y1 = y1; this.y2 = y2; this.y3 = y3;
  }
}
