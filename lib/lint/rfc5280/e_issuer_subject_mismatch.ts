/*
 * RFC 5280 §4.1.2.4 / §6.1.3 (a)(4): "the certificate issuer name is the working_issuer_name" — the issuer field must
 * equal the issuing CA's subject. GM/T 0015-2012 Annex A.2 (digest R11 [U]). The issuer here is the next certificate
 * of the presented chain whose subjectKeyIdentifier matches the authorityKeyIdentifier.
 */
import { bytesEqual } from '../../pki/der.ts';
import { nameToString } from '../../pki/x509.ts';
import { certLint, problem } from '../types.ts';

export const lint = certLint({
  meta: {
    id: 'e_issuer_subject_mismatch',
    description: 'The issuer name must be byte-identical to the issuing CA\'s subject name',
    descriptionZh: '证书颁发者名称应与上级 CA 证书的主体名称逐字节一致',
    citation: 'RFC 5280 §4.1.2.4, §6.1.3; GM/T 0015-2012 附录A.2', source: 'RFC 5280', editions: ['2012', '2023'], basis: 'unverified',
  },
  applies: (ctx) => !!ctx.issuer && ctx.issuer !== ctx.cert,
  execute: (ctx) => bytesEqual(ctx.cert.issuer.node.bytes, ctx.issuer!.subject.node.bytes) ? []
    : [problem(`issuer "${nameToString(ctx.cert.issuer)}" ≠ CA subject "${nameToString(ctx.issuer!.subject)}"`, ctx.cert.issuer)],
});
