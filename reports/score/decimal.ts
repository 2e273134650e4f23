/**
 * Exact rational arithmetic on BigInt, enough for the scoring rule: the rule rounds half-up in decimal, and binary
 * floating point gets x.xx5 wrong (e.g. 1.005 is stored as 1.00499…, 0.7·0.5 + … drifts), so every figure is parsed
 * from its decimal text into an exact fraction and only the final, rounded values become JS numbers.
 */
export class Dec {
  private constructor(readonly n: bigint, readonly d: bigint) {}

  private static norm(n: bigint, d: bigint): Dec {
    if (d === 0n) throw new RangeError('division by zero');
    if (d < 0n) { n = -n; d = -d; }
    const g = gcd(n < 0n ? -n : n, d);
    return new Dec(n / g, d / g);
  }

  static readonly ZERO = new Dec(0n, 1n);
  static readonly ONE = new Dec(1n, 1n);

  static int(v: number | bigint): Dec {
    return new Dec(BigInt(v), 1n);
  }

  /** Parses decimal text ("0.7", "-12.345", "1e-3"); throws on anything else. */
  static parse(text: string): Dec {
    const m = /^([+-]?)(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/.exec(text.trim());
    if (!m) throw new RangeError(`not a decimal number: ${text}`);
    const frac = m[3] ?? '';
    let n = BigInt(m[2]! + frac);
    let d = 10n ** BigInt(frac.length);
    const e = Number(m[4] ?? 0);
    if (e > 0) n *= 10n ** BigInt(e);
    else if (e < 0) d *= 10n ** BigInt(-e);
    return Dec.norm(m[1] === '-' ? -n : n, d);
  }

  /**
   * The decimal the author of a JS number meant: String(0.7) is "0.7", the shortest text that round-trips, so data
   * written as 0.7 in YAML/JSON becomes exactly 7/10 rather than 0.6999999999999999555910790149937….
   */
  static of(v: number | Dec): Dec {
    if (v instanceof Dec) return v;
    if (!Number.isFinite(v)) throw new RangeError(`not a finite number: ${v}`);
    return Dec.parse(String(v));
  }

  add(o: Dec | number): Dec { const b = Dec.of(o); return Dec.norm(this.n * b.d + b.n * this.d, this.d * b.d); }
  sub(o: Dec | number): Dec { const b = Dec.of(o); return Dec.norm(this.n * b.d - b.n * this.d, this.d * b.d); }
  mul(o: Dec | number): Dec { const b = Dec.of(o); return Dec.norm(this.n * b.n, this.d * b.d); }
  div(o: Dec | number): Dec { const b = Dec.of(o); return Dec.norm(this.n * b.d, this.d * b.n); }
  cmp(o: Dec | number): number { const b = Dec.of(o); const l = this.n * b.d, r = b.n * this.d; return l < r ? -1 : l > r ? 1 : 0; }
  eq(o: Dec | number): boolean { return this.cmp(o) === 0; }
  isZero(): boolean { return this.n === 0n; }

  static max(a: Dec, b: Dec): Dec { return a.cmp(b) >= 0 ? a : b; }
  static min(a: Dec, b: Dec): Dec { return a.cmp(b) <= 0 ? a : b; }
  static sum(xs: Dec[]): Dec { return xs.reduce((s, x) => s.add(x), Dec.ZERO); }

  /** Rounds to `dp` decimal places, half away from zero (= half-up for the non-negative scores of the rule). */
  round(dp: number): Dec {
    const scale = 10n ** BigInt(dp);
    const neg = this.n < 0n;
    const a = neg ? -this.n : this.n;
    const q = (2n * a * scale + this.d) / (2n * this.d);
    return Dec.norm(neg ? -q : q, scale);
  }

  /** Fixed-point text with exactly `dp` places (rounding half-up first). */
  toFixed(dp: number): string {
    const r = this.round(dp);
    const scale = 10n ** BigInt(dp);
    const neg = r.n < 0n;
    const scaled = ((neg ? -r.n : r.n) * scale) / r.d;
    const s = scaled.toString().padStart(dp + 1, '0');
    const body = dp === 0 ? s : `${s.slice(0, -dp)}.${s.slice(-dp)}`;
    return neg ? `-${body}` : body;
  }

  /** Shortest decimal text of the value rounded to `dp` places ("0.5", "0.7581", "1"). */
  toString(dp = 4): string {
    const t = this.toFixed(dp);
    return t.includes('.') ? t.replace(/0+$/, '').replace(/\.$/, '') : t;
  }

  /** A JS number for output; only ever called on already-rounded values, whose decimal text Number() reproduces. */
  toNumber(dp = 4): number {
    return Number(this.toFixed(dp));
  }
}

function gcd(a: bigint, b: bigint): bigint {
  while (b !== 0n) [a, b] = [b, a % b];
  return a === 0n ? 1n : a;
}
