/**
 * GM/T 0005-2021 Annex A parameters as data: one profile per sequence length, one entry per item (a test with
 * one parameter value and one of its P-values). 2×10^4 and 10^6 are confirmed against the standard's tables
 * and examples ('GM/T 0005-2021 Annex A'); the 10^8 column differs between public transcriptions and is flagged
 * 'unverified' until checked against the printed Annex A (digest §3, §10).
 */

export type TestId =
  | 'frequency' | 'blockFrequency' | 'poker' | 'serial' | 'runs' | 'runsDistribution' | 'longestRun'
  | 'binaryDerivative' | 'autocorrelation' | 'matrixRank' | 'cumulativeSums' | 'approximateEntropy'
  | 'linearComplexity' | 'universal' | 'dft';

export type Basis = 'GM/T 0005-2021 Annex A' | 'unverified';

/** One reported item: its P-value is `output` of the test run with `params`. */
export interface ItemSpec {
  /** stable identifier, e.g. 'serial:m=5:P2' */
  readonly id: string;
  readonly test: TestId;
  /** GM/T clause number of the test (5.1 … 5.15) */
  readonly clause: string;
  readonly name: string;
  readonly nameZh: string;
  readonly params: Readonly<Record<string, number>>;
  /** which of the test's P-values (0 for single-output tests) */
  readonly output: number;
  readonly basis: Basis;
}

export interface LengthProfile {
  readonly nBits: number;
  readonly basis: Basis;
  readonly items: readonly ItemSpec[];
}

const TESTS: Record<TestId, { clause: string; name: string; nameZh: string; outputs: string[] }> = {
  frequency: { clause: '5.1', name: 'Frequency (monobit)', nameZh: '单比特频数检测', outputs: [''] },
  blockFrequency: { clause: '5.2', name: 'Frequency within a block', nameZh: '块内频数检测', outputs: [''] },
  poker: { clause: '5.3', name: 'Poker', nameZh: '扑克检测', outputs: [''] },
  serial: { clause: '5.4', name: 'Serial (overlapping subsequences)', nameZh: '重叠子序列检测', outputs: ['P1', 'P2'] },
  runs: { clause: '5.5', name: 'Runs', nameZh: '游程总数检测', outputs: [''] },
  runsDistribution: { clause: '5.6', name: 'Runs distribution', nameZh: '游程分布检测', outputs: [''] },
  longestRun: { clause: '5.7', name: 'Longest run in a block', nameZh: '块内最大游程检测', outputs: ['ones', 'zeros'] },
  binaryDerivative: { clause: '5.8', name: 'Binary derivative', nameZh: '二元推导检测', outputs: [''] },
  autocorrelation: { clause: '5.9', name: 'Autocorrelation', nameZh: '自相关检测', outputs: [''] },
  matrixRank: { clause: '5.10', name: 'Binary matrix rank', nameZh: '矩阵秩检测', outputs: [''] },
  cumulativeSums: { clause: '5.11', name: 'Cumulative sums', nameZh: '累加和检测', outputs: ['forward', 'backward'] },
  approximateEntropy: { clause: '5.12', name: 'Approximate entropy', nameZh: '近似熵检测', outputs: [''] },
  linearComplexity: { clause: '5.13', name: 'Linear complexity', nameZh: '线性复杂度检测', outputs: [''] },
  universal: { clause: '5.14', name: "Maurer's universal statistical", nameZh: 'Maurer通用统计检测', outputs: [''] },
  dft: { clause: '5.15', name: 'Discrete Fourier transform', nameZh: '离散傅立叶检测', outputs: [''] },
};

const OUTPUT_ZH: Record<string, string> = { P1: 'P1', P2: 'P2', ones: '（"1"游程）', zeros: '（"0"游程）', forward: '（前向）', backward: '（后向）' };

/** Expands (test, parameter sets) into items, one per parameter value and output. */
function items(basis: Basis, spec: [TestId, Record<string, number>[]?][]): ItemSpec[] {
  const out: ItemSpec[] = [];
  for (const [test, paramSets] of spec) {
    const t = TESTS[test];
    for (const params of paramSets ?? [{}]) {
      t.outputs.forEach((o, output) => {
        const p = Object.entries(params).map(([k, v]) => `${k}=${v}`);
        const id = [test, ...p, ...(o ? [o] : [])].join(':');
        const suffix = [p.join(','), o].filter(Boolean).join(' ');
        out.push({
          id, test, clause: t.clause, params, output, basis,
          name: suffix ? `${t.name} (${suffix})` : t.name,
          nameZh: t.nameZh + (p.length ? `（${p.join(',')}）` : '') + (o ? OUTPUT_ZH[o] ?? o : ''),
        });
      });
    }
  }
  return out;
}

const ANNEX_A: Basis = 'GM/T 0005-2021 Annex A';

/** Annex A, 2×10^4 bits: 12 tests, 22 items (no rank, linear complexity, universal). */
const P20K: LengthProfile = {
  nBits: 20_000,
  basis: ANNEX_A,
  items: items(ANNEX_A, [
    ['frequency'],
    ['blockFrequency', [{ m: 1000 }]],
    ['poker', [{ m: 4 }, { m: 8 }]],
    ['serial', [{ m: 3 }, { m: 5 }]],
    ['runs'],
    ['runsDistribution'],
    ['longestRun', [{ M: 128 }]],
    ['binaryDerivative', [{ k: 3 }, { k: 7 }]],
    ['autocorrelation', [{ d: 2 }, { d: 8 }, { d: 16 }]],
    ['cumulativeSums'],
    ['approximateEntropy', [{ m: 2 }, { m: 5 }]],
    ['dft'],
  ]),
};

/** Annex A, 10^6 bits: 15 tests, 27 items. */
const P1M: LengthProfile = {
  nBits: 1_000_000,
  basis: ANNEX_A,
  items: items(ANNEX_A, [
    ['frequency'],
    ['blockFrequency', [{ m: 10_000 }]],
    ['poker', [{ m: 4 }, { m: 8 }]],
    ['serial', [{ m: 3 }, { m: 5 }]],
    ['runs'],
    ['runsDistribution'],
    ['longestRun', [{ M: 10_000 }]],
    ['binaryDerivative', [{ k: 3 }, { k: 7 }]],
    ['autocorrelation', [{ d: 1 }, { d: 2 }, { d: 8 }, { d: 16 }]],
    ['matrixRank'],
    ['cumulativeSums'],
    ['approximateEntropy', [{ m: 2 }, { m: 5 }]],
    ['linearComplexity', [{ M: 500 }, { M: 1000 }]],
    ['universal', [{ L: 7, Q: 1280 }]],
    ['dft'],
  ]),
};

/**
 * 10^8 bits — UNVERIFIED: transcriptions disagree on block-frequency m (10^6 vs 10^5), serial m=7, ApEn m and
 * autocorrelation d=32. This is one reading; confirm against the printed Annex A before relying on it.
 */
const UNVERIFIED: Basis = 'unverified';
const P100M: LengthProfile = {
  nBits: 100_000_000,
  basis: UNVERIFIED,
  items: items(UNVERIFIED, [
    ['frequency'],
    ['blockFrequency', [{ m: 1_000_000 }]],
    ['poker', [{ m: 4 }, { m: 8 }]],
    ['serial', [{ m: 3 }, { m: 5 }, { m: 7 }]],
    ['runs'],
    ['runsDistribution'],
    ['longestRun', [{ M: 10_000 }]],
    ['binaryDerivative', [{ k: 3 }, { k: 7 }, { k: 15 }]],
    ['autocorrelation', [{ d: 1 }, { d: 2 }, { d: 8 }, { d: 16 }, { d: 32 }]],
    ['matrixRank'],
    ['cumulativeSums'],
    ['approximateEntropy', [{ m: 5 }, { m: 7 }]],
    ['linearComplexity', [{ M: 5000 }]],
    ['universal', [{ L: 7, Q: 1280 }]],
    ['dft'],
  ]),
};

export const PROFILES: Readonly<Record<number, LengthProfile>> = { 20_000: P20K, 1_000_000: P1M, 100_000_000: P100M };

/** The profile for a sequence length, or undefined if Annex A defines none. */
export function profileFor(nBits: number): LengthProfile | undefined {
  return PROFILES[nBits];
}

/** Builds an ad-hoc profile from explicit (test, params) pairs — for examples and non-standard lengths. */
export function customProfile(nBits: number, spec: [TestId, Record<string, number>[]?][]): LengthProfile {
  return { nBits, basis: UNVERIFIED, items: items(UNVERIFIED, spec) };
}

export const TEST_INFO = TESTS;
