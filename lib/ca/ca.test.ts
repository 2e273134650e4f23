import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sm2 as smc } from 'sm-crypto-v2';
import { sm2GenerateKeyPair, sm3, sm2SignDigest, sm2Z, SM2_DEFAULT_ID } from '../gm/index.ts';
import { issueCertificate, selfIssuer, ext } from '../pki/builder.ts';
import { OID } from '../pki/oids.ts';
import { toPem } from '../pki/der-encode.ts';
import { buildCsr, parseCsr, verifyCsr, Pkcs10Error } from './pkcs10.ts';
import { openEnvelopedKey, sealEnvelopedKey, EnvelopeError, parseEnvelopedKey, OID_SM4_ECB } from './enveloped-key.ts';
import { buildOcspRequest, certIdFor, parseOcspRequest, OcspRequestError } from './ocsp-request.ts';
import { buildTimeStampReq, buildTimeStampResp, buildTimeStampToken, parseTimeStampReq, parseTimeStampResp, verifyTimeStampToken, TspError } from './tsp.ts';

const hasOpenssl = spawnSync('openssl', ['version']).status === 0;
const tmp = () => mkdtempSync(join(tmpdir(), 'gmeval-libca-'));

test('PKCS#10: our request verifies (proof of possession with Z); a request signed by another key or altered does not', () => {
  const kp = sm2GenerateKeyPair();
  const csr = buildCsr(kp, [['C', 'CN'], ['CN', '张三']]);
  const p = parseCsr(csr);
  assert.deepEqual(Buffer.from(p.publicKey), kp.publicKey);
  assert.equal(p.signatureAlgorithm, OID.sm2WithSm3);
  assert.equal(verifyCsr(p), true);
  // independent verifier: sm-crypto-v2 over the request info with the default ID (Z computed by it)
  assert.equal(smc.doVerifySignature(Buffer.from(p.info), Buffer.from(p.signature).toString('hex'), kp.publicKey.toString('hex'), { hash: true, der: true }), true);
  assert.equal(verifyCsr(parseCsr(buildCsr(kp, [['CN', 'x']], { signWith: sm2GenerateKeyPair().privateKey }))), false);
  const bad = Buffer.from(csr);
  bad[bad.length - 40]! ^= 1;
  assert.equal(verifyCsr(parseCsr(bad)), false);
  assert.throws(() => parseCsr(Buffer.from([0x30, 0x03, 0x02, 0x01, 0x00])), Pkcs10Error);
  assert.throws(() => parseCsr(Buffer.concat([csr, Buffer.from([0])])), /trailing/);
});

test('PKCS#10 from OpenSSL 3 (SM2, default ID) verifies; ours verifies in OpenSSL', { skip: hasOpenssl ? false : 'openssl not installed' }, () => {
  const d = tmp();
  execFileSync('openssl', ['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:SM2', '-out', join(d, 'k.pem')]);
  execFileSync('openssl', ['req', '-new', '-key', join(d, 'k.pem'), '-subj', '/CN=openssl', '-sm3', '-sigopt', 'distid:1234567812345678', '-outform', 'DER', '-out', join(d, 'r.der')]);
  const p = parseCsr(execFileSync('cat', [join(d, 'r.der')]));
  assert.equal(verifyCsr(p), true);
  const kp = sm2GenerateKeyPair();
  writeFileSync(join(d, 'ours.der'), buildCsr(kp, [['CN', 'ours']]));
  const r = spawnSync('openssl', ['req', '-inform', 'DER', '-in', join(d, 'ours.der'), '-verify', '-noout', '-vfyopt', 'distid:1234567812345678'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr + r.stdout, /verify OK/i);
  // and OpenSSL refuses a request without proof of possession
  writeFileSync(join(d, 'bad.der'), buildCsr(kp, [['CN', 'ours']], { signWith: sm2GenerateKeyPair().privateKey }));
  const bad = spawnSync('openssl', ['req', '-inform', 'DER', '-in', join(d, 'bad.der'), '-verify', '-noout', '-vfyopt', 'distid:1234567812345678'], { encoding: 'utf8' });
  assert.doesNotMatch(bad.stderr + bad.stdout, /verify OK/i);
  assert.match(bad.stderr + bad.stdout, /fail|did not match/i);
});

test('SM2EnvelopedKey (GM/T 0009 §7.4): opens with the protecting key only, R09 key match enforced', () => {
  const protector = sm2GenerateKeyPair();
  const pair = sm2GenerateKeyPair();
  const env = sealEnvelopedKey(protector.publicKey, pair);
  const v = parseEnvelopedKey(env);
  assert.equal(v.symAlg, OID_SM4_ECB);
  assert.deepEqual(Buffer.from(v.publicKey), pair.publicKey);
  assert.ok(!Buffer.from(env).includes(pair.privateKey), 'the private key never appears in clear');
  assert.deepEqual(openEnvelopedKey(env, protector.privateKey).privateKey, pair.privateKey);
  assert.throws(() => openEnvelopedKey(env, sm2GenerateKeyPair().privateKey), EnvelopeError);
  // swap in another public key: the recovered d no longer matches (R09)
  const other = sm2GenerateKeyPair().publicKey;
  const forged = Buffer.from(env);
  forged.set(other, forged.indexOf(pair.publicKey));
  assert.throws(() => openEnvelopedKey(forged, protector.privateKey), /does not match/);
  assert.throws(() => parseEnvelopedKey(Buffer.from([0x30, 0x00])), EnvelopeError);
});

test('OCSP request: build → parse round trip with nonce; OpenSSL reads our request', () => {
  const ca = sm2GenerateKeyPair();
  const id = certIdFor(Buffer.from('3000', 'hex'), ca.publicKey, 0x1234abcdn, 'sm3');
  const nonce = Buffer.from('00112233445566778899aabbccddeeff', 'hex');
  const der = buildOcspRequest([id], nonce);
  const p = parseOcspRequest(der);
  assert.equal(p.certIds[0]!.serial, 0x1234abcdn);
  assert.equal(p.certIds[0]!.hash, 'sm3');
  assert.deepEqual(Buffer.from(p.nonce!), nonce);
  assert.deepEqual(Buffer.from(p.certIds[0]!.issuerKeyHash), sm3(ca.publicKey));
  assert.equal(parseOcspRequest(buildOcspRequest([certIdFor(Buffer.from('3000', 'hex'), ca.publicKey, 5n, 'sha1')])).nonce, undefined);
  assert.throws(() => parseOcspRequest(Buffer.from([0x30, 0x02, 0x30, 0x00])), OcspRequestError);
  if (hasOpenssl) {
    const d = tmp();
    writeFileSync(join(d, 'q.der'), der);
    const text = execFileSync('openssl', ['ocsp', '-reqin', join(d, 'q.der'), '-req_text'], { encoding: 'utf8' });
    assert.match(text, /Serial Number: 1234ABCD/i);
    assert.match(text, /OCSP Nonce/);
  }
});

test('RFC 3161: request round trip; token signed over signedAttrs verifies (ours and sm-crypto-v2), tampering is caught', () => {
  const tsaKey = sm2GenerateKeyPair();
  const cert = issueCertificate({ subject: [['CN', 'TSA']], notBefore: new Date(Date.now() - 1000), notAfter: new Date(Date.now() + 86400_000), publicKey: tsaKey.publicKey, extensions: [ext.extKeyUsage([OID.kpTimeStamping], true)] }, selfIssuer(tsaKey, [['CN', 'TSA']]));
  const digest = sm3(Buffer.from('data'));
  const req = parseTimeStampReq(buildTimeStampReq({ digest, nonce: 42n, certReq: true }));
  assert.equal(req.nonce, 42n);
  assert.equal(req.hashOid, OID.sm3);
  assert.equal(req.certReq, true);
  const token = buildTimeStampToken({ policy: '2.999.3161.1', hashOid: OID.sm3, digest, serial: 7n, genTime: new Date('2025-01-02T03:04:05Z'), nonce: 42n }, cert.der, (e) => sm2SignDigest(tsaKey.privateKey, e, { format: 'der' }), tsaKey.publicKey, (p) => sm2Z(p, SM2_DEFAULT_ID));
  const resp = parseTimeStampResp(buildTimeStampResp(0, token));
  assert.equal(resp.status, 0);
  const t = resp.token!;
  assert.equal(t.nonce, 42n);
  assert.equal(t.policy, '2.999.3161.1');
  assert.equal(t.genTime, '20250102030405Z');
  assert.deepEqual(Buffer.from(t.essCertHash!.hash), sm3(cert.der));
  assert.deepEqual(verifyTimeStampToken(t, tsaKey.publicKey), { ok: true, problems: [] });
  assert.equal(smc.doVerifySignature(Buffer.from(t.signedAttrs), Buffer.from(t.signature).toString('hex'), tsaKey.publicKey.toString('hex'), { hash: true, der: true }), true);
  assert.equal(verifyTimeStampToken({ ...t, tstInfo: Buffer.concat([t.tstInfo, Buffer.from([0])]) }, tsaKey.publicKey).ok, false);
  assert.equal(verifyTimeStampToken(t, sm2GenerateKeyPair().publicKey).ok, false);
  assert.equal(parseTimeStampResp(buildTimeStampResp(2, undefined, 0, 'badAlg')).status, 2);
  assert.throws(() => parseTimeStampReq(Buffer.from([0x30, 0x00])), TspError);
  if (hasOpenssl) {
    const d = tmp();
    writeFileSync(join(d, 'r.tsr'), buildTimeStampResp(0, token));
    writeFileSync(join(d, 'tsa.pem'), toPem('CERTIFICATE', cert.der));
    const text = execFileSync('openssl', ['ts', '-reply', '-in', join(d, 'r.tsr'), '-text'], { encoding: 'utf8' });
    assert.match(text, /Status: Granted/);
    assert.match(text, /Policy OID: 2\.999\.3161\.1/);
    assert.match(text, /Nonce: 0x2A/i);
  }
});
