// Cross-check against an independent implementation: test/fixtures/rng/gmt0005_reference.py (plain Python, one
// list element per bit, numpy.fft for the DFT, scipy.special for igamc/erfc, big-integer Berlekamp–Massey).
// 10^6-bit values are stored in reference-1e6.json (the script needs ~1 min per sequence); 2×10^4-bit
// sequences are checked live when python3 with numpy and scipy is available.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { testSequence } from './index.ts';
import { goodBytes, biasedBytes, lfsrBytes } from '../../test/fixtures/rng/generators.ts';

const fixtures = fileURLToPath(new URL('../../test/fixtures/rng/', import.meta.url));

interface RefFile { nBits: number; inputs: Record<string, { source: string; items: Record<string, [number, number]> }> }
interface RefRun { nBits: number; sequences: { index: number; items: Record<string, [number, number]> }[] }

/** Agreement to 1e-6 relative (far tails) or 1e-14 absolute (values that are rounding noise around 0). */
function agree(actual: number, expected: number, what: string): void {
  const tol = Math.max(1e-6 * Math.abs(expected), 1e-14);
  assert.ok(Math.abs(actual - expected) <= tol, `${what}: lib/rng ${actual}, reference ${expected}`);
}

function compare(bytes: Uint8Array, nBits: number, ref: Record<string, [number, number]>, label: string): void {
  const r = testSequence(bytes, nBits);
  assert.deepEqual(r.items.map((i) => i.id).sort(), Object.keys(ref).sort(), `${label}: same items`);
  for (const it of r.items) {
    const [p, q] = ref[it.id]!;
    agree(it.pValue, p, `${label} ${it.id} P`);
    agree(it.qValue, q, `${label} ${it.id} Q`);
  }
}

const stored = JSON.parse(readFileSync(join(fixtures, 'reference-1e6.json'), 'utf8')) as RefFile;
const inputs: Record<string, () => Uint8Array> = {
  e: () => readFileSync(join(fixtures, 'e.bin')),
  sha1: () => readFileSync(join(fixtures, 'sha1.bin')),
  ctr: () => goodBytes(1_000_000),
  biased: () => biasedBytes(1_000_000),
  lfsr: () => lfsrBytes(1_000_000),
};

test('all 27 items at 10^6 bits agree with the Python reference (e, sha1, SHA-256 stream, biased, LFSR)', () => {
  assert.equal(stored.nBits, 1_000_000);
  for (const [name, make] of Object.entries(inputs)) compare(make(), 1_000_000, stored.inputs[name]!.items, name);
});

function hasPythonStack(): boolean {
  const r = spawnSync('python3', ['-c', 'import numpy, scipy.special'], { encoding: 'utf8' });
  return r.status === 0;
}

test('2×10^4-bit sequences agree with the Python reference run live', { skip: hasPythonStack() ? false : 'python3 with numpy and scipy not available' }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'gmeval-rngref-'));
  const f = join(dir, 'sample.bin');
  const nBits = 20_000;
  const bytes = new Uint8Array([...goodBytes(nBits * 3, 'gmeval-rng-live-'), ...biasedBytes(nBits, 140)]);
  writeFileSync(f, bytes);
  const r = spawnSync('python3', [join(fixtures, 'gmt0005_reference.py'), f, 'bin', String(nBits), '0', '1', '2', '3'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const ref = JSON.parse(r.stdout) as RefRun;
  for (const s of ref.sequences) {
    compare(bytes.subarray((s.index * nBits) / 8, ((s.index + 1) * nBits) / 8), nBits, s.items, `seq ${s.index}`);
  }
});
