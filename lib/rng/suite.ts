/**
 * Runs every item of a length profile on one sequence. Tests that serve several items run once (e.g. serial P1
 * and P2, longest run of 1 and 0), and serial and approximate entropy share one cyclic pattern count.
 */
import { type BitSequence, fromBytes, fromWords } from './bits.ts';
import { type ItemSpec, type LengthProfile, profileFor } from './params.ts';
import * as T from './tests.ts';

export interface ItemResult {
  readonly id: string;
  readonly name: string;
  readonly nameZh: string;
  readonly params: Readonly<Record<string, number>>;
  readonly statistic: number;
  readonly pValue: number;
  readonly qValue: number;
  /** P ≥ α */
  readonly passed: boolean;
}

export interface SequenceResult {
  readonly nBits: number;
  readonly alpha: number;
  readonly items: ItemResult[];
  readonly passed: boolean;
}

export interface SequenceOptions {
  /** significance level α (default 0.01) */
  alpha?: number;
  /** parameter profile; default: the Annex A profile for nBits */
  profile?: LengthProfile;
  /** only these item ids (default: all of the profile) */
  only?: readonly string[];
}

/** Converts packed input (Uint32Array words or MSB-first bytes) to a BitSequence of nBits. */
export function toSequence(bits: Uint32Array | Uint8Array | BitSequence, nBits?: number): BitSequence {
  if (bits instanceof Uint32Array) return fromWords(bits, nBits ?? bits.length * 32);
  if (bits instanceof Uint8Array) return fromBytes(bits, nBits ?? bits.length * 8);
  if (nBits !== undefined && nBits !== bits.n) return fromWords(bits.words, nBits);
  return bits;
}

export function resolveProfile(nBits: number, profile?: LengthProfile): LengthProfile {
  const p = profile ?? profileFor(nBits);
  if (!p) throw new RangeError(`no GM/T 0005 parameter profile for ${nBits}-bit sequences (Annex A defines 20000, 1000000 and, unverified, 100000000); pass an explicit profile`);
  if (p.nBits !== nBits) throw new RangeError(`profile is for ${p.nBits}-bit sequences, sequence has ${nBits}`);
  return p;
}

/** Computes the outcomes of the given items on seq, in item order. */
export function runItems(seq: BitSequence, items: readonly ItemSpec[]): T.Outcome[] {
  const cache = new Map<string, T.Outcome[]>();
  let patternCounts: Float64Array[] | undefined;
  const needM = Math.max(
    0,
    ...items.filter((i) => i.test === 'serial').map((i) => i.params.m!),
    ...items.filter((i) => i.test === 'approximateEntropy').map((i) => i.params.m! + 1),
  );
  const counts = () => (patternCounts ??= T.cyclicPatternCounts(seq, needM));
  const run = (it: ItemSpec): T.Outcome[] => {
    const p = it.params;
    switch (it.test) {
      case 'frequency': return [T.frequency(seq)];
      case 'blockFrequency': return [T.blockFrequency(seq, p.m!)];
      case 'poker': return [T.poker(seq, p.m!)];
      case 'serial': return T.serial(seq, p.m!, counts());
      case 'runs': return [T.runs(seq)];
      case 'runsDistribution': return [T.runsDistribution(seq)];
      case 'longestRun': return T.longestRun(seq, p.M!);
      case 'binaryDerivative': return [T.binaryDerivative(seq, p.k!)];
      case 'autocorrelation': return [T.autocorrelation(seq, p.d!)];
      case 'matrixRank': return [T.matrixRank(seq)];
      case 'cumulativeSums': return T.cumulativeSums(seq);
      case 'approximateEntropy': return [T.approximateEntropy(seq, p.m!, counts())];
      case 'linearComplexity': return [T.linearComplexity(seq, p.M!)];
      case 'universal': return [T.universal(seq, p.L!, p.Q!)];
      case 'dft': return [T.dft(seq)];
    }
  };
  return items.map((it) => {
    const key = it.test + JSON.stringify(it.params);
    let r = cache.get(key);
    if (!r) { r = run(it); cache.set(key, r); }
    return r[it.output]!;
  });
}

/** Selects the profile's items (all, or `only`), failing on unknown ids. */
export function selectItems(profile: LengthProfile, only?: readonly string[]): ItemSpec[] {
  if (!only) return [...profile.items];
  const known = new Map(profile.items.map((i) => [i.id, i]));
  return only.map((id) => {
    const it = known.get(id);
    if (!it) throw new RangeError(`unknown item ${JSON.stringify(id)} for ${profile.nBits}-bit sequences; known: ${[...known.keys()].join(', ')}`);
    return it;
  });
}

/** All items of the profile on one sequence. */
export function testSequence(bits: Uint32Array | Uint8Array | BitSequence, nBits?: number, opts: SequenceOptions = {}): SequenceResult {
  const seq = toSequence(bits, nBits);
  const alpha = opts.alpha ?? 0.01;
  const items = selectItems(resolveProfile(seq.n, opts.profile), opts.only);
  const outcomes = runItems(seq, items);
  const results = items.map((it, i) => {
    const o = outcomes[i]!;
    return { id: it.id, name: it.name, nameZh: it.nameZh, params: it.params, statistic: o.statistic, pValue: o.pValue, qValue: o.qValue, passed: o.pValue >= alpha };
  });
  return { nBits: seq.n, alpha, items: results, passed: results.every((r) => r.passed) };
}
