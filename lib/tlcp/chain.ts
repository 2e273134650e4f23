import { sm2Verify } from '../gm/index.ts';
import { bytesEqual } from './bytes.ts';
import { isSm2WithSm3, parseCertificate, type TlcpCertificate } from './certs.ts';
import type { AlertDescriptionName } from './constants.ts';

export interface ChainProblem {
  alert: AlertDescriptionName;
  reason: string;
}

/**
 * Minimal path check for TLCP peers: each certificate in the path is within its validity at `at`, signed
 * SM2-with-SM3 by the next one, and the path ends at a trust anchor. Full RFC 5280 / GM/T 0015 checks are the
 * lint engine's job; this only decides whether a handshake may proceed.
 */
export function verifyCertificateChain(
  leaf: TlcpCertificate,
  presented: Uint8Array[],
  anchors: Uint8Array[],
  at: Date,
  sm2Id: Uint8Array | string,
): ChainProblem | null {
  const anchorCerts = anchors.map(parseCertificate);
  const pool = presented.map((d) => {
    try {
      return parseCertificate(d);
    } catch {
      return null;
    }
  }).filter((c): c is TlcpCertificate => c !== null);
  let cur = leaf;
  for (let depth = 0; depth < 8; depth++) {
    if (at < cur.notBefore || at > cur.notAfter) {
      return { alert: 'certificate_expired', reason: `not valid at ${at.toISOString()} (valid ${cur.notBefore.toISOString()} – ${cur.notAfter.toISOString()})` };
    }
    if (anchorCerts.some((a) => bytesEqual(a.der, cur.der))) return null;
    const anchor = anchorCerts.find((a) => bytesEqual(a.subjectDer, cur.issuerDer));
    const issuer = anchor ?? pool.find((c) => bytesEqual(c.subjectDer, cur.issuerDer) && !bytesEqual(c.der, cur.der));
    if (!issuer) return { alert: 'unknown_ca', reason: `issuer ${cur.issuer} is neither presented nor trusted` };
    if (!isSm2WithSm3(cur)) return { alert: 'unsupported_certificate', reason: `${cur.subject} is not signed SM2-with-SM3` };
    let ok = false;
    try {
      ok = sm2Verify(issuer.publicKey, cur.tbs, cur.signatureValue, { id: sm2Id }) === true;
    } catch {
      ok = false;
    }
    if (!ok) return { alert: 'bad_certificate', reason: `signature of ${cur.subject} does not verify with ${issuer.subject}` };
    if (anchor) {
      if (at < anchor.notBefore || at > anchor.notAfter) return { alert: 'certificate_expired', reason: `trust anchor ${anchor.subject} not valid at ${at.toISOString()}` };
      return null;
    }
    cur = issuer;
  }
  return { alert: 'bad_certificate', reason: 'certificate path longer than 8' };
}
