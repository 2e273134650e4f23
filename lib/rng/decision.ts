/**
 * Sample-level decision rules of GM/T 0005-2021 clause 6: pass count per item (6.2), Q-value uniformity per item
 * (6.3) and the group verdict (6.4).
 */
import { igamc } from './special.ts';

/** Minimum number of passing sequences: t(s) = ⌈s(1 − α − 3√(α(1 − α)/s))⌉ (981 for s = 1000, α = 0.01). */
export function passThreshold(s: number, alpha = 0.01): number {
  const x = s * (1 - alpha - 3 * Math.sqrt((alpha * (1 - alpha)) / s));
  // guard against x landing a rounding error above an integer (e.g. 97.00000000000001)
  const r = Math.round(x);
  return Math.abs(x - r) < 1e-9 ? r : Math.ceil(x);
}

export interface Uniformity {
  /** counts of Q in [0,0.1), …, [0.9,1.0] (Q = 1 goes to the last bin) */
  readonly bins: number[];
  readonly statistic: number;
  readonly pT: number;
}

/** χ² uniformity of Q-values over 10 equal bins: P_T = igamc(9/2, V/2). */
export function uniformity(qValues: ArrayLike<number>): Uniformity {
  const bins = new Array<number>(10).fill(0);
  const s = qValues.length;
  for (let i = 0; i < s; i++) {
    const q = qValues[i]!;
    let b = Math.floor(q * 10);
    if (b > 9) b = 9;
    if (b < 0 || Number.isNaN(b)) b = 0;
    bins[b]!++;
  }
  let v = 0;
  const e = s / 10;
  for (const f of bins) v += ((f - e) * (f - e)) / e;
  return { bins, statistic: v, pT: s > 0 ? igamc(4.5, v / 2) : 0 };
}

export interface ItemVerdict {
  readonly passCount: number;
  readonly threshold: number;
  readonly passedCount: boolean;
  readonly bins: number[];
  readonly pT: number;
  readonly passedUniformity: boolean;
  readonly passed: boolean;
}

/** Applies 6.2 and 6.3 to one item's P- and Q-values over the sample. */
export function judgeItem(pValues: ArrayLike<number>, qValues: ArrayLike<number>, alpha = 0.01, alphaT = 0.0001): ItemVerdict {
  const s = pValues.length;
  let passCount = 0;
  for (let i = 0; i < s; i++) if (pValues[i]! >= alpha) passCount++;
  const threshold = passThreshold(s, alpha);
  const u = uniformity(qValues);
  const passedCount = passCount >= threshold;
  const passedUniformity = u.pT >= alphaT;
  return { passCount, threshold, passedCount, bins: u.bins, pT: u.pT, passedUniformity, passed: passedCount && passedUniformity };
}
