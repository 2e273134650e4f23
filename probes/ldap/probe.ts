/**
 * Directory probe (LDAP v3, RFC 4511 / RFC 4523): reads what a CA published — a subscriber's certificates at the
 * subject's DN (userCertificate;binary), the per-certificate entry found by serial number, and the CA's CRL at the
 * CA's DN (certificateRevocationList;binary) — and tries writes a relying party must never be allowed to make.
 * Works against any LDAP directory: DNs come from the certificates themselves (RFC 4514), the serial attribute and
 * search base are options. Judges nothing.
 */
import { randomBytes } from 'node:crypto';
import { Client } from 'ldapts';
import { dnText, nameToLdapDn } from '../../lib/ca/ldap-dn.ts';
import { parseCertificate } from '../../lib/pki/x509.ts';
import { viewCrl, type CrlView } from '../crl/probe.ts';
import type { EvidenceSink } from '../evidence.ts';
import type { Observation } from '../observation.ts';

export interface LdapEndpoint {
  /** ldap://host:port */
  url: string;
  /** where per-certificate entries are searched by serial; default: the issuing CA's DN */
  baseDn?: string;
  /** the attribute carrying a certificate's serial number in decimal (default x509serialNumber) */
  serialAttribute?: string;
  timeoutMs?: number;
}

export interface DirectoryCertLookup {
  serial: string;
  subjectDn: string;
  bySubject: { found: boolean; certificates: number; contains: boolean; error?: string };
  bySerial: { found: boolean; dn?: string; entries: number; contains: boolean; error?: string };
}
export interface DirectoryView {
  url: string;
  issuerDn: string;
  certificates: DirectoryCertLookup[];
  crl: { found: boolean; attribute?: string; view?: CrlView; error?: string };
  /** every certificate published under the subject DNs read (DER, for comparison with the CA's answers) */
  published: Buffer[];
}

export interface WriteAttempt {
  who: string;
  bind?: { dn: string; accepted: boolean; code?: number; message?: string };
  operation: 'add';
  dn: string;
  accepted: boolean;
  code?: number;
  codeName?: string;
  message?: string;
  cleanedUp?: boolean;
}

const CERT_ATTRS = ['userCertificate;binary', 'userCertificate'];
const CRL_ATTRS = ['certificateRevocationList;binary', 'certificateRevocationList'];

function buffers(entry: Record<string, unknown>, names: string[]): Buffer[] {
  const out: Buffer[] = [];
  for (const [k, v] of Object.entries(entry)) {
    if (!names.some((n) => n.toLowerCase() === k.toLowerCase())) continue;
    for (const x of Array.isArray(v) ? v : [v]) if (Buffer.isBuffer(x) && x.length) out.push(x);
  }
  return out;
}

const ldapError = (e: unknown) => {
  const x = e as { code?: number; name?: string; constructor?: { name?: string }; message?: string };
  return { code: typeof x.code === 'number' ? x.code : undefined, codeName: x.constructor?.name ?? x.name, message: String(x.message ?? e).trim().slice(0, 300) };
};
const noSuchObject = (e: unknown) => (e as { code?: number }).code === 32;
/** a transport failure (no LDAP result code): the directory could not be asked at all */
const unreachable = (e: unknown) => { if (typeof (e as { code?: unknown }).code !== 'number') throw e; };

function client(ep: LdapEndpoint): Client {
  return new Client({ url: ep.url, timeout: ep.timeoutMs ?? 10_000, connectTimeout: ep.timeoutMs ?? 10_000, strictDN: false });
}

/**
 * Looks up each certificate by its subject DN and by serial under its issuer, and reads the issuer's CRL, over an
 * anonymous connection (what a relying party has).
 */
export async function readDirectory(o: { endpoint: LdapEndpoint; certificates: Uint8Array[]; issuerDer: Uint8Array; object: { id: string; name: string }; evidence: EvidenceSink; name: string }): Promise<Observation<DirectoryView>> {
  const base = { probe: 'ldap', object: o.object, at: new Date().toISOString() };
  let issuerDn: string;
  try {
    issuerDn = nameToLdapDn(parseCertificate(o.issuerDer).subject);
  } catch (e) {
    return { ...base, notTested: { reason: 'could_not_test', detail: `LDAP: the issuer certificate cannot be read: ${(e as Error).message}` }, evidence: [] };
  }
  const serialAttr = o.endpoint.serialAttribute ?? 'x509serialNumber';
  const c = client(o.endpoint);
  const view: DirectoryView = { url: o.endpoint.url, issuerDn, certificates: [], crl: { found: false }, published: [] };
  const transcript: string[] = [];
  try {
    for (const der of o.certificates) {
      const cert = parseCertificate(der);
      const subjectDn = nameToLdapDn(cert.subject);
      const serial = BigInt('0x' + (Buffer.from(cert.serial.node.content).toString('hex') || '0'));
      const look: DirectoryCertLookup = { serial: serial.toString(16), subjectDn: dnText(subjectDn), bySubject: { found: false, certificates: 0, contains: false }, bySerial: { found: false, entries: 0, contains: false } };
      try {
        const r = await c.search(subjectDn, { scope: 'base', filter: '(objectClass=*)', attributes: CERT_ATTRS, explicitBufferAttributes: CERT_ATTRS });
        const certs = r.searchEntries.flatMap((e) => buffers(e, CERT_ATTRS));
        look.bySubject = { found: r.searchEntries.length > 0, certificates: certs.length, contains: certs.some((b) => b.equals(Buffer.from(der))) };
        for (const b of certs) if (!view.published.some((p) => p.equals(b))) view.published.push(b);
        transcript.push(`search base "${subjectDn}" → ${r.searchEntries.length} entr${r.searchEntries.length === 1 ? 'y' : 'ies'}, ${certs.length} certificate(s)`);
      } catch (e) {
        unreachable(e);
        if (!noSuchObject(e)) look.bySubject.error = ldapError(e).message;
        transcript.push(`search base "${subjectDn}" → ${ldapError(e).codeName} ${ldapError(e).message}`);
      }
      const searchBase = o.endpoint.baseDn ?? issuerDn;
      const filter = `(${serialAttr}=${serial.toString(10)})`;
      try {
        const r = await c.search(searchBase, { scope: 'sub', filter, attributes: CERT_ATTRS, explicitBufferAttributes: CERT_ATTRS });
        const certs = r.searchEntries.flatMap((e) => buffers(e, CERT_ATTRS));
        look.bySerial = { found: r.searchEntries.length > 0, dn: r.searchEntries[0] ? dnText(r.searchEntries[0].dn) : undefined, entries: r.searchEntries.length, contains: certs.some((b) => b.equals(Buffer.from(der))) };
        transcript.push(`search sub "${searchBase}" ${filter} → ${r.searchEntries.length} entr${r.searchEntries.length === 1 ? 'y' : 'ies'}`);
      } catch (e) {
        unreachable(e);
        if (!noSuchObject(e)) look.bySerial.error = ldapError(e).message;
        transcript.push(`search sub "${searchBase}" ${filter} → ${ldapError(e).codeName} ${ldapError(e).message}`);
      }
      view.certificates.push(look);
    }
    try {
      const r = await c.search(issuerDn, { scope: 'base', filter: '(objectClass=*)', attributes: CRL_ATTRS, explicitBufferAttributes: CRL_ATTRS });
      const entry = r.searchEntries[0];
      const crl = entry ? buffers(entry, CRL_ATTRS)[0] : undefined;
      view.crl = { found: !!crl, attribute: crl ? Object.keys(entry!).find((k) => CRL_ATTRS.some((n) => n.toLowerCase() === k.toLowerCase())) : undefined, view: crl ? viewCrl(crl, o.issuerDer) : undefined };
      transcript.push(`search base "${issuerDn}" (CRL) → ${crl ? `${crl.length} bytes, CRL #${view.crl.view?.crlNumber ?? '?'}` : 'no CRL attribute'}`);
    } catch (e) {
      unreachable(e);
      view.crl = { found: false, error: noSuchObject(e) ? undefined : ldapError(e).message };
      transcript.push(`search base "${issuerDn}" (CRL) → ${ldapError(e).codeName} ${ldapError(e).message}`);
    }
  } catch (e) {
    return { ...base, notTested: { reason: 'could_not_test', detail: `LDAP ${o.endpoint.url}: ${(e as Error).message}` }, evidence: [] };
  } finally {
    await c.unbind().catch(() => undefined);
  }
  const evidence = [o.evidence.save(`${o.name}.ldap.txt`, 'text/plain', Buffer.from(`${o.endpoint.url}\n${transcript.join('\n')}\n`))];
  if (view.crl.view?.der) evidence.push(o.evidence.save(`${o.name}.ldap.crl`, 'application/pkix-crl', view.crl.view.der));
  return { ...base, data: { ...view, crl: { ...view.crl, view: view.crl.view ? { ...view.crl.view, der: undefined } : undefined } }, evidence };
}

/**
 * Tries to add a harmless, uniquely named entry (objectClass organizationalUnit) under `parentDn`: anonymously, and
 * after an unauthenticated bind (a DN with an empty password, RFC 4513 §5.1.2) as `bindDn`. An add that succeeds is
 * deleted again on the same connection.
 */
export async function tryAnonymousWrites(o: { endpoint: LdapEndpoint; parentDn: string; bindDn: string; object: { id: string; name: string }; evidence: EvidenceSink; name: string }): Promise<Observation<{ url: string; attempts: WriteAttempt[] }>> {
  const base = { probe: 'ldap', object: o.object, at: new Date().toISOString() };
  const attempts: WriteAttempt[] = [];
  const attempt = async (who: string, bindDn?: string) => {
    const c = client(o.endpoint);
    const dn = `ou=gmeval-probe-${randomBytes(6).toString('hex')},${o.parentDn}`;
    const a: WriteAttempt = { who, operation: 'add', dn: dnText(dn), accepted: false };
    try {
      if (bindDn !== undefined) {
        try {
          await c.bind(bindDn, '');
          a.bind = { dn: dnText(bindDn), accepted: true };
        } catch (e) {
          a.bind = { dn: dnText(bindDn), accepted: false, code: ldapError(e).code, message: ldapError(e).message };
        }
      }
      try {
        await c.add(dn, { objectClass: ['top', 'organizationalUnit'], ou: dn.slice(3, dn.indexOf(',')) });
        a.accepted = true;
        try { await c.del(dn); a.cleanedUp = true; } catch { a.cleanedUp = false; }
      } catch (e) {
        unreachable(e);
        Object.assign(a, ldapError(e));
      }
    } finally {
      await c.unbind().catch(() => undefined);
    }
    attempts.push(a);
  };
  try {
    await attempt('anonymous');
    await attempt('unauthenticated bind', o.bindDn);
  } catch (e) {
    return { ...base, notTested: { reason: 'could_not_test', detail: `LDAP ${o.endpoint.url}: ${(e as Error).message}` }, evidence: [] };
  }
  const evidence = [o.evidence.save(`${o.name}.ldap-writes.json`, 'application/json', Buffer.from(JSON.stringify({ url: o.endpoint.url, attempts }, null, 2)))];
  return { ...base, data: { url: o.endpoint.url, attempts }, evidence };
}
