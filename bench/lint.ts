/**
 * Certificates linted per second, single core, all lints of the gmt0015-2012 profile — including SM2 signature
 * verification against the issuer (cold: the verification memo is cleared and every certificate is distinct).
 * Goal (issue 7): ≥ 3,000 certs/s.   node --import tsx bench/lint.ts [count]
 */
import { sm2GenerateKeyPair } from '../lib/gm/index.ts';
import { ext, issueCertificate, issuerFromCertificate, selfIssuer } from '../lib/pki/builder.ts';
import { loadPkiObjects } from '../lib/pki/input.ts';
import { lintLoaded } from '../lib/lint/lint-objects.ts';
import { ALL_LINTS } from '../lib/lint/registry.ts';
import { clearVerifyCache } from '../lib/lint/util.ts';

const N = Number(process.argv[2] ?? 2000);
const D = (s: string) => new Date(s + 'T00:00:00Z');
const caKeys = sm2GenerateKeyPair();
const caName: [string, string][] = [['C', 'CN'], ['O', 'Bench'], ['CN', 'Bench CA']];
const ca = issueCertificate({ subject: caName, notBefore: D('2025-01-01'), notAfter: D('2035-01-01'), publicKey: caKeys.publicKey,
  extensions: [ext.basicConstraints(true), ext.keyUsage(['keyCertSign', 'cRLSign'])] }, selfIssuer(caKeys, caName));
const issuer = issuerFromCertificate(ca.der, caKeys.privateKey);
const user = sm2GenerateKeyPair();
const t0 = performance.now();
const certs: Uint8Array[] = [];
for (let i = 0; i < N; i++) {
  certs.push(issueCertificate({ subject: [['C', 'CN'], ['O', 'Bench 测试'], ['CN', `user ${i}`]], notBefore: D('2025-06-01'), notAfter: D('2027-06-01'),
    publicKey: user.publicKey, extensions: [ext.keyUsage(['digitalSignature', 'nonRepudiation']), ext.crlDistributionPoints(['http://x.cn/a.crl']),
      ext.authorityInfoAccess({ ocsp: 'http://ocsp.x.cn' })] }, issuer).der);
}
console.log(`built ${N} distinct SM2 certificates in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
const caObjects = loadPkiObjects(ca.der).objects;

function measure(label: string, fn: (der: Uint8Array) => void): void {
  clearVerifyCache();
  for (let i = 0; i < Math.min(200, N); i++) fn(certs[i]!); // warm-up
  clearVerifyCache();
  const start = performance.now();
  for (const der of certs) fn(der);
  const s = (performance.now() - start) / 1000;
  console.log(`${label.padEnd(58)} ${(N / s).toFixed(0).padStart(7)} certs/s  (${(1e6 * s / N).toFixed(0)} µs/cert)`);
}

console.log(`lints in registry: ${ALL_LINTS.length}`);
measure('parse only (DER walk + typed view)', (der) => { loadPkiObjects(der); });
measure('all lints, no issuer supplied (no signature check)', (der) => { lintLoaded([{ name: 'c', objects: loadPkiObjects(der).objects }]); });
measure('all lints + SM2 signature verification with issuer', (der) => {
  lintLoaded([{ name: 'c', objects: loadPkiObjects(der).objects }, { name: 'ca', objects: caObjects, contextOnly: true }]);
});
