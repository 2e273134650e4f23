/**
 * Input formats for sample files. `bin`: raw bytes, MSB first. `ascii`: the characters '0' and '1', whitespace
 * (space, tab, CR, LF) ignored. Parsers work on chunks so a 125 MB sample is never held twice; errors name the
 * byte offset in the file.
 */

export type InputFormat = 'bin' | 'ascii';

/** A malformed input; `offset` is the 0-based byte offset in the file (or stream) where the problem is. */
export class RngInputError extends Error {
  constructor(message: string, readonly offset: number) {
    super(message);
    this.name = 'RngInputError';
  }
}

/**
 * Turns a stream of file chunks into consecutive sequences of nBits bits each, packed MSB-first in Uint32 words.
 * Bits after the last complete sequence are reported in `leftoverBits` but not returned.
 */
export class SequenceSplitter {
  private cur: Uint32Array;
  private pos = 0; // bits filled in cur
  private byteOffset = 0; // of the next input byte
  private done: Uint32Array[] = [];
  /** bits consumed so far (all sequences + partial) */
  totalBits = 0;

  constructor(readonly nBits: number, readonly format: InputFormat) {
    if (!(Number.isInteger(nBits) && nBits > 0)) throw new RangeError(`sequence length must be a positive integer (got ${nBits})`);
    this.cur = new Uint32Array(Math.ceil(nBits / 32));
  }

  /** Feeds one chunk; returns the sequences completed by it (each a fresh array the caller may transfer). */
  push(chunk: Uint8Array): Uint32Array[] {
    if (this.format === 'bin') this.pushBinary(chunk);
    else this.pushAscii(chunk);
    this.byteOffset += chunk.length;
    const out = this.done;
    this.done = [];
    return out;
  }

  /** Bits received after the last complete sequence. */
  get leftoverBits(): number {
    return this.pos;
  }

  private emit(): void {
    this.done.push(this.cur);
    this.cur = new Uint32Array(Math.ceil(this.nBits / 32));
    this.pos = 0;
  }

  private pushBinary(chunk: Uint8Array): void {
    let i = 0;
    const n = this.nBits;
    while (i < chunk.length) {
      if ((this.pos & 31) === 0 && n - this.pos >= 32 && chunk.length - i >= 4) {
        // fast path: whole words
        const words = Math.min((n - this.pos) >>> 5, (chunk.length - i) >>> 2);
        const cur = this.cur;
        let w = this.pos >>> 5;
        for (let k = 0; k < words; k++, i += 4) cur[w++] = ((chunk[i]! << 24) | (chunk[i + 1]! << 16) | (chunk[i + 2]! << 8) | chunk[i + 3]!) >>> 0;
        this.pos += 32 * words;
        this.totalBits += 32 * words;
        if (this.pos === n) this.emit();
        continue;
      }
      const byte = chunk[i++]!;
      for (let b = 7; b >= 0; b--) this.pushBit((byte >>> b) & 1);
    }
  }

  private pushAscii(chunk: Uint8Array): void {
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk[i]!;
      if (c === 48 || c === 49) this.pushBit(c - 48);
      else if (c !== 32 && c !== 10 && c !== 13 && c !== 9) {
        const shown = c >= 33 && c < 127 ? `'${String.fromCharCode(c)}'` : `0x${c.toString(16).padStart(2, '0')}`;
        throw new RngInputError(`byte ${shown} is not '0', '1' or whitespace (ASCII format)`, this.byteOffset + i);
      }
    }
  }

  private pushBit(bit: number): void {
    if (bit) this.cur[this.pos >>> 5]! |= 1 << (31 - (this.pos & 31));
    this.pos++;
    this.totalBits++;
    if (this.pos === this.nBits) this.emit();
  }
}

/** Splits a whole in-memory file into sequences (see SequenceSplitter). */
export function parseSequences(data: Uint8Array, nBits: number, format: InputFormat): { sequences: Uint32Array[]; leftoverBits: number; totalBits: number } {
  const sp = new SequenceSplitter(nBits, format);
  const sequences = sp.push(data);
  return { sequences, leftoverBits: sp.leftoverBits, totalBits: sp.totalBits };
}

/**
 * Guesses the format of a file from its first bytes: 'ascii' if they are all '0', '1' or whitespace, else 'bin'.
 * Binary data that happens to be made of those bytes only is implausible beyond a few bytes.
 */
export function sniffFormat(head: Uint8Array): InputFormat {
  if (head.length === 0) return 'bin';
  for (const c of head) if (c !== 48 && c !== 49 && c !== 32 && c !== 10 && c !== 13 && c !== 9) return 'bin';
  return 'ascii';
}
