import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createCipheriv, randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { GcmAuthError, GcmMode, type GcmBlockCipher, Sm4Gcm, sm4BlockCipher, sm4GcmDecrypt, sm4GcmEncrypt } from './sm4-gcm.ts';
import { sm4 as smCryptoSm4 } from 'sm-crypto-v2';

const H = (s: string) => Buffer.from(s, 'hex');
const RFC = {
  key: H('0123456789abcdeffedcba9876543210'), iv: H('00001234567800000000abcd'), aad: H('feedfacedeadbeeffeedfacedeadbeefabaddad2'),
  pt: H('aaaaaaaaaaaaaaaabbbbbbbbbbbbbbbbccccccccccccccccddddddddddddddddeeeeeeeeeeeeeeeeffffffffffffffffeeeeeeeeeeeeeeeeaaaaaaaaaaaaaaaa'),
  ct: H('17f399f08c67d5ee19d0dc9969c4bb7d5fd46fd3756489069157b282bb200735d82710ca5c22f0ccfa7cbf93d496ac15a56834cbcf98c397b4024a2691233b8d'),
  tag: H('83de3541e4c2b58177e065a9bf7b62ec'),
};

function aes(key: Buffer): GcmBlockCipher {
  return {
    encryptBlock: (b) => createCipheriv('aes-128-ecb', key, null).setAutoPadding(false).update(b),
    ctr: (c, d) => { const x = createCipheriv('aes-128-ctr', key, c); return Buffer.concat([x.update(d), x.final()]); },
  };
}

/** AES with a streaming CTR, so GcmMode takes its one-pass E(J0)+GCTR path. */
function aesStreaming(key: Buffer): GcmBlockCipher {
  return { ...aes(key), ctrStream: (c) => createCipheriv('aes-128-ctr', key, c) };
}

test('GCM one-pass keystream path (ctrStream) equals Node\'s native AES-128-GCM, both directions', () => {
  fc.assert(fc.property(
    fc.uint8Array({ minLength: 16, maxLength: 16 }), fc.uint8Array({ minLength: 1, maxLength: 40 }), fc.uint8Array({ maxLength: 100 }), fc.uint8Array({ maxLength: 300 }),
    (key, iv, aad, pt) => {
      const mode = new GcmMode(aesStreaming(Buffer.from(key)));
      const ours = mode.encrypt(iv, pt, aad);
      const c = createCipheriv('aes-128-gcm', key, iv);
      c.setAAD(aad);
      const ct = Buffer.concat([c.update(pt), c.final()]);
      return ours.ciphertext.equals(ct) && ours.tag.equals(c.getAuthTag()) && mode.decrypt(iv, ct, c.getAuthTag(), aad).equals(Buffer.from(pt));
    }), { numRuns: 300 });
});

class KeystreamGcm extends GcmMode {
  run(j0: Buffer, data: Uint8Array): { ekJ0: Uint8Array; out: Buffer } {
    return this.keystream(j0, data);
  }
}

test('one-pass keystream falls back to inc32 GCTR when the low counter word would wrap', () => {
  const key = randomBytes(16);
  const cipher = sm4BlockCipher(key);
  assert.ok(cipher.ctrStream, 'SM4 offers the streaming CTR');
  for (const low of ['fffffffd', '00000001']) {
    const j0 = Buffer.from(`0102030405060708090a0b0c${low}`, 'hex');
    const data = randomBytes(16 * 4 + 3);
    const { ekJ0, out } = new KeystreamGcm(cipher).run(j0, data);
    const expected = Buffer.alloc(data.length);
    const ctr = Buffer.from(j0);
    assert.deepEqual(Buffer.from(ekJ0), cipher.encryptBlock(ctr));
    for (let o = 0; o < data.length; o += 16) {
      ctr.writeUInt32BE((ctr.readUInt32BE(12) + 1) >>> 0, 12);
      const ks = cipher.encryptBlock(ctr);
      for (let i = 0; i < 16 && o + i < data.length; i++) expected[o + i] = data[o + i]! ^ ks[i]!;
    }
    assert.deepEqual(out, expected, `J0 low word ${low}`);
  }
});

test('SM4-GCM: RFC 8998 A.1', () => {
  const { ciphertext, tag } = sm4GcmEncrypt(RFC.key, RFC.iv, RFC.pt, RFC.aad);
  assert.deepEqual(ciphertext, RFC.ct);
  assert.deepEqual(tag, RFC.tag);
  assert.deepEqual(sm4GcmDecrypt(RFC.key, RFC.iv, RFC.ct, RFC.tag, RFC.aad), RFC.pt);
});

test('GCM mode over AES equals Node\'s native AES-128-GCM (checks GHASH, J0 for any IV length, lengths block)', () => {
  fc.assert(fc.property(
    fc.uint8Array({ minLength: 16, maxLength: 16 }), fc.uint8Array({ minLength: 1, maxLength: 40 }), fc.uint8Array({ maxLength: 100 }), fc.uint8Array({ maxLength: 300 }),
    (key, iv, aad, pt) => {
      const ours = new GcmMode(aes(Buffer.from(key))).encrypt(iv, pt, aad);
      const c = createCipheriv('aes-128-gcm', key, iv);
      c.setAAD(aad);
      const ct = Buffer.concat([c.update(pt), c.final()]);
      return ours.ciphertext.equals(ct) && ours.tag.equals(c.getAuthTag());
    }), { numRuns: 300 });
});

test('SM4-GCM agrees with sm-crypto-v2 (independent implementation) for 12-byte IVs', () => {
  fc.assert(fc.property(
    fc.uint8Array({ minLength: 16, maxLength: 16 }), fc.uint8Array({ minLength: 12, maxLength: 12 }), fc.uint8Array({ maxLength: 50 }), fc.uint8Array({ minLength: 1, maxLength: 200 }),
    (key, iv, aad, pt) => {
      const ours = sm4GcmEncrypt(key, iv, pt, aad);
      const theirs = smCryptoSm4.encrypt(pt, key, { mode: 'gcm', iv, associatedData: aad, output: 'array', outputTag: true }) as unknown as { output: Uint8Array; tag: Uint8Array };
      return ours.ciphertext.equals(Buffer.from(theirs.output)) && ours.tag.equals(Buffer.from(theirs.tag));
    }), { numRuns: 50 });
});

test('SM4-GCM round trip over random lengths, including 0 and non-multiples of 16, any IV length and tag length 12..16', () => {
  fc.assert(fc.property(
    fc.uint8Array({ minLength: 16, maxLength: 16 }), fc.uint8Array({ minLength: 1, maxLength: 33 }), fc.uint8Array({ maxLength: 70 }), fc.uint8Array({ maxLength: 600 }), fc.integer({ min: 12, max: 16 }),
    (key, iv, aad, pt, tagLength) => {
      const { ciphertext, tag } = sm4GcmEncrypt(key, iv, pt, aad, { tagLength });
      return tag.length === tagLength && ciphertext.length === pt.length && sm4GcmDecrypt(key, iv, ciphertext, tag, aad).equals(Buffer.from(pt));
    }), { numRuns: 200 });
});

test('SM4-GCM rejects wrong tag, tampered ciphertext / AAD / IV, wrong key and truncated tags with GcmAuthError only', () => {
  const bad: [string, () => unknown][] = [
    ['tag', () => sm4GcmDecrypt(RFC.key, RFC.iv, RFC.ct, Buffer.from(RFC.tag).fill(0, 15), RFC.aad)],
    ['ciphertext', () => { const c = Buffer.from(RFC.ct); c[3]! ^= 0x80; return sm4GcmDecrypt(RFC.key, RFC.iv, c, RFC.tag, RFC.aad); }],
    ['aad', () => sm4GcmDecrypt(RFC.key, RFC.iv, RFC.ct, RFC.tag, RFC.aad.subarray(1))],
    ['missing aad', () => sm4GcmDecrypt(RFC.key, RFC.iv, RFC.ct, RFC.tag)],
    ['iv', () => sm4GcmDecrypt(RFC.key, H('00001234567800000000abce'), RFC.ct, RFC.tag, RFC.aad)],
    ['key', () => sm4GcmDecrypt(randomBytes(16), RFC.iv, RFC.ct, RFC.tag, RFC.aad)],
    ['short tag 11', () => sm4GcmDecrypt(RFC.key, RFC.iv, RFC.ct, RFC.tag.subarray(0, 11), RFC.aad)],
    ['empty tag', () => sm4GcmDecrypt(RFC.key, RFC.iv, RFC.ct, new Uint8Array(0), RFC.aad)],
    ['truncated ciphertext', () => sm4GcmDecrypt(RFC.key, RFC.iv, RFC.ct.subarray(0, 63), RFC.tag, RFC.aad)],
  ];
  for (const [what, f] of bad) assert.throws(f, (e: Error) => e instanceof GcmAuthError && e.message === 'GCM authentication failed', what);
  // A truncated (12-byte) tag of the right value is accepted, as SP 800-38D allows.
  assert.deepEqual(sm4GcmDecrypt(RFC.key, RFC.iv, RFC.ct, RFC.tag.subarray(0, 12), RFC.aad), RFC.pt);
});

test('SM4-GCM argument errors', () => {
  assert.throws(() => sm4GcmEncrypt(RFC.key, new Uint8Array(0), RFC.pt), /IV must be a non-empty/);
  assert.throws(() => sm4GcmEncrypt(RFC.key.subarray(1), RFC.iv, RFC.pt), /key must be 16 bytes/);
  assert.throws(() => sm4GcmEncrypt(RFC.key, RFC.iv, RFC.pt, undefined, { tagLength: 8 }), /12\.\.16/);
});

class ExposedGcm extends GcmMode {
  run(icb: Buffer, data: Uint8Array): Buffer {
    return this.gctr(icb, data);
  }
}

test('GCTR wraps only the low 32 bits of the counter (inc32), unlike a 128-bit CTR', () => {
  const key = randomBytes(16);
  const cipher = sm4BlockCipher(key);
  const icb = Buffer.from('0102030405060708090a0b0cfffffffe', 'hex');
  const data = randomBytes(16 * 5 + 7);
  const got = new ExposedGcm(cipher).run(icb, data);
  // Reference: encrypt each counter block on its own, incrementing mod 2^32.
  const expected = Buffer.alloc(data.length);
  const ctr = Buffer.from(icb);
  for (let o = 0; o < data.length; o += 16) {
    const ks = cipher.encryptBlock(ctr);
    for (let i = 0; i < 16 && o + i < data.length; i++) expected[o + i] = data[o + i]! ^ ks[i]!;
    ctr.writeUInt32BE((ctr.readUInt32BE(12) + 1) >>> 0, 12);
  }
  assert.deepEqual(got, expected);
  // And the plain 128-bit CTR differs after the wrap, so the split matters.
  assert.notDeepEqual(cipher.ctr(icb, data), expected);
});

test('Sm4Gcm context reuse gives the same results as the one-shot functions', () => {
  const g = new Sm4Gcm(RFC.key);
  assert.deepEqual(g.encrypt(RFC.iv, RFC.pt, RFC.aad), { ciphertext: RFC.ct, tag: RFC.tag });
  assert.deepEqual(g.decrypt(RFC.iv, RFC.ct, RFC.tag, RFC.aad), RFC.pt);
});
