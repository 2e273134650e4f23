import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fc from 'fast-check';
import { hmacSm3, sm3, timingSafeEqualBytes } from './sm3.ts';
import { sm3 as smCryptoSm3 } from 'sm-crypto-v2';

const H = (s: string) => Buffer.from(s, 'hex');

test('SM3: GB/T 32905-2016 examples', () => {
  assert.equal(sm3(Buffer.from('abc')).toString('hex'), '66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0');
  assert.equal(sm3(Buffer.from('abcd'.repeat(16))).toString('hex'), 'debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732');
});

test('SM3: parts are concatenated; empty input', () => {
  assert.deepEqual(sm3(Buffer.from('ab'), Buffer.from(''), Buffer.from('c')), sm3(Buffer.from('abc')));
  assert.equal(sm3().length, 32);
  assert.notDeepEqual(sm3(Buffer.from('abd')), sm3(Buffer.from('abc')));
});

test('SM3 agrees with sm-crypto-v2 (independent JS implementation) on random inputs', () => {
  fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), (m) => sm3(m).toString('hex') === smCryptoSm3(m)), { numRuns: 100 });
});

test('HMAC-SM3: GM/T 0042-2015 D.3 vectors', () => {
  const key = H('0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20');
  const msg = Buffer.from('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq'.repeat(2));
  assert.equal(hmacSm3(key, msg).toString('hex'), 'ca05e144ed05d1857840d1f318a4a8669e559fc8391f414485bfdf7bb408963a');
  assert.equal(hmacSm3(Buffer.from('Jefe Jeferson Jr'), Buffer.from('what do ya want for nothing?')).toString('hex'), 'ce791a34c59adef472997a249600f3f244d59e875be04055ba2ae12fc845e78c');
  assert.notEqual(hmacSm3(Buffer.from('Jefe Jeferson Js'), Buffer.from('what do ya want for nothing?')).toString('hex'), 'ce791a34c59adef472997a249600f3f244d59e875be04055ba2ae12fc845e78c');
});

test('HMAC-SM3 agrees with sm-crypto-v2 and with a by-hand RFC 2104 construction (keys longer than the block too)', () => {
  fc.assert(fc.property(fc.uint8Array({ maxLength: 100 }), fc.uint8Array({ maxLength: 200 }), (key, m) => {
    const k0 = Buffer.alloc(64);
    (key.length > 64 ? sm3(key) : Buffer.from(key)).copy(k0);
    const ipad = Buffer.from(k0.map((b) => b ^ 0x36));
    const opad = Buffer.from(k0.map((b) => b ^ 0x5c));
    const byHand = sm3(opad, sm3(ipad, m));
    const ours = hmacSm3(key, m);
    return ours.equals(byHand) && (key.length === 0 || ours.toString('hex') === smCryptoSm3(m, { key, mode: 'hmac' }));
  }), { numRuns: 100 });
});

const hasOpenssl = spawnSync('openssl', ['version']).status === 0;
test('HMAC-SM3 agrees with `openssl mac`', { skip: hasOpenssl ? false : 'openssl binary not found' }, () => {
  const key = Buffer.from('0b'.repeat(20), 'hex');
  const r = spawnSync('openssl', ['mac', '-digest', 'SM3', '-macopt', `hexkey:${key.toString('hex')}`, 'HMAC'], { input: 'Hi There' });
  assert.equal(r.status, 0, r.stderr.toString());
  assert.equal(r.stdout.toString().trim().toLowerCase(), hmacSm3(key, Buffer.from('Hi There')).toString('hex'));
});

test('timingSafeEqualBytes', () => {
  assert.equal(timingSafeEqualBytes(H('0102'), H('0102')), true);
  assert.equal(timingSafeEqualBytes(H('0102'), H('0103')), false);
  assert.equal(timingSafeEqualBytes(H('0102'), H('010200')), false);
  assert.equal(timingSafeEqualBytes(new Uint8Array(0), new Uint8Array(0)), true);
});
