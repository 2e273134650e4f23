import { test } from 'node:test';
import assert from 'node:assert/strict';
import { KATS, runKats } from './kat.ts';

test('every known-answer test passes, including the SM4 1 000 000-iteration example', () => {
  const results = runKats({ long: true });
  assert.equal(results.length, KATS.length);
  for (const r of results) assert.equal(r.passed, true, `${r.id}: ${r.detail}`);
  assert.ok(results.some((r) => r.id === 'sm4-ecb-1m'));
  const ids = new Set(results.map((r) => r.id));
  for (const id of ['sm3-abc', 'sm3-abcd16', 'sm4-ecb-1', 'sm4-gcm-rfc8998', 'sm2-sign-p256', 'sm2-kx-p256', 'sm2-enc-p256', 'sm2-sign-example', 'sm2-kx-example', 'sm2-enc-example', 'hmac-sm3-1']) {
    assert.ok(ids.has(id), id);
  }
});

test('without long, the long test is left out; ids are unique and every KAT names its source', () => {
  const results = runKats();
  assert.ok(!results.some((r) => r.id === 'sm4-ecb-1m'));
  assert.equal(new Set(KATS.map((k) => k.id)).size, KATS.length);
  for (const k of KATS) assert.match(k.source, /GB\/T|GM\/T|RFC|draft|Linux/);
});
