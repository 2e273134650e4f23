/**
 * Benchmark of lib/rng on 10^6-bit sequences: seconds per sequence for each test and for the whole suite,
 * single-threaded and with worker threads; extrapolation to the standard's 1000 × 10^6-bit sample; with
 * `--full`, an actual run of 1000 × 10^6 bits (crypto.randomBytes → temp file → streamed to workers).
 *
 *   node --import tsx bench/rng.ts [--seqs N] [--pool-seqs N] [--workers W] [--full] [--full-seqs S]
 */
import { randomBytes } from 'node:crypto';
import { availableParallelism, tmpdir } from 'node:os';
import { createReadStream, createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { once } from 'node:events';
import { fromBytes, testSample, testSequence, PROFILES, runItems } from '../lib/rng/index.ts';

function arg(name: string, dflt: number): number {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : dflt;
}
const N = 1_000_000;
const seqCount = arg('--seqs', 5);
const poolSeqs = arg('--pool-seqs', 40);
const workers = arg('--workers', availableParallelism());
const full = process.argv.includes('--full');
const fullSeqs = arg('--full-seqs', 1000);

const seqs = Array.from({ length: seqCount }, () => fromBytes(randomBytes(N / 8)));
const profile = PROFILES[N]!;
console.log(`lib/rng benchmark — Node ${process.version}, ${availableParallelism()} cores, ${seqCount} random 10^6-bit sequences`);

// warm-up (JIT, FFT plan)
testSequence(seqs[0]!, N);

// per test (items sharing a computation are timed together, as the suite runs them)
const groups = new Map<string, typeof profile.items[number][]>();
for (const it of profile.items) {
  const key = it.test + (Object.keys(it.params).length ? ' ' + Object.entries(it.params).map(([k, v]) => `${k}=${v}`).join(',') : '');
  groups.set(key, [...(groups.get(key) ?? []), it]);
}
console.log('\nper test, single thread (ms per sequence):');
let sum = 0;
for (const [key, items] of groups) {
  const t = performance.now();
  for (const s of seqs) runItems(s, items);
  const ms = (performance.now() - t) / seqs.length;
  sum += ms;
  console.log(`  ${key.padEnd(36)} ${ms.toFixed(2).padStart(8)}`);
}
console.log(`  ${'sum of the above'.padEnd(36)} ${sum.toFixed(2).padStart(8)}`);

const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1e6; };
let c0 = cpu();
let t = performance.now();
for (const s of seqs) testSequence(s, N);
const single = (performance.now() - t) / 1000 / seqs.length;
console.log(`\nwhole suite (27 items), single thread: ${single.toFixed(3)} s wall (${((cpu() - c0) / seqs.length).toFixed(3)} s CPU) per sequence → 1000 sequences ≈ ${(single * 1000).toFixed(0)} s on one core, ≈ ${((single * 1000) / Math.min(2, availableParallelism())).toFixed(0)} s ideal on 2`);

const poolInput = Array.from({ length: poolSeqs }, () => randomBytes(N / 8));
c0 = cpu();
t = performance.now();
const r = await testSample(poolInput, { nBits: N, workers });
const wall = (performance.now() - t) / 1000;
console.log(`with ${workers} workers: ${poolSeqs} sequences in ${wall.toFixed(2)} s (incl. worker start-up) → ${(wall / poolSeqs).toFixed(3)} s per sequence wall → 1000 sequences ≈ ${((wall / poolSeqs) * 1000).toFixed(0)} s (process CPU ${((cpu() - c0) / poolSeqs).toFixed(3)} s per sequence)`);
console.log(`load average now: ${(await import('node:os')).loadavg().map((x) => x.toFixed(2)).join(' ')} (other processes on the machine inflate wall times)`);
if (r.sequences !== poolSeqs) throw new Error('sequence count mismatch');

if (full) {
  const dir = mkdtempSync(join(tmpdir(), 'gmeval-rng-bench-'));
  const file = join(dir, 'sample.bin');
  try {
    const out = createWriteStream(file);
    for (let i = 0; i < fullSeqs; i++) if (!out.write(randomBytes(N / 8))) await once(out, 'drain');
    out.end();
    await once(out, 'finish');
    const mem0 = process.memoryUsage().rss;
    c0 = cpu();
    let peak = mem0;
    t = performance.now();
    const res = await testSample(createReadStream(file, { highWaterMark: N / 8 }), {
      nBits: N, sequences: fullSeqs, workers,
      onProgress: (done) => { peak = Math.max(peak, process.memoryUsage().rss); if (done % 100 === 0) process.stderr.write(`  ${done}/${fullSeqs}\n`); },
    });
    const fw = (performance.now() - t) / 1000;
    console.log(`\nFULL RUN: ${fullSeqs} × 10^6 bits (${((fullSeqs * N) / 8 / 1e6).toFixed(0)} MB, streamed) with ${workers} workers: ${fw.toFixed(1)} s wall, ${(fw / fullSeqs).toFixed(3)} s per sequence (process CPU ${(cpu() - c0).toFixed(0)} s); RSS peak ${(peak / 2 ** 20).toFixed(0)} MiB`);
    console.log(`  group verdict: ${res.passed ? 'PASS' : 'FAIL'}; failed items: ${res.items.filter((i) => !i.passed).map((i) => i.id).join(', ') || 'none'}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
