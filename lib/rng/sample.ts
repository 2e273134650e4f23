/**
 * Sample-level runner: streams sequences through the item suite (in this thread or spread over worker_threads),
 * keeps only the P- and Q-values, and applies the clause-6 decision rules per item and for the group.
 */
import { Worker } from 'node:worker_threads';
import { availableParallelism } from 'node:os';
import { type BitSequence, fromWords } from './bits.ts';
import { type Basis, type ItemSpec, type LengthProfile } from './params.ts';
import { type InputFormat, SequenceSplitter } from './parse.ts';
import { resolveProfile, runItems, selectItems, toSequence } from './suite.ts';
import { judgeItem, passThreshold } from './decision.ts';
import type { WorkerJob, WorkerReply } from './worker.ts';

export type PackedSequence = Uint32Array | Uint8Array | BitSequence;

/**
 * Where the sequences come from:
 * - an AsyncIterable of Uint8Array chunks: one byte stream in `format` (default 'bin'), cut into nBits sequences;
 * - an (Async)Iterable of Uint32Array words or BitSequence (or a sync Iterable of Uint8Array bytes): one sequence each.
 */
export type SampleSource = AsyncIterable<Uint8Array> | AsyncIterable<Uint32Array | BitSequence> | Iterable<PackedSequence>;

export interface SampleOptions {
  /** bits per sequence (selects the Annex A profile) */
  nBits: number;
  /** number of sequences to test; default all the source yields. Fewer available → RangeError. */
  sequences?: number;
  /** per-sequence significance level α (default 0.01) */
  alpha?: number;
  /** uniformity significance level α_T (default 0.0001) */
  alphaT?: number;
  /** worker threads; 0 = run in this thread (default: 0 for fewer than 4 sequences, else available cores) */
  workers?: number;
  profile?: LengthProfile;
  only?: readonly string[];
  /** input format of a byte stream source */
  format?: InputFormat;
  /** called after each finished sequence */
  onProgress?: (done: number, total: number | undefined) => void;
}

export interface SampleItem {
  readonly id: string;
  readonly name: string;
  readonly nameZh: string;
  readonly params: Readonly<Record<string, number>>;
  readonly basis: Basis;
  /** sequences with P ≥ α */
  readonly passCount: number;
  /** t(s) of clause 6.2 */
  readonly threshold: number;
  readonly passedCount: boolean;
  /** Q-value histogram, 10 bins over [0, 1] */
  readonly bins: number[];
  /** P_T of clause 6.3 */
  readonly pT: number;
  readonly passedUniformity: boolean;
  readonly passed: boolean;
  readonly minP: number;
  readonly medianP: number;
}

export interface SampleResult {
  readonly nBits: number;
  readonly sequences: number;
  readonly alpha: number;
  readonly alphaT: number;
  readonly threshold: number;
  readonly basis: Basis;
  readonly items: SampleItem[];
  /** every item passed both rules (clause 6.4) */
  readonly passed: boolean;
  /** pValues[item][sequence], qValues[item][sequence] */
  readonly pValues: Float64Array[];
  readonly qValues: Float64Array[];
}

function isAsync<T>(x: unknown): x is AsyncIterable<T> {
  return typeof (x as AsyncIterable<T>)?.[Symbol.asyncIterator] === 'function';
}

/** Normalises every kind of source into an async stream of packed word arrays. */
async function* sequencesOf(source: SampleSource, nBits: number, format: InputFormat): AsyncGenerator<Uint32Array> {
  if (isAsync<Uint8Array | Uint32Array | BitSequence>(source)) {
    let splitter: SequenceSplitter | undefined;
    for await (const x of source) {
      if (x instanceof Uint8Array) {
        splitter ??= new SequenceSplitter(nBits, format);
        yield* splitter.push(x);
      } else yield own(x, nBits);
    }
    return;
  }
  for (const x of source) yield own(x, nBits);
}

/** A private copy of the words: they are transferred to a worker, which would detach the caller's buffer. */
function own(x: PackedSequence, nBits: number): Uint32Array {
  const w = toSequence(x, nBits).words;
  return x instanceof Uint8Array ? w : w.slice();
}

class Pool {
  private readonly workers: Worker[] = [];
  private readonly idle: Worker[] = [];
  private readonly waiting: (() => void)[] = [];
  private failure: Error | undefined;

  constructor(count: number, items: ItemSpec[], private readonly onReply: (r: WorkerReply) => void) {
    const url = new URL('./worker-bootstrap.mjs', import.meta.url);
    for (let i = 0; i < count; i++) {
      const w = new Worker(url, { workerData: { items } });
      w.on('message', (r: WorkerReply) => {
        this.onReply(r);
        this.release(w);
      });
      w.on('error', (e) => { this.failure ??= e; this.release(w); });
      this.workers.push(w);
      this.idle.push(w);
    }
  }

  private release(w: Worker): void {
    this.idle.push(w);
    this.waiting.shift()?.();
  }

  async submit(job: WorkerJob): Promise<void> {
    while (this.idle.length === 0) await new Promise<void>((r) => this.waiting.push(r));
    if (this.failure) throw this.failure;
    const w = this.idle.pop()!;
    w.postMessage(job, [job.words.buffer as ArrayBuffer]);
  }

  async drain(): Promise<void> {
    while (this.idle.length < this.workers.length) await new Promise<void>((r) => this.waiting.push(r));
    if (this.failure) throw this.failure;
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}

/** Runs the profile's items over a sample and applies clause 6 per item and for the group. */
export async function testSample(source: SampleSource, opts: SampleOptions): Promise<SampleResult> {
  const nBits = opts.nBits;
  const alpha = opts.alpha ?? 0.01;
  const alphaT = opts.alphaT ?? 0.0001;
  const profile = resolveProfile(nBits, opts.profile);
  const items = selectItems(profile, opts.only);
  const limit = opts.sequences;
  const perSeqP: Float64Array[] = [];
  const perSeqQ: Float64Array[] = [];
  let done = 0;
  let error: string | undefined;
  const record = (r: WorkerReply) => {
    if (r.error) { error ??= `sequence ${r.index + 1}: ${r.error}`; return; }
    perSeqP[r.index] = r.p!;
    perSeqQ[r.index] = r.q!;
    done++;
    opts.onProgress?.(done, limit);
  };
  const workerCount = opts.workers ?? (limit !== undefined && limit < 4 ? 0 : availableParallelism());
  const pool = workerCount > 0 ? new Pool(workerCount, items, record) : undefined;
  let count = 0;
  try {
    for await (const words of sequencesOf(source, nBits, opts.format ?? 'bin')) {
      if (limit !== undefined && count >= limit) break;
      const index = count++;
      if (pool) await pool.submit({ index, words, nBits });
      else {
        try {
          const out = runItems(fromWords(words, nBits), items);
          record({ index, p: Float64Array.from(out, (o) => o.pValue), q: Float64Array.from(out, (o) => o.qValue) });
        } catch (e) {
          record({ index, error: (e as Error).message });
        }
      }
      if (error) break;
    }
    await pool?.drain();
  } finally {
    await pool?.close();
  }
  if (error) throw new Error(error);
  if (limit !== undefined && count < limit) throw new RangeError(`sample has only ${count} complete ${nBits}-bit sequences, ${limit} requested`);
  if (count === 0) throw new RangeError(`sample has no complete ${nBits}-bit sequence`);
  const pValues = items.map((_, i) => Float64Array.from(perSeqP, (row) => row[i]!));
  const qValues = items.map((_, i) => Float64Array.from(perSeqQ, (row) => row[i]!));
  const results: SampleItem[] = items.map((it, i) => {
    const v = judgeItem(pValues[i]!, qValues[i]!, alpha, alphaT);
    const sorted = Float64Array.from(pValues[i]!).sort();
    return {
      id: it.id, name: it.name, nameZh: it.nameZh, params: it.params, basis: it.basis, ...v,
      minP: sorted[0]!, medianP: sorted.length % 2 ? sorted[(sorted.length - 1) / 2]! : (sorted[sorted.length / 2 - 1]! + sorted[sorted.length / 2]!) / 2,
    };
  });
  return {
    nBits, sequences: count, alpha, alphaT, threshold: passThreshold(count, alpha), basis: profile.basis,
    items: results, passed: results.every((r) => r.passed), pValues, qValues,
  };
}
