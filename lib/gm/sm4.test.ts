import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createCipheriv } from 'node:crypto';
import fc from 'fast-check';
import { Sm4Error, sm4Cbc, sm4Ctr, sm4DecryptBlock, sm4Ecb, sm4EncryptBlock } from './sm4.ts';
import { sm4 as smCryptoSm4 } from 'sm-crypto-v2';

const H = (s: string) => Buffer.from(s, 'hex');
const KEY = H('0123456789abcdeffedcba9876543210');

test('SM4: GB/T 32907-2016 example 1, both directions', () => {
  assert.equal(sm4EncryptBlock(KEY, KEY).toString('hex'), '681edf34d206965e86b3e94f536e4246');
  assert.deepEqual(sm4DecryptBlock(KEY, H('681edf34d206965e86b3e94f536e4246')), KEY);
});

test('SM4: GB/T 32907-2016 example 2 (1 000 000 encryptions)', () => {
  const c = createCipheriv('sm4-ecb', KEY, null).setAutoPadding(false);
  let b: Buffer = KEY;
  for (let i = 0; i < 1_000_000; i++) b = c.update(b);
  assert.equal(b.toString('hex'), '595298c7c6fd271f0402f804c33d3f66');
});

test('SM4-CBC and SM4-CTR: draft-ribose-cfrg-sm4 vectors', () => {
  assert.equal(sm4Cbc('encrypt', KEY, KEY, Buffer.concat([KEY, KEY])).toString('hex'), '2677f46b09c122cc975533105bd4a22af6125f7275ce552c3a2bbcf533de8a3b');
  const pt = H('aaaaaaaaaaaaaaaabbbbbbbbbbbbbbbbccccccccccccccccddddddddddddddddeeeeeeeeeeeeeeeeffffffffffffffffeeeeeeeeeeeeeeeeaaaaaaaaaaaaaaaa');
  assert.equal(sm4Ctr(KEY, KEY, pt).toString('hex'), 'c2b4759e78ac3cf43d0852f4e8d5f9fd7256e8a5fcb65a350ee00630912e44492a0b17e1b85b060d0fba612d8a95831638b361fd5ffacd942f081485a83ca35d');
});

test('SM4 ECB/CBC agree with sm-crypto-v2 (PKCS#7) and round-trip', () => {
  fc.assert(fc.property(fc.uint8Array({ minLength: 16, maxLength: 16 }), fc.uint8Array({ minLength: 16, maxLength: 16 }), fc.uint8Array({ maxLength: 100 }), (key, iv, m) => {
    const ecb = sm4Ecb('encrypt', key, m, { padding: true });
    const cbc = sm4Cbc('encrypt', key, iv, m, { padding: true });
    return ecb.equals(Buffer.from(smCryptoSm4.encrypt(m, key, { output: 'array' }) as Uint8Array))
      && cbc.equals(Buffer.from(smCryptoSm4.encrypt(m, key, { mode: 'cbc', iv, output: 'array' }) as Uint8Array))
      && sm4Ecb('decrypt', key, ecb, { padding: true }).equals(Buffer.from(m))
      && sm4Cbc('decrypt', key, iv, cbc, { padding: true }).equals(Buffer.from(m))
      && sm4Ctr(key, iv, sm4Ctr(key, iv, m)).equals(Buffer.from(m));
  }), { numRuns: 100 });
});

test('SM4: padding on gives whole blocks; padding off requires them', () => {
  assert.equal(sm4Ecb('encrypt', KEY, Buffer.alloc(16), { padding: true }).length, 32);
  assert.equal(sm4Ecb('encrypt', KEY, Buffer.alloc(16)).length, 16);
  assert.throws(() => sm4Ecb('encrypt', KEY, Buffer.alloc(15)), (e: Error) => e instanceof Sm4Error && /multiple of 16/.test(e.message));
  assert.throws(() => sm4Cbc('decrypt', KEY, KEY, Buffer.alloc(17), { padding: true }), Sm4Error);
});

test('SM4: wrong key / IV lengths and bad padding are Sm4Error with the reason', () => {
  assert.throws(() => sm4Ecb('encrypt', Buffer.alloc(15), Buffer.alloc(16)), /key must be 16 bytes, got 15/);
  assert.throws(() => sm4Cbc('encrypt', KEY, Buffer.alloc(8), Buffer.alloc(16)), /IV must be 16 bytes, got 8/);
  assert.throws(() => sm4Ctr(KEY, Buffer.alloc(12), Buffer.alloc(16)), /IV must be 16 bytes/);
  assert.throws(() => sm4Ecb('sign' as 'encrypt', KEY, Buffer.alloc(16)), /'encrypt' or 'decrypt'/);
  // A random last block almost never carries valid PKCS#7 padding.
  const ct = sm4Cbc('encrypt', KEY, KEY, Buffer.from('0123456789abcdef0123456789abcdef'));
  assert.throws(() => sm4Cbc('decrypt', KEY, KEY, ct, { padding: true }), (e: Error) => e instanceof Sm4Error && /bad padding/.test(e.message));
});
