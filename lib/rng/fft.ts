/**
 * Exact n-point DFT magnitudes for the spectral test. GM/T 0005 needs the transform of the full sequence length
 * (10^6 = 2^6·5^6, 2×10^4 = 2^5·5^4): zero-padding to a power of two would change the statistic. So this is a
 * mixed-radix (4/2/5, generic odd primes as a fallback) Stockham autosort FFT, with a real input folded into a
 * half-length complex transform. Plans (twiddle tables, scratch buffers) are cached per length.
 */

interface Plan {
  readonly size: number; // complex length N
  readonly radices: number[];
  readonly cos: Float64Array; // cos(2πk/N), k < N
  readonly sin: Float64Array;
  readonly xr: Float64Array;
  readonly xi: Float64Array;
  readonly yr: Float64Array;
  readonly yi: Float64Array;
}

const plans = new Map<number, Plan>();

function factor(n: number): number[] {
  const r: number[] = [];
  while (n % 4 === 0) { r.push(4); n /= 4; }
  while (n % 2 === 0) { r.push(2); n /= 2; }
  for (let p = 3; n > 1; p += 2) {
    while (n % p === 0) { r.push(p); n /= p; }
    if (p * p > n && n > 1) { r.push(n); break; }
  }
  return r;
}

function plan(size: number): Plan {
  let p = plans.get(size);
  if (p) return p;
  const cos = new Float64Array(size);
  const sin = new Float64Array(size);
  for (let k = 0; k < size; k++) {
    const a = (2 * Math.PI * k) / size;
    cos[k] = Math.cos(a);
    sin[k] = Math.sin(a);
  }
  p = { size, radices: factor(size), cos, sin, xr: new Float64Array(size), xi: new Float64Array(size), yr: new Float64Array(size), yi: new Float64Array(size) };
  if (plans.size > 8) plans.clear();
  plans.set(size, p);
  return p;
}

const C5_1 = Math.cos((2 * Math.PI) / 5);
const C5_2 = Math.cos((4 * Math.PI) / 5);
const S5_1 = Math.sin((2 * Math.PI) / 5);
const S5_2 = Math.sin((4 * Math.PI) / 5);

/**
 * In-place forward DFT X_j = Σ x_k e^{−2πijk/N} of (re, im), length N = plan size. Uses the plan's scratch,
 * so the input arrays must be the plan's xr/xi; returns whichever pair holds the result.
 */
function transform(p: Plan): [Float64Array, Float64Array] {
  const N = p.size;
  let xr = p.xr, xi = p.xi, yr = p.yr, yi = p.yi;
  const { cos, sin } = p;
  let n = N;
  let s = 1;
  for (const radix of p.radices) {
    const m = n / radix;
    const tstep = N / n; // twiddle w_n^{jq} = W_N^{jq·N/n}
    if (radix === 4) {
      for (let q = 0; q < m; q++) {
        const t1 = q * tstep, t2 = 2 * t1, t3 = 3 * t1;
        const w1r = cos[t1]!, w1i = -sin[t1]!, w2r = cos[t2]!, w2i = -sin[t2]!, w3r = cos[t3]!, w3i = -sin[t3]!;
        for (let r = 0; r < s; r++) {
          const i0 = r + s * q, i1 = i0 + s * m, i2 = i1 + s * m, i3 = i2 + s * m;
          const a0r = xr[i0]!, a0i = xi[i0]!, a1r = xr[i1]!, a1i = xi[i1]!, a2r = xr[i2]!, a2i = xi[i2]!, a3r = xr[i3]!, a3i = xi[i3]!;
          const s02r = a0r + a2r, s02i = a0i + a2i, d02r = a0r - a2r, d02i = a0i - a2i;
          const s13r = a1r + a3r, s13i = a1i + a3i, d13r = a1r - a3r, d13i = a1i - a3i;
          const o = r + s * 4 * q;
          yr[o] = s02r + s13r; yi[o] = s02i + s13i;
          // b1 = d02 − i·d13, b2 = s02 − s13, b3 = d02 + i·d13
          const b1r = d02r + d13i, b1i = d02i - d13r;
          const b2r = s02r - s13r, b2i = s02i - s13i;
          const b3r = d02r - d13i, b3i = d02i + d13r;
          yr[o + s] = b1r * w1r - b1i * w1i; yi[o + s] = b1r * w1i + b1i * w1r;
          yr[o + 2 * s] = b2r * w2r - b2i * w2i; yi[o + 2 * s] = b2r * w2i + b2i * w2r;
          yr[o + 3 * s] = b3r * w3r - b3i * w3i; yi[o + 3 * s] = b3r * w3i + b3i * w3r;
        }
      }
    } else if (radix === 2) {
      for (let q = 0; q < m; q++) {
        const t1 = q * tstep;
        const wr = cos[t1]!, wi = -sin[t1]!;
        for (let r = 0; r < s; r++) {
          const i0 = r + s * q, i1 = i0 + s * m;
          const ar = xr[i0]!, ai = xi[i0]!, br = xr[i1]!, bi = xi[i1]!;
          const o = r + s * 2 * q;
          yr[o] = ar + br; yi[o] = ai + bi;
          const dr = ar - br, di = ai - bi;
          yr[o + s] = dr * wr - di * wi; yi[o + s] = dr * wi + di * wr;
        }
      }
    } else if (radix === 5) {
      for (let q = 0; q < m; q++) {
        const t1 = q * tstep;
        const w1r = cos[t1]!, w1i = -sin[t1]!, w2r = cos[2 * t1]!, w2i = -sin[2 * t1]!;
        const w3r = cos[3 * t1]!, w3i = -sin[3 * t1]!, w4r = cos[4 * t1]!, w4i = -sin[4 * t1]!;
        for (let r = 0; r < s; r++) {
          const i0 = r + s * q, sm = s * m;
          const a0r = xr[i0]!, a0i = xi[i0]!;
          const a1r = xr[i0 + sm]!, a1i = xi[i0 + sm]!;
          const a2r = xr[i0 + 2 * sm]!, a2i = xi[i0 + 2 * sm]!;
          const a3r = xr[i0 + 3 * sm]!, a3i = xi[i0 + 3 * sm]!;
          const a4r = xr[i0 + 4 * sm]!, a4i = xi[i0 + 4 * sm]!;
          const t1r = a1r + a4r, t1i = a1i + a4i, t2r = a2r + a3r, t2i = a2i + a3i;
          const t3r = a1r - a4r, t3i = a1i - a4i, t4r = a2r - a3r, t4i = a2i - a3i;
          const o = r + s * 5 * q;
          yr[o] = a0r + t1r + t2r; yi[o] = a0i + t1i + t2i;
          const Ar = a0r + C5_1 * t1r + C5_2 * t2r, Ai = a0i + C5_1 * t1i + C5_2 * t2i;
          const Br = S5_1 * t3r + S5_2 * t4r, Bi = S5_1 * t3i + S5_2 * t4i;
          const Cr = a0r + C5_2 * t1r + C5_1 * t2r, Ci = a0i + C5_2 * t1i + C5_1 * t2i;
          const Dr = S5_2 * t3r - S5_1 * t4r, Di = S5_2 * t3i - S5_1 * t4i;
          // b1 = A − iB, b4 = A + iB, b2 = C − iD, b3 = C + iD
          const b1r = Ar + Bi, b1i = Ai - Br, b4r = Ar - Bi, b4i = Ai + Br;
          const b2r = Cr + Di, b2i = Ci - Dr, b3r = Cr - Di, b3i = Ci + Dr;
          yr[o + s] = b1r * w1r - b1i * w1i; yi[o + s] = b1r * w1i + b1i * w1r;
          yr[o + 2 * s] = b2r * w2r - b2i * w2i; yi[o + 2 * s] = b2r * w2i + b2i * w2r;
          yr[o + 3 * s] = b3r * w3r - b3i * w3i; yi[o + 3 * s] = b3r * w3i + b3i * w3r;
          yr[o + 4 * s] = b4r * w4r - b4i * w4i; yi[o + 4 * s] = b4r * w4i + b4i * w4r;
        }
      }
    } else {
      // generic odd prime radix: direct DFT of each group of `radix` points
      const ar = new Float64Array(radix), ai = new Float64Array(radix);
      const rstep = N / radix;
      for (let q = 0; q < m; q++) {
        for (let r = 0; r < s; r++) {
          for (let k = 0; k < radix; k++) { ar[k] = xr[r + s * (q + m * k)]!; ai[k] = xi[r + s * (q + m * k)]!; }
          for (let j = 0; j < radix; j++) {
            let br = 0, bi = 0;
            for (let k = 0; k < radix; k++) {
              const t = ((j * k) % radix) * rstep;
              const c = cos[t]!, sn = -sin[t]!;
              br += ar[k]! * c - ai[k]! * sn;
              bi += ar[k]! * sn + ai[k]! * c;
            }
            const t = j * q * tstep;
            const wr = cos[t]!, wi = -sin[t]!;
            const o = r + s * (radix * q + j);
            yr[o] = br * wr - bi * wi;
            yi[o] = br * wi + bi * wr;
          }
        }
      }
    }
    [xr, yr] = [yr, xr];
    [xi, yi] = [yi, xi];
    n = m;
    s *= radix;
  }
  return [xr, xi];
}

/** Complex forward DFT of length re.length (any length; fastest for 2^a·5^b). Returns new arrays. */
export function fft(re: Float64Array, im: Float64Array): [Float64Array, Float64Array] {
  const p = plan(re.length);
  p.xr.set(re);
  p.xi.set(im);
  const [r, i] = transform(p);
  return [r.slice(), i.slice()];
}

const halfTwiddles = new Map<number, Float64Array>();

/**
 * Squared magnitudes |X_j|², j = 0..⌊n/2⌋−1, of the n-point DFT of the ±1 sequence X_i = 2ε_i − 1.
 * `bit(i)` gives ε_i; `words`, if given, is the same sequence packed MSB-first (read directly, much faster).
 * For even n the real input is packed into an n/2-point complex transform.
 */
export function halfSpectrumSquared(n: number, bit: (i: number) => number, words?: Uint32Array): Float64Array {
  const half = Math.floor(n / 2);
  const out = new Float64Array(half);
  if (n % 2 === 1 || n < 4) {
    const p = plan(n);
    for (let i = 0; i < n; i++) { p.xr[i] = 2 * bit(i) - 1; p.xi[i] = 0; }
    const [r, im] = transform(p);
    for (let j = 0; j < half; j++) out[j] = r[j]! * r[j]! + im[j]! * im[j]!;
    return out;
  }
  const N = half;
  const p = plan(N);
  if (words) {
    // 16 (even, odd) bit pairs per word
    const { xr, xi } = p;
    const full = N >>> 4;
    for (let w = 0, k = 0; w < full; w++) {
      const x = words[w]!;
      for (let b = 30; b >= 0; b -= 2, k++) { xr[k] = ((x >>> (b + 1)) & 1) * 2 - 1; xi[k] = ((x >>> b) & 1) * 2 - 1; }
    }
    for (let k = full << 4; k < N; k++) { xr[k] = 2 * bit(2 * k) - 1; xi[k] = 2 * bit(2 * k + 1) - 1; }
  } else for (let k = 0; k < N; k++) { p.xr[k] = 2 * bit(2 * k) - 1; p.xi[k] = 2 * bit(2 * k + 1) - 1; }
  const [zr, zi] = transform(p);
  let tw = halfTwiddles.get(n);
  if (!tw) {
    tw = new Float64Array(2 * N);
    for (let j = 0; j < N; j++) { const a = (2 * Math.PI * j) / n; tw[2 * j] = Math.cos(a); tw[2 * j + 1] = -Math.sin(a); }
    if (halfTwiddles.size > 8) halfTwiddles.clear();
    halfTwiddles.set(n, tw);
  }
  for (let j = 0; j < N; j++) {
    const k = j === 0 ? 0 : N - j;
    const ar = zr[j]!, ai = zi[j]!, br = zr[k]!, bi = -zi[k]!; // b = conj(Z_{N−j})
    const er = 0.5 * (ar + br), ei = 0.5 * (ai + bi);
    // O = (a − b)/(2i) = −i(a − b)/2
    const or = 0.5 * (ai - bi), oi = -0.5 * (ar - br);
    const wr = tw[2 * j]!, wi = tw[2 * j + 1]!;
    const xr = er + (or * wr - oi * wi), xi = ei + (or * wi + oi * wr);
    out[j] = xr * xr + xi * xi;
  }
  return out;
}
