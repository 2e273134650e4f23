/**
 * What sample to take from a random-number source, from a profile object's `options` (kind `rng-source`).
 *
 * GM/T 0005-2021 detection proper is 1000 sequences of 10^6 bits (`sample: full`). That takes minutes, so the
 * default is a quick sample at the standard's shortest Annex A length (2×10^4 bits): the same tests and decision
 * rules on less data. Every finding says which one was run; a quick sample is never reported as the full detection.
 */
import { availableParallelism } from 'node:os';

export type RngSourceKind = 'api' | 'sdf' | 'file';
export type SampleMode = 'quick' | 'full';

/** GM/T 0005-2021 clause 6 with the Annex A length used for product detection. */
export const FULL_SAMPLE = { bits: 1_000_000, sequences: 1000 } as const;
/** The default: 2×10^4-bit sequences (Annex A's short length, 22 items), few enough to take seconds. */
export const QUICK_SAMPLE = { bits: 20_000, sequences: 1000 } as const;
/** Sequence lengths whose Annex A parameters are confirmed (10^8 is flagged unverified in lib/rng). */
export const SUPPORTED_BITS = [20_000, 1_000_000] as const;
/** The reference platform's per-request maximum of its `random` operation; other platforms declare theirs. */
export const DEFAULT_REQUEST_BYTES = 4096;
/** Sample files at most this large are kept in the evidence; larger ones are identified by their hashes. */
export const EVIDENCE_SAMPLE_MAX_BYTES = 2 * 1024 * 1024;

export interface RngPlan {
  source: RngSourceKind;
  /** file sources: the path as given and resolved, and its format (undefined = detect) */
  file?: string;
  format?: 'bin' | 'ascii';
  /** sdf sources: the device's network endpoint or native library (GM/T 0018 interface) */
  sdf?: { endpoint?: string; library?: string };
  /** the requested mode; 'full' is only claimed when bits = 10^6 and sequences ≥ 1000 */
  sample: SampleMode;
  bits: number;
  /** sequences to test; undefined (file sources only) = every complete sequence in the file */
  sequences?: number;
  /** the largest request the source accepts (api, sdf) */
  requestBytes: number;
  /** requests in flight at once */
  concurrency: number;
  /** upper bound on requests for one sample */
  maxRequests?: number;
  /** upper bound on collecting and testing one sample */
  timeLimitMs: number;
  /** fresh samples taken after a failed group (an assessor's re-test, not part of GM/T 0005) */
  resamples: number;
  workers: number;
}

export class RngPlanError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RngPlanError';
  }
}

const KEYS = ['source', 'file', 'format', 'endpoint', 'library', 'sample', 'bits', 'sequences', 'requestBytes', 'concurrency', 'maxRequests', 'timeLimitSeconds', 'resamples', 'workers'];

function int(o: Record<string, unknown>, key: string, min: number, max: number, where: string): number | undefined {
  const v = o[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) throw new RngPlanError(`${where}.${key}: must be an integer in ${min}..${max} (got ${JSON.stringify(v)})`);
  return v;
}

/**
 * Reads an `rng-source` object's options. `where` names the object in messages (e.g. "objects[2].options").
 * Errors name the field and the reason.
 */
export function resolveRngPlan(options: Record<string, unknown> = {}, where = 'options'): RngPlan {
  for (const k of Object.keys(options)) if (!KEYS.includes(k)) throw new RngPlanError(`${where}.${k}: unknown option (known: ${KEYS.join(', ')})`);
  const file = options.file;
  if (file !== undefined && (typeof file !== 'string' || !file)) throw new RngPlanError(`${where}.file: must be a non-empty path`);
  const source = (options.source ?? (file ? 'file' : 'api')) as RngSourceKind;
  if (!['api', 'sdf', 'file'].includes(source)) throw new RngPlanError(`${where}.source: must be api, sdf or file (got ${JSON.stringify(options.source)})`);
  if (source === 'file' && !file) throw new RngPlanError(`${where}.file: required when source is file`);
  if (source !== 'file' && file) throw new RngPlanError(`${where}.file: only for source: file`);
  for (const k of ['endpoint', 'library'] as const) {
    const v = options[k];
    if (v !== undefined && (source !== 'sdf' || typeof v !== 'string' || !v)) throw new RngPlanError(`${where}.${k}: a non-empty string, only for source: sdf`);
  }
  const sdf = source === 'sdf' ? { endpoint: options.endpoint as string | undefined, library: options.library as string | undefined } : undefined;
  const format = options.format as RngPlan['format'];
  if (format !== undefined && format !== 'bin' && format !== 'ascii') throw new RngPlanError(`${where}.format: must be bin or ascii`);
  const sample = (options.sample ?? 'quick') as SampleMode;
  if (sample !== 'quick' && sample !== 'full') throw new RngPlanError(`${where}.sample: must be quick or full (got ${JSON.stringify(options.sample)})`);

  const base = sample === 'full' ? FULL_SAMPLE : QUICK_SAMPLE;
  // an assessor's file is usually a complete sample: default to 10^6-bit sequences and all of them
  const bits = int(options, 'bits', 1, 1e9, where) ?? (source === 'file' && options.sample === undefined ? FULL_SAMPLE.bits : base.bits);
  if (!(SUPPORTED_BITS as readonly number[]).includes(bits)) throw new RngPlanError(`${where}.bits: GM/T 0005-2021 Annex A lengths supported are ${SUPPORTED_BITS.join(', ')} (got ${bits})`);
  const sequences = int(options, 'sequences', 1, 100_000, where) ?? (source === 'file' && options.sample === undefined ? undefined : base.sequences);
  if (source !== 'file' && sequences === undefined) throw new RngPlanError(`${where}.sequences: required`);

  const requestBytes = int(options, 'requestBytes', 1, 1 << 24, where) ?? DEFAULT_REQUEST_BYTES;
  const concurrency = int(options, 'concurrency', 1, 64, where) ?? 4;
  const maxRequests = int(options, 'maxRequests', 1, 100_000_000, where);
  const fullish = bits * (sequences ?? 1000) >= 1e8;
  const timeLimitMs = (int(options, 'timeLimitSeconds', 1, 86_400, where) ?? (fullish ? 3600 : 50)) * 1000;
  // A good generator fails one group now and then: 5 of 100 quick groups in bench/rng-decision.ts (binomial
  // estimate for 6.2 alone 7 %). A quick screening re-samples twice by default; the full detection is the standard verbatim.
  const resamples = int(options, 'resamples', 0, 10, where) ?? (sample === 'quick' && source !== 'file' ? 2 : 0);
  const small = bits * (sequences ?? 1000) <= 2e7;
  const workers = int(options, 'workers', 0, 256, where) ?? (small ? 0 : availableParallelism());
  return { source, file: file as string | undefined, format, sdf, sample, bits, sequences, requestBytes, concurrency, maxRequests, timeLimitMs, resamples, workers };
}

/** Whether s × n is the standard's full detection (1000 × 10^6 bits or more sequences). */
export function isFullDetection(bits: number, sequences: number): boolean {
  return bits === FULL_SAMPLE.bits && sequences >= FULL_SAMPLE.sequences;
}

/** The limitation statement every finding on a sample carries. */
export function sampleScope(bits: number, sequences: number): { full: boolean; zh: string; en: string } {
  const full = isFullDetection(bits, sequences);
  const n = bits === 1_000_000 ? '10^6' : bits === 20_000 ? '2×10^4' : String(bits);
  if (full) return { full, zh: `完整样本：${sequences} 条 × ${n} 比特（GM/T 0005-2021 第 6 章样本规模）`, en: `full sample: ${sequences} sequences × ${n} bits (GM/T 0005-2021 clause 6)` };
  return {
    full,
    zh: `快速样本：${sequences} 条 × ${n} 比特；GM/T 0005-2021 完整检测需 1000 条 × 10^6 比特（测评配置 sample: full）`,
    en: `quick sample: ${sequences} sequences × ${n} bits; GM/T 0005 full detection needs 1000 × 10^6 bits (profile option sample: full)`,
  };
}
