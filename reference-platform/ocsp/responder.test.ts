import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sm2GenerateKeyPair, sm2Verify } from '../../lib/gm/index.ts';
import { buildOcspRequest, certIdFor } from '../../lib/ca/ocsp-request.ts';
import { parseOcspResponse } from '../../lib/pki/ocsp.ts';
import { parseCertificate } from '../../lib/pki/x509.ts';
import { openDb } from '../store/db.ts';
import { MasterKey } from '../store/master-key.ts';
import { Defects } from '../defects/registry.ts';
import { ResourcePool } from '../pool/pool.ts';
import { Clock } from '../clock.ts';
import { AuditLog } from '../audit/audit-log.ts';
import { Admins } from '../admin/admins.ts';
import { PkiServices } from '../ca/services.ts';
import { CryptoWorkers } from '../devices/crypto-workers.ts';
import type { PlatformContext } from '../context.ts';

function pkiContext() {
  const db = openDb(':memory:');
  const master = MasterKey.openOrCreate(':memory:');
  const defects = new Defects([]);
  const pool = new ResourcePool(db, master, defects, 2);
  const clock = new Clock();
  const ctx = { db, master, defects, pool, clock, audit: new AuditLog(db, master, clock, defects), admins: new Admins(db, defects), conformance: false } as unknown as PlatformContext;
  const pki = new PkiServices(ctx);
  ctx.pki = pki;
  return pki;
}

test('OCSP: nonce-less answers are reused within their window but always carry the current status; nonces always get fresh signatures', async () => {
  const pki = pkiContext();
  const sys = { actor: { type: 'system' as const, id: 'test' } };
  const kp = sm2GenerateKeyPair();
  const cert = pki.ca.issue({ subject: [['CN', 'ocsp-test']], publicKey: kp.publicKey, profile: pki.ca.profile('user-sign') });
  const sub = parseCertificate(pki.ca.issuing().certificate);
  const id = certIdFor(sub.subject.node.bytes, sub.spki.publicKey, BigInt('0x' + cert.serial));
  const ocspKey = pki.ca.authority('ocsp').signer.publicKey;
  const check = (der: Buffer, status: string) => {
    const r = parseOcspResponse(der);
    assert.equal(r.responseStatus, 0);
    assert.equal(r.basic!.responses[0]!.status, status);
    assert.ok(sm2Verify(ocspKey, r.basic!.tbs.bytes, r.basic!.signature.bytes), 'signed by the responder key');
    return r;
  };
  const plain = Buffer.from(buildOcspRequest([id]));
  const a = pki.ocsp.respond(plain);
  const b = pki.ocsp.respond(plain);
  check(a, 'good');
  assert.deepEqual(a, b, 'the same pre-produced response within the window');
  const t = check(a, 'good').basic!.producedAt.date!.getTime();
  assert.equal(t % (pki.ocsp.preproducedSeconds * 1000), 0, 'producedAt is the window start');
  assert.ok(t <= Date.now());

  pki.ca.transition(sys, cert.serial, 'hold');
  check(pki.ocsp.respond(plain), 'revoked');
  pki.ca.transition(sys, cert.serial, 'release');
  check(pki.ocsp.respond(plain), 'good');

  const withNonce = Buffer.from(buildOcspRequest([id], Buffer.alloc(16, 9)));
  const n1 = pki.ocsp.respond(withNonce);
  const n2 = pki.ocsp.respond(withNonce);
  check(n1, 'good');
  check(n2, 'good');
  assert.notDeepEqual(n1, n2, 'a request with a nonce is signed afresh (random k)');

  pki.ocsp.preproducedSeconds = 0;
  assert.notDeepEqual(pki.ocsp.respond(plain), pki.ocsp.respond(plain), 'pre-production off: every answer signed afresh');

  // worker-thread signing gives the same verifiable answers
  const workers = new CryptoWorkers(2);
  try {
    const rs = await Promise.all([0, 1, 2, 3].map(() => pki.ocsp.respondAsync(withNonce, workers)));
    for (const r of rs) check(r, 'good');
    pki.ca.transition(sys, cert.serial, 'revoke', 'keyCompromise');
    check(await pki.ocsp.respondAsync(plain, workers), 'revoked');
    const unknown = Buffer.from(buildOcspRequest([certIdFor(sub.subject.node.bytes, sub.spki.publicKey, 0x777n)], Buffer.alloc(8, 1)));
    check(await pki.ocsp.respondAsync(unknown, workers), 'unknown');
  } finally {
    await workers.close();
  }
});
