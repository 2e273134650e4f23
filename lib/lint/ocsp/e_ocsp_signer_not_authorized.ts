/*
 * RFC 6960 §4.2.2.2: the response must be signed by the CA that issued the certificate in question, or by a
 * delegated responder whose certificate "MUST be issued directly by the CA that is identified in the request" and
 * contains id-kp-OCSPSigning in extKeyUsage.
 */
import { createHash } from 'node:crypto';
import { sm3 } from '../../gm/index.ts';
import { bytesEqual } from '../../pki/der.ts';
import { ekuOf } from '../../pki/extensions.ts';
import { OID } from '../../pki/oids.ts';
import type { Certificate } from '../../pki/x509.ts';
import { ocspLint, problem } from '../types.ts';

function keyHash(alg: string, key: Uint8Array): Uint8Array | null {
  if (alg === OID.sha1) return createHash('sha1').update(key).digest();
  if (alg === OID.sm3) return sm3(key);
  if (alg === OID.sha256) return createHash('sha256').update(key).digest();
  return null;
}

export const lint = ocspLint({
  meta: {
    id: 'e_ocsp_signer_not_authorized',
    description: 'OCSP responses must be signed by the issuing CA or by its delegated responder (EKU OCSPSigning, issued by that CA)',
    descriptionZh: 'OCSP 响应应由证书签发 CA 或其授权的 OCSP 签名证书（含 OCSPSigning 用途且由该 CA 签发）签名',
    citation: 'RFC 6960 §4.2.2.2', source: 'RFC 6960', editions: ['2012', '2023'], basis: 'verified',
  },
  applies: (ctx) => !!ctx.signer && ctx.basic.responses.length > 0,
  execute: (ctx) => {
    const signer = ctx.signer as Certificate;
    const out = [];
    for (const r of ctx.basic.responses) {
      const h = keyHash(r.certId.hashAlgorithm.oid, signer.spki.publicKey);
      if (h && bytesEqual(h, r.certId.issuerKeyHash)) continue; // signed by the CA itself
      const delegated = (ekuOf(signer) ?? []).includes(OID.kpOcspSigning);
      const ca = ctx.cas.find((c) => { const ch = keyHash(r.certId.hashAlgorithm.oid, c.spki.publicKey); return ch && bytesEqual(ch, r.certId.issuerKeyHash); });
      if (!delegated) out.push(problem('signer is not the issuing CA and its certificate lacks EKU id-kp-OCSPSigning', r.certId));
      else if (ca && !bytesEqual(signer.issuer.node.bytes, ca.subject.node.bytes)) out.push(problem('delegated responder certificate is not issued by the CA of the certificate in question', r.certId));
    }
    return out;
  },
});
