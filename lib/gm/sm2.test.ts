import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { sm2 as smc } from 'sm-crypto-v2';
import {
  SM2_EXAMPLE_FP256, SM2_P256V1, Sm2DecryptError, Sm2KeyError, decodeSm2Cipher, decodeSm2Signature, encodeSm2Signature, sm2CompressPublicKey,
  sm2Decrypt, sm2Encrypt, sm2GenerateKeyPair, sm2PublicKeyFromPrivate, sm2Sign, sm2SignDigest, sm2ValidatePublicKey, sm2Verify,
  sm2VerifyDigest, sm2Z,
} from './sm2.ts';
import { sm3 } from './sm3.ts';

const H = (s: string) => Buffer.from(s.replace(/\s+/g, ''), 'hex');
const D = H('3945208F7B2144B13F36E38AC6D39F95889393692860B51A42FB81EF4DF7C5B8');
const P = sm2PublicKeyFromPrivate(D);
const K = BigInt('0x59276E27D506861A16680F3AD9C02DCCEF3CC1FA3CDBE4CE6D54B80DEAC1BC21');
const MSG = Buffer.from('message digest');
const RS = H('F5A03B0648D2C4630EEAC513E1BB81A15944DA3827D5B74143AC7EACEEE720B3B1B6AA29DF212FD8763182BC0D421CA1BB9038FD1F7F42D4840B69C485BBC1AA');
const n = SM2_P256V1.n;

// One shared key pair keeps property tests fast (keygen is itself tested below).
const KP = sm2GenerateKeyPair();

test('GB/T 32918.5 Annex A: public key, Z, e and the fixed-k signature', () => {
  assert.equal(P.toString('hex').toUpperCase(), '0409F9DF311E5421A150DD7D161E4BC5C672179FAD1833FC076BB08FF356F35020CCEA490CE26775A52DC6EA718CC1AA600AED05FBF35E084A6632F6072DA9AD13');
  const z = sm2Z(P);
  assert.equal(z.toString('hex').toUpperCase(), 'B2E14C5C79C6DF5B85F4FE7ED8DB7A262B9DA7E07CCB0EA9F4747B8CCDA8A4F3');
  const e = sm3(z, MSG);
  assert.equal(e.toString('hex').toUpperCase(), 'F0B43E94BA45ACCAACE692ED534382EB17E6AB5A19CE7B31F4486FDFC0D28640');
  assert.deepEqual(sm2Sign(D, MSG, { k: K, format: 'raw' }), RS);
  assert.deepEqual(sm2SignDigest(D, e, { k: K, format: 'raw' }), RS);
  assert.equal(sm2Verify(P, MSG, RS, { format: 'raw' }), true);
  assert.equal(sm2VerifyDigest(P, e, RS, { format: 'raw' }), true);
  // DER form of the same signature: both INTEGERs need a leading 00.
  const der = sm2Sign(D, MSG, { k: K });
  assert.equal(der.toString('hex').slice(0, 12), '3046022100f5');
  assert.equal(sm2Verify(P, MSG, der), true);
});

test('SM2 sign/verify round trip (OpenSSL engine signs; both engines verify), DER and raw', () => {
  fc.assert(fc.property(fc.uint8Array({ maxLength: 200 }), fc.constantFrom<'der' | 'raw'>('der', 'raw'), fc.option(fc.string({ maxLength: 20 }), { nil: undefined }), (m, format, id) => {
    const sig = sm2Sign(KP.privateKey, m, { format, id });
    const e = sm3(sm2Z(KP.publicKey, id), m);
    return sm2Verify(KP.publicKey, m, sig, { format, id })
      && sm2VerifyDigest(KP.publicKey, e, sig, { format })
      && !sm2Verify(KP.publicKey, Buffer.concat([m, Buffer.from([0])]), sig, { format, id })
      && !sm2Verify(KP.publicKey, m, sig, { format, id: (id ?? '') + 'x' });
  }), { numRuns: 40 });
});

test('noble engine (random k) signatures verify through the OpenSSL engine and vice versa', () => {
  for (let i = 0; i < 10; i++) {
    const m = Buffer.from(`message ${i}`);
    const e = sm3(sm2Z(KP.publicKey), m);
    const byNoble = sm2SignDigest(KP.privateKey, e); // noble path, random k
    assert.equal(sm2Verify(KP.publicKey, m, byNoble), true); // OpenSSL path
    const byOpenssl = sm2Sign(KP.privateKey, m);
    assert.equal(sm2VerifyDigest(KP.publicKey, e, byOpenssl), true); // noble path
  }
});

test('SM2 interop with sm-crypto-v2 (hash: true, DER): both directions', () => {
  const privHex = KP.privateKey.toString('hex');
  const pubHex = KP.publicKey.toString('hex');
  for (let i = 0; i < 5; i++) {
    const m = Buffer.from(`interop ${i} 国密`);
    const theirs = smc.doSignature(m, privHex, { hash: true, der: true, publicKey: pubHex });
    assert.equal(sm2Verify(KP.publicKey, m, H(theirs)), true);
    const ours = sm2Sign(KP.privateKey, m);
    assert.equal(smc.doVerifySignature(m, ours.toString('hex'), pubHex, { hash: true, der: true }), true);
    // Encryption: sm-crypto's C1C3C2 hex has no 04 prefix; ours raw has it.
    const ctTheirs = smc.doEncrypt(m, pubHex, 1);
    assert.deepEqual(sm2Decrypt(KP.privateKey, H('04' + ctTheirs), { format: 'raw' }), m);
    const ctOurs = sm2Encrypt(KP.publicKey, m, { format: 'raw' });
    assert.deepEqual(Buffer.from(smc.doDecrypt(ctOurs.subarray(1).toString('hex'), privHex, 1, { output: 'array' })), m);
  }
});

test('verify is false (never throws) for malformed or out-of-range signatures', () => {
  const good = sm2Sign(D, MSG, { k: K });
  const cases: [string, Uint8Array][] = [
    ['empty', new Uint8Array(0)],
    ['trailing byte', Buffer.concat([good, Buffer.from([0])])],
    ['truncated', good.subarray(0, good.length - 1)],
    ['wrong outer tag', Buffer.concat([Buffer.from([0x31]), good.subarray(1)])],
    ['non-minimal INTEGER', H('3047022200' + '00' + RS.subarray(0, 32).toString('hex') + '022100' + RS.subarray(32).toString('hex'))],
    ['missing leading 00 (negative r)', H('30440220' + RS.subarray(0, 32).toString('hex') + '0220' + RS.subarray(32).toString('hex'))],
    ['long-form length for short content', H('30814602210' + '0' + RS.subarray(0, 32).toString('hex') + '022100' + RS.subarray(32).toString('hex'))],
    ['three INTEGERs', Buffer.concat([H('3049'), good.subarray(2), H('020101')])],
    ['r = 0', encodeSm2Signature(0n, 5n)],
    ['s = 0', encodeSm2Signature(5n, 0n)],
    ['r = n', encodeSm2Signature(n, 5n)],
    ['s = n', encodeSm2Signature(5n, n)],
    ['r + s = n', encodeSm2Signature(1n, n - 1n)],
  ];
  for (const [what, sig] of cases) {
    assert.equal(sm2Verify(P, MSG, sig), false, what);
    assert.equal(sm2VerifyDigest(P, sm3(sm2Z(P), MSG), sig), false, what);
  }
  assert.equal(sm2Verify(P, MSG, RS.subarray(1), { format: 'raw' }), false);
  assert.equal(sm2Verify(P, MSG, RS), false); // raw bytes given as DER
  assert.throws(() => decodeSm2Signature(H('3006020101020101ff')), /trailing|overruns|at byte/);
});

test('public keys: on curve, in range, not infinity, compressed form accepted', () => {
  assert.equal(sm2ValidatePublicKey(P), true);
  const compressed = sm2CompressPublicKey(P);
  assert.equal(compressed.length, 33);
  assert.equal(sm2ValidatePublicKey(compressed), true);
  assert.equal(sm2Verify(compressed, MSG, RS, { format: 'raw' }), true);
  const offCurve = Buffer.from(P);
  offCurve[64] = offCurve[64]! ^ 1;
  assert.equal(sm2ValidatePublicKey(offCurve), false);
  assert.equal(sm2Verify(offCurve, MSG, RS, { format: 'raw' }), false);
  assert.throws(() => sm2Encrypt(offCurve, MSG), (e: Error) => e instanceof Sm2KeyError && /not a point on the curve/.test(e.message));
  const pHex = SM2_P256V1.p.toString(16).padStart(64, '0');
  assert.equal(sm2ValidatePublicKey(H('04' + pHex + P.subarray(33).toString('hex'))), false); // x = p
  assert.equal(sm2ValidatePublicKey(Buffer.alloc(65)), false); // (0,0): not on the curve (b ≠ 0)
  assert.equal(sm2ValidatePublicKey(H('00')), false); // infinity
  assert.equal(sm2ValidatePublicKey(P.subarray(1)), false); // missing 04
  assert.equal(sm2ValidatePublicKey(Buffer.concat([H('05'), P.subarray(1)])), false);
  assert.equal(sm2ValidatePublicKey(sm2PublicKeyFromPrivate(D, SM2_EXAMPLE_FP256)), false); // other curve's point
});

test('private keys: range [1, n-2], length 32', () => {
  const hex = (x: bigint) => H(x.toString(16).padStart(64, '0'));
  assert.throws(() => sm2Sign(Buffer.alloc(32), MSG), /out of range/);
  assert.throws(() => sm2Sign(hex(n - 1n), MSG), /out of range/);
  assert.throws(() => sm2Sign(hex(n), MSG), /out of range/);
  assert.throws(() => sm2Sign(D.subarray(1), MSG), /32 bytes, got 31/);
  assert.equal(sm2Verify(sm2PublicKeyFromPrivate(hex(n - 2n)), MSG, sm2Sign(hex(n - 2n), MSG)), true);
  assert.equal(sm2Verify(sm2PublicKeyFromPrivate(hex(1n)), MSG, sm2Sign(hex(1n), MSG)), true);
});

test('key generation uses fresh randomness and yields valid pairs', () => {
  const a = sm2GenerateKeyPair();
  const b = sm2GenerateKeyPair();
  assert.notDeepEqual(a.privateKey, b.privateKey);
  assert.equal(a.privateKey.length, 32);
  assert.deepEqual(sm2PublicKeyFromPrivate(a.privateKey), a.publicKey);
  assert.equal(sm2ValidatePublicKey(a.publicKey), true);
});

test('GB/T 32918.5 Annex C encryption with fixed k, DER and raw', () => {
  const der = sm2Encrypt(P, Buffer.from('encryption standard'), { k: K });
  assert.equal(der.toString('hex').toUpperCase(), '307C022004EBFC718E8D1798620432268E77FEB6415E2EDE0E073C0F4F640ECD2E149A73022100E858F9D81E5430A57B36DAAB8F950A3C64E6EE6A63094D99283AFF767E124DF0042059983C18F809E262923C53AEC295D30383B54E39D609D160AFCB1908D0BD8766041321886CA989CA9C7D58087307CA93092D651EFA');
  const raw = sm2Encrypt(P, Buffer.from('encryption standard'), { k: K, format: 'raw' });
  assert.equal(raw.toString('hex').toUpperCase(), '04' + '04EBFC718E8D1798620432268E77FEB6415E2EDE0E073C0F4F640ECD2E149A73E858F9D81E5430A57B36DAAB8F950A3C64E6EE6A63094D99283AFF767E124DF0' + '59983C18F809E262923C53AEC295D30383B54E39D609D160AFCB1908D0BD8766' + '21886CA989CA9C7D58087307CA93092D651EFA');
  assert.deepEqual(sm2Decrypt(D, raw, { format: 'raw' }), Buffer.from('encryption standard'));
});

test('SM2 encrypt/decrypt round trip over random plaintexts (DER and raw)', () => {
  fc.assert(fc.property(fc.uint8Array({ minLength: 1, maxLength: 300 }), fc.constantFrom<'der' | 'raw'>('der', 'raw'), (m, format) => {
    const ct = sm2Encrypt(KP.publicKey, m, { format });
    return sm2Decrypt(KP.privateKey, ct, { format }).equals(Buffer.from(m));
  }), { numRuns: 25 });
});

test('decrypt: any tampering, wrong key or malformed input is one Sm2DecryptError', () => {
  const m = Buffer.from('attack at dawn');
  const der = sm2Encrypt(KP.publicKey, m);
  const raw = sm2Encrypt(KP.publicKey, m, { format: 'raw' });
  const other = sm2GenerateKeyPair();
  const parts = decodeSm2Cipher(der);
  const flipAt = (b: Buffer, i: number) => { const c = Buffer.from(b); c[i] = c[i]! ^ 1; return c; };
  const cases: [string, () => unknown][] = [
    ['C2 bit flipped', () => sm2Decrypt(KP.privateKey, flipAt(der, der.length - 1))],
    ['C3 bit flipped', () => sm2Decrypt(KP.privateKey, flipAt(raw, 70), { format: 'raw' })],
    ['C1 not on curve', () => sm2Decrypt(KP.privateKey, flipAt(raw, 10), { format: 'raw' })],
    ['wrong key', () => sm2Decrypt(other.privateKey, der)],
    ['raw without 04', () => sm2Decrypt(KP.privateKey, raw.subarray(1), { format: 'raw' })],
    ['raw given as DER', () => sm2Decrypt(KP.privateKey, raw)],
    ['DER given as raw', () => sm2Decrypt(KP.privateKey, der, { format: 'raw' })],
    ['C1C2C3 order', () => sm2Decrypt(KP.privateKey, Buffer.concat([raw.subarray(0, 65), parts.c2, parts.c3]), { format: 'raw' })],
    ['trailing byte', () => sm2Decrypt(KP.privateKey, Buffer.concat([der, H('00')]))],
    ['empty', () => sm2Decrypt(KP.privateKey, new Uint8Array(0))],
    ['HASH 31 bytes', () => sm2Decrypt(KP.privateKey, H('3029020101020101041f' + '00'.repeat(31) + '040101'))],
  ];
  for (const [what, f] of cases) assert.throws(f, (e: Error) => e instanceof Sm2DecryptError && e.message === 'SM2 decryption failed', what);
  assert.throws(() => sm2Encrypt(KP.publicKey, new Uint8Array(0)), /at least 1 byte/);
});

test('example curve (GB/T 32918.2/.4 Annex A) runs through the same code', () => {
  const C = SM2_EXAMPLE_FP256;
  const dA = H('128B2FA8BD433C6C068C8D803DFF79792A519A55171B1B650C23661D15897263');
  const pA = sm2PublicKeyFromPrivate(dA, C);
  assert.equal(pA.toString('hex').toUpperCase(), '040AE4C7798AA0F119471BEE11825BE46202BB79E2A5844495E97C04FF4DF2548A7C0240F88F1CD4E16352A73C17B7F16F07353E53A176D684A9FE0C6BB798E857');
  const sig = sm2Sign(dA, MSG, { curve: C, id: 'ALICE123@YAHOO.COM', k: BigInt('0x6CB28D99385C175C94F94E934817663FC176D925DD72B727260DBAAE1FB2F96F'), format: 'raw' });
  assert.equal(sig.toString('hex').toUpperCase(), '40F1EC59F793D9F49E09DCEF49130D4194F79FB1EED2CAA55BACDB49C4E755D16FC6DAC32C5D5CF10C77DFB20F7C2EB667A457872FB09EC56327A67EC7DEEBE7');
  assert.equal(sm2Verify(pA, MSG, sig, { curve: C, id: 'ALICE123@YAHOO.COM', format: 'raw' }), true);
  assert.equal(sm2Verify(pA, MSG, sig, { curve: C, format: 'raw' }), false); // default ID → other Z
  const rnd = sm2Sign(dA, MSG, { curve: C }); // random k on the noble path
  assert.equal(sm2Verify(pA, MSG, rnd, { curve: C }), true);
});

test('sm2CreateSigner: prepared key signs like sm2Sign (verified by ours and by sm-crypto-v2), refuses a foreign public key', async () => {
  const { sm2CreateSigner } = await import('./sm2.ts');
  const kp = sm2GenerateKeyPair();
  const signer = sm2CreateSigner(kp.privateKey, kp.publicKey);
  assert.deepEqual(signer.publicKey, kp.publicKey);
  assert.deepEqual(signer.z(), sm2Z(kp.publicKey));
  for (const m of [Buffer.alloc(0), MSG, Buffer.alloc(1000, 7)]) {
    const sig = signer.sign(m);
    assert.ok(sm2Verify(kp.publicKey, m, sig), 'default ID');
    assert.ok(smc.doVerifySignature(m, sig.toString('hex'), kp.publicKey.toString('hex'), { hash: true, der: true }), 'sm-crypto-v2 accepts it');
    assert.ok(!sm2Verify(kp.publicKey, Buffer.concat([m, Buffer.from([1])]), sig), 'bound to the message');
  }
  assert.ok(sm2Verify(kp.publicKey, MSG, signer.sign(MSG, 'alice@example'), { id: 'alice@example' }), 'custom ID');
  assert.ok(!sm2Verify(kp.publicKey, MSG, signer.sign(MSG, 'alice@example')), 'custom ID is not the default');
  // an empty prefix signs e = SM3(M): what a caller that computed no Z gets
  assert.ok(sm2VerifyDigest(kp.publicKey, sm3(MSG), signer.signWithPrefix(Buffer.alloc(0), MSG)));
  assert.throws(() => sm2CreateSigner(kp.privateKey, sm2GenerateKeyPair().publicKey), Sm2KeyError);
  assert.throws(() => sm2CreateSigner(Buffer.alloc(32)), Sm2KeyError);
});

test('sm2RecoverY recovers y of [k]P from x([k]P), x([k]P + [k]G) and [k]G (checked against @noble point multiplication)', async () => {
  const { sm2RecoverY } = await import('./sm2.ts');
  const curve = SM2_P256V1;
  fc.assert(fc.property(fc.bigInt({ min: 2n, max: n - 2n }), (k) => {
    const P = curve.Point.fromBytes(KP.publicKey);
    const S = P.multiply(k);
    const C = curve.Point.BASE.multiply(k);
    return sm2RecoverY(curve, C, S.x, S.add(C).x) === S.y && sm2RecoverY(curve, C, S.x, S.negate().add(C).x) === curve.p - S.y;
  }), { numRuns: 40 });
  const C = curve.Point.BASE;
  assert.equal(sm2RecoverY(curve, C, C.x, 5n), undefined, 'x_S = x_C has no unique answer');
});

test('SM2 encryption and decryption on the OpenSSL ECDH paths interoperate with sm-crypto-v2 both ways', () => {
  for (let i = 0; i < 40; i++) {
    const m = Buffer.from(`envelope ${i} ${'x'.repeat(i)}`);
    const der = sm2Encrypt(KP.publicKey, m);
    assert.deepEqual(sm2Decrypt(KP.privateKey, der), m);
    const raw = sm2Encrypt(KP.publicKey, m, { format: 'raw' });
    assert.deepEqual(Buffer.from(smc.doDecrypt(raw.subarray(1).toString('hex'), KP.privateKey.toString('hex'), 1, { output: 'array' })), m);
    assert.ok(SM2_P256V1.Point.fromBytes(raw.subarray(0, 65)), 'C1 is a curve point');
    // and the OpenSSL decryption path opens what an independent implementation encrypted
    assert.deepEqual(sm2Decrypt(KP.privateKey, H('04' + smc.doEncrypt(m, KP.publicKey.toString('hex'), 1)), { format: 'raw' }), m);
  }
});
