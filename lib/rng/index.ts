/**
 * # lib/rng — GM/T 0005-2021 randomness tests (随机性检测规范)
 *
 * All 15 tests of clause 5 with the Annex A parameters (27 items at 10^6 bits, 22 at 2×10^4; 10^8 flagged
 * unverified), P- and Q-values, and the clause-6 sample rules. Pure: no network, no files (the caller reads).
 *
 * ## Bit layout
 * A sequence is packed MSB-first: ε_1 is the top bit of the first byte / of word 0. Accepts `Uint8Array`
 * (bytes), `Uint32Array` (big-endian words, e.g. from {@link SequenceSplitter}) or {@link BitSequence}.
 *
 * ## One sequence
 * ```ts
 * const r = testSequence(bytes, 1_000_000);           // Annex A profile for 10^6 bits, α = 0.01
 * r.items  // [{ id: 'frequency', name, nameZh, params: {}, statistic, pValue, qValue, passed }, … 27 items]
 * ```
 * Item ids: `frequency`, `blockFrequency:m=10000`, `poker:m=4`, `serial:m=3:P1`, `runs`, `runsDistribution`,
 * `longestRun:M=10000:ones`, `binaryDerivative:k=3`, `autocorrelation:d=1`, `matrixRank`,
 * `cumulativeSums:forward`, `approximateEntropy:m=2`, `linearComplexity:M=500`, `universal:L=7:Q=1280`, `dft`.
 *
 * ## A sample (clause 6)
 * ```ts
 * const r = await testSample(fs.createReadStream(file), { nBits: 1_000_000, sequences: 1000, workers: 2 });
 * r.items  // [{ id, passCount, threshold (981 for s=1000), passedCount, bins, pT, passedUniformity, passed, … }]
 * r.passed // every item passed both the pass-count rule and Q-uniformity (P_T ≥ 0.0001)
 * r.pValues[item][sequence], r.qValues[item][sequence]
 * ```
 * `source` is an AsyncIterable of byte chunks (a file stream; `format: 'bin' | 'ascii'`), or an (async) iterable
 * of packed sequences. Sequences are cut from the stream one at a time and handed to worker threads, so a
 * 1000 × 10^6-bit sample is never in memory twice.
 *
 * ## Single tests and building blocks
 * The test functions (`frequency`, `serial`, `linearComplexity`, …) take a {@link BitSequence} and explicit
 * parameters and return {@link Outcome}s (`statistic`, `pValue`, `qValue`); `igamc`, `erfc` are Cephes ports.
 *
 * ## Input files
 * {@link SequenceSplitter} / {@link parseSequences} parse `bin` (raw bytes) or `ascii` ('0'/'1', whitespace
 * allowed); a bad byte raises {@link RngInputError} with its byte offset.
 */
export { type BitSequence, fromBytes, fromWords, fromString, bitAt } from './bits.ts';
export { igamc, igam, erfc, erf, lgam, normalCdf } from './special.ts';
export {
  type Outcome, frequency, blockFrequency, poker, serial, runs, runsDistribution, runsDistributionK, longestRun,
  binaryDerivative, autocorrelation, matrixRank, rank32, cumulativeSums, approximateEntropy, linearComplexity,
  berlekampMassey, universal, dft, cyclicPatternCounts, LONGEST_RUN_TABLES, RANK_P, LC_PI, UNIVERSAL_TABLE,
} from './tests.ts';
export { type TestId, type Basis, type ItemSpec, type LengthProfile, PROFILES, profileFor, customProfile, TEST_INFO } from './params.ts';
export { type ItemResult, type SequenceResult, type SequenceOptions, testSequence, runItems, toSequence } from './suite.ts';
export { passThreshold, uniformity, judgeItem, type Uniformity, type ItemVerdict } from './decision.ts';
export { type SampleSource, type SampleOptions, type SampleItem, type SampleResult, type PackedSequence, testSample } from './sample.ts';
export { type InputFormat, RngInputError, SequenceSplitter, parseSequences, sniffFormat } from './parse.ts';
