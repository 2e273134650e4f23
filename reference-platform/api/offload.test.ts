import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { hmacSm3, sm2Verify, sm2VerifyDigest, sm3 } from '../../lib/gm/index.ts';
import { startPlatform } from '../index.ts';

/** HMAC-SM3-signed JSON requests to a running platform (reference-platform-api.md §2). */
function signedClient(base: string, cred: { accessKey: string; secret: string }) {
  const u = new URL(base);
  return async (method: string, path: string, body?: unknown): Promise<{ status: number; json: Record<string, unknown> }> => {
    const raw = Buffer.from(body === undefined ? '' : JSON.stringify(body));
    const ts = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
    const nonce = randomBytes(16).toString('hex');
    const full = u.pathname + path;
    const sig = hmacSm3(Buffer.from(cred.secret), Buffer.from(`${method}\n${full}\n\n${ts}\n${nonce}\n${sm3(raw).toString('hex')}`)).toString('base64');
    const r = await fetch(`${u.origin}${full}`, { method, body: body === undefined ? undefined : raw, headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), 'x-csp-accesskey': cred.accessKey, 'x-csp-timestamp': ts, 'x-csp-nonce': nonce, 'x-csp-signature': sig } });
    return { status: r.status, json: (await r.json()) as Record<string, unknown> };
  };
}

async function withPlatform(defects: string[], fn: (call: ReturnType<typeof signedClient>) => Promise<void>): Promise<void> {
  const p = await startPlatform({ devices: 2, defects, conformance: false });
  try {
    await fn(signedClient(p.listening.http, p.provisionApp('offload-test')));
  } finally {
    await p.close();
  }
}

const CONCURRENT = 24;

test('SM2 sign and SM4 envelope give the same verifiable results inline (one caller) and on worker threads (concurrent callers)', async () => {
  await withPlatform([], async (call) => {
    const sm2 = (await call('POST', '/keys', { type: 'SM2_SIGN', name: 't-sign' })).json;
    const sm4 = (await call('POST', '/keys', { type: 'SM4', name: 't-enc' })).json;
    const pub = Buffer.from(String((await call('GET', `/keys/${sm2.keyId}/public-key`)).json.publicKey), 'base64');
    assert.equal(pub.length, 65);
    const msgs = Array.from({ length: CONCURRENT }, (_, i) => randomBytes(20 + i));
    const one = await call('POST', '/crypto/sm2/sign', { keyId: sm2.keyId, data: msgs[0]!.toString('base64') });
    assert.ok(sm2Verify(pub, msgs[0]!, Buffer.from(String(one.json.signature), 'base64')), 'inline signature verifies');
    // sustained concurrent load (≥ 20 operations per 100 ms) makes the platform hand the work to worker threads
    const threads = () => (existsSync('/proc/self/task') ? readdirSync('/proc/self/task').length : NaN);
    const threadsBefore = threads();
    const waves: { status: number; json: Record<string, unknown> }[][] = [];
    const until = performance.now() + 600;
    while (performance.now() < until) waves.push(await Promise.all(msgs.map((m) => call('POST', '/crypto/sm2/sign', { keyId: sm2.keyId, data: m.toString('base64') }))));
    const threadsAfter = threads();
    for (const sigs of waves) {
      sigs.forEach((r, i) => {
        assert.equal(r.status, 200);
        assert.ok(sm2Verify(pub, msgs[i]!, Buffer.from(String(r.json.signature), 'base64')), `signature ${i} verifies with Z of the default ID`);
        assert.ok(!sm2Verify(pub, msgs[(i + 1) % CONCURRENT]!, Buffer.from(String(r.json.signature), 'base64')), `signature ${i} is bound to its message`);
      });
    }
    if (!Number.isNaN(threadsBefore)) assert.ok(threadsAfter > threadsBefore, 'worker threads were started under load (Linux /proc)');
    const withId = await Promise.all([0, 1, 2].map(() => call('POST', '/crypto/sm2/sign', { keyId: sm2.keyId, data: msgs[0]!.toString('base64'), userId: 'alice@example' })));
    for (const r of withId) assert.ok(sm2Verify(pub, msgs[0]!, Buffer.from(String(r.json.signature), 'base64'), { id: 'alice@example' }), 'a caller-given user ID is used for Z');

    const pts = msgs.map((m) => Buffer.concat([m, randomBytes(4096)]));
    const cts = await Promise.all(pts.map((pt, i) => call('POST', '/crypto/sm4/encrypt', { keyId: sm4.keyId, plaintext: pt.toString('base64'), ...(i % 2 ? { aad: 'YWFk' } : {}) })));
    const pts2 = await Promise.all(cts.map((r, i) => call('POST', '/crypto/sm4/decrypt', { keyId: sm4.keyId, ciphertext: r.json.ciphertext, ...(i % 2 ? { aad: 'YWFk' } : {}) })));
    pts2.forEach((r, i) => {
      assert.equal(r.status, 200);
      assert.equal(r.json.plaintext, pts[i]!.toString('base64'), `envelope ${i} opens to its plaintext`);
    });
    // the AAD is bound: an envelope made with AAD does not open without it
    assert.equal((await call('POST', '/crypto/sm4/decrypt', { keyId: sm4.keyId, ciphertext: cts[1]!.json.ciphertext })).status >= 400, true);

    // a suspended key is refused on both paths (the checks stay on the main thread)
    assert.equal((await call('POST', `/keys/${sm2.keyId}/suspend`, {})).status, 200);
    const refused = await Promise.all([0, 1, 2, 3].map(() => call('POST', '/crypto/sm2/sign', { keyId: sm2.keyId, data: 'AA==' })));
    for (const r of refused) assert.equal(r.status, 409);
  });
});

test('defect sm2-wrong-z is still visible through the worker path: signatures verify over SM3(M), not SM3(Z‖M)', async () => {
  await withPlatform(['sm2-wrong-z'], async (call) => {
    const sm2 = (await call('POST', '/keys', { type: 'SM2_SIGN' })).json;
    const pub = Buffer.from(String((await call('GET', `/keys/${sm2.keyId}/public-key`)).json.publicKey), 'base64');
    const m = Buffer.from('abc');
    const rs = await Promise.all([0, 1, 2, 3].map(() => call('POST', '/crypto/sm2/sign', { keyId: sm2.keyId, data: m.toString('base64') })));
    for (const r of rs) {
      const sig = Buffer.from(String(r.json.signature), 'base64');
      assert.ok(sm2VerifyDigest(pub, sm3(m), sig));
      assert.ok(!sm2Verify(pub, m, sig));
    }
  });
});

test('the gm-base64 schema format accepts exactly what /^[A-Za-z0-9+/]*={0,2}$/ accepts, and the API refuses the rest', async () => {
  const { isBase64 } = await import('./server.ts');
  const fc = (await import('fast-check')).default;
  const re = /^[A-Za-z0-9+/]*={0,2}$/;
  const alphabet = fc.constantFrom(...'AZaz09+/=-_ \n.é\u0000'.split(''));
  fc.assert(fc.property(fc.array(alphabet, { maxLength: 12 }).map((a) => a.join('')), (s) => isBase64(s) === re.test(s)), { numRuns: 3000 });
  for (const s of ['', 'QQ==', 'QUI=', 'QUJD', '===', 'Q=Q', 'Q Q', 'QQ==\n']) assert.equal(isBase64(s), re.test(s), JSON.stringify(s));
  const { BASE64_MAX_CHARS } = await import('./server.ts');
  assert.equal(isBase64('A'.repeat(BASE64_MAX_CHARS)), true, 'the longest accepted field');
  assert.equal(isBase64('A'.repeat(BASE64_MAX_CHARS + 4)), false, 'the former maxLength still holds');
  await withPlatform([], async (call) => {
    const sm4 = (await call('POST', '/keys', { type: 'SM4' })).json;
    for (const bad of ['ab-_', 'QQ=\n', 'Q===']) {
      const r = await call('POST', '/crypto/sm4/encrypt', { keyId: sm4.keyId, plaintext: bad });
      assert.equal(r.status, 400, bad);
      assert.equal((r.json.error as { code: string }).code, 'VALIDATION_FAILED');
    }
    assert.equal((await call('POST', '/crypto/sm4/encrypt', { keyId: sm4.keyId, plaintext: 'QUJD' })).status, 200);
  });
});
