import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sm2 as smc } from 'sm-crypto-v2';
import { sm2GenerateKeyPair, sm2Sign, sm3, SM2_DEFAULT_ID, type Sm2KeyPair } from '../../lib/gm/index.ts';
import { buildCsr } from '../../lib/ca/pkcs10.ts';
import { openEnvelopedKey } from '../../lib/ca/enveloped-key.ts';
import { buildOcspRequest, certIdFor, revokedInfo, responseNonce } from '../../lib/ca/ocsp-request.ts';
import { buildTimeStampReq, parseTimeStampResp, verifyTimeStampToken } from '../../lib/ca/tsp.ts';
import { parseOcspResponse } from '../../lib/pki/ocsp.ts';
import { parseCrl } from '../../lib/pki/crl.ts';
import { parseCertificate } from '../../lib/pki/x509.ts';
import { toPem } from '../../lib/pki/der-encode.ts';
import { canonicalJson } from '../audit/audit-log.ts';
import { startPlatform, type RunningPlatform } from '../index.ts';
import { adminClient, type Client } from './test-client.ts';

const hasOpenssl = spawnSync('openssl', ['version']).status === 0;
let p: RunningPlatform;
let base: string;
const admins: Record<string, Client> = {};
const dir = mkdtempSync(join(tmpdir(), 'gmeval-ca-'));

before(async () => {
  p = await startPlatform({ conformance: true, console: false } as Parameters<typeof startPlatform>[0]);
  base = p.listening.http;
  const mk = async (n: string, roles: string[], duties: ('ENTRY' | 'REVIEW' | 'ISSUE')[] = []) => {
    const a = p.provisionAdmin(n, roles);
    if (duties.length) p.assignRaDuties(n, duties);
    admins[n] = await adminClient(base, a);
  };
  await mk('entry', ['operator'], ['ENTRY', 'REVIEW']);
  await mk('review', ['operator'], ['REVIEW']);
  await mk('issuer', ['operator'], ['ISSUE']);
  await mk('business', ['business_admin']);
  await mk('auditadm', ['audit_admin']);
  await mk('auditor', ['auditor']);
  await mk('judge', ['judicial_officer']);
});
after(async () => { await p.close(); });

async function enrol(keys: Sm2KeyPair = sm2GenerateKeyPair()) {
  const csr = Buffer.from(buildCsr(keys, [['CN', 'ignored']])).toString('base64');
  const s = await admins.entry!.call('POST', '/ra/requests', { type: 'ENROLL', profile: 'user-sign', subject: { C: 'CN', O: 'Test', CN: '李四' }, csr });
  assert.equal(s.status, 201, JSON.stringify(s.json));
  const id = String(s.json.requestId);
  assert.equal((await admins.review!.call('POST', `/ra/requests/${id}/approve`, {})).json.state, 'APPROVED');
  assert.equal((await admins.issuer!.call('POST', `/ra/requests/${id}/issue`, {})).json.state, 'ISSUED');
  const d = (await admins.issuer!.call('GET', `/ra/requests/${id}/result`)).json;
  const chain = [...String(d.chain).matchAll(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----\n/g)].map((m) => m[0]);
  return { keys, id, sign: Buffer.from(String(d.signCertificate), 'base64'), enc: Buffer.from(String(d.encCertificate), 'base64'), env: Buffer.from(String(d.encryptedPrivateKey), 'base64'), subPem: chain[0]!, rootPem: chain[1]! };
}
const serialHex = (der: Uint8Array) => BigInt('0x' + Buffer.from(parseCertificate(der).serial.node.content).toString('hex')).toString(16);

async function ocsp(issuerPem: string, serial: bigint, nonce?: Buffer) {
  const issuer = parseCertificate(Buffer.from(issuerPem.replace(/-----[^-]+-----|\s/g, ''), 'base64'));
  const req = buildOcspRequest([certIdFor(issuer.subject.node.bytes, issuer.spki.publicKey, serial)], nonce);
  const r = await fetch(`${base}/ocsp`, { method: 'POST', headers: { 'content-type': 'application/ocsp-request' }, body: req });
  return Buffer.from(await r.arrayBuffer());
}

test('double certificates: the chain verifies in OpenSSL 3 (distid 1234567812345678); the envelope opens with the signing key', { skip: hasOpenssl ? false : 'openssl not installed' }, async () => {
  const e = await enrol();
  writeFileSync(join(dir, 'sign.pem'), toPem('CERTIFICATE', e.sign));
  writeFileSync(join(dir, 'enc.pem'), toPem('CERTIFICATE', e.enc));
  writeFileSync(join(dir, 'sub.pem'), e.subPem);
  writeFileSync(join(dir, 'root.pem'), e.rootPem);
  const v = (args: string[]) => execFileSync('openssl', ['verify', '-vfyopt', 'distid:1234567812345678', ...args], { encoding: 'utf8' });
  assert.match(v(['-CAfile', join(dir, 'root.pem'), join(dir, 'sub.pem')]), /sub\.pem: OK/);
  // OpenSSL 3.0 applies distid to the leaf only, so each link is checked on its own
  assert.match(v(['-partial_chain', '-CAfile', join(dir, 'sub.pem'), join(dir, 'sign.pem'), join(dir, 'enc.pem')]), /sign\.pem: OK\n.*enc\.pem: OK/);
  const text = execFileSync('openssl', ['x509', '-in', join(dir, 'enc.pem'), '-noout', '-ext', 'keyUsage'], { encoding: 'utf8' });
  assert.match(text, /Key Encipherment, Data Encipherment, Key Agreement/);
  assert.doesNotMatch(text, /Digital Signature/);
  const k = openEnvelopedKey(e.env, e.keys.privateKey);
  assert.deepEqual(k.publicKey, Buffer.from(parseCertificate(e.enc).spki.publicKey));
});

test('OCSP: good → hold (revoked, certificateHold) → release (good); release of a valid certificate is 409; never-issued serial is unknown; nonce echoed; signature verifies independently', async () => {
  const e = await enrol();
  const serial = serialHex(e.sign);
  const nonce = Buffer.from('0102030405060708090a0b0c0d0e0f10', 'hex');
  const status = async (s: bigint) => {
    const der = await ocsp(e.subPem, s, nonce);
    const r = parseOcspResponse(der);
    const b = r.basic!;
    assert.deepEqual(Buffer.from(responseNonce(b.extensions)!), nonce);
    // independent check of the responder's SM2 signature with sm-crypto-v2, by the embedded delegated certificate
    const signer = b.certs[0]!;
    assert.equal(smc.doVerifySignature(Buffer.from(b.tbs.bytes), Buffer.from(b.signature.bytes).toString('hex'), Buffer.from(signer.spki.publicKey).toString('hex'), { hash: true, der: true }), true);
    return { status: b.responses[0]!.status, ...revokedInfo(b.responses[0]!.statusNode), der };
  };
  assert.equal((await status(BigInt('0x' + serial))).status, 'good');
  assert.equal((await admins.business!.call('POST', `/certificates/${serial}/release`, {})).status, 409);
  assert.equal((await admins.business!.call('POST', `/certificates/${serial}/hold`, {})).json.status, 'ON_HOLD');
  const held = await status(BigInt('0x' + serial));
  assert.equal(held.status, 'revoked');
  assert.equal(held.reason, 6);
  assert.equal((await admins.business!.call('POST', `/certificates/${serial}/release`, {})).json.status, 'VALID');
  assert.equal((await status(BigInt('0x' + serial))).status, 'good');
  assert.equal((await status(0x7fabcdefn)).status, 'unknown');
  if (hasOpenssl) {
    writeFileSync(join(dir, 'held.ocsp'), held.der);
    const t = execFileSync('openssl', ['ocsp', '-respin', join(dir, 'held.ocsp'), '-resp_text', '-noverify'], { encoding: 'utf8' });
    assert.match(t, /Cert Status: revoked/);
    assert.match(t, /Revocation Reason: certificateHold/);
  }
});

test('CRL: revocation is listed at once with its reason, the number grows, the signature verifies independently and OpenSSL reads it', async () => {
  const e = await enrol();
  const serial = serialHex(e.sign);
  const get = async () => Buffer.from(await (await fetch(`${base}/crl/sub`)).arrayBuffer());
  const n0 = parseCrl(await get());
  const r = await admins.business!.call('POST', `/certificates/${serial}/revoke`, { reason: 'keyCompromise' });
  assert.equal(r.json.status, 'REVOKED');
  assert.equal((await admins.business!.call('POST', `/certificates/${serial}/release`, {})).status, 409);
  const der = await get();
  const crl = parseCrl(der);
  const num = (c: typeof crl) => c.extensions.find((x) => x.oid === '2.5.29.20')!.inner().content[0]!;
  assert.ok(num(crl) > num(n0));
  const sub = parseCertificate(Buffer.from(e.subPem.replace(/-----[^-]+-----|\s/g, ''), 'base64'));
  assert.equal(smc.doVerifySignature(Buffer.from(crl.tbs.bytes), Buffer.from(crl.signature.bytes).toString('hex'), Buffer.from(sub.spki.publicKey).toString('hex'), { hash: true, der: true }), true);
  if (hasOpenssl) {
    writeFileSync(join(dir, 'c.crl'), der);
    const t = execFileSync('openssl', ['crl', '-inform', 'DER', '-in', join(dir, 'c.crl'), '-noout', '-text'], { encoding: 'utf8' });
    assert.match(t, new RegExp(`Serial Number: ${serial.toUpperCase().padStart(32, '0')}[\\s\\S]*?Key Compromise`));
  }
});

test('RA: dual control and duties — no self review, no issue before approval, duties enforced, bad CSR refused', async () => {
  const csr = Buffer.from(buildCsr(sm2GenerateKeyPair(), [['CN', 'x']])).toString('base64');
  const s = await admins.entry!.call('POST', '/ra/requests', { subject: { CN: 'dual' }, csr });
  const id = String(s.json.requestId);
  const self = await admins.entry!.call('POST', `/ra/requests/${id}/approve`, {});
  assert.equal(self.status, 403);
  assert.equal((self.json.error as { code: string }).code, 'SELF_APPROVAL');
  assert.equal((await admins.issuer!.call('POST', `/ra/requests/${id}/issue`, {})).status, 409);
  assert.equal((await admins.review!.call('POST', '/ra/requests', { subject: { CN: 'nope' }, csr })).status, 403, 'REVIEW duty alone cannot submit');
  assert.equal((await admins.auditor!.call('POST', `/ra/requests/${id}/issue`, {})).status, 403);
  const bad = Buffer.from(buildCsr(sm2GenerateKeyPair(), [['CN', 'x']], { signWith: sm2GenerateKeyPair().privateKey })).toString('base64');
  const r = await admins.entry!.call('POST', '/ra/requests', { subject: { CN: 'pop' }, csr: bad });
  assert.equal(r.status, 400);
  assert.equal((r.json.error as { code: string }).code, 'BAD_CSR_SIGNATURE');
  assert.equal((await admins.entry!.call('POST', '/ra/requests', { subject: { CN: 'x', ZZ: 'y' }, csr })).status, 400);
});

test('KM GM/T 0014 (JSON twin): unsigned, foreign-signed and replayed CA requests are refused; escrow is sealed; pool stores move', async () => {
  const e = await enrol();
  const encSerial = serialHex(e.enc);
  const body = { version: 1, caName: 'sub', taskNO: 'task-1', requestTime: new Date().toISOString(), requestList: [{ type: 'revokeKeyReq', userCertNo: encSerial }] };
  const post = async (b: unknown) => fetch(`${base}/km/gmt0014`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(b) });
  const forged = sm2Sign(sm2GenerateKeyPair().privateKey, Buffer.from(canonicalJson(body)), { id: SM2_DEFAULT_ID, format: 'der' }).toString('base64');
  assert.equal((await post({ body, signatureAlgorithm: 'SM2-SM3', signatureValue: forged })).status, 401);
  assert.equal((await post({ body: { ...body, caName: 'elsewhere' }, signatureAlgorithm: 'SM2-SM3', signatureValue: forged })).status, 403);
  assert.equal((await post({ body: { ...body, version: 2 }, signatureAlgorithm: 'SM2-SM3', signatureValue: forged })).status, 400);
  const super1 = await adminClient(base, p.provisionAdmin('superx', ['super_admin']));
  const esc = (await super1.call('GET', `/sys/test/km/escrow/${encSerial}`)).json;
  const d = openEnvelopedKey(e.env, e.keys.privateKey).privateKey;
  assert.ok(!Buffer.from(String(esc.stored), 'base64').includes(d));
  assert.notEqual(esc.format, 'PLAINTEXT');
  const stores = (await admins.business!.call('GET', '/km/pool')).json.stores as Record<string, number>;
  assert.ok(stores.IN_USE! >= 1 && stores.POOL! >= 1);
  assert.equal((await admins.entry!.call('GET', '/km/pool')).status, 403);
});

test('judicial recovery: M-of-N with distinct approvers, requester never approves, executes once, audited; output only for the officer', async () => {
  const e = await enrol();
  const encSerial = serialHex(e.enc);
  const officer = sm2GenerateKeyPair();
  const r = await admins.judge!.call('POST', '/km/judicial-recoveries', { caseNumber: 'C-1', documentDigest: sm3(Buffer.from('doc')).toString('hex'), userCertNo: encSerial, officerPublicKey: officer.publicKey.toString('base64') });
  assert.equal(r.status, 201);
  const id = String(r.json.recoveryId);
  assert.equal(r.json.required, 2);
  const exec = () => admins.judge!.call('POST', `/km/judicial-recoveries/${id}/execute`, {});
  assert.equal((await exec()).status, 409);
  assert.equal((await admins.judge!.call('POST', `/approvals/${id}/approve`, {})).status, 403);
  assert.equal((await admins.entry!.call('POST', `/approvals/${id}/approve`, {})).status, 403, 'an operator is not an approver');
  assert.equal((await admins.business!.call('POST', `/approvals/${id}/approve`, {})).json.state, 'PENDING');
  assert.equal((await admins.business!.call('POST', `/approvals/${id}/approve`, {})).status, 409, 'one person counts once');
  assert.equal((await exec()).status, 409);
  assert.equal((await admins.auditadm!.call('POST', `/approvals/${id}/approve`, {})).json.state, 'APPROVED');
  assert.equal((await admins.business!.call('POST', `/km/judicial-recoveries/${id}/execute`, {})).status, 403);
  const out = await exec();
  assert.equal(out.status, 200);
  const k = openEnvelopedKey(Buffer.from(String(out.json.encryptedPrivateKey), 'base64'), officer.privateKey);
  assert.deepEqual(k.publicKey, Buffer.from(parseCertificate(e.enc).spki.publicKey));
  assert.equal((await exec()).status, 409, 'executes once');
  const audit = (await admins.auditor!.call('GET', `/audit/records?action=KM_JUDICIAL_RECOVERY&resourceId=${encSerial}`)).json.records as { entry: string }[];
  assert.equal(audit.length, 1);
  assert.match(audit[0]!.entry, /"approvers":\["[^"]+","[^"]+"\]/);
});

test('TSA: a granted SM2/SM3 token binds the imprint and the nonce; non-SM3 imprints are refused', async () => {
  const digest = sm3(Buffer.from('hello'));
  const post = async (b: Uint8Array) => Buffer.from(await (await fetch(`${base}/tsa`, { method: 'POST', headers: { 'content-type': 'application/timestamp-query' }, body: b })).arrayBuffer());
  const resp = parseTimeStampResp(await post(buildTimeStampReq({ digest, nonce: 99n, certReq: true })));
  assert.equal(resp.status, 0);
  const t = resp.token!;
  assert.equal(t.nonce, 99n);
  assert.deepEqual(Buffer.from(t.digest), digest);
  assert.ok(verifyTimeStampToken(t, parseCertificate(t.certificates[0]!).spki.publicKey).ok);
  assert.equal(parseTimeStampResp(await post(buildTimeStampReq({ digest: Buffer.alloc(20), hashOid: '1.3.14.3.2.26' }))).status, 2);
  assert.equal(parseTimeStampResp(await post(Buffer.from([1, 2, 3]))).status, 2);
});
