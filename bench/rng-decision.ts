/**
 * How often does a good generator fail one GM/T 0005-2021 sample group? Runs G groups of s × n bits from
 * crypto.randomBytes through lib/rng and the clause-6 rules, and prints the observed group failure rate beside
 * the binomial estimate for the pass-count rule (6.2) alone. This is the figure behind probes/rng's default
 * `resamples: 2` for quick samples (docs/rng.md).
 *
 *   node --import tsx bench/rng-decision.ts [--groups G] [--sequences S] [--bits N]
 */
import { randomBytes } from 'node:crypto';
import { judgeItem, passThreshold, testSample } from '../lib/rng/index.ts';

function arg(name: string, dflt: number): number {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : dflt;
}
const groups = arg('--groups', 50);
const s = arg('--sequences', 1000);
const n = arg('--bits', 20_000);

function binomialTail(s: number, k: number, p = 0.01): number {
  // P(X ≥ k) for X ~ Bin(s, p)
  let below = 0;
  let pmf = Math.pow(1 - p, s);
  for (let x = 0; x < k; x++) {
    below += pmf;
    pmf *= ((s - x) / (x + 1)) * (p / (1 - p));
  }
  return 1 - below;
}

const t0 = Date.now();
let failedGroups = 0;
let failedCount = 0;
let failedUniformity = 0;
let items = 0;
for (let g = 0; g < groups; g++) {
  function* seqs() {
    for (let i = 0; i < s; i++) yield randomBytes(n / 8);
  }
  const r = await testSample(seqs(), { nBits: n, workers: 0 });
  items = r.items.length;
  const v = r.items.map((_, i) => judgeItem(r.pValues[i]!, r.qValues[i]!));
  if (v.some((x) => !x.passed)) failedGroups++;
  failedCount += v.filter((x) => !x.passedCount).length;
  failedUniformity += v.filter((x) => !x.passedUniformity).length;
}
const t = passThreshold(s);
const perItem = binomialTail(s, s - t + 1);
console.log(`GM/T 0005-2021 clause 6 on a good generator (crypto.randomBytes): ${groups} groups of ${s} × ${n} bits, ${items} items, ${((Date.now() - t0) / 1000).toFixed(1)} s`);
console.log(`  groups failed (6.4):           ${failedGroups}/${groups} = ${((100 * failedGroups) / groups).toFixed(1)} %`);
console.log(`  item failures 6.2 / 6.3:       ${failedCount} / ${failedUniformity} of ${groups * items} item verdicts`);
console.log(`  binomial estimate, 6.2 alone:  per item ${(100 * perItem).toFixed(2)} % (t(${s}) = ${t}); per group ${(100 * (1 - Math.pow(1 - perItem, items))).toFixed(1)} % if items were independent`);
console.log(`  with 2 re-samples (fail only if 3 groups fail): ≈ ${(100 * Math.pow(failedGroups / groups, 3)).toExponential(1)} %`);
