/*
 * RFC 6960 §4.2.2.2.1: "a CA may specify that an OCSP client can trust a responder for the lifetime of the responder's
 * certificate … by including the extension id-pkix-ocsp-nocheck"; "CAs issuing such a certificate should realize that
 * a compromise of the responder's key is as serious as the compromise of a CA key"; otherwise clients need another way
 * to check the responder. Delegated OCSP signer certificates should carry it.
 */
import { OID } from '../../pki/oids.ts';
import { certLint, problem } from '../types.ts';
import { hasExt } from '../util.ts';

export const lint = certLint({
  meta: {
    id: 'w_ocsp_signer_no_nocheck', certTypes: ['ocsp'],
    description: 'Delegated OCSP signer certificates should carry id-pkix-ocsp-nocheck',
    descriptionZh: 'OCSP 授权签名证书宜包含 id-pkix-ocsp-nocheck 扩展',
    citation: 'RFC 6960 §4.2.2.2.1', source: 'RFC 6960', editions: ['2012', '2023'], basis: 'verified',
  },
  execute: (ctx) => hasExt(ctx.cert, OID.ocspNoCheck) ? [] : [problem('id-pkix-ocsp-nocheck missing', { node: ctx.cert.tbs, path: 'tbsCertificate' })],
});
