// The GM/T 0005-2021 Annex C examples (digest §7.1), the NIST SP 800-22 §2 examples for the shared formulas
// (§7.2), SP 800-22 Appendix B results for data.e where parameters and constants coincide, the discriminators
// that catch NIST-instead-of-GM/T constants, and the building blocks.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fromBytes, fromString, type BitSequence } from './bits.ts';
import * as T from './tests.ts';
import { halfSpectrumSquared, fft } from './fft.ts';

const S128 = fromString('11001100000101010110110001001100111000000000001001001101010100010001001111010110100000001101011111001100111001101101100010110010');
const S100 = fromString('1100100100001111110110101010001000100001011010001100001000110100110001001100011001100010100010111000');
// first 10^6 bits of e, from NIST STS 2.1.2 sts/data/data.e, packed MSB-first (test/fixtures/rng/README.md)
const E = fromBytes(readFileSync(new URL('../../test/fixtures/rng/e.bin', import.meta.url)));

/** Annex C prints 6 decimals: agree to the printed digits. */
function printed(actual: number, expected: number, what: string): void {
  assert.equal(actual.toFixed(6), expected.toFixed(6), `${what}: ${actual}`);
}
function pq(o: T.Outcome, p: number, q: number, what: string): void {
  printed(o.pValue, p, `${what} P`);
  printed(o.qValue, q, `${what} Q`);
}

test('Annex C examples on S128 / S100', () => {
  pq(T.frequency(S128), 0.215925, 0.892038, '单比特频数');
  pq(T.blockFrequency(S100, 10), 0.706438, 0.706438, '块内频数 m=10');
  pq(T.poker(S128, 4), 0.213734, 0.213734, '扑克 m=4');
  const [s1, s2] = T.serial(S128, 2);
  pq(s1, 0.436868, 0.436868, '重叠子序列 m=2 P1');
  pq(s2, 0.723674, 0.723674, '重叠子序列 m=2 P2');
  pq(T.runs(S128), 0.620729, 0.310364, '游程总数');
  pq(T.runsDistribution(S128), 0.970152, 0.970152, '游程分布');
  const [l1, l0] = T.longestRun(S128, 8);
  pq(l1, 0.180598, 0.180598, '块内最大1游程');
  pq(l0, 0.839299, 0.839299, '块内最大0游程');
  pq(T.binaryDerivative(S128, 3), 0.039669, 0.980166, '二元推导 k=3');
  pq(T.autocorrelation(S128, 1), 0.790080, 0.395040, '自相关 d=1');
  const [cf, cb] = T.cumulativeSums(S100);
  pq(cf, 0.219194, 0.219194, '累加和前向');
  pq(cb, 0.114866, 0.114866, '累加和后向');
  pq(T.approximateEntropy(S100, 2), 0.235301, 0.235301, '近似熵 m=2');
  pq(T.dft(S100), 0.654721, 0.327360, '离散傅立叶');
  printed(T.poker(S128, 8).pValue, 0.221829, 'poker m=8 regression value [S]');
});

test('Annex C examples on the first 10^6 bits of e: rank, linear complexity M=1000, universal', () => {
  pq(T.matrixRank(E), 0.307543, 0.307543, '矩阵秩');
  pq(T.linearComplexity(E, 1000), 0.844721, 0.844721, '线性复杂度 M=1000');
  pq(T.universal(E, 7, 1280), 0.282568, 0.141284, 'Maurer通用统计');
});

test('NIST SP 800-22 §2 worked examples (formulas shared with GM/T)', () => {
  printed(T.frequency(fromString('1011010101')).pValue, 0.527089, '2.1.4');
  printed(T.frequency(S100).pValue, 0.109599, '2.1.8');
  printed(T.blockFrequency(fromString('0110011010'), 3).pValue, 0.801252, '2.2.4');
  printed(T.runs(fromString('1001101011')).pValue, 0.147232, '2.3.4');
  printed(T.runs(S100).pValue, 0.500798, '2.3.8');
  printed(T.dft(fromString('1001010011')).pValue, 0.4795, '2.6.4 with GM/T /3.8');
  const [a, b] = T.serial(fromString('0011011101'), 3);
  printed(a.pValue, 0.808792, '2.11.4 P1');
  printed(b.pValue, 0.670320, '2.11.4 P2');
  printed(T.approximateEntropy(fromString('0100110101'), 3).pValue, 0.261961, '2.12.4');
  printed(T.cumulativeSums(fromString('1011010111'))[0].pValue, 0.411659, '2.13.4');
});

test('NIST SP 800-22 rev1a Appendix B results for data.e (tests identical in GM/T)', () => {
  printed(T.frequency(E).pValue, 0.953749, 'frequency');
  printed(T.blockFrequency(E, 128).pValue, 0.211072, 'block frequency M=128');
  printed(T.runs(E).pValue, 0.561917, 'runs');
  const [f, b] = T.cumulativeSums(E);
  printed(f.pValue, 0.669886, 'cusum forward');
  printed(b.pValue, 0.724265, 'cusum reverse');
  const [p1, p2] = T.serial(E, 16);
  printed(p1.pValue, 0.766182, 'serial m=16 P1');
  printed(p2.pValue, 0.462921, 'serial m=16 P2');
  printed(T.approximateEntropy(E, 10).pValue, 0.700073, 'ApEn m=10');
  printed(T.universal(E, 7, 1280).pValue, 0.282568, 'universal');
});

test('discriminators: the NIST variants give different numbers, so a mix-up cannot pass', () => {
  // DFT variance /4 instead of /3.8 would give 0.646355 on S100; we must give 0.654721
  assert.notEqual(T.dft(S100).pValue.toFixed(6), '0.646355');
  // runs distribution without capping gives 0.174032 on S128
  assert.notEqual(T.runsDistribution(S128).pValue.toFixed(6), '0.174032');
  assert.equal(T.runsDistributionK(128), 2);
  assert.equal(T.runsDistributionK(20_000), 9);
  assert.equal(T.runsDistributionK(1_000_000), 15);
  assert.equal(T.LC_PI[0], 0.010417);
  assert.deepEqual([...T.RANK_P], [0.2888, 0.5776, 0.1336]);
});

test('GF(2) rank of 32×32 matrices', () => {
  const id = Uint32Array.from({ length: 32 }, (_, i) => (1 << (31 - i)) >>> 0);
  assert.equal(T.rank32(id.slice()), 32);
  const dup = id.slice();
  dup[5] = dup[9]!;
  assert.equal(T.rank32(dup), 31);
  assert.equal(T.rank32(new Uint32Array(32)), 0);
  const two = new Uint32Array(32).fill(0xdeadbeef);
  two[3] = 0x12345678;
  assert.equal(T.rank32(two), 2);
});

function seqOf(bits: number[]): BitSequence {
  return fromString(bits.join(''));
}

test('Berlekamp–Massey building block', () => {
  const M = 1000;
  assert.equal(T.berlekampMassey(seqOf(new Array(M).fill(0)), 0, M), 0);
  assert.equal(T.berlekampMassey(seqOf([...new Array(M - 1).fill(0), 1]), 0, M), M);
  assert.equal(T.berlekampMassey(seqOf([1, ...new Array(M - 1).fill(0)]), 0, M), 1);
  // an LFSR of degree L (taps chosen at random) has linear complexity ≤ L, = L for a primitive-ish recurrence
  for (const [L, taps] of [[17, [17, 14]], [31, [31, 28]], [89, [89, 51]], [127, [127, 126]], [300, [300, 293, 1]]] as [number, number[]][]) {
    const s: number[] = [];
    for (let i = 0; i < L - 1; i++) s.push(0);
    s.push(1);
    while (s.length < 2 * L + 50) s.push(taps.reduce((acc, t) => acc ^ s[s.length - t]!, 0));
    assert.equal(T.berlekampMassey(seqOf(s), 0, s.length), L, `LFSR degree ${L}`);
  }
  // against the plain O(M²) algorithm on pseudo-random blocks at unaligned offsets
  const rnd = new Uint8Array(4000);
  let x = 12345;
  for (let i = 0; i < rnd.length; i++) { x = (Math.imul(x, 1103515245) + 12345) >>> 0; rnd[i] = x >>> 24; }
  const seq = fromBytes(rnd);
  for (const [start, len] of [[0, 500], [7, 333], [1001, 1000], [31, 64], [5000, 97]] as [number, number][]) {
    const bits: number[] = [];
    for (let i = 0; i < len; i++) bits.push((seq.words[(start + i) >>> 5]! >>> (31 - ((start + i) & 31))) & 1);
    assert.equal(T.berlekampMassey(seq, start, len), plainBM(bits), `BM block ${start}+${len}`);
  }
});

function plainBM(s: number[]): number {
  const n = s.length;
  let c = new Uint8Array(n + 1), b = new Uint8Array(n + 1);
  c[0] = 1; b[0] = 1;
  let L = 0, m = -1;
  for (let N = 0; N < n; N++) {
    let d = s[N]!;
    for (let i = 1; i <= L; i++) d ^= c[i]! & s[N - i]!;
    if (d) {
      const t = c.slice();
      for (let i = 0; i + N - m <= n; i++) c[i + N - m] ^= b[i]!;
      if (2 * L <= N) { L = N + 1 - L; m = N; b = t; }
    }
  }
  return L;
}

test('universal: K = 141 577 blocks at 10^6 bits, L=7 uses E = 6.1962507', () => {
  assert.equal(Math.floor(1_000_000 / 7) - 1280, 141_577);
  assert.equal(T.UNIVERSAL_TABLE[7]!.E, 6.1962507);
  assert.equal(T.UNIVERSAL_TABLE[7]!.variance, 3.125);
});

test('mixed-radix FFT equals the naive DFT for lengths 2^a·3^b·5^c·7', () => {
  for (const n of [1, 2, 3, 4, 5, 6, 8, 10, 12, 20, 25, 40, 50, 60, 100, 125, 250, 7 * 16, 1000]) {
    const re = Float64Array.from({ length: n }, (_, i) => Math.sin(i * 1.7) + (i % 3));
    const im = Float64Array.from({ length: n }, (_, i) => Math.cos(i * 0.3));
    const [R, I] = fft(re, im);
    for (let j = 0; j < n; j++) {
      let sr = 0, si = 0;
      for (let k = 0; k < n; k++) {
        const a = (-2 * Math.PI * ((j * k) % n)) / n;
        sr += re[k]! * Math.cos(a) - im[k]! * Math.sin(a);
        si += re[k]! * Math.sin(a) + im[k]! * Math.cos(a);
      }
      assert.ok(Math.abs(R[j]! - sr) < 1e-9 * n && Math.abs(I[j]! - si) < 1e-9 * n, `n=${n} j=${j}`);
    }
  }
  // the real-input half spectrum agrees with the complex transform
  for (const n of [10, 100, 2000, 20_000]) {
    const bits = Array.from({ length: n }, (_, i) => ((i * 2654435761) >>> 13) & 1);
    const half = halfSpectrumSquared(n, (i) => bits[i]!);
    const [R, I] = fft(Float64Array.from(bits, (b) => 2 * b - 1), new Float64Array(n));
    for (let j = 0; j < n / 2; j++) assert.ok(Math.abs(half[j]! - (R[j]! ** 2 + I[j]! ** 2)) < 1e-6 * n, `n=${n} j=${j}`);
  }
});

test('tests reject sequences too short for their parameters', () => {
  assert.throws(() => T.blockFrequency(S100, 1000), RangeError);
  assert.throws(() => T.longestRun(S100, 7), /no GM\/T table/);
  assert.throws(() => T.matrixRank(S100), RangeError);
  assert.throws(() => T.universal(S100, 7, 1280), RangeError);
  assert.throws(() => T.serial(S100, 1), RangeError);
});
