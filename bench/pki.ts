/**
 * PKI figures of the reference platform (issue 4; GM/T 0034 5.1 performance items are [U]: measurements, never
 * pass/fail). Goals of the issue: ≥ 200 double-certificate issuances/s, ≥ 2,000 OCSP responses/s, a CRL of 100,000
 * revoked entries in < 5 s.
 *
 *   node --import tsx bench/pki.ts [--issuances N] [--seconds S] [--crl-entries N] [--quick]
 *
 * 1. Double-certificate issuance (CA + RA + KM, one core, no HTTP): RA submit (PKCS#10 proof of possession checked)
 *    → review → issue (signing certificate; GM/T 0014 applyKeyReq signed by the CA, verified by the KM; a key pair
 *    from the KM's 备用库 escrowed under the KM KEK and delivered as an SM2EnvelopedKey to the subscriber's signing
 *    key; KM response signed and verified; encryption certificate) → download, each step in its own transaction
 *    with its audit records. The 备用库 is filled beforehand, as a KM does (its rate is printed too). The first
 *    result is checked: both certificates verify under the CA key and the envelope opens to the encrypted key.
 * 2. OCSP: the responder's work per request (parse, status from the database, build, sign in the device) in-process;
 *    then over HTTP against the platform in its own process, with a load generator in a third process
 *    (bench/platform-load.ts). With a nonce every response is freshly signed (the goal figure); without one the
 *    responder reuses a response pre-produced for the current 60 s window (status still read per request).
 * 3. CRL generation for N revoked entries (default 100,000; rows written straight into the CA database beforehand):
 *    read, encode, sign in the device, store, audit; the CRL is then parsed and its signature verified.
 */
import { spawn } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { sm2GenerateKeyPair, sm2Verify, sm3 } from '../lib/gm/index.ts';
import { buildCsr } from '../lib/ca/pkcs10.ts';
import { openEnvelopedKey } from '../lib/ca/enveloped-key.ts';
import { buildOcspRequest, certIdFor } from '../lib/ca/ocsp-request.ts';
import { parseCertificate } from '../lib/pki/x509.ts';
import { parseCrl } from '../lib/pki/crl.ts';
import { parseOcspResponse } from '../lib/pki/ocsp.ts';
import { openDb } from '../reference-platform/store/db.ts';
import { MasterKey } from '../reference-platform/store/master-key.ts';
import { Defects } from '../reference-platform/defects/registry.ts';
import { ResourcePool } from '../reference-platform/pool/pool.ts';
import { Clock } from '../reference-platform/clock.ts';
import { AuditLog } from '../reference-platform/audit/audit-log.ts';
import { Admins, type Session } from '../reference-platform/admin/admins.ts';
import { PkiServices } from '../reference-platform/ca/services.ts';
import type { PlatformContext } from '../reference-platform/context.ts';
import type { LoadResult, LoadSpec } from './platform-load.ts';

const arg = (name: string, dflt: number) => { const i = process.argv.indexOf(name); return i > 0 ? Number(process.argv[i + 1]) : dflt; };
const quick = process.argv.includes('--quick');
const ISSUANCES = arg('--issuances', quick ? 100 : 600);
const SECONDS = arg('--seconds', quick ? 2 : 5);
const CRL_ENTRIES = arg('--crl-entries', quick ? 20_000 : 100_000);
const ROOT = new URL('../', import.meta.url).pathname;
const load = () => loadavg().map((x) => x.toFixed(2)).join(' ');

console.log(`gmeval reference platform PKI, node ${process.version}, ${cpus().length} CPUs, load average ${load()}`);

// --- the platform's PKI services in this process (the same classes startPlatform wires) ---
const db = openDb(':memory:');
const master = MasterKey.openOrCreate(':memory:');
const defects = new Defects([]);
const pool = new ResourcePool(db, master, defects, 3);
const clock = new Clock();
const audit = new AuditLog(db, master, clock, defects);
const admins = new Admins(db, defects);
const ctx = { db, master, defects, pool, clock, audit, admins, conformance: false } as unknown as PlatformContext;
const pki = new PkiServices(ctx);
ctx.pki = pki;
const sys = { actor: { type: 'system' as const, id: 'bench' } };
const session = (username: string): Session => {
  admins.create(username, `pw-${username}-${Math.random()}`, sm2GenerateKeyPair().publicKey, ['operator']);
  return { token: '', adminId: username, username, roles: ['operator'], expiresAt: Date.now() + 3600_000 };
};
const entry = session('bench-entry');
const reviewer = session('bench-review');
const issuer = session('bench-issue');
pki.ra.setDuties(sys, 'bench-entry', ['ENTRY']);
pki.ra.setDuties(sys, 'bench-review', ['REVIEW']);
pki.ra.setDuties(sys, 'bench-issue', ['ISSUE']);

// --- 1. double-certificate issuance ---
const subscribers = Array.from({ length: ISSUANCES }, (_, i) => {
  const kp = sm2GenerateKeyPair();
  return { kp, csr: Buffer.from(buildCsr(kp, [['CN', `bench-${i}`]])).toString('base64') };
});
let t = performance.now();
pki.km.lowWater = 0;
pki.km.batch = ISSUANCES + 16;
const pregenerated = pki.km.replenish(sys, true);
const poolMs = performance.now() - t;
console.log(`KM 备用库 pre-generation (SM2 key pair + escrow under the KM KEK): ${pregenerated} keys in ${poolMs.toFixed(0)} ms = ${(pregenerated / (poolMs / 1000)).toFixed(0)} keys/s`);

const issueOne = (i: number) => {
  const s = subscribers[i]!;
  const r = pki.ra.submit(sys, entry, { subject: { C: 'CN', O: 'bench', CN: `bench-${i}` }, csr: s.csr });
  pki.ra.review(sys, reviewer, r.id, 'approve');
  pki.ra.issue(sys, issuer, r.id);
  return pki.ra.result(sys, r.id);
};
// warm-up and a full check of one result
const first = issueOne(0);
const subCa = pki.ca.issuing();
for (const der of [first.signCertificate, first.encCertificate]) {
  const c = parseCertificate(der);
  if (!sm2Verify(subCa.signer.publicKey, c.tbs.bytes, c.signature.bytes)) throw new Error('issued certificate does not verify under the CA key');
}
const opened = openEnvelopedKey(first.encryptedPrivateKey, subscribers[0]!.kp.privateKey);
if (!opened.publicKey.equals(Buffer.from(parseCertificate(first.encCertificate).spki.publicKey))) throw new Error('envelope does not hold the encryption certificate key');
t = performance.now();
for (let i = 1; i < ISSUANCES; i++) issueOne(i);
let ms = performance.now() - t;
console.log(`double-certificate issuance (RA submit → review → issue incl. KM envelope → download; in-process, one core): ${ISSUANCES - 1} in ${ms.toFixed(0)} ms = ${((ISSUANCES - 1) / (ms / 1000)).toFixed(0)}/s  [load ${load()}]`);

// --- 2. OCSP, in-process ---
const subCert = parseCertificate(subCa.certificate);
const signSerial = BigInt('0x' + parseCertificate(first.signCertificate).serial.node.content.reduce((h, b) => h + b.toString(16).padStart(2, '0'), ''));
const ocspReq = Buffer.from(buildOcspRequest([certIdFor(subCert.subject.node.bytes, subCert.spki.publicKey, signSerial)], Buffer.alloc(16, 7)));
const resp = parseOcspResponse(pki.ocsp.respond(ocspReq));
const basic = resp.basic!;
if (basic.responses[0]!.status !== 'good') throw new Error(`OCSP says ${basic.responses[0]!.status}`);
if (!sm2Verify(pki.ca.authority('ocsp').signer.publicKey, basic.tbs.bytes, basic.signature.bytes)) throw new Error('OCSP response signature does not verify');
const OCSP_N = quick ? 1000 : 4000;
t = performance.now();
for (let i = 0; i < OCSP_N; i++) pki.ocsp.respond(ocspReq);
ms = performance.now() - t;
console.log(`OCSP responder (parse, status from DB, build, sign in device; nonce echoed; in-process, one core): ${(OCSP_N / (ms / 1000)).toFixed(0)} responses/s  [load ${load()}]`);

// --- 3. CRL of CRL_ENTRIES revoked entries ---
const ins = db.prepare(`INSERT INTO ca_certificates (serial, ca_id, kind, profile, subject, request_id, pair_serial, status, reason, revoked_at, not_before, not_after, der, created_at)
  VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)`);
const now = new Date().toISOString();
const later = new Date(Date.now() + 365 * 86400_000).toISOString();
db.transaction(() => {
  for (let i = 0; i < CRL_ENTRIES; i++) {
    const serial = (0x4000_0000_0000_0000_0000_0000n + BigInt(i) * 7919n).toString(16);
    ins.run(serial, 'sub', 'sign', 'user-sign', `CN=crl-${i}`, null, null, i % 10 ? 'REVOKED' : 'ON_HOLD', i % 10 ? 4 : 6, now, now, later, Buffer.alloc(0), now);
  }
})();
t = performance.now();
const crl = db.transaction(() => pki.ca.generateCrl('sub', sys))();
ms = performance.now() - t;
const parsed = parseCrl(crl.der);
if (parsed.revoked.length < CRL_ENTRIES) throw new Error(`CRL lists ${parsed.revoked.length} entries, expected ≥ ${CRL_ENTRIES}`);
if (!sm2Verify(subCa.signer.publicKey, parsed.tbs.bytes, parsed.signature.bytes)) throw new Error('CRL signature does not verify');
console.log(`CRL generation, ${parsed.revoked.length} revoked entries (DB read, DER encoding, device signature, store, audit): ${ms.toFixed(0)} ms, ${(crl.der.length / 1048576).toFixed(1)} MiB, signature verified  [load ${load()}]`);

// --- 2b. OCSP over HTTP: the platform in its own process, the load generator in a third ---
const child = spawn(process.execPath, [join(ROOT, 'bin/gmeval.js'), 'platform', 'start'], { stdio: ['ignore', 'pipe', 'ignore'] });
try {
  const info = JSON.parse(await new Promise<string>((r) => createInterface({ input: child.stdout! }).once('line', r))) as { listening: { http: string } };
  const base = new URL(info.listening.http);
  const caDer = Buffer.from(await (await fetch(`${info.listening.http}/ca/sub/certificate`)).arrayBuffer());
  const ca = parseCertificate(caDer);
  // a serial this CA never issued: answered "unknown", looked up in the database and signed like any other
  const req = Buffer.from(buildOcspRequest([certIdFor(ca.subject.node.bytes, ca.spki.publicKey, 0x1234n)], sm3(Buffer.from('nonce')).subarray(0, 16)));
  const one = parseOcspResponse(Buffer.from(await (await fetch(`${info.listening.http}/ocsp`, { method: 'POST', headers: { 'content-type': 'application/ocsp-request' }, body: req })).arrayBuffer()));
  if (one.responseStatus !== 0 || one.basic?.responses[0]?.status !== 'unknown') throw new Error(`OCSP over HTTP: status ${one.responseStatus} ${one.basic?.responses[0]?.status}`);
  const plainReq = Buffer.from(buildOcspRequest([certIdFor(ca.subject.node.bytes, ca.spki.publicKey, 0x1234n)]));
  for (const [clients, body, what] of [[1, req, 'nonce, signed per request'], [16, req, 'nonce, signed per request'], [16, plainReq, 'no nonce, pre-produced per 60 s window (RFC 5019)']] as const) {
    const spec: LoadSpec = { host: base.hostname, port: Number(base.port), path: `${base.pathname}/ocsp`, method: 'POST', body: body.toString('base64'), bodyEncoding: 'base64', contentType: 'application/ocsp-request', auth: 'none', accessKey: '', secret: '', clients, seconds: SECONDS, warmupSeconds: 0.5, expectField: '' };
    const gen = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'bench/platform-load.ts'), JSON.stringify(spec)], { stdio: ['ignore', 'pipe', 'inherit'] });
    const line = await new Promise<string>((resolve) => createInterface({ input: gen.stdout! }).on('line', (l) => { if (l.startsWith('{')) resolve(l); }));
    const r = JSON.parse(line) as LoadResult;
    console.log(`OCSP over HTTP (platform process + load-generator process; ${what}), clients=${String(clients).padStart(2)}: ${(r.requests / r.elapsedS).toFixed(0)} responses/s  p50=${r.p50.toFixed(2)} ms  p99=${r.p99.toFixed(2)} ms  errors=${r.errors}  load generator ${r.clientCpu.toFixed(2)} core  [load ${load()}]`);
  }
} finally {
  child.kill('SIGTERM');
}
