import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FULL_SAMPLE, QUICK_SAMPLE, RngPlanError, isFullDetection, resolveRngPlan, sampleScope } from './plan.ts';

test('defaults: a quick 1000 × 2×10^4 screening with re-sampling; full is 1000 × 10^6 verbatim', () => {
  const q = resolveRngPlan();
  assert.equal(q.source, 'api');
  assert.equal(q.sample, 'quick');
  assert.deepEqual([q.bits, q.sequences], [QUICK_SAMPLE.bits, QUICK_SAMPLE.sequences]);
  assert.deepEqual([q.bits, q.sequences], [20_000, 1000]);
  assert.equal(q.requestBytes, 4096);
  assert.equal(q.resamples, 2);
  assert.equal(q.workers, 0);
  const f = resolveRngPlan({ sample: 'full' });
  assert.deepEqual([f.bits, f.sequences], [FULL_SAMPLE.bits, FULL_SAMPLE.sequences]);
  assert.equal(f.resamples, 0);
  assert.ok(f.workers >= 1);
  assert.ok(f.timeLimitMs >= 3600_000);
  const file = resolveRngPlan({ file: 'sample.bin' });
  assert.equal(file.source, 'file');
  assert.equal(file.bits, 1_000_000);
  assert.equal(file.sequences, undefined, 'a supplied file is tested whole');
  assert.equal(file.resamples, 0);
  assert.deepEqual(resolveRngPlan({ source: 'sdf', endpoint: 'tcp://127.0.0.1:7000' }).sdf, { endpoint: 'tcp://127.0.0.1:7000', library: undefined });
});

test('bad options name the field and the reason', () => {
  const bad: [Record<string, unknown>, RegExp][] = [
    [{ sample: 'huge' }, /o\.sample: must be quick or full/],
    [{ bits: 128 }, /o\.bits: GM\/T 0005-2021 Annex A lengths supported are 20000, 1000000 \(got 128\)/],
    [{ sequences: 0 }, /o\.sequences: must be an integer in 1\.\.100000/],
    [{ requestBytes: 1.5 }, /o\.requestBytes: must be an integer/],
    [{ source: 'file' }, /o\.file: required when source is file/],
    [{ source: 'api', file: 'x' }, /o\.file: only for source: file/],
    [{ source: 'usb' }, /o\.source: must be api, sdf or file/],
    [{ library: '/x.so' }, /o\.library: a non-empty string, only for source: sdf/],
    [{ smaple: 'quick' }, /o\.smaple: unknown option/],
  ];
  for (const [opts, re] of bad) assert.throws(() => resolveRngPlan(opts, 'o'), (e: Error) => e instanceof RngPlanError && re.test(e.message), JSON.stringify(opts));
});

test('the scope statement never calls a quick sample the full detection', () => {
  assert.equal(isFullDetection(1_000_000, 1000), true);
  assert.equal(isFullDetection(1_000_000, 999), false);
  assert.equal(isFullDetection(20_000, 5000), false);
  const q = sampleScope(20_000, 1000);
  assert.equal(q.full, false);
  assert.match(q.zh, /快速样本：1000 条 × 2×10\^4 比特；GM\/T 0005-2021 完整检测需 1000 条 × 10\^6 比特/);
  assert.match(q.en, /quick sample: 1000 sequences × 2×10\^4 bits; GM\/T 0005 full detection needs 1000 × 10\^6/);
  assert.match(sampleScope(1_000_000, 1000).zh, /^完整样本：1000 条 × 10\^6 比特/);
});
