import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { Client as LdapClient } from 'ldapts';
import { sm2GenerateKeyPair } from '../../lib/gm/index.ts';
import { buildCsr } from '../../lib/ca/pkcs10.ts';
import { dnKey, dnText, nameToLdapDn, parseLdapDn } from '../../lib/ca/ldap-dn.ts';
import { parseCertificate } from '../../lib/pki/x509.ts';
import { readDirectory, tryAnonymousWrites } from '../../probes/ldap/probe.ts';
import { MemoryEvidenceSink } from '../../probes/evidence.ts';
import { startPlatform, type RunningPlatform } from '../../reference-platform/index.ts';
import { adminClient, type Client } from '../../reference-platform/ca/test-client.ts';

const object = { id: 'ca', name: 'CA' };
const pem2der = (pem: string) => Buffer.from(pem.replace(/-----[^-]+-----|\s/g, ''), 'base64');

interface Started { p: RunningPlatform; admins: Record<string, Client> }
async function start(defects: string[] = []): Promise<Started> {
  const p = await startPlatform({ conformance: true, console: false, defects });
  const admins: Record<string, Client> = {};
  for (const [n, roles, duties] of [['entry', ['operator'], ['ENTRY']], ['review', ['operator'], ['REVIEW']], ['issuer', ['operator'], ['ISSUE']], ['business', ['business_admin'], []]] as const) {
    const a = p.provisionAdmin(`${n}-${defects.join('-') || 'clean'}`, [...roles]);
    if (duties.length) p.assignRaDuties(a.username, [...duties]);
    admins[n] = await adminClient(p.listening.http, a);
  }
  return { p, admins };
}

async function enrol(s: Started, cn: string) {
  const csr = Buffer.from(buildCsr(sm2GenerateKeyPair(), [['CN', 'x']])).toString('base64');
  const r = await s.admins.entry!.call('POST', '/ra/requests', { subject: { C: 'CN', O: 'gmeval 测评', OU: 'CA, 检查', CN: cn }, csr });
  assert.equal(r.status, 201, JSON.stringify(r.json));
  const id = String(r.json.requestId);
  await s.admins.review!.call('POST', `/ra/requests/${id}/approve`, {});
  const iss = (await s.admins.issuer!.call('POST', `/ra/requests/${id}/issue`, {})).json;
  const d = (await s.admins.issuer!.call('GET', `/ra/requests/${id}/result`)).json;
  const chain = [...String(d.chain).matchAll(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g)].map((m) => pem2der(m[0]));
  return { sign: Buffer.from(String(d.signCertificate), 'base64'), enc: Buffer.from(String(d.encCertificate), 'base64'), signSerial: String(iss.signSerial), issuer: chain[0]! };
}

let clean: Started;
let broken: Started;
before(async () => {
  clean = await start();
  broken = await start(['ldap-anonymous-write', 'ldap-stale-entry']);
});
after(async () => { await clean?.p.close(); await broken?.p.close(); });

test('RFC 4514 names: certificate subjects become LDAP DNs that round-trip, with escapes and UTF-8', () => {
  const dn = 'CN=订户\\, 一号,OU=CA 检查,O=gmeval 测评,C=CN';
  assert.deepEqual(parseLdapDn(dn).map((r) => r[0]!.value), ['订户, 一号', 'CA 检查', 'gmeval 测评', 'CN']);
  assert.equal(dnKey('cn=\\e8\\ae\\a2\\e6\\88\\b7,  O=X,c=cn'), dnKey('CN=订户,o=x,C=CN'));
  assert.equal(dnText('cn=\\e8\\ae\\a2\\e6\\88\\b7+uid=7,c=CN'), 'cn=订户+uid=7,c=CN');
  assert.throws(() => parseLdapDn('cn=a,novalue'), /offset 5/);
  assert.throws(() => parseLdapDn('cn=a\\'), /dangling escape/);
});

test('the directory publishes certificates by subject DN and serial and the current CRL; the probe reads them as a relying party', async () => {
  const e = await enrol(clean, '订户-目录');
  const ev = new MemoryEvidenceSink();
  const read = async () => (await readDirectory({ endpoint: { url: clean.p.listening.ldap! }, certificates: [e.sign, e.enc], issuerDer: e.issuer, object, evidence: ev, name: 'd' })).data!;
  const v = await read();
  assert.equal(v.issuerDn, 'CN=gmeval Reference SM2 CA,O=gmeval reference platform,C=CN');
  for (const c of v.certificates) {
    assert.deepEqual([c.bySubject.found, c.bySubject.contains, c.bySerial.found, c.bySerial.contains, c.bySerial.entries], [true, true, true, true, 1], JSON.stringify(c));
    assert.equal(c.subjectDn, 'CN=订户-目录,OU=CA, 检查,O=gmeval 测评,C=CN');
  }
  assert.equal(v.published.length, 2);
  assert.equal(v.crl.found && v.crl.view?.signatureValid, true);
  const before = Number(v.crl.view!.crlNumber);
  assert.equal((await clean.admins.business!.call('POST', `/certificates/${e.signSerial}/revoke`, { reason: 'keyCompromise' })).status, 200);
  const after = await read();
  assert.ok(Number(after.crl.view!.crlNumber) > before);
  assert.deepEqual(after.crl.view!.entries.filter((x) => x.serial === e.signSerial).map((x) => x.reason), [1]);
  // a serial the CA never issued is in no entry
  const other = await readDirectory({ endpoint: { url: clean.p.listening.ldap! }, certificates: [e.issuer], issuerDer: e.issuer, object, evidence: ev, name: 'x' });
  assert.equal(other.data!.certificates[0]!.bySerial.found, false);
});

test('only the publisher writes: anonymous and unauthenticated binds are refused (50 / 53), the publisher may add and delete', async () => {
  const e = await enrol(clean, 'writer');
  const parentDn = nameToLdapDn(parseCertificate(e.issuer).subject);
  const w = (await tryAnonymousWrites({ endpoint: { url: clean.p.listening.ldap! }, parentDn, bindDn: 'cn=publisher,ou=system,o=gmeval reference platform,c=CN', object, evidence: new MemoryEvidenceSink(), name: 'w' })).data!;
  assert.deepEqual(w.attempts.map((a) => [a.who, a.accepted, a.code]), [['anonymous', false, 50], ['unauthenticated bind', false, 50]]);
  assert.equal(w.attempts[1]!.bind?.accepted, false);
  assert.equal(w.attempts[1]!.bind?.code, 53);
  const c = new LdapClient({ url: clean.p.listening.ldap! });
  await assert.rejects(c.bind('cn=publisher,ou=system,o=gmeval reference platform,c=CN', 'wrong password'), (err: { code?: number }) => err.code === 49);
  await c.unbind();
});

test('defects: ldap-anonymous-write accepts an anonymous add; ldap-stale-entry leaves the first CRL in the directory after a revocation', async () => {
  const e = await enrol(broken, 'stale');
  const ev = new MemoryEvidenceSink();
  const url = broken.p.listening.ldap!;
  const w = (await tryAnonymousWrites({ endpoint: { url }, parentDn: nameToLdapDn(parseCertificate(e.issuer).subject), bindDn: 'cn=nobody,c=CN', object, evidence: ev, name: 'w' })).data!;
  assert.equal(w.attempts[0]!.accepted, true);
  assert.equal(w.attempts[0]!.cleanedUp, true);
  const first = (await readDirectory({ endpoint: { url }, certificates: [e.sign], issuerDer: e.issuer, object, evidence: ev, name: 'd' })).data!;
  await broken.admins.business!.call('POST', `/certificates/${e.signSerial}/revoke`, { reason: 'keyCompromise' });
  const later = (await readDirectory({ endpoint: { url }, certificates: [e.sign], issuerDer: e.issuer, object, evidence: ev, name: 'd' })).data!;
  assert.equal(later.crl.view!.crlNumber, first.crl.view!.crlNumber);
  assert.equal(later.crl.view!.entries.some((x) => x.serial === e.signSerial), false);
});

test('an unreachable directory is not tested, with the reason', async () => {
  const e = { issuer: pem2der((await (await fetch(`${clean.p.listening.http}/ca/chain`)).text()).split('-----END CERTIFICATE-----')[0]! + '-----END CERTIFICATE-----') };
  const o = await readDirectory({ endpoint: { url: 'ldap://127.0.0.1:1', timeoutMs: 2000 }, certificates: [], issuerDer: e.issuer, object, evidence: new MemoryEvidenceSink(), name: 'u' });
  assert.equal(o.notTested?.reason, 'could_not_test');
  assert.match(o.notTested!.detail, /ldap:\/\/127\.0\.0\.1:1/);
});

test('bytes that are not LDAP (a port scanner) are dropped and the directory keeps answering', async () => {
  const { connect } = await import('node:net');
  const u = new URL(clean.p.listening.ldap!);
  for (const junk of [Buffer.from('GET / HTTP/1.0\r\n\r\n'), Buffer.from([0x30, 0x84, 0xff, 0xff, 0xff, 0xff, 0x02]), Buffer.from([0x16, 0x03, 0x01, 0x00, 0x05, 1, 2, 3, 4, 5])]) {
    await new Promise<void>((resolve) => {
      const s = connect(Number(u.port), u.hostname, () => s.end(junk));
      s.on('error', () => resolve());
      s.on('close', () => resolve());
      s.setTimeout(2000, () => { s.destroy(); resolve(); });
    });
  }
  const c = new LdapClient({ url: clean.p.listening.ldap! });
  const r = await c.search('cn=gmeval Reference SM2 CA,o=gmeval reference platform,c=CN', { scope: 'base', attributes: ['cn'] });
  assert.equal(r.searchEntries[0]?.cn, 'gmeval Reference SM2 CA');
  await c.unbind();
});
