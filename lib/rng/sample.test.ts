// Sample runner: same numbers inline and in workers, from streams cut at odd chunk sizes, from ASCII; weak
// generators (biased, LFSR) fail the group verdict; input errors carry byte offsets.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { testSample, testSequence, parseSequences, SequenceSplitter, RngInputError, sniffFormat } from './index.ts';
import { goodBytes, biasedBytes, lfsrBytes } from '../../test/fixtures/rng/generators.ts';

const N20K = 20_000;

function sequencesOf(bytes: Uint8Array, nBits: number): Uint8Array[] {
  const per = nBits / 8;
  return Array.from({ length: bytes.length / per }, (_, i) => bytes.subarray(i * per, (i + 1) * per));
}

test('good sample of 2×10^4-bit sequences passes; inline and worker results are identical', async () => {
  const bytes = goodBytes(N20K * 60, 'gmeval-rng-sample-');
  const seqs = sequencesOf(bytes, N20K);
  const inline = await testSample(seqs, { nBits: N20K, workers: 0 });
  assert.equal(inline.sequences, 60);
  assert.equal(inline.items.length, 22);
  assert.equal(inline.threshold, 58); // ⌈60·(0.99 − 3√(0.0099/60))⌉ = ⌈57.09⌉
  assert.ok(inline.passed, JSON.stringify(inline.items.filter((i) => !i.passed).map((i) => i.id)));
  const pooled = await testSample(seqs, { nBits: N20K, workers: 2 });
  assert.deepEqual(pooled.pValues, inline.pValues);
  assert.deepEqual(pooled.qValues, inline.qValues);
  // per-sequence values equal testSequence's
  const one = testSequence(seqs[7]!, N20K);
  one.items.forEach((it, i) => assert.equal(inline.pValues[i]![7], it.pValue));
});

test('a byte stream is cut into sequences regardless of chunk boundaries, and honours `sequences`', async () => {
  const bytes = goodBytes(N20K * 5, 'gmeval-rng-stream-');
  async function* chunks() {
    for (let i = 0; i < bytes.length; i += 777) yield bytes.subarray(i, i + 777);
  }
  const r = await testSample(chunks(), { nBits: N20K, sequences: 4, workers: 0 });
  assert.equal(r.sequences, 4);
  const direct = await testSample(sequencesOf(bytes, N20K).slice(0, 4), { nBits: N20K, workers: 0 });
  assert.deepEqual(r.pValues, direct.pValues);
  await assert.rejects(testSample(chunks(), { nBits: N20K, sequences: 6, workers: 0 }), /only 5 complete/);
});

test('ASCII parsing: whitespace ignored, same bits as binary, bad byte reported with its offset', () => {
  const bytes = goodBytes(N20K, 'gmeval-rng-ascii-');
  let text = '';
  for (let i = 0; i < N20K; i++) text += ((bytes[i >>> 3]! >>> (7 - (i & 7))) & 1) + (i % 64 === 63 ? '\r\n' : i % 8 === 7 ? ' ' : '');
  const fromAscii = parseSequences(new TextEncoder().encode(text), N20K, 'ascii');
  const fromBin = parseSequences(bytes, N20K, 'bin');
  assert.deepEqual(fromAscii.sequences, fromBin.sequences);
  assert.equal(sniffFormat(new TextEncoder().encode(text.slice(0, 200))), 'ascii');
  assert.equal(sniffFormat(bytes.subarray(0, 200)), 'bin');
  const sp = new SequenceSplitter(N20K, 'ascii');
  sp.push(new TextEncoder().encode('0101 1100\n'));
  assert.throws(() => sp.push(new TextEncoder().encode('01x1')), (e: unknown) => e instanceof RngInputError && e.offset === 12 && /'x'/.test(e.message));
  const odd = parseSequences(bytes, 999, 'bin'); // a length that is not a whole number of bytes
  assert.equal(odd.sequences.length, Math.floor((N20K) / 999));
  assert.equal(odd.leftoverBits, N20K % 999);
});

test('a biased generator (P(1) = 0.52) fails the group verdict', async () => {
  const bytes = biasedBytes(N20K * 20, 133);
  const r = await testSample(sequencesOf(bytes, N20K), { nBits: N20K, workers: 0 });
  assert.equal(r.passed, false);
  const freq = r.items.find((i) => i.id === 'frequency')!;
  assert.equal(freq.passedCount, false);
  assert.ok(freq.passCount < 5, `frequency pass count ${freq.passCount}`);
});

test('an LFSR (degree 31) fails linear complexity at 10^6 bits, and the group with it', async () => {
  const seqs = [0, 1000, 2000].map((shift) => lfsrBytes(1_000_000, shift));
  const only = ['frequency', 'linearComplexity:M=500', 'linearComplexity:M=1000'];
  const r = await testSample(seqs, { nBits: 1_000_000, workers: 0, only });
  assert.equal(r.passed, false);
  const lc = r.items.filter((i) => i.id.startsWith('linearComplexity'));
  for (const it of lc) {
    assert.equal(it.passCount, 0);
    assert.equal(it.passed, false);
  }
  const single = testSequence(seqs[0]!, 1_000_000, { only });
  assert.equal(single.passed, false);
  assert.equal(single.items[1]!.pValue, 0);
});

test('lengths without an Annex A profile are refused', () => {
  assert.throws(() => testSequence(new Uint8Array(1000), 8000), /no GM\/T 0005 parameter profile/);
});
