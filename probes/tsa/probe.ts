/**
 * RFC 3161 time-stamp probe with SM3/SM2: sends a request for the SM3 digest of sample data with a nonce and reports
 * the reply — status, policy, imprint, nonce, serial, time, ESSCertIDv2 and whether the token's signature verifies
 * with the TSA certificate carried in it (or supplied). Works against any RFC 3161 TSA; judges nothing.
 */
import { randomBytes } from 'node:crypto';
import { sm3 } from '../../lib/gm/index.ts';
import { buildTimeStampReq, parseTimeStampResp, verifyTimeStampToken } from '../../lib/ca/tsp.ts';
import { bytesEqual } from '../../lib/pki/der.ts';
import { ekuOf } from '../../lib/pki/extensions.ts';
import { OID } from '../../lib/pki/oids.ts';
import { parseCertificate } from '../../lib/pki/x509.ts';
import type { EvidenceSink } from '../evidence.ts';
import { fetchBytes } from '../http-fetch.ts';
import type { Observation } from '../observation.ts';

export interface TsaAnswer {
  httpStatus: number;
  status?: number;
  statusText?: string;
  imprintSent: string;
  imprintReturned?: string;
  hashOid?: string;
  policy?: string;
  nonceSent: string;
  nonceReturned?: string;
  serial?: string;
  genTime?: string;
  signatureValid?: boolean;
  problems: string[];
  tsaHasTimeStampingEku?: boolean;
  essCertIdMatches?: boolean;
  /** the certificate that verified the token (base64 DER), for the certificate lints */
  tsaCertificate?: string;
  /** the other certificates the token carried (base64 DER) */
  tokenCertificates?: string[];
}

export async function requestTimestamp(o: { url: string; data: Uint8Array; certReq?: boolean; tsaCertDer?: Uint8Array; timeoutMs?: number; object: { id: string; name: string }; evidence: EvidenceSink; name: string }): Promise<Observation<TsaAnswer>> {
  const base = { probe: 'tsa', object: o.object, at: new Date().toISOString() };
  const digest = sm3(o.data);
  const nonce = BigInt('0x' + randomBytes(8).toString('hex')) | 1n;
  const req = buildTimeStampReq({ digest, nonce, certReq: o.certReq ?? true });
  const evidence = [o.evidence.save(`${o.name}.tsq`, 'application/timestamp-query', req)];
  let res: { status: number; body: Uint8Array };
  try {
    res = await fetchBytes(o.url, { method: 'POST', headers: { 'content-type': 'application/timestamp-query' }, body: req }, { timeoutMs: o.timeoutMs ?? 10_000 });
  } catch (e) {
    return { ...base, notTested: { reason: 'could_not_test', detail: `TSA ${o.url}: ${(e as Error).message}` }, evidence };
  }
  const der = res.body;
  evidence.push(o.evidence.save(`${o.name}.tsr`, 'application/timestamp-reply', der));
  const a: TsaAnswer = { httpStatus: res.status, imprintSent: digest.toString('hex'), nonceSent: nonce.toString(16), problems: [] };
  readTimestampReply(der, o.tsaCertDer, a);
  return { ...base, data: a, evidence };
}

/**
 * Reads an RFC 3161 reply (untrusted bytes from the TSA) into `a`: never throws — what cannot be read is added
 * to `problems` ("unparseable: …"). Exported for the fuzz tests.
 */
export function readTimestampReply(der: Uint8Array, tsaCertDer: Uint8Array | undefined, a: TsaAnswer): void {
  try {
    const r = parseTimeStampResp(der);
    a.status = r.status;
    a.statusText = r.statusText;
    const t = r.token;
    if (t) {
      a.imprintReturned = Buffer.from(t.digest).toString('hex');
      a.hashOid = t.hashOid;
      a.policy = t.policy;
      a.nonceReturned = t.nonce?.toString(16);
      a.serial = t.serial.toString(16);
      a.genTime = t.genTime;
      const certDer = tsaCertDer ?? t.certificates[0];
      if (certDer) {
        const c = parseCertificate(certDer);
        const v = verifyTimeStampToken(t, c.spki.publicKey);
        a.signatureValid = v.ok;
        a.problems.push(...v.problems);
        a.tsaHasTimeStampingEku = (ekuOf(c) ?? []).includes(OID.kpTimeStamping);
        a.essCertIdMatches = !!t.essCertHash && t.essCertHash.hashOid === OID.sm3 && bytesEqual(t.essCertHash.hash, sm3(certDer));
        a.tsaCertificate = Buffer.from(certDer).toString('base64');
        a.tokenCertificates = t.certificates.filter((x) => !bytesEqual(x, certDer)).map((x) => Buffer.from(x).toString('base64'));
      } else a.problems.push('no TSA certificate in the token and none supplied');
    }
  } catch (e) {
    a.problems.push(`unparseable: ${(e as Error).message}`);
  }
}
