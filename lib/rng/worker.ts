/** Worker side of the sample runner: receives packed sequences, returns their P- and Q-values per item. */
import { parentPort, workerData } from 'node:worker_threads';
import type { ItemSpec } from './params.ts';
import { runItems } from './suite.ts';
import { fromWords } from './bits.ts';

export interface WorkerJob { readonly index: number; readonly words: Uint32Array; readonly nBits: number }
export interface WorkerReply { readonly index: number; readonly p?: Float64Array; readonly q?: Float64Array; readonly error?: string }

const items = (workerData as { items: ItemSpec[] }).items;

parentPort!.on('message', (job: WorkerJob) => {
  try {
    const out = runItems(fromWords(job.words, job.nBits), items);
    const p = new Float64Array(out.length), q = new Float64Array(out.length);
    out.forEach((o, i) => { p[i] = o.pValue; q[i] = o.qValue; });
    parentPort!.postMessage({ index: job.index, p, q } satisfies WorkerReply, [p.buffer, q.buffer]);
  } catch (e) {
    parentPort!.postMessage({ index: job.index, error: (e as Error).message } satisfies WorkerReply);
  }
});
