import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { combineShares, splitSecret } from './shamir.ts';

test('any t of n shares recover the secret; t-1 shares give something else', () => {
  for (const [t, n] of [[1, 1], [2, 3], [3, 5], [5, 5]] as const) {
    const secret = randomBytes(16);
    const shares = splitSecret(secret, t, n);
    assert.equal(shares.length, n);
    for (let start = 0; start + t <= n; start++) assert.deepEqual(combineShares(shares.slice(start, start + t)), secret);
    assert.deepEqual(combineShares([...shares].reverse().slice(0, t)), secret);
    if (t > 1) assert.notDeepEqual(combineShares(shares.slice(0, t - 1)), secret);
  }
});

test('known answer: a degree-1 polynomial over GF(2^8)', () => {
  // f(x) = 0x42 + 0x07·x; shares at x=1,2: 0x42^0x07 = 0x45, 0x42^(0x07·2 = 0x0e) = 0x4c
  assert.deepEqual(combineShares([Buffer.from([1, 0x45]), Buffer.from([2, 0x4c])]), Buffer.from([0x42]));
  assert.throws(() => combineShares([Buffer.from([1, 1]), Buffer.from([1, 2])]), /distinct/);
  assert.throws(() => splitSecret(Buffer.alloc(4), 3, 2), RangeError);
});
