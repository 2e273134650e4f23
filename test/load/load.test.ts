import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatLoad, runLoad } from './load.ts';

// The load test at a reduced scale (bench/load.ts runs the full 64 clients × 60 s): every crypto service mixed,
// zero errors, zero lost writes — every acknowledged key creation readable, also after SIGKILL + restart.
test('load: 16 clients × 5 s mixing every crypto service — zero errors, zero lost writes', { timeout: 90_000 }, async () => {
  const f = await runLoad({ clients: 16, seconds: 5, maxRequests: 20_000 });
  console.log(formatLoad(f));
  assert.deepEqual(f.errorSamples, []);
  assert.equal(f.errors, 0);
  assert.ok(f.requests > 100, `only ${f.requests} requests`);
  for (const op of ['hash', 'hmac', 'sm4-cbc', 'sm4-gcm', 'sm4-envelope', 'sm2-sign-verify', 'random', 'keygen']) assert.ok(f.perOperation[op]?.requests, `${op} was exercised`);
  assert.ok(f.keysAcknowledged > 0);
  assert.equal(f.keysReadBack, f.keysAcknowledged);
  assert.equal(f.keysAfterRestart, f.keysAcknowledged);
  assert.equal(f.lostWrites, 0);
});
