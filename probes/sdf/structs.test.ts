import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sm2Decrypt, sm2Encrypt, sm2GenerateKeyPair } from '../../lib/gm/index.ts';
import { cipherToRaw, decodeDeviceInfo, decodeEccCipher, decodeEccPublicKey, decodeEccSignature, eccCipherSize, encodeDeviceInfo, encodeEccCipher, encodeEccPublicKey, encodeEccSignature, rawToCipherParts, StructError } from './structs.ts';
import { isAnnexACode, SDR, sdrLabel } from './constants.ts';

test('ECCrefPublicKey: 132 bytes, bits LE at 0, x and y right-aligned in 64-byte arrays', () => {
  const kp = sm2GenerateKeyPair();
  const b = encodeEccPublicKey(kp.publicKey);
  assert.equal(b.length, 132);
  assert.equal(b.readUInt32LE(0), 256);
  assert.ok(b.subarray(4, 36).every((x) => x === 0));
  assert.deepEqual(b.subarray(36, 68), kp.publicKey.subarray(1, 33));
  assert.ok(b.subarray(68, 100).every((x) => x === 0));
  assert.deepEqual(b.subarray(100, 132), kp.publicKey.subarray(33, 65));
  const d = decodeEccPublicKey(b);
  assert.deepEqual(d.point, kp.publicKey);
  assert.equal(d.rightAligned, true);
  // a left-aligned encoding (a vendor compiled with ECCref_MAX_BITS 256 semantics) is detected
  const left = Buffer.alloc(132);
  left.writeUInt32LE(256, 0);
  kp.publicKey.subarray(1, 33).copy(left, 4);
  kp.publicKey.subarray(33).copy(left, 68);
  assert.equal(decodeEccPublicKey(left).rightAligned, false);
  assert.throws(() => decodeEccPublicKey(Buffer.alloc(100)), StructError);
});

test('ECCSignature: r at 32..64, s at 96..128', () => {
  const rs = Buffer.from(Array.from({ length: 64 }, (_, i) => i + 1));
  const b = encodeEccSignature(rs);
  assert.equal(b.length, 128);
  assert.deepEqual(b.subarray(32, 64), rs.subarray(0, 32));
  assert.deepEqual(b.subarray(96, 128), rs.subarray(32));
  assert.deepEqual(decodeEccSignature(b), { rs, rightAligned: true });
});

test('ECCCipher: x, y, M(C3), L, C; 2012 C[1] vs 2023 flexible array sizes; lib/gm decrypts the conversion', () => {
  const kp = sm2GenerateKeyPair();
  const msg = Buffer.from('encryption standard');
  const parts = rawToCipherParts(sm2Encrypt(kp.publicKey, msg, { format: 'raw' }));
  const c23 = encodeEccCipher(parts, '2023');
  assert.equal(c23.length, 164 + msg.length);
  assert.equal(c23.readUInt32LE(160), msg.length);
  assert.deepEqual(c23.subarray(128, 160), parts.c3);
  assert.deepEqual(c23.subarray(164), parts.c2);
  assert.equal(eccCipherSize('2012', 1), 165);
  assert.equal(eccCipherSize('2023', 1), 165);
  assert.equal(eccCipherSize('2012', 0), 165);
  assert.equal(eccCipherSize('2023', 0), 164);
  const d = decodeEccCipher(c23);
  assert.equal(d.l, msg.length);
  assert.equal(d.rightAligned, true);
  assert.deepEqual(sm2Decrypt(kp.privateKey, cipherToRaw(d), { format: 'raw' }), msg);
  const bad = Buffer.from(c23);
  bad.writeUInt32LE(10_000, 160);
  assert.throws(() => decodeEccCipher(bad), /L = 10000 runs past/);
});

test('DEVICEINFO: 100 bytes, fields at their offsets', () => {
  const info = { issuerName: 'vendor', deviceName: 'HSM', deviceSerial: '2024010100100001', deviceVersion: 1, standardVersion: 2, asymAlgAbility: [0x20a00, 256] as [number, number], symAlgAbility: 0x403, hashAlgAbility: 1, bufferSize: 4096 };
  const b = encodeDeviceInfo(info);
  assert.equal(b.length, 100);
  assert.equal(b.readUInt32LE(96), 4096);
  assert.equal(b.subarray(56, 72).toString('latin1'), '2024010100100001');
  assert.deepEqual(decodeDeviceInfo(b), info);
});

test('return codes are labelled by value; SDR_USERIDERR only in 2023', () => {
  assert.equal(sdrLabel(SDR.SDR_PARDENY), 'SDR_PARDENY (0x01000007)');
  assert.match(sdrLabel(0x0100ffff), /not an Annex A code/);
  assert.equal(isAnnexACode(SDR.SDR_USERIDERR, '2012'), false);
  assert.equal(isAnnexACode(SDR.SDR_USERIDERR, '2023'), true);
});
