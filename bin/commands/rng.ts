/**
 * `gmeval rng test FILE...` — GM/T 0005-2021 randomness tests on sample files (lib/rng). Each file is cut into
 * consecutive nBits sequences (bits after the last full sequence are ignored, with a note); together they form
 * the sample judged by clause 6.
 */
import { createReadStream, statSync, openSync, readSync, closeSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import type { Command } from 'commander';
import type { CommandGroup } from './index.ts';
import { EXIT, InputError } from '../exit-codes.ts';
import {
  type InputFormat, type SampleResult, PROFILES, RngInputError, SequenceSplitter, profileFor, sniffFormat, testSample,
} from '../../lib/rng/index.ts';

interface TestOptions {
  format?: string;
  bits: string;
  sequences?: string;
  alpha: string;
  workers?: string;
  items?: string;
  json?: boolean;
}

interface FileInfo {
  path: string;
  format: InputFormat;
  bytes: number;
  sequences: number;
  leftoverBits: number;
}

function parseIntOption(v: string, name: string, min: number): number {
  if (!/^\d+(e\d+)?$/i.test(v.trim())) throw new InputError(`--${name}: ${JSON.stringify(v)} is not a whole number`);
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n < min) throw new InputError(`--${name}: ${v} must be an integer ≥ ${min}`);
  return n;
}

function detectFormat(path: string): InputFormat {
  const fd = openSync(path, 'r');
  try {
    const head = new Uint8Array(256);
    const got = readSync(fd, head, 0, head.length, 0);
    return sniffFormat(head.subarray(0, got));
  } finally {
    closeSync(fd);
  }
}

async function* readSample(files: FileInfo[], nBits: number, limit: number | undefined): AsyncGenerator<Uint32Array> {
  let total = 0;
  for (const f of files) {
    const splitter = new SequenceSplitter(nBits, f.format);
    const seqBytes = Math.ceil(nBits / 8) * (f.format === 'ascii' ? 8 : 1);
    const stream = createReadStream(f.path, { highWaterMark: Math.min(Math.max(seqBytes, 65536), 4 << 20) });
    try {
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        let seqs: Uint32Array[];
        try {
          seqs = splitter.push(chunk);
        } catch (e) {
          if (e instanceof RngInputError) throw new InputError(`${f.path}: byte offset ${e.offset}: ${e.message}`);
          throw e;
        }
        for (const s of seqs) {
          f.sequences++;
          yield s;
          if (limit !== undefined && ++total >= limit) return;
        }
      }
    } finally {
      stream.destroy();
    }
    f.leftoverBits = splitter.leftoverBits;
    if (f.sequences === 0) {
      throw new InputError(`${f.path}: too short: ${splitter.totalBits} bits (${f.format}) at byte offset ${f.bytes} (end of file), a sequence needs ${nBits}`);
    }
  }
}

function fmtP(p: number): string {
  if (p === 0) return '0';
  return p < 1e-4 ? p.toExponential(2) : p.toFixed(6);
}

function pad(s: string, n: number): string {
  // CJK characters take two columns on a terminal
  const width = [...s].reduce((w, c) => w + (/[\u3000-\u9fff\uff00-\uffef]/.test(c) ? 2 : 1), 0);
  return s + ' '.repeat(Math.max(0, n - width));
}

function printTable(r: SampleResult, files: FileInfo[]): void {
  const out: string[] = [];
  out.push(`GM/T 0005-2021 随机性检测 / randomness tests — ${r.sequences} × ${r.nBits} bits, α = ${r.alpha}, α_T = ${r.alphaT}`);
  if (r.basis === 'unverified') out.push('注意 / note: parameters for this length are UNVERIFIED against the printed Annex A');
  for (const f of files) out.push(`  ${f.path}: ${f.format}, ${f.sequences} sequence(s)${f.leftoverBits ? `, ${f.leftoverBits} trailing bits ignored` : ''}`);
  out.push('');
  const head = [pad('item', 30), pad('检测项', 40), pad('min P', 10), pad('median P', 10), pad('pass', 11), pad('P_T', 10), 'verdict'];
  out.push(head.join(' '));
  for (const it of r.items) {
    const verdict = it.passed ? 'PASS 通过' : `FAIL 不通过${!it.passedCount ? ' (count)' : ''}${!it.passedUniformity ? ' (uniformity)' : ''}`;
    out.push([
      pad(it.id, 30), pad(it.nameZh, 40), pad(fmtP(it.minP), 10), pad(fmtP(it.medianP), 10),
      pad(`${it.passCount}/${r.sequences}≥${it.threshold}`, 11), pad(fmtP(it.pT), 10), verdict,
    ].join(' '));
  }
  out.push('');
  const failed = r.items.filter((i) => !i.passed).length;
  out.push(r.passed
    ? `样本组判定 / group verdict: PASS 通过 (${r.items.length} items, pass count ≥ ${r.threshold}, P_T ≥ ${r.alphaT})`
    : `样本组判定 / group verdict: FAIL 不通过 (${failed} of ${r.items.length} items failed)`);
  process.stdout.write(out.join('\n') + '\n');
}

function toJson(r: SampleResult, files: FileInfo[]): unknown {
  return {
    tool: 'gmeval rng test',
    standard: 'GM/T 0005-2021',
    nBits: r.nBits,
    sequences: r.sequences,
    alpha: r.alpha,
    alphaT: r.alphaT,
    threshold: r.threshold,
    basis: r.basis,
    files: files.map((f) => ({ path: f.path, format: f.format, bytes: f.bytes, sequences: f.sequences, leftoverBits: f.leftoverBits })),
    items: r.items.map((it, i) => ({ ...it, pValues: Array.from(r.pValues[i]!), qValues: Array.from(r.qValues[i]!) })),
    passed: r.passed,
  };
}

async function runTest(paths: string[], o: TestOptions, setExit: (c: number) => void): Promise<void> {
  const nBits = parseIntOption(o.bits, 'bits', 1);
  if (!profileFor(nBits)) {
    throw new InputError(`--bits ${nBits}: GM/T 0005-2021 Annex A defines parameters only for ${Object.keys(PROFILES).join(', ')} bits`);
  }
  const limit = o.sequences !== undefined ? parseIntOption(o.sequences, 'sequences', 1) : undefined;
  const alpha = Number(o.alpha);
  if (!(alpha > 0 && alpha < 1)) throw new InputError(`--alpha: ${JSON.stringify(o.alpha)} must be a number between 0 and 1`);
  if (o.format !== undefined && o.format !== 'bin' && o.format !== 'ascii') throw new InputError(`--format: ${JSON.stringify(o.format)} must be bin or ascii`);
  const files: FileInfo[] = paths.map((p) => {
    let st;
    try {
      st = statSync(p);
    } catch (e) {
      throw new InputError(`${p}: cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
    if (!st.isFile()) throw new InputError(`${p}: not a regular file`);
    const format = (o.format as InputFormat | undefined) ?? detectFormat(p);
    return { path: p, format, bytes: st.size, sequences: 0, leftoverBits: 0 };
  });
  // upper bound of the sample size, to skip worker start-up for tiny samples
  const estimate = limit ?? files.reduce((s, f) => s + Math.floor((f.bytes * (f.format === 'bin' ? 8 : 1)) / nBits), 0);
  const workers = o.workers !== undefined ? parseIntOption(o.workers, 'workers', 0) : estimate < 4 ? 0 : Math.min(availableParallelism(), estimate);
  const only = o.items?.split(',').map((s) => s.trim()).filter(Boolean);
  if (only) {
    const known = new Set(profileFor(nBits)!.items.map((i) => i.id));
    const bad = only.filter((id) => !known.has(id));
    if (bad.length) throw new InputError(`--items: unknown item(s) ${bad.join(', ')}`, [`known for ${nBits} bits: ${[...known].join(', ')}`]);
  }
  const tty = process.stderr.isTTY === true;
  const started = Date.now();
  const result = await testSample(readSample(files, nBits, limit), {
    nBits, sequences: limit, alpha, workers, only,
    onProgress: tty ? (done, total) => {
      const t = total ?? estimate;
      const frac = t ? Math.min(1, done / t) : 0;
      const bar = '#'.repeat(Math.round(frac * 30)).padEnd(30, '.');
      process.stderr.write(`\r[${bar}] ${done}/${t} sequences, ${((Date.now() - started) / 1000).toFixed(1)} s`);
    } : undefined,
  }).catch((e: unknown) => {
    if (e instanceof RangeError) throw new InputError(e.message);
    throw e;
  });
  if (tty) process.stderr.write('\n');
  for (const f of files) if (f.leftoverBits) process.stderr.write(`gmeval: note: ${f.path}: ${f.leftoverBits} bits after the last complete ${nBits}-bit sequence ignored\n`);
  if (o.json) process.stdout.write(JSON.stringify(toJson(result, files), null, 1) + '\n');
  else printTable(result, files);
  if (!result.passed) setExit(EXIT.FAILED);
}

export const register: CommandGroup = (program: Command, setExit) => {
  const rng = program.command('rng').description('GM/T 0005-2021 随机性检测 — randomness tests');
  rng
    .command('test')
    .description('run the GM/T 0005-2021 tests on sample files and judge the sample (clause 6)')
    .argument('<file...>', 'sample files; each is cut into consecutive sequences of --bits bits')
    .option('--format <fmt>', 'bin (raw bytes, MSB first) or ascii (0/1 characters, whitespace ignored); default: detected')
    .option('--bits <n>', 'bits per sequence: 20000, 1000000 (or 100000000, unverified parameters)', '1000000')
    .option('--sequences <s>', 'number of sequences in the sample (default: every complete sequence in the files)')
    .option('--alpha <a>', 'significance level α per sequence', '0.01')
    .option('--workers <w>', 'worker threads (0 = none; default: one per core)')
    .option('--items <ids>', 'comma-separated item ids to run (default: all items of the length)')
    .option('--json', 'machine-readable result with every P- and Q-value (schema: reports/schema/rng.schema.json)')
    .action(async (files: string[], o: TestOptions) => runTest(files, o, setExit));
};
