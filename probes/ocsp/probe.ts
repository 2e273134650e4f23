/**
 * OCSP probe (RFC 6960, SM2/SM3 as in GM deployments): asks a responder about one certificate and reports what it
 * answered — response status, certificate status with revocation time and reason, whether the nonce came back, who
 * signed and whether that signature verifies. Works against any RFC 6960 responder; judges nothing.
 */
import { randomBytes } from 'node:crypto';
import { sm2Verify, SM2_DEFAULT_ID } from '../../lib/gm/index.ts';
import { buildOcspRequest, certIdFor, responseNonce, revokedInfo, type CertIdHash } from '../../lib/ca/ocsp-request.ts';
import { bytesEqual, parseDer } from '../../lib/pki/der.ts';
import { ekuOf } from '../../lib/pki/extensions.ts';
import { OID } from '../../lib/pki/oids.ts';
import { parseOcspResponse, OCSP_STATUS } from '../../lib/pki/ocsp.ts';
import { parseCertificate } from '../../lib/pki/x509.ts';
import type { EvidenceSink } from '../evidence.ts';
import { fetchBytes } from '../http-fetch.ts';
import type { Observation } from '../observation.ts';

export interface OcspAnswer {
  httpStatus: number;
  responseStatus: string;
  certStatus?: 'good' | 'revoked' | 'unknown';
  revokedAt?: string;
  reason?: number;
  serialAsked: string;
  serialAnswered?: string;
  nonceSent?: string;
  nonceReturned?: string;
  signatureValid?: boolean;
  signer?: 'issuer' | 'delegated' | 'unknown';
  delegatedHasOcspSigning?: boolean;
  delegatedIssuedByIssuer?: boolean;
  thisUpdate?: string;
  nextUpdate?: string;
  /** the response as received (base64 DER), for the RFC 6960 / GM/T 0015 lints */
  response?: string;
}

const verifyOver = (pub: Uint8Array, data: Uint8Array, sig: Uint8Array) => { try { return sm2Verify(pub, data, sig, { id: SM2_DEFAULT_ID, format: 'der' }); } catch { return false; } };

export async function queryOcsp(o: { url: string; issuerDer: Uint8Array; serial: bigint; hash?: CertIdHash; nonce?: boolean; timeoutMs?: number; object: { id: string; name: string }; evidence: EvidenceSink; name: string }): Promise<Observation<OcspAnswer>> {
  const base = { probe: 'ocsp', object: o.object, at: new Date().toISOString() };
  let issuer: ReturnType<typeof parseCertificate>;
  try {
    issuer = parseCertificate(o.issuerDer);
  } catch (e) {
    // the issuer certificate came from the target (its CA chain): an unusable one leaves nothing to ask about
    return { ...base, notTested: { reason: 'could_not_test', detail: `OCSP: the issuer certificate cannot be read: ${(e as Error).message}` }, evidence: [] };
  }
  const nonce = o.nonce === false ? undefined : randomBytes(16);
  const req = buildOcspRequest([certIdFor(issuer.subject.node.bytes, issuer.spki.publicKey, o.serial, o.hash ?? 'sm3')], nonce);
  const evidence = [o.evidence.save(`${o.name}.ocsp-request.der`, 'application/ocsp-request', req)];
  let res: { status: number; body: Uint8Array };
  try {
    res = await fetchBytes(o.url, { method: 'POST', headers: { 'content-type': 'application/ocsp-request' }, body: req }, { timeoutMs: o.timeoutMs ?? 10_000 });
  } catch (e) {
    return { ...base, notTested: { reason: 'could_not_test', detail: `OCSP ${o.url}: ${(e as Error).message}` }, evidence };
  }
  const der = res.body;
  evidence.push(o.evidence.save(`${o.name}.ocsp-response.der`, 'application/ocsp-response', der));
  const a: OcspAnswer = { httpStatus: res.status, responseStatus: 'unparseable', serialAsked: o.serial.toString(16), nonceSent: nonce?.toString('hex'), response: Buffer.from(der).toString('base64') };
  readOcspResponse(der, issuer, a);
  return { ...base, data: a, evidence };
}

/**
 * Reads an OCSP response (untrusted bytes from the responder) into `a`: never throws — what cannot be read is
 * stated in `responseStatus` ("unparseable: …"). Exported for the fuzz tests.
 */
export function readOcspResponse(der: Uint8Array, issuer: ReturnType<typeof parseCertificate>, a: OcspAnswer): void {
  try {
    const r = parseOcspResponse(der);
    a.responseStatus = OCSP_STATUS[r.responseStatus] ?? String(r.responseStatus);
    const b = r.basic;
    if (!b) return;
    const single = b.responses[0];
    if (single) {
      a.certStatus = single.status;
      a.serialAnswered = BigInt('0x' + (Buffer.from(single.certId.serial.content).toString('hex') || '0')).toString(16);
      const ri = revokedInfo(single.statusNode);
      a.revokedAt = ri.revokedAt?.toISOString();
      a.reason = ri.reason;
      a.thisUpdate = single.thisUpdate.date?.toISOString();
      a.nextUpdate = single.nextUpdate?.date?.toISOString();
    }
    a.nonceReturned = Buffer.from(responseNonce(b.extensions) ?? []).toString('hex') || undefined;
    const tbs = b.tbs.bytes;
    const sig = b.signature.bytes;
    if (verifyOver(issuer.spki.publicKey, tbs, sig)) { a.signer = 'issuer'; a.signatureValid = true; }
    else {
      const d = b.certs.find((c) => verifyOver(c.spki.publicKey, tbs, sig));
      if (d) {
        a.signer = 'delegated'; a.signatureValid = true;
        a.delegatedHasOcspSigning = (ekuOf(d) ?? []).includes(OID.kpOcspSigning);
        const dr = parseDer(d.der);
        a.delegatedIssuedByIssuer = bytesEqual(d.issuer.node.bytes, issuer.subject.node.bytes) && verifyOver(issuer.spki.publicKey, dr.children?.[0]?.bytes ?? new Uint8Array(), dr.children?.[2]?.content.subarray(1) ?? new Uint8Array());
      } else { a.signer = 'unknown'; a.signatureValid = false; }
    }
  } catch (e) {
    a.responseStatus = `unparseable: ${(e as Error).message}`;
  }
}
