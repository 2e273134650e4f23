/*
 * RFC 6960 §4.2.2.3: "The ResponderID information MUST correspond to the certificate that was used to sign the
 * response." When certificates are embedded, one of them must be the one the responderID names (byName: subject;
 * byKey: SHA-1 — or, in GM deployments, SM3 — of its public key).
 */
import { ocspLint, problem } from '../types.ts';

export const lint = ocspLint({
  meta: {
    id: 'e_ocsp_responder_id_mismatch',
    description: 'An embedded responder certificate must match the responderID',
    descriptionZh: 'OCSP 响应内嵌的签名证书应与响应者标识（responderID）一致',
    citation: 'RFC 6960 §4.2.2.3', source: 'RFC 6960', editions: ['2012', '2023'], basis: 'verified',
  },
  applies: (ctx) => ctx.basic.certs.length > 0,
  execute: (ctx) => ctx.signer && ctx.basic.certs.includes(ctx.signer) ? []
    : [problem('no embedded certificate matches the responderID', ctx.basic.responderNode)],
});
