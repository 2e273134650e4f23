/**
 * The 15 statistical tests of GM/T 0005-2021 §5, each on a packed sequence with explicit parameters.
 * Formulas follow the reference digest (../shared/reference/randomness-gmt0005.md §4–§5); where GM/T differs
 * from NIST SP 800-22 (DFT /3.8, longest-run π, rank p, LC π0, runs distribution, no runs pre-test) GM/T wins.
 *
 * Every test returns one Outcome per P-value it produces. For normal-type tests (1, 5, 8, 9, 14, 15) the
 * statistic V is signed and Q = erfc(V/√2)/2; for χ²-type tests Q = P.
 */
import { type BitSequence, countOnes, popcount32, shiftXorCount, wordAt, bitAt } from './bits.ts';
import { erfc, igamc, normalCdf } from './special.ts';
import { halfSpectrumSquared } from './fft.ts';

export interface Outcome {
  /** the test statistic V (signed for normal-type tests) */
  readonly statistic: number;
  readonly pValue: number;
  readonly qValue: number;
}

function normalOutcome(v: number): Outcome {
  return { statistic: v, pValue: erfc(Math.abs(v) / Math.SQRT2), qValue: erfc(v / Math.SQRT2) / 2 };
}

function chiOutcome(v: number, p: number): Outcome {
  return { statistic: v, pValue: p, qValue: p };
}

function requireBits(seq: BitSequence, min: number, what: string): void {
  if (seq.n < min) throw new RangeError(`${what} needs at least ${min} bits, got ${seq.n}`);
}

// 1 单比特频数检测
export function frequency(seq: BitSequence): Outcome {
  requireBits(seq, 1, 'frequency');
  const ones = countOnes(seq.words, 0, seq.n);
  return normalOutcome((2 * ones - seq.n) / Math.sqrt(seq.n));
}

// 2 块内频数检测
export function blockFrequency(seq: BitSequence, m: number): Outcome {
  const N = Math.floor(seq.n / m);
  if (N < 1) throw new RangeError(`blockFrequency: block length m=${m} exceeds n=${seq.n}`);
  let sum = 0;
  for (let j = 0; j < N; j++) {
    const pi = countOnes(seq.words, j * m, m) / m;
    sum += (pi - 0.5) * (pi - 0.5);
  }
  const v = 4 * m * sum;
  return chiOutcome(v, igamc(N / 2, v / 2));
}

// 3 扑克检测
export function poker(seq: BitSequence, m: number): Outcome {
  const N = Math.floor(seq.n / m);
  if (N < 1) throw new RangeError(`poker: m=${m} exceeds n=${seq.n}`);
  const counts = new Float64Array(1 << m);
  const { words } = seq;
  if (m === 8) {
    const fullWords = Math.floor(N / 4);
    for (let w = 0; w < fullWords; w++) {
      const x = words[w]!;
      counts[x >>> 24]++; counts[(x >>> 16) & 255]++; counts[(x >>> 8) & 255]++; counts[x & 255]++;
    }
    for (let i = fullWords * 4; i < N; i++) counts[wordAt(words, 8 * i) >>> 24]++;
  } else if (m === 4) {
    const fullWords = Math.floor(N / 8);
    for (let w = 0; w < fullWords; w++) {
      const x = words[w]!;
      for (let sh = 28; sh >= 0; sh -= 4) counts[(x >>> sh) & 15]++;
    }
    for (let i = fullWords * 8; i < N; i++) counts[wordAt(words, 4 * i) >>> 28]++;
  } else {
    for (let i = 0; i < N; i++) counts[wordAt(words, m * i) >>> (32 - m)]++;
  }
  let sq = 0;
  for (let i = 0; i < counts.length; i++) sq += counts[i]! * counts[i]!;
  const v = ((1 << m) / N) * sq - N;
  return chiOutcome(v, igamc(((1 << m) - 1) / 2, v / 2));
}

/**
 * Cyclic overlapping pattern counts for every width 1..maxM, from one pass at width maxM (narrower counts are
 * exact marginals: the m-bit pattern at i is the prefix of the maxM-bit pattern at i). Shared by serial and ApEn.
 */
export function cyclicPatternCounts(seq: BitSequence, maxM: number): Float64Array[] {
  const { words, n } = seq;
  if (maxM > n) throw new RangeError(`pattern width ${maxM} exceeds n=${n}`);
  const mask = (1 << maxM) - 1;
  const top = new Float64Array(1 << maxM);
  let r = 0;
  for (let i = 0; i < maxM - 1; i++) r = (r << 1) | bitAt(seq, i);
  // positions i = 0..n−1, pattern ends at bit i+maxM−1 (mod n)
  let j = maxM - 1;
  const wrapStart = n; // bits j ≥ n wrap to j − n
  const fullEnd = Math.min(wrapStart, (wrapStart >>> 5) << 5);
  // bit-by-bit with the word cached
  while (j < fullEnd && (j & 31) !== 0) { r = ((r << 1) | bitAt(seq, j)) & mask; top[r]++; j++; }
  for (; j + 32 <= fullEnd; j += 32) {
    const w = words[j >>> 5]!;
    for (let b = 31; b >= 0; b--) { r = ((r << 1) | ((w >>> b) & 1)) & mask; top[r]++; }
  }
  for (; j < n + maxM - 1; j++) { r = ((r << 1) | bitAt(seq, j < n ? j : j - n)) & mask; top[r]++; }
  const out: Float64Array[] = [];
  out[maxM] = top;
  for (let m = maxM - 1; m >= 1; m--) {
    const wider = out[m + 1]!;
    const c = new Float64Array(1 << m);
    for (let p = 0; p < wider.length; p++) c[p >>> 1] += wider[p]!;
    out[m] = c;
  }
  out[0] = new Float64Array([n]);
  return out;
}

function psiSq(counts: Float64Array[], m: number, n: number): number {
  if (m <= 0) return 0;
  const c = counts[m]!;
  let s = 0;
  for (let i = 0; i < c.length; i++) s += c[i]! * c[i]!;
  return ((1 << m) / n) * s - n;
}

// 4 重叠子序列检测 (NIST serial): two P-values
export function serial(seq: BitSequence, m: number, counts = cyclicPatternCounts(seq, m)): [Outcome, Outcome] {
  if (m < 2) throw new RangeError(`serial: m must be ≥ 2 (got ${m})`);
  const n = seq.n;
  const p0 = psiSq(counts, m, n), p1 = psiSq(counts, m - 1, n), p2 = psiSq(counts, m - 2, n);
  const d1 = p0 - p1;
  const d2 = p0 - 2 * p1 + p2;
  return [chiOutcome(d1, igamc(2 ** (m - 2), d1 / 2)), chiOutcome(d2, igamc(2 ** (m - 3), d2 / 2))];
}

// 5 游程总数检测 (no frequency pre-test)
export function runs(seq: BitSequence): Outcome {
  requireBits(seq, 2, 'runs');
  const n = seq.n;
  const pi = countOnes(seq.words, 0, n) / n;
  const vObs = 1 + shiftXorCount(seq, 1);
  const v = (vObs - 2 * n * pi * (1 - pi)) / (2 * Math.sqrt(n) * pi * (1 - pi));
  if (!Number.isFinite(v)) return { statistic: v, pValue: 0, qValue: 0 }; // all-equal sequence: π(1−π) = 0
  return normalOutcome(v);
}

/** Runs-distribution class count k: largest i with (n − i + 3)/2^{i+2} ≥ 5. */
export function runsDistributionK(n: number): number {
  let k = 0;
  for (let i = 1; i < 64; i++) if ((n - i + 3) / 2 ** (i + 2) >= 5) k = i;
  return k;
}

/** Calls f(bit, length) for each maximal run in bits [start, end). */
function forEachRun(seq: BitSequence, start: number, end: number, f: (bit: number, len: number) => void): void {
  const { words } = seq;
  let i = start;
  while (i < end) {
    const b = (words[i >>> 5]! >>> (31 - (i & 31))) & 1;
    let j = i + 1;
    // skip whole words of the same bit quickly
    while (j < end) {
      const off = j & 31;
      let w = words[j >>> 5]!;
      if (b === 0) w = ~w >>> 0; // now looking for the first 0 of w (= a 1 in the original)
      const rest = (w << off) >>> 0; // bits j.. at the top
      const avail = 32 - off;
      const inv = ~rest >>> 0;
      const run = inv === 0 ? 32 : Math.clz32(inv);
      if (run >= avail) { j += avail; continue; }
      j += run;
      break;
    }
    if (j > end) j = end;
    f(b, j - i);
    i = j;
  }
}

// 6 游程分布检测
export function runsDistribution(seq: BitSequence): Outcome {
  const k = runsDistributionK(seq.n);
  if (k < 2) throw new RangeError(`runsDistribution: n=${seq.n} too short (k=${k})`);
  const b = new Float64Array(k + 1), g = new Float64Array(k + 1);
  forEachRun(seq, 0, seq.n, (bit, len) => {
    const c = len > k ? k : len;
    if (bit) b[c]++; else g[c]++;
  });
  let T = 0;
  for (let i = 1; i <= k; i++) T += b[i]! + g[i]!;
  let v = 0;
  for (let i = 1; i <= k; i++) {
    const e = i < k ? T / 2 ** (i + 1) : T / 2 ** k;
    v += ((b[i]! - e) ** 2 + (g[i]! - e) ** 2) / e;
  }
  return chiOutcome(v, igamc(k - 1, v / 2));
}

/** Longest-run tables (digest §5.2): classes ≤ first, …, ≥ first+K, GM/T π. */
export interface LongestRunTable {
  readonly M: number;
  /** the longest-run value of class 0 ("≤ first") */
  readonly first: number;
  readonly pi: readonly number[];
}

export const LONGEST_RUN_TABLES: Readonly<Record<number, LongestRunTable>> = {
  8: { M: 8, first: 1, pi: [0.2148, 0.3672, 0.2305, 0.1875] },
  128: { M: 128, first: 4, pi: [0.1174, 0.2430, 0.2494, 0.1752, 0.1027, 0.1124] },
  10000: { M: 10000, first: 10, pi: [0.086632, 0.208201, 0.248419, 0.193913, 0.121458, 0.068011, 0.073366] },
};

// 7 块内最大游程检测: [runs of 1, runs of 0]
export function longestRun(seq: BitSequence, M: number): [Outcome, Outcome] {
  const table = LONGEST_RUN_TABLES[M];
  if (!table) throw new RangeError(`longestRun: no GM/T table for M=${M} (have ${Object.keys(LONGEST_RUN_TABLES).join(', ')})`);
  const N = Math.floor(seq.n / M);
  if (N < 1) throw new RangeError(`longestRun: M=${M} exceeds n=${seq.n}`);
  const K = table.pi.length - 1;
  const nu1 = new Float64Array(K + 1), nu0 = new Float64Array(K + 1);
  let max1 = 0, max0 = 0;
  const note = (bit: number, len: number) => {
    if (bit) { if (len > max1) max1 = len; } else if (len > max0) max0 = len;
  };
  for (let blk = 0; blk < N; blk++) {
    max1 = 0; max0 = 0;
    forEachRun(seq, blk * M, (blk + 1) * M, note);
    nu1[Math.min(K, Math.max(0, max1 - table.first))]++;
    nu0[Math.min(K, Math.max(0, max0 - table.first))]++;
  }
  const chi = (nu: Float64Array) => {
    let v = 0;
    for (let i = 0; i <= K; i++) { const e = N * table.pi[i]!; v += (nu[i]! - e) ** 2 / e; }
    return chiOutcome(v, igamc(K / 2, v / 2));
  };
  return [chi(nu1), chi(nu0)];
}

// 8 二元推导检测
export function binaryDerivative(seq: BitSequence, k: number): Outcome {
  const n = seq.n;
  const len = n - k;
  if (len < 1) throw new RangeError(`binaryDerivative: k=${k} needs n > k`);
  let ones: number;
  if (((k + 1) & k) === 0) {
    // k = 2^t − 1: every binomial coefficient C(k, j) is odd, so the k-th derivative is ε_i ⊕ … ⊕ ε_{i+k}
    const { words } = seq;
    ones = 0;
    const full = len >>> 5;
    for (let w = 0; w <= full; w++) {
      let x = words[w]!;
      for (let s = 1; s <= k; s++) x ^= wordAt(words, 32 * w + s);
      if (w === full) {
        const r = len & 31;
        if (r === 0) break;
        x &= 0xffffffff << (32 - r);
      }
      ones += popcount32(x >>> 0);
    }
  } else {
    let cur = new Uint8Array(n);
    for (let i = 0; i < n; i++) cur[i] = bitAt(seq, i);
    for (let t = 1; t <= k; t++) {
      const next = new Uint8Array(n - t);
      for (let i = 0; i < n - t; i++) next[i] = cur[i]! ^ cur[i + 1]!;
      cur = next;
    }
    ones = 0;
    for (let i = 0; i < cur.length; i++) ones += cur[i]!;
  }
  return normalOutcome((2 * ones - len) / Math.sqrt(len));
}

// 9 自相关检测
export function autocorrelation(seq: BitSequence, d: number): Outcome {
  const len = seq.n - d;
  if (len < 1 || d < 1) throw new RangeError(`autocorrelation: need 1 ≤ d < n (d=${d}, n=${seq.n})`);
  const a = shiftXorCount(seq, d);
  return normalOutcome((2 * (a - len / 2)) / Math.sqrt(len));
}

/** Rank over GF(2) of 32 rows of 32 bits (the array is modified). */
export function rank32(rows: Uint32Array): number {
  let rank = 0;
  const n = rows.length;
  for (let bit = 31; bit >= 0 && rank < n; bit--) {
    const mask = 1 << bit;
    let pivot = -1;
    for (let r = rank; r < n; r++) if (rows[r]! & mask) { pivot = r; break; }
    if (pivot < 0) continue;
    const pr = rows[pivot]!;
    rows[pivot] = rows[rank]!;
    rows[rank] = pr;
    for (let r = rank + 1; r < n; r++) if (rows[r]! & mask) rows[r] = rows[r]! ^ pr;
    rank++;
  }
  return rank;
}

/** GM/T rounded class probabilities for rank 32, 31, ≤30 (digest §5.3). */
export const RANK_P = [0.2888, 0.5776, 0.1336] as const;

// 10 矩阵秩检测 (32×32)
export function matrixRank(seq: BitSequence): Outcome {
  const N = Math.floor(seq.n / 1024);
  if (N < 1) throw new RangeError(`matrixRank: needs ≥ 1024 bits, got ${seq.n}`);
  const rows = new Uint32Array(32);
  let f32 = 0, f31 = 0;
  for (let k = 0; k < N; k++) {
    rows.set(seq.words.subarray(32 * k, 32 * k + 32)); // a 32×32 matrix is exactly 32 consecutive words
    const r = rank32(rows);
    if (r === 32) f32++; else if (r === 31) f31++;
  }
  const f = [f32, f31, N - f32 - f31];
  let v = 0;
  for (let i = 0; i < 3; i++) { const e = N * RANK_P[i]!; v += (f[i]! - e) ** 2 / e; }
  return chiOutcome(v, igamc(1, v / 2));
}

function cusumP(n: number, z: number): number {
  if (z === 0) return 1;
  const sn = Math.sqrt(n);
  const nz = Math.trunc(n / z); // C integer semantics of the standard's (and NIST's) bounds
  let s1 = 0;
  for (let k = Math.trunc((-nz + 1) / 4); k <= Math.trunc((nz - 1) / 4); k++) s1 += normalCdf(((4 * k + 1) * z) / sn) - normalCdf(((4 * k - 1) * z) / sn);
  let s2 = 0;
  for (let k = Math.trunc((-nz - 3) / 4); k <= Math.trunc((nz - 1) / 4); k++) s2 += normalCdf(((4 * k + 3) * z) / sn) - normalCdf(((4 * k + 1) * z) / sn);
  return 1 - s1 + s2;
}

// 11 累加和检测: [forward, backward]
export function cumulativeSums(seq: BitSequence): [Outcome, Outcome] {
  const n = seq.n;
  requireBits(seq, 1, 'cumulativeSums');
  const { words } = seq;
  let s = 0, maxAbs = 0, minS = 0, maxS = 0; // min/max over S_0..S_{n−1}
  const fullWords = n >>> 5;
  for (let w = 0; w < fullWords; w++) {
    const x = words[w]!;
    for (let b = 31; b >= 0; b--) {
      if (s < minS) minS = s; else if (s > maxS) maxS = s;
      s += ((x >>> b) & 1) * 2 - 1;
      const a = s < 0 ? -s : s;
      if (a > maxAbs) maxAbs = a;
    }
  }
  for (let i = fullWords * 32; i < n; i++) {
    if (s < minS) minS = s; else if (s > maxS) maxS = s;
    s += bitAt(seq, i) * 2 - 1;
    const a = s < 0 ? -s : s;
    if (a > maxAbs) maxAbs = a;
  }
  // backward partial sums S_n − S_j, j = n−1 … 0
  const zb = Math.max(Math.abs(s - minS), Math.abs(s - maxS));
  const pf = cusumP(n, maxAbs), pb = cusumP(n, zb);
  return [chiOutcome(maxAbs, pf), chiOutcome(zb, pb)];
}

// 12 近似熵检测
export function approximateEntropy(seq: BitSequence, m: number, counts = cyclicPatternCounts(seq, m + 1)): Outcome {
  const n = seq.n;
  const phi = (mm: number) => {
    if (mm === 0) return 0;
    const c = counts[mm]!;
    let s = 0;
    for (let i = 0; i < c.length; i++) if (c[i]! > 0) { const p = c[i]! / n; s += p * Math.log(p); }
    return s;
  };
  const apen = phi(m) - phi(m + 1);
  const v = 2 * n * (Math.LN2 - apen);
  return chiOutcome(v, igamc(2 ** (m - 1), v / 2));
}

/** GM/T π for the seven linear-complexity classes (digest §5.4; π0 = 0.010417, not NIST's 0.01047). */
export const LC_PI = [0.010417, 0.03125, 0.125, 0.5, 0.25, 0.0625, 0.020833] as const;

/**
 * Linear complexity of bits [start, start+M) by Berlekamp–Massey over GF(2) with word-packed polynomials.
 * C and B hold coefficient i at bit (i mod 32) of word ⌊i/32⌋; `rev` holds the block reversed the same way,
 * so the discrepancy Σ c_i s_{N−i} is the parity of C AND a window of `rev`. The window is read from 32
 * pre-shifted copies of `rev`, so the inner loop is one aligned AND/XOR per word; deg C ≤ L keeps it to
 * ⌈(L+1)/32⌉ words.
 */
export function berlekampMassey(seq: BitSequence, start: number, M: number, scratch?: BmScratch): number {
  const sc = scratch && scratch.M >= M ? scratch : new BmScratch(M);
  const { C, B, T, rev, shifted } = sc;
  const nw = (M >>> 5) + 2;
  const stride = sc.stride;
  C.fill(0); B.fill(0); rev.fill(0);
  // rev bit j = s_{M−1−j}
  const { words } = seq;
  for (let t = 0; t < M; t++) {
    const i = start + t;
    if ((words[i >>> 5]! >>> (31 - (i & 31))) & 1) { const j = M - 1 - t; rev[j >>> 5] |= 1 << (j & 31); }
  }
  for (let os = 0; os < 32; os++) {
    const base = os * stride;
    if (os === 0) for (let w = 0; w < nw; w++) shifted[base + w] = rev[w]!;
    else for (let w = 0; w < nw; w++) shifted[base + w] = (rev[w]! >>> os) | (rev[w + 1]! << (32 - os));
  }
  C[0] = 1; B[0] = 1;
  let L = 0, m = -1, bWords = 1;
  for (let N = 0; N < M; N++) {
    const o = M - 1 - N;
    const base = (o & 31) * stride + (o >>> 5);
    const lw = (L >>> 5) + 1;
    let acc = 0;
    for (let w = 0; w < lw; w++) acc ^= C[w]! & shifted[base + w]!;
    // parity of acc
    acc ^= acc >>> 16; acc ^= acc >>> 8; acc ^= acc >>> 4; acc ^= acc >>> 2; acc ^= acc >>> 1;
    if ((acc & 1) === 0) continue;
    const shift = N - m;
    const sw = shift >>> 5, sb = shift & 31;
    const grow = 2 * L <= N;
    const cw = grow ? (L >>> 5) + 1 : 0;
    if (grow) for (let w = 0; w < cw; w++) T[w] = C[w]!;
    // C ^= B · x^shift (deg stays ≤ max(L, N+1−L) < M+1, inside the nw words)
    if (sb === 0) for (let w = 0; w < bWords; w++) C[w + sw] ^= B[w]!;
    else {
      const rs = 32 - sb;
      let carry = 0;
      for (let w = 0; w < bWords; w++) {
        const x = B[w]!;
        C[w + sw] ^= (x << sb) | carry;
        carry = x >>> rs;
      }
      C[bWords + sw] ^= carry;
    }
    if (grow) {
      L = N + 1 - L;
      m = N;
      for (let w = 0; w < cw; w++) B[w] = T[w]!;
      for (let w = cw; w < bWords; w++) B[w] = 0;
      bWords = cw;
    }
  }
  return L;
}

/** Reusable buffers for berlekampMassey. */
export class BmScratch {
  readonly M: number;
  readonly stride: number;
  readonly C: Int32Array;
  readonly B: Int32Array;
  readonly T: Int32Array;
  readonly rev: Int32Array;
  readonly shifted: Int32Array;
  constructor(M: number) {
    this.M = M;
    const nw = (M >>> 5) + 2;
    this.stride = nw + 2;
    this.C = new Int32Array(nw + 2);
    this.B = new Int32Array(nw + 2);
    this.T = new Int32Array(nw + 2);
    this.rev = new Int32Array(nw + 2);
    this.shifted = new Int32Array(32 * this.stride);
  }
}

// 13 线性复杂度检测
export function linearComplexity(seq: BitSequence, M: number): Outcome {
  const N = Math.floor(seq.n / M);
  if (N < 1) throw new RangeError(`linearComplexity: M=${M} exceeds n=${seq.n}`);
  const sign = M % 2 === 0 ? 1 : -1;
  const mu = M / 2 + (9 + (M % 2 === 0 ? -1 : 1)) / 36 - (M / 3 + 2 / 9) / 2 ** M;
  const nu = new Float64Array(7);
  const sc = new BmScratch(M);
  for (let i = 0; i < N; i++) {
    const L = berlekampMassey(seq, i * M, M, sc);
    const t = sign * (L - mu) + 2 / 9;
    let c: number;
    if (t <= -2.5) c = 0;
    else if (t <= -1.5) c = 1;
    else if (t <= -0.5) c = 2;
    else if (t <= 0.5) c = 3;
    else if (t <= 1.5) c = 4;
    else if (t <= 2.5) c = 5;
    else c = 6;
    nu[c]++;
  }
  let v = 0;
  for (let i = 0; i < 7; i++) { const e = N * LC_PI[i]!; v += (nu[i]! - e) ** 2 / e; }
  return chiOutcome(v, igamc(3, v / 2));
}

/** Expected value and variance of the universal statistic per L (digest §5.5; only L=7 is used by GM/T). */
export const UNIVERSAL_TABLE: Readonly<Record<number, { E: number; variance: number }>> = {
  6: { E: 5.2177052, variance: 2.954 },
  7: { E: 6.1962507, variance: 3.125 },
  8: { E: 7.1836656, variance: 3.238 },
};

// 14 Maurer通用统计检测
export function universal(seq: BitSequence, L: number, Q: number): Outcome {
  const ref = UNIVERSAL_TABLE[L];
  if (!ref) throw new RangeError(`universal: no E/variance for L=${L}`);
  const K = Math.floor(seq.n / L) - Q;
  if (K < 1) throw new RangeError(`universal: n=${seq.n} too short for L=${L}, Q=${Q}`);
  const last = new Float64Array(1 << L);
  const { words } = seq;
  const sh = 32 - L;
  for (let i = 1; i <= Q; i++) last[wordAt(words, (i - 1) * L) >>> sh] = i;
  let sum = 0;
  for (let i = Q + 1; i <= Q + K; i++) {
    const b = wordAt(words, (i - 1) * L) >>> sh;
    sum += Math.log2(i - last[b]!);
    last[b] = i;
  }
  const f = sum / K;
  const c = 0.7 - 0.8 / L + ((4 + 32 / L) * K ** (-3 / L)) / 15;
  const sigma = c * Math.sqrt(ref.variance / K);
  return normalOutcome((f - ref.E) / sigma);
}

/** GM/T threshold constant T² / n (ln 20 as printed in the standard). */
const DFT_LN20 = 2.995732274;

// 15 离散傅立叶检测
export function dft(seq: BitSequence): Outcome {
  const n = seq.n;
  requireBits(seq, 2, 'dft');
  const { words } = seq;
  const mags = halfSpectrumSquared(n, (i) => (words[i >>> 5]! >>> (31 - (i & 31))) & 1, words);
  const t2 = DFT_LN20 * n;
  let n1 = 0;
  for (let j = 0; j < mags.length; j++) if (mags[j]! < t2) n1++;
  const n0 = (0.95 * n) / 2;
  return normalOutcome((n1 - n0) / Math.sqrt((0.95 * 0.05 * n) / 3.8));
}
