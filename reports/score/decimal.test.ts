import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Dec } from './decimal.ts';

test('half-up in decimal where binary floats round down', () => {
  assert.equal((1.005).toFixed(2), '1.00'); // the float trap this module exists for
  assert.equal(Dec.parse('1.005').toFixed(2), '1.01');
  assert.equal(Dec.parse('92.115').toFixed(2), '92.12');
  assert.equal(Dec.parse('0.14375').toFixed(4), '0.1438');
  assert.equal(Dec.parse('83.362').toFixed(2), '83.36');
  assert.equal(Dec.parse('0.00005').toFixed(4), '0.0001');
  assert.equal(Dec.parse('0.00004999').toFixed(4), '0.0000');
  assert.equal(Dec.parse('2.35').div(3.1).toFixed(4), '0.7581');
  assert.equal(Dec.of(0.1).add(0.2).toString(), '0.3');
  assert.equal(Dec.of(1e-7).toString(8), '0.0000001');
  assert.throws(() => Dec.parse('1,5'), /not a decimal/);
  assert.throws(() => Dec.ONE.div(0), /division by zero/);
});

test('rounding agrees with integer arithmetic on random 6-dp values', () => {
  fc.assert(fc.property(fc.integer({ min: 0, max: 100_000_000 }), (n) => {
    const text = `${Math.floor(n / 1e6)}.${String(n % 1e6).padStart(6, '0')}`;
    const want = Math.floor((n + 50) / 100); // half-up to 4 dp on the integer of millionths
    const got = Dec.parse(text).toFixed(4);
    return got === `${Math.floor(want / 1e4)}.${String(want % 1e4).padStart(4, '0')}`;
  }), { numRuns: 2000 });
});
