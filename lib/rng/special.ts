/**
 * Special functions for the P-values, ported from the Cephes Math Library (S. L. Moshier, release 2.8):
 * `lgam`, `igam`, `igamc` (igam.c) and `erf`, `erfc` (ndtr.c). Cephes is what NIST STS and most GM/T 0005
 * tools use, so P-values agree with them to double precision, not just to the six printed digits.
 * Only the positive-argument branches are needed here (a > 0, x ≥ 0).
 */

const MACHEP = 1.11022302462515654042e-16;
const MAXLOG = 7.09782712893383996843e2;
const BIG = 4.503599627370496e15;
const BIGINV = 2.22044604925031308085e-16;

function polevl(x: number, coef: readonly number[]): number {
  let ans = coef[0]!;
  for (let i = 1; i < coef.length; i++) ans = ans * x + coef[i]!;
  return ans;
}

/** Like polevl with an implicit leading coefficient 1. */
function p1evl(x: number, coef: readonly number[]): number {
  let ans = x + coef[0]!;
  for (let i = 1; i < coef.length; i++) ans = ans * x + coef[i]!;
  return ans;
}

const LG_A = [8.11614167470508450300e-4, -5.95061904284301438324e-4, 7.93650340457716943945e-4, -2.77777777730099687205e-3, 8.33333333333331927722e-2];
const LG_B = [-1.37825152569120859100e3, -3.88016315134637840924e4, -3.31612992738871184744e5, -1.16237097492762307383e6, -1.72173700820839662146e6, -8.53555664245765465627e5];
const LG_C = [-3.51815701436523470549e2, -1.70642106651881159223e4, -2.20528590553854454839e5, -1.13933444367982507207e6, -2.53252307177582951285e6, -2.01889141433532773231e6];
const LS2PI = 0.91893853320467274178;

/** ln Γ(x) for x > 0 (Cephes lgam). */
export function lgam(x: number): number {
  if (!(x > 0)) throw new RangeError(`lgam: x must be > 0 (got ${x})`);
  if (x < 13.0) {
    let z = 1.0;
    let p = 0.0;
    let u = x;
    while (u >= 3.0) {
      p -= 1.0;
      u = x + p;
      z *= u;
    }
    while (u < 2.0) {
      z /= u;
      p += 1.0;
      u = x + p;
    }
    if (z < 0) z = -z;
    if (u === 2.0) return Math.log(z);
    p -= 2.0;
    const xx = x + p;
    const r = (xx * polevl(xx, LG_B)) / p1evl(xx, LG_C);
    return Math.log(z) + r;
  }
  let q = (x - 0.5) * Math.log(x) - x + LS2PI;
  if (x > 1.0e8) return q;
  const p = 1.0 / (x * x);
  if (x >= 1000.0) q += ((7.9365079365079365079365e-4 * p - 2.7777777777777777777778e-3) * p + 0.0833333333333333333333) / x;
  else q += polevl(p, LG_A) / x;
  return q;
}

/** Regularised lower incomplete gamma P(a, x) (Cephes igam). */
export function igam(a: number, x: number): number {
  if (x <= 0 || a <= 0) return 0.0;
  if (x > 1.0 && x > a) return 1.0 - igamc(a, x);
  let ax = a * Math.log(x) - x - lgam(a);
  if (ax < -MAXLOG) return 0.0;
  ax = Math.exp(ax);
  let r = a;
  let c = 1.0;
  let ans = 1.0;
  do {
    r += 1.0;
    c *= x / r;
    ans += c;
  } while (c / ans > MACHEP);
  return (ans * ax) / a;
}

/** Regularised upper incomplete gamma Q(a, x) = 1 − P(a, x) (Cephes igamc): the χ² tail used by the tests. */
export function igamc(a: number, x: number): number {
  if (Number.isNaN(a) || Number.isNaN(x)) return Number.NaN;
  if (x <= 0 || a <= 0) return 1.0;
  if (x < 1.0 || x < a) return 1.0 - igam(a, x);
  let ax = a * Math.log(x) - x - lgam(a);
  if (ax < -MAXLOG) return 0.0; // underflow: a hopeless generator, P is 0 to double precision
  ax = Math.exp(ax);
  // continued fraction
  let y = 1.0 - a;
  let z = x + y + 1.0;
  let c = 0.0;
  let pkm2 = 1.0;
  let qkm2 = x;
  let pkm1 = x + 1.0;
  let qkm1 = z * x;
  let ans = pkm1 / qkm1;
  let t: number;
  do {
    c += 1.0;
    y += 1.0;
    z += 2.0;
    const yc = y * c;
    const pk = pkm1 * z - pkm2 * yc;
    const qk = qkm1 * z - qkm2 * yc;
    if (qk !== 0) {
      const r = pk / qk;
      t = Math.abs((ans - r) / r);
      ans = r;
    } else t = 1.0;
    pkm2 = pkm1;
    pkm1 = pk;
    qkm2 = qkm1;
    qkm1 = qk;
    if (Math.abs(pk) > BIG) {
      pkm2 *= BIGINV;
      pkm1 *= BIGINV;
      qkm2 *= BIGINV;
      qkm1 *= BIGINV;
    }
  } while (t > MACHEP);
  return ans * ax;
}

const ERF_P = [2.46196981473530512524e-10, 5.64189564831068821977e-1, 7.46321056442269912687e0, 4.86371970985681366614e1, 1.96520832956077098242e2, 5.26445194995477358631e2, 9.34528527171957607540e2, 1.02755188689515710272e3, 5.57535335369399327526e2];
const ERF_Q = [1.32281951154744992508e1, 8.67072140885989742329e1, 3.54937778887819891062e2, 9.75708501743205489753e2, 1.82390916687909736289e3, 2.24633760818710981792e3, 1.65666309194161350182e3, 5.57535340817727675546e2];
const ERF_R = [5.64189583547755073984e-1, 1.27536670759978104416e0, 5.01905042251180477414e0, 6.16021097993053585195e0, 7.40974269950448939160e0, 2.97886665372100240670e0];
const ERF_S = [2.26052863220117276590e0, 9.39603524938001434673e0, 1.20489539808096656605e1, 1.70814450747565897222e1, 9.60896809063285878198e0, 3.36907645100081516050e0];
const ERF_T = [9.60497373987051638749e0, 9.00260197203842689217e1, 2.23200534594684319226e3, 7.00332514112805075473e3, 5.55923013010394962768e4];
const ERF_U = [3.35617141647503099647e1, 5.21357949780152679795e2, 4.59432382970980127987e3, 2.26290000613890934246e4, 4.92673942608635921086e4];

/** Error function (Cephes erf). */
export function erf(x: number): number {
  if (Math.abs(x) > 1.0) return 1.0 - erfc(x);
  const z = x * x;
  return (x * polevl(z, ERF_T)) / p1evl(z, ERF_U);
}

/** Complementary error function (Cephes erfc), accurate in the far tail where 1 − erf would cancel. */
export function erfc(a: number): number {
  if (Number.isNaN(a)) return Number.NaN;
  const x = Math.abs(a);
  if (x < 1.0) return 1.0 - erf(a);
  const z0 = -a * a;
  if (z0 < -MAXLOG) return a < 0 ? 2.0 : 0.0;
  const z = Math.exp(z0);
  let p: number;
  let q: number;
  if (x < 8.0) {
    p = polevl(x, ERF_P);
    q = p1evl(x, ERF_Q);
  } else {
    p = polevl(x, ERF_R);
    q = p1evl(x, ERF_S);
  }
  let y = (z * p) / q;
  if (a < 0) y = 2.0 - y;
  if (y === 0) return a < 0 ? 2.0 : 0.0;
  return y;
}

/** Standard normal CDF Φ(x). */
export function normalCdf(x: number): number {
  return 0.5 * erfc(-x / Math.SQRT2);
}
