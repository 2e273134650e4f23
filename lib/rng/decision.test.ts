// Clause 6 decision rules: the digest's t(s) table (§6.1), the Q histogram with Q = 1 in the last bin, P_T.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { passThreshold, uniformity, judgeItem } from './decision.ts';
import { igamc } from './special.ts';

test('pass-count threshold t(s) matches the standard’s table (981 of 1000)', () => {
  const table: [number, number][] = [[10, 9], [20, 19], [50, 48], [100, 97], [1000, 981]];
  for (const [s, t] of table) assert.equal(passThreshold(s), t, `t(${s})`);
  assert.notEqual(passThreshold(1000), 980); // the 2012-era tools' 980 is wrong
});

test('uniformity: 10 bins over [0,1], Q = 1.0 counted in the last bin, P_T = igamc(4.5, V/2)', () => {
  const q = Array.from({ length: 1000 }, (_, i) => (i + 0.5) / 1000);
  const u = uniformity(q);
  assert.deepEqual(u.bins, new Array(10).fill(100));
  assert.equal(u.statistic, 0);
  assert.equal(u.pT, 1);
  const withOne = uniformity([1.0, 0.95, 0.05, 0.0]);
  assert.deepEqual(withOne.bins, [2, 0, 0, 0, 0, 0, 0, 0, 0, 2]);
  // all Q in one bin: V = 9s, P_T far below 1e-4
  const lumped = uniformity(new Array(1000).fill(0.42));
  assert.equal(lumped.bins[4], 1000);
  assert.equal(lumped.statistic, 9000);
  assert.equal(lumped.pT, igamc(4.5, 4500));
  assert.ok(lumped.pT < 1e-4);
});

test('judgeItem applies both rules independently', () => {
  const s = 1000;
  const goodQ = Array.from({ length: s }, (_, i) => (i + 0.5) / s);
  // 981 passing sequences: passes; 980: fails the count
  const p981 = Array.from({ length: s }, (_, i) => (i < 19 ? 0.001 : 0.5));
  const p980 = Array.from({ length: s }, (_, i) => (i < 20 ? 0.001 : 0.5));
  const a = judgeItem(p981, goodQ);
  assert.equal(a.passCount, 981);
  assert.equal(a.threshold, 981);
  assert.ok(a.passed);
  const b = judgeItem(p980, goodQ);
  assert.equal(b.passedCount, false);
  assert.equal(b.passed, false);
  // all P fine but Q lumped: fails uniformity only
  const c = judgeItem(new Array(s).fill(0.5), new Array(s).fill(0.55));
  assert.equal(c.passedCount, true);
  assert.equal(c.passedUniformity, false);
  assert.equal(c.passed, false);
});
