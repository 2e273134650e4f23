import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sm2 } from 'sm-crypto-v2';
import { sm2GenerateKeyPair } from '../gm/index.ts';
import { ext, issueCertificate, issueCrl, selfIssuer } from './builder.ts';
import { classifyCertificate } from './classify.ts';
import { parseCrl } from './crl.ts';
import { Asn1Error, decodeOid, encodeOid, parseDer } from './der.ts';
import { loadPkiObjects } from './input.ts';
import { parseCertificate } from './x509.ts';

const D = (s: string) => new Date(s + 'T00:00:00Z');
const keys = sm2GenerateKeyPair();
const name: [string, string][] = [['C', 'CN'], ['CN', 'Unit Root']];
const root = issueCertificate({ subject: name, notBefore: D('2025-01-01'), notAfter: D('2035-01-01'), publicKey: keys.publicKey,
  extensions: [ext.basicConstraints(true), ext.keyUsage(['keyCertSign', 'cRLSign'])] }, selfIssuer(keys, name));

test('builder signatures verify with an independent SM2 implementation (sm-crypto-v2, default ID)', () => {
  const c = parseCertificate(root.der);
  const tbs = Uint8Array.from(c.tbs.bytes); // sm-crypto-v2 reads a string message as UTF-8, so pass bytes
  const sigHex = Buffer.from(c.signature.bytes).toString('hex');
  const pubHex = Buffer.from(keys.publicKey).toString('hex');
  assert.equal(sm2.doVerifySignature(tbs, sigHex, pubHex, { der: true, hash: true, userId: '1234567812345678' }), true);
  assert.equal(sm2.doVerifySignature(tbs, sigHex, pubHex, { der: true, hash: true, userId: '' }), false, 'Z depends on the ID');
  const tampered = Uint8Array.from(tbs);
  tampered[tampered.length - 1]! ^= 1;
  assert.equal(sm2.doVerifySignature(tampered, sigHex, pubHex, { der: true, hash: true, userId: '1234567812345678' }), false);
});

test('parser keeps absolute offsets and classifies', () => {
  const c = parseCertificate(root.der);
  assert.equal(c.node.start, 0);
  assert.equal(root.der[c.serial.node.start], 0x02);
  assert.equal(c.spki.algorithm.oid, '1.2.840.10045.2.1');
  assert.equal(classifyCertificate(c), 'root');
  const crl = parseCrl(issueCrl({ thisUpdate: D('2026-01-01'), nextUpdate: D('2026-01-08'), crlNumber: 1n }, selfIssuer(keys, name)).der);
  assert.equal(crl.version, 2);
  assert.equal(crl.nextUpdate?.raw, '260108000000Z');
});

test('DER walker reports errors with offsets and records BER leniencies', () => {
  assert.throws(() => parseDer(Uint8Array.of(0x30, 0x05, 0x02, 0x01)), (e: Asn1Error) => e.offset === 0);
  assert.throws(() => parseDer(Uint8Array.of(0x30, 0x80, 0x00, 0x00)), /indefinite/);
  const issues: { offset: number; message: string }[] = [];
  parseDer(Uint8Array.of(0x30, 0x81, 0x03, 0x02, 0x01, 0x05), issues);
  assert.match(issues[0]!.message, /long form/);
  for (const o of ['1.2.156.10197.1.501', '2.5.29.15', '1.2.840.10045.2.1', '2.999.1']) assert.equal(decodeOid(encodeOid(o)), o);
  assert.equal(Buffer.from(encodeOid('1.2.156.10197.1.501')).toString('hex'), '2a811ccf55018375');
});

test('input sniffing: PEM chain, concatenated DER, garbage', () => {
  const two = Buffer.concat([root.der, root.der]);
  assert.equal(loadPkiObjects(two).objects.length, 2);
  assert.equal(loadPkiObjects(Buffer.from(root.pem + root.pem)).objects.length, 2);
  assert.equal(loadPkiObjects(Buffer.from('hello')).objects.length, 0);
  const broken = loadPkiObjects(root.der.subarray(0, 100)).objects[0]!;
  assert.ok(broken.error instanceof Asn1Error);
});
