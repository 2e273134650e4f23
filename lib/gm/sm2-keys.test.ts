import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createPrivateKey } from 'node:crypto';
import { join } from 'node:path';
import {
  sm2PrivateKeyFromPem, sm2PrivateKeyToPem, sm2PrivateKeyToPkcs8Der, sm2PrivateKeyToSec1Der, sm2PrivateKeyToSec1Pem, sm2PublicKeyFromPem,
  sm2PublicKeyFromSpki, sm2PublicKeyToPem, sm2PublicKeyToSpki,
} from './sm2-keys.ts';
import { Sm2KeyError, sm2CompressPublicKey, sm2GenerateKeyPair } from './sm2.ts';

const FIX = join(import.meta.dirname, '../../test/fixtures/gm');
const read = (f: string) => readFileSync(join(FIX, f), 'utf8');

test('reads OpenSSL-written PKCS#8, SEC1 ("SM2 PRIVATE KEY") and SPKI PEM; they describe one key', () => {
  const p8 = sm2PrivateKeyFromPem(read('openssl-sm2-pkcs8.pem'));
  const sec1 = sm2PrivateKeyFromPem(read('openssl-sm2-sec1.pem'));
  const pub = sm2PublicKeyFromPem(read('openssl-sm2-pub.pem'));
  assert.deepEqual(p8, sec1);
  assert.deepEqual(p8.publicKey, pub);
});

test('writes PKCS#8 exactly as OpenSSL does and round-trips all forms', () => {
  const openssl = read('openssl-sm2-pkcs8.pem');
  const kp = sm2PrivateKeyFromPem(openssl);
  assert.equal(sm2PrivateKeyToPem(kp), openssl);
  assert.equal(sm2PublicKeyToPem(kp.publicKey), read('openssl-sm2-pub.pem'));
  const fresh = sm2GenerateKeyPair();
  assert.deepEqual(sm2PrivateKeyFromPem(sm2PrivateKeyToPem(fresh)), fresh);
  assert.deepEqual(sm2PrivateKeyFromPem(sm2PrivateKeyToSec1Pem(fresh)), fresh);
  assert.deepEqual(sm2PrivateKeyFromPem(sm2PrivateKeyToPkcs8Der(fresh)), fresh);
  assert.deepEqual(sm2PrivateKeyFromPem(sm2PrivateKeyToSec1Der(fresh)), fresh);
  assert.deepEqual(sm2PublicKeyFromSpki(sm2PublicKeyToSpki(fresh.publicKey)), fresh.publicKey);
  assert.deepEqual(sm2PublicKeyFromSpki(sm2PublicKeyToSpki(sm2CompressPublicKey(fresh.publicKey))), fresh.publicKey);
  // Node's OpenSSL accepts what we write.
  assert.doesNotThrow(() => createPrivateKey(sm2PrivateKeyToPem(fresh)));
});

test('bad key files: clear errors naming the structure and byte offset', () => {
  const kp = sm2GenerateKeyPair();
  const der = sm2PrivateKeyToPkcs8Der(kp);
  assert.throws(() => sm2PrivateKeyFromPem('-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n'), (e: Error) => e instanceof Sm2KeyError && /no PEM block labelled PRIVATE KEY.*found CERTIFICATE/.test(e.message));
  assert.throws(() => sm2PrivateKeyFromPem('-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----\n'), /encrypted PKCS#8/);
  assert.throws(() => sm2PrivateKeyFromPem(der.subarray(0, der.length - 3)), (e: Error) => e instanceof Sm2KeyError && /at byte \d+/.test(e.message));
  // P-256 curve OID instead of SM2.
  const p256 = Buffer.from(der);
  const at = p256.indexOf(Buffer.from('06082a811ccf5501822d', 'hex'));
  Buffer.from('06082a8648ce3d030107', 'hex').copy(p256, at);
  assert.throws(() => sm2PrivateKeyFromPem(p256), /1\.2\.840\.10045\.3\.1\.7 is not sm2p256v1/);
  // Embedded public key that does not match d.
  const other = sm2GenerateKeyPair();
  const mixed = Buffer.concat([der.subarray(0, der.length - 64), other.publicKey.subarray(1)]);
  assert.throws(() => sm2PrivateKeyFromPem(mixed), /does not match/);
  const spki = sm2PublicKeyToSpki(kp.publicKey);
  const offCurve = Buffer.from(spki);
  offCurve[offCurve.length - 1]! ^= 1;
  assert.throws(() => sm2PublicKeyFromSpki(offCurve), /not a point on the curve/);
  assert.throws(() => sm2PublicKeyFromSpki(Buffer.concat([spki, Buffer.from([0])])), /trailing bytes/);
});
