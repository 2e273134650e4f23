/**
 * CRL probe (RFC 5280 §5 / GM/T 0015 CRL profile, published over HTTP): fetches a CRL and reports its number, dates,
 * entries (serial, reason) and whether its SM2 signature verifies with the issuer certificate. Judges nothing.
 */
import { sm2Verify, SM2_DEFAULT_ID } from '../../lib/gm/index.ts';
import { parseCrl } from '../../lib/pki/crl.ts';
import { bytesEqual, integerMagnitude } from '../../lib/pki/der.ts';
import { OID } from '../../lib/pki/oids.ts';
import { parseCertificate } from '../../lib/pki/x509.ts';
import type { EvidenceSink } from '../evidence.ts';
import { fetchBytes } from '../http-fetch.ts';
import type { Observation } from '../observation.ts';

export interface CrlView {
  httpStatus: number;
  der?: Buffer;
  crlNumber?: string;
  thisUpdate?: string;
  nextUpdate?: string;
  issuerMatches?: boolean;
  signatureAlgorithm?: string;
  signatureValid?: boolean;
  entries: { serial: string; reason?: number; revokedAt?: string }[];
  problem?: string;
}

export async function fetchCrl(o: { url: string; issuerDer: Uint8Array; timeoutMs?: number; object: { id: string; name: string }; evidence: EvidenceSink; name: string }): Promise<Observation<CrlView>> {
  const base = { probe: 'crl', object: o.object, at: new Date().toISOString() };
  let res: { status: number; body: Uint8Array };
  try {
    res = await fetchBytes(o.url, {}, { timeoutMs: o.timeoutMs ?? 10_000 });
  } catch (e) {
    return { ...base, notTested: { reason: 'could_not_test', detail: `CRL ${o.url}: ${(e as Error).message}` }, evidence: [] };
  }
  const der = Buffer.from(res.body);
  const evidence = [o.evidence.save(`${o.name}.crl`, 'application/pkix-crl', der)];
  return { ...base, data: viewCrl(der, o.issuerDer, res.status), evidence };
}

/** What a CRL says and whether its issuer's SM2 signature verifies (also used for CRLs read from a directory). */
export function viewCrl(der: Buffer, issuerDer: Uint8Array, httpStatus = 200): CrlView {
  const v: CrlView = { httpStatus, der, entries: [] };
  try {
    const crl = parseCrl(der);
    const issuer = parseCertificate(issuerDer);
    const num = crl.extensions.find((e) => e.oid === OID.cRLNumber);
    v.crlNumber = num ? String(integerMagnitude(num.inner().content)) : undefined;
    v.thisUpdate = crl.thisUpdate.date?.toISOString();
    v.nextUpdate = crl.nextUpdate?.date?.toISOString();
    v.issuerMatches = bytesEqual(crl.issuer.node.bytes, issuer.subject.node.bytes);
    v.signatureAlgorithm = crl.signatureAlgorithm.oid;
    try { v.signatureValid = sm2Verify(issuer.spki.publicKey, crl.tbs.bytes, crl.signature.bytes, { id: SM2_DEFAULT_ID, format: 'der' }); } catch { v.signatureValid = false; }
    v.entries = crl.revoked.map((r) => {
      const reasonExt = r.extensions.find((e) => e.oid === OID.reasonCode);
      return { serial: (integerMagnitude(r.serial.content) ?? -1n).toString(16), reason: reasonExt ? reasonExt.inner().content[0] : undefined, revokedAt: r.revocationDate.date?.toISOString() };
    });
  } catch (e) {
    v.problem = (e as Error).message;
  }
  return v;
}
