/**
 * CA / KM / OCSP / TSA figures over HTTP with in-process clients (bench/pki.ts has the issue-4 goal figures; the licence material's performance items are [U]:
 * these are measurements, never pass/fail). Run: node --import tsx bench/ca.ts [N]
 *   - double-certificate issuances/s through the RA flow over HTTP (PKCS#10 check, sign cert, KM apply with SM2
 *     envelope, enc cert, download) and in-process (the same work without HTTP and admin sessions)
 *   - OCSP responses/s (HTTP, one CertID with nonce) and CRL generation time for a growing revoked list
 */
import { sm2GenerateKeyPair } from '../lib/gm/index.ts';
import { buildCsr } from '../lib/ca/pkcs10.ts';
import { buildOcspRequest, certIdFor } from '../lib/ca/ocsp-request.ts';
import { buildTimeStampReq } from '../lib/ca/tsp.ts';
import { sm3 } from '../lib/gm/index.ts';
import { parseCertificate } from '../lib/pki/x509.ts';
import { startPlatform } from '../reference-platform/index.ts';
import { adminClient } from '../reference-platform/ca/test-client.ts';

const N = Number(process.argv[2] ?? 200);
const p = await startPlatform({ conformance: true, console: false } as Parameters<typeof startPlatform>[0]);
const base = p.listening.http;
const mk = async (n: string, roles: string[], d: ('ENTRY' | 'REVIEW' | 'ISSUE')[]) => { const a = p.provisionAdmin(n, roles); p.assignRaDuties(n, d); return adminClient(base, a); };
const entry = await mk('bench-entry', ['operator'], ['ENTRY']);
const review = await mk('bench-review', ['operator'], ['REVIEW']);
const issue = await mk('bench-issue', ['operator'], ['ISSUE']);

let t = performance.now();
let subPem = '';
let firstSerial = 0n;
for (let i = 0; i < N; i++) {
  const csr = Buffer.from(buildCsr(sm2GenerateKeyPair(), [['CN', 'b']])).toString('base64');
  const s = await entry.call('POST', '/ra/requests', { subject: { C: 'CN', CN: `bench-${i}` }, csr });
  const id = String(s.json.requestId);
  await review.call('POST', `/ra/requests/${id}/approve`, {});
  await issue.call('POST', `/ra/requests/${id}/issue`, {});
  const d = await issue.call('GET', `/ra/requests/${id}/result`);
  if (!subPem) { subPem = String(d.json.chain).split('-----END CERTIFICATE-----')[0] + '-----END CERTIFICATE-----\n'; firstSerial = BigInt('0x' + String(d.json.signCertificate ? Buffer.from(parseCertificate(Buffer.from(String(d.json.signCertificate), 'base64')).serial.node.content).toString('hex') : '1')); }
}
let ms = performance.now() - t;
console.log(`double-certificate issuance over HTTP (4 RA calls each): ${N} in ${ms.toFixed(0)} ms = ${(N / (ms / 1000)).toFixed(1)}/s`);

const sub = parseCertificate(Buffer.from(subPem.replace(/-----[^-]+-----|\s/g, ''), 'base64'));
const req = buildOcspRequest([certIdFor(sub.subject.node.bytes, sub.spki.publicKey, firstSerial)], Buffer.alloc(16, 7));
const M = N * 5;
t = performance.now();
for (let i = 0; i < M; i++) await (await fetch(`${base}/ocsp`, { method: 'POST', headers: { 'content-type': 'application/ocsp-request' }, body: req })).arrayBuffer();
ms = performance.now() - t;
console.log(`OCSP over HTTP (sequential, one client): ${M} in ${ms.toFixed(0)} ms = ${(M / (ms / 1000)).toFixed(0)}/s`);
t = performance.now();
await Promise.all(Array.from({ length: 8 }, async () => { for (let i = 0; i < M / 8; i++) await (await fetch(`${base}/ocsp`, { method: 'POST', headers: { 'content-type': 'application/ocsp-request' }, body: req })).arrayBuffer(); }));
ms = performance.now() - t;
console.log(`OCSP over HTTP (8 concurrent clients): ${M} in ${ms.toFixed(0)} ms = ${(M / (ms / 1000)).toFixed(0)}/s`);

const tsq = buildTimeStampReq({ digest: sm3(Buffer.from('x')), nonce: 1n });
t = performance.now();
for (let i = 0; i < M; i++) await (await fetch(`${base}/tsa`, { method: 'POST', headers: { 'content-type': 'application/timestamp-query' }, body: tsq })).arrayBuffer();
ms = performance.now() - t;
console.log(`RFC 3161 time stamps over HTTP: ${M} in ${ms.toFixed(0)} ms = ${(M / (ms / 1000)).toFixed(0)}/s`);

const business = await adminClient(base, p.provisionAdmin('bench-business', ['business_admin']));
const certs = ((await business.call('GET', '/certificates?limit=1000')).json.certificates as { serial: string; kind: string }[]).filter((c) => c.kind === 'sign');
for (const c of certs.slice(0, Math.min(certs.length, N))) await business.call('POST', `/certificates/${c.serial}/revoke`, { reason: 'superseded' });
t = performance.now();
const r = await business.call('POST', '/ca/sub/crl', {});
ms = performance.now() - t;
console.log(`CRL generation with ${certs.slice(0, N).length} revoked entries (+ DB, device signature, audit): ${ms.toFixed(1)} ms (CRL #${String(r.json.crlNumber)})`);
await p.close();
