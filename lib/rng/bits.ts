/**
 * Packed bit sequences. Bit i of the sequence (0-based ε_{i+1}) is bit (31 − i mod 32) of word ⌊i/32⌋, i.e. the
 * words are the input bytes read big-endian, so binary input stays MSB-first (GM/T 0005 §2 convention).
 * Bits past n in the last word are always zero; the tests rely on that.
 */
export interface BitSequence {
  readonly words: Uint32Array;
  readonly n: number;
}

export function popcount32(x: number): number {
  x = x - ((x >>> 1) & 0x55555555);
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
}

/** Packs MSB-first bytes into words; `nBits` ≤ 8·bytes.length, trailing bits beyond nBits cleared. */
export function fromBytes(bytes: Uint8Array, nBits = bytes.length * 8): BitSequence {
  if (nBits > bytes.length * 8) throw new RangeError(`fromBytes: ${nBits} bits requested, only ${bytes.length * 8} available`);
  const nw = Math.ceil(nBits / 32);
  const words = new Uint32Array(nw);
  const fullBytes = nBits >>> 3;
  let i = 0;
  const full4 = fullBytes & ~3;
  for (; i < full4; i += 4) words[i >>> 2] = ((bytes[i]! << 24) | (bytes[i + 1]! << 16) | (bytes[i + 2]! << 8) | bytes[i + 3]!) >>> 0;
  for (; i < Math.ceil(nBits / 8); i++) words[i >>> 2]! |= (bytes[i]! << (24 - 8 * (i & 3))) >>> 0;
  clearTail(words, nBits);
  return { words, n: nBits };
}

/** Wraps already packed words (same layout as fromBytes); copies only to clear stray tail bits. */
export function fromWords(words: Uint32Array, nBits = words.length * 32): BitSequence {
  if (nBits > words.length * 32) throw new RangeError(`fromWords: ${nBits} bits requested, only ${words.length * 32} available`);
  const nw = Math.ceil(nBits / 32);
  const w = words.length === nw ? words : words.slice(0, nw);
  if (nBits % 32 !== 0 && (w[nw - 1]! & (0xffffffff >>> (nBits % 32))) !== 0) {
    const c = w === words ? w.slice() : w;
    clearTail(c, nBits);
    return { words: c, n: nBits };
  }
  return { words: w, n: nBits };
}

/** Parses a '0'/'1' string (whitespace ignored) — convenient for the short examples. */
export function fromString(s: string): BitSequence {
  const clean = s.replace(/\s+/g, '');
  const words = new Uint32Array(Math.ceil(clean.length / 32));
  for (let i = 0; i < clean.length; i++) {
    const c = clean.charCodeAt(i);
    if (c === 49) words[i >>> 5]! |= 1 << (31 - (i & 31));
    else if (c !== 48) throw new RangeError(`fromString: character ${JSON.stringify(clean[i])} at ${i} is not 0 or 1`);
  }
  return { words, n: clean.length };
}

function clearTail(words: Uint32Array, nBits: number): void {
  const r = nBits & 31;
  if (r !== 0) words[words.length - 1]! &= (0xffffffff << (32 - r)) >>> 0;
}

export function bitAt(seq: BitSequence, i: number): number {
  return (seq.words[i >>> 5]! >>> (31 - (i & 31))) & 1;
}

/** The 32 bits starting at bit offset `pos` (bits past the array end read as zero). */
export function wordAt(words: Uint32Array, pos: number): number {
  const w = pos >>> 5;
  const s = pos & 31;
  const a = words[w] ?? 0;
  if (s === 0) return a;
  const b = words[w + 1] ?? 0;
  return ((a << s) | (b >>> (32 - s))) >>> 0;
}

/** Number of ones in bits [start, start+len). */
export function countOnes(words: Uint32Array, start: number, len: number): number {
  if (len <= 0) return 0;
  const end = start + len;
  const w0 = start >>> 5;
  const w1 = (end - 1) >>> 5;
  const headMask = 0xffffffff >>> (start & 31);
  const tailMask = (0xffffffff << (31 - ((end - 1) & 31))) >>> 0;
  if (w0 === w1) return popcount32(words[w0]! & headMask & tailMask);
  let c = popcount32(words[w0]! & headMask);
  for (let w = w0 + 1; w < w1; w++) c += popcount32(words[w]!);
  return c + popcount32(words[w1]! & tailMask);
}

/** Ones among the first n bits of x ⊕ (x shifted by d): Σ_{i<n−d} ε_i ⊕ ε_{i+d}. */
export function shiftXorCount(seq: BitSequence, d: number): number {
  const { words, n } = seq;
  const m = n - d;
  if (m <= 0) return 0;
  const full = m >>> 5;
  let c = 0;
  for (let w = 0; w < full; w++) c += popcount32((words[w]! ^ wordAt(words, 32 * w + d)) >>> 0);
  const r = m & 31;
  if (r) c += popcount32(((words[full]! ^ wordAt(words, 32 * full + d)) & (0xffffffff << (32 - r))) >>> 0);
  return c;
}

/** Reverses the bits of a 32-bit word. */
export function reverse32(x: number): number {
  x = ((x >>> 1) & 0x55555555) | ((x & 0x55555555) << 1);
  x = ((x >>> 2) & 0x33333333) | ((x & 0x33333333) << 2);
  x = ((x >>> 4) & 0x0f0f0f0f) | ((x & 0x0f0f0f0f) << 4);
  x = ((x >>> 8) & 0x00ff00ff) | ((x & 0x00ff00ff) << 8);
  return ((x >>> 16) | (x << 16)) >>> 0;
}
