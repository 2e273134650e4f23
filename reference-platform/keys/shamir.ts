import { randomBytes } from 'node:crypto';

/**
 * Shamir secret sharing over GF(2^8) (AES polynomial 0x11b), byte by byte: knowledge splitting for key
 * backups (T/TCGIA 0003-2023 §6.5.3 d, i). A share is x ‖ y[0..len); x ∈ 1..255.
 */
const EXP = new Uint8Array(512);
const LOG = new Uint8Array(256);
{
  let x = 1;
  for (let i = 0; i < 255; i++) {
    EXP[i] = x;
    LOG[x] = i;
    x ^= (x << 1) ^ (x & 0x80 ? 0x11b : 0); // multiply by generator 3
    x &= 0xff;
  }
  for (let i = 255; i < 512; i++) EXP[i] = EXP[i - 255]!;
}
const mul = (a: number, b: number) => (a === 0 || b === 0 ? 0 : EXP[LOG[a]! + LOG[b]!]!);
const div = (a: number, b: number) => {
  if (b === 0) throw new RangeError('division by zero in GF(256)');
  return a === 0 ? 0 : EXP[(LOG[a]! + 255 - LOG[b]!) % 255]!;
};

export function splitSecret(secret: Uint8Array, threshold: number, shares: number): Buffer[] {
  if (!Number.isInteger(threshold) || !Number.isInteger(shares) || threshold < 1 || shares < threshold || shares > 255) throw new RangeError(`cannot split into ${shares} shares with threshold ${threshold}`);
  const coeffs = Array.from(secret, (s) => [s, ...randomBytes(threshold - 1)]);
  return Array.from({ length: shares }, (_, i) => {
    const x = i + 1;
    const out = Buffer.alloc(secret.length + 1);
    out[0] = x;
    coeffs.forEach((c, j) => {
      let y = 0;
      for (let k = c.length - 1; k >= 0; k--) y = mul(y, x) ^ c[k]!; // Horner
      out[j + 1] = y;
    });
    return out;
  });
}

/** Lagrange interpolation at 0 from any `threshold` distinct shares. */
export function combineShares(shares: readonly Uint8Array[]): Buffer {
  if (!shares.length) throw new RangeError('no shares');
  const len = shares[0]!.length - 1;
  const xs = shares.map((s) => s[0]!);
  if (new Set(xs).size !== xs.length || xs.includes(0) || shares.some((s) => s.length !== len + 1)) throw new RangeError('shares must have distinct non-zero x and equal length');
  const out = Buffer.alloc(len);
  for (let j = 0; j < len; j++) {
    let acc = 0;
    for (let i = 0; i < shares.length; i++) {
      let li = 1;
      for (let k = 0; k < shares.length; k++) if (k !== i) li = mul(li, div(xs[k]!, xs[k]! ^ xs[i]!));
      acc ^= mul(shares[i]![j + 1]!, li);
    }
    out[j] = acc;
  }
  return out;
}
